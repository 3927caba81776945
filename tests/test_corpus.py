"""The bad-input corpus: every case in tests/corpus/ run through the CLI's `main(argv)` by one parametrised test.

A case is a directory `tests/corpus/NNN-slug/` holding `case.toml` and the files that replace, or join,
the files of a copy of the repository (same relative paths: `ssot/env.yaml`, `envs/staging.tfvars`, ...).
Files are copied byte for byte (`.gitattributes` keeps git from converting them).

`case.toml` says what must happen:

    about   = "what is wrong, in words"
    command = "build" | "check" | "both" | "init"   # init: with remove = ["ssot/env.yaml"]
    exit    = 2                     # the documented exit code (1: findings, 2: trouble); never 0 or 3
    message = "a fragment of the output"
    file    = "ssot/env.yaml"       # the file the output must name ...
    line    = 12                    # ... at this line (optional): `file:12` appears in the output

and, for what a file cannot say:

    remove   = ["ssot/env.yaml"]    # deleted from the copy before the case's files are added
    outside  = ["envs"]             # moved out of the copy (beside it), a symlink to it left in its place
    symlink  = { "a/b.md" = "c.md" }  # symlinks created as written (target taken literally)
    readonly = ["docs/ssot"]        # made read-only (a directory: nothing can be created in it)
    fifo     = ["envs/staging.tfvars"]  # FIFOs (named pipes) created there, replacing any file (never opened)
    hidden   = ["Tr0ub4dor..."]     # text that must never appear in the output (a secret's value)
    absent   = ["PWNED"]            # paths (relative to the copy) that must not exist afterwards
    xfail    = "why"                # a known bug: the case must fail (strict), until the fix removes this
    memory_cap = true               # the case is about size: run it in a subprocess capped at 1 GiB

    [repeat."ssot/env.yaml"]        # grow a file: `marker` in it becomes `text` repeated `times` times
                                    # (also spells out a secret this repository must not hold as written)
    marker = "@@PAD@@"
    text = "# padding\\n"
    times = 100_000

For every case: the exit code is the documented one, the message and the file (and line) are in the
output, there is no traceback and no exit 3, and nothing on disk changed: not one byte, mode, link or
file, inside the copy or in what `outside` moved beside it.

Where each case runs. In this process (`run_cli`: `main(argv)`, streams captured, no interpreter
start-up), except for what only a separate process can do:

- a case about size (it says `memory_cap = true`, which a `repeat` of 16 KiB or more implies: the big
  file, the huge list, the alias bomb, the recursive alias) runs as `python -m compiler` capped at 1 GiB
  of address space, so an input that makes the compiler swallow memory fails here instead of taking the
  test run (or a CI runner) down with it;
- a case with a `fifo` runs as a subprocess too, so that a read that blocks on it fails the case (at the
  subprocess's timeout) instead of hanging the test run;
- a `readonly` case, when the tests run as root: root ignores permissions, so the run is a subprocess
  that first gives up the capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), and the
  case is skipped where it cannot. As any other user, permissions hold in this process too.

In this process, whatever reached the real stdout or stderr past `main`'s streams is checked too:
nothing may, so a secret cannot leak through a side door the captured streams do not see.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli

from compiler.io import memo

pytestmark = pytest.mark.long  # started first (conftest.py)

CORPUS = Path(__file__).parent / "corpus"
CASE_FILE = "case.toml"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())
MIN_CASES = 60
#: What a run may use: far more than any real input needs, far less than a machine has.
MEMORY_LIMIT = 1 << 30
#: A `repeat` that adds this much makes a case one about size (memory-capped); a shorter one only spells
#: out a secret's shape, in this process (where whatever passes the CLI's streams is caught too).
SIZE_CASE = 16 * 1024
#: prctl(2) and capabilities(7): what a `readonly` case run by root gives up, so permissions hold for it.
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2

_KEYS = {
    "about", "command", "exit", "message", "file", "line", "remove", "outside", "symlink", "readonly",
    "hidden", "absent", "xfail", "repeat", "memory_cap", "fifo",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    directory: Path
    about: str
    commands: tuple[str, ...]
    exit: int
    message: str
    file: str
    line: int | None = None
    remove: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    symlink: dict[str, str] = field(default_factory=dict)
    readonly: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    xfail: str | None = None
    repeat: dict[str, dict[str, Any]] = field(default_factory=dict)
    memory_cap: bool = False
    fifo: tuple[str, ...] = ()

    @property
    def files(self) -> list[Path]:
        """The case's input files (everything but case.toml), relative to its directory."""
        found = (p for p in self.directory.rglob("*") if p.is_file() and p.name != CASE_FILE)
        return sorted(p.relative_to(self.directory) for p in found)


