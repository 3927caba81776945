"""`ssot init`: a repository without ssot/env.yaml gets a draft that validates, and `ssot build` then
`ssot check` pass on it; an existing ssot/env.yaml is never overwritten."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import yaml
from conftest import RunCli, copy_terragrunt

from compiler.core.facts import compile_text
from compiler.core.model import Environment

PLATFORM_TF = """
variable "base_domain" {
  type        = string
  description = "Apex domain."
}

variable "admin_token" {
  type      = string
  sensitive = true
}
"""

DATA_TF = """
variable "environment" {
  type = string
}

variable "base_domain" {
  type = string
}

variable "internal_domain" {
  type    = string
  default = null
}

variable "env_prefix" {
  type = string
}

variable "replicas" {
  type        = number
  description = "How many database replicas run."
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "backups" {
  type    = bool
  default = true
}
"""

PLATFORM_PROJECT = """
  - name: platform
    dir: terraform/platform
    workspace: default
"""
ATLANTIS = (
    """
version: 3
projects:"""
    + PLATFORM_PROJECT.rstrip("\n")
    + """
  - name: data-staging
    dir: terraform/data
    workspace: staging
  - name: data-prod
    dir: terraform/data
    workspace: prod
"""
)


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def stated(environment: Environment, name: str) -> object:
    """An environment's value of a domain variable: under values, or (older models) its own field."""
    return environment.values.get(name, getattr(environment, name, None))


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_drafts_a_valid_ssot_from_atlantis_roots_and_tfvars(tmp_path: Path, run_cli: RunCli) -> None:
    write(
        tmp_path,
        {
            "terraform/platform/main.tf": PLATFORM_TF,
            "terraform/data/variables.tf": DATA_TF,
            "atlantis.yaml": ATLANTIS,
            "envs/staging.tfvars.example": 'environment = "staging"\nreplicas = 2\n',
            "envs/staging.backend.tfvars": 'bucket = "state"\n',
        },
    )
    result = run_cli("init", "--root", str(tmp_path))
    assert result.code == 0, result
    assert "created ssot/env.yaml" in result.stdout
    assert "review" in result.stdout and "base_domain" in result.stdout
    text = (tmp_path / "ssot/env.yaml").read_text(encoding="utf-8")
    assert "# TODO review" in text
    facts = compile_text(text, "ssot/env.yaml")
    ssot = facts.ssot
    assert list(ssot.environments) == ["staging", "prod"]  # staging.backend is no environment
    platform, data = ssot.layers.values()
    assert (platform.scope, platform.managed_by, platform.atlantis_project) == ("shared", "atlantis", "platform")
    assert (data.scope, data.atlantis_project, data.terraform_dir) == ("per-env", "data-{env}", "terraform/data")
    assert set(ssot.variables) == {
        "environment", "base_domain", "internal_domain", "env_prefix", "replicas", "db_password", "backups",
    }  # fmt: skip
    assert ssot.variables["replicas"].type == "number"
    assert ssot.variables["replicas"].description == "How many database replicas run."
    assert ssot.variables["db_password"].sensitive
    assert ssot.environments["staging"].values["replicas"] == 2  # from the tfvars example
    assert "admin_token" not in ssot.variables  # a shared root's variable gets no envs/<env>.tfvars

    built = run_cli("build", "--root", str(tmp_path))
    assert built.code == 0, built
    checked = run_cli("check", "--root", str(tmp_path))
    assert checked.code == 0, checked


def test_init_never_overwrites(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"terraform/data/variables.tf": DATA_TF, "atlantis.yaml": ATLANTIS})
    assert run_cli("init", "--root", str(tmp_path)).code == 0
    before = tree(tmp_path)
    again = run_cli("init", "--root", str(tmp_path))
    assert again.code == 2, again
    assert "ssot-exists" in again.output or "exists already" in again.output
    assert tree(tmp_path) == before


def test_init_with_only_terraform_roots(tmp_path: Path, run_cli: RunCli) -> None:
    write(tmp_path, {"infra/bootstrap/main.tf": PLATFORM_TF, "infra/network/vars.tf": DATA_TF})
    result = run_cli("init", "--root", str(tmp_path))
    assert result.code == 0, result
    ssot = compile_text((tmp_path / "ssot/env.yaml").read_text(encoding="utf-8"), "ssot/env.yaml").ssot
    assert [(layer.terraform_dir, layer.scope, layer.managed_by) for layer in ssot.layers.values()] == [
        ("infra/bootstrap", "shared", "github-actions"),
        ("infra/network", "shared", "github-actions"),
    ]
    assert list(ssot.environments) == ["default"]  # Terraform's default workspace, not an invented name
    assert "no environment found" in result.stdout
    assert ".gitignore" not in result.stdout  # no tfvars file is read: git has none to keep out
    assert run_cli("build", "--root", str(tmp_path)).code == 0
    checked = run_cli("check", "--root", str(tmp_path))
    assert checked.code == 0, checked


