"""The plugin's live nav: mkdocs.yml's `nav` block rendered by the block mechanism, swapped into the nav
MkDocs read, wherever the block sits (top level or inside a section)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import get_yaml_loader

from compiler.app.plugin.nav import live_nav
from compiler.core.facts import compile_text
from compiler.errors import SsotError

SSOT = """\
layers:
  L1: {name: Apps, scope: per-env, managed_by: github-actions, namespace: "apps-{env}", components: [Web]}
isolation: {shared: none, per_env: namespaces}
environments:
  dev: {base_domain: example.com, env_prefix: dev}
  qa: {base_domain: example.com, env_prefix: qa, title: QA}
variables:
  environment: {type: string, description: The environment.}
"""
OLD_BLOCK = """\
# ssot:begin nav
- Environment model: ssot/env.md
- Layers: ssot/layers.md
- Environments:
    - Dev: ssot/environments/dev.md
- Variables: ssot/variables.md
- Decisions: ssot/decisions.md
- Diagram: ssot/diagram.md
# ssot:end nav
"""
OLD_ENTRIES = [
    {"Environment model": "ssot/env.md"},
    {"Layers": "ssot/layers.md"},
    {"Environments": [{"Dev": "ssot/environments/dev.md"}]},
    {"Variables": "ssot/variables.md"},
    {"Decisions": "ssot/decisions.md"},
    {"Diagram": "ssot/diagram.md"},
]
NEW_ENVIRONMENTS = {"Environments": [{"Dev": "ssot/environments/dev.md"}, {"QA": "ssot/environments/qa.md"}]}


def test_the_block_entries_are_replaced_at_the_top_level(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nnav:\n  - Home: index.md\n" + _indent(OLD_BLOCK, 2), encoding="utf-8")
    nav = live_nav(compile_text(SSOT, "ssot/env.yaml"), config, [{"Home": "index.md"}, *OLD_ENTRIES])
    assert nav[0] == {"Home": "index.md"}
    assert nav[3] == NEW_ENVIRONMENTS
    assert len(nav) == 7


def test_the_block_entries_are_replaced_inside_a_section(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    text = "nav:\n  - Home: index.md\n  - Architecture:\n" + _indent(OLD_BLOCK, 6)
    config.write_text(text, encoding="utf-8")
    read_nav = [{"Home": "index.md"}, {"Architecture": OLD_ENTRIES}]
    nav = live_nav(compile_text(SSOT, "ssot/env.yaml"), config, read_nav)
    assert nav[1]["Architecture"][2] == NEW_ENVIRONMENTS


def test_a_nav_without_the_block_is_left_alone(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("nav:\n  - Home: index.md\n", encoding="utf-8")
    nav = [{"Home": "index.md"}]
    assert live_nav(compile_text(SSOT, "ssot/env.yaml"), config, nav) == nav


def test_entries_written_with_mkdocs_tags_are_read_as_mkdocs_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`!ENV` in the block: plain YAML cannot read it, and the nav would stay as it was on disk."""
    monkeypatch.setenv("LAYERS_PAGE", "ssot/layers.md")
    block = OLD_BLOCK.replace("- Layers: ssot/layers.md", "- Layers: !ENV [LAYERS_PAGE, missing.md]")
    text = "site_name: !ENV [SITE_NAME, x]\nnav:\n  - Home: !ENV [HOME_PAGE, index.md]\n" + _indent(block, 2)
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    loader = get_yaml_loader()
    read_nav = yaml.load(text, Loader=loader)["nav"]  # as MkDocs reads it
    assert read_nav[2] == {"Layers": "ssot/layers.md"}

    nav = live_nav(compile_text(SSOT, "ssot/env.yaml"), config, read_nav, loader)

    assert nav[3] == NEW_ENVIRONMENTS
    assert nav[0] == {"Home": "index.md"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("# ssot:end nav\n", "", "mkdocs.yml:3: block 'nav' has no end marker; add # ssot:end nav"),
        ("# ssot:begin nav", "# ssot:begin navs", "mkdocs.yml:3: unknown block 'navs'"),
    ],
)
def test_a_broken_marker_is_trouble_as_for_ssot_check(tmp_path: Path, old: str, new: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("nav:\n  - Home: index.md\n" + _indent(OLD_BLOCK.replace(old, new), 2), encoding="utf-8")
    with pytest.raises(SsotError) as raised:
        live_nav(compile_text(SSOT, "ssot/env.yaml"), config, [{"Home": "index.md"}, *OLD_ENTRIES])
    assert any(str(problem).startswith(message) for problem in raised.value.problems), raised.value


def _indent(text: str, width: int) -> str:
    return "".join(" " * width + line + "\n" for line in text.splitlines())
