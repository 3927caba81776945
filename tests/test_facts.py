"""compiler.core.facts: the env x layer matrix, the domains and the tfvars values, from a validated model."""

from __future__ import annotations

from conftest import FIXTURE_REPO

from compiler.core.facts import Facts, compile_facts
from compiler.core.layers import LayerInstance, display_pattern, expand, layer_instances
from compiler.core.layout import DEFAULT_LAYOUT
from compiler.core.validate import load_ssot

FILE = "ssot/env.yaml"
EXAMPLE = (FIXTURE_REPO / FILE).read_text(encoding="utf-8")

STAGING_PREFIX = "    env_prefix: x-staging      # business domains become x-staging.example.com\n"
PROD_PREFIX = '    env_prefix: ""             # prod serves business domains on the bare base_domain\n'


def edit(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert text.count(old) == 1, f"expected exactly one {old!r} in the SSOT"
        text = text.replace(old, new)
    return text


def facts_of(text: str) -> Facts:
    return compile_facts(load_ssot(text, FILE))


def row(instance: LayerInstance) -> tuple[object, ...]:
    return (
        instance.layer_id,
        instance.env,
        instance.namespace,
        instance.workspace,
        instance.atlantis_project,
        instance.state_key,
        instance.var_file,
    )


# --- the env x layer matrix ------------------------------------------------------------------------------


def test_the_example_matrix() -> None:
    facts = facts_of(EXAMPLE)
    assert [row(i) for i in facts.shared] == [
        ("L1", None, None, "default", None, "bootstrap/terraform.tfstate", None),
        ("L2", None, None, "default", "platform", "platform/terraform.tfstate", None),
    ]
    assert {e.name: [row(i) for i in e.layers] for e in facts.environments} == {
        "staging": [
            (
                "L3",
                "staging",
                "data-staging",
                "staging",
                "data-staging",
                "data/staging/terraform.tfstate",
                "envs/staging.tfvars",
            ),
            (
                "L4",
                "staging",
                "apps-staging",
                "staging",
                "apps-staging",
                "apps/staging/terraform.tfstate",
                "envs/staging.tfvars",
            ),
        ],
        "prod": [
            ("L3", "prod", "data-prod", "prod", "data-prod", "data/prod/terraform.tfstate", "envs/prod.tfvars"),
            ("L4", "prod", "apps-prod", "prod", "apps-prod", "apps/prod/terraform.tfstate", "envs/prod.tfvars"),
        ],
    }


def test_environments_keep_their_promotion_order_and_titles() -> None:
    facts = facts_of(EXAMPLE)
    assert [(e.name, e.title, e.var_file) for e in facts.environments] == [
        ("staging", "Staging", "envs/staging.tfvars"),
        ("prod", "Prod", "envs/prod.tfvars"),
    ]


def test_a_missing_title_is_the_capitalised_name() -> None:
    facts = facts_of(edit(EXAMPLE, ("    title: Prod\n", "")))
    assert [e.title for e in facts.environments] == ["Staging", "Prod"]


def test_shared_layers_exist_once_and_never_per_environment() -> None:
    facts = facts_of(EXAMPLE)
    assert [(i.layer_id, i.env) for i in facts.shared] == [("L1", None), ("L2", None)]
    for env in facts.environments:
        assert [i.layer_id for i in env.layers] == ["L3", "L4"]
        assert all(i.env == env.name for i in env.layers)


def test_layer_instances_list_shared_layers_first_then_each_environment() -> None:
    ssot = load_ssot(EXAMPLE, FILE)
    assert [(i.layer_id, i.env) for i in layer_instances(ssot)] == [
        ("L1", None),
        ("L2", None),
        ("L3", "staging"),
        ("L4", "staging"),
        ("L3", "prod"),
        ("L4", "prod"),
    ]


def test_every_produced_namespace_and_project() -> None:
    instances = list(layer_instances(load_ssot(EXAMPLE, FILE)))
    assert [i.namespace for i in instances if i.namespace] == ["data-staging", "apps-staging", "data-prod", "apps-prod"]
    assert [i.atlantis_project for i in instances if i.atlantis_project] == [
        "platform",
        "data-staging",
        "apps-staging",
        "data-prod",
        "apps-prod",
    ]


def test_explicit_workspace_and_state_key_patterns_are_expanded() -> None:
    text = edit(
        EXAMPLE,
        (
            "    namespace: data-{env}\n",
            "    namespace: data-{env}\n    workspace: data-{env}\n    state_key: data/{env}.tfstate\n",
        ),
        (
            "    atlantis_project: platform\n",
            "    atlantis_project: platform\n    workspace: platform\n    state_key: platform.tfstate\n",
        ),
    )
    facts = facts_of(text)
    assert row(facts.shared[1]) == ("L2", None, None, "platform", "platform", "platform.tfstate", None)
    assert [row(e.layers[0]) for e in facts.environments] == [
        (
            "L3",
            "staging",
            "data-staging",
            "data-staging",
            "data-staging",
            "data/staging.tfstate",
            "envs/staging.tfvars",
        ),
        ("L3", "prod", "data-prod", "data-prod", "data-prod", "data/prod.tfstate", "envs/prod.tfvars"),
    ]


def test_the_default_state_key_is_built_from_the_layer_name() -> None:
    text = edit(
        EXAMPLE,
        ("    name: Platform\n", "    name: Platform Services\n"),
        ("    name: Data\n", "    name: Business Data\n"),
    )
    facts = facts_of(text)
    assert facts.shared[1].state_key == "platform-services/terraform.tfstate"
    assert [e.layers[0].state_key for e in facts.environments] == [
        "business-data/staging/terraform.tfstate",
        "business-data/prod/terraform.tfstate",
    ]


def test_a_third_environment_gets_its_own_row_of_layers() -> None:
    text = edit(EXAMPLE, ("  prod:\n", "  qa:\n    base_domain: example.net\n    env_prefix: qa\n  prod:\n"))
    facts = facts_of(text)
    assert [e.name for e in facts.environments] == ["staging", "qa", "prod"]
    assert [row(i) for i in facts.environments[1].layers] == [
        ("L3", "qa", "data-qa", "qa", "data-qa", "data/qa/terraform.tfstate", "envs/qa.tfvars"),
        ("L4", "qa", "apps-qa", "qa", "apps-qa", "apps/qa/terraform.tfstate", "envs/qa.tfvars"),
    ]
    assert len(facts.shared) == 2


# --- domains ---------------------------------------------------------------------------------------------


def domains(facts: Facts) -> list[tuple[str, str | None, str, str | None, str] | None]:
    return [
        None if (d := e.domains) is None else (d.base, d.env_prefix, d.business, d.internal, d.platform)
        for e in facts.environments
    ]


def test_business_domains_take_the_prefix_and_prod_has_none() -> None:
    facts = facts_of(EXAMPLE)
    assert [
        (e.name, e.domains and e.domains.env_prefix, e.domains and e.domains.business) for e in facts.environments
    ] == [
        ("staging", "x-staging", "x-staging.example.com"),
        ("prod", "", "example.com"),
    ]


def test_platform_domains_default_to_the_base_domain_unprefixed() -> None:
    facts = facts_of(EXAMPLE)
    assert [
        (e.name, e.domains and e.domains.internal, e.domains and e.domains.platform) for e in facts.environments
    ] == [
        ("staging", "example.com", "example.com"),
        ("prod", "example.com", "example.com"),
    ]


def test_an_explicit_internal_domain_is_honoured_and_not_prefixed() -> None:
    text = edit(EXAMPLE, (STAGING_PREFIX, STAGING_PREFIX + "    internal_domain: internal.example.net\n"))
    staging, _prod = facts_of(text).environments
    assert domains(facts_of(text)) == [
        ("example.com", "x-staging", "x-staging.example.com", "internal.example.net", "internal.example.net"),
        ("example.com", "", "example.com", "example.com", "example.com"),
    ]
    assert staging.tfvars["internal_domain"] == "internal.example.net"


#: An SSOT written the new way: domains are values of the contract, internal_domain defaults from base_domain.
DOMAINS_AS_VALUES = """\
layers:
  app: {name: App, scope: per-env, managed_by: github-actions, components: [Web]}
isolation: {shared: none, per_env: one namespace each}
environments:
  dev:
    values: {base_domain: example.org, env_prefix: dev, internal_domain: corp.example.org}
  prod:
    values: {base_domain: example.org, env_prefix: ""}
variables:
  base_domain: {type: string, description: Apex domain.}
  internal_domain: {type: string, required: false, default_from: base_domain, description: Platform domain.}
  env_prefix: {type: string, description: Business prefix.}
"""


def test_domains_written_as_values_are_the_same_domains() -> None:
    facts = facts_of(DOMAINS_AS_VALUES)
    assert domains(facts) == [
        ("example.org", "dev", "dev.example.org", "corp.example.org", "corp.example.org"),
        ("example.org", "", "example.org", "example.org", "example.org"),
    ]
    dev, prod = facts.environments
    assert prod.tfvars == {"base_domain": "example.org", "internal_domain": "example.org", "env_prefix": ""}
    # where each value is written: its own key, or (by default_from) base_domain's
    assert prod.sources["internal_domain"] == ("environments", "prod", "values", "base_domain")
    assert dev.sources["internal_domain"] == ("environments", "dev", "values", "internal_domain")


def test_an_environment_with_only_a_name_has_no_domains_and_no_values() -> None:
    text = DOMAINS_AS_VALUES.split("environments:")[0] + "environments:\n  dev: {}\n  prod: {}\n"
    facts = facts_of(text)
    assert domains(facts) == [None, None]
    assert [e.tfvars for e in facts.environments] == [{}, {}]


def test_a_base_domain_alone_gives_domains_without_a_prefix_or_an_internal_domain() -> None:
    text = DOMAINS_AS_VALUES.replace(", env_prefix: dev, internal_domain: corp.example.org", "").replace(
        ', env_prefix: ""', ""
    )
    text = text.split("  internal_domain:")[0]
    assert domains(facts_of(text)) == [
        ("example.org", None, "example.org", None, "example.org"),
        ("example.org", None, "example.org", None, "example.org"),
    ]


def test_a_default_from_chain_gives_a_value_and_a_loop_gives_none() -> None:
    text = DOMAINS_AS_VALUES.replace(
        "variables:\n",
        "variables:\n  a: {type: string, required: false, default_from: internal_domain, description: A.}\n"
        "  b: {type: string, required: false, default_from: c, description: B.}\n"
        "  c: {type: string, required: false, default_from: b, description: C.}\n",
    )
    dev, prod = facts_of(text).environments
    assert (dev.tfvars["a"], prod.tfvars["a"]) == ("corp.example.org", "example.org")
    assert "b" not in dev.tfvars and "c" not in dev.tfvars


# --- one directory per environment -----------------------------------------------------------------------


def test_a_layer_in_one_directory_per_environment_with_the_default_workspace() -> None:
    text = DOMAINS_AS_VALUES.replace(
        "  app: {name: App, scope: per-env, managed_by: github-actions, components: [Web]}",
        "  app:\n    name: App\n    scope: per-env\n    managed_by: atlantis\n    atlantis_project: app-{env}\n"
        "    terraform_dir: infra/environments/{env}\n    workspace: default\n    components: [Web]",
    )
    facts = facts_of(text)
    assert [row(i) for e in facts.environments for i in e.layers] == [
        ("app", "dev", None, "default", "app-dev", "app/dev/terraform.tfstate", "envs/dev.tfvars"),
        ("app", "prod", None, "default", "app-prod", "app/prod/terraform.tfstate", "envs/prod.tfvars"),
    ]


# --- a repository without tfvars -------------------------------------------------------------------------


def test_layout_tfvars_empty_means_no_tfvars_file_at_all() -> None:
    facts = facts_of(DOMAINS_AS_VALUES + "layout:\n  tfvars: []\n")
    assert facts.layout.tfvars == ()
    dev = facts.environments[0]
    assert (dev.var_file, dev.example_file, dev.tfvars_files) == (None, None, ())
    assert [i.var_file for i in dev.layers] == [None]
    assert dev.tfvars["base_domain"] == "example.org"  # the values are still the environment's


def test_a_shared_tfvars_file_alone_adds_no_per_env_file() -> None:
    layout = "layout:\n  tfvars:\n    - file: bootstrap.tfvars\n      feeds: []\n"
    facts = facts_of(DOMAINS_AS_VALUES + layout)
    assert [(f.file, f.feeds) for f in facts.layout.tfvars] == [("bootstrap.tfvars", ())]
    assert facts.environments[0].var_file is None


# --- tfvars values ---------------------------------------------------------------------------------------


def test_the_example_tfvars_values() -> None:
    staging, prod = facts_of(EXAMPLE).environments
    assert list(staging.tfvars.items()) == [
        ("environment", "staging"),
        ("base_domain", "example.com"),
        ("internal_domain", "example.com"),
        ("env_prefix", "x-staging"),
    ]
    assert list(prod.tfvars.items()) == [
        ("environment", "prod"),
        ("base_domain", "example.com"),
        ("internal_domain", "example.com"),
        ("env_prefix", ""),
    ]


def test_tfvars_follow_the_contract_order_and_leave_sensitive_variables_out() -> None:
    text = edit(
        EXAMPLE,
        (
            "  base_domain:\n    type: string\n",
            (
                "  replicas:\n    type: number\n    description: Replicas.\n"
                "  db_password:\n    type: string\n    sensitive: true\n    description: Password.\n"
                "  zones:\n    type: list\n    required: false\n    description: Zones.\n"
                "  base_domain:\n    type: string\n"
            ),
        ),
        (STAGING_PREFIX, "    env_prefix: x-staging\n    values: {zones: [a, b], replicas: 1}\n"),
        (PROD_PREFIX, '    env_prefix: ""\n    values: {replicas: 3}\n'),
    )
    staging, prod = facts_of(text).environments
    assert list(staging.tfvars.items()) == [
        ("environment", "staging"),
        ("replicas", 1),
        ("zones", ["a", "b"]),
        ("base_domain", "example.com"),
        ("internal_domain", "example.com"),
        ("env_prefix", "x-staging"),
    ]
    # an optional variable without a value is left out, like the sensitive one
    assert list(prod.tfvars.items()) == [
        ("environment", "prod"),
        ("replicas", 3),
        ("base_domain", "example.com"),
        ("internal_domain", "example.com"),
        ("env_prefix", ""),
    ]


def test_compiling_twice_gives_equal_facts() -> None:
    ssot = load_ssot(EXAMPLE, FILE)
    assert compile_facts(ssot) == compile_facts(ssot)


# --- helpers ---------------------------------------------------------------------------------------------


def test_pattern_helpers() -> None:
    assert expand("data-{env}", "prod") == "data-prod"
    assert expand("platform", "prod") == "platform"
    assert display_pattern("data-{env}") == "data-<env>"
    assert DEFAULT_LAYOUT.var_file("staging") == "envs/staging.tfvars"
    assert DEFAULT_LAYOUT.example_file("staging") == "envs/staging.tfvars.example"
