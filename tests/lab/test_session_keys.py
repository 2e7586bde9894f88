"""Interactive keys over a real SSH pty (asyncssh client): `?` context help, Tab completion, arrow-key and
^P history, and multi-line banner entry as IOS prompts for it."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator

import asyncssh
import pytest

from dmvpn_ops.intent.model import Design
from dmvpn_ops.lab.api import Lab

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def klab(design: Design) -> Iterator[Lab]:
    with Lab(design, ports="free") as running:
        yield running


def converse(lab: Lab, design: Design, host: str, steps: list[tuple[str, str]]) -> list[str]:
    """Type each input (no newline added) and collect the output up to the expected text."""
    spec = design.hosts[host]
    assert spec.password is not None

    async def go() -> list[str]:
        async with asyncssh.connect("127.0.0.1", port=lab.port(host), username=spec.username,
                                    password=spec.password.reveal(), known_hosts=None) as conn:  # type: ignore[union-attr]
            proc = await conn.create_process(term_type="vt100")
            await asyncio.wait_for(proc.stdout.readuntil(f"{host}#"), 10)
            out = []
            for typed, until in steps:
                proc.stdin.write(typed)
                out.append(await asyncio.wait_for(proc.stdout.readuntil(until), 10) if until else "")
            proc.close()
            return out
    return asyncio.run(go())


def test_question_mark_lists_what_may_follow(klab: Lab, design: Design) -> None:
    out = converse(klab, design, "hub1", [("show ip ?", "hub1#show ip "), ("\x15", "")])[0]
    lines = out.replace("\r\n", "\n").split("\n")
    assert lines[0] == "show ip ?"
    assert "  nhrp" in lines and "  route" in lines and "  interface" in lines


def test_question_mark_after_a_partial_word_and_cr(klab: Lab, design: Design) -> None:
    out = converse(klab, design, "hub1", [("sh?", "hub1#sh"), ("\b\bshow clock ?", "hub1#show clock ")])
    assert "show  " in out[0]
    assert "  detail" in out[1] and "  <cr>" in out[1]


def test_question_mark_marks_an_invalid_word(klab: Lab, design: Design) -> None:
    out = converse(klab, design, "hub1", [("show bogus ?", "hub1#show bogus ")])[0]
    assert "% Invalid input detected at '^' marker." in out
    caret = next(ln for ln in out.replace("\r\n", "\n").split("\n") if ln.strip() == "^")
    assert caret.index("^") == len("hub1#show ")


def test_tab_completes_a_unique_keyword(klab: Lab, design: Design) -> None:
    out = converse(klab, design, "hub1", [("sh\t", "show "), ("privi\t", "privilege "),
                                          ("\r", "hub1#")])
    assert out[0].endswith("show ") and out[1].endswith("privilege ")
    assert "Current privilege level is 15" in out[2]


def test_up_arrow_and_ctrl_p_recall_history(klab: Lab, design: Design) -> None:
    out = converse(klab, design, "hub1", [("show privilege\r", "hub1#"), ("show clock\r", "hub1#"),
                                          ("\x1b[A", "show clock"), ("\x10", "show privilege"),
                                          ("\r", "hub1#")])
    assert "Current privilege level is 15" in out[-1]
    assert "\b \b" * len("show clock") in out[3]


def test_config_mode_help_and_multiline_banner(klab: Lab, design: Design) -> None:
    out = converse(klab, design, "spoke1", [("configure terminal\r", "spoke1(config)#"),
                                            ("interface Tunnel100\r", "spoke1(config-if)#"),
                                            ("ip nhrp ?", "spoke1(config-if)#ip nhrp "), ("\x15", ""),
                                            ("\rexit\r", "spoke1(config)#"),
                                            ("banner motd #\r", "End with the character '#'."),
                                            ("first line\rsecond line\r#\r", "spoke1(config)#"),
                                            ("end\r", "spoke1#")])
    assert "  network-id" in out[2] and "  nhs" in out[2]
    assert klab.run("spoke1", "show banner motd").strip() == "first line\nsecond line"


def test_interface_number_help_names_the_range(klab: Lab, design: Design) -> None:
    """`interface Tunnel ?` prints the number IOS takes (real capture: `<0-2147483647>  Tunnel interface
    number`); `interface Tunnel` alone is incomplete, an out-of-range number is marked."""
    out = converse(klab, design, "spoke1", [("configure terminal\r", "spoke1(config)#"),
                                            ("interface Tunnel ?", "spoke1(config)#interface Tunnel "),
                                            ("\x15", ""), ("interface Tunnel\r", "spoke1(config)#"),
                                            ("interface Tunnel 2147483648\r", "spoke1(config)#"),
                                            ("end\r", "spoke1#")])
    assert "  <0-2147483647>  Tunnel interface number" in out[1]
    assert "% Incomplete command." in out[3]
    assert "% Invalid input detected at '^' marker." in out[4]
    caret = next(line for line in out[4].splitlines() if line.strip() == "^")
    assert caret.index("^") == len("spoke1(config)#interface Tunnel ")
