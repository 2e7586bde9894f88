"""Verify result as JUnit XML for CI: one testcase per host per check, failures carry the findings."""
from __future__ import annotations

from collections.abc import Mapping

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from dmvpn_ops.collect.commands import ROUTING_COMMANDS
from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.ike_options import CODES as IKE_OPTION_CODES
from dmvpn_ops.verify.ike_options import DETAIL as IKE_DETAIL
from dmvpn_ops.verify.ike_options import V1_DETAIL as IKE_V1_DETAIL
from dmvpn_ops.verify.result import HostStatus, VerifyResult

__all__ = ["verify_junit", "one_failure", "check_times", "CHECK_CODES", "CHECK_COMMANDS"]

# check name -> finding codes it owns (the junit "test" a finding fails)
CHECK_CODES: dict[str, tuple[str, ...]] = {
    "reachable": ("DEVICE_UNREACHABLE", "DEVICE_UNRESPONSIVE", "HOST_KEY_CHANGED", "HOST_KEY_UNKNOWN"),
    "parse": ("UNPARSEABLE_OUTPUT", "OUTPUT_TOO_LARGE"),
    "interfaces": ("INTERFACE_DOWN",),
    "registration": ("SPOKE_NOT_REGISTERED", "STUCK_STATE", "WRONG_TUNNEL_IP", "VIEWS_DISAGREE"),
    "nhs": ("NHS_DOWN",),
    "nbma": ("WRONG_NBMA",),
    "ike": ("IKE_NOT_ESTABLISHED", *IKE_OPTION_CODES),
    "ipsec": ("IPSEC_NO_TRAFFIC", "IPSEC_MODE_MISMATCH"),
    "routing": ("ROUTING_NEIGHBOR_MISSING",),
    "peers": ("UNKNOWN_PEER",),
    "shortcuts": ("SHORTCUT_MISSING", "UNEXPECTED_SHORTCUT", "PROBE_FAILED"),
}


# check name -> the show commands whose answers it reads first: their device time is its testcase time.
# Each command counts once; "reachable" gets the rest of the host's time (connect, login, pager off).
CHECK_COMMANDS: dict[str, tuple[str, ...]] = {
    "interfaces": ("show ip interface brief",),
    "registration": ("show dmvpn", "show ip nhrp"),
    "nhs": ("show ip nhrp nhs",),
    "ike": ("show crypto isakmp sa", "show crypto ikev2 sa", IKE_DETAIL, IKE_V1_DETAIL),
    "ipsec": ("show crypto ipsec sa",),
    "routing": tuple(ROUTING_COMMANDS.values()),
}


def check_times(status: HostStatus, timings: Mapping[str, float]) -> dict[str, float]:
    """Seconds per check of one host: the commands it reads, and the connection for ``reachable``."""
    times = {check: sum(timings.get(c, 0.0) for c in commands) for check, commands in CHECK_COMMANDS.items()}
    times["reachable"] = max(0.0, status.elapsed - sum(timings.values()))
    return {check: round(times.get(check, 0.0), 3) for check in CHECK_CODES}


def one_failure(problems: list[tuple[str, str]]) -> Failure:
    """One ``<failure>`` per testcase (CI tools show only the first): the codes as its type, every
    problem in its message and text."""
    codes = sorted({code for code, _ in problems})
    failure = Failure(mask("; ".join(f"{code}: {message}" for code, message in problems)), ",".join(codes))
    failure.text = mask("\n".join(f"{code}: {message}" for code, message in problems))
    return failure


def verify_junit(result: VerifyResult, *, suite_name: str = "dmvpn-verify") -> str:
    """JUnit XML: suite per host, a testcase per check; not-asked hosts' cases are skipped."""
    owner = {code: check for check, codes in CHECK_CODES.items() for code in codes}
    xml = JUnitXml(suite_name)
    for name, status in sorted(result.hosts.items()):
        suite = TestSuite(f"{name} ({status.role})")
        mine = [f for f in result.findings if f.host == name]
        collection = result.collections.get(name)
        times = check_times(status, collection.timings if collection is not None else {})
        for check in CHECK_CODES:
            case = TestCase(check, classname=f"dmvpn.{name}", time=times[check])
            failed = [f for f in mine if owner.get(f.code, "registration") == check]
            if not status.collected and not failed:
                case.result = [Skipped("not selected (--limit)" if not status.selected
                                       else "not collected in this mode")]
            elif failed:
                case.result = [one_failure([(f.code, f.message) for f in failed])]
                case.system_out = mask("\n".join(f"{f.code} expected={f.expected!r} observed={f.observed!r} "
                                                  f"hint={f.hint}" for f in failed))
            suite.add_testcase(case)
        xml.add_testsuite(suite)
    raw = xml.tostring()  # type: ignore[no-untyped-call]
    return mask(raw.decode() if isinstance(raw, bytes) else str(raw))
