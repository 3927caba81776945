"""A team's own atlantis.yaml (no generated header): only each project's identity is the tool's.

`check` reports exactly the projects' names, dirs, workspaces (and workflow / Terraform version where the
SSOT states them) that differ, a project the SSOT lacks, and a project it does not know; `build` changes
exactly those bytes (whole texts compared), keeps the unknown project and every other key, comment and
blank line, and adds a missing project in the file's own style.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import RunCli, line_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler import codes
from compiler.app.engine import build, check_repository
from compiler.artifacts.registry import team_file_paths
from compiler.compare.projects import compare_projects
from compiler.core.facts import Facts, compile_text
from compiler.core.layout import ATLANTIS_CONFIG, SSOT_PATH
from compiler.errors import SsotError
from compiler.findings import Finding
from compiler.render.atlantis import HEADER, wanted_atlantis_projects
from compiler.render.projects import WantedProject, edit_projects
from compiler.render.tfvars import GENERATED_HEADER_START

SSOT = """\
layers:
  network:
    name: Network
    scope: shared
    managed_by: atlantis
    atlantis_project: network
    terraform_dir: infra/network
    components: [VPC]
  platform:
    name: Platform
    scope: per-env
    managed_by: atlantis
    atlantis_project: "platform-{env}"
    atlantis_workflow: terragrunt
    terraform_dir: "infra/environments/{env}"
    components: [Cluster]
  ci:
    name: CI
    scope: shared
    managed_by: github-actions
    components: [Runners]
isolation: {shared: one account, per_env: one directory per environment}
environments:
  dev: {base_domain: example.org, env_prefix: dev}
  staging: {base_domain: example.org, env_prefix: staging}
  prod: {base_domain: example.org, env_prefix: ""}
variables:
  environment: {type: string, description: Name.}
"""

#: A team's file in the shape of public repositories: custom init steps, automerge, parallel plans, a
#: review requirement on prod, autoplan globs that reach module folders, comments and blank lines.
AGREEING = """\
# Atlantis repo config: owned by the platform team.
version: 3
automerge: true
parallel_plan: true
parallel_apply: false

projects:
  - name: network   # the shared VPC
    dir: ./infra/network
    autoplan:
      enabled: true
      when_modified: ["*.tf", "../modules/**/*.tf"]

  - name: platform-dev
    dir: infra/environments/dev
    workspace: dev
    workflow: terragrunt
    autoplan: {enabled: true, when_modified: ["*.tf", "../../modules/**/*.tf"]}

  - name: platform-staging
    dir: infra/environments/staging
    workspace: 'staging'
    workflow: terragrunt

  - name: platform-prod
    dir: infra/environments/prod
    workspace: "prod"
    workflow: terragrunt
    apply_requirements: [approved, mergeable]
    autoplan:
      enabled: false

workflows:
  terragrunt:
    plan:
      steps:
        - env:
            name: TERRAGRUNT_TFPATH
            command: 'echo "terraform${ATLANTIS_TERRAFORM_VERSION}"'
        - init:
            extra_args: ["-backend-config=backend.hcl", "-upgrade"]
        - plan
