"""compiler.core.rules: the domain rules, each broken by one realistic edit of the example ssot/env.yaml.

Expected locations are written as `where(text, marker)`: the line and column at which `marker` starts in
the edited text.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURE_REPO

from compiler.core.facts import compile_facts, compile_text
from compiler.core.model import Ssot
from compiler.core.rules import Violation, check_rules, is_hostname
from compiler.core.validate import load_ssot
from compiler.errors import SsotError
from compiler.formats.strict_yaml import load_yaml

FILE = "ssot/env.yaml"
EXAMPLE = (FIXTURE_REPO / FILE).read_text(encoding="utf-8")

# Snippets of the example file (tests/fixtures/repo/ssot/env.yaml) that the edits below rely on.
STAGING_PREFIX = "    env_prefix: x-staging      # business domains become x-staging.example.com\n"
PROD_PREFIX = '    env_prefix: ""             # prod serves business domains on the bare base_domain\n'
L1_MANAGED_BY = "    managed_by: github-actions # github-actions or atlantis (then atlantis_project is required)\n"
L2_PROJECT = "    atlantis_project: platform\n"
L3_PROJECT = "    atlantis_project: data-{env}\n"
L3_NAMESPACE = "    namespace: data-{env}\n"
L4_PROJECT = "    atlantis_project: apps-{env}\n"
L4_NAMESPACE = "    namespace: apps-{env}\n"
NL = "\n"
DNS_HINT = "(lowercase letters, digits and '-', at most 63 characters)"


def edit(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert text.count(old) == 1, f"expected exactly one {old!r} in the SSOT"
        text = text.replace(old, new)
    return text


def where(text: str, marker: str) -> str:
    """`ssot/env.yaml:LINE:COL` of the one place `marker` is written in `text`."""
    assert text.count(marker) == 1, f"expected exactly one {marker!r} in the edited SSOT"
    index = text.index(marker)
    line = text.count("\n", 0, index) + 1
    col = index - text.rfind("\n", 0, index)
    return f"{FILE}:{line}:{col}"


def problems_of(text: str) -> list[str]:
    with pytest.raises(SsotError) as info:
        load_ssot(text, FILE)
    return [str(p) for p in info.value.problems]


def declare(name: str, body: str) -> tuple[str, str]:
    """An edit adding variable `name` (its `body` lines indented under it) to the contract."""
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    return ("variables:\n", f"variables:\n  {name}:\n{lines}")


def staging_values(values: str) -> tuple[str, str]:
    return (STAGING_PREFIX, f"    env_prefix: x-staging\n    values: {values}\n")


def prod_values(values: str) -> tuple[str, str]:
    return (PROD_PREFIX, f'    env_prefix: ""\n    values: {values}\n')


# --- the example file ------------------------------------------------------------------------------------


def test_the_example_ssot_breaks_no_rule() -> None:
    ssot = Ssot.model_validate(load_yaml(EXAMPLE, FILE).data)
    assert check_rules(ssot) == []
    load_ssot(EXAMPLE, FILE)


def test_violations_name_the_path_they_are_about() -> None:
    text = edit(
        EXAMPLE,
        ("  prod:\n    title: Prod\n", "  prod:\n    title: Staging\n"),
        ("    namespace: apps-{env}\n", "    namespace: apps\n"),
    )
    ssot = Ssot.model_validate(load_yaml(text, FILE).data)
    assert check_rules(ssot) == [
        Violation(("environments", "prod", "title"), "title 'Staging' is already used by environment 'staging'"),
        Violation(
            ("layers", "L4", "namespace"),
            "namespace 'apps' of per-env layer L4 must contain {env}, or every environment gets the same one",
        ),
    ]


# --- environment names -----------------------------------------------------------------------------------


def env_name_problem(text: str, name: str) -> str:
    at = where(text, f"{name}:\n    title: Staging")
    return (
        f"{at}: environment name {name!r} is not a DNS-1123 label "
        "(lowercase letters, digits and '-', at most 63 characters, starting and ending alphanumeric)"
    )


@pytest.mark.parametrize("name", ["Staging", "stag_ing", "stag.ing", "-staging", "staging-", "s" * 64])
def test_environment_names_must_be_dns_labels(name: str) -> None:
    text = edit(EXAMPLE, ("  staging:\n    title: Staging\n", f"  {name}:\n    title: Staging\n"))
    assert env_name_problem(text, name) in problems_of(text)


def test_an_environment_name_with_a_leading_dash_is_the_only_problem() -> None:
    text = edit(EXAMPLE, ("  staging:\n    title: Staging\n", "  -staging:\n    title: Staging\n"))
    assert problems_of(text) == [env_name_problem(text, "-staging")]


def test_a_bad_environment_name_is_reported_once() -> None:
    text = edit(EXAMPLE, ("  staging:\n    title: Staging\n", "  Staging:\n    title: Staging\n"))
    assert problems_of(text) == [env_name_problem(text, "Staging")]


@pytest.mark.parametrize("name", ["qa", "dev-2", "e2e"])
def test_good_environment_names_are_accepted(name: str) -> None:
    text = edit(EXAMPLE, ("  staging:\n    title: Staging\n", f"  {name}:\n    title: Staging\n"))
    assert list(load_ssot(text, FILE).environments) == [name, "prod"]


# --- names that become Terraform identifiers, and layer ids ----------------------------------------------

IDENTIFIER_HINT = (
    "a variable name is a Terraform identifier: letters, digits, '_' and '-', not starting with a digit or '-' "
    "(such as env_prefix)"
)
OPTIONAL_STRING = "type: string\nrequired: false\ndescription: A variable."


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ('"my var"', "my var"),
        ('"1st_domain"', "1st_domain"),
        ('"-flag"', "-flag"),
        ('"x = 1\\nevil"', "x = 1\nevil"),
        ('"naïve"', "naïve"),
        ('"a.b"', "a.b"),
        ('"<b>"', "<b>"),
    ],
)
def test_variable_names_must_be_terraform_identifiers(written: str, key: str) -> None:
    text = edit(EXAMPLE, declare(written, OPTIONAL_STRING))
    assert problems_of(text) == [f"{where(text, written + ':')}: {IDENTIFIER_HINT}"]
    assert check_rules(Ssot.model_validate(load_yaml(text, FILE).data))[0].path == ("variables", key)


@pytest.mark.parametrize("name", ["_private", "team-name", "region2", "A_b-C"])
def test_good_variable_names_are_accepted(name: str) -> None:
    text = edit(EXAMPLE, declare(name, OPTIONAL_STRING))
    assert name in load_ssot(text, FILE).variables


@pytest.mark.parametrize("name", ["count", "for_each", "source", "depends_on"])
def test_names_terraform_reserves_are_refused(name: str) -> None:
    text = edit(EXAMPLE, declare(name, OPTIONAL_STRING))
    assert problems_of(text) == [
        f"{where(text, name + ':')}: Terraform reserves the name {name!r}: no variable may take it"
    ]


@pytest.mark.parametrize("layer_id", ['"L4 <b>"', '"L4\\tx"', '"-L4"', '"L/4"', '"' + "L" * 64 + '"', '"**L4**"'])
def test_layer_ids_are_short_words_without_markup(layer_id: str) -> None:
    text = edit(EXAMPLE, ("  L4:\n", f"  {layer_id}:\n"))
    hint = "at most 63 characters (such as L1): it names the layer in tables, headings and the diagram"
    assert problems_of(text) == [
        f"{where(text, layer_id + ':')}: a layer id is letters, digits, '-', '_' and '.', starting with a letter or "
        + f"digit, {hint}"
    ]


@pytest.mark.parametrize("layer_id", ["L4", '"4"', "apps_2", "data-v1.2"])
def test_good_layer_ids_are_accepted(layer_id: str) -> None:
    text = edit(EXAMPLE, ("  L4:\n", f"  {layer_id}:\n"))
    assert layer_id.strip('"') in load_ssot(text, FILE).layers


# --- unique ids and names --------------------------------------------------------------------------------


def test_layer_ids_are_unique() -> None:
    text = edit(EXAMPLE, ("  L4:\n    name: Apps\n", "  L3:\n    name: Apps\n"))
    first = where(text, "  L3:\n    name: Data").split(":")[1]
    at = where(text, "L3:\n    name: Apps")
    assert problems_of(text) == [f"{at}: duplicate key 'L3' (first defined at line {first})"]


def test_environment_names_are_unique() -> None:
    text = edit(EXAMPLE, ("  prod:\n    title: Prod\n", "  staging:\n    title: Prod\n"))
    first = where(text, "  staging:\n    title: Staging").split(":")[1]
    at = where(text, "staging:\n    title: Prod")
    assert problems_of(text) == [f"{at}: duplicate key 'staging' (first defined at line {first})"]


@pytest.mark.parametrize(
    ("changes", "marker"),
    [
        (
            [("  prod:\n    title: Prod\n", "  prod:\n    title: Staging\n")],
            'Staging\n    base_domain: example.com\n    env_prefix: ""',
        ),
        # staging has no title: it is shown as "Staging", which prod then repeats
        (
            [("    title: Staging\n", ""), ("  prod:\n    title: Prod\n", "  prod:\n    title: Staging\n")],
            "Staging\n",
        ),
    ],
    ids=["explicit", "default-title"],
)
def test_environment_titles_are_unique(changes: list[tuple[str, str]], marker: str) -> None:
    text = edit(EXAMPLE, *changes)
    assert problems_of(text) == [f"{where(text, marker)}: title 'Staging' is already used by environment 'staging'"]


# --- patterns and the env placeholder --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "marker", "field", "pattern"),
    [
        ((L3_NAMESPACE, "    namespace: data\n"), "data\n", "namespace", "data"),
        ((L3_PROJECT, "    atlantis_project: data\n"), "data\n", "atlantis_project", "data"),
        ((L3_NAMESPACE, L3_NAMESPACE + "    workspace: data\n"), "data\n", "workspace", "data"),
    ],
    ids=["namespace", "atlantis_project", "workspace"],
)
def test_a_per_env_pattern_must_contain_env(change: tuple[str, str], marker: str, field: str, pattern: str) -> None:
    text = edit(EXAMPLE, change)
    unless = " (unless its terraform_dir holds {env}: one directory per environment)"
    assert problems_of(text) == [
        (
            f"{where(text, marker)}: {field} {pattern!r} of per-env layer L3 must contain {{env}}, "
            f"or every environment gets the same one{unless if field in ('workspace', 'state_key') else ''}"
        )
    ]


def test_a_per_env_state_key_without_env_is_one_state_per_workspace() -> None:
    """Terraform keeps each workspace's state apart (S3: env:/<workspace>/<key>): one key serves them all."""
    text = edit(EXAMPLE, (L3_NAMESPACE, L3_NAMESPACE + "    state_key: data/terraform.tfstate\n"))
    facts = compile_text(text, FILE)
    keys = {(i.env, i.workspace, i.state_key) for env in facts.environments for i in env.layers if i.layer_id == "L3"}
    assert keys == {("staging", "staging", "data/terraform.tfstate"), ("prod", "prod", "data/terraform.tfstate")}
    shared = edit(text, (L3_NAMESPACE, L3_NAMESPACE + "    workspace: data\n"))
    assert [p.split(": ", 1)[1].split(" of ")[0] for p in problems_of(shared)] == [
        "workspace 'data'",
        "state_key 'data/terraform.tfstate'",
    ]


