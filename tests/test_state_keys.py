"""The state key the docs show for each layer instance, against the backend block of the root it plans in.

compiler/formats/terraform_backend.py reads `terraform { backend "TYPE" { ... } }` without python-hcl2;
compiler/checks/state.py reports a `state-key` finding at the backend's setting when the two disagree, and
`ssot init` drafts `state_key` from the backends it finds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RunCli, edit, git, line_of

from compiler.app.engine import check_repository
from compiler.formats.terraform_backend import backend_of

ADOPT = Path(__file__).resolve().parent / "fixtures" / "adopt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'terraform {\n  backend "s3" {\n    bucket = "b"\n    key    = "a/b.tfstate" # why\n  }\n}\n',
            ("s3", 4, "a/b.tfstate"),
        ),
        ('terraform {\n  backend "gcs" {\n    prefix = "team/app"\n  }\n}\n', ("gcs", 3, "team/app")),
        ('terraform {\n  backend "local" {\n    path = "state/x.tfstate"\n  }\n}\n', ("local", 3, "state/x.tfstate")),
        # beside required_providers with a value's braces, after a resource with its own `key`
        (
            (
                'resource "aws_kms_key" "x" {\n  key = "not-state"\n}\n\nterraform {\n  required_providers {\n'
                '    aws = { source = "hashicorp/aws" }\n  }\n  backend "azurerm" {\n    key = "prod.tfstate"\n  }\n}\n'
            ),
            ("azurerm", 10, "prod.tfstate"),
        ),
    ],
    ids=["s3", "gcs", "local", "among-other-blocks"],
)
def test_a_backend_names_its_state(text: str, expected: tuple[str, int, str]) -> None:
    backend = backend_of(text)
    assert backend is not None and backend.state is not None
    assert (backend.type, *backend.state) == expected


@pytest.mark.parametrize(
    "text",
    [
        'terraform {\n  backend "s3" {}\n}\n',  # partial configuration: -backend-config at init
        'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n',
        'terraform {\n  backend "http" {\n    address = "https://example.com/state"\n  }\n}\n',
        'resource "x" "y" {\n  key = "k"\n}\n',
    ],
    ids=["partial", "cloud", "no-key-setting", "no-backend"],
)
def test_a_root_that_names_no_state_here_says_nothing(text: str) -> None:
    backend = backend_of(text)
    assert backend is None or backend.state is None


def adopted(tmp_path: Path, run_cli: RunCli) -> Path:
    """tests/fixtures/adopt/committed-tfvars (a root per environment, each with its S3 backend), committed,
    after `ssot init` and `ssot build`."""
    root = tmp_path / "repo"
    shutil.copytree(ADOPT / "committed-tfvars", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "team")
    assert run_cli("init", "--root", root).code == 0
    assert run_cli("build", "--root", root).code == 0
    return root


def test_init_drafts_the_state_key_the_backends_use(tmp_path: Path, run_cli: RunCli) -> None:
    root = adopted(tmp_path, run_cli)
    assert '    state_key: "{env}/terraform.tfstate"\n' in (root / "ssot/env.yaml").read_text(encoding="utf-8")
    assert "`prod/terraform.tfstate`" in (root / "docs/ssot/layers.md").read_text(encoding="utf-8")
    assert check_repository(root).findings == []


def test_a_backend_changed_by_hand_is_found_at_its_key(tmp_path: Path, run_cli: RunCli) -> None:
    root = adopted(tmp_path, run_cli)
    backend = root / "environments/prod/backend.tf"
    edit(backend, '"prod/terraform.tfstate"', '"production/terraform.tfstate"')

    [finding] = check_repository(root).findings

    assert (finding.code, finding.file) == ("state-key", "environments/prod/backend.tf")
    assert finding.line == line_of(backend.read_text(encoding="utf-8"), "production/terraform.tfstate")
    assert (finding.expected, finding.found) == ("prod/terraform.tfstate", "production/terraform.tfstate")
    assert "layers.L1.state_key, line" in finding.message


def test_a_state_key_changed_in_the_ssot_is_found_at_every_backend(tmp_path: Path, run_cli: RunCli) -> None:
    root = adopted(tmp_path, run_cli)
    edit(root / "ssot/env.yaml", '"{env}/terraform.tfstate"', '"infra/{env}.tfstate"')
    assert run_cli("build", "--root", root).code == 0  # the pages now show the SSOT's keys

    findings = check_repository(root).findings

    assert sorted((f.code, f.file, f.expected) for f in findings) == [
        ("state-key", "environments/prod/backend.tf", "infra/prod.tfstate"),
        ("state-key", "environments/staging/backend.tf", "infra/staging.tfstate"),
    ]
