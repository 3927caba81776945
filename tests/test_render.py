"""Renderers: pure functions, deterministic to the byte, on a small SSOT built for each case."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import hcl2
import pytest
from conftest import Result

from compiler.artifacts.block_syntax import MARKDOWN_BLOCKS as BLOCKS
from compiler.artifacts.block_syntax import YAML_BLOCKS
from compiler.artifacts.registry import render_generated_files
from compiler.core.facts import Facts, compile_facts
from compiler.core.validate import load_ssot
from compiler.render.blocks import render_tfvars_content_block, render_tfvars_files_block
from compiler.render.markdown import MAX_PADDED_WIDTH, code, inline, render_table
from compiler.render.pages import nav_title
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
    assert "/// note | Generated page\n\nGenerated by `ssot build` from [ssot/env.yaml](../source.md)." in page
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


# --- hostile text: shown as text, never as HTML; one long text costs its length, not its length per row --


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("plain **bold** text", "plain **bold** text"),
        ("`<env_prefix>.<base_domain>` stays code", "`<env_prefix>.<base_domain>` stays code"),
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("<!-- ssot:end layers -->", "&lt;!-- ssot:end layers -->"),
        ("a `code` then <b>", "a `code` then &lt;b>"),
        ("`unclosed <b>", "`unclosed &lt;b>"),
        ("\\`not code <b>`", "\\`not code &lt;b>`"),
        ("``a`b`` <i>", "``a`b`` &lt;i>"),
        ("Title {: onclick=alert(1) }", "Title \\{: onclick=alert(1) }"),
        ("a { brace", "a { brace"),
        ("[x](javascript:alert(1))", "[x]\\(javascript:alert(1))"),
        ("[x](JAVA&#115;cript:alert(1))", "[x]\\(JAVA&#115;cript:alert(1))"),
        (
            "[docs](https://example.com/a) and [page](other.md#part)",
            "[docs](https://example.com/a) and [page](other.md#part)",
        ),
        ("two\nlines\r\n# heading", "two lines # heading"),
    ],
)
def test_inline_keeps_markdown_and_takes_away_html(text: str, markdown: str) -> None:
    assert inline(text) == markdown


@pytest.mark.parametrize(
    ("text", "span"),
    [("plain", "`plain`"), ("a`b", "`` a`b ``"), ("``x", "``` ``x ```"), ("`", "`` ` ``")],
)
def test_a_code_span_holds_any_backticks(text: str, span: str) -> None:
    assert code(text) == span


def test_a_cell_wider_than_the_padding_limit_is_not_padded_and_does_not_widen_its_column() -> None:
    wide = "w" * (MAX_PADDED_WIDTH + 1)
    assert render_table(["A", "B"], [[wide, "1"], ["short", "22"]]) == (
        f"| A     | B   |\n| ----- | --- |\n| {wide} | 1   |\n| short | 22  |\n"
    )
    fits = "f" * MAX_PADDED_WIDTH
    assert render_table(["A"], [[fits], ["x"]]).splitlines()[3] == "| " + "x".ljust(MAX_PADDED_WIDTH) + " |"


def test_one_long_description_costs_its_length_a_few_times_not_once_per_row() -> None:
    long = "word " * 20_000  # 100 KB
    declared = "".join(f"  v{n}: {{type: string, required: false, description: short {n}.}}\n" for n in range(30))
    text = SMALL.replace(
        "variables:\n", f"variables:\n  big: {{type: string, required: false, description: {long}}}\n{declared}"
    )
    files = render_generated_files(compile_facts(load_ssot(text, "ssot/env.yaml")))
    total = sum(len(content) for content in files.values())
    # it is shown twice (the env page's contract and the variables page); padding every row to it would
    # add 30 rows x 100 KB to each of those two tables
    assert 2 * len(long.strip()) < total < 2 * len(long) + 100_000


HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [c](javascript:alert(3)) {: onclick=alert(4) }"


def _hostile_ssot() -> str:
    quoted = json.dumps(HOSTILE)
    return textwrap.dedent(
        f"""\
        layers:
          L1: {{name: {quoted}, scope: shared, managed_by: github-actions, components: [{quoted}, "a `<b>` c"]}}
          L2: {{name: Apps, scope: per-env, managed_by: atlantis, atlantis_project: "apps-{{env}}",
               namespace: "apps-{{env}}", components: [{quoted}]}}
        isolation: {{shared: {quoted}, per_env: {quoted}}}
        environments:
          dev: {{title: {json.dumps("</title><script>alert(5)</script> & co")}, base_domain: example.org, env_prefix: dev}}
        variables:
          environment: {{type: string, description: {quoted}, note: {quoted}}}
          base_domain: {{type: string, description: Apex domain.}}
          internal_domain: {{type: string, required: false, description: Platform domain.}}
          env_prefix: {{type: string, description: Prefix.}}
        decisions:
          - title: {quoted}
            decision: {quoted}
            rationale: [{{title: {quoted}, detail: {quoted}}}]
            trade_offs: [{{risk: {quoted}, mitigations: [{quoted}]}}]
        """
    )


class _Markup(HTMLParser):
    """Every element and attribute an HTML text holds."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(f"img {dict(attrs).get('src')}" if tag == "img" else tag)
        self.attributes.update((name, value or "") for name, value in attrs)