def load_case(directory: Path) -> Case:
    data = tomllib.loads((directory / CASE_FILE).read_text(encoding="utf-8"))
    unknown = set(data) - _KEYS
    assert not unknown, f"{directory.name}/{CASE_FILE}: unknown keys {sorted(unknown)}"
    command = data["command"]
    assert command in ("build", "check", "both", "init"), f"{directory.name}: command {command!r}"
    assert data["exit"] in (1, 2), f"{directory.name}: every case is an error case (exit 1 or 2)"
    assert data["exit"] == 2 or command == "check", f"{directory.name}: only check reports findings (exit 1)"
    return Case(
        directory=directory,
        about=data["about"],
        commands=("build", "check") if command == "both" else (command,),
        exit=data["exit"],
        message=data["message"],
        file=data["file"],
        line=data.get("line"),
        remove=tuple(data.get("remove", ())),
        outside=tuple(data.get("outside", ())),
        symlink=dict(data.get("symlink", {})),
        readonly=tuple(data.get("readonly", ())),
        hidden=tuple(data.get("hidden", ())),
        absent=tuple(data.get("absent", ())),
        xfail=data.get("xfail"),
        repeat=dict(data.get("repeat", {})),
        memory_cap=data.get("memory_cap", False)
        or any(_grows_by(spec) >= SIZE_CASE for spec in data.get("repeat", {}).values()),
        fifo=tuple(data.get("fifo", ())),
    )


def _grows_by(spec: dict[str, Any]) -> int:
    """How many bytes a `repeat` puts where its marker was."""
    return len(str(spec["text"]).encode("utf-8")) * int(spec["times"])


def apply_case(case: Case, root: Path, beside: Path) -> None:
    """Turn the copy at `root` into the case's broken repository (`beside`: a directory outside it)."""
    for relative in case.remove:
        target = root / relative
        shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
    for relative in case.files:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case.directory / relative, target)
    for relative, spec in case.repeat.items():
        path = root / relative
        data = path.read_bytes()
        marker = spec["marker"].encode("utf-8")
        assert data.count(marker) == 1, f"{case.directory.name}: {spec['marker']!r} must occur once in {relative}"
        path.write_bytes(data.replace(marker, spec["text"].encode("utf-8") * spec["times"]))
    for relative in case.outside:
        moved = beside / relative
        moved.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / relative, moved)
        (root / relative).symlink_to(moved, target_is_directory=moved.is_dir())
    for relative in case.fifo:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    for relative, target in case.symlink.items():
        link = root / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.is_file():
            link.unlink()
        link.symlink_to(target)


def disk_state(*roots: Path) -> dict[str, tuple[object, ...]]:
    """Every directory, file and symlink under `roots` (links not followed) -> its kind, mode and content."""
    state: dict[str, tuple[object, ...]] = {}
    for root in roots:
        for directory, subdirectories, files in os.walk(root):
            for name in [*subdirectories, *files]:
                path = Path(directory, name)
                status = path.lstat()
                key = path.as_posix()
                if stat.S_ISLNK(status.st_mode):
                    state[key] = ("symlink", os.readlink(path))
                elif stat.S_ISDIR(status.st_mode):
                    state[key] = ("directory", stat.S_IMODE(status.st_mode))
                elif not stat.S_ISREG(status.st_mode):  # a FIFO: reading it would block
                    state[key] = ("special", stat.S_IFMT(status.st_mode), stat.S_IMODE(status.st_mode))
                else:
                    state[key] = ("file", stat.S_IMODE(status.st_mode), path.read_bytes())
    return state