@pytest.mark.parametrize(
    ("change", "marker", "field", "pattern"),
    [
        ((L2_PROJECT, L2_PROJECT + "    namespace: platform-{env}\n"), "platform-{env}", "namespace", "platform-{env}"),
        (
            (L2_PROJECT, "    atlantis_project: platform-{env}\n"),
            "platform-{env}",
            "atlantis_project",
            "platform-{env}",
        ),
        ((L2_PROJECT, L2_PROJECT + "    workspace: '{env}'\n"), "'{env}'", "workspace", "{env}"),
        (
            (L2_PROJECT, L2_PROJECT + "    state_key: platform/{env}.tfstate\n"),
            "platform/{env}.tfstate",
            "state_key",
            "platform/{env}.tfstate",
        ),
    ],
    ids=["namespace", "atlantis_project", "workspace", "state_key"],
)
def test_a_shared_pattern_must_not_contain_env(change: tuple[str, str], marker: str, field: str, pattern: str) -> None:
    text = edit(EXAMPLE, change)
    assert problems_of(text) == [
        (
            f"{where(text, marker)}: {field} {pattern!r} of shared layer L2 must not contain {{env}}: "
            "a shared layer is a singleton"
        )
    ]


@pytest.mark.parametrize(
    ("change", "marker", "message"),
    [
        (
            (L3_NAMESPACE, "    namespace: data-{foo}\n"),
            "data-{foo}",
            "namespace 'data-{foo}' uses unknown placeholder {foo}; only {env} exists",
        ),
        (
            (L3_NAMESPACE, "    namespace: '{foo}-data-{env}'\n"),
            "'{foo}-data-{env}'",
            "namespace '{foo}-data-{env}' uses unknown placeholder {foo}; only {env} exists",
        ),
        (
            (L3_PROJECT, "    atlantis_project: data-{ENV}\n"),
            "data-{ENV}",
            "atlantis_project 'data-{ENV}' uses unknown placeholder {ENV}; only {env} exists",
        ),
        (
            (L2_PROJECT, "    atlantis_project: platform-{environment}\n"),
            "platform-{environment}",
            "atlantis_project 'platform-{environment}' uses unknown placeholder {environment}; only {env} exists",
        ),
    ],
    ids=["foo", "foo-and-env", "upper-case", "in-a-shared-layer"],
)
def test_unknown_placeholders_are_refused(change: tuple[str, str], marker: str, message: str) -> None:
    text = edit(EXAMPLE, change)
    assert problems_of(text) == [f"{where(text, marker)}: {message}"]


