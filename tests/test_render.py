"""Renderers: pure functions, deterministic to the byte, on a small SSOT built for each case."""

from __future__ import annotations

import textwrap

import hcl2
import pytest

from compiler.artifacts.registry import MARKDOWN_BLOCKS as BLOCKS
from compiler.artifacts.registry import render_generated_files
from compiler.core.facts import Facts, compile_facts
from compiler.core.validate import load_ssot
from compiler.render.blocks import render_tfvars_content_block, render_tfvars_files_block
from compiler.render.markdown import render_table
from compiler.render.tfvars import hcl_string, hcl_value, render_tfvars_example

SMALL = textwrap.dedent(
    """\
    layers:
      L1: {name: Base, scope: shared, managed_by: github-actions, components: [Cluster]}
      L2: {name: Apps, scope: per-env, managed_by: atlantis, atlantis_project: "apps-{env}",
           namespace: "apps-{env}", components: [Web, Worker]}
    isolation: {shared: one cluster., per_env: one namespace each}
    environments:
      dev: {base_domain: example.org, env_prefix: dev}
      qa: {base_domain: example.org, env_prefix: qa, internal_domain: corp.example.org,
           values: {replicas: 1, zones: [a, b], labels: {team: web, "cost-centre": "42"}}}
      prod: {base_domain: example.org, env_prefix: "",
           values: {replicas: 3, zones: [a, b, c], labels: {team: web}}}
    variables:
      environment: {type: string, description: Environment name.}
      base_domain: {type: string, description: Apex domain.}
      internal_domain: {type: string, required: false, default_from: base_domain, description: Platform domain.}
      env_prefix: {type: string, note: business domains only, description: Prefix.}
      replicas: {type: number, required: false, description: Replica count.}
      zones: {type: list, required: false, description: Zones.}
      labels: {type: map, required: false, description: Labels.}
      api_token: {type: string, sensitive: true, required: false, description: Injected by CI.}
    """
)


@pytest.fixture(scope="module")
def facts() -> Facts:
    return compile_facts(load_ssot(SMALL, "ssot/env.yaml"))


def test_table_columns_are_padded_and_pipes_escaped() -> None:
    assert render_table(["A", "Long header"], [["x|y", "1"], ["zz", "22"]]) == (
        "| A    | Long header |\n| ---- | ----------- |\n| x\\|y | 1           |\n| zz   | 22          |\n"
    )


@pytest.mark.parametrize(
    ("value", "hcl"),
    [
        ("plain", '"plain"'),
        ('say "hi"\\', '"say \\"hi\\"\\\\"'),
        ("${var.x} and %{if}", '"$${var.x} and %%{if}"'),
        ("ünïcode", '"ünïcode"'),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (1.5, "1.5"),
        (["a", 1], '["a", 1]'),
        ({"team": "web", "cost-centre": "42"}, '{ team = "web", cost-centre = "42" }'),
        ({"has space": 1}, '{ "has space" = 1 }'),
        ({}, "{}"),
    ],
)
def test_hcl_values(value: object, hcl: str) -> None:
    assert hcl_value(value) == hcl  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["plain", 'q"uote', "back\\slash", "${not.interpolated}", "%{ if x }", "tab\tnew\nline"]
)
def test_hcl_strings_parse_back_to_the_same_text(text: str) -> None:
    parsed = hcl2.loads(
        f"x = {hcl_string(text)}\n",
        serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False),
    )
    assert parsed["x"].replace("$${", "${").replace("%%{", "%{") == text


def test_tfvars_example_aligns_equals_and_leaves_out_sensitive_values(facts: Facts) -> None:
    qa = facts.environments[1]
    assert render_tfvars_example(facts, qa) == textwrap.dedent(
        """\
        # Generated from ssot/env.yaml by `ssot build`. Do not edit by hand.
        # Template for envs/qa.tfvars: copy it there and adjust; real tfvars files stay out of git.
        # Sensitive variables are never written to tfvars: api_token.

        environment     = "qa"
        base_domain     = "example.org"
        internal_domain = "corp.example.org"
        env_prefix      = "qa"
        replicas        = 1
        zones           = ["a", "b"]
        labels          = { team = "web", cost-centre = "42" }
        """
    )


def test_tfvars_example_parses_back_to_the_ssot_values(facts: Facts) -> None:
    for env in facts.environments:
        text = render_tfvars_example(facts, env)
        parsed = hcl2.loads(
            text, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False)
        )
        assert parsed == env.tfvars


def test_tfvars_content_lists_values_that_differ_and_placeholders_for_those_that_agree(facts: Facts) -> None:
    assert render_tfvars_content_block(facts) == (
        '- `environment = "dev"|"qa"|"prod"`\n'
        '- `base_domain = "..."`\n'
        '- `internal_domain = "example.org"|"corp.example.org"` (optional; defaults to base_domain)\n'
        '- `env_prefix = "dev"|"qa"|""` (business domains only)\n'
        "- `replicas = 1|3` (optional)\n"
        '- `zones = ["a", "b"]|["a", "b", "c"]` (optional)\n'
        '- `labels = { team = "web", cost-centre = "42" }|{ team = "web" }` (optional)\n'
    )


def test_tfvars_files_block_names_every_environment(facts: Facts) -> None:
    assert render_tfvars_files_block(facts) == (
        "- `envs/dev.tfvars` (not committed; use `dev.tfvars.example` as template)\n"
        "- `envs/qa.tfvars` (not committed; use `qa.tfvars.example` as template)\n"
        "- `envs/prod.tfvars` (not committed; use `prod.tfvars.example` as template)\n"
    )


def test_isolation_block_lists_each_environments_namespaces(facts: Facts) -> None:
    assert BLOCKS["isolation"](facts) == (
        "- **Shared layers (L1)**: one cluster.\n"
        "- **Env layers (L2)**: one namespace each:\n"
        "    - Dev: `apps-dev`\n"
        "    - Qa: `apps-qa`\n"
        "    - Prod: `apps-prod`\n"
    )


def test_env_page_is_marked_generated_and_covers_every_environment(facts: Facts) -> None:
    page = render_generated_files(facts)["docs/ssot/env.md"]
    assert page.startswith("<!-- Generated from ssot/env.yaml by `ssot build`. Do not edit by hand. -->\n")
    assert "/// note | Generated page\n\nGenerated by `ssot build` from [ssot/env.yaml, line " in page
    for expected in (
        "`apps-qa`",
        "`qa.example.org`",
        "`corp.example.org`",
        "(sensitive)",
        "`apps/prod/terraform.tfstate`",
    ):
        assert expected in page
    assert "`api_token`" in page and "Injected by CI." in page


def test_rendering_is_deterministic_to_the_byte() -> None:
    first = render_generated_files(compile_facts(load_ssot(SMALL, "ssot/env.yaml")))
    second = render_generated_files(compile_facts(load_ssot(SMALL, "ssot/env.yaml")))
    assert first == second
    assert all(text.endswith("\n") and "\r" not in text for text in first.values())