"""


def _facts() -> Facts:
    return compile_text(SSOT, SSOT_PATH)


def _repository(root: Path, atlantis: str | None = None) -> Path:
    (root / "ssot").mkdir()
    (root / SSOT_PATH).write_text(SSOT, encoding="utf-8")
    build(root)
    if atlantis is not None:
        (root / ATLANTIS_CONFIG).write_bytes(atlantis.encode("utf-8"))
    return root


def _findings(root: Path) -> list[Finding]:
    return [f for f in check_repository(root).findings if f.file == ATLANTIS_CONFIG]


def test_a_team_file_that_agrees_is_reported_clean_and_built_byte_for_byte(tmp_path: Path) -> None:
    root = _repository(tmp_path, AGREEING)

    assert _findings(root) == []
    changed = build(root)

    assert ATLANTIS_CONFIG not in [artifact.path for artifact in changed]
    assert (root / ATLANTIS_CONFIG).read_bytes() == AGREEING.encode("utf-8")


def test_check_finds_exactly_the_identity_differences_each_at_its_line_with_its_ssot_source(tmp_path: Path) -> None:
    drifted = (
        AGREEING.replace("dir: ./infra/network", "dir: infra/net")
        .replace("workspace: 'staging'", "workspace: 'stage'")
        .replace("name: platform-prod", "name: production")
        .replace("    workflow: terragrunt\n    autoplan: {", "    workflow: default\n    autoplan: {")
    )
    root = _repository(tmp_path, drifted)

    found = [(f.code, f.line, f.found, f.expected, f.source.path if f.source else None) for f in _findings(root)]

    assert found == [
        (codes.PROJECT_VALUE, 9, "infra/net", "infra/network", "layers.network.terraform_dir"),
        (codes.PROJECT_VALUE, 17, "default", "terragrunt", "layers.platform.atlantis_workflow"),
        (codes.PROJECT_VALUE, 22, "stage", "staging", "layers.platform"),
        # matched by its dir and workspace: the same project, named otherwise
        (codes.PROJECT_VALUE, 25, "production", "platform-prod", "layers.platform.atlantis_project"),
    ]


def test_build_changes_exactly_the_differing_values_in_their_own_quoting(tmp_path: Path) -> None:
    drifted = (
        AGREEING.replace("dir: infra/environments/dev\n", "dir: infra/env/dev\n")
        .replace("name: network   # the shared VPC", "name: net   # the shared VPC")
        .replace("workspace: 'staging'", "workspace: 'stage'")
        .replace('workspace: "prod"', 'workspace: "production"')
    )
    root = _repository(tmp_path, drifted)

    build(root)

    # the comment after a changed value stays where it was, as does `./` on a dir that agrees
    assert drifted != AGREEING
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == AGREEING
    assert _findings(root) == []


def test_a_project_the_ssot_does_not_know_is_reported_and_kept(tmp_path: Path) -> None:
    legacy = "\n  - name: legacy-dns\n    dir: infra/dns\n    apply_requirements: [approved]\n"
    with_legacy = AGREEING.replace("\nworkflows:", legacy + "\nworkflows:")
    root = _repository(tmp_path, with_legacy)

    (finding,) = _findings(root)
    build(root)

    assert (finding.code, finding.line) == (codes.PROJECT_UNKNOWN, line_of(with_legacy, "legacy-dns"))
    assert "legacy-dns" in finding.message
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == with_legacy


def test_a_missing_project_is_reported_and_added_after_its_neighbour_in_the_files_style(tmp_path: Path) -> None:
    staging = """
  - name: platform-staging
    dir: infra/environments/staging
    workspace: 'staging'
    workflow: terragrunt
