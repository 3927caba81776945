"""The tfvars contract cross-checked with the layers' Terraform `variable` blocks (compiler/terraform.py).

Every test works on a copy of the example repository (tests/fixtures/repo) whose per-env layers (L3 Data,
L4 Apps) name `terraform/data` and `terraform/apps`, filled from tests/fixtures/terraform: `correct/`
first, then the case directories named, whose files replace or join the correct ones. The copy's contract
gains four variables that exercise the rules: a list provided by every environment, an optional map, a
sensitive password and a variable CI injects.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURE_REPO, RunCli, edit, line_of

from compiler.app.engine import build, build_plan, check_repository
from compiler.checks.terraform import check_terraform, fed_declarations
from compiler.checks.terraform_defaults import default_mismatches
from compiler.core.facts import compile_text
from compiler.core.validate import load_ssot
from compiler.errors import SsotError
from compiler.formats.hcl import parse_variables
from compiler.formats.terraform import module_variables, same_default, same_value
from compiler.io.repository import read_repository
from compiler.io.snapshot import LayerTerraform, TerraformModule
from compiler.io.write import apply_changes

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"
SSOT = "ssot/env.yaml"
PER_ENV_DIRS = {"L3": "terraform/data", "L4": "terraform/apps"}
#: every Atlantis-managed layer names a root once one does: the shared L2 too
LAYER_DIRS = {"L2": "terraform/platform", **PER_ENV_DIRS}

CONTRACT_ADDITIONS = """\
  allowed_cidrs:
    type: list
    description: Networks allowed to reach the business apps.
  labels:
    type: map
    required: false
    description: Extra Kubernetes labels of the business apps.
  db_password:
    type: string
    sensitive: true
    description: Password of the business database.
  image_tag:
    type: string
    required: false
    injected: true
    description: Image tag of the business apps, set by CI as TF_VAR_image_tag.
"""

#: the line after which each layer's terraform_dir is inserted
_LAYER_ANCHORS = {
    "L2": "    atlantis_project: platform\n",
    "L3": "    namespace: data-{env}\n",
    "L4": "    namespace: apps-{env}\n",
}


def with_terraform(root: Path, *cases: str, dirs: dict[str, str] = LAYER_DIRS) -> Path:
    """The copy at `root` with the contract additions, `terraform_dir` on the layers in `dirs`, the
    Terraform of `correct/` overlaid by `cases`, and everything `ssot build` generates up to date."""
    ssot = root / SSOT
    edit(ssot, "\n\n# Architecture decisions", "\n" + CONTRACT_ADDITIONS + "\n# Architecture decisions")
    edit(ssot, "    env_prefix: x-staging ", "    values: {allowed_cidrs: [10.1.0.0/16]}\n    env_prefix: x-staging ")
    edit(ssot, '    env_prefix: ""', '    values: {allowed_cidrs: [10.2.0.0/16, 10.3.0.0/16]}\n    env_prefix: ""')
    for layer_id, directory in dirs.items():
        anchor = _LAYER_ANCHORS[layer_id]
        edit(ssot, anchor, f"{anchor}    terraform_dir: {directory}\n")
    for case in ("correct", *cases):
        shutil.copytree(FIXTURES / case, root / "terraform", dirs_exist_ok=True)
    apply_changes(root, {a.path: a.expected for a in build_plan(root) if not a.up_to_date})
    return root


def exact_line(path: Path, line: str) -> int:
    """The 1-based number of the line that is exactly `line`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines.count(line) == 1, f"{line!r} occurs {lines.count(line)} times in {path}"
    return lines.index(line) + 1


def located(root: Path, file: str, needle: str) -> tuple[str, int]:
    return file, line_of((root / file).read_text(encoding="utf-8"), needle)


def summary(root: Path, prefixes: tuple[str, ...] = ("terraform-",)) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.file, f.line, f.message) for f in check_repository(root).findings if f.code.startswith(prefixes)]


