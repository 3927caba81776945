"""Safe writes: a build that fails half-way leaves every file as it was; no file is ever torn.

`compiler.io.write.apply_changes` stages every new content in a temporary file beside its target, then renames
each over its target, keeping the originals aside until every target is done. These tests break it at every
step (staging the k-th file, renaming after n files, removing an orphan, an interrupt) on a repository where
an SSOT edit makes many files change, and compare each file with its state before and with a reference
build on a second copy. tests/test_write_through.py covers what a write keeps (links, owner, line endings)
and a file saved while the build runs; tests/test_kill_build.py kills real builds.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, Result, copy_repository, edit, identities, snapshot

from compiler.app import cli
from compiler.artifacts.block_syntax import block_syntax
from compiler.formats.blocks import find_blocks
from compiler.io import write as fsio

README = "envs/README.md"


def ssot_cli(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def rename_staging(root: Path) -> None:
    """An SSOT edit that makes files change (updated), appear (created) and go (removed)."""
    edit(root / "ssot/env.yaml", "\n  staging:\n", "\n  stage:\n")
    edit(root / "ssot/env.yaml", "env_prefix: x-staging ", "env_prefix: y-stage   ")


@pytest.fixture
def drifted(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes], list[str]]:
    """(root, files before, files after a successful build, what that build printed) for `rename_staging`."""
    reference, root = tmp_path / "reference", tmp_path / "work"
    reference.mkdir()
    root.mkdir()
    copy_repository(reference)
    rename_staging(reference)
    result = ssot_cli("build", "--root", str(reference))
    assert result.code == 0, result
    changes = result.stdout.splitlines()
    assert sum(c.startswith(("updated", "created")) for c in changes) >= 8, result
    assert any(c.startswith("created") for c in changes) and any(c.startswith("removed") for c in changes), result

    copy_repository(root)
    rename_staging(root)
    return root, snapshot(root), snapshot(reference), changes


def assert_each_file_wholly_old_or_new(root: Path, before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Every file is as before or as after (present or absent alike); returns the paths already new."""
    now = snapshot(root)
    new = set()
    for path in sorted(before.keys() | after.keys() | now.keys()):
        state = now.get(path)
        assert state in (before.get(path), after.get(path)), f"{path} is neither old nor new"
        if before.get(path) != after.get(path) and state == after.get(path):
            new.add(path)
    return new


def leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


def fail_on_call(number: int, real: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    """`real`, except that its `number`-th call (1-based) raises `error` instead; later calls work again."""
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(*args, **kwargs)

    return wrapper


def disk_full() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def finish_and_check(root: Path, after: dict[str, bytes]) -> None:
    """A following normal build completes what the failed one left, and the check is clean."""
    rebuilt = ssot_cli("build", "--root", str(root))
    assert rebuilt.code == 0, rebuilt
    assert snapshot(root) == after
    checked = ssot_cli("check", "--root", str(root))
    assert checked.code == 0, checked


# -- a failure while renaming: the files already replaced get their originals back --


@pytest.mark.parametrize("after_renames", [0, 1, 3, 7])
def test_a_failed_rename_restores_the_files_already_replaced(
    drifted: tuple[Path, dict[str, bytes], dict[str, bytes], list[str]],
    monkeypatch: pytest.MonkeyPatch,
    after_renames: int,
) -> None:
    root, before, after, changes = drifted
    before_ids = identities(root)
    monkeypatch.setattr(fsio.os, "replace", fail_on_call(after_renames + 1, os.replace, disk_full()))

    result = ssot_cli("build", "--root", str(root))

    assert result.code == 2, result
    failed, message = result.stderr.rstrip("\n").split(": ", 1)
    assert message == "cannot write: No space left on device; nothing was changed", result
    assert failed in {change.split(" ", 1)[1] for change in changes}, result
    assert snapshot(root) == before
    assert identities(root) == before_ids, "the originals themselves are back (same inode: owner, links kept)"
    assert leftovers(root) == []
    finish_and_check(root, after)


# -- a failure while staging: nothing is changed at all --


@pytest.mark.parametrize("failing", [1, 2, 4, 7])
@pytest.mark.parametrize("where", ["creating the temporary file", "writing the temporary file"])
def test_a_failure_while_staging_changes_nothing(
    drifted: tuple[Path, dict[str, bytes], dict[str, bytes], list[str]],
    monkeypatch: pytest.MonkeyPatch,
    failing: int,
    where: str,
) -> None:
    root, before, after, _ = drifted
    if where == "creating the temporary file":
        monkeypatch.setattr(fsio, "_create_temporary", fail_on_call(failing, fsio._create_temporary, disk_full()))
    else:  # the temporary file exists and is half written: it must go too
        monkeypatch.setattr(fsio.os, "fsync", fail_on_call(failing, os.fsync, disk_full()))

    result = ssot_cli("build", "--root", str(root))

    assert result.code == 2, result
    assert "No space left on device" in result.stderr and "nothing was changed" in result.stderr, result
    assert "bug" not in result.stderr
    assert snapshot(root) == before
    assert leftovers(root) == []
    finish_and_check(root, after)


ORPHANS = ("envs/staging.tfvars.example", "docs/ssot/environments/staging.md")


@pytest.mark.parametrize("stuck", [ORPHANS[:1], ORPHANS[1:], ORPHANS], ids=["example", "page", "both"])
def test_an_orphan_that_cannot_be_removed_leaves_every_file_as_it_was(
    drifted: tuple[Path, dict[str, bytes], dict[str, bytes], list[str]],
    monkeypatch: pytest.MonkeyPatch,
    stuck: tuple[str, ...],
) -> None:
    root, before, after, changes = drifted
    assert {f"removed {orphan}" for orphan in ORPHANS} <= set(changes)
    real_rename = os.rename

    def rename(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(source).relative_to(root).as_posix() in stuck:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(source))
        real_rename(source, target)

    monkeypatch.setattr(fsio.os, "rename", rename)
    result = ssot_cli("build", "--root", str(root))
    monkeypatch.undo()

    assert result.code == 2, result
    # orphans go last, after every write: the first that cannot go stops the build, and all is restored
    assert result.stderr == f"{min(stuck)}: cannot write: Permission denied; nothing was changed\n", result
    assert snapshot(root) == before
    assert leftovers(root) == []
    finish_and_check(root, after)


# -- an exception that is not an I/O error (a bug, an interrupt): still no torn file, no temporary file --


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()], ids=["bug", "interrupt"])
@pytest.mark.parametrize("step", ["staging", "renaming"])
def test_any_exception_mid_build_leaves_every_file_as_it_was_and_no_temporary_file(
    drifted: tuple[Path, dict[str, bytes], dict[str, bytes], list[str]],
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    step: str,
) -> None:
    root, before, after, _ = drifted
    if step == "staging":
        monkeypatch.setattr(fsio.os, "fsync", fail_on_call(3, os.fsync, error))
    else:
        monkeypatch.setattr(fsio.os, "replace", fail_on_call(3, os.replace, error))

    try:
        result = ssot_cli("build", "--root", str(root))
    except KeyboardInterrupt:  # a front door that lets Ctrl-C through
        assert isinstance(error, KeyboardInterrupt)
    else:
        assert result.code == (130 if isinstance(error, KeyboardInterrupt) else 3), result

    assert snapshot(root) == before, "the two files already replaced got their originals back"
    assert leftovers(root) == []
    finish_and_check(root, after)