def cache_text(root: Path) -> str:
    """Everything the check cache holds for `root` (in the user's cache directory), as text."""
    cache = memo.location(root)
    return "".join(p.read_text(encoding="utf-8") for p in sorted(cache.rglob("*")) if p.is_file()) if cache else ""


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _limit_memory_and_obey_permissions() -> None:
    """Root ignores file permissions: drop the capabilities that let it (before exec, so for good)."""
    _limit_memory()
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _preexec(case: Case) -> Callable[[], None] | None:
    """What the case's run must do in its own process before the CLI starts; None: run it in this one."""
    if not (case.readonly and os.geteuid() == 0):
        return _limit_memory if case.memory_cap or case.fifo else None
    try:
        subprocess.run(["true"], preexec_fn=_limit_memory_and_obey_permissions, check=True)
    except (subprocess.SubprocessError, OSError):  # pragma: no cover - a container without CAP_SETPCAP
        pytest.skip("running as root, and cannot drop CAP_DAC_OVERRIDE: read-only means nothing to root")
    return _limit_memory_and_obey_permissions


@contextmanager
def read_only(root: Path, paths: tuple[str, ...]) -> Iterator[None]:
    """`paths` without write permission (a directory: nothing can be created or replaced in it)."""
    for relative in paths:
        path = root / relative
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
    try:
        yield
    finally:
        for relative in paths:
            path = root / relative
            path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o200)


def _marks(case_dir: Path) -> list[pytest.MarkDecorator]:
    reason = load_case(case_dir).xfail if (case_dir / CASE_FILE).is_file() else None
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.mark.parametrize("case_dir", [pytest.param(d, id=d.name, marks=_marks(d)) for d in CASES])
def test_bad_input_is_refused_cleanly(
    case_dir: Path,
    repo: Path,
    tmp_path_factory: pytest.TempPathFactory,
    run_cli: RunCli,
    capfd: pytest.CaptureFixture[str],
) -> None:
    case = load_case(case_dir)
    preexec = _preexec(case)
    beside = tmp_path_factory.mktemp("beside")
    apply_case(case, repo, beside)
    with read_only(repo, case.readonly):
        for command in case.commands:
            before = disk_state(repo, beside)
            result = run_cli(command, "--root", repo, cwd=repo, preexec_fn=preexec)
            context = f"{case.directory.name} ({case.about}): ssot {command}\n{result}"
            escaped = capfd.readouterr()
            assert escaped.out == escaped.err == "", f"written past the CLI's streams: {escaped}\n{context}"
            assert "Traceback" not in result.output, context
            assert result.code != 3, context
            assert result.code == case.exit, context
            assert case.message in result.output, context
            where = re.escape(case.file) + (f":{case.line}(?![0-9])" if case.line is not None else "")
            assert re.search(where, result.output), context
            for text in case.hidden:
                assert text not in result.output, context
                assert text not in cache_text(repo), f"the cache holds what the output must hide: {context}"
            for relative in case.absent:
                assert not (repo / relative).exists(), context
            assert disk_state(repo, beside) == before, f"a file changed on disk: {context}"


def test_the_corpus_has_enough_cases_and_each_says_what_must_happen() -> None:
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} cases in {CORPUS}, expected at least {MIN_CASES}"
    for directory in CASES:
        assert (directory / CASE_FILE).is_file(), f"{directory.name} has no {CASE_FILE}"
        case = load_case(directory)
        assert case.about and case.message and case.file, directory.name
        assert case.files or case.remove or case.outside or case.symlink or case.fifo, (
            f"{directory.name} changes nothing"
        )


def test_case_names_are_numbered_and_unique() -> None:
    numbers = [d.name.split("-", 1)[0] for d in CASES]
    assert all(n.isdigit() and len(n) == len(numbers[0]) for n in numbers), numbers
    assert len(set(numbers)) == len(numbers), "two cases share a number"
