"""compiler.core.validate: the schema errors a maintainer meets when editing ssot/env.yaml.

Each test starts from the example repository's ssot/env.yaml (tests/fixtures/repo) and makes one
realistic mistake. Expected locations are written as `where(text, marker)`: the line and column at which
`marker` starts in the edited text, so the tests keep working when lines are added above.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURE_REPO

from compiler.core.model import Ssot
from compiler.core.validate import load_ssot
from compiler.errors import SsotError

FILE = "ssot/env.yaml"
NL = "\n"
EXAMPLE = (FIXTURE_REPO / FILE).read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r} in the SSOT"
    return text.replace(old, new)


def where(text: str, marker: str, offset: int = 0) -> str:
    """`ssot/env.yaml:LINE:COL` of the one place `marker` is written in `text` (plus `offset` columns)."""
    assert text.count(marker) == 1, f"expected exactly one {marker!r} in the edited SSOT"
    index = text.index(marker) + offset
    line = text.count("\n", 0, index) + 1
    col = index - text.rfind("\n", 0, index)
    return f"{FILE}:{line}:{col}"


def problems_of(text: str) -> list[str]:
    with pytest.raises(SsotError) as info:
        load_ssot(text, FILE)
    return [str(p) for p in info.value.problems]


def test_where_counts_lines_and_columns_from_one() -> None:
    assert where("a: 1\nbb: xyz\n", "xyz") == f"{FILE}:2:5"
    assert where("a: 1\n", "a:") == f"{FILE}:1:1"


def test_the_example_ssot_validates() -> None:
    ssot = load_ssot(EXAMPLE, FILE)
    assert isinstance(ssot, Ssot)
    assert list(ssot.layers) == ["L1", "L2", "L3", "L4"]
    assert list(ssot.environments) == ["staging", "prod"]
    assert ssot.environments["prod"].env_prefix == ""
    assert ssot.layers["L3"].namespace == "data-{env}"


# --- unknown and missing keys ----------------------------------------------------------------------------


def test_a_misspelt_key_gets_a_did_you_mean() -> None:
    text = edit(EXAMPLE, "    title: Staging\n", "    titel: Staging\n")
    assert problems_of(text) == [
        f"{where(text, 'titel:')}: unknown key 'titel' in environments.staging; did you mean 'title'?"
    ]


def test_a_misspelt_key_deep_in_a_decision() -> None:
    text = edit(EXAMPLE, "        detail: Running", "        details: Running")
    assert problems_of(text) == [
        f"{where(text, 'title: Cost Efficiency')}: decisions.0.rationale.0: missing required key 'detail'",
        f"{where(text, 'details:')}: unknown key 'details' in decisions.0.rationale.0; did you mean 'detail'?",
    ]


def test_an_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    text = edit(EXAMPLE, "    title: Staging\n", "    title: Staging\n    owner: team-a\n")
    assert problems_of(text) == [
        (
            f"{where(text, 'owner:')}: unknown key 'owner' in environments.staging; "
            "allowed: title, values, base_domain, internal_domain, env_prefix"
        )
    ]


def test_an_unknown_layer_key_lists_the_layer_keys() -> None:
    text = edit(EXAMPLE, "    name: Data\n", "    name: Data\n    replicas: 2\n")
    assert problems_of(text) == [
        (
            f"{where(text, 'replicas:')}: unknown key 'replicas' in layers.L3; "
            "allowed: name, scope, managed_by, atlantis_project, digger_project, atlantis_workflow, terraform_version, namespace, "
            "workspace, state_key, components, terraform_dir"
        )
    ]


def test_a_misspelt_top_level_key_is_unknown_and_leaves_the_real_one_missing() -> None:
    text = edit(EXAMPLE, "\nisolation:\n", "\nisolaton:\n")
    assert problems_of(text) == [
        f"{where(text, 'layers:')}: the top level: missing required key 'isolation'",
        f"{where(text, 'isolaton:')}: unknown key 'isolaton' in the top level; did you mean 'isolation'?",
    ]


def test_an_unknown_top_level_key_lists_the_sections() -> None:
    text = edit(EXAMPLE, "# Layers, from the bottom", "owners: [platform-team]\n# Layers, from the bottom")
    assert problems_of(text) == [
        (
            f"{where(text, 'owners:')}: unknown key 'owners' in the top level; "
            "allowed: layers, isolation, atlantis, environments, variables, decisions, layout"
        )
    ]


def test_a_missing_required_key_points_at_its_mapping() -> None:
    text = edit(EXAMPLE, "    name: Data\n", "")
    assert problems_of(text) == [f"{where(text, '  L3:', offset=2)}: layers.L3: missing required key 'name'"]


def test_a_required_variable_without_a_value_says_where_the_value_goes() -> None:
    text = edit(EXAMPLE, "    env_prefix: x-staging      # business domains become x-staging.example.com\n", "")
    assert problems_of(text) == [
        (
            f"{where(text, 'staging:')}: environment 'staging' sets no value for required variable 'env_prefix': "
            "set it as environments.staging.values.env_prefix in ssot/env.yaml "
            "(or make it required: false, or injected: true if CI sets it)"
        )
    ]


def test_an_environment_needs_only_its_name() -> None:
    text = (
        "layers:\n  app:\n    name: App\n    scope: per-env\n    managed_by: github-actions\n"
        "    components: [Web]\nisolation: {shared: none, per_env: one account each}\n"
        "environments:\n  dev: {}\n  prod: {}\n"
    )
    ssot = load_ssot(text, FILE)
    assert list(ssot.environments) == ["dev", "prod"]
    assert ssot.variables == {}


# --- wrong types -----------------------------------------------------------------------------------------


def test_a_list_where_a_string_belongs() -> None:
    text = edit(EXAMPLE, "    name: Data\n", "    name: [Data]\n")
    assert problems_of(text) == [
        f"{where(text, '[Data]')}: layers.L3.name: Input should be a valid string, found a list"
    ]


def test_a_string_where_a_list_belongs() -> None:
    text = edit(EXAMPLE, "    components: [Business databases]\n", "    components: Business databases\n")
    assert problems_of(text) == [
        (
            f"{where(text, 'Business databases')}: layers.L3.components: Input should be a valid list, "
            "found 'Business databases'"
        )
    ]


def test_a_mapping_where_a_list_belongs() -> None:
    text = edit(EXAMPLE, "decisions:\n  - title:", "decisions:\n  adr1:\n    title:")
    assert problems_of(text) == [f"{where(text, 'adr1:')}: decisions: Input should be a valid list, found a mapping"]


QUOTED_FALSE = "'false'"


def test_a_quoted_boolean_is_not_a_boolean() -> None:
    text = edit(EXAMPLE, "    required: false\n", "    required: 'false'\n")
    assert problems_of(text) == [
        (
            f"{where(text, QUOTED_FALSE)}: variables.internal_domain.required: "
            "Input should be a valid boolean, found 'false'"
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "    scope: shared              #",
            "    scope: global              #",
            "global",
            "layers.L1.scope: Input should be 'shared' or 'per-env', found 'global'",
        ),
        (
            "    managed_by: github-actions #",
            "    managed_by: GitHub Actions #",  # as DESIGN.md's sketch writes it
            "GitHub Actions #",
            (
                "layers.L1.managed_by: Input should be 'github-actions', 'atlantis', 'digger' or 'none', found 'GitHub Actions'; "
                "did you mean 'github-actions'?"
            ),
        ),
        (
            "    managed_by: atlantis\n    atlantis_project: platform",
            "    managed_by: atlantiss\n    atlantis_project: platform",
            "atlantiss",
            (
                "layers.L2.managed_by: Input should be 'github-actions', 'atlantis', 'digger' or 'none', found 'atlantiss'; "
                "did you mean 'atlantis'?"
            ),
        ),
        (
            "  environment:\n    type: string\n",
            "  environment:\n    type: str\n",
            "str\n",
            (
                "variables.environment.type: "
                "Input should be 'string', 'number', 'bool', 'list', 'map' or 'object', found 'str'; "
                "did you mean 'string'?"
            ),
        ),
    ],
    ids=["scope-no-close-choice", "managed_by", "managed_by-typo", "variable-type"],
)
def test_a_value_outside_its_literal_choices(old: str, new: str, marker: str, message: str) -> None:
    text = edit(EXAMPLE, old, new)
    assert problems_of(text) == [f"{where(text, marker)}: {message}"]


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        ("    name: Data\n", "    name: ''\n", "''", "layers.L3.name: String should have at least 1 character"),
        (
            "    components: [Business databases]\n",
            "    components: []\n",
            "[]",
            "layers.L3.components: needs at least one item",
        ),
    ],
    ids=["empty-name", "no-components"],
)
def test_empty_values_that_must_not_be(old: str, new: str, marker: str, message: str) -> None:
    text = edit(EXAMPLE, old, new)
    assert problems_of(text) == [f"{where(text, marker)}: {message}"]


# --- YAML reading a string field as something else -------------------------------------------------------


def test_a_string_field_given_an_unquoted_no() -> None:
    text = edit(EXAMPLE, "    title: Prod\n", "    title: no\n")
    assert problems_of(text) == [
        f"{where(text, 'no' + NL)}: 'no' is read by YAML 1.1 as the boolean false; quote it (\"no\") if you mean text"
    ]


@pytest.mark.parametrize(
    ("written", "kind"),
    [("1.10", "a number"), ("42", "a number"), ("true", "a boolean")],
)
def test_a_string_field_given_a_number_or_boolean_unquoted(written: str, kind: str) -> None:
    text = edit(EXAMPLE, "    title: Prod\n", f"    title: {written}\n")
    assert problems_of(text) == [
        (
            f"{where(text, written + NL)}: environments.prod.title: Input should be a valid string; "
            f'YAML read {written!r} as {kind}: quote it ("{written}")'
        )
    ]


def test_an_empty_env_prefix_value_must_be_quoted() -> None:
    text = edit(EXAMPLE, '    env_prefix: ""             #', "    values:\n      env_prefix:              #")
    at = where(text, "env_prefix:              #", offset=len("env_prefix:"))  # YAML's empty value
    assert problems_of(text) == [
        f"{at}: 'env_prefix' is declared as string, but YAML read its empty value as null: quote it (\"\")"
    ]


def test_the_quoted_value_is_accepted() -> None:
    text = edit(EXAMPLE, "    title: Prod\n", '    title: "1.10"\n')
    assert load_ssot(text, FILE).environments["prod"].title == "1.10"


def test_an_environment_named_no() -> None:
    text = edit(EXAMPLE, "  prod:\n    title: Prod\n", "  no:\n    title: Prod\n")
    assert problems_of(text) == [
        f"{where(text, 'no:')}: key 'no' is read by YAML as a boolean, not a string; quote it: \"no\""
    ]


def test_an_environment_named_no_in_quotes_is_fine() -> None:
    text = edit(EXAMPLE, "  prod:\n    title: Prod\n", '  "no":\n    title: Prod\n')
    assert list(load_ssot(text, FILE).environments) == ["staging", "no"]


# --- the whole file --------------------------------------------------------------------------------------


def test_all_schema_errors_are_reported_at_once() -> None:
    text = edit(EXAMPLE, "    title: Staging\n", "    titel: Staging\n")
    text = edit(text, "    scope: shared              #", "    scope: global              #")
    assert problems_of(text) == [
        f"{where(text, 'global')}: layers.L1.scope: Input should be 'shared' or 'per-env', found 'global'",
        f"{where(text, 'titel:')}: unknown key 'titel' in environments.staging; did you mean 'title'?",
    ]


def test_a_missing_value_under_values_is_one_problem() -> None:
    text = edit(EXAMPLE, "variables:\n", "variables:\n  replicas:\n    type: number\n    description: Replicas.\n")
    text = edit(text, "    env_prefix: x-staging ", "    values:\n      replicas:\n    env_prefix: x-staging ")
    text = edit(text, '    env_prefix: ""', '    values: {replicas: 3}\n    env_prefix: ""')
    at = where(text, "replicas:\n    env_prefix", offset=len("replicas:"))  # YAML's empty value: after the colon
    assert problems_of(text) == [f"{at}: 'replicas' is declared as number, but its value is null"]


def test_a_schema_error_next_to_a_loader_problem_on_the_same_line_is_still_reported() -> None:
    text = edit(
        EXAMPLE,
        '  prod:\n    title: Prod\n    base_domain: example.com\n    env_prefix: ""             #',
        '  prod: {title: no, base_domain: [x], env_prefix: ""}  #',
    )
    assert problems_of(text) == [
        f"{where(text, 'no,')}: 'no' is read by YAML 1.1 as the boolean false; quote it (\"no\") if you mean text",
        f"{where(text, '[x]')}: environments.prod.base_domain: Input should be a valid string, found a list",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- layers\n- environments\n", "the top level must be a mapping (layers, environments, ...)"),
        ("layers\n", "the top level must be a mapping (layers, environments, ...)"),
        ("", "the file is empty; expected a mapping (layers, environments, ...)"),
    ],
)
def test_the_top_level_must_be_a_mapping(text: str, message: str) -> None:
    assert problems_of(text) == [f"{FILE}:1:1: {message}"]


def test_optional_keys_left_out_take_their_defaults() -> None:
    text = edit(EXAMPLE, "    title: Prod\n", "")
    ssot = load_ssot(text, FILE)
    assert ssot.environments["prod"].title is None
    assert ssot.environments["prod"].internal_domain is None
    assert ssot.environments["prod"].values == {}
    assert ssot.variables["environment"].required is True
    assert ssot.variables["environment"].sensitive is False
