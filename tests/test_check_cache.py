"""`ssot check` answered from its record (compiler/app/cached.py): the same answer as a fresh check, always.

Each test checks a repository (recording), changes one thing a check looks at, and checks again: the
answer must be the fresh one (a check with the cache off), and a second run with nothing changed must be
answered from the record without compiling anything. Records live in the user's cache directory
(compiler/io/memo.py; XDG_CACHE_HOME is a folder of the test session, tests/conftest.py); what a hostile
one holds, who reads, and where the repository's folders lead are in tests/test_check_cache_hostile.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, run_main, snapshot

from compiler.io import memo

GIT = shutil.which("git")


def check(root: Path, *extra: str) -> Result:
    return run_main(["check", "--root", str(root), *extra], root)


def fresh(root: Path, *extra: str) -> Result:
    return run_main(["check", "--no-cache", "--root", str(root), *extra], root)


def test_an_unchanged_repository_is_answered_from_the_record(repo: Path, runs: list[list[str]]) -> None:
    first = check(repo)
    assert first.code == 0, first
    assert len(runs) == 1
    before = snapshot(repo)
    again = check(repo)
    assert (again.code, again.stdout, again.stderr) == (first.code, first.stdout, first.stderr)
    assert len(runs) == 1, "the second check compiled again"
    assert snapshot(repo) == before and not (repo / ".ssot-cache").exists(), "the cache wrote in the repository"
    folder = memo.location(repo)
    assert folder is not None and folder.is_relative_to(os.environ["XDG_CACHE_HOME"])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert [stat.S_IMODE(record.stat().st_mode) for record in folder.iterdir()] == [0o600]


def test_drift_is_replayed_with_its_exit_code_and_every_line(repo: Path, runs: list[list[str]]) -> None:
    page = repo / "docs/ssot/layers.md"
    page.write_text(page.read_text(encoding="utf-8").replace("|", "¦", 3), encoding="utf-8")
    for output_format in ("text", "json", "github"):
        first = check(repo, "--format", output_format)
        again = check(repo, "--format", output_format)
        assert first.code == again.code == 1
        assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    assert len(runs) == 3, "each format is recorded once, then answered from its record"


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _write(path: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")

    return change


def _append(path: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with (root / path).open("a", encoding="utf-8") as file:
            file.write(text)

    return change


def _remove(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


def _link(path: str, target: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / path).unlink()
        (root / path).symlink_to(target)

    return change


CHANGES = {
    "a comment in the SSOT": _edit("ssot/env.yaml", "\n", "\n# a new comment\n"),
    "a fact in the SSOT": _edit("ssot/env.yaml", "staging", "stagin"),
    "a broken SSOT": _append("ssot/env.yaml", "\nunclosed: [\n"),
    "a generated page edited": _edit("docs/ssot/layers.md", "|", "¦"),
    "a generated page removed": _remove("docs/ssot/layers.md"),
    "a block host's block edited": _edit("envs/README.md", "| ", "|  x "),
    "a tfvars example edited": _edit("envs/staging.tfvars.example", "=", "= 1 +"),
    "a real tfvars file appears": _write("envs/staging.tfvars", 'environment = "prod"\n'),
    "an orphaned page appears": _write("docs/ssot/environments/qa.md", "# qa\n"),
    "a stale temporary file appears": _write("docs/ssot/.layers.md.abcd1234.tmp", "half a page"),
    "a generated page becomes a link": _link("docs/ssot/layers.md", "variables.md"),
    "a new page with markers": _write("docs/more.md", "<!-- ssot:begin layers -->\n<!-- ssot:end layers -->\n"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_is_seen_as_a_fresh_check_sees_it(
    repo: Path, runs: list[list[str]], change: Callable[[Path], None]
) -> None:
    assert check(repo).code == 0
    change(repo)
    answer = check(repo)
    assert len(runs) == 2, "the check after the change was answered from the stale record"
    expected = fresh(repo)
    assert (answer.code, answer.stdout, answer.stderr) == (expected.code, expected.stdout, expected.stderr)


def test_a_terraform_file_the_check_read_is_looked_at_again(tmp_path: Path, runs: list[list[str]]) -> None:
    root = tmp_path / "repo"
    shutil.copytree(Path(__file__).parent / "fixtures/terragrunt", root, symlinks=True)
    first = check(root)
    variables = min(root.rglob("variables.tf"))
    variables.write_text(variables.read_text(encoding="utf-8") + '\nvariable "surprise" {\n  type = string\n}\n')
    answer = check(root)
    assert len(runs) == 2
    assert answer.stdout != first.stdout or answer.code != first.code
    assert (answer.code, answer.stdout) == (fresh(root).code, fresh(root).stdout)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_git_is_asked_again(repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a real tfvars file to git's index changes nothing on disk outside .git: the answer changes."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(repo / "no-gitconfig"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.parent))
    (repo / ".gitignore").write_text("*.tfvars\n", encoding="utf-8")
    (repo / "envs/staging.tfvars").write_text('environment = "staging"\n', encoding="utf-8")
    subprocess.run([GIT, "init", "-q"], cwd=repo, check=True)
    before = check(repo, "--format", "json")
    subprocess.run([GIT, "add", "-f", "envs/staging.tfvars"], cwd=repo, check=True)
    after = check(repo, "--format", "json")
    assert len(runs) == 2
    assert '"tfvars-tracked"' not in before.stdout and '"tfvars-tracked"' in after.stdout
    assert not (repo / ".ssot-cache").exists()


def test_another_tool_version_does_not_reuse_a_record(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    check(repo)
    monkeypatch.setattr(memo, "tool_fingerprint", lambda: "another version")
    check(repo)
    assert len(runs) == 2


@pytest.mark.parametrize("how", ["--no-cache", "SSOT_NO_CACHE=1"])
def test_the_cache_can_be_switched_off(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    before = snapshot(repo)
    extra = []
    if how.startswith("--"):
        extra.append(how)
    else:
        monkeypatch.setenv(*how.split("="))
    for _ in range(2):
        assert check(repo, *extra).code == 0
    assert len(runs) == 2
    assert snapshot(repo) == before and memo.location(repo) is not None
    assert not memo.location(repo).exists(), "a check without cache wrote a record"


def test_trouble_is_never_replayed(repo: Path, runs: list[list[str]]) -> None:
    _append("ssot/env.yaml", "\nunclosed: [\n")(repo)
    assert check(repo).code == 2
    assert check(repo).code == 2
    assert len(runs) == 2
    assert not list(memo.location(repo).glob("check-*")), "an answer of trouble was kept"  # type: ignore[union-attr]


def test_a_read_only_checkout_is_answered_from_its_record(repo: Path, runs: list[list[str]]) -> None:
    """The record lives outside the repository: a checkout nobody may write is cached as any other."""
    os.chmod(repo, 0o555)
    try:
        first, again = check(repo), check(repo)
    finally:
        os.chmod(repo, 0o755)
    assert first == again and first.code == 0 and len(runs) == 1


_HIT = """\
import contextlib, io, json, sys
from compiler.app import cached
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = cached.main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def test_an_answer_from_the_record_imports_no_compiler(repo: Path) -> None:
    """What makes the cache pay: neither pydantic, PyYAML nor python-hcl2 is imported on a hit."""
    argv = [sys.executable, "-c", _HIT, "check", "--root", str(repo)]
    env = {k: v for k, v in os.environ.items() if k != "SSOT_NO_CACHE"}
    first, again = (
        json.loads(subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout) for _ in "12"
    )
    assert first["code"] == again["code"] == 0 and first["out"] == again["out"]
    assert {"pydantic", "yaml"} <= set(first["modules"])
    assert not {"pydantic", "yaml", "hcl2", "lark", "compiler.core.facts"} & set(again["modules"])


