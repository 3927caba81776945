"""tfvars: the generated examples read back to the SSOT's values; real envs/<env>.tfvars are checked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
from conftest import FIXTURE_REPO, REPO_ROOT, RunCli, edit, identities, line_of, snapshot

from compiler.core.facts import Facts, compile_facts
from compiler.core.validate import load_ssot

TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")


def facts_of(root: Path) -> Facts:
    return compile_facts(load_ssot((root / "ssot/env.yaml").read_text(encoding="utf-8"), "ssot/env.yaml"))


def read_hcl(text: str) -> dict[str, Any]:
    data = hcl2.loads(text, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True))
    return {key: value for key, value in data.items() if not key.startswith("__")}  # __comments__ and the like


EXAMPLE_FACTS = facts_of(FIXTURE_REPO)
ENVIRONMENTS = [env.name for env in EXAMPLE_FACTS.environments]


# -- the generated examples --


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_committed_example_reads_back_to_the_ssot_values(env: str) -> None:
    expected = next(e for e in EXAMPLE_FACTS.environments if e.name == env).tfvars
    text = (FIXTURE_REPO / f"envs/{env}.tfvars.example").read_text(encoding="utf-8")
    assert read_hcl(text) == expected
    assert list(read_hcl(text)) == list(expected), "variables in contract order"
    assert expected["environment"] == env


def assert_fmt_layout(text: str) -> None:
    """`terraform fmt` layout: LF, one final newline, no trailing blanks, aligned `=` in each run of attributes."""
    assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")
    run: list[int] = []
    for line in [*text.split("\n"), ""]:
        assert line == line.rstrip(), f"trailing blanks in {line!r}"
        match = re.match(r"[A-Za-z_][A-Za-z0-9_-]*( +)= ", line)
        if match:
            run.append(match.end() - 2)
            continue
        assert len(set(run)) <= 1, f"'=' not aligned in a run of attributes: columns {run}"
        run = []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_committed_example_is_in_terraform_fmt_layout(env: str) -> None:
    text = (FIXTURE_REPO / f"envs/{env}.tfvars.example").read_text(encoding="utf-8")
    assert text.startswith("# Generated from ssot/env.yaml by `ssot build`"), "the header says it is generated"
    assert_fmt_layout(text)
    attribute_lines = [line for line in text.splitlines() if not line.startswith("#") and line]
    widths = {line.index("=") for line in attribute_lines}
    assert widths == {max(len(name) for name in read_hcl(text)) + 1}, "aligned one space after the longest name"


def terraform_fmt(text: str) -> str:
    completed = subprocess.run(
        [TERRAFORM or "terraform", "fmt", "-no-color", "-"],
        input=text,
        capture_output=True,
        text=True,
        env=_terraform_env(),
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def _terraform_env() -> dict[str, str]:
    return {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}


@needs_terraform
@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_terraform_fmt_leaves_the_committed_example_unchanged(env: str) -> None:
    text = (FIXTURE_REPO / f"envs/{env}.tfvars.example").read_text(encoding="utf-8")
    assert terraform_fmt(text) == text


RICH_VARIABLES = """\
variables:
  replicas: {type: number, required: false, description: Replica count.}
  ratio: {type: number, required: false, description: A fraction.}
  enabled: {type: bool, required: false, description: A switch.}
  zones: {type: list, required: false, description: Zones.}
  labels: {type: map, required: false, description: Labels.}
  motd: {type: string, required: false, description: Message of the day.}
"""

RICH_VALUES = r"""    env_prefix: x-staging
    values:
      replicas: -2
      ratio: 0.25
      enabled: false
      zones: [a, "b c", []]
      labels: {team: web, "cost centre": "42", "a.b": x, nested: {k: [1, 2]}, "": empty}
      motd: "say \"hi\" \\ back\\slash\nnew line\ttab, café 🚀"
"""

TEMPLATE_VALUES = r"""    env_prefix: x-staging
    values:
      motd: "literal ${var.x} and %{ if } kept as text"