# --- names produced twice --------------------------------------------------------------------------------


@pytest.mark.parametrize("directory", ["../terraform/data", "/etc", "terraform/../../x", "..\\outside"])
def test_a_terraform_dir_must_stay_inside_the_repository(directory: str) -> None:
    text = edit(EXAMPLE, (L3_NAMESPACE, f"{L3_NAMESPACE}    terraform_dir: '{directory}'\n"))
    written = where(text, f"'{directory}'")
    message = f"terraform_dir {directory!r} leaves the repository; write a path relative to its top"
    assert f"{written}: {message} (such as terraform/data)" in problems_of(text)


def test_a_namespace_produced_twice_by_two_per_env_layers() -> None:
    text = edit(EXAMPLE, (L4_NAMESPACE, "    namespace: data-{env}\n"))
    at = where(text, "data-{env}\n    components: [Business apps]")
    assert problems_of(text) == [
        f"{at}: namespace 'data-prod' is produced twice: by L3 in prod and by L4 in prod",
        f"{at}: namespace 'data-staging' is produced twice: by L3 in staging and by L4 in staging",
    ]


def test_a_shared_namespace_colliding_with_a_per_env_one() -> None:
    text = edit(EXAMPLE, (L2_PROJECT, L2_PROJECT + "    namespace: data-staging\n"))
    at = where(text, "data-{env}\n    components")  # L3's namespace
    assert problems_of(text) == [f"{at}: namespace 'data-staging' is produced twice: by L2 and by L3 in staging"]


