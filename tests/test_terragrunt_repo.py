"""The second example repository, tests/fixtures/terragrunt: a Terragrunt-style monorepo.

One root per environment (`envs/<env>/data`, `envs/<env>/apps`) whose `.tf` files link into `modules/`,
variables split over several files with `locals`/`data` blocks between them, validation blocks,
`default = null`, a heredoc default, backend configs in `envs/` (`staging.backend.tfvars`,
`prod.backend.hcl`) that are no environments, and real tfvars with comments, quoted numbers, `null` and
multi-line lists and maps. `ssot check` is clean on it; each planted problem is found at its file and line.

Every test works on a copy in tmp_path (links kept as links), with the real tfvars put in place from
tests/fixtures/terragrunt-real/ (stored as `.tfvars.txt`: a real tfvars committed in this work tree would
be `tfvars-tracked`, so `ssot check --root tests/fixtures/terragrunt` is clean here too).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import TERRAGRUNT, RunCli, copy_terragrunt, edit, line_of
from fake_secrets import AWS_SECRET_KEY

from compiler.app.engine import check_repository

GIT = shutil.which("git")


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/terragrunt (symlinks copied as symlinks)."""
    return copy_terragrunt(tmp_path / "monorepo")


def findings_of(root: Path) -> list[tuple[str, str, int]]:
    return [(f.code, f.file, f.line) for f in check_repository(root).findings]


def unlink_into_a_copy(root: Path, relative: str) -> Path:
    """Replace the link at `relative` by a copy of the file it links to: a root that stopped sharing it."""
    path = root / relative
    assert path.is_symlink(), f"{relative} is expected to be a link into modules/"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    path.write_text(text, encoding="utf-8")
    return path


def test_the_monorepo_checks_clean(monorepo: Path, run_cli: RunCli) -> None:
    assert (monorepo / "envs/prod/data/variables.tf").is_symlink()
    assert findings_of(monorepo) == []
    result = run_cli("check", "--root", monorepo)
    assert result.code == 0, result
    assert result.stdout == "ok: 12 artifacts and 3 tfvars files agree with ssot/env.yaml\n"
    assert run_cli("build", "--root", monorepo).stdout == "everything is up to date\n"


def test_the_fixture_in_place_checks_clean_inside_this_git_work_tree() -> None:
    """`ssot check --root tests/fixtures/terragrunt` run by hand: no real tfvars is committed there."""
    assert findings_of(TERRAGRUNT) == []  # a committed envs/<env>.tfvars would be tfvars-tracked


def test_a_change_to_the_linked_module_plans_every_environments_project(monorepo: Path) -> None:
    config = yaml.safe_load((monorepo / "atlantis.yaml").read_text(encoding="utf-8"))
    watched = {p["name"]: p["autoplan"]["when_modified"] for p in config["projects"]}
    for env in ("staging", "prod"):
        assert "../../../modules/data/*.tf" in watched[f"data-{env}"]
        assert f"../../{env}.tfvars" in watched[f"data-{env}"]
        assert "../../../modules/apps/*.tf" in watched[f"apps-{env}"]


def test_a_variable_missing_from_one_environments_root(monorepo: Path, run_cli: RunCli) -> None:
    secrets = unlink_into_a_copy(monorepo, "envs/prod/data/secrets.tf")
    edit(secrets, 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n', "")

    assert findings_of(monorepo) == [("terraform-undeclared", "envs/prod/data", 0)]
    result = run_cli("check", "--root", monorepo)
    assert result.code == 1, result
    assert "envs/prod/data: variable 'db_password' is not declared in this root of layer 3.data for prod" in (
        result.stdout
    )


def test_a_sensitive_flag_lost_in_one_environments_root(monorepo: Path) -> None:
    secrets = unlink_into_a_copy(monorepo, "envs/staging/data/secrets.tf")
    edit(secrets, "  sensitive = true\n", "")
    line = line_of(secrets.read_text(encoding="utf-8"), 'variable "db_password"')

    assert findings_of(monorepo) == [("terraform-sensitive", "envs/staging/data/secrets.tf", line)]


def test_a_wrong_type_in_the_shared_module_is_reported_once_where_it_is(monorepo: Path, run_cli: RunCli) -> None:
    network = monorepo / "modules/apps/network.tf"
    edit(network, "  type        = list(string)\n", "  type        = map(string)\n")
    line = line_of(network.read_text(encoding="utf-8"), 'variable "allowed_cidrs"')

    assert findings_of(monorepo) == [("terraform-type", "modules/apps/network.tf", line)]
    result = run_cli("check", "--root", monorepo)
    assert f"modules/apps/network.tf:{line}: variable 'allowed_cidrs' has type map(...) here, but list" in (
        result.stdout
    )


def test_a_wrong_type_in_a_real_tfvars(monorepo: Path) -> None:
    real = monorepo / "envs/staging.tfvars"
    edit(real, 'replicas = "1"', 'replicas = "one"')
    line = line_of(real.read_text(encoding="utf-8"), "replicas =")

    assert findings_of(monorepo) == [("tfvars-type", "envs/staging.tfvars", line)]


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_a_secret_in_a_git_tracked_backend_tfvars(
    monorepo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    backend = monorepo / "envs/staging.backend.tfvars"
    edit(backend, 'region = "eu-central-1"\n', f'region = "eu-central-1"\nsecret_key = "{AWS_SECRET_KEY}"\n')
    line = line_of(backend.read_text(encoding="utf-8"), "secret_key")
    subprocess.run([GIT or "git", "init", "-q"], cwd=monorepo, check=True)
    subprocess.run([GIT or "git", "add", "."], cwd=monorepo, check=True)  # the .gitignore keeps real tfvars out

    assert findings_of(monorepo) == [("secret-value", "envs/staging.backend.tfvars", line)]
    result = run_cli("check", "--root", monorepo)
    assert result.code == 1, result
    assert f"envs/staging.backend.tfvars:{line}: 'secret_key' holds what looks like a secret" in result.stdout
    assert AWS_SECRET_KEY not in result.output