def test_init_drafts_secret_named_variables_sensitive_and_never_copies_a_secret_value(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A root whose `api_token` is not marked sensitive, and an example holding a token-shaped value:
    the draft must still validate (the rules refuse both), and the token must not be written or printed."""
    token = "ghp" + "_" + "Qw9" * 12
    roots = DATA_TF + 'variable "api_token" {\n  type = string\n}\n\nvariable "region" {\n  type = string\n}\n'
    write(tmp_path, {"terraform/data/variables.tf": roots, "atlantis.yaml": ATLANTIS.replace("platform", "data")})
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs/staging.tfvars.example").write_text(f'region = "{token}"\n', encoding="utf-8")

    result = run_cli("init", "--root", str(tmp_path))

    assert result.code == 0, result
    text = (tmp_path / "ssot/env.yaml").read_text(encoding="utf-8")
    assert token not in text and token not in result.output
    ssot = compile_text(text, "ssot/env.yaml").ssot
    assert ssot.variables["api_token"].sensitive
    assert "looks like a secret" in result.stdout


def test_init_with_nothing_to_draft_from_is_trouble_not_a_bug(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs/staging.tfvars.example").write_text('region = "eu"\n', encoding="utf-8")

    result = run_cli("init", "--root", str(tmp_path))

    assert result.code == 2, result
    assert "nothing to draft from" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "ssot").exists()


def _projects(root: Path) -> list[dict[str, object]]:
    """What atlantis.yaml's projects say ssot init must keep: name, dir, workspace, workflow, version."""
    config = yaml.safe_load((root / "atlantis.yaml").read_text(encoding="utf-8"))
    kept = ("name", "dir", "workspace", "workflow", "terraform_version")
    return sorted(
        ({k: v for k, v in p.items() if k in kept} for p in config["projects"]),
        key=lambda p: str(p["name"]),
    )


def test_init_drafts_the_terragrunt_monorepo_and_build_keeps_its_atlantis_projects(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = copy_terragrunt(tmp_path / "monorepo")
    shutil.rmtree(root / "ssot")
    before = _projects(root)

    result = run_cli("init", "--root", root)

    assert result.code == 0, result
    ssot = compile_text((root / "ssot/env.yaml").read_text(encoding="utf-8"), "ssot/env.yaml").ssot
    platform, data, apps = ssot.layers.values()
    assert (platform.scope, platform.atlantis_project, platform.terraform_dir) == ("shared", "platform", "platform")
    # the module folder every environment's root links into is a second root: changing it plans the layer
    assert (data.scope, data.terraform_dir, data.namespace) == (
        "per-env",
        ["envs/{env}/data", "modules/data"],
        "data-{env}",
    )
    assert (apps.atlantis_workflow, apps.namespace) == ("apps", None)  # the apps module names no namespace
    assert ssot.atlantis is not None and ssot.atlantis.terraform_version == "v1.6.6"  # every project's
    staging = ssot.environments["staging"]
    assert (stated(staging, "base_domain"), stated(staging, "env_prefix")) == ("example.org", "x-staging")
    assert "layer L3: no namespace drafted" in result.stdout
    assert "bootstrap holds .tf files but is no project of atlantis.yaml" in result.stdout
    assert "modules/" not in result.stdout  # linked into the roots: modules, not layers

    assert run_cli("build", "--root", root).code == 0
    checked = run_cli("check", "--root", root)
    assert checked.code == 0, checked
    assert _projects(root) == before


def test_init_takes_one_root_per_environment_in_the_default_workspace_as_a_per_env_layer(
    tmp_path: Path, run_cli: RunCli
) -> None:
    atlantis = """
    version: 3
    projects:
      - name: data-staging
        dir: envs/staging/data
        workspace: default
        workflow: terragrunt
      - name: data-prod
        dir: envs/prod/data
        workspace: default
        workflow: terragrunt
    """
    write(
        tmp_path, {"envs/staging/data/main.tf": DATA_TF, "envs/prod/data/main.tf": DATA_TF, "atlantis.yaml": atlantis}
    )
    before = _projects(tmp_path)

    result = run_cli("init", "--root", tmp_path)

    assert result.code == 0, result
    ssot = compile_text((tmp_path / "ssot/env.yaml").read_text(encoding="utf-8"), "ssot/env.yaml").ssot
    assert [(layer.scope, layer.atlantis_project, layer.workspace) for layer in ssot.layers.values()] == [
        ("per-env", "data-{env}", "default")
    ]
    assert ssot.atlantis is not None and ssot.atlantis.workflow == "terragrunt"
    assert run_cli("build", "--root", tmp_path).code == 0
    assert run_cli("check", "--root", tmp_path).code == 0
    assert _projects(tmp_path) == before


def test_init_leaves_out_environment_fields_no_root_declares_and_says_what_gitignore_lacks(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A root that reads only `environment` and `base_domain`: the contract holds those (no env_prefix), so
    the checks find no contract variable undeclared; the missing .gitignore lines are named before ssot check
    reports them."""
    data_tf = 'variable "environment" {\n  type = string\n}\n\nvariable "base_domain" {\n  type = string\n}\n'
    write(
        tmp_path,
        {
            "terraform/data/variables.tf": data_tf,
            "atlantis.yaml": ATLANTIS.replace(PLATFORM_PROJECT.rstrip("\n"), ""),
            "envs/staging.tfvars.example": 'environment = "staging"\nbase_domain = "example.org"\n',
        },
    )
    result = run_cli("init", "--root", str(tmp_path))
    assert result.code == 0, result
    assert ".gitignore lets real tfvars into git: add the lines envs/*.tfvars and !envs/*.tfvars.example" in (
        result.stdout
    )
    ssot = compile_text((tmp_path / "ssot/env.yaml").read_text(encoding="utf-8"), "ssot/env.yaml").ssot
    assert set(ssot.variables) == {"environment", "base_domain"}

    (tmp_path / ".gitignore").write_text("envs/*.tfvars\n!envs/*.tfvars.example\n", encoding="utf-8")
    assert run_cli("build", "--root", str(tmp_path)).code == 0
    checked = run_cli("check", "--root", str(tmp_path))
    assert checked.code == 0, checked


def test_init_lists_a_file_it_cannot_parse_and_drafts_on(tmp_path: Path, run_cli: RunCli) -> None:
    """Numbered roots, an Atlantis `workflows:` block, a bootstrap applied by a CI workflow, and a tfvars
    example holding a shell-style heredoc: init drafts all three layers in their order, and says which
    file it could not read instead of stopping."""
    atlantis = """
    version: 3
    projects:
      - {name: platform, dir: terraform/2-platform, workflow: layered}
      - {name: data-staging, dir: terraform/3-data, workspace: staging, workflow: layered}
      - {name: data-prod, dir: terraform/3-data, workspace: prod, workflow: layered}
    workflows:
      layered: {plan: {steps: [init, plan]}}
    """
    write(
        tmp_path,
        {
            "atlantis.yaml": atlantis,
            ".github/workflows/bootstrap.yml": "jobs:\n  apply:\n    steps:\n      - run: terraform -chdir=terraform/1-bootstrap apply\n",
            "terraform/1-bootstrap/main.tf": 'variable "ssh_key" {\n  type = string\n}\n',
            "terraform/2-platform/main.tf": "",
            "terraform/3-data/main.tf": 'variable "replicas" {\n  type = number\n}\n',
            "envs/staging.tfvars.example": "replicas = 1\n",
            "envs/prod.tfvars.example": "replicas = 3\n",
            "envs/ssh_keys.tfvars.example": "ssh_key = <<'KEY'\nssh-ed25519 AAAA ops@example\nKEY\n",
        },
    )
    (tmp_path / "terraform/4-apps").mkdir()

    result = run_cli("init", "--root", tmp_path)

    assert result.code == 0, result
    assert "envs/ssh_keys.tfvars.example could not be read: not valid HCL" in result.stdout
    text = (tmp_path / "ssot/env.yaml").read_text(encoding="utf-8")
    assert "# TODO review: envs/ssh_keys.tfvars.example could not be read" in text
    ssot = compile_text(text, "ssot/env.yaml").ssot
    assert [(key, layer.terraform_dir, layer.managed_by) for key, layer in ssot.layers.items()] == [
        ("L1", "terraform/1-bootstrap", "github-actions"),
        ("L2", "terraform/2-platform", "atlantis"),
        ("L3", "terraform/3-data", "atlantis"),
    ]
    assert ssot.atlantis is not None and ssot.atlantis.workflow == "layered"
    assert {env: values.values for env, values in ssot.environments.items()} == {
        "staging": {"replicas": 1},
        "prod": {"replicas": 3},
    }
