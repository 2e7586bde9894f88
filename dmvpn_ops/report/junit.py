"""Verify result as JUnit XML for CI: one testcase per host per check, failures carry the findings."""
from __future__ import annotations

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from dmvpn_ops.secrets import mask
from dmvpn_ops.verify.result import VerifyResult

__all__ = ["verify_junit", "one_failure", "CHECK_CODES"]

# check name -> finding codes it owns (the junit "test" a finding fails)
CHECK_CODES: dict[str, tuple[str, ...]] = {
    "reachable": ("DEVICE_UNREACHABLE", "DEVICE_UNRESPONSIVE", "HOST_KEY_CHANGED", "HOST_KEY_UNKNOWN"),
    "parse": ("UNPARSEABLE_OUTPUT", "OUTPUT_TOO_LARGE"),
    "interfaces": ("INTERFACE_DOWN",),
    "registration": ("SPOKE_NOT_REGISTERED", "STUCK_STATE", "WRONG_TUNNEL_IP", "VIEWS_DISAGREE"),
    "nhs": ("NHS_DOWN",),
    "nbma": ("WRONG_NBMA",),
    "ike": ("IKE_NOT_ESTABLISHED",),
    "ipsec": ("IPSEC_NO_TRAFFIC", "IPSEC_MODE_MISMATCH"),
    "routing": ("ROUTING_NEIGHBOR_MISSING",),
    "peers": ("UNKNOWN_PEER",),
    "shortcuts": ("SHORTCUT_MISSING", "UNEXPECTED_SHORTCUT", "PROBE_FAILED"),
}


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
        for check in CHECK_CODES:
            # The device time belongs to the check that contacted it; the others judge collected text.
            case = TestCase(check, classname=f"dmvpn.{name}",
                            time=round(status.elapsed, 3) if check == "reachable" else 0.0)
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
