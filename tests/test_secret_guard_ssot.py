"""The secret guard on ssot/env.yaml: a token shape anywhere in it is refused at its line, never echoed.

ssot/env.yaml is committed, copied into docs, README blocks and tfvars examples, and published whole on the
site (with its comments): a secret anywhere in it would go everywhere. And no validation message quotes a
value that could be a secret. Every fake secret is assembled at run time (tests/fake_secrets.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURE_REPO, RunCli, line_of, snapshot
from fake_secrets import (
    AWS_KEY_ID,
    AWS_SECRET_KEY,
    DATABASE_URL,
    GITHUB_TOKEN,
    PASSWORD,
    PEM_BODY,
    SLACK_TOKEN,
    URL_PASSWORD,
)

from compiler.core.validate import load_ssot
from compiler.errors import SsotError

SSOT = (FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8")
ADVICE = (
    "ssot/env.yaml is committed and published with the docs: remove it, rotate it if it was ever pushed, "
    "and set a secret another way (a sensitive variable, TF_VAR_<name> from CI)"
)


def replaced(old: str, new: str, text: str = SSOT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(text: str) -> list[str]:
    with pytest.raises(SsotError) as info:
        load_ssot(text, "ssot/env.yaml")
    return [str(p) for p in info.value.problems]


def position(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column where `needle` starts."""
    line = line_of(text, needle)
    return line, text.split("\n")[line - 1].index(needle) + 1


# Where a secret may be pasted: (the text to replace, its replacement with SECRET in it, where the message says)
FIELDS = {
    "description": (
        "description: Apex domain that business and platform host names are built on.",
        "description: Apex domain; deploy with SECRET.",
        "the value of variables.base_domain.description",
    ),
    "decision": (
        "detail: Managing one set of L1/L2 reduces maintenance burden.",
        "detail: 'Use SECRET for L1/L2.'",
        "the value of decisions.0.rationale.1.detail",
    ),
    "component": (
        "components: [Vault, Dashboard, Kubero, Casdoor]",
        "components: [Vault, SECRET, Casdoor]",
        "the value of layers.L2.components.1",
    ),
    "isolation": (
        "per_env: isolated by **workspace + namespace suffix**",
        "per_env: isolated by SECRET",
        "the value of isolation.per_env",
    ),
    "title": ("title: Staging\n", "title: SECRET\n", "the value of environments.staging.title"),
    "key": ("  L4:\n    name: Apps", "  SECRET:\n    name: Apps", "a key in layers"),
    "comment": ("# Layers, from the bottom of the stack up.", "# Layers (old token: SECRET).", "a comment"),
}
SECRETS = {
    "github-token": (GITHUB_TOKEN, "a GitHub token"),
    "slack-token": (SLACK_TOKEN, "a Slack token"),
    "aws-key-id": (AWS_KEY_ID, "an AWS access key id"),
    "aws-secret-key": (AWS_SECRET_KEY, "an AWS secret access key"),
}


@pytest.mark.parametrize("field", FIELDS.values(), ids=FIELDS.keys())
@pytest.mark.parametrize("secret", SECRETS.values(), ids=SECRETS.keys())
def test_a_token_anywhere_in_the_ssot_is_refused_at_its_line_and_column(
    field: tuple[str, str, str], secret: tuple[str, str]
) -> None:
    old, new, where = field
    token, reason = secret
    text = replaced(old, new.replace("SECRET", token))
    line, col = position(text, token)
    problems = problems_of(text)
    assert f"ssot/env.yaml:{line}:{col}: {where} looks like a secret ({reason}); {ADVICE}" in problems
    assert not any(token in p for p in problems), problems


def test_credentials_in_a_url_are_refused_at_the_password() -> None:
    text = replaced("single instance shared by all envs (single VPS MVP).", f"one database at {DATABASE_URL}.")
    line, col = position(text, URL_PASSWORD)
    assert problems_of(text) == [
        f"ssot/env.yaml:{line}:{col}: the value of isolation.shared looks like a secret (credentials in a URL); {ADVICE}"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "postgres://admin:${DB_PASSWORD}@db:5432/app",
        "postgres://admin:<password>@db/app",
        "https://x:****@h",
        "postgres://user:password@localhost/app",
    ],
)
def test_a_url_with_a_stand_in_for_its_password_is_no_secret(url: str) -> None:
    load_ssot(replaced("single instance shared by all envs (single VPS MVP).", f"one database at {url}."), "x.yaml")


def test_a_private_key_in_a_block_scalar_is_refused_and_no_line_of_it_is_shown() -> None:
    block = "".join(
        f"        {line}\n"
        for line in ["-----BEGIN " + "EC PRIVATE KEY-----", PEM_BODY, "-----END " + "EC PRIVATE KEY-----"]
    )
    text = replaced(
        "    description: Apex domain that business and platform host names are built on.\n",
        f"    description: |\n{block}",
    )
    line, col = position(text, "-----BEGIN")
    problems = problems_of(text)
    assert problems == [
        (
            f"ssot/env.yaml:{line}:{col}: the value of variables.base_domain.description looks like a secret "
            f"(a PEM private key block); {ADVICE}"
        )
    ]


def test_a_token_written_with_escapes_is_found_in_the_value() -> None:
    """The text does not show it, YAML decodes it: found where the value is written."""
    escaped = "gh\\x70" + GITHUB_TOKEN[3:]
    text = replaced("title: Staging\n", f'title: "{escaped}"\n')
    line, col = position(text, '"' + escaped)
    assert problems_of(text) == [
        f"ssot/env.yaml:{line}:{col}: the value of environments.staging.title looks like a secret (a GitHub token); {ADVICE}"
    ]


