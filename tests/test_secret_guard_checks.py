"""The secret guard of `ssot check`: comments of tfvars files, Terraform defaults, and every output redacted.

- a commented-out assignment (`# aws_secret_access_key = "..."`, `// github_token = "..."`, `/* ... */`)
  with a secret-shaped value, or a secret-sounding name with a real value, is a `secret-value` finding at
  its line, in a tfvars example or a tracked tfvars file;
- a Terraform `default` (or any string or comment of a layer's `*.tf`) holding a secret is one too;
- every finding and problem is redacted before it is reported: the values any scan flagged, and every
  token shape whatever its origin (a stale diff, a real tfvars `environment`), in every format.

Every fake secret is assembled at run time (tests/fake_secrets.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli, edit, line_of
from fake_secrets import AWS_SECRET_KEY, GITHUB_TOKEN, PASSWORD, PEM, PEM_BODY, SLACK_TOKEN
from test_terraform import with_terraform

from compiler.app.engine import check_repository
from compiler.checks import run_checks
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.io.repository import read_repository
from compiler.secrets.redaction import REDACTED, redact, redact_problems

EXAMPLE = "envs/staging.tfvars.example"
RULE = "a tfvars example must hold none, not even in a comment"
COMMENT_FIX = "remove it from the comment; rotate it if it was ever committed"


def append(path: Path, text: str) -> int:
    """Append `text`; the 1-based line it starts on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def secret_values(root: Path) -> list[tuple[str, int, str]]:
    return [(f.file, f.line, f.message) for f in check_repository(root).findings if f.code == "secret-value"]