def test_an_atlantis_project_produced_twice_by_two_per_env_layers() -> None:
    text = edit(EXAMPLE, (L4_PROJECT, "    atlantis_project: data-{env}\n"))
    at = where(text, "data-{env}\n    namespace: apps-{env}")
    assert problems_of(text) == [
        f"{at}: atlantis_project 'data-prod' is produced twice: by L3 in prod and by L4 in prod",
        f"{at}: atlantis_project 'data-staging' is produced twice: by L3 in staging and by L4 in staging",
    ]


def test_a_shared_atlantis_project_colliding_with_a_per_env_one() -> None:
    text = edit(EXAMPLE, (L2_PROJECT, "    atlantis_project: data-prod\n"))
    at = where(text, "data-{env}\n    namespace: data-{env}")  # L3's atlantis_project
    assert problems_of(text) == [f"{at}: atlantis_project 'data-prod' is produced twice: by L2 and by L3 in prod"]


def test_two_layers_with_the_same_name_share_a_default_state_key() -> None:
    text = edit(EXAMPLE, ("    name: Apps\n", "    name: Data\n"))
    # no state_key is written for L4: the problem points at the layer's mapping
    at = where(text, "name: Data\n    scope: per-env\n    managed_by: atlantis\n    atlantis_project: apps")
    hint = "the default state key comes from the layer's name: rename the layer or set state_key"
    assert problems_of(text) == [
        (
            f"{at}: Terraform state (workspace:key) 'prod:data/prod/terraform.tfstate' is produced twice: "
            f"by L3 in prod and by L4 in prod; {hint}"
        ),
        (
            f"{at}: Terraform state (workspace:key) 'staging:data/staging/terraform.tfstate' is produced twice: "
            f"by L3 in staging and by L4 in staging; {hint}"
        ),
    ]


def test_a_state_key_written_to_collide_gets_no_hint_about_the_default() -> None:
    text = edit(EXAMPLE, (L4_NAMESPACE, L4_NAMESPACE + "    state_key: data/{env}/terraform.tfstate\n"))
    at = where(text, "data/{env}/terraform.tfstate")
    assert problems_of(text) == [
        (
            f"{at}: Terraform state (workspace:key) 'prod:data/prod/terraform.tfstate' is produced twice: "
            "by L3 in prod and by L4 in prod"
        ),
        (
            f"{at}: Terraform state (workspace:key) 'staging:data/staging/terraform.tfstate' is produced twice: "
            "by L3 in staging and by L4 in staging"
        ),
    ]