def test_a_token_is_reported_with_the_other_problems_even_when_the_yaml_is_broken() -> None:
    text = replaced("# Layers, from the bottom of the stack up.", f"# old: {GITHUB_TOKEN}") + "layers: [unclosed\n"
    line, col = position(text, GITHUB_TOKEN)
    problems = problems_of(text)
    assert f"ssot/env.yaml:{line}:{col}: a comment looks like a secret (a GitHub token); {ADVICE}" in problems
    assert len(problems) == 2 and any("YAML" in p for p in problems), problems
    assert not any(GITHUB_TOKEN in p for p in problems)


def test_a_token_in_a_model_error_is_reported_and_not_echoed() -> None:
    """The model refuses the value too (scope is a literal); neither problem shows the token."""
    text = replaced(
        "scope: per-env\n    managed_by: atlantis\n    atlantis_project: apps-{env}",
        f"scope: {GITHUB_TOKEN}\n    managed_by: atlantis\n    atlantis_project: apps-{{env}}",
    )
    problems = problems_of(text)
    assert any("the value of layers.L4.scope looks like a secret (a GitHub token)" in p for p in problems), problems
    assert any("Input should be 'shared' or 'per-env'" in p for p in problems), problems
    assert not any(GITHUB_TOKEN in p for p in problems), problems


def test_a_secret_value_of_a_variable_is_reported_once_by_the_rule_that_names_the_tfvars_example() -> None:
    text = replaced(
        "    description: Apex domain that business and platform host names are built on.\n",
        "    description: Apex domain.\n  alert_hook:\n    type: string\n    required: false\n    description: Where alerts go.\n",
    )
    text = replaced(
        "    env_prefix: x-staging ",
        f"    values: {{alert_hook: '{AWS_SECRET_KEY}'}}\n    env_prefix: x-staging ",
        text,
    )
    line, col = position(text, "'" + AWS_SECRET_KEY)
    assert problems_of(text) == [
        (
            f"ssot/env.yaml:{line}:{col}: the value of 'alert_hook' looks like a secret (an AWS secret access key); "
            "it would be committed here and in envs/staging.tfvars.example: remove it, mark 'alert_hook' "
            "sensitive: true and set it another way (TF_VAR_alert_hook from CI)"
        )
    ]


# -- messages quote no value that could be a secret --

MISPLACED = {
    "env_prefix": ("env_prefix: x-staging ", f"env_prefix: {PASSWORD} "),
    "literal": ("scope: shared              #", f"scope: {PASSWORD}              #"),
    "list": ("components: [Business apps]", f"components: {PASSWORD}"),
    "bool": ("    note: business domains only\n", f"    note: business domains only\n    sensitive: {PASSWORD}\n"),
    "unknown-key": ("    title: Prod\n", f"    title: Prod\n    {PASSWORD}: x\n"),
    "base_domain": (
        '    base_domain: example.com\n    env_prefix: ""',
        f'    base_domain: {PASSWORD}_x.com\n    env_prefix: ""',
    ),
}


@pytest.mark.parametrize(("old", "new"), MISPLACED.values(), ids=MISPLACED.keys())
def test_a_password_pasted_into_the_wrong_field_is_not_quoted_back(old: str, new: str) -> None:
    text = replaced(old, new)
    problems = problems_of(text)
    line = line_of(text, PASSWORD)
    assert any(p.startswith(f"ssot/env.yaml:{line}:") for p in problems), problems
    assert not any(PASSWORD in p for p in problems), problems


def test_ordinary_wrong_values_are_still_quoted() -> None:
    line = line_of(SSOT, "env_prefix: x-staging")
    assert problems_of(replaced("env_prefix: x-staging ", "env_prefix: X_Staging ")) == [
        (
            f"ssot/env.yaml:{line}:17: env_prefix 'X_Staging' must be empty or a DNS-1123 label "
            "(lowercase letters, digits and '-')"
        )
    ]


# -- through the CLI: exit 2, nothing written, nothing shown, whatever the format --


@pytest.mark.parametrize(
    ("command", "output"), [("check", "text"), ("check", "json"), ("check", "github"), ("build", None)]
)
def test_the_cli_refuses_the_ssot_without_showing_the_secret(
    repo: Path, run_cli: RunCli, command: str, output: str | None
) -> None:
    ssot = repo / "ssot/env.yaml"
    text = replaced("Apex domain that business and platform host names are built on.", f"Apex domain ({DATABASE_URL}).")
    text = replaced("# Layers, from the bottom of the stack up.", f"# Layers; old key {AWS_SECRET_KEY}", text)
    ssot.write_text(text, encoding="utf-8")
    before = snapshot(repo)

    result = run_cli(command, "--root", repo, *(("--format", output) if output else ()))

    assert result.code == 2, result
    for secret in (URL_PASSWORD, AWS_SECRET_KEY):
        assert secret not in result.output, result
    assert snapshot(repo) == before, "nothing is written"
    if output == "json":
        document = json.loads(result.stdout)
        assert {f["code"] for f in document["findings"]} == {"invalid-ssot"}, document
        assert [f["line"] for f in document["findings"]] == sorted(
            [line_of(text, "# Layers; old key"), line_of(text, "Apex domain (")]
        )
    else:
        assert "looks like a secret (credentials in a URL)" in result.output, result
        assert "a comment looks like a secret (an AWS secret access key)" in result.output, result
