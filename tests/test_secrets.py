"""Secrets stay out of git: committed tfvars files, tracked real tfvars, .gitignore, and ssot/env.yaml itself.

Every fake secret is assembled at run time, so that no secret-looking text is committed with these tests.
The rest of the secret guard has its own modules: tests/test_secret_guard_ssot.py (any text of ssot/env.yaml,
and what validation may quote), tests/test_secret_guard_checks.py (tfvars comments, Terraform defaults,
redaction of every output), tests/test_secret_shapes.py and tests/test_hcl_lexer.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_REPO, REPO_ROOT, RunCli, edit, line_of, run_command

from compiler.app.engine import build_plan, check_repository
from compiler.checks.secrets import check_secrets, redact, scan_files
from compiler.core.validate import load_ssot
from compiler.errors import SsotError
from compiler.findings import Finding
from compiler.io import git
from compiler.io.repository import read_repository
from compiler.io.write import apply_changes
from compiler.secrets.shapes import is_placeholder, secret_reason

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")

SECRET_CODES = ("secret-value", "tfvars-tracked", "gitignore-tfvars")

# Fake secrets of every recognised shape (never valid credentials).
AWS_KEY_ID = "AKIA" + "Q7" * 8
AWS_SESSION_KEY_ID = "ASIA" + "Z3" * 8
GITHUB_TOKENS = [prefix + "_" + "aB3" * 12 for prefix in ("ghp", "gho", "ghu", "ghs", "ghr")]
GITHUB_PAT = "github" + "_pat_" + "11AB" * 6 + "_" + "x9Y" * 20
GITLAB_TOKEN = "glpat" + "-" + "Zy8" * 7
SLACK_TOKENS = ["xox" + letter + "-1234567890-" + "Ab9" * 8 for letter in "abprs"]
GOOGLE_KEY = "AIza" + "Sy" + "D4-_" * 8 + "q"
STRIPE_KEYS = [kind + "k_live_" + "4eC3" * 6 for kind in "sr"]
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9" + ".eyJ" + "zdWIiOiIxMjM0NSJ9" + "." + "dBjftJeZ4CVP" * 3
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\nnot-a-real-key-body\n-----END " + "RSA PRIVATE KEY-----"
PASSWORD = "hunter2-" + "Zq9x"


@pytest.fixture(autouse=True)
def git_sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git as a fresh install sees it: no user or system configuration, no repository above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def run_git(root: Path, *args: str) -> None:
    completed = subprocess.run([GIT or "git", *args], cwd=root, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def make_git_repo(root: Path, gitignore: str | None = None) -> None:
    """`git init` the copy, with the example repository's .gitignore unless another text is given."""
    run_git(root, "init", "-q")
    text = (FIXTURE_REPO / ".gitignore").read_text(encoding="utf-8") if gitignore is None else gitignore
    (root / ".gitignore").write_text(text, encoding="utf-8")


def build(root: Path) -> None:
    apply_changes(root, {a.path: a.expected for a in build_plan(root) if not a.up_to_date})


def add_variable(root: Path, name: str, body: str) -> None:
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    edit(root / "ssot/env.yaml", "\nvariables:\n", f"\nvariables:\n  {name}:\n{lines}")
    build(root)


def add_sensitive_variable(root: Path) -> None:
    add_variable(root, "db_password", "type: string\nsensitive: true\nrequired: false\ndescription: Injected by CI.")


def append(path: Path, text: str) -> int:
    """Append `text` to a file; the 1-based number of the line it starts on."""
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def secret_findings(root: Path) -> list[Finding]:
    return [f for f in check_repository(root).findings if f.code in SECRET_CODES]


def located(findings: list[Finding]) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.file, f.line, f.message) for f in findings]


def assert_never_shown(secret: str, *texts: str | None) -> None:
    for text in texts:
        assert text is None or secret not in text, f"the secret is shown in {text!r}"


def assert_finding_hides(secret: str, finding: Finding) -> None:
    assert_never_shown(secret, finding.message, finding.fix, finding.diff, finding.expected, finding.found)