"""


def with_rich_values(repo: Path, values: str) -> None:
    """Declare RICH_VARIABLES and replace staging's env_prefix line by `values` in the copy's SSOT."""
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "\nvariables:\n", "\n" + RICH_VARIABLES)
    text, count = re.subn(
        r"^    env_prefix: x-staging\b.*\n", lambda _: values, ssot.read_text(encoding="utf-8"), flags=re.MULTILINE
    )
    assert count == 1
    ssot.write_text(text, encoding="utf-8")


def test_examples_with_numbers_bools_lists_maps_and_escapes_read_back_exactly(repo: Path, run_cli: RunCli) -> None:
    with_rich_values(repo, RICH_VALUES)
    built = run_cli("build", "--root", repo)
    assert built.code == 0, built

    facts = facts_of(repo)
    staging = next(e for e in facts.environments if e.name == "staging")
    assert staging.tfvars["zones"] == ["a", "b c", []], "the SSOT edit took effect"
    for env in facts.environments:
        text = (repo / f"envs/{env.name}.tfvars.example").read_text(encoding="utf-8")
        assert read_hcl(text) == env.tfvars, text
        assert_fmt_layout(text)
    assert run_cli("check", "--root", repo).code == 0


def terraform_values(var_file: Path, names: list[str], workdir: Path) -> dict[str, Any]:
    """What Terraform itself reads from `var_file`, through `terraform console` (offline, no providers)."""
    (workdir / "main.tf").write_text("".join(f'variable "{n}" {{\n  type = any\n}}\n' for n in names), encoding="utf-8")
    expression = "jsonencode({" + ", ".join(f'"{n}" = var.{n}' for n in names) + "})\n"
    completed = subprocess.run(
        [TERRAFORM or "terraform", "console", "-no-color", f"-var-file={var_file}"],
        input=expression,
        cwd=workdir,
        capture_output=True,
        text=True,
        env=_terraform_env(),
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(json.loads(completed.stdout))


@needs_terraform
@pytest.mark.parametrize("values", [RICH_VALUES, TEMPLATE_VALUES], ids=["rich", "template-sequences"])
def test_terraform_reads_the_generated_example_to_the_ssot_values(
    repo: Path, run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory, values: str
) -> None:
    with_rich_values(repo, values)
    assert run_cli("build", "--root", repo).code == 0
    staging = next(e for e in facts_of(repo).environments if e.name == "staging")
    workdir = tmp_path_factory.mktemp("terraform")
    example = repo / "envs/staging.tfvars.example"

    assert terraform_values(example, list(staging.tfvars), workdir) == staging.tfvars
    text = example.read_text(encoding="utf-8")
    assert terraform_fmt(text) == text


# -- real envs/<env>.tfvars files, checked through the CLI --


@pytest.fixture
def real(repo: Path) -> Path:
    """envs/staging.tfvars, started (as the README says) from a copy of its example."""
    path = repo / "envs/staging.tfvars"
    shutil.copy(repo / "envs/staging.tfvars.example", path)
    return path


def test_a_correct_real_tfvars_passes(repo: Path, real: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--root", repo)
    assert result.code == 0, result


def test_a_real_tfvars_with_local_values_and_comments_passes(repo: Path, real: Path, run_cli: RunCli) -> None:
    real.write_text(
        '# my local staging\nenvironment = "staging"\nbase_domain = "corp.test" # local\nenv_prefix = "me"\n',
        encoding="utf-8",
    )
    result = run_cli("check", "--root", repo)
    assert result.code == 0, result


def test_a_wrong_environment_value_names_file_and_line(repo: Path, real: Path, run_cli: RunCli) -> None:
    edit(real, 'environment     = "staging"', 'environment     = "prod"')
    line = line_of(real.read_text(encoding="utf-8"), "environment")

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert f"envs/staging.tfvars:{line}:" in result.stdout, result
    assert "'prod'" in result.stdout and 'environment = "staging"' in result.stdout, result


def test_an_undeclared_key_gets_a_did_you_mean(repo: Path, real: Path, run_cli: RunCli) -> None:
    with real.open("a", encoding="utf-8") as handle:
        handle.write('base-domain = "example.org"\n')
    line = line_of(real.read_text(encoding="utf-8"), "base-domain")

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert f"envs/staging.tfvars:{line}:" in result.stdout, result
    assert "'base-domain'" in result.stdout
    assert "did you mean 'base_domain'" in result.stdout, result


def test_a_missing_required_variable_is_reported(repo: Path, real: Path, run_cli: RunCli) -> None:
    edit(real, 'base_domain     = "example.com"\n', "")
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert re.search(r"^envs/staging\.tfvars(:\d+)?: .*'base_domain'.*not set", result.stdout, re.MULTILINE), result


def test_an_injected_variable_is_not_required_in_a_real_tfvars(repo: Path, real: Path, run_cli: RunCli) -> None:
    edit(
        repo / "ssot/env.yaml",
        "\nvariables:\n",
        "\nvariables:\n  image_tag:\n    type: string\n    injected: true\n    description: Set by CI as TF_VAR_image_tag.\n",
    )
    assert run_cli("build", "--root", repo).code == 0
    result = run_cli("check", "--root", repo)
    assert result.code == 0, result


def test_a_value_of_the_wrong_type_is_reported(repo: Path, real: Path, run_cli: RunCli) -> None:
    # a list Terraform cannot convert to a string (a number it could: tests/test_tfvars_types.py)
    edit(real, 'base_domain     = "example.com"', 'base_domain     = ["example.com"]')
    line = line_of(real.read_text(encoding="utf-8"), "base_domain")
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"envs/staging.tfvars:{line}:" in result.stdout and "string" in result.stdout, result


def add_sensitive_variable(repo: Path, run_cli: RunCli) -> None:
    edit(
        repo / "ssot/env.yaml",
        "\nvariables:\n",
        "\nvariables:\n  db_password:\n    type: string\n    sensitive: true\n    required: false\n"
        "    description: Password of the business database; injected by CI.\n",
    )
    built = run_cli("build", "--root", repo)
    assert built.code == 0, built


SECRET = "hunter2-Zq9x"


def test_a_sensitive_variable_in_a_real_tfvars_is_named_but_its_value_never_printed(
    repo: Path, real: Path, run_cli: RunCli
) -> None:
    add_sensitive_variable(repo, run_cli)
    assert "db_password" not in (repo / "envs/staging.tfvars.example").read_text(encoding="utf-8").split("\n\n", 1)[1]
    with real.open("a", encoding="utf-8") as handle:
        handle.write(f'db_password = "{SECRET}"\n')
    line = line_of(real.read_text(encoding="utf-8"), "db_password")

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert f"envs/staging.tfvars:{line}:" in result.stdout, result
    assert "db_password" in result.stdout and "sensitive" in result.stdout
    assert SECRET not in result.output


def test_an_unparsable_sensitive_value_is_never_printed(repo: Path, real: Path, run_cli: RunCli) -> None:
    add_sensitive_variable(repo, run_cli)
    with real.open("a", encoding="utf-8") as handle:
        handle.write(f"db_password = '{SECRET}'\n")

    result = run_cli("check", "--root", repo)

    assert result.code == 2, result
    assert "envs/staging.tfvars:" in result.stderr
    assert SECRET not in result.output, result


def test_unparsable_hcl_is_trouble_naming_file_and_line(repo: Path, real: Path, run_cli: RunCli) -> None:
    edit(real, 'base_domain     = "example.com"', 'base_domain     = = "example.com"')
    line = line_of(real.read_text(encoding="utf-8"), "base_domain")
    before = snapshot(repo)

    result = run_cli("check", "--root", repo)

    assert result.code == 2, result
    assert re.match(rf"envs/staging\.tfvars:{line}(:\d+)?: ", result.stderr), result
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(repo) == before


def test_a_duplicated_attribute_is_trouble(repo: Path, real: Path, run_cli: RunCli) -> None:
    with real.open("a", encoding="utf-8") as handle:
        handle.write('environment = "staging"\n')
    text = real.read_text(encoding="utf-8")
    first, second = line_of(text, "environment"), len(text.splitlines())

    result = run_cli("check", "--root", repo)

    assert result.code == 2, result
    assert f"envs/staging.tfvars:{second}:" in result.stderr, result
    assert "'environment'" in result.stderr and f"line {first}" in result.stderr, result


@pytest.mark.parametrize(
    "line",
    ["environment     = staging", 'env_prefix      = "${var.prefix}"'],
    ids=["unquoted", "interpolation"],
)
def test_a_value_terraform_rejects_is_reported(repo: Path, real: Path, run_cli: RunCli, line: str) -> None:
    name = line.split()[0]
    text = real.read_text(encoding="utf-8")
    real.write_text(re.sub(rf"^{name} .*$", lambda _: line, text, count=1, flags=re.MULTILINE), encoding="utf-8")
    number = line_of(real.read_text(encoding="utf-8"), line)

    result = run_cli("check", "--root", repo)

    assert result.code in (1, 2), result
    assert f"envs/staging.tfvars:{number}:" in result.output, result


def test_a_tfvars_for_an_unknown_environment_is_drift(repo: Path, run_cli: RunCli) -> None:
    shutil.copy(repo / "envs/prod.tfvars.example", repo / "envs/qa.tfvars")
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert re.search(r"^envs/qa\.tfvars(:\d+)?: .*'qa'", result.stdout, re.MULTILINE), result
    assert "prod" in result.stdout and "staging" in result.stdout, "the known environments are listed"


def test_check_and_build_never_touch_real_tfvars(repo: Path, real: Path, run_cli: RunCli) -> None:
    edit(real, 'environment     = "staging"', 'environment     = "prod"')
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    before = identities(repo)

    assert run_cli("check", "--root", repo).code == 1
    assert identities(repo) == before
    assert run_cli("build", "--root", repo).code == 0
    assert identities(repo)["envs/staging.tfvars"] == before["envs/staging.tfvars"]


# -- git keeps real tfvars out, and examples in --


def _ignored(path: str) -> bool:
    git = shutil.which("git")
    if git and (REPO_ROOT / ".git").exists():
        completed = subprocess.run(
            [git, "check-ignore", "--no-index", "-q", path], cwd=REPO_ROOT, capture_output=True, check=False
        )
        assert completed.returncode in (0, 1), completed.stderr
        return completed.returncode == 0
    # no git: read .gitignore's last matching rule (enough for the simple patterns it holds)
    import fnmatch

    verdict = False
    for raw in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines():
        rule = raw.strip()
        if not rule or rule.startswith("#"):
            continue
        negated, pattern = rule.startswith("!"), rule.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern):
            verdict = not negated
    return verdict


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("envs/staging.tfvars", True),
        ("envs/prod.tfvars", True),
        ("envs/staging.tfvars.example", False),
        ("envs/prod.tfvars.example", False),
    ],
)
def test_gitignore_keeps_real_tfvars_out_and_examples_in(path: str, ignored: bool) -> None:
    assert _ignored(path) is ignored