# -- no Terraform, correct Terraform: no finding --


def test_a_repository_that_names_no_terraform_gets_no_terraform_finding() -> None:
    facts, snapshot = read_repository(FIXTURE_REPO)
    assert all(layer.terraform_dir is None for layer in facts.ssot.layers.values())
    assert check_terraform(facts, snapshot) == []
    assert fed_declarations(snapshot, facts.layout.tfvars[0]) is None


def test_a_correct_pair_of_layers_gives_no_finding(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo)
    result = check_repository(repo)

    assert result.findings == []
    result_cli = run_cli("check", "--root", repo)
    assert result_cli.code == 0, result_cli
    assert result_cli.stdout.startswith("ok: ")


def test_the_per_env_declarations_are_the_union_of_both_layers(repo: Path) -> None:
    with_terraform(repo)
    facts, snapshot = read_repository(repo)
    declarations = fed_declarations(snapshot, facts.layout.tfvars[0])

    assert declarations is not None
    assert declarations.directories == ("terraform/data", "terraform/apps")
    assert declarations.names == {
        "environment", "base_domain", "internal_domain", "env_prefix",
        "db_password", "allowed_cidrs", "labels", "image_tag",
    }  # fmt: skip


def test_an_override_file_replaces_the_attributes_it_sets_and_is_no_duplicate(repo: Path) -> None:
    with_terraform(repo, "unprovided", "override")  # labels loses its default, the override gives one back
    assert check_repository(repo).findings == []


# -- one finding per kind, from real files --

FINDING_CASES = {
    "terraform-undeclared": (
        "undeclared",
        SSOT,
        "  env_prefix:",
        "variable 'env_prefix' is declared by no per-env layer's Terraform (searched: terraform/data, terraform/apps)",
        None,
    ),
    "terraform-type": (
        "type",
        "terraform/apps/variables.tf",
        'variable "allowed_cidrs" {',
        "variable 'allowed_cidrs' has type map(...) here, but list in ssot/env.yaml",
        ("list", "map"),
    ),
    "terraform-sensitive": (
        "sensitive",
        "terraform/data/variables.tf",
        'variable "db_password" {',
        "variable 'db_password' is not sensitive here, but sensitive in ssot/env.yaml",
        ("true", "false"),
    ),
    "terraform-unprovided": (
        "unprovided",
        "terraform/apps/variables.tf",
        'variable "labels" {',
        (
            "variable 'labels' has no default, and ssot/env.yaml gives it no value for staging, prod: "
            "Terraform would stop and ask for it"
        ),
        None,
    ),
    "terraform-not-in-ssot": (
        "not-in-ssot",
        "terraform/data/variables.tf",
        'variable "replicas" {',
        "variable 'replicas' is not in the tfvars contract (variables in ssot/env.yaml)",
        None,
    ),
}


@pytest.mark.parametrize("code", FINDING_CASES)
def test_each_finding_kind_is_reported_where_it_is(repo: Path, run_cli: RunCli, code: str) -> None:
    case, file, line_text, message, expected_found = FINDING_CASES[code]
    with_terraform(repo, case)
    line = exact_line(repo / file, line_text)

    findings = check_repository(repo).findings
    assert [(f.code, f.file, f.line, f.message) for f in findings] == [(code, file, line, message)]
    assert findings[0].fix
    if expected_found is not None:
        assert (findings[0].expected, findings[0].found) == expected_found

    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"{file}:{line}: {message}" in result.stdout
    assert f"  fix: {findings[0].fix}" in result.stdout


def test_a_shared_layer_must_agree_on_types_but_keeps_its_own_inputs(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo, "shared", dirs=LAYER_DIRS)
    file, line = located(repo, "terraform/platform/variables.tf", 'variable "base_domain"')

    # vault_replicas: not in the contract and without a default, but no envs/<env>.tfvars reaches L2
    assert summary(repo) == [
        ("terraform-type", file, line, "variable 'base_domain' has type list(...) here, but string in ssot/env.yaml")
    ]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"{file}:{line}: variable 'base_domain'" in result.stdout