# -- the repository itself --


def test_the_repository_gives_no_finding() -> None:
    assert check_repository(REPO_ROOT).findings == []


def test_a_copy_outside_git_without_a_gitignore_gives_no_finding(repo: Path) -> None:
    """Outside git there is nothing to let tfvars in; a missing .gitignore is then no finding."""
    assert git.tracked_files(repo, "envs") is None
    assert check_repository(repo).findings == []


@needs_git
def test_a_fresh_clone_gives_no_finding(repo: Path) -> None:
    make_git_repo(repo)
    run_git(repo, "add", "-A")
    assert check_repository(repo).findings == []


def test_python_hcl2_stays_unimported_when_the_examples_are_as_generated(repo: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from compiler.app.engine import check_repository\n"
        f"assert check_repository(Path({str(repo)!r})).findings == []\n"
        "print('hcl2' in sys.modules, 'lark' in sys.modules)"
    )
    result = run_command([sys.executable, "-c", script], cwd=repo)
    assert (result.code, result.stdout) == (0, "False False\n"), result


# -- secret-value: tfvars examples --


def test_a_sensitive_variable_in_an_example_is_named_with_its_line(repo: Path) -> None:
    add_sensitive_variable(repo)
    example = repo / "envs/staging.tfvars.example"
    line = append(example, f'db_password = "{PASSWORD}"\n')

    findings = secret_findings(repo)

    assert located(findings) == [
        (
            "secret-value",
            "envs/staging.tfvars.example",
            line,
            "'db_password' is sensitive in ssot/env.yaml, so a tfvars example must hold no value for it",
        )
    ]
    assert findings[0].fix == (
        "remove it; set it another way (TF_VAR_db_password from CI); rotate it if it was ever committed"
    )
    assert_finding_hides(PASSWORD, findings[0])


def test_a_sensitive_variable_in_an_example_fails_the_cli_without_printing_it(repo: Path, run_cli: RunCli) -> None:
    add_sensitive_variable(repo)
    line = append(repo / "envs/prod.tfvars.example", f'db_password = "{PASSWORD}"\n')

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert (
        f"envs/prod.tfvars.example:{line}: 'db_password' is sensitive in ssot/env.yaml, "
        "so a tfvars example must hold no value for it\n"
    ) in result.stdout, result
    assert PASSWORD not in result.output, result


@pytest.mark.parametrize(
    ("attribute", "reason"),
    [
        (f'deploy_key = "{GITHUB_TOKENS[0]}"', "a GitHub token"),
        (f'notify = {{ channel = "ops", hook = "{SLACK_TOKENS[1]}" }}', "a Slack token"),
        (f'smtp_password = "{PASSWORD}"', "a non-placeholder value for a *password* variable"),
        (
            f'registries = [{{ url = "r.example.com", token = "{PASSWORD}" }}]',
            "a non-placeholder value for a *token* key",
        ),
    ],
    ids=["token-shape", "nested-shape", "secret-name", "nested-secret-name"],
)
def test_a_secret_looking_value_in_an_example_is_named_with_its_line(repo: Path, attribute: str, reason: str) -> None:
    line = append(repo / "envs/staging.tfvars.example", attribute + "\n")
    name = attribute.split(" ", 1)[0]

    findings = secret_findings(repo)

    assert located(findings) == [
        (
            "secret-value",
            "envs/staging.tfvars.example",
            line,
            f"{name!r} holds what looks like a secret ({reason}); a tfvars example must hold none",
        )
    ]
    # the SSOT does not declare the variable: the fix says to declare it, not to mark it
    assert findings[0].fix == (
        f"remove it from the tfvars example; if it is a secret, declare {name!r} under variables in "
        f"ssot/env.yaml with sensitive: true (it is not declared there), and set it another way "
        f"(TF_VAR_{name} from CI); rotate it if it was ever committed"
    )


