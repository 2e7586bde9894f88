"""Config files: show running/startup, write/copy, flash: (dir, more, delete), archive, configure replace."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from dmvpn_ops.lab import banner, config
from dmvpn_ops.lab.grammar import Match
from dmvpn_ops.lab.router import current_configuration, load_text

if TYPE_CHECKING:
    from dmvpn_ops.lab.session import Reply, Session

FLASH_TOTAL = 7897792512
NVRAM_TOTAL = 33554432


def _reply(text: str = "", close: bool = False) -> Reply:
    from dmvpn_ops.lab.session import Reply
    return Reply(text, close)


def norm(path: str) -> str:
    """One name per file: `flash:/x`, `flash:x` and `bootflash:x` are the same file (CSR1000v/C8000v: flash: is
    an alias of bootflash:, and IOS ignores the slash after the device, Cisco IOS XE File System CR)."""
    dev, _, name = path.partition(":")
    dev = "flash" if dev.lower() in ("flash", "bootflash") else dev.lower()
    return f"{dev}:{name.lstrip('/')}"


def quiet(s: Session) -> bool:
    """`file prompt quiet`: copy/delete ask nothing (Cisco IOS Configuration Fundamentals CR: file prompt)."""
    return config.find(s.router.running, ("file", "prompt")) is not None and \
        config.find(s.router.running, ("file", "prompt")).text.split()[-1] == "quiet"  # type: ignore[union-attr]


def _ask(s: Session, question: str, done: Callable[[str], Reply]) -> Reply:
    """Ask unless `file prompt quiet`; quiet runs ``done`` with the default answer."""
    return done("") if quiet(s) else s.ask(question, done)


def running(s: Session, m: Match) -> Reply:
    r = s.router
    if "interface" in m.tokens:
        name = m.tokens[-1]
        line = config.find(r.running, ("interface", name))
        if line is None:
            return _reply("                                        ^\n% Invalid input detected at '^' marker.\n")
        body = "!\n" + "\n".join(config.render([line])[:-1]) + "\nend\n"
        return _reply(current_configuration(body))
    return _reply(r.running_config())


def startup(s: Session, m: Match) -> Reply:
    text = s.router.startup
    return _reply(f"Using {len(text)} out of {NVRAM_TOTAL} bytes\n{text}")


def _building() -> str:
    return "Building configuration...\n[OK]"


def write(s: Session, m: Match) -> Reply:
    s.router.save(s.user)
    if _archive_path(s) and config.find(_archive_block(s), ("write-memory",)):
        _archive(s)
    return _reply(_building())


def save(s: Session, m: Match) -> Reply:
    def done(answer: str) -> Reply:
        s.router.save(s.user)
        return _reply(_building())
    return s.ask("Destination filename [startup-config]? ", done)


def copy_file(s: Session, m: Match) -> Reply:
    target = norm(m.tokens[-1])

    def done(answer: str) -> Reply:
        name = norm(_qualify(answer.strip())) if answer.strip() else target
        text = s.router.running_config(full=True).split("\n", 3)[3]
        s.router.flash[name] = (text, s.router.clock.now())
        return _reply(_copied(len(text)))
    return _ask(s, f"Destination filename [{target.split(':', 1)[1]}]? ", done)


def copy_flash(s: Session, m: Match) -> Reply:
    """`copy SRC DST` between files; `copy null: FILE` empties it (what NAPALM's discard_config sends)."""
    src, dst = m.tokens[1], norm(m.tokens[2])
    if src != "null:" and norm(src) not in s.router.flash:
        return _reply(f"%Error opening {src} (No such file or directory)")
    text = "" if src == "null:" else s.router.flash[norm(src)][0]

    def done(answer: str) -> Reply:
        s.router.flash[dst] = (text, s.router.clock.now())
        return _reply(_copied(len(text)))
    return _ask(s, f"Destination filename [{dst.split(':', 1)[1]}]? ", done)


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
    return _ask(s, "Destination filename [running-config]? ", done)


def copy_in(s: Session, m: Match) -> Reply:
    name, dest = norm(m.tokens[1]), m.tokens[2]
    if name not in s.router.flash:
        return _reply(f"%Error opening {m.tokens[1]} (No such file or directory)")
    text = s.router.flash[name][0]

    def done(answer: str) -> Reply:
        if dest == "startup-config":
            s.router.startup = text
            return _reply(_copied(len(text)))
        rejected = load_text(s.router.running, text)
        s.router.changed(s.user)
        s.core.config_changed(s.router.name, now=True)
        # each line IOS refuses while merging is reported like a typed one, then the copy total
        errors = "".join(f"{line.strip()}\n^\n% Invalid input detected at '^' marker.\n\n" for line in rejected)
        return _reply(errors + _copied(len(text)))
    return _ask(s, f"Destination filename [{dest}]? ", done)


def size(text: str) -> int:
    return len(text.encode())


def _row(i: int, name: str, text: str, when: float) -> str:
    stamp = time.strftime("%b %d %Y %H:%M:%S", time.gmtime(when))
    return f"{i:>6}  -rw-{size(text):>17}  {stamp} +00:00  {name.split(':', 1)[1]}"


def free(s: Session) -> int:
    return FLASH_TOTAL - 1414311936 - sum(size(t) for t, _ in s.router.flash.values())


def dir(s: Session, m: Match) -> Reply:
    """`dir [flash:[/FILE]]` (real CSR1000v capture layout: inode, perms, size, date, name, then the totals)."""
    target = norm(m.tokens[-1]) if len(m.tokens) > 1 and m.tokens[0] == "dir" else "flash:"
    if target != "flash:" and not target.startswith("flash:"):
        return _reply(f"%Error opening {m.tokens[-1]} (No such device)")
    files = sorted(s.router.flash.items())
    if target != "flash:":
        files = [(n, v) for n, v in files if n == target]
        if not files:
            return _reply(f"%Error opening {m.tokens[-1]} (No such file or directory)")
    shown = "flash:/" + target.split(":", 1)[1]
    rows = [f"Directory of {shown}", ""]
    index = {n: i for i, n in enumerate(sorted(s.router.flash), start=11)}
    rows += [_row(index[name], name, text, when) for name, (text, when) in files]
    rows += ["", f"{FLASH_TOTAL} bytes total ({free(s)} bytes free)"]
    return _reply("\n".join(rows))


def more(s: Session, m: Match) -> Reply:
    name = norm(m.tokens[-1])
    if name not in s.router.flash:
        return _reply(f"%Error opening {m.tokens[-1]} (No such file or directory)")
    return _reply(s.router.flash[name][0])


def verify(s: Session, m: Match) -> Reply:
    """`verify /md5 FILE`: IOS prints a row of dots, Done!, then `verify /md5 (FILE) = <md5>`."""
    name = norm(m.tokens[-1])
    if name not in s.router.flash:
        return _reply(f"%Error opening {m.tokens[-1]} (No such file or directory)")
    digest = hashlib.md5(s.router.flash[name][0].encode()).hexdigest()  # IOS's own checksum
    return _reply(f"{'.' * 8}Done!\nverify /md5 ({m.tokens[-1]}) = {digest}")


def delete(s: Session, m: Match) -> Reply:
    name = norm(m.tokens[-1])
    if name not in s.router.flash:
        return _reply(f"%Error deleting {m.tokens[-1]} (No such file or directory)")

    def done(answer: str) -> Reply:
        s.router.flash.pop(name, None)
        return _reply()
    if "/force" in m.tokens or quiet(s):
        return done("")
    return s.ask(f"Delete filename [{name.split(':', 1)[1]}]? ", lambda a: s.ask(
        f"Delete {name}? [confirm]", done))


def file_systems(s: Session, m: Match) -> Reply:
    """`show file systems` (CSR1000v capture: Size/Free/Type/Flags/Prefixes, `*` on the default)."""
    rows = ["File Systems:", "", "       Size(b)       Free(b)      Type  Flags  Prefixes",
            f"*  {FLASH_TOTAL:>12}  {free(s):>12}      disk     rw   bootflash: flash:",
            f"   {NVRAM_TOTAL:>12}  {NVRAM_TOTAL - size(s.router.startup):>12}     nvram     rw   nvram:",
            "             -             -    opaque     rw   system:", "             -             -    opaque     rw   null:",
            "             -             -   network     rw   tftp:", "             -             -   network     rw   scp:",
            "             -             -   network     rw   ftp:"]
    return _reply("\n".join(rows))


def show_boot(s: Session, m: Match) -> Reply:
    """`show boot` on IOS-XE: the BOOT variable and the configuration register."""
    return _reply("BOOT variable = bootflash:packages.conf,12;\nCONFIG_FILE variable does not exist\n"
                  "BOOTLDR variable does not exist\nConfiguration register is 0x2102\n\n"
                  "Standby not ready to show bootvar")


def banner_motd(s: Session, m: Match) -> Reply:
    """`show banner motd`: the banner text, without its delimiters (nothing when none is set)."""
    line = config.find(s.router.running, ("banner", "motd"))
    if line is None:
        return _reply("")
    return _reply(banner.text_of(line.text).strip("\n"))


def replace(s: Session, m: Match) -> Reply:
    """`configure replace FILE [force] [revert trigger [error] [timer N] | time N]` (Cisco IOS XE Configuration
    Replace and Rollback guide): `revert trigger error` goes back to the old config if a line fails, a timer
    arms the confirmed-commit timer as `configure terminal revert timer` does (archive required)."""
    name = norm(m.tokens[2])
    if name not in s.router.flash:
        return _reply(f"%Error opening {m.tokens[2]} (No such file or directory)\n"
                      "Rollback aborted: The specified target configuration file could not be read")
    timed = "timer" in m.tokens or "time" in m.tokens
    if timed and not _archive_path(s):
        return _reply("%Please turn config archive on")

    def done(answer: str) -> Reply:
        if answer.strip().lower() not in ("y", "yes"):
            return _reply()
        return _apply_replace(s, s.router.flash[name][0], m)
    if "force" in m.tokens:
        return done("y")
    return s.ask(_REPLACE_WARNING, done)


def _apply_replace(s: Session, text: str, m: Match) -> Reply:
    from dmvpn_ops.lab.router import Revert
    before = config.copy_tree(s.router.running)
    s.router.replace(text)
    trial: list[config.Line] = []
    if "error" in m.tokens and load_text(trial, text):
        s.router.running = before
        s.router.changed(s.user)
        s.router.on_change(s.router.name)
        return _reply("Total number of passes: 1\nRollback Done\n\n"
                      "The original configuration has been successfully restored.")
    if "timer" in m.tokens or "time" in m.tokens:
        now = s.router.clock.now()
        s.router.revert = Revert(before, now + 60 * int(m.tokens[-1]), now, s.user)
    return _reply("Total number of passes: 1\nRollback Done\n")


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


def archive_path(s: Session) -> str | None:
    """The archive `path` of the running config, None without one (also gates the revert timer)."""
    return _archive_path(s)


def _archive(s: Session) -> str:
    base = _archive_path(s)
    name = f"{base}-{len(s.router.archives) + 1}"
    s.router.archives.append(name)
    s.router.flash[norm(name)] = (s.router.running_config(full=True).split("\n", 3)[3], s.router.clock.now())
    return name


def archive_config(s: Session, m: Match) -> Reply:
    if not _archive_path(s):
        return _reply("% Archive path has not been specified.")
    _archive(s)
    return _reply()


def show_archive(s: Session, m: Match) -> Reply:
    if config.find(s.router.running, ("archive",)) is None:   # real capture (no `archive` block): this line only
        return _reply(" Archive feature not enabled")
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


def _config_text(s: Session, token: str) -> str | None:
    """The text behind a config URL of `show archive config ...`: running, startup, or a file."""
    if token.startswith("system:"):
        return "\n".join(config.render(s.router.running))
    if norm(token) in ("nvram:startup-config",):
        return s.router.startup
    entry = s.router.flash.get(norm(token))
    return entry[0] if entry else None


def _tree(text: str) -> list[config.Line]:
    tree: list[config.Line] = []
    load_text(tree, text)
    return tree


def _missing(have: list[config.Line], want: list[config.Line], sign: str, depth: int = 0) -> list[str]:
    """Lines of ``want`` that ``have`` lacks, each under its parent (IOS's contextual diff: the parent
    line printed plain, the changed child with its sign after the indentation)."""
    out: list[str] = []
    pad = " " * depth
    for line in want:
        if line.text.startswith("!"):
            continue
        twin = next((h for h in have if h.text == line.text), None)
        if twin is None:
            out.append(f"{pad}{sign}{line.text}")
            out += [f"{pad} {sign}{c}" for c in _body(line.children)]
        elif line.children:
            inner = _missing(twin.children, line.children, sign, depth + 1)
            if inner:
                out += [f"{pad}{line.text}", *inner]
    return out


def _body(lines: list[config.Line], depth: int = 0) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.append(" " * depth + line.text)
        out += _body(line.children, depth + 1)
    return out


def differences(s: Session, m: Match) -> Reply:
    """`show archive config differences [A [B]]` (Cisco Configuration Replace and Rollback guide: the
    `!Contextual Config Diffs:` list, `+` lines B has and A lacks, `-` lines only A has)."""
    urls = [t for t in m.tokens[4:] if t != "ignorecase"]
    first = urls[0] if urls else "nvram:startup-config"
    second = urls[1] if len(urls) > 1 else "system:running-config"
    texts = [_config_text(s, u) for u in (first, second)]
    for url, text in zip((first, second), texts):
        if text is None:
            return _reply(f"%Error opening {url} (No such file or directory)")
    a, b = _tree(texts[0] or ""), _tree(texts[1] or "")
    diff = _missing(a, b, "+") + _missing(b, a, "-")
    return _reply("!Contextual Config Diffs:\n" + ("\n".join(diff) if diff else "!No changes were found"))


def incremental(s: Session, m: Match) -> Reply:
    """`show archive config incremental-diffs FILE`: the commands of FILE the running config does not have
    yet (`!List of Commands:` ... `end`, `!No changes were found` when none; same guide)."""
    text = _config_text(s, m.tokens[4])
    if text is None:
        return _reply(f"%Error opening {m.tokens[4]} (No such file or directory)")
    lines = [ln.lstrip("+") if not ln.startswith(" ") else ln.replace("+", "", 1)
             for ln in _missing(config.as_shown(s.router.running), _tree(text), "+")]
    tail = "end" if lines else "end\n!No changes were found"
    return _reply("!List of Commands:\n" + "".join(f"{ln}\n" for ln in lines) + tail)
