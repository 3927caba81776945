"""Temporary files a killed build left: reported by `ssot check` (stale-temp-file), removed by the next build.

Only names of the build's own shape (`.NAME.XXXXXXXX.tmp`, compiler/io/paths.py) beside a file the build
writes (or beside the file such a path links to, or with the shape of a per-environment file) count: any
other file is someone else's and stays.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunCli, snapshot

from compiler.io.paths import temp_file_target, temp_name

LEFT = (
    "envs/.staging.tfvars.example.k3j9x0a_.tmp",  # beside a generated file
    "docs/ssot/.env.md.0abcdefg.tmp",
    ".README.md.zzzzzzzz.tmp",  # beside a block host
    ".mkdocs.yml.a1b2c3d4.tmp",
    "docs/ssot/environments/.dev.md.q1w2e3r4.tmp",  # an environment's page, for an environment gone since
    "envs/..README.md.abcdefgh.tmp.ijklmnop.tmp",  # one renamed aside to be removed, by a build killed then
)
NOT_OURS = (
    "envs/.staging.tfvars.example.tmp",  # no random part
    "envs/.staging.tfvars.example.ABCDEFGH.tmp",  # not tempfile's alphabet
    "envs/staging.tfvars.example.abcdefgh.tmp",  # no leading dot
    "envs/.notes.txt.abcdefgh.tmp",  # beside nothing the build writes
    "docs/.guide.md.abcdefgh.tmp",  # docs/guide.md holds no block: the build never writes it
    "notes/.README.md.abcdefgh.tmp",  # a directory the build writes nothing in
)


def leave(root: Path, paths: tuple[str, ...]) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(b"half a \xe2\x82")  # torn mid-character: never read, never an error


def test_check_reports_each_stale_temporary_file_and_nothing_else(repo: Path, run_cli: RunCli) -> None:
    (repo / "docs/guide.md").write_text("# Guide\n", encoding="utf-8")
    leave(repo, LEFT + NOT_OURS)
    before = snapshot(repo)

    checked = run_cli("check", "--root", repo, "--format", "json")

    assert checked.code == 1, checked
    findings = json.loads(checked.stdout)["findings"]
    assert sorted(f["file"] for f in findings) == sorted(LEFT), checked
    assert {(f["code"], f["line"]) for f in findings} == {("stale-temp-file", 0)}
    assert findings[0]["message"] == "a temporary file left by an interrupted ssot build"
    assert findings[0]["fix"] == "run: ssot build (it removes it), or delete it"
    assert snapshot(repo) == before, "check writes nothing"


def test_build_removes_them_says_so_and_leaves_every_other_file(repo: Path, run_cli: RunCli) -> None:
    (repo / "docs/guide.md").write_text("# Guide\n", encoding="utf-8")
    leave(repo, LEFT + NOT_OURS)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    removed = [line for line in built.stdout.splitlines() if line.startswith("removed ")]
    assert sorted(removed) == sorted(f"removed {path}" for path in LEFT), built
    for path in LEFT:
        assert not (repo / path).exists(), path
    for path in NOT_OURS:
        assert (repo / path).read_bytes() == b"half a \xe2\x82", path
    assert run_cli("check", "--root", repo).code == 0


def test_a_temporary_file_beside_the_target_of_a_link_is_found(repo: Path, run_cli: RunCli) -> None:
    (repo / "shared").mkdir()
    (repo / "docs/index.md").rename(repo / "shared/home.md")
    (repo / "docs/index.md").symlink_to("../shared/home.md")
    leave(repo, ("shared/.home.md.abcdefgh.tmp",))

    checked = run_cli("check", "--root", repo)
    built = run_cli("build", "--root", repo)

    assert checked.code == 1 and checked.stdout.startswith("shared/.home.md.abcdefgh.tmp: "), checked
    assert "removed shared/.home.md.abcdefgh.tmp\n" in built.stdout, built
    assert not (repo / "shared/.home.md.abcdefgh.tmp").exists()


def test_the_names_the_build_makes_are_the_names_it_recognises(tmp_path: Path) -> None:
    target = tmp_path / "env.md"
    for _ in range(50):
        assert temp_file_target(temp_name(target).name) == "env.md"
    assert temp_file_target(".env.md.abcdefg.tmp") is None