def test_a_settled_file_is_vouched_for_by_its_identity_and_not_read_again(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file unchanged for a while is judged by its status (inode, size, times), as git judges its index."""
    from compiler.io import disk, probe

    later = time.time_ns() + 60 * 10**9  # as if the check ran a minute after the files were written
    monkeypatch.setattr(probe.time, "time_ns", lambda: later)
    first = check(repo)
    reads: list[str] = []
    real_read = disk.read_text
    monkeypatch.setattr(disk, "read_text", lambda path, relative: reads.append(relative) or real_read(path, relative))
    assert check(repo).stdout == first.stdout and len(runs) == 1
    assert [r for r in reads if (repo / r).exists()] == [], "files whose identity is unchanged were read again"
    page = repo / "docs/ssot/layers.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
    answer = check(repo)
    assert len(runs) == 2 and answer.code == 1 and reads, answer


def test_a_file_rewritten_at_once_keeping_its_size_is_read_again(repo: Path, runs: list[list[str]]) -> None:
    """Rewritten right after the check, a file may keep its size and its times (the clock's resolution):
    its identity then vouches for nothing, and its text is compared."""
    assert check(repo).code == 0
    page = repo / "docs/ssot/layers.md"
    text = page.read_text(encoding="utf-8")
    swapped = text.replace("L1", "L7", 1)
    assert len(swapped) == len(text) and swapped != text
    page.write_text(swapped, encoding="utf-8")
    answer = check(repo)
    assert len(runs) == 2 and answer.code == 1, answer


def build(root: Path, *extra: str) -> Result:
    return run_main(["build", "--root", str(root), *extra], root)


def test_a_build_with_nothing_to_write_is_answered_from_the_record(repo: Path, runs: list[list[str]]) -> None:
    """What pre-commit's fixer hook runs on every commit: `ssot build --exit-code`."""
    first = build(repo, "--exit-code")
    again = build(repo, "--exit-code")
    assert first.code == again.code == 0 and first.stdout == again.stdout
    assert len(runs) == 1


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_build_after_a_change_does_what_a_fresh_build_does(
    repo: Path, runs: list[list[str]], change: Callable[[Path], None], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert build(repo).code == 0
    twin = tmp_path_factory.mktemp("twin")
    change(repo)
    shutil.copytree(repo, twin, symlinks=True, dirs_exist_ok=True)
    answer = build(repo)
    assert len(runs) == 2, "the build after the change was answered from the stale record"
    expected = run_main(["build", "--no-cache", "--root", str(twin)], twin)
    assert answer.code == expected.code
    assert answer.output.replace(str(repo), "ROOT") == expected.output.replace(str(twin), "ROOT")
    assert snapshot(repo) == snapshot(twin)


def test_a_run_that_saw_a_file_change_under_it_is_not_recorded() -> None:
    from compiler.io import probe

    answers = iter(["before", "after"])
    looked = probe.probe(lambda path: next(answers))
    probe.start()
    looked("a.md")
    looked("a.md")
    assert probe.stop() is None