# -- modes --


def test_a_rewritten_file_keeps_its_mode(repo: Path) -> None:
    example, readme = repo / "envs/staging.tfvars.example", repo / README
    example.chmod(0o640)
    readme.chmod(0o600)
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging ", "env_prefix: y-staging ")

    result = ssot_cli("build", "--root", str(repo))

    assert result.code == 0, result
    assert f"updated {README}" in result.stdout and "updated envs/staging.tfvars.example" in result.stdout
    assert '"y-staging"' in example.read_text(encoding="utf-8")
    assert stat.S_IMODE(example.stat().st_mode) == 0o640
    assert stat.S_IMODE(readme.stat().st_mode) == 0o600


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    original = os.umask(0o022)
    os.umask(original)
    yield lambda mask: os.umask(mask) and None
    os.umask(original)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_mode_the_umask_gives(repo: Path, umask: Callable[[int], None], mask: int) -> None:
    (repo / "docs/ssot/env.md").unlink()
    edit(repo / "ssot/env.yaml", "\n  staging:\n", "\n  stage:\n")
    umask(mask)

    result = ssot_cli("build", "--root", str(repo))

    assert result.code == 0, result
    for created in ("docs/ssot/env.md", "envs/stage.tfvars.example", "docs/ssot/environments/stage.md"):
        assert f"created {created}" in result.stdout, result
        assert stat.S_IMODE((repo / created).stat().st_mode) == 0o666 & ~mask, created


# -- every byte outside the blocks is kept, in every host, with CRLF endings --


def outside_blocks(text: str, path: str) -> list[str]:
    """The text of `path` around its blocks' insides: everything a build must keep byte for byte."""
    lines = text.split("\n")
    kept, position = [], 0
    for block in find_blocks(text, path, block_syntax(path).blocks):
        kept.append("\n".join(lines[position : block.begin_line]))
        position = block.end_line - 1
    kept.append("\n".join(lines[position:]))
    return kept


HOSTS = ("envs/README.md", "docs/index.md", "README.md", "mkdocs.yml")


def test_every_block_host_keeps_its_bytes_outside_the_blocks_and_its_crlf_endings(repo: Path) -> None:
    for host in HOSTS:
        path = repo / host
        text = path.read_bytes().decode("utf-8")
        if host.endswith(".md"):  # hand-written oddities: a tab, trailing spaces, non-ASCII, no final newline
            text += "\n## Notes  \n\nKept\tas written: café, «quotes»   \nlast line"
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = {host: (repo / host).read_bytes().decode("utf-8") for host in HOSTS}
    rename_staging(repo)  # every block that lists environments changes

    result = ssot_cli("build", "--root", str(repo))

    assert result.code == 0, result
    for host in HOSTS:
        after = (repo / host).read_bytes().decode("utf-8")
        if host != "README.md":  # the top README's blocks hold nothing about environments
            assert f"updated {host}" in result.stdout, result
            assert after != before[host]
        assert after.count("\n") == after.count("\r\n"), f"{host}: a line lost its CR"
        assert outside_blocks(after, host) == outside_blocks(before[host], host), host
    assert ssot_cli("check", "--root", str(repo)).code == 0