# --- DNS labels and host names ---------------------------------------------------------------------------


def test_an_expanded_namespace_longer_than_63_characters() -> None:
    pattern = "d" * 58 + "-{env}"  # 63 characters in prod, 66 in staging
    text = edit(EXAMPLE, (L3_NAMESPACE, f"    namespace: {pattern}\n"))
    too_long = "d" * 58 + "-staging"
    assert problems_of(text) == [
        (
            f"{where(text, pattern)}: namespace {too_long!r} (L3 in staging, 66 characters) "
            f"is not a DNS-1123 label {DNS_HINT}"
        )
    ]


def test_an_expanded_namespace_of_63_characters_is_fine() -> None:
    text = edit(EXAMPLE, (L3_NAMESPACE, f"    namespace: {'d' * 55}-{{env}}\n"))
    assert load_ssot(text, FILE).layers["L3"].namespace == "d" * 55 + "-{env}"


def test_a_namespace_with_upper_case_letters() -> None:
    text = edit(EXAMPLE, (L3_NAMESPACE, "    namespace: Data-{env}\n"))
    at = where(text, "Data-{env}")
    assert problems_of(text) == [
        f"{at}: namespace 'Data-prod' (L3 in prod) is not a DNS-1123 label {DNS_HINT}",
        f"{at}: namespace 'Data-staging' (L3 in staging) is not a DNS-1123 label {DNS_HINT}",
    ]


@pytest.mark.parametrize("prefix", ["X-Staging", "x_staging", "x.staging", "-x", "x" * 64])
def test_env_prefix_must_be_a_dns_label(prefix: str) -> None:
    text = edit(EXAMPLE, (STAGING_PREFIX, f"    env_prefix: {prefix}\n"))
    assert problems_of(text) == [
        (
            f"{where(text, prefix + NL)}: env_prefix {prefix!r} must be empty or a DNS-1123 label "
            "(lowercase letters, digits and '-')"
        )
    ]


def test_an_empty_env_prefix_is_accepted() -> None:
    text = edit(EXAMPLE, (STAGING_PREFIX, '    env_prefix: ""\n'))
    assert load_ssot(text, FILE).environments["staging"].env_prefix == ""


@pytest.mark.parametrize(
    "domain", ["example_com", "https://example.com", "example.com.", "'example com'", "-example.com"]
)
@pytest.mark.parametrize("field", ["base_domain", "internal_domain"])
def test_domains_must_be_host_names(field: str, domain: str) -> None:
    text = edit(EXAMPLE, ("    title: Prod\n", f"    title: Prod\n    {field}: {domain}\n"))
    if field == "base_domain":
        text = edit(text, ('    base_domain: example.com\n    env_prefix: ""', '    env_prefix: ""'))
    shown = domain.strip("'")
    assert problems_of(text) == [f"{where(text, domain + NL)}: {field} {shown!r} is not a valid host name"]


@pytest.mark.parametrize("name", ["example.com", "localhost", "a.b-c.d9", "x" * 63 + ".com"])
def test_host_names_that_are_fine(name: str) -> None:
    assert is_hostname(name)


@pytest.mark.parametrize("name", ["", "x" * 64 + ".com", "a..b", ("a" * 60 + ".") * 5 + "com"])
def test_host_names_that_are_not(name: str) -> None:
    assert not is_hostname(name)


# --- managed_by and atlantis_project ---------------------------------------------------------------------


def test_a_layer_managed_by_atlantis_needs_a_project() -> None:
    text = edit(EXAMPLE, (L2_PROJECT, ""))
    at = where(text, "atlantis\n    components: [Vault")  # L2's managed_by
    assert problems_of(text) == [f"{at}: layer L2 is managed by atlantis but names no atlantis_project"]


def test_a_layer_managed_by_github_actions_has_no_project() -> None:
    text = edit(EXAMPLE, (L1_MANAGED_BY, "    managed_by: github-actions\n    atlantis_project: bootstrap\n"))
    assert problems_of(text) == [
        f"{where(text, 'bootstrap')}: layer L1 is managed by github-actions, so it has no atlantis_project"
    ]


# --- the tfvars contract ---------------------------------------------------------------------------------