def test_hostile_text_reaches_no_generated_page_as_html() -> None:
    """Every page and block, rendered as MkDocs renders it (the site's Markdown extensions), holds the text
    as text: no script or image, no event attribute, no javascript: link; the diagram is well-formed XML."""
    import markdown

    facts = compile_facts(load_ssot(_hostile_ssot(), "ssot/env.yaml"))
    files = render_generated_files(facts)
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    pages.update({f"block {name}": render(facts) for name, render in BLOCKS.items()})
    extensions = [
        "admonition", "attr_list", "tables", "toc", "pymdownx.details", "pymdownx.blocks.admonition",
        "pymdownx.blocks.tab", "pymdownx.inlinehilite", "pymdownx.superfences",
    ]  # fmt: skip
    for name, text in pages.items():
        markup = _Markup()
        markup.feed(markdown.markdown(text, extensions=extensions))
        assert not markup.tags & {"script", "img x", "title", "b"}, (name, markup.tags)
        unsafe = [a for a in markup.attributes if a[0].startswith("on") or a[1].lower().startswith("javascript:")]
        assert not unsafe, (name, unsafe)
    shown = {name for name, text in pages.items() if "alert(1)" in text}
    assert {"docs/ssot/env.md", "docs/ssot/layers.md", "docs/ssot/decisions.md", "block layers"} <= shown
    assert "`<b>`" in files["docs/ssot/layers.md"], "code spans keep their text"
    svg = files["docs/ssot/diagram.svg"]
    ElementTree.fromstring(svg)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg and "<script" not in svg


def test_an_environment_title_in_the_nav_holds_no_markup() -> None:
    """Material prints nav titles as HTML, and unescaped in the page's <title>: no escape works in both."""
    nav = YAML_BLOCKS["nav"](compile_facts(load_ssot(_hostile_ssot(), "ssot/env.yaml")))
    (line,) = [line for line in nav.splitlines() if "environments/dev.md" in line]
    assert "\u2039/title\u203a\u2039script\u203aalert(5)\u2039/script\u203a \uff06 co" in line
    assert not set("<>&") & set(line), line
    assert nav_title("R&D <b>") == "R\uff06D \u2039b\u203a"


# --- the field's model: names only, domains as values, one directory per environment, no tfvars ---------

#: A repository whose environments have only names: no variables, no domains, one root per environment.
NAMES_ONLY = textwrap.dedent(
    """\
    layers:
      app:
        name: App
        scope: per-env
        managed_by: atlantis
        atlantis_project: "app-{env}"
        terraform_dir: "infra/environments/{env}"
        workspace: default
        components: [Web]
    isolation: {shared: nothing is shared., per_env: one directory per environment}
    environments:
      dev: {}
      prod: {}
    """
)


def test_an_ssot_with_only_environment_names_renders_every_file_without_domains() -> None:
    facts = compile_facts(load_ssot(NAMES_ONLY, "ssot/env.yaml"))
    files = render_generated_files(facts)
    assert "envs/dev.tfvars.example" in files  # the default layout: one tfvars file per environment
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    assert pages
    for path, text in pages.items():
        assert "Domains" not in text and "domain" not in text.lower(), path
        assert "example.com" not in text and "TODO" not in text, path
    environment_page = files["docs/ssot/environments/dev.md"]
    # in its own directory with the default workspace, the name is no workspace
    assert "The `dev` environment.\n" in environment_page
    assert "| App   | -         | `default` | `app-dev`        | `app/dev/terraform.tfstate` | `envs/dev.tfvars` |" in (
        environment_page
    )
    model = files["docs/ssot/env.md"]
    assert "| Environment | Name   | Var-file           |\n" in model
    assert "No variable is declared" in model


