"""A device that logs us in and then goes silent before any change is `unresponsive` (verify's
DEVICE_UNRESPONSIVE, exit 3), not failed; the others deploy. The deploy JSON names it, and `interrupted`."""
from __future__ import annotations

import json

import pytest

from dmvpn_ops.deploy import Status, StopFlag
from dmvpn_ops.report.deploy import deploy_json
from tests.conftest import INVENTORY
from tests.schemas.test_schemas import validate
from tests.support.hostile_ssh import Script

pytestmark = pytest.mark.lab


@pytest.mark.parametrize("script", [
    Script(hostname="spoke3", stall_after_login=True),
    Script(hostname="spoke3", privileged=True, stall_on=frozenset({"show archive config rollback timer"})),
    Script(hostname="spoke3", privileged=True, stall_on=frozenset({"show running-config"})),
], ids=["after-login", "timer-check", "running-config"])
def test_silent_device_is_unresponsive_and_the_others_deploy(lab_run, hostile_ssh, script: Script) -> None:
    run = lab_run(INVENTORY)
    server = hostile_ssh(script)
    result = run.deploy(ports={"spoke3": server.port}, timeout=3)
    record = result.hosts["spoke3"]
    assert record.status == Status.UNRESPONSIVE, (record.status, record.reason)
    assert "did not answer within 3s" in (record.reason or "") and record.pushed == 0
    assert not [c for c in server.commands if c.startswith(("configure", "copy", "crypto", "interface"))]
    for host in ("hub1", "hub2", "spoke1", "spoke2", "spoke4"):
        assert result.hosts[host].status == Status.DEPLOYED, (host, result.hosts[host].reason)
    assert result.exit_code == 3  # as verify: some device did not answer
    document = json.loads(deploy_json(result))
    validate("deploy", document)
    assert document["hosts"]["spoke3"]["status"] == "unresponsive" and document["summary"]["unresponsive"] == 1
    assert document["interrupted"] is None


def test_interrupted_run_names_the_signal_in_its_json(lab_run) -> None:
    """A stop flag set (as the first SIGTERM sets it) before any host starts: every host untouched, and the
    JSON document says which signal stopped the run."""
    run = lab_run(INVENTORY)
    flag = StopFlag()
    flag.set("SIGTERM")
    result = run.deploy(stop=flag)
    assert result.interrupted == "SIGTERM"
    assert {r.status for r in result.hosts.values()} == {Status.UNTOUCHED}
    assert run.lab.run("spoke1", "show running-config").count("interface Tunnel") == 0  # nothing reached it
    document = json.loads(deploy_json(result))
    validate("deploy", document)
    assert document["interrupted"] == "SIGTERM"