def test_a_sensitive_variable_has_no_value_in_any_environment() -> None:
    text = edit(
        EXAMPLE,
        declare("db_password", "type: string\nsensitive: true\ndescription: Password of the business database."),
        staging_values("{db_password: hunter2}"),
    )
    assert problems_of(text) == [
        (
            f"{where(text, 'db_password: hunter2')}: variable 'db_password' is sensitive and must not have a value in "
            "any tfvars; inject it another way (TF_VAR_ from CI)"
        )
    ]


def test_a_required_sensitive_variable_needs_no_value() -> None:
    text = edit(EXAMPLE, declare("db_password", "type: string\nsensitive: true\ndescription: Password."))
    assert load_ssot(text, FILE).variables["db_password"].sensitive


def test_a_built_in_variable_cannot_be_sensitive() -> None:
    text = edit(EXAMPLE, ("    required: false\n", "    required: false\n    sensitive: true\n"))
    assert problems_of(text) == [
        f"{where(text, 'true')}: variable 'internal_domain' is sensitive, but every environment writes it to its tfvars"
    ]


def test_a_value_for_an_undeclared_variable() -> None:
    text = edit(EXAMPLE, staging_values("{replicas: 2}"))
    assert problems_of(text) == [
        f"{where(text, 'replicas: 2')}: 'replicas' is not a declared variable; declare it under variables first"
    ]


def test_a_domain_set_both_as_a_field_and_under_values() -> None:
    text = edit(EXAMPLE, staging_values("{base_domain: example.org}"))
    at = where(text, "base_domain: example.org")
    assert problems_of(text) == [
        f"{at}: 'base_domain' is set twice: as environments.staging.base_domain and under values; keep it under values"
    ]


def test_the_environment_variable_is_never_a_value() -> None:
    text = edit(EXAMPLE, staging_values("{environment: stage}"))
    assert problems_of(text) == [
        f"{where(text, 'environment: stage')}: 'environment' is the environment's name, not a value"
    ]


@pytest.mark.parametrize(
    ("type_", "staging", "prod", "marker", "found"),
    [
        ("number", "{replicas: '2'}", "{replicas: 3}", "'2'", "string"),
        ("number", "{replicas: true}", "{replicas: 3}", "true}", "bool"),
        ("bool", "{replicas: 1}", "{replicas: false}", "1}", "number"),
        ("list", "{replicas: a}", "{replicas: [a]}", "a}", "string"),
        ("map", "{replicas: [a]}", "{replicas: {a: 1}}", "[a]}", "list"),
        ("string", "{replicas: {a: 1}}", "{replicas: x}", "{a: 1}}", "map"),
    ],
)
def test_a_value_of_the_wrong_type(type_: str, staging: str, prod: str, marker: str, found: str) -> None:
    text = edit(
        EXAMPLE,
        declare("replicas", f"type: {type_}\ndescription: Replicas."),
        staging_values(staging),
        prod_values(prod),
    )
    assert problems_of(text) == [f"{where(text, marker)}: 'replicas' is declared as {type_}, but its value is {found}"]


@pytest.mark.parametrize(
    ("type_", "staging", "prod"),
    [
        ("number", "{replicas: 0.5}", "{replicas: 3}"),
        ("object", "{replicas: {a: 1}}", "{replicas: {b: [x]}}"),
        ("map", "{replicas: {}}", "{replicas: {a: b}}"),
        ("list", "{replicas: []}", "{replicas: [1, 2]}"),
    ],
)
def test_a_value_of_the_right_type(type_: str, staging: str, prod: str) -> None:
    text = edit(
        EXAMPLE,
        declare("replicas", f"type: {type_}\ndescription: Replicas."),
        staging_values(staging),
        prod_values(prod),
    )
    load_ssot(text, FILE)


def test_a_required_variable_with_no_value_in_one_environment() -> None:
    text = edit(EXAMPLE, declare("replicas", "type: number\ndescription: Replicas."), staging_values("{replicas: 2}"))
    assert problems_of(text) == [
        (
            f"{where(text, 'prod:')}: environment 'prod' sets no value for required variable 'replicas': set it as "
            "environments.prod.values.replicas in ssot/env.yaml (or make it required: false, or injected: true if CI sets it)"
        )
    ]


def test_an_injected_required_variable_needs_no_value_in_any_environment() -> None:
    text = edit(EXAMPLE, declare("image_tag", "type: string\ninjected: true\ndescription: Set by CI."))
    facts = compile_facts(load_ssot(text, FILE))
    assert all("image_tag" not in env.tfvars for env in facts.environments)


def test_an_optional_variable_may_have_no_value() -> None:
    text = edit(EXAMPLE, declare("replicas", "type: number\nrequired: false\ndescription: Replicas."))
    load_ssot(text, FILE)