# -- a link that cannot be resolved --


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_symlink_loop_is_trouble_naming_the_file_not_a_bug(repo: Path, command: str) -> None:
    page = repo / "docs/ssot/layers.md"
    page.unlink()
    page.symlink_to("layers.md")
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging ", "env_prefix: y-staging ")  # drift to write
    before = snapshot(repo)

    result = ssot_cli(command, "--root", str(repo))

    assert result.code == 2, result
    assert result.stderr == "docs/ssot/layers.md: is a symlink loop; remove the link\n", result
    assert snapshot(repo) == before, "nothing is written"
    assert page.is_symlink()


# -- one module writes: nothing else in the package touches the disk --

#: Calls that write, rename or delete (as `x.name(...)` or `name(...)`), anywhere but compiler/io/write.py.
WRITING_CALLS = frozenset(
    {
        "write_text", "write_bytes", "replace", "rename", "renames", "unlink", "remove", "removedirs", "rmdir",
        "rmtree", "move", "copy", "copy2", "copyfile", "copytree", "mkdir", "makedirs", "touch", "chmod",
        "symlink_to", "hardlink_to", "mkstemp", "NamedTemporaryFile", "truncate", "link", "chown", "fchown",
    }
)  # fmt: skip
#: Names that are also everyday methods (`str.replace`, `list.remove`, `dict.copy`): they only count when
#: called on the os or shutil module. (`Path.replace` and `Path.rename` then go unseen; `rename` does not.)
_AMBIGUOUS = frozenset({"replace", "remove", "copy", "move", "truncate", "link"})


def writes_in(source: str) -> list[tuple[int, str]]:
    """(line, call) for every call in `source` that may write: the calls above, and `open` for writing."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        owner = function.value if isinstance(function, ast.Attribute) else None
        if name in _AMBIGUOUS and not (isinstance(owner, ast.Name) and owner.id in ("os", "shutil")):
            continue
        if name in WRITING_CALLS:
            found.append((node.lineno, ast.unparse(function)))
        elif name in ("open", "fdopen") and _opens_for_writing(node):
            found.append((node.lineno, ast.unparse(node)))
    return found


_WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}


def _opens_for_writing(call: ast.Call) -> bool:
    function = call.func
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id == "os":
        # `os.open(path, flags)`: writing if a flag says so; never when the path is os.devnull
        flags = (
            {node.attr for node in ast.walk(call.args[1]) if isinstance(node, ast.Attribute)}
            if call.args[1:]
            else set()
        )
        return bool(flags & _WRITE_FLAGS) and ast.unparse(call.args[0]) != "os.devnull"
    # `open(path, mode)` or `path.open(mode)`: the mode is the first positional argument after the path
    mode_arguments = call.args[1:2] if isinstance(call.func, ast.Name) else call.args[:1]
    modes = [*mode_arguments, *(k.value for k in call.keywords if k.arg == "mode")]
    for mode in modes:
        if not isinstance(mode, ast.Constant) or not isinstance(mode.value, str):
            return True  # a mode computed at run time may be anything
        if set(mode.value) & set("wax+"):
            return True
    return False


def test_the_writes_finder_finds_writes() -> None:
    source = (
        "import os\nos.replace(a, b)\np.write_text('x')\nopen(p, 'w')\np.open(mode='a')\nshutil.rmtree(d)\n"
        "text.replace('a', 'b')\nopen(p)\nopen(p, 'rb')\np.open(encoding='utf-8')\nfiles.remove(f)\nos.remove(p)\n"
        "os.open(p, os.O_RDONLY | os.O_NONBLOCK)\nos.open(p, os.O_WRONLY | os.O_CREAT)\nos.open(os.devnull, os.O_WRONLY)\n"
        "os.link(a, b)\nos.fchown(fd, 0, 0)\n"
    )
    assert [line for line, _ in writes_in(source)] == [2, 3, 4, 5, 6, 12, 14, 16, 17]


def test_only_the_io_write_module_writes_files() -> None:
    package = REPO_ROOT / "compiler"
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{line}: {call}"
        for path in sorted(package.rglob("*.py"))
        # compiler/io/memo.py writes ssot's own cache, in the user's cache directory, and nothing else: every
        # test that compares a repository before and after a check proves it writes nothing there;
        # compiler/io/scratch.py writes in a private temporary folder of the site's (tests/test_plugin*.py)
        if path not in (package / "io" / "write.py", package / "io" / "memo.py", package / "io" / "scratch.py")
        for line, call in writes_in(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "write through compiler.io.write.apply_changes instead:\n" + "\n".join(offenders)