def test_the_atlantis_projects_of_one_directory_per_environment_use_the_default_workspace() -> None:
    facts = compile_facts(load_ssot(NAMES_ONLY, "ssot/env.yaml"))
    projects = yaml_projects(render_generated_files(facts)["atlantis.yaml"])
    assert [(p["name"], p["dir"], p["workspace"]) for p in projects] == [
        ("app-dev", "infra/environments/dev", "default"),
        ("app-prod", "infra/environments/prod", "default"),
    ]


def yaml_projects(text: str) -> list[dict[str, object]]:
    import yaml

    projects = yaml.safe_load(text)["projects"]
    assert isinstance(projects, list)
    return projects


def test_layout_tfvars_empty_writes_no_example_and_names_no_var_file() -> None:
    facts = compile_facts(load_ssot(NAMES_ONLY + "layout:\n  tfvars: []\n", "ssot/env.yaml"))
    files = render_generated_files(facts)
    assert not [path for path in files if "tfvars" in path]
    assert "## tfvars\n" not in files["docs/ssot/environments/dev.md"]
    assert "envs/" not in files["docs/ssot/env.md"]
    assert "- *.tf\n" in files["atlantis.yaml"].replace('"', "") and ".tfvars\n" not in files["atlantis.yaml"]
    assert render_tfvars_files_block(facts) == ""


def test_a_base_domain_alone_shows_one_column_of_domains() -> None:
    text = NAMES_ONLY.replace("dev: {}", "dev: {values: {base_domain: dev.example.net}}").replace(
        "prod: {}", "prod: {values: {base_domain: example.net}}"
    )
    text += "variables:\n  base_domain: {type: string, description: Apex domain.}\n"
    files = render_generated_files(compile_facts(load_ssot(text, "ssot/env.yaml")))
    model = files["docs/ssot/env.md"]
    assert "Each environment's host names live on its `base_domain`." in model
    assert "| Dev         | `dev.example.net` | `*.dev.example.net` |" in model
    assert "Business" not in model and "env_prefix" not in model and "internal_domain" not in model
    page = files["docs/ssot/environments/prod.md"]
    assert "## Domains\n\n| Kind | Domain          | Built from                |" in page
    assert "| All  | `*.example.net` | base_domain `example.net` |" in page


def test_a_repository_whose_environments_have_only_names_builds_and_checks_clean(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    (tmp_path / "ssot").mkdir()
    (tmp_path / "ssot" / "env.yaml").write_text(NAMES_ONLY + "layout:\n  tfvars: []\n", encoding="utf-8")
    for env in ("dev", "prod"):  # roots fed by no tfvars file: their variables are theirs (CI, defaults)
        root = tmp_path / "infra" / "environments" / env
        root.mkdir(parents=True)
        (root / "main.tf").write_text('variable "region" {}\nvariable "size" {\n  default = 1\n}\n', encoding="utf-8")
    built = run_cli("build", "--root", tmp_path)
    assert built.code == 0, built
    assert (tmp_path / "docs" / "ssot" / "environments" / "prod.md").is_file()
    assert not list(tmp_path.rglob("*.tfvars*"))
    checked = run_cli("check", "--root", tmp_path)
    assert checked.code == 0, checked


def test_the_variables_page_of_an_ssot_without_variables_says_so_instead_of_an_empty_table() -> None:
    files = render_generated_files(compile_facts(load_ssot(NAMES_ONLY, "ssot/env.yaml")))
    page = files["docs/ssot/variables.md"]
    assert "No variable is declared yet.\n" in page
    assert "| Variable |" not in page


def test_an_environment_without_domains_beside_one_with_them_gets_dashes_and_no_row() -> None:
    text = NAMES_ONLY.replace("prod: {}", "prod: {values: {base_domain: example.net}}").replace(
        "    workspace: default\n", ""
    )
    text += "variables:\n  base_domain: {type: string, required: false, description: Apex domain.}\n"
    files = render_generated_files(compile_facts(load_ssot(text, "ssot/env.yaml")))
    model = files["docs/ssot/env.md"]
    assert "| Dev         | `dev`  | `envs/dev.tfvars`  | -             |" in model
    assert "| Prod        | `prod` | `envs/prod.tfvars` | `example.net` |" in model
    domains = model.split("## Domains\n")[1].split("##")[0]
    assert "Prod" in domains and "Dev" not in domains
    assert "## Domains" not in files["docs/ssot/environments/dev.md"]
    # with a workspace per environment (the default) the name is the workspace again
    assert "The `dev` environment: its Terraform workspace is `dev`.\n" in files["docs/ssot/environments/dev.md"]