def test_default_from_must_name_a_declared_variable() -> None:
    text = edit(EXAMPLE, ("    default_from: base_domain\n", "    default_from: base_domian\n"))
    assert problems_of(text) == [
        f"{where(text, 'base_domian')}: default_from names 'base_domian', which is not a declared variable"
    ]


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("environment", "name"),
        ("base_domain", "base_domain"),
        ("internal_domain", "internal_domain"),
        ("env_prefix", "env_prefix"),
    ],
)
def test_a_built_in_variable_must_be_declared_as_a_string(name: str, source: str) -> None:
    text = edit(EXAMPLE, (f"  {name}:\n    type: string\n", f"  {name}:\n    type: number\n"))
    assert problems_of(text) == [
        (
            f"{where(text, f'number{NL}')}: variable {name!r} takes its value from each environment's {source}, "
            "which is text: its type is string"
        )
    ]


# --- several rules at once -------------------------------------------------------------------------------


def test_every_rule_violation_is_reported_at_once() -> None:
    text = edit(
        EXAMPLE,
        (L4_NAMESPACE, "    namespace: apps\n"),
        (L2_PROJECT, ""),
        (STAGING_PREFIX, "    env_prefix: X\n"),
        ("    default_from: base_domain\n", "    default_from: domain\n"),
    )
    managed_by = where(text, "atlantis\n    components: [Vault")
    namespace = where(text, "apps\n")
    prefix = where(text, "X\n")
    default_from = where(text, "domain\n    description: Domain for")
    assert problems_of(text) == [
        f"{managed_by}: layer L2 is managed by atlantis but names no atlantis_project",
        f"{namespace}: namespace 'apps' of per-env layer L4 must contain {{env}}, or every environment gets the same one",
        f"{prefix}: env_prefix 'X' must be empty or a DNS-1123 label (lowercase letters, digits and '-')",
        f"{default_from}: default_from names 'domain', which is not a declared variable",
    ]


# --- one directory per environment -----------------------------------------------------------------------

#: A repository with one Terraform root per environment, planned in the default workspace.
DIR_PER_ENV = """\
layers:
  net:
    name: Network
    scope: shared
    managed_by: atlantis
    atlantis_project: network
    terraform_dir: infra/network
    components: [VPC]
  app:
    name: App
    scope: per-env
    managed_by: atlantis
    atlantis_project: app-{env}
    terraform_dir: infra/environments/{env}
    workspace: default
    components: [Web]
isolation: {shared: one network, per_env: one directory per environment}
environments:
  dev: {}
  prod: {}
"""


def test_a_per_env_layer_in_one_directory_per_environment_may_use_the_default_workspace() -> None:
    text = DIR_PER_ENV.replace("    workspace: default\n", "    workspace: default\n    state_key: terraform.tfstate\n")
    ssot = load_ssot(text, FILE)
    assert ssot.layers["app"].workspace == "default"


def test_a_per_env_layer_with_one_root_for_every_environment_still_needs_env_in_its_workspace() -> None:
    text = DIR_PER_ENV.replace("infra/environments/{env}", "infra/app")
    assert problems_of(text) == [
        (
            f"{where(text, 'default')}: workspace 'default' of per-env layer app must contain {{env}}, or every "
            "environment gets the same one (unless its terraform_dir holds {env}: one directory per environment)"
        )
    ]


def test_a_shared_layer_stays_a_singleton_in_one_directory() -> None:
    text = DIR_PER_ENV.replace(
        "    terraform_dir: infra/network\n", "    terraform_dir: infra/network\n    workspace: '{env}'\n"
    )
    assert problems_of(text) == [
        (
            f"{where(text, chr(39) + '{env}')}: workspace '{{env}}' of shared layer net must not contain {{env}}: "
            "a shared layer is a singleton"
        )
    ]


def test_two_instances_planned_in_the_same_directory_and_workspace_are_refused() -> None:
    text = DIR_PER_ENV.replace(  # a second per-env layer in the same roots, in the same workspace
        "isolation:",
        "  web:\n    name: Web\n    scope: per-env\n    managed_by: atlantis\n    atlantis_project: web-{env}\n"
        "    terraform_dir: infra/environments/{env}/\n    workspace: default\n    components: [Site]\nisolation:",
    )
    at = where(text, "default\n    components: [Site]")
    assert problems_of(text) == [
        f"{at}: Terraform root 'infra/environments/{env}' in workspace 'default' is planned twice: by app in {env} "
        f"and by web in {env}; they would share one state"
        for env in ("dev", "prod")
    ]