def test_a_secret_looking_value_of_a_declared_variable_says_to_mark_it_sensitive(repo: Path) -> None:
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', f'"{GITHUB_TOKENS[0]}"')

    (finding,) = secret_findings(repo)

    assert finding.fix == (
        "remove it from the tfvars example; if it is a secret, mark 'env_prefix' sensitive: true under variables "
        "in ssot/env.yaml, and set it another way (TF_VAR_env_prefix from CI); rotate it if it was ever committed"
    )


def test_a_private_key_in_a_heredoc_is_found_at_its_attribute(repo: Path) -> None:
    line = append(repo / "envs/staging.tfvars.example", f"tls_key = <<EOT\n{PEM}\nEOT\n")

    findings = secret_findings(repo)

    assert located(findings) == [
        (
            "secret-value",
            "envs/staging.tfvars.example",
            line,
            "'tls_key' holds what looks like a secret (a PEM private key block); a tfvars example must hold none",
        )
    ]


@pytest.mark.parametrize("placeholder", ["", "...", "changeme", "<your password>", "REPLACE_ME", "TODO", "xxxx"])
def test_a_placeholder_for_a_secret_named_variable_is_no_finding(repo: Path, placeholder: str) -> None:
    append(repo / "envs/staging.tfvars.example", f'smtp_password = "{placeholder}"\n')
    assert secret_findings(repo) == []


def test_an_example_for_an_unknown_environment_is_scanned_too(repo: Path) -> None:
    example = repo / "envs/qa.tfvars.example"
    line = append(example, f'environment = "qa"\naws_key = "{AWS_KEY_ID}"\n') + 1

    assert located(secret_findings(repo)) == [
        (
            "secret-value",
            "envs/qa.tfvars.example",
            line,
            "'aws_key' holds what looks like a secret (an AWS access key id); a tfvars example must hold none",
        )
    ]


def test_an_unparsable_example_is_trouble_and_never_shows_its_text(repo: Path, run_cli: RunCli) -> None:
    append(repo / "envs/staging.tfvars.example", f"smtp_password = '{PASSWORD}'\n")

    with pytest.raises(SsotError) as info:
        check_secrets(*read_repository(repo))
    assert [(p.file, p.code) for p in info.value.problems] == [("envs/staging.tfvars.example", "invalid-tfvars")]

    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert PASSWORD not in result.output, result


# A drifted example is also reported by the artifact comparison, which quotes what it found: check.py must
# pass those findings through secrets.redact (with scan's texts) for the CLI to hide the value.
def test_redact_hides_the_value_from_the_other_findings_about_the_file(repo: Path) -> None:
    example = repo / "envs/staging.tfvars.example"
    edit(example, '"x-staging"', f'"{GITHUB_TOKENS[2]}"')
    append(example, f"tls_key = <<EOT\n{PEM}\nEOT\n")
    scan_result = scan_files(*read_repository(repo))
    findings = check_repository(repo).findings
    assert {f.code for f in findings} > {"secret-value"}, "the comparison reports the drift too"

    redacted = redact(findings, scan_result.texts)

    assert [(f.code, f.file, f.line) for f in redacted] == [(f.code, f.file, f.line) for f in findings]
    for finding in redacted:
        for secret in (GITHUB_TOKENS[2], "not-a-real-key-body"):
            assert_finding_hides(secret, finding)


