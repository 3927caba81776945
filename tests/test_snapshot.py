"""Read once, then think: `ssot check` reads each file once, parses each HCL file once, and its checks
are pure functions of (facts, snapshot) that work on a snapshot built by hand, with no disk at all."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from compiler.app.engine import check_repository
from compiler.checks import CHECKS, run_checks
from compiler.core.facts import compile_text
from compiler.errors import SsotError
from compiler.formats import hcl
from compiler.formats.gitignore import NotIgnored
from compiler.io import disk, repository
from compiler.io.snapshot import GitFacts, Snapshot, TfvarsFile

GIT = shutil.which("git")

SSOT = """\
layers:
  L1: {name: Base, scope: shared, managed_by: github-actions, components: [Cluster]}
  L2: {name: Apps, scope: per-env, managed_by: atlantis, atlantis_project: "apps-{env}",
       namespace: "apps-{env}", components: [Web]}
isolation: {shared: one cluster, per_env: namespaces}
environments:
  dev: {base_domain: example.com, env_prefix: dev}
variables:
  environment: {type: string, description: The environment.}
  base_domain: {type: string, description: Apex domain.}
  internal_domain: {type: string, description: Platform domain., required: false}
  env_prefix: {type: string, description: Business prefix.}
  db_password: {type: string, description: A secret., sensitive: true}
"""


def test_check_reads_every_file_once_and_parses_a_tracked_tfvars_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if GIT is None:
        pytest.skip("git is not installed")
    (tmp_path / "ssot").mkdir()
    (tmp_path / "ssot/env.yaml").write_text(SSOT, encoding="utf-8")
    (tmp_path / "envs").mkdir()
    # a real tfvars file tracked by git: both the tfvars check and the secret scan look at it
    (tmp_path / "envs/dev.tfvars").write_text('environment = "dev"\ndb_password = "x"\n', encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for args in (["init", "-q"], ["add", "-f", "envs/dev.tfvars"]):
        subprocess.run([GIT, *args], cwd=tmp_path, check=True, capture_output=True)

    reads: Counter[str] = Counter()
    parses: Counter[str] = Counter()
    real_read, real_parse = disk.read_text, hcl.parse_tfvars

    def counting_read(path: Path, relative: str) -> str | None:
        reads[relative] += 1
        return real_read(path, relative)

    def counting_parse(text: str, filename: str) -> hcl.Attributes:
        parses[filename] += 1
        return real_parse(text, filename)

    monkeypatch.setattr(disk, "read_text", counting_read)
    monkeypatch.setattr(hcl, "parse_tfvars", counting_parse)
    codes = {f.code for f in check_repository(tmp_path).findings}

    assert {"tfvars-sensitive", "tfvars-tracked", "missing-artifact"} <= codes
    assert reads and max(reads.values()) == 1, reads
    assert parses == {"envs/dev.tfvars": 1}


def test_the_checks_run_on_a_snapshot_made_by_hand() -> None:
    """No check touches the disk: a snapshot of texts is all they need (the root does not even exist)."""
    facts = compile_text(SSOT, "ssot/env.yaml")
    snapshot = Snapshot(
        files={},
        orphans=(),
        real_tfvars=(TfvarsFile("envs/dev.tfvars", 'environment = "prod"\n'),),
        examples=(),
        terraform=(),
        git=GitFacts(tracked=None, not_ignored=(NotIgnored("envs/dev.tfvars"),)),
    )
    found = {(f.code, f.file) for f in run_checks(facts, snapshot, CHECKS)}
    assert ("tfvars-environment", "envs/dev.tfvars") in found
    assert ("missing-artifact", "docs/ssot/env.md") in found
    assert ("gitignore-tfvars", ".gitignore") in found


def test_a_directory_that_cannot_be_listed_is_trouble_not_skipped(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root lists anything, so the refusal a user gets from `chmod 000 docs/private` is simulated."""
    (repo / "docs/private").mkdir()
    real_walk = os.walk

    def walk(top: Path, onerror: Callable[[OSError], None] | None = None) -> Iterator[tuple[str, list[str], list[str]]]:
        for entry in real_walk(top, onerror=onerror):
            if entry[0].endswith("docs/private") and onerror is not None:
                onerror(PermissionError(13, "Permission denied", entry[0]))
                continue
            yield entry

    monkeypatch.setattr(disk.os, "walk", walk)
    with pytest.raises(SsotError) as info:
        repository.read_repository(repo)
    assert [(p.file, p.code, p.message) for p in info.value.problems] == [
        ("docs/private", "io-error", "cannot list this directory: Permission denied")
    ]