def test_a_shared_layer_in_the_root_of_one_environment_is_refused() -> None:
    text = DIR_PER_ENV.replace("terraform_dir: infra/network", "terraform_dir: ./infra/environments/prod")
    assert problems_of(text) == [
        (
            f"{where(text, 'default')}: Terraform root 'infra/environments/prod' in "
            "workspace 'default' is planned twice: by net and by app in prod; they would share one state"
        )
    ]


def test_layers_sharing_a_root_with_env_workspaces_are_told_apart_by_their_state_keys() -> None:
    text = DIR_PER_ENV.replace("infra/environments/{env}", "infra/app").replace("    workspace: default\n", "")
    text = text.replace(
        "isolation:",
        "  web:\n    name: Web\n    scope: per-env\n    managed_by: atlantis\n    atlantis_project: web-{env}\n"
        "    terraform_dir: infra/app\n    components: [Site]\nisolation:",
    )
    assert list(load_ssot(text, FILE).layers) == ["net", "app", "web"]


def test_a_root_that_two_layers_list_after_their_own_is_no_collision() -> None:
    # roots after the first only trigger autoplan (files linked into the first): they are planned nowhere
    text = DIR_PER_ENV.replace(
        "    terraform_dir: infra/environments/{env}\n",
        "    terraform_dir: ['infra/environments/{env}', infra/shared]\n",
    ).replace(
        "isolation:",
        "  web:\n    name: Web\n    scope: per-env\n    managed_by: atlantis\n    atlantis_project: web-{env}\n"
        "    terraform_dir: ['infra/web/{env}', infra/shared]\n    workspace: default\n    components: [Site]\nisolation:",
    )
    assert list(load_ssot(text, FILE).layers) == ["net", "app", "web"]


# --- domains as values -----------------------------------------------------------------------------------

DOMAIN_VALUES = """\
layers:
  app: {name: App, scope: per-env, managed_by: github-actions, components: [Web]}
isolation: {shared: none, per_env: one namespace each}
environments:
  dev:
    values: {base_domain: example.org, env_prefix: dev}
variables:
  base_domain: {type: string, description: Apex domain.}
  env_prefix: {type: string, description: Business prefix.}
"""


def test_domain_values_are_held_to_the_domain_conventions() -> None:
    text = DOMAIN_VALUES.replace("example.org", "exa mple.org").replace("env_prefix: dev", "env_prefix: Dev_1")
    assert problems_of(text) == [
        f"{where(text, 'exa mple.org')}: base_domain 'exa mple.org' is not a valid host name",
        (
            f"{where(text, 'Dev_1')}: env_prefix 'Dev_1' must be empty or a DNS-1123 label "
            "(lowercase letters, digits and '-')"
        ),
    ]


def test_an_env_prefix_value_without_domains_is_the_repository_s_own() -> None:
    """A team that glues `staging-` before its host names, and gives no base_domain, has no domains of ours:
    its env_prefix is a value like any other (and is still held to the convention once it has domains)."""
    text = DOMAIN_VALUES.replace("{base_domain: example.org, env_prefix: dev}", '{env_prefix: "dev-"}').replace(
        "  base_domain: {type: string, description: Apex domain.}\n", ""
    )
    assert load_ssot(text, FILE).environments["dev"].values == {"env_prefix": "dev-"}
    with_domains = DOMAIN_VALUES.replace("env_prefix: dev}", 'env_prefix: "dev-"}')
    at = where(with_domains, '"dev-')  # a quoted value is placed at its quote
    assert problems_of(with_domains) == [
        f"{at}: env_prefix 'dev-' must be empty or a DNS-1123 label (lowercase letters, digits and '-')"
    ]


def test_a_domain_value_needs_its_variable_declared() -> None:
    text = DOMAIN_VALUES.split("variables:")[0]
    assert problems_of(text) == [
        f"{where(text, 'base_domain')}: 'base_domain' is not a declared variable; declare it under variables first",
        f"{where(text, 'env_prefix')}: 'env_prefix' is not a declared variable; declare it under variables first",
    ]


def test_a_domain_variable_written_as_values_is_held_to_its_own_type_not_to_text() -> None:
    text = DOMAIN_VALUES.replace("env_prefix: {type: string", "env_prefix: {type: number").replace(
        "env_prefix: dev", "env_prefix: 3"
    )
    assert load_ssot(text, FILE).variables["env_prefix"].type == "number"
