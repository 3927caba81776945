"""A value under a key that sounds secret is never printed, whatever YAML makes of it.

`db_password: 0x8f3a9c2e7b1d` is a password to the person who wrote it, and a number (157481891167005) to
YAML 1.1: the messages that explain such a surprise (a number, a boolean, a date, infinity, a special
character) and the validation messages that say what was found name the key path instead of quoting the
value, in either spelling. The same messages still quote the value under an ordinary key (a hint worth
having). A drift finding on a value generated from under such a key shows neither the value expected nor
the one found. Each kind of message is tested in-process; a thin layer runs the CLI in every format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURE_REPO, RunCli, edit

from compiler.core.validate import load_ssot
from compiler.errors import SsotError
from compiler.findings import Finding, Source
from compiler.secrets.redaction import REDACTED, redact
from compiler.secrets.ssot import is_secret_path

SSOT_PATH = "ssot/env.yaml"
SSOT = (FIXTURE_REPO / SSOT_PATH).read_text(encoding="utf-8")
#: where an environment's values go in the fixture's SSOT
STAGING = "    env_prefix: x-staging      # business domains become x-staging.example.com\n"
NOT_SHOWN = "(not shown: its key sounds secret)"


def _with_values(lines: str, text: str = SSOT) -> str:
    assert text.count(STAGING) == 1
    return text.replace(STAGING, STAGING + "    values:\n" + lines)


def _said(text: str) -> str:
    """Every problem validation reports about `text`, one per line."""
    with pytest.raises(SsotError) as info:
        load_ssot(text, SSOT_PATH)
    return "\n".join(str(problem) for problem in info.value.problems)


# (value as written, what YAML 1.1 makes of it as text, the start of what the message says it is)
SURPRISES = {
    "hex-number": ("0x8f3a9c2e7b1d", "157481891167005", "is read by YAML 1.1 as a number; quote it"),
    "octal-number": ("0777123", "261715", "is read by YAML 1.1 as a number; quote it"),
    "underscored-number": ("1_234_567_890", "1234567890", "is read by YAML 1.1 as a number; quote it"),
    "sexagesimal-number": ("190:20:30", "685230", "is read by YAML 1.1 as a number; quote it"),
    "boolean": ("off", "false", "is read by YAML 1.1 as a boolean; quote it"),
    "date": ("2031-07-14", "2031", "is read by YAML as a date; quote it"),
    "infinity": (".inf", "infinity", "is read by YAML as a number that is not finite"),
}


@pytest.mark.parametrize(("written", "made", "said"), list(SURPRISES.values()), ids=list(SURPRISES))
def test_a_yaml_surprise_under_a_secret_key_names_the_key_never_the_value(written: str, made: str, said: str) -> None:
    text = _said(_with_values(f"      db_password: {written}\n"))

    assert f"the value of environments.staging.values.db_password {NOT_SHOWN} {said}" in text, text
    assert written not in text and made not in text, text


@pytest.mark.parametrize(("written", "made", "said"), list(SURPRISES.values()), ids=list(SURPRISES))
def test_the_same_surprise_under_an_ordinary_key_still_quotes_it(written: str, made: str, said: str) -> None:
    text = _said(_with_values(f"      replicas: {written}\n"))

    assert f"{written!r} is read by YAML" in text, text
    assert NOT_SHOWN not in text


def test_a_secret_key_deep_in_a_value_hides_what_is_under_it() -> None:
    text = _said(_with_values("      database:\n        admin_token: 0x1234abcd\n"))

    assert f"the value of environments.staging.values.database.admin_token {NOT_SHOWN}" in text, text
    assert "0x1234abcd" not in text and str(0x1234ABCD) not in text, text


def test_a_special_character_under_a_secret_key_is_refused_without_quoting_it() -> None:
    text = _said(_with_values("      api_secret: =\n"))

    assert f"the value of environments.staging.values.api_secret {NOT_SHOWN} has a special meaning in YAML" in text
    assert "'='" not in text and '"="' not in text, text


def test_validation_says_what_it_found_under_a_secret_key_by_kind_only() -> None:
    layer = "  L9:\n    name: 73914582\n    scope: 73914583\n    managed_by: none\n    components: [x]\n"
    ordinary = _said(SSOT.replace("layers:\n", "layers:\n" + layer, 1))
    secret = _said(SSOT.replace("layers:\n", "layers:\n" + layer.replace("L9", "L9_token"), 1))

    # an ordinary key: the value is quoted, so that the user sees what YAML read
    assert "YAML read '73914582' as a number" in ordinary and "found 73914583" in ordinary, ordinary
    # a secret-sounding one: what it is, not what it says
    assert "layers.L9_token.name: Input should be a valid string; YAML read it as a number: quote it" in secret
    assert f"found a number {NOT_SHOWN}" in secret, secret
    assert "73914582" not in secret and "73914583" not in secret, secret


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        (("environments", "prod", "values", "db_password"), True),
        (("environments", "prod", "values", "db", "api_token"), True),
        (("variables", "github_token", "default"), True),
        (("environments", "prod", "values", "replicas"), False),
        # a name that refers to a secret holds none (a Kubernetes Secret's name, a key file's path)
        (("environments", "prod", "values", "tls_secret_name"), False),
        (("decisions", 0, "title"), False),
    ],
)
def test_which_paths_sound_secret(path: tuple[str | int, ...], secret: bool) -> None:
    assert is_secret_path(path) is secret


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_output_format_prints_the_value_or_its_number(repo: Path, run_cli: RunCli, fmt: str) -> None:
    edit(repo / SSOT_PATH, STAGING, STAGING + "    values:\n      db_password: 0x8f3a9c2e7b1d\n")

    checked = run_cli("check", "--root", repo, "--format", fmt)
    built = run_cli("build", "--root", repo)

    for result in (checked, built):
        assert result.code == 2, result
        assert "8f3a9c2e7b1d" not in result.output and "157481891167005" not in result.output, result
        assert f"environments.staging.values.db_password {NOT_SHOWN}" in result.output, result
    if fmt == "json":
        messages = [finding["message"] for finding in json.loads(checked.stdout)["findings"]]
        assert any(NOT_SHOWN in message for message in messages), messages


# --- drift on a value generated from under a secret-sounding key ---------------------------------------------


def _finding(path: str, expected: str, found: str) -> Finding:
    return Finding(
        "envs/staging.tfvars.example",
        4,
        f"'pin': expected {expected}, found {found}",
        code="tfvars-example-value",
        expected=expected,
        found=found,
        diff=f"-pin = {found}\n+pin = {expected}\n",
        source=Source(SSOT_PATH, 61, 23, path),
    )


@pytest.mark.parametrize(("expected", "found"), [("24681357", "13572468"), ("7", "8")], ids=["long", "short"])
def test_a_finding_sourced_under_a_secret_key_shows_neither_value(expected: str, found: str) -> None:
    (finding,) = redact([_finding("environments.staging.values.admin_password", expected, found)])

    assert finding.expected == finding.found == REDACTED
    assert finding.message == f"'pin': expected {REDACTED}, found {REDACTED}"
    assert finding.diff == f"-pin = {REDACTED}\n+pin = {REDACTED}\n"


def test_a_finding_sourced_under_an_ordinary_key_keeps_its_values() -> None:
    (finding,) = redact([_finding("environments.staging.values.replicas", "24681357", "13572468")])

    assert (finding.expected, finding.found) == ("24681357", "13572468")
    assert finding.message == "'pin': expected 24681357, found 13572468"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_drift_of_a_number_under_a_secret_key_prints_neither_value(repo: Path, run_cli: RunCli, fmt: str) -> None:
    # a number under a secret-sounding name is no secret to the rules (its type is number), so it is
    # written to the tfvars example; a drift there still says where, never what
    declared = "variables:\n  admin_password:\n    type: number\n    required: false\n    description: A PIN.\n"
    edit(repo / SSOT_PATH, "\nvariables:\n", "\n" + declared)
    edit(repo / SSOT_PATH, STAGING, STAGING + "    values:\n      admin_password: 24681357\n")
    assert run_cli("build", "--root", repo).code == 0
    edit(repo / "envs/staging.tfvars.example", "24681357", "13572468")

    result = run_cli("check", "--root", repo, "--format", fmt)

    assert result.code == 1, result
    assert "24681357" not in result.output and "13572468" not in result.output, result
    assert "environments.staging.values.admin_password" in result.output, result