def assert_hidden(result_text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result_text, f"{secret!r} is shown:\n{result_text}"


# -- comments of tfvars files --


def test_commented_out_secrets_in_an_example_are_findings_at_their_lines(repo: Path) -> None:
    example = repo / EXAMPLE
    first = append(
        example,
        f'# aws_secret_access_key = "{AWS_SECRET_KEY}"\n'
        f'// github_token = "{GITHUB_TOKEN}"\n'
        f'/* the old ones:\n   db_password = "{PASSWORD}"\n   hook        = "{SLACK_TOKEN}" */\n'
        f"# rotated {GITHUB_TOKEN[:-1]}Q last week\n",
    )

    assert secret_values(repo) == [
        (
            EXAMPLE,
            first,
            f"a commented-out 'aws_secret_access_key' holds what looks like a secret (an AWS secret access key); {RULE}",
        ),
        (EXAMPLE, first + 1, f"a commented-out 'github_token' holds what looks like a secret (a GitHub token); {RULE}"),
        (
            EXAMPLE,
            first + 3,
            f"a commented-out 'db_password' holds what looks like a secret (a non-placeholder value for a *password* variable); {RULE}",
        ),
        (EXAMPLE, first + 4, f"a commented-out 'hook' holds what looks like a secret (a Slack token); {RULE}"),
        (EXAMPLE, first + 5, f"a comment holds what looks like a secret (a GitHub token); {RULE}"),
    ]
    assert {f.fix for f in check_repository(repo).findings if f.code == "secret-value"} == {COMMENT_FIX}


@pytest.mark.parametrize(
    "comment",
    [
        '# db_password = "changeme"',
        '# api_token = "<from vault>"',
        "# token_ttl = 3600",
        "# db_password = var.db_password",
        "# enable_password_auth = true",
        "# see https://example.com/docs#password for the password policy",
        '// tls_secret_name = "web-tls"',
        f'# sha = "{"0123456789abcdef" * 2}01234567"',
    ],
)
def test_comments_without_a_secret_are_no_finding(repo: Path, comment: str) -> None:
    append(repo / EXAMPLE, comment + "\n")
    assert secret_values(repo) == []


def test_a_hash_in_a_string_is_no_comment(repo: Path) -> None:
    """`#` inside a quoted value, or a heredoc line, starts no comment: the value is what it is."""
    edit(repo / EXAMPLE, '"x-staging"', '"x-staging#password=zz"')
    append(repo / EXAMPLE, "notes = <<EOT\n# password = looks-real-but-is-a-value\nEOT\n")
    assert secret_values(repo) == []


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_a_commented_out_secret_is_shown_in_no_format(repo: Path, run_cli: RunCli, output: str) -> None:
    line = append(repo / EXAMPLE, f'// github_token = "{GITHUB_TOKEN}"\n/*\n{PEM}\n*/\n# db_password = "{PASSWORD}"\n')

    result = run_cli("check", "--root", repo, "--format", output)

    assert result.code == 1, result
    assert_hidden(result.output, GITHUB_TOKEN, PEM_BODY, PASSWORD)
    assert REDACTED in result.output, "the stale-artifact diff shows where the secrets were"
    if output == "json":
        found = [(f["code"], f["line"]) for f in json.loads(result.stdout)["findings"]]
        assert ("secret-value", line) in found and ("secret-value", line + 2) in found, found
    else:
        assert "a commented-out 'github_token' holds what looks like a secret (a GitHub token)" in result.stdout


GIT = shutil.which("git")


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_a_commented_out_secret_in_a_tracked_real_tfvars_is_a_finding(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    subprocess.run([GIT or "git", "init", "-q"], cwd=repo, check=True)
    real = repo / "envs/staging.tfvars"
    shutil.copyfile(repo / EXAMPLE, real)
    line = append(real, f"# slack = {SLACK_TOKEN}\n")
    subprocess.run([GIT or "git", "add", "-f", "envs/staging.tfvars"], cwd=repo, check=True)

    assert ("envs/staging.tfvars", line) in [(file, number) for file, number, _ in secret_values(repo)]


def test_an_untracked_real_tfvars_comment_is_no_finding_and_never_shown(repo: Path, run_cli: RunCli) -> None:
    real = repo / "envs/staging.tfvars"
    shutil.copyfile(repo / EXAMPLE, real)
    append(real, f'# github_token = "{GITHUB_TOKEN}"\n')
    assert secret_values(repo) == []
    result = run_cli("check", "--root", repo)
    assert result.code == 0, result
    assert_hidden(result.output, GITHUB_TOKEN)


# -- Terraform defaults --

TF_FIX = "remove the default; mark {0!r} sensitive and set it another way (TF_VAR_{0} from CI); rotate it if it was ever committed"
TF_RULE = "a Terraform file is committed and must hold none"


def add_tf(root: Path, text: str) -> tuple[str, Path]:
    path = root / "terraform/apps/extra.tf"
    path.write_text(text, encoding="utf-8")
    return "terraform/apps/extra.tf", path


def test_secret_defaults_of_terraform_variables_are_findings_at_their_lines(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo)
    edit(
        repo / "terraform/apps/variables.tf",
        'variable "labels" {\n  type    = map(string)\n  default = {}',
        f'variable "labels" {{\n  type    = map(string)\n  default = {{ team = "web", token = "{PASSWORD}" }}',
    )
    edit(
        repo / "terraform/data/variables.tf",
        'variable "base_domain" {\n  type = string\n',
        f'variable "base_domain" {{\n  type = string\n  default = "{GITHUB_TOKEN}"\n',
    )
    labels = line_of((repo / "terraform/apps/variables.tf").read_text(encoding="utf-8"), PASSWORD)
    base = line_of((repo / "terraform/data/variables.tf").read_text(encoding="utf-8"), GITHUB_TOKEN)

    findings = [f for f in check_repository(repo).findings if f.code == "secret-value"]

    assert [(f.file, f.line, f.message, f.fix) for f in findings] == [
        (
            "terraform/apps/variables.tf",
            labels,
            f"the default of variable 'labels' holds what looks like a secret (a non-placeholder value for a *token* key); {TF_RULE}",
            TF_FIX.format("labels"),
        ),
        (
            "terraform/data/variables.tf",
            base,
            f"the default of variable 'base_domain' holds what looks like a secret (a GitHub token); {TF_RULE}",
            TF_FIX.format("base_domain"),
        ),
    ]
    result = run_cli("check", "--root", repo, "--format", "json")
    assert result.code == 1, result
    assert_hidden(result.output, PASSWORD, GITHUB_TOKEN)


def test_a_secret_named_variable_with_a_real_default_is_a_finding(repo: Path) -> None:
    with_terraform(repo)
    file, _ = add_tf(
        repo, 'variable "admin_password" {\n  type    = string\n  default = <<EOT\n' + PASSWORD + "\nEOT\n}\n"
    )
    assert (
        file,
        3,
        f"the default of variable 'admin_password' holds what looks like a secret (a non-placeholder value for a *password* variable); {TF_RULE}",
    ) in secret_values(repo)


@pytest.mark.parametrize(
    "default", ['""', '"changeme"', "null", '"<set by CI>"', "{}", '{ password = "" }'], ids=lambda d: d
)
def test_a_placeholder_default_is_no_finding(repo: Path, default: str) -> None:
    with_terraform(repo)
    add_tf(repo, f'variable "admin_password" {{\n  type      = any\n  sensitive = true\n  default   = {default}\n}}\n')
    assert secret_values(repo) == []


def test_a_token_anywhere_else_in_a_tf_file_is_a_finding(repo: Path) -> None:
    with_terraform(repo)
    file, _ = add_tf(repo, f'provider "github" {{\n  token = "{GITHUB_TOKEN}"\n}}\n\n# old: {SLACK_TOKEN}\n')
    assert secret_values(repo) == [
        (file, 2, f"a string holds what looks like a secret (a GitHub token); {TF_RULE}"),
        (file, 5, f"a comment holds what looks like a secret (a Slack token); {TF_RULE}"),
    ]


# -- every finding redacted: flagged values, and token shapes whatever their origin --


def test_a_token_as_a_real_environment_is_never_echoed(repo: Path, run_cli: RunCli) -> None:
    real = repo / "envs/prod.tfvars"
    shutil.copyfile(repo / "envs/prod.tfvars.example", real)
    edit(real, '"prod"', f'"{GITHUB_TOKEN}"')

    [finding] = [f for f in check_repository(repo).findings if f.code == "tfvars-environment"]

    assert (
        finding.message
        == "environment is text that is not shown (it could be a secret), but this file is envs/prod.tfvars"
    )
    assert (finding.expected, finding.found) == ("prod", None)
    for output in ("text", "json", "github"):
        result = run_cli("check", "--root", repo, "--format", output)
        assert result.code == 1, result
        assert_hidden(result.output, GITHUB_TOKEN)


def test_a_password_like_real_environment_is_not_quoted_but_a_plain_one_is(repo: Path) -> None:
    real = repo / "envs/prod.tfvars"
    shutil.copyfile(repo / "envs/prod.tfvars.example", real)
    edit(real, '"prod"', f'"{PASSWORD}"')
    [finding] = [f for f in check_repository(repo).findings if f.code == "tfvars-environment"]
    assert PASSWORD not in finding.message and finding.found is None

    edit(real, f'"{PASSWORD}"', '"staging"')
    [finding] = [f for f in check_repository(repo).findings if f.code == "tfvars-environment"]
    assert finding.message == "environment is 'staging', but this file is envs/prod.tfvars"
    assert finding.found == "staging"


def test_an_aws_secret_key_under_an_innocent_name_is_masked_in_the_value_finding(repo: Path) -> None:
    edit(repo / EXAMPLE, '"x-staging"', f'"{AWS_SECRET_KEY}"')

    findings = check_repository(repo).findings

    assert (
        EXAMPLE,
        7,
        "'env_prefix' holds what looks like a secret (an AWS secret access key); a tfvars example must hold none",
    ) in [(f.file, f.line, f.message) for f in findings]
    [value] = [f for f in findings if f.code == "tfvars-example-value"]
    assert value.found == f'"{REDACTED}"'
    for finding in findings:
        assert_hidden(f"{finding.message}{finding.fix}{finding.diff}{finding.expected}{finding.found}", AWS_SECRET_KEY)


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_a_token_in_a_stale_page_diff_is_masked_whoever_wrote_it(repo: Path, run_cli: RunCli, output: str) -> None:
    """No scan looks at docs pages; the shape alone masks it in the diff."""
    page = repo / "docs/ssot/decisions.md"
    edit(
        page,
        "## Namespace vs Cluster Isolation\n",
        f"## Namespace vs Cluster Isolation\n\nKey: {AWS_SECRET_KEY} and {GITHUB_TOKEN}\n",
    )

    result = run_cli("check", "--root", repo, "--format", output)

    assert result.code == 1, result
    assert_hidden(result.output, AWS_SECRET_KEY, GITHUB_TOKEN)
    assert f"Key: {REDACTED} and {REDACTED}" in result.output.replace("\\n", "\n"), result


# -- problems (exit 2) --


def test_a_token_named_attribute_in_an_unreadable_tfvars_is_not_echoed(repo: Path, run_cli: RunCli) -> None:
    real = repo / "envs/staging.tfvars"
    shutil.copyfile(repo / EXAMPLE, real)
    line = append(real, f"{GITHUB_TOKEN} = var.x\n")

    result = run_cli("check", "--root", repo)

    assert result.code == 2, result
    assert f"envs/staging.tfvars:{line}: the value of '{REDACTED}' is not a literal" in result.stderr, result
    assert_hidden(result.output, GITHUB_TOKEN)


def test_a_token_in_a_block_marker_is_not_echoed_by_check(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "README.md", "<!-- ssot:begin finding-codes -->", f"<!-- ssot:begin {GITHUB_TOKEN} -->")
    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert_hidden(result.output, GITHUB_TOKEN)


PEM_DIFF = "".join(f"-{line}\n" for line in PEM.split("\n")) + "+b\n"


def test_run_checks_redacts_what_any_check_raises_or_reports(repo: Path) -> None:
    facts, snapshot = read_repository(repo)

    def leaky_finding(*_: object) -> list[Finding]:
        return [Finding("x", 1, f"saw {AWS_SECRET_KEY}", code="text-drift", diff=PEM_DIFF, found=SLACK_TOKEN)]

    def leaky_problem(*_: object) -> list[Finding]:
        raise SsotError([Problem("x", 1, 0, f"cannot read {GITHUB_TOKEN} near {PASSWORD}")])

    [finding] = run_checks(facts, snapshot, [leaky_finding])
    assert (finding.message, finding.diff, finding.found) == (f"saw {REDACTED}", f"-{REDACTED}\n-\n-\n+b\n", REDACTED)

    with pytest.raises(SsotError) as info:
        run_checks(facts, snapshot, [leaky_finding, leaky_problem])
    assert [p.message for p in info.value.problems] == [f"cannot read {REDACTED} near {REDACTED}"]


def test_redact_takes_out_flagged_texts_everywhere_but_in_secret_value_findings() -> None:
    drift = Finding("f", 1, f"found '{PASSWORD}'", code="tfvars-example-value", found=f'"{PASSWORD}"', expected="x")
    secret = Finding("f", 1, "'Hunter' holds what looks like a secret", code="secret-value")

    assert redact([drift, secret], ["Hunter", PASSWORD]) == [
        Finding("f", 1, f"found '{REDACTED}'", code="tfvars-example-value", found=f'"{REDACTED}"', expected="x"),
        secret,
    ]
    assert redact_problems([Problem("f", 1, 0, f"{GITHUB_TOKEN}!")]) == [Problem("f", 1, 0, f"{REDACTED}!")]


def test_the_users_own_root_is_kept_while_values_beside_it_are_redacted() -> None:
    """A random-looking directory name (mktemp's) is a path of the user's, not a password; a secret in the
    same message is still masked, also inside the root's path if it holds one."""
    root = "/tmp/tmp.Xq3kZ9aPqLm2Rt7"
    message = f"{root}/docs/a.md resolves outside the root {root} ({PASSWORD} {GITHUB_TOKEN})"
    [problem] = redact_problems([Problem("f", 1, 0, message)], keep=[root])
    assert problem.message == f"{root}/docs/a.md resolves outside the root {root} ({REDACTED} {REDACTED})"
    assert redact_problems([Problem("f", 1, 0, message)])[0].message.count(root) == 0, "the net holds without keep"
