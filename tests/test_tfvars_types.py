"""Real tfvars values are judged as Terraform converts them: scripts quote everything, Terraform takes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.app.engine import build, check_repository
from compiler.core.values import converts_to

SSOT = """\
layers:
  L1: {name: Apps, scope: per-env, managed_by: github-actions, namespace: "apps-{env}", components: [Web]}
isolation: {shared: none, per_env: namespaces}
environments:
  dev: {base_domain: example.com, env_prefix: dev, values: {replicas: 2, public: true, zones: [a]}}
variables:
  environment: {type: string, description: The environment.}
  base_domain: {type: string, description: Apex domain.}
  internal_domain: {type: string, description: Platform domain., required: false}
  env_prefix: {type: string, description: Business prefix.}
  replicas: {type: number, description: How many.}
  public: {type: bool, description: Exposed or not.}
  zones: {type: list, description: Where.}
"""


@pytest.mark.parametrize(
    ("value", "type_", "accepted"),
    [
        ("22", "number", True),
        ("-1.5", "number", True),
        ("1e3", "number", True),
        ("0x10", "number", False),
        ("twenty", "number", False),
        ("", "number", False),
        (True, "number", False),
        ("true", "bool", True),
        ("false", "bool", True),
        ("yes", "bool", False),
        (1, "bool", False),
        (22, "string", True),
        (False, "string", True),
        (["a"], "string", False),
        ("a", "list", False),
        ({"a": 1}, "object", True),
        (None, "number", True),
        (None, "list", True),
    ],
)
def test_terraform_conversions(value: object, type_: str, accepted: bool) -> None:
    assert converts_to(value, type_) is accepted


def test_a_quoted_number_and_bool_and_null_are_fine_and_a_wrong_value_is_named(tmp_path: Path) -> None:
    (tmp_path / "ssot").mkdir()
    (tmp_path / "ssot/env.yaml").write_text(SSOT, encoding="utf-8")
    build(tmp_path)
    real = tmp_path / "envs/dev.tfvars"
    real.write_text(
        'environment = "dev"\nbase_domain = "example.com"\nenv_prefix = "dev"\n'
        'replicas = "3"\npublic = "false"\nzones = null\n',
        encoding="utf-8",
    )
    assert [f.code for f in check_repository(tmp_path).findings if f.file == "envs/dev.tfvars"] == []

    real.write_text(real.read_text(encoding="utf-8").replace('replicas = "3"', 'replicas = "three"'), encoding="utf-8")
    findings = [f for f in check_repository(tmp_path).findings if f.file == "envs/dev.tfvars"]
    assert [(f.code, f.line, f.expected, f.found) for f in findings] == [("tfvars-type", 4, "number", "string")]


def test_a_backend_config_beside_the_environment_files_is_no_environment(tmp_path: Path) -> None:
    (tmp_path / "ssot").mkdir()
    (tmp_path / "ssot/env.yaml").write_text(SSOT, encoding="utf-8")
    build(tmp_path)
    (tmp_path / "envs/dev.backend.tfvars").write_text('bucket = "state"\nkey = "dev/app.tfstate"\n', encoding="utf-8")
    (tmp_path / "envs/stage.tfvars").write_text('environment = "stage"\n', encoding="utf-8")

    findings = {(f.code, f.file) for f in check_repository(tmp_path).findings}

    assert not any(file == "envs/dev.backend.tfvars" for _, file in findings)
    assert ("tfvars-unknown-environment", "envs/stage.tfvars") in findings