def test_a_token_replacing_an_example_value_is_never_printed(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', f'"{GITHUB_TOKENS[2]}"')

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert "'env_prefix' holds what looks like a secret (a GitHub token)" in result.stdout, result
    assert GITHUB_TOKENS[2] not in result.output, result


# -- tfvars-tracked, and secret-value in a tracked real tfvars --


def real_tfvars(root: Path, env: str = "staging") -> Path:
    """A correct envs/<env>.tfvars: a copy of its example."""
    path = root / f"envs/{env}.tfvars"
    shutil.copyfile(root / f"envs/{env}.tfvars.example", path)
    return path


@needs_git
def test_a_tracked_real_tfvars_is_a_finding(repo: Path) -> None:
    make_git_repo(repo)
    real_tfvars(repo)
    run_git(repo, "add", "-f", "envs/staging.tfvars")

    findings = secret_findings(repo)

    assert located(findings) == [
        ("tfvars-tracked", "envs/staging.tfvars", 0, "tracked by git; real tfvars may hold local values")
    ]
    assert findings[0].fix == (
        "git rm --cached envs/staging.tfvars (your copy stays), and rotate any secret it ever held; or, if these "
        "files are committed on purpose, set committed: true on envs/{env}.tfvars under layout.tfvars"
    )


@needs_git
def test_an_untracked_real_tfvars_is_not_scanned_here(repo: Path) -> None:
    make_git_repo(repo)
    append(real_tfvars(repo), f'deploy_key = "{GITHUB_TOKENS[0]}"\n')
    assert secret_findings(repo) == []


@needs_git
def test_a_secret_in_a_tracked_real_tfvars_is_named_with_its_line(repo: Path, run_cli: RunCli) -> None:
    make_git_repo(repo)
    line = append(real_tfvars(repo), f'registry_token = "{GITLAB_TOKEN}"\n')
    run_git(repo, "add", "-f", "envs/staging.tfvars")

    findings = secret_findings(repo)

    assert located(findings) == [
        ("tfvars-tracked", "envs/staging.tfvars", 0, "tracked by git; real tfvars may hold local values"),
        (
            "secret-value",
            "envs/staging.tfvars",
            line,
            (
                "'registry_token' holds what looks like a secret (a GitLab personal access token); "
                "a tfvars file tracked by git must hold none"
            ),
        ),
    ]

    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert "envs/staging.tfvars: tracked by git; real tfvars may hold local values\n" in result.stdout, result
    assert f"envs/staging.tfvars:{line}: 'registry_token' holds what looks like a secret" in result.stdout, result
    assert GITLAB_TOKEN not in result.output, result


@needs_git
def test_a_sensitive_variable_in_a_tracked_real_tfvars_is_reported_once(repo: Path) -> None:
    """The tfvars check reports it (tfvars-sensitive); this scan does not say it again."""
    add_sensitive_variable(repo)
    make_git_repo(repo)
    line = append(real_tfvars(repo), f'db_password = "{PASSWORD}"\n')
    run_git(repo, "add", "-f", "envs/staging.tfvars")

    findings = check_repository(repo).findings

    assert sorted((f.code, f.line) for f in findings if f.file == "envs/staging.tfvars") == [
        ("tfvars-sensitive", line),
        ("tfvars-tracked", 0),
    ]


@needs_git
def test_a_sensitive_variable_in_a_tracked_tfvars_of_no_environment_is_named(repo: Path, run_cli: RunCli) -> None:
    """The tfvars check stops at the unknown environment, so this scan names the sensitive variable."""
    add_sensitive_variable(repo)
    make_git_repo(repo)
    line = append(repo / "envs/qa.tfvars", f'environment = "qa"\ndb_password = "{PASSWORD}"\n') + 1
    run_git(repo, "add", "-f", "envs/qa.tfvars")

    assert located(secret_findings(repo)) == [
        ("tfvars-tracked", "envs/qa.tfvars", 0, "tracked by git; real tfvars may hold local values"),
        (
            "secret-value",
            "envs/qa.tfvars",
            line,
            "'db_password' is sensitive in ssot/env.yaml, so a tfvars file tracked by git must hold no value for it",
        ),
    ]

    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"envs/qa.tfvars:{line}: 'db_password' is sensitive" in result.stdout, result
    assert PASSWORD not in result.output, result


# -- gitignore-tfvars --

NOT_IGNORED_BOTH = "does not keep real tfvars out of git (envs/staging.tfvars, envs/prod.tfvars are not ignored)"
GITIGNORE_FIX = "add at the end of .gitignore the lines envs/*.tfvars and !envs/*.tfvars.example"


@needs_git
def test_a_work_tree_without_a_gitignore_is_told_to_add_one(repo: Path, run_cli: RunCli) -> None:
    make_git_repo(repo, gitignore="")
    (repo / ".gitignore").unlink()

    findings = secret_findings(repo)

    assert located(findings) == [("gitignore-tfvars", ".gitignore", 0, NOT_IGNORED_BOTH)]
    assert findings[0].fix == GITIGNORE_FIX

    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f".gitignore: {NOT_IGNORED_BOTH}\n  fix: {GITIGNORE_FIX}\n" in result.stdout, result


@needs_git
def test_a_negation_that_lets_one_real_tfvars_in_is_named_by_its_line(repo: Path) -> None:
    gitignore = "envs/*.tfvars\n!envs/*.tfvars.example\n# local overrides\n!envs/prod.tfvars\n"
    make_git_repo(repo, gitignore)

    assert located(secret_findings(repo)) == [
        ("gitignore-tfvars", ".gitignore", 4, "does not keep real tfvars out of git (envs/prod.tfvars is not ignored)")
    ]


@needs_git
def test_a_root_below_the_top_of_its_work_tree_names_the_ignore_file_from_the_root(repo: Path, tmp_path: Path) -> None:
    top = tmp_path / "monorepo"
    root = top / "infra"
    shutil.copytree(repo, root)
    make_git_repo(top, gitignore="*.tfvars\n!infra/envs/prod.tfvars\n")

    assert located(secret_findings(root)) == [
        (
            "gitignore-tfvars",
            "../.gitignore",
            2,
            "does not keep real tfvars out of git (envs/prod.tfvars is not ignored)",
        )
    ]


@needs_git
def test_the_users_global_excludes_do_not_count(repo: Path) -> None:
    """CI has no global excludes file: only the repository's ignore files keep tfvars out."""
    make_git_repo(repo, gitignore="site/\n")
    excludes = repo.parent / "global-excludes"
    excludes.write_text("*.tfvars\n", encoding="utf-8")
    run_git(repo, "config", "core.excludesFile", str(excludes))

    assert located(secret_findings(repo)) == [("gitignore-tfvars", ".gitignore", 0, NOT_IGNORED_BOTH)]


def test_outside_git_a_gitignore_without_the_rule_is_a_finding(repo: Path, run_cli: RunCli) -> None:
    (repo / ".gitignore").write_text("site/\n.venv/\n", encoding="utf-8")

    assert located(secret_findings(repo)) == [("gitignore-tfvars", ".gitignore", 0, NOT_IGNORED_BOTH)]

    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f".gitignore: {NOT_IGNORED_BOTH}\n" in result.stdout, result


def test_outside_git_a_later_negation_is_named_by_its_line(repo: Path) -> None:
    (repo / ".gitignore").write_text("*.tfvars\n!envs/staging.tfvars\n", encoding="utf-8")

    assert located(secret_findings(repo)) == [
        (
            "gitignore-tfvars",
            ".gitignore",
            2,
            "does not keep real tfvars out of git (envs/staging.tfvars is not ignored)",
        )
    ]


GITIGNORES = {
    "the-rule": ("envs/*.tfvars\n!envs/*.tfvars.example\n", True),
    "any-tfvars": ("*.tfvars\n", True),
    "the-directory": ("envs/\n", True),
    "the-directory-bare": ("envs\n", True),
    "anchored": ("/envs/*.tfvars\n", True),
    "double-star": ("**/*.tfvars\n", True),
    "bracket": ("envs/[a-z]*.tfvars\n", True),
    "negated-later": ("envs/*.tfvars\n!envs/staging.tfvars\n", False),
    "negated-in-ignored-directory": ("envs/\n!envs/staging.tfvars\n", True),
    "negated-then-ignored-again": ("*.tfvars\n!envs/*.tfvars\nenvs/staging.tfvars\n", True),
    "examples-only": ("*.tfvars.example\n", False),
    "another-directory": ("other/*.tfvars\n", False),
    "a-star-stays-in-its-directory": ("*/staging.tfvars\nenv*.tfvars\n", True),
    "comment": ("# envs/*.tfvars\n", False),
    "empty": ("", False),
}


@pytest.mark.parametrize(("text", "ignored"), GITIGNORES.values(), ids=GITIGNORES.keys())
def test_the_gitignore_reader_agrees_with_git(tmp_path: Path, text: str, ignored: bool) -> None:
    verdict = git.judge(git.parse_gitignore(text), "envs/staging.tfvars")
    assert (verdict is None) == ignored
    if GIT is not None:
        run_git(tmp_path, "init", "-q")
        (tmp_path / ".gitignore").write_text(text, encoding="utf-8")
        asked = git.not_ignored(tmp_path, ["envs/staging.tfvars"], in_work_tree=True)
        assert (asked == []) == ignored, "git itself decides the same way"


# -- ssot/env.yaml: secret-looking variables must be sensitive, and values there hold no secret --

SSOT = (FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8")
STAGING_PREFIX = "    env_prefix: x-staging      # business domains become x-staging.example.com\n"


def ssot_problems(text: str) -> list[str]:
    with pytest.raises(SsotError) as info:
        load_ssot(text, "ssot/env.yaml")
    return [str(p) for p in info.value.problems]


def with_variable(text: str, name: str, body: str) -> str:
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    return text.replace("\nvariables:\n", f"\nvariables:\n  {name}:\n{lines}", 1)


def with_staging_values(text: str, values: str) -> str:
    assert text.count(STAGING_PREFIX) == 1
    return text.replace(STAGING_PREFIX, f"    env_prefix: x-staging\n    values: {values}\n")


def test_a_secret_named_variable_must_be_sensitive() -> None:
    text = with_variable(SSOT, "smtp_password", "type: string\nrequired: false\ndescription: SMTP password.")
    line = line_of(text, "  smtp_password:")
    assert ssot_problems(text) == [
        (
            f"ssot/env.yaml:{line}:3: variable 'smtp_password' looks like a secret (its name says password): "
            "mark it sensitive: true, so that no tfvars file holds it (set it another way: TF_VAR_smtp_password from CI)"
        )
    ]


@pytest.mark.parametrize(
    ("name", "type_"), [("token_ttl", "number"), ("enable_password_auth", "bool"), ("tls_secret_name", "string")]
)
def test_a_name_that_only_refers_to_a_secret_needs_no_sensitive(name: str, type_: str) -> None:
    text = with_variable(SSOT, name, f"type: {type_}\nrequired: false\ndescription: Not a secret.")
    assert name in load_ssot(text, "ssot/env.yaml").variables


def test_a_secret_value_in_the_ssot_is_refused_at_the_value(run_cli: RunCli, repo: Path) -> None:
    text = with_variable(SSOT, "alert_hook", "type: string\nrequired: false\ndescription: Where alerts go.")
    text = with_staging_values(text, f"{{alert_hook: {SLACK_TOKENS[0]}}}")
    line = line_of(text, "    values:")
    column = text.split("\n")[line - 1].index(SLACK_TOKENS[0]) + 1
    message = (
        f"ssot/env.yaml:{line}:{column}: the value of 'alert_hook' looks like a secret (a Slack token); it would be "
        "committed here and in envs/staging.tfvars.example: remove it, mark 'alert_hook' sensitive: true and set it "
        "another way (TF_VAR_alert_hook from CI)"
    )
    assert ssot_problems(text) == [message]

    (repo / "ssot/env.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert message in result.stderr, result
    assert SLACK_TOKENS[0] not in result.output, result


def test_a_placeholder_value_in_the_ssot_is_no_secret() -> None:
    text = with_variable(SSOT, "alert_hook", "type: string\nrequired: false\ndescription: Where alerts go.")
    assert load_ssot(with_staging_values(text, '{alert_hook: "<slack hook>"}'), "ssot/env.yaml")


# -- secret_reason --

SHAPES = [
    (AWS_KEY_ID, "an AWS access key id"),
    (AWS_SESSION_KEY_ID, "an AWS access key id"),
    *((token, "a GitHub token") for token in GITHUB_TOKENS),
    (GITHUB_PAT, "a GitHub token"),
    (GITLAB_TOKEN, "a GitLab personal access token"),
    *((token, "a Slack token") for token in SLACK_TOKENS),
    (GOOGLE_KEY, "a Google API key"),
    *((key, "a Stripe live key") for key in STRIPE_KEYS),
    (JWT, "a JSON Web Token"),
    (PEM, "a PEM private key block"),
    ("-----BEGIN " + "OPENSSH PRIVATE KEY-----\n...", "a PEM private key block"),
    ("-----BEGIN " + "PGP PRIVATE KEY BLOCK-----", "a PEM private key block"),
]


@pytest.mark.parametrize(("value", "reason"), SHAPES, ids=[reason + f"-{i}" for i, (_, reason) in enumerate(SHAPES)])
def test_every_token_shape_is_recognised_whatever_the_name(value: str, reason: str) -> None:
    assert secret_reason("description", value) == reason
    assert secret_reason("description", f"prefix {value} suffix") == reason, "found inside text"
    assert secret_reason("settings", {"a": [1, {"b": value}]}) == reason, "found deep inside lists and maps"


NOT_SECRETS = [
    ("AKIA" + "Q" * 15, "too short for an AWS key id"),
    ("XAKIA" + "Q" * 16, "an AWS key id inside a longer word"),
    ("ghp_" + "short", "too short for a GitHub token"),
    ("sk_test_" + "4eC3" * 6, "a Stripe test key"),
    ("eyJ" + "abc", "one part of a JWT"),
    ("-----BEGIN " + "PUBLIC KEY-----", "a public key"),
    ("-----BEGIN " + "CERTIFICATE-----", "a certificate"),
    ("x-staging.example.com", "a host name"),
]


@pytest.mark.parametrize(("value", "why"), NOT_SECRETS, ids=[why for _, why in NOT_SECRETS])
def test_near_misses_are_not_secrets(value: str, why: str) -> None:
    assert secret_reason("description", value) is None


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("db_password", "password"),
        ("DB_PASSWD", "password"),
        ("client_secret", "secret"),
        ("api-token", "token"),
        ("ssh_private_key", "private_key"),
        ("privateKey", "private_key"),
    ],
)
def test_a_secret_name_with_a_real_value_is_a_secret(name: str, word: str) -> None:
    assert secret_reason(name, PASSWORD) == f"a non-placeholder value for a *{word}* variable"


PLACEHOLDERS = ["", "   ", "...", "\u2026", "changeme", "CHANGE_ME", "<...>", "<db password>", "REPLACE_ME",
                "replace-me", "TODO", "tbd", "FIXME", "xxx", "XXXXXXXX", "****", "dummy", "example", "placeholder",
                "redacted"]  # fmt: skip


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_a_placeholder_is_not_a_secret(placeholder: str) -> None:
    assert is_placeholder(placeholder)
    assert secret_reason("db_password", placeholder) is None
    assert secret_reason("settings", {"admin_password": placeholder, "users": [placeholder]}) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("db_password", 1234),
        ("enable_token_auth", True),
        ("token_ttl", "1h"),
        ("tls_secret_name", "web-tls"),
        ("private_key_path", "/etc/ssl/private/web.key"),
        ("base_domain", "example.com"),
        ("settings", {"replicas": 2, "tags": ["web", "api"]}),
        ("settings", None),
    ],
)
def test_ordinary_values_are_not_secrets(name: str, value: object) -> None:
    assert secret_reason(name, value) is None


def test_a_secret_key_inside_a_map_counts_like_a_secret_variable() -> None:
    assert secret_reason("database", {"host": "db", "auth": {"password": PASSWORD}}) == (
        "a non-placeholder value for a *password* key"
    )
    assert secret_reason("db_password", {"primary": PASSWORD}) == "a non-placeholder value for a *password* variable"
