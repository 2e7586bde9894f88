"""The software image every emulated router runs, as IOS prints it (`show version`, the boot log)."""
from __future__ import annotations

# the IOSd banner of a CSR1000v on IOS-XE 17.3.4a: the lines after `Cisco IOS XE Software, Version ...` in
# `show version`, and the lines IOS appends to `%SYS-5-RESTART: System restarted --` in the buffer at boot
# (real boot logs: 7200 15.2(4)M7, C1900 15.4(3)M3, C3900e 15.2(4)M6a print this banner there, line for line)
BANNER = """Cisco IOS Software [Amsterdam], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Tue 20-Jul-21 06:44 by mcpre"""
