"""`{env}` roots checked one environment at a time (compiler/checks/terraform.py, compiler/checks/tfvars.py).

The data layer (L3) of the example repository is `envs/{env}/data`: one root per environment, whose files
are copies of (or links to) one shared folder. What one environment's root gets wrong is reported at that
root, and nowhere else; a file linked into every root is reported once, where it really is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import RunCli, edit
from test_terraform import SSOT, exact_line, summary, with_env_roots

from compiler.app.engine import check_repository

PASSWORD = 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'


def test_a_variable_missing_from_one_environments_root_is_reported_at_that_root(repo: Path, run_cli: RunCli) -> None:
    with_env_roots(repo, link=False)
    edit(repo / "envs/prod/data/variables.tf", PASSWORD, "")
    declared = exact_line(repo / "envs/staging/data/variables.tf", 'variable "db_password" {')
    message = (
        "variable 'db_password' is not declared in this root of layer L3 for prod, but staging's root declares "
        f"it (envs/staging/data/variables.tf:{declared}): prod's plan would not get it"
    )

    assert summary(repo) == [("terraform-undeclared", "envs/prod/data", 0, message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"envs/prod/data: {message}" in result.stdout


def test_a_variable_missing_from_every_root_is_still_reported_at_the_contract(repo: Path) -> None:
    with_env_roots(repo, link=False)
    for env in ("staging", "prod"):
        edit(repo / f"envs/{env}/data/variables.tf", PASSWORD, "")
    line = exact_line(repo / SSOT, "  db_password:")

    assert [(code, file, at) for code, file, at, _ in summary(repo)] == [("terraform-undeclared", SSOT, line)]


def test_a_sensitive_flag_lost_in_one_environments_root_is_reported_at_its_line(repo: Path) -> None:
    with_env_roots(repo, link=False)
    prod = repo / "envs/prod/data/variables.tf"
    edit(prod, "  sensitive = true\n", "  sensitive = false\n")
    line = exact_line(prod, 'variable "db_password" {')
    message = "variable 'db_password' is not sensitive here, but sensitive in ssot/env.yaml"

    assert summary(repo) == [("terraform-sensitive", "envs/prod/data/variables.tf", line, message)]


def test_a_type_changed_in_one_environments_root_is_reported_at_its_line(repo: Path) -> None:
    with_env_roots(repo, link=False)
    staging = repo / "envs/staging/data/variables.tf"
    edit(staging, 'variable "base_domain" {\n  type = string', 'variable "base_domain" {\n  type = number')
    line = exact_line(staging, 'variable "base_domain" {')
    message = "variable 'base_domain' has type number here, but string in ssot/env.yaml"

    assert summary(repo) == [("terraform-type", "envs/staging/data/variables.tf", line, message)]


def test_a_file_linked_into_every_root_is_reported_once_where_it_is(repo: Path, run_cli: RunCli) -> None:
    with_env_roots(repo)  # envs/<env>/data/*.tf link to shared/data/*.tf
    shared = repo / "shared/data/variables.tf"
    edit(shared, "  sensitive = true\n", "")
    line = exact_line(shared, 'variable "db_password" {')
    message = "variable 'db_password' is not sensitive here, but sensitive in ssot/env.yaml"

    assert summary(repo) == [("terraform-sensitive", "shared/data/variables.tf", line, message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"shared/data/variables.tf:{line}: {message}" in result.stdout


def test_a_root_linked_as_a_whole_directory_is_read_through_the_link(repo: Path) -> None:
    with_env_roots(repo)
    shutil.rmtree(repo / "envs/prod/data")
    (repo / "envs/prod/data").symlink_to(Path("../../shared/data"), target_is_directory=True)
    assert check_repository(repo).findings == []


def test_a_real_tfvars_key_only_another_environments_root_declares_is_reported(repo: Path) -> None:
    with_env_roots(repo, link=False)
    for env in ("staging", "prod"):  # environment lives in the data roots only: prod's loses it
        edit(repo / f"envs/{env}/data/variables.tf", 'variable "environment" {', 'variable "stage_name" {')
    edit(repo / "terraform/apps/variables.tf", 'variable "environment" {\n  type = string\n}\n', "")
    edit(repo / "envs/staging/data/variables.tf", 'variable "stage_name" {', 'variable "environment" {')
    shutil.copy(repo / "envs/prod.tfvars.example", repo / "envs/prod.tfvars")
    shutil.copy(repo / "envs/staging.tfvars.example", repo / "envs/staging.tfvars")

    found = [(f.code, f.file) for f in check_repository(repo).findings if f.code == "tfvars-not-in-terraform"]
    assert found == [("tfvars-not-in-terraform", "envs/prod.tfvars")]
