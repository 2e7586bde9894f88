"""Config files: show running/startup, write/copy, flash: (dir, more, delete), archive, configure replace."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from dmvpn_ops.lab import config
from dmvpn_ops.lab.grammar import Match
from dmvpn_ops.lab.router import load_text

if TYPE_CHECKING:
    from dmvpn_ops.lab.session import Reply, Session

FLASH_TOTAL = 7897792512
NVRAM_TOTAL = 33554432


def _reply(text: str = "", close: bool = False) -> Reply:
    from dmvpn_ops.lab.session import Reply
    return Reply(text, close)


def running(s: Session, m: Match) -> Reply:
    r = s.router
    if "interface" in m.tokens:
        name = m.tokens[-1]
        line = config.find(r.running, ("interface", name))
        if line is None:
            return _reply("                                        ^\n% Invalid input detected at '^' marker.\n")
        body = "!\n" + "\n".join(config.render([line])[:-1]) + "\nend\n"
        return _reply(f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n{body}")
    return _reply(r.running_config())


def startup(s: Session, m: Match) -> Reply:
    text = s.router.startup
    return _reply(f"Using {len(text)} out of {NVRAM_TOTAL} bytes\n{text}")


def _building() -> str:
    return "Building configuration...\n[OK]"


def write(s: Session, m: Match) -> Reply:
    s.router.save()
    if _archive_path(s) and config.find(_archive_block(s), ("write-memory",)):
        _archive(s)
    return _reply(_building())


def save(s: Session, m: Match) -> Reply:
    def done(answer: str) -> Reply:
        s.router.save()
        return _reply(_building())
    return s.ask("Destination filename [startup-config]? ", done)


def copy_file(s: Session, m: Match) -> Reply:
    target = m.tokens[-1]

    def done(answer: str) -> Reply:
        name = _qualify(answer.strip()) if answer.strip() else target
        text = s.router.running_config(full=True).split("\n", 3)[3]
        s.router.flash[name] = (text, s.router.clock.now())
        return _reply(_copied(len(text)))
    return s.ask(f"Destination filename [{target.split(':', 1)[1]}]? ", done)


def _qualify(name: str) -> str:
    return name if ":" in name else f"flash:{name}"


def _copied(size: int) -> str:
    return f"{size} bytes copied in 0.{size % 900 + 100:03d} secs ({size * 7} bytes/sec)"


def copy_startup(s: Session, m: Match) -> Reply:
    def done(answer: str) -> Reply:
        load_text(s.router.running, s.router.startup)
        s.router.changed(s.user)
        s.core.config_changed(s.router.name, now=True)
        return _reply(_copied(len(s.router.startup)))
    return s.ask("Destination filename [running-config]? ", done)


def copy_in(s: Session, m: Match) -> Reply:
    name, dest = m.tokens[1], m.tokens[2]
    if name not in s.router.flash:
        return _reply(f"%Error opening {name} (No such file or directory)")
    text = s.router.flash[name][0]

    def done(answer: str) -> Reply:
        if dest == "startup-config":
            s.router.startup = text
        else:
            load_text(s.router.running, text)
            s.router.changed(s.user)
            s.core.config_changed(s.router.name, now=True)
        return _reply(_copied(len(text)))
    return s.ask(f"Destination filename [{dest}]? ", done)


def dir(s: Session, m: Match) -> Reply:
    rows = ["Directory of flash:/", ""]
    used = 0
    for i, (name, (text, when)) in enumerate(sorted(s.router.flash.items()), start=11):
        stamp = time.strftime("%b %d %Y %H:%M:%S", time.gmtime(when))
        rows.append(f"{i:>6}  -rw-{len(text):>17}  {stamp} +00:00  {name.split(':', 1)[1]}")
        used += len(text)
    free = FLASH_TOTAL - 1414311936 - used
    rows += ["", f"{FLASH_TOTAL} bytes total ({free} bytes free)"]
    return _reply("\n".join(rows))


def more(s: Session, m: Match) -> Reply:
    name = m.tokens[-1]
    if name not in s.router.flash:
        return _reply(f"%Error opening {name} (No such file or directory)")
    return _reply(s.router.flash[name][0])


def delete(s: Session, m: Match) -> Reply:
    name = m.tokens[-1]
    if name not in s.router.flash:
        return _reply(f"%Error deleting {name} (No such file or directory)")

    def done(answer: str) -> Reply:
        s.router.flash.pop(name, None)
        return _reply()
    if "/force" in m.tokens:
        return done("")
    return s.ask(f"Delete filename [{name.split(':', 1)[1]}]? ", lambda a: s.ask(
        f"Delete {name}? [confirm]", done))


def replace(s: Session, m: Match) -> Reply:
    name = m.tokens[2]
    if name not in s.router.flash:
        return _reply(f"%Error opening {name} (No such file or directory)\n"
                      "Rollback aborted: The specified target configuration file could not be read")

    def done(answer: str) -> Reply:
        if answer.strip().lower() not in ("y", "yes"):
            return _reply()
        s.router.replace(s.router.flash[name][0])
        return _reply("Total number of passes: 1\nRollback Done\n")
    if "force" in m.tokens:
        return done("y")
    return s.ask(_REPLACE_WARNING, done)


_REPLACE_WARNING = ("This will apply all necessary additions and deletions\n"
                    "to replace the current running configuration with the\n"
                    "contents of the specified configuration file, which is\n"
                    "assumed to be a complete configuration, not a partial\n"
                    "configuration. Enter Y if you are sure you want to proceed. ? [no]: ")


def _archive_block(s: Session) -> list[config.Line]:
    line = config.find(s.router.running, ("archive",))
    return line.children if line else []


def _archive_path(s: Session) -> str | None:
    path = next((ln for ln in _archive_block(s) if ln.key == ("path",)), None)
    return path.text.split()[1] if path else None


def _archive(s: Session) -> str:
    base = _archive_path(s)
    name = f"{base}-{len(s.router.archives) + 1}"
    s.router.archives.append(name)
    s.router.flash[name] = (s.router.running_config(full=True).split("\n", 3)[3], s.router.clock.now())
    return name


def archive_config(s: Session, m: Match) -> Reply:
    if not _archive_path(s):
        return _reply("% Archive path has not been specified.")
    _archive(s)
    return _reply()


def show_archive(s: Session, m: Match) -> Reply:
    base = _archive_path(s)
    nxt = f"{base}-{len(s.router.archives) + 1}" if base else "Archive path not specified"
    rows = ["The maximum archive configurations allowed is 10.",
            f"The next archive file will be named {nxt}", " Archive #  Name"]
    recent = s.router.archives[-10:]
    for i in range(10):
        name = recent[i] if i < len(recent) else ""
        mark = " <- Most Recent" if name and i == len(recent) - 1 else ""
        rows.append(f"   {i + 1:<9}{name}{mark}".rstrip() if name else f"   {i + 1}")
    return _reply("\n".join(rows))