"""
    without = AGREEING.replace(staging, "")
    root = _repository(tmp_path, without)

    (finding,) = _findings(root)
    build(root)

    assert (finding.code, finding.line, finding.source and finding.source.path) == (
        codes.PROJECT_MISSING,
        7,
        "layers.platform.atlantis_project",
    )
    added = "\n  - name: platform-staging\n    dir: infra/environments/staging\n    workspace: staging\n    workflow: terragrunt\n"
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == AGREEING.replace(staging, added)


def test_a_missing_key_is_added_beside_its_neighbour_and_a_stated_workflow_is_checked(tmp_path: Path) -> None:
    no_workflow = AGREEING.replace("    workspace: dev\n    workflow: terragrunt\n", "    workspace: dev\n")
    root = _repository(tmp_path, no_workflow)

    (finding,) = _findings(root)
    build(root)

    assert (finding.code, finding.line, finding.expected) == (codes.PROJECT_VALUE, 14, "terragrunt")
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == AGREEING


def test_crlf_line_endings_stay_crlf(tmp_path: Path) -> None:
    crlf = AGREEING.replace("dir: infra/environments/dev", "dir: infra/environments/develop").replace("\n", "\r\n")
    root = _repository(tmp_path, crlf)

    build(root)

    assert (root / ATLANTIS_CONFIG).read_bytes() == AGREEING.replace("\n", "\r\n").encode("utf-8")


def test_a_file_with_the_header_stays_the_tools_and_is_generated_whole(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    generated = (root / ATLANTIS_CONFIG).read_text(encoding="utf-8")
    assert generated.startswith(HEADER)
    (root / ATLANTIS_CONFIG).write_text(generated.replace("workspace: dev", "workspace: x"), encoding="utf-8")

    build(root)

    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == generated


def test_take_hands_a_team_file_over_to_the_tool(tmp_path: Path, run_cli: RunCli) -> None:
    root = _repository(tmp_path, AGREEING)

    result = run_cli("build", "--root", root, "--take", "./atlantis.yaml")

    assert result.code == 0
    assert f"updated {ATLANTIS_CONFIG}" in result.stdout
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8").startswith(HEADER)
    assert _findings(root) == []


def test_take_of_a_file_the_tool_does_not_generate_is_trouble_and_writes_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _repository(tmp_path, AGREEING)

    result = run_cli("build", "--root", root, "--take", "README.md")

    assert result.code == 2
    assert "README.md: --take README.md: ssot build generates no such file here" in result.stdout + result.stderr
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == AGREEING


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("version: 3\nprojects:\n  - name: [unclosed\n", 4, "YAML syntax error"),
        # past the SSOT's budgets (a pull request may bring any text): trouble, never a RecursionError
        ("version: 3\nprojects: " + "[" * 3000 + "]" * 3000 + "\n", 2, "YAML nesting is too deep"),
        ("version: 3\nprojects: {network: {}}\n", 2, "not a list"),
        ("- name: network\n", 1, "is not a mapping"),
    ],
)
def test_a_team_file_the_tool_cannot_read_is_trouble_naming_its_line(
    tmp_path: Path, run_cli: RunCli, text: str, line: int, what: str
) -> None:
    root = _repository(tmp_path, text)

    for command in ("check", "build"):
        result = run_cli(command, "--root", root)
        assert result.code == 2
        assert f"{ATLANTIS_CONFIG}:{line}" in result.stdout + result.stderr
        assert what in result.stdout + result.stderr
    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8") == text


# -- the editor on its own: shapes the SSOT above does not have --


def _wanted(name: str, directory: str, workspace: str = "default") -> WantedProject:
    sources = {"name": ("layers", "app"), "dir": ("layers", "app", "terraform_dir")}
    return WantedProject(name, {"dir": directory, "workspace": workspace}, sources, {"workspace": "default"})


ONE_DIRECTORY_PER_ENVIRONMENT = [_wanted(env, f"infra/environments/{env}") for env in ("dev", "staging", "prod")]
_FACTS = compile_text(SSOT, SSOT_PATH)


def test_one_directory_per_environment_with_the_default_workspace_needs_no_workspace_key() -> None:
    text = (
        "version: 3\n"
        "projects:\n"
        "- name: dev\n"
        "  dir: infra/environments/dev\n"
        "- name: prod\n"
        "  dir: infra/environments/prod\n"
        "  apply_requirements: [approved, mergeable]\n"
    )

    edited = edit_projects(ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT)
    found = compare_projects(_facts(), ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT)

    assert [(f.code, f.line) for f in found] == [(codes.PROJECT_MISSING, 2)]
    # the file's own indentation (items at column 0), no workspace: the default, as the others
    assert edited == text.replace(
        "- name: prod\n", "- name: staging\n  dir: infra/environments/staging\n- name: prod\n"
    )


def test_flow_style_projects_get_a_flow_style_project_and_quoted_names_a_quoted_name() -> None:
    text = 'projects:\n    -   {name: "dev", dir: "infra/environments/dev"}   # dev\n'

    edited = edit_projects(ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT[:2])

    assert edited == text + '    -   {name: "staging", dir: "infra/environments/staging"}\n'


def test_a_project_without_a_name_in_the_right_place_is_named_in_place() -> None:
    text = "projects:\n  - dir: infra/environments/dev # dev\n    autoplan: {enabled: false}\n"

    edited = edit_projects(ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT[:1])

    assert edited == "projects:\n  - name: dev\n    dir: infra/environments/dev # dev\n    autoplan: {enabled: false}\n"


def test_a_file_without_a_projects_list_is_left_to_autodiscovery() -> None:
    """Atlantis plans every root itself when the file lists no projects; a list would end that."""
    text = "version: 3\nautomerge: true # merge on apply\nautodiscover:\n  mode: auto\n"

    edited = edit_projects(ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT)

    assert edited == text
    assert compare_projects(_FACTS, ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT) == []


def test_an_unreadable_team_file_raises_naming_its_line() -> None:
    with pytest.raises(SsotError) as raised:
        edit_projects(ATLANTIS_CONFIG, "projects:\n  - {name: dev\n", ONE_DIRECTORY_PER_ENVIRONMENT)
    (problem,) = raised.value.problems
    assert (problem.file, problem.code) == (ATLANTIS_CONFIG, codes.INVALID_INPUT)


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_", min_size=1, max_size=8).filter(lambda w: w[0].isalpha())
_VALUES = st.one_of(
    st.booleans(),
    st.integers(-5, 99),
    _WORDS,
    st.lists(_WORDS, max_size=3),
    st.dictionaries(_WORDS, _WORDS, max_size=2),
)
_EXTRA = st.dictionaries(_WORDS.filter(lambda w: w not in ("name", "dir", "workspace")), _VALUES, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(top=_EXTRA, own=st.lists(_EXTRA, min_size=3, max_size=3), flow=st.booleans())
def test_unrelated_keys_survive_an_edit(top: dict[str, object], own: list[dict[str, object]], flow: bool) -> None:
    """Whatever else a team's file holds, an edit changes only the projects' identities."""
    projects = [
        {"name": f"old-{want.name}", "dir": want.values["dir"], "workspace": "default", **extra}
        for want, extra in zip(ONE_DIRECTORY_PER_ENVIRONMENT, own, strict=True)
    ]
    document = {"version": 3, **{k: v for k, v in top.items() if k != "projects"}, "projects": projects}
    text = yaml.safe_dump(document, default_flow_style=flow, sort_keys=False)

    edited_text = edit_projects(ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT)

    renamed = [{**p, "name": want.name} for p, want in zip(projects, ONE_DIRECTORY_PER_ENVIRONMENT, strict=True)]
    assert yaml.safe_load(edited_text) == {**document, "projects": renamed}
    # and what it wrote agrees: a second edit changes nothing
    assert compare_projects(_FACTS, ATLANTIS_CONFIG, edited_text, ONE_DIRECTORY_PER_ENVIRONMENT) == []
    assert edit_projects(ATLANTIS_CONFIG, edited_text, ONE_DIRECTORY_PER_ENVIRONMENT) == edited_text


def test_the_ssot_states_workflow_only_where_set_and_never_autoplan() -> None:
    wanted = {want.name: dict(want.values) for want in wanted_atlantis_projects(_facts())}

    assert wanted["network"] == {"dir": "infra/network", "workspace": "default"}
    assert wanted["platform-prod"] == {"dir": "infra/environments/prod", "workspace": "prod", "workflow": "terragrunt"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("projects: []\n", "projects: [{name: dev, dir: infra/environments/dev}]\n"),
        (
            "projects: [\n  {name: prod, dir: infra/environments/prod},\n]\n",
            "projects: [\n  {name: prod, dir: infra/environments/prod},\n{name: dev, dir: infra/environments/dev}]\n",
        ),
        (
            "projects:\n  - {dir: infra/environments/dev, autoplan: {enabled: false}}\n",
            "projects:\n  - {name: dev, dir: infra/environments/dev, autoplan: {enabled: false}}\n",
        ),
    ],
)
def test_flow_lists_and_flow_projects_are_edited_in_flow_style(text: str, expected: str) -> None:
    wanted = [ONE_DIRECTORY_PER_ENVIRONMENT[0], _wanted("prod", "infra/environments/prod")]

    edited = edit_projects(ATLANTIS_CONFIG, text, wanted if "prod" in text else wanted[:1])

    assert edited == expected


def test_a_workspace_the_file_lacks_goes_after_the_dir_in_a_flow_project() -> None:
    text = "projects:\n  - {name: dev, dir: infra, autoplan: {enabled: false}}\n"

    edited = edit_projects(ATLANTIS_CONFIG, text, [_wanted("dev", "infra", "dev")])

    assert edited == "projects:\n  - {name: dev, dir: infra, workspace: dev, autoplan: {enabled: false}}\n"


def test_a_new_project_follows_the_key_order_quoting_and_indentation_of_the_first() -> None:
    text = "projects:\n    - dir: 'infra/environments/dev'\n      name: 'dev'\n      workspace: 'default'\n"

    edited = edit_projects(ATLANTIS_CONFIG, text, ONE_DIRECTORY_PER_ENVIRONMENT[:2])

    # the first writes the default workspace, so the new one does too
    assert (
        edited == text + "    - dir: 'infra/environments/staging'\n      name: 'staging'\n      workspace: 'default'\n"
    )


def test_a_blank_file_has_nothing_to_lose_and_is_generated_whole(tmp_path: Path) -> None:
    root = _repository(tmp_path, "\n")

    build(root)

    assert (root / ATLANTIS_CONFIG).read_text(encoding="utf-8").startswith(HEADER)


def test_the_write_rule_learns_which_files_are_edited_in_place() -> None:
    files = {
        ATLANTIS_CONFIG: AGREEING,
        "envs/dev.tfvars.example": 'environment = "dev"\n',
        "envs/prod.tfvars.example": f"{GENERATED_HEADER_START} Do not edit by hand.\n",
        "envs/staging.tfvars.example": None,
        "README.md": "# a block host is no team file\n",
    }

    assert team_file_paths(_FACTS, files) == {ATLANTIS_CONFIG, "envs/dev.tfvars.example"}