@pytest.mark.parametrize(
    ("make", "what"),
    [(lambda path: None, "does not exist"), (lambda path: path.write_text("", encoding="utf-8"), "is not a directory")],
    ids=["absent", "a-file"],
)
def test_a_terraform_dir_that_is_no_directory_is_reported(repo: Path, run_cli: RunCli, make: object, what: str) -> None:
    with_terraform(repo, dirs=LAYER_DIRS)
    shutil.rmtree(repo / "terraform/platform")
    make(repo / "terraform/platform")  # type: ignore[operator]
    line = exact_line(repo / SSOT, "    terraform_dir: terraform/platform")
    message = f"layers.L2.terraform_dir: 'terraform/platform' {what}"

    assert summary(repo) == [("terraform-dir-missing", SSOT, line, message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"{SSOT}:{line}: {message}" in result.stdout


# -- roots as repositories have them: one per environment, several per layer, symlinked files --


def with_env_roots(repo: Path, *, link: bool = True) -> Path:
    """The data layer (L3) as one root per environment, `envs/{env}/data`, whose files link to shared/data."""
    with_terraform(repo, dirs={**LAYER_DIRS, "L3": "envs/{env}/data"})
    shutil.move(repo / "terraform/data", repo / "shared/data")
    for env in ("staging", "prod"):
        root = repo / "envs" / env / "data"
        root.mkdir(parents=True)
        for file in sorted((repo / "shared/data").iterdir()):
            if link:
                (root / file.name).symlink_to(Path("../../../shared/data") / file.name)
            else:
                shutil.copy(file, root / file.name)
    return repo


def test_an_env_root_is_read_per_environment_through_its_symlinked_files(repo: Path, run_cli: RunCli) -> None:
    with_env_roots(repo)
    roots = [(t.layer_id, t.env, t.module.directory) for t in read_repository(repo)[1].terraform]
    facts, snapshot = read_repository(repo)
    declarations = fed_declarations(snapshot, facts.layout.tfvars[0])

    assert roots == [
        ("L2", None, "terraform/platform"),
        ("L3", "staging", "envs/staging/data"),
        ("L3", "prod", "envs/prod/data"),
        ("L4", None, "terraform/apps"),
    ]
    assert declarations is not None and "db_password" in declarations.names  # read through the link
    assert check_repository(repo).findings == []
    assert run_cli("check", "--root", repo).code == 0


def test_an_env_root_missing_for_one_environment_is_reported_by_its_expanded_path(repo: Path, run_cli: RunCli) -> None:
    with_env_roots(repo)
    shutil.rmtree(repo / "envs/prod/data")
    line = exact_line(repo / SSOT, "    terraform_dir: envs/{env}/data")
    message = "layers.L3.terraform_dir: 'envs/prod/data' does not exist (the root of prod)"

    assert summary(repo) == [("terraform-dir-missing", SSOT, line, message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"{SSOT}:{line}: {message}" in result.stdout


def test_a_root_file_linked_outside_the_repository_is_refused(
    repo: Path, run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with_env_roots(repo, link=False)
    outside = tmp_path_factory.mktemp("outside") / "variables.tf"
    shutil.move(repo / "envs/prod/data/variables.tf", outside)
    (repo / "envs/prod/data/variables.tf").symlink_to(outside)

    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert "envs/prod/data/variables.tf: resolves outside the root" in result.stderr


def test_a_shared_layer_may_not_name_an_env_root(repo: Path, run_cli: RunCli) -> None:
    edit(repo / SSOT, _LAYER_ANCHORS["L2"], f"{_LAYER_ANCHORS['L2']}    terraform_dir: envs/{{env}}/platform\n")
    line = exact_line(repo / SSOT, "    terraform_dir: envs/{env}/platform")

    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert (
        f"{SSOT}:{line}:20: terraform_dir 'envs/{{env}}/platform' of shared layer L2 must not contain {{env}}"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("[]", "layers.L3.terraform_dir: needs at least one item"),
        ("[terraform/data, 3]", "layers.L3.terraform_dir.1: Input should be a valid string"),
        ("terraform/{region}", "terraform_dir 'terraform/{region}' uses unknown placeholder {region}"),
    ],
)
def test_a_terraform_dir_is_one_path_or_a_list_of_them(written: str, message: str) -> None:
    text = (FIXTURE_REPO / SSOT).read_text(encoding="utf-8")
    text = text.replace(_LAYER_ANCHORS["L3"], f"{_LAYER_ANCHORS['L3']}    terraform_dir: {written}\n")
    with pytest.raises(SsotError) as raised:
        load_ssot(text, SSOT)
    assert [p.message for p in raised.value.problems if p.message.startswith(message)], raised.value.problems


def test_a_layer_with_several_roots_is_checked_root_by_root(repo: Path) -> None:
    roots = "\n      - terraform/data\n      - terraform/secrets"
    with_terraform(repo, dirs={**LAYER_DIRS, "L3": roots})
    data = repo / "terraform/data/variables.tf"
    (repo / "terraform/secrets").mkdir()
    password = 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'
    edit(data, password, "")
    (repo / "terraform/secrets/variables.tf").write_text(password.replace("true", "false"), encoding="utf-8")

    # db_password is declared (by the second root), and checked there
    file, line = located(repo, "terraform/secrets/variables.tf", 'variable "db_password"')
    message = "variable 'db_password' is not sensitive here, but sensitive in ssot/env.yaml"
    assert summary(repo) == [("terraform-sensitive", file, line, message)]

    shutil.rmtree(repo / "terraform/secrets")
    line = exact_line(repo / SSOT, "      - terraform/secrets")
    missing = "layers.L3.terraform_dir: 'terraform/secrets' does not exist"
    assert ("terraform-dir-missing", SSOT, line, missing) in summary(repo)


def test_a_root_without_tf_files_is_reported_at_its_terraform_dir(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo, dirs=LAYER_DIRS)
    shutil.rmtree(repo / "terraform/platform")
    (repo / "terraform/platform/modules").mkdir(parents=True)
    (repo / "terraform/platform/README.md").write_text("The platform layer.\n", encoding="utf-8")
    line = exact_line(repo / SSOT, "    terraform_dir: terraform/platform")
    message = "layers.L2.terraform_dir: 'terraform/platform' holds no .tf file, so Terraform has nothing to apply there"

    findings = [f for f in check_repository(repo).findings if f.code.startswith("terraform-")]
    assert [(f.code, f.file, f.line, f.message) for f in findings] == [("terraform-dir-empty", SSOT, line, message)]
    assert findings[0].fix
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"{SSOT}:{line}: {message}" in result.stdout


def test_a_terragrunt_unit_is_a_root_whose_terraform_is_its_source(repo: Path) -> None:
    """A directory with a terragrunt.hcl and no .tf file is where Atlantis or Digger runs Terragrunt: not empty."""
    with_terraform(repo, dirs=LAYER_DIRS)
    shutil.rmtree(repo / "terraform/platform")
    (repo / "terraform/platform").mkdir()
    (repo / "terraform/platform/terragrunt.hcl").write_text(
        'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "../modules/platform"\n}\n',
        encoding="utf-8",
    )
    assert [f for f in check_repository(repo).findings if f.code.startswith("terraform-")] == []
    (repo / "terraform/platform/terragrunt.hcl").rename(repo / "terraform/platform/terragrunt.hcl.off")
    assert [f.code for f in check_repository(repo).findings if f.code.startswith("terraform-")] == [
        "terraform-dir-empty"
    ]


LABELS_IN_EVERY_ENV = {
    "    values: {allowed_cidrs: [10.1.0.0/16]}": "    values: {allowed_cidrs: [10.1.0.0/16], labels: {team: data}}",
    "    values: {allowed_cidrs: [10.2.0.0/16, 10.3.0.0/16]}": (
        "    values: {allowed_cidrs: [10.2.0.0/16, 10.3.0.0/16], labels: {team: data}}"
    ),
}


def with_labels_in_every_env(repo: Path) -> int:
    """Every environment gives `labels` the same value in ssot/env.yaml; the line of the first (staging's)."""
    for old, new in LABELS_IN_EVERY_ENV.items():
        edit(repo / SSOT, old, new)
    build(repo)
    return exact_line(repo / SSOT, next(iter(LABELS_IN_EVERY_ENV.values())))


def set_default(repo: Path, file: str, name: str, default: str) -> tuple[str, int]:
    """`variable "name"` in `file` (appended if not there) with `default`; where its block is."""
    path = repo / file
    text = path.read_text(encoding="utf-8")
    block = f'variable "{name}" {{\n  type    = map(string)\n  default = {{}}\n}}\n'
    if f'variable "{name}"' not in text:
        text += "\n" + block
    assert text.count(block) == 1, f"{file} declares {name} in another shape"
    path.write_text(text.replace(block, block.replace("default = {}", f"default = {default}")), encoding="utf-8")
    return located(repo, file, f'variable "{name}"')


def test_a_default_that_differs_from_the_value_the_ssot_states_is_reported_at_its_block(
    repo: Path, run_cli: RunCli
) -> None:
    """L2's root (terraform/platform) is fed no tfvars: its default is the value it runs with."""
    with_terraform(repo)
    ssot_line = with_labels_in_every_env(repo)
    block = set_default(repo, "terraform/platform/variables.tf", "labels", '{ team = "s3cr3t" }')
    message = (
        f"variable 'labels': its default here differs from the value {SSOT}:{ssot_line} "
        "(environments.staging.values.labels) gives it"
    )

    assert summary(repo) == [("terraform-default-mismatch", *block, message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"{block[0]}:{block[1]}: {message}" in result.stdout
    assert "s3cr3t" not in result.output


def test_a_default_the_tfvars_override_in_every_environment_is_no_finding(repo: Path) -> None:
    """terraform/apps is fed envs/<env>.tfvars, which set labels everywhere: Terraform never uses its default."""
    with_terraform(repo)
    with_labels_in_every_env(repo)
    set_default(repo, "terraform/apps/variables.tf", "labels", '{ team = "other" }')
    assert summary(repo) == []


@pytest.mark.parametrize("default", ['{ team = "data" }', "null"], ids=["the-ssots-value", "null-means-required"])
def test_a_default_that_is_the_ssots_value_or_null_is_no_finding(repo: Path, default: str) -> None:
    with_terraform(repo)
    with_labels_in_every_env(repo)
    set_default(repo, "terraform/apps/variables.tf", "labels", default)
    assert summary(repo) == []


def test_roots_whose_defaults_differ_where_the_ssot_states_no_value_are_no_finding(repo: Path) -> None:
    with_terraform(repo)  # labels: no environment gives it a value
    set_default(repo, "terraform/apps/variables.tf", "labels", '{ team = "apps" }')
    set_default(repo, "terraform/data/variables.tf", "labels", '{ team = "data" }')
    assert summary(repo) == []


def test_a_default_is_compared_with_the_value_when_environments_agree_only(repo: Path) -> None:
    with_terraform(repo)
    with_labels_in_every_env(repo)
    edit(repo / SSOT, "[10.2.0.0/16, 10.3.0.0/16], labels: {team: data}}", "[10.2.0.0/16, 10.3.0.0/16], labels: {}}")
    set_default(repo, "terraform/apps/variables.tf", "labels", '{ team = "data" }')  # staging's value
    assert summary(repo) == []


def test_a_root_no_tfvars_feeds_is_compared_with_the_value_every_environment_shares(repo: Path) -> None:
    with_terraform(repo)  # L2 (terraform/platform) is shared: no envs/<env>.tfvars reaches it
    ssot_line = with_labels_in_every_env(repo)
    set_default(repo, "terraform/apps/variables.tf", "labels", "null")
    block = set_default(repo, "terraform/platform/variables.tf", "labels", '{ team = "platform" }')
    message = (
        f"variable 'labels': its default here differs from the value {SSOT}:{ssot_line} "
        "(environments.staging.values.labels) gives it"
    )
    assert summary(repo) == [("terraform-default-mismatch", *block, message)]


def test_a_file_linked_into_the_roots_of_environments_one_of_which_leaves_it_to_the_default(repo: Path) -> None:
    with_env_roots(repo)
    with_labels_in_every_env(repo)
    edit(repo / SSOT, "[10.2.0.0/16, 10.3.0.0/16], labels: {team: data}}", "[10.2.0.0/16, 10.3.0.0/16]}")
    set_default(repo, "shared/data/variables.tf", "labels", '{ team = "prod" }')  # prod's, through the link
    assert summary(repo) == []


def test_a_file_linked_into_three_roots_is_reported_once_at_its_real_path(repo: Path, run_cli: RunCli) -> None:
    with_env_roots(repo)  # envs/<env>/data/*.tf link to shared/data/*.tf: two roots
    ssot_line = with_labels_in_every_env(repo)
    apps = repo / "terraform/apps/variables.tf"
    edit(apps, 'variable "labels" {\n  type    = map(string)\n  default = {}\n}\n', "")
    shared = repo / "shared/data/labels.tf"
    shared.write_text('variable "labels" {\n  type    = map(string)\n  default = { team = "other" }\n}\n', "utf-8")
    for root in ("envs/staging/data", "envs/prod/data"):
        (repo / root / "labels.tf").symlink_to(Path("../../../shared/data/labels.tf"))
    (repo / "terraform/apps/labels.tf").symlink_to(Path("../../shared/data/labels.tf"))  # the third root
    (repo / "terraform/platform/labels.tf").symlink_to(Path("../../shared/data/labels.tf"))  # fed no tfvars
    message = (
        f"variable 'labels': its default here differs from the value {SSOT}:{ssot_line} "
        "(environments.staging.values.labels) gives it"
    )

    assert summary(repo) == [("terraform-default-mismatch", "shared/data/labels.tf", 1, message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert result.stdout.count(message) == 1


# -- the tfvars keys against the per-env layers' Terraform --


def test_a_real_tfvars_key_no_per_env_terraform_declares_is_reported_at_its_line(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo, "undeclared")
    shutil.copy(repo / "envs/staging.tfvars.example", repo / "envs/staging.tfvars")
    line = line_of((repo / "envs/staging.tfvars").read_text(encoding="utf-8"), "env_prefix ")
    message = "'env_prefix' is declared by no per-env layer's Terraform (searched: terraform/data, terraform/apps)"

    assert ("tfvars-not-in-terraform", "envs/staging.tfvars", line, message) in summary(repo, ("terraform-", "tfvars-"))
    assert [code for code, *_ in summary(repo, ("terraform-", "tfvars-"))] == [
        "tfvars-not-in-terraform",
        "terraform-undeclared",
    ]
    result = run_cli("check", "--root", repo)
    assert result.code == 1, result
    assert f"envs/staging.tfvars:{line}: {message}" in result.stdout


def test_a_real_tfvars_key_gets_the_closest_declared_name_suggested(repo: Path) -> None:
    with_terraform(repo)
    edit(repo / "terraform/apps/variables.tf", 'variable "allowed_cidrs" {', 'variable "allowed_cidr" {')
    shutil.copy(repo / "envs/prod.tfvars.example", repo / "envs/prod.tfvars")

    found = [f for f in check_repository(repo).findings if f.code == "tfvars-not-in-terraform"]
    assert [(f.file, f.message, f.expected, f.found) for f in found] == [
        (
            "envs/prod.tfvars",
            (
                "'allowed_cidrs' is declared by no per-env layer's Terraform "
                "(searched: terraform/data, terraform/apps); did you mean 'allowed_cidr'?"
            ),
            "allowed_cidr",
            "allowed_cidrs",
        )
    ]


# -- Terraform that Terraform itself would refuse: exit 2 --


def test_a_variable_declared_twice_in_one_directory_is_invalid(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo, "duplicate")
    first = located(repo, "terraform/data/variables.tf", 'variable "environment"')
    second = located(repo, "terraform/data/variables_more.tf", 'variable "environment"')
    message = (
        f"{second[0]}:{second[1]}: variable 'environment' is declared twice in terraform/data: "
        f"first at {first[0]}:{first[1]}; Terraform refuses that"
    )

    with pytest.raises(SsotError) as raised:
        check_repository(repo)
    assert [(p.code, str(p)) for p in raised.value.problems] == [("invalid-terraform", message)]
    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert message in result.stderr


def test_an_unparsable_tf_file_is_invalid_and_its_text_is_not_echoed(repo: Path, run_cli: RunCli) -> None:
    with_terraform(repo, "unparsable")
    line = line_of((repo / "terraform/data/broken.tf").read_text(encoding="utf-8"), "type    =")

    with pytest.raises(SsotError) as raised:
        check_repository(repo)
    assert [(p.code, p.file, p.line) for p in raised.value.problems] == [
        ("invalid-terraform", "terraform/data/broken.tf", line)
    ]
    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert f"terraform/data/broken.tf:{line}: not valid HCL" in result.stderr
    assert "s3cr3t" not in result.output


def test_a_terraform_dir_outside_the_root_is_refused(repo: Path, run_cli: RunCli) -> None:
    ssot = repo / SSOT
    edit(ssot, _LAYER_ANCHORS["L3"], f"{_LAYER_ANCHORS['L3']}    terraform_dir: ../outside\n")

    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    line = line_of(ssot.read_text(encoding="utf-8"), "terraform_dir: ../outside")
    assert f"{SSOT}:{line}:20: terraform_dir '../outside' leaves the repository" in result.stderr


def test_a_terraform_dir_linked_outside_the_root_is_refused(
    repo: Path, run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with_terraform(repo)
    outside = tmp_path_factory.mktemp("outside") / "data"
    shutil.move(repo / "terraform/data", outside)
    (repo / "terraform/data").symlink_to(outside, target_is_directory=True)

    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert "terraform/data: resolves outside the root" in result.stderr


# -- reading variable blocks --


@pytest.mark.parametrize(
    ("written", "ssot_type"),
    [
        ("string", "string"),
        ("number", "number"),
        ("bool", "bool"),
        ("list(string)", "list"),
        ("set(number)", "list"),
        ("tuple([string, number])", "list"),
        ("list(object({ name = string }))", "list"),
        ("map(any)", "map"),
        ("object({ a = string, b = optional(list(number)) })", "object"),
        ("any", None),
        ('"string"', "string"),  # Terraform 0.11's quoted form
        ("strng", "strng"),  # unknown: agrees with nothing
    ],
)
def test_terraform_types_map_to_the_ssot_types(written: str, ssot_type: str | None) -> None:
    (variable,) = parse_variables(f'variable "v" {{\n  type = {written}\n}}\n', "v.tf")
    assert variable.ssot_type == ssot_type


def test_a_default_is_read_as_data_and_an_override_replaces_it() -> None:
    text = 'variable "a" {\n  default = { b = [1, "x"] } # a comment\n}\nvariable "n" {\n  default = 1\n}\n'
    (a, n), (override,) = parse_variables(text, "v.tf"), parse_variables('variable "a" {\n  default = 2\n}\n', "o.tf")
    one = replace(n, default=1.0)

    assert a.default == {"b": [1, "x"]}
    assert "x" not in repr(a)  # a default may be a secret
    assert module_variables({"v.tf": [a], "v_override.tf": [override]}, ".")["a"].default == 2
    assert same_default(n, one) and not same_default(n, replace(n, default=True))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (1, 1.0, True),
        ("22", 22, True),  # Terraform converts a tfvars string to the variable's number
        ("true", True, True),
        (True, 1, False),  # true == 1 in Python, not in Terraform
        ([True], [1], False),
        ({"a": [1, "x"]}, {"a": [1.0, "x"]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ("1e3", 1000, True),
        ("0x10", 16, False),
        (None, None, True),
        (None, "", False),
        (2**60, 2**60 + 1, False),
    ],
)
def test_values_are_one_as_terraform_converts_them(a: object, b: object, same: bool) -> None:
    assert same_value(a, b) is same
    assert same_value(b, a) is same


def test_a_variable_without_type_agrees_with_anything_and_defaults_count_even_when_null() -> None:
    untyped, nullable = parse_variables('variable "a" {}\n\nvariable b {\n  default = null\n}\n', "v.tf")
    assert (untyped.name, untyped.line, untyped.ssot_type, untyped.has_default) == ("a", 1, None, False)
    assert (nullable.name, nullable.line, nullable.has_default) == ("b", 3, True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('variable "a" {\n  sensitive = "maybe"\n}\n', "v.tf:1: variable 'a': sensitive must be true or false"),
        (
            'variable "a" {\n  type = string\n  type = number\n}\n',
            "v.tf:3: 'type' is set twice in one block; Terraform refuses that",
        ),
        ("variable {\n}\n", 'v.tf:1: a variable block takes one name: variable "name" { ... }'),
    ],
)
def test_variable_blocks_terraform_refuses_are_invalid(text: str, message: str) -> None:
    with pytest.raises(SsotError) as raised:
        parse_variables(text, "v.tf")
    assert [(p.code, str(p)) for p in raised.value.problems] == [("invalid-terraform", message)]


SHARED_FILE_LAYOUT = """
layout:
  tfvars:
    - file: envs/{env}.tfvars
      example: envs/{env}.tfvars.example
    - file: bootstrap/terraform.tfvars
      feeds: [L1]
      values:
        cluster_name: main
"""


@pytest.mark.parametrize(
    ("feeds", "default", "reported"),
    [("L2", '"side"', True), ("L2", '"main"', False), ("L2", "null", False), ("L1", '"side"', False)],
    ids=["unfed-differs", "unfed-same", "unfed-null", "fed-by-the-file-itself"],
)
def test_a_default_is_compared_with_the_value_of_a_shared_tfvars_file_unless_that_file_feeds_it(
    feeds: str, default: str, reported: bool
) -> None:
    text = (FIXTURE_REPO / SSOT).read_text(encoding="utf-8")
    text = text.replace("variables:\n", "variables:\n  cluster_name:\n    type: string\n    description: Cluster.\n", 1)
    text = text.replace(
        "    managed_by: github-actions #", "    terraform_dir: bootstrap\n    managed_by: github-actions #"
    )
    layout = SHARED_FILE_LAYOUT.replace("feeds: [L1]", f"feeds: [{feeds}]")
    facts = compile_text(text + layout, SSOT)
    module = TerraformModule(
        "bootstrap",
        {"bootstrap/main.tf": f'variable "cluster_name" {{\n  type    = string\n  default = {default}\n}}\n'},
    )
    root = LayerTerraform("L1", facts.ssot.layers["L1"], module, ("layers", "L1", "terraform_dir"))
    value_line = line_of(text + layout, "        cluster_name: main")

    found = [(f.file, f.line, f.message) for f in default_mismatches(facts, (root,))]
    message = (
        f"variable 'cluster_name': its default here differs from the value {SSOT}:{value_line} "
        "(layout.tfvars.1.values.cluster_name) gives it"
    )
    assert found == ([("bootstrap/main.tf", 1, message)] if reported else [])
