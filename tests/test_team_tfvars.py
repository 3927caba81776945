"""A tfvars example a team wrote (no generated header): only the values ssot/env.yaml states are the tool's.

`check` reports each stated value that differs (at its line) or is missing, with where it lives in the SSOT;
`build` changes exactly those values in place and keeps every comment, blank line, alignment and attribute
the SSOT says nothing about. It is never replaced whole, unless handed over with `--take`.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunCli
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from compiler import codes
from compiler.app.engine import build, check_repository
from compiler.core.layout import SSOT_PATH
from compiler.findings import Finding
from compiler.render.tfvars import GENERATED_HEADER_START
from compiler.render.tfvars_edit import edit_tfvars

SSOT = """\
layers:
  app:
    name: App
    scope: per-env
    managed_by: none
    components: [Service]
isolation: {shared: none, per_env: one workspace per environment}
environments:
  dev:
    base_domain: example.org
    env_prefix: dev
    values: {region: eu-west-1, zone: a, node_sizes: {small: 1, large: 3}}
  prod:
    base_domain: example.org
    env_prefix: ""
    values: {region: eu-central-1, zone: b, node_sizes: {small: 2, large: 6}}
variables:
  environment: {type: string, description: Name.}
  region: {type: string, description: Cloud region.}
  zone: {type: string, description: Availability zone.}
  node_sizes: {type: map, description: Nodes per size.}
  db_password: {type: string, sensitive: true, description: The database's password.}
"""

EXAMPLE = "envs/dev.tfvars.example"

#: A team's example: its own comments, alignment, a map over several lines, a placeholder for a secret.
TEAM = """\
# Copy to envs/dev.tfvars; the password comes from TF_VAR_db_password in CI.
environment = "dev"
zone        = "a" # the first one

# where the cluster runs
region = "eu-west-1"
node_sizes = {
  small = 1 # always on
  large = 3
}
extra_tags = { team = "platform" }
"""


def _repository(root: Path, text: str | None = None) -> Path:
    (root / "ssot").mkdir()
    (root / SSOT_PATH).write_text(SSOT, encoding="utf-8")
    build(root)
    if text is not None:
        (root / EXAMPLE).write_bytes(text.encode("utf-8"))
    return root


def _findings(root: Path) -> list[Finding]:
    return [f for f in check_repository(root).findings if f.file == EXAMPLE]


def test_a_team_example_that_agrees_is_left_byte_for_byte(tmp_path: Path) -> None:
    root = _repository(tmp_path, TEAM)

    assert _findings(root) == []
    build(root)

    assert (root / EXAMPLE).read_text(encoding="utf-8") == TEAM


def test_stated_values_are_checked_at_their_lines_and_changed_in_place(tmp_path: Path) -> None:
    drifted = TEAM.replace('zone        = "a"', 'zone        = "c"').replace("  large = 3\n", "  large = 4\n")
    drifted = drifted.replace('region = "eu-west-1"\n', "")
    root = _repository(tmp_path, drifted)

    found = [(f.code, f.line, f.found, f.expected, f.source.path if f.source else None) for f in _findings(root)]
    build(root)

    assert found == [
        (codes.TFVARS_EXAMPLE_VALUE, 3, '"c"', '"a"', "environments.dev.values.zone"),
        (
            codes.TFVARS_EXAMPLE_VALUE,
            6,
            "{ small = 1, large = 4 }",
            "{ small = 1, large = 3 }",
            "environments.dev.values.node_sizes",
        ),
        # at the file's end, where ssot build adds it
        (codes.TFVARS_EXAMPLE_MISSING, 10, None, '"eu-west-1"', "environments.dev.values.region"),
    ]
    expected = (
        drifted.replace('zone        = "c"', 'zone        = "a"').replace(
            "{\n  small = 1 # always on\n  large = 4\n}", "{ small = 1, large = 3 }"
        )
        + 'region = "eu-west-1"\n'
    )
    assert (root / EXAMPLE).read_text(encoding="utf-8") == expected
    assert _findings(root) == []


def test_the_other_environments_example_is_still_generated(tmp_path: Path) -> None:
    root = _repository(tmp_path, TEAM)

    assert (root / "envs/prod.tfvars.example").read_text(encoding="utf-8").startswith(GENERATED_HEADER_START)


def test_take_hands_the_example_over(tmp_path: Path, run_cli: RunCli) -> None:
    root = _repository(tmp_path, TEAM)

    assert run_cli("build", "--root", root, "--take", EXAMPLE).code == 0

    assert (root / EXAMPLE).read_text(encoding="utf-8").startswith(GENERATED_HEADER_START)


def test_an_example_terraform_would_refuse_is_trouble_naming_its_line(tmp_path: Path, run_cli: RunCli) -> None:
    broken = TEAM + "token = <<'KEY'\nabc\nKEY\n"  # a shell heredoc: line 12
    root = _repository(tmp_path, broken)

    result = run_cli("build", "--root", root)

    assert result.code == 2
    assert f"{EXAMPLE}:12" in result.stdout + result.stderr
    assert (root / EXAMPLE).read_text(encoding="utf-8") == broken


def test_crlf_and_a_missing_last_newline_are_kept() -> None:
    text = 'region = "x"\r\nenvironment = "dev"'

    edited = edit_tfvars(EXAMPLE, text, {"region": "eu-west-1", "environment": "dev", "env_prefix": "dev"})

    assert edited == 'region = "eu-west-1"\r\nenvironment = "dev"\r\nenv_prefix = "dev"\r\n'


_NAMES = st.sampled_from(["zone", "owner", "tier", "replicas"])
_LINES = st.lists(
    st.one_of(
        st.builds(lambda n, v: f"{n} = {json.dumps(v)}", _NAMES, st.text("abc -", max_size=6)),
        st.builds(lambda c: f"# {c}", st.text("abc=-#", max_size=10)),
        st.just(""),
    ),
    max_size=6,
    unique_by=lambda line: line.split("=")[0] if "=" in line and not line.startswith("#") else line,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_LINES, after=_LINES, region=st.sampled_from(["eu-west-1", "us-east-1"]))
def test_lines_the_ssot_says_nothing_about_survive(before: list[str], after: list[str], region: str) -> None:
    assume(
        not {line.split(" =")[0] for line in before if " =" in line}
        & {line.split(" =")[0] for line in after if " =" in line}
    )
    text = "\n".join([*before, f'region = "{region}"  # where', *after]) + "\n"

    edited = edit_tfvars(EXAMPLE, text, {"region": "eu-west-1"})

    assert edited == text.replace(f'region = "{region}"', 'region = "eu-west-1"')
