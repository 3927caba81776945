"""The docs site: the real `mkdocs build --strict` over the repository's mkdocs.yml (conftest.py, repository_site).

The facts looked for are read from the repository's own ssot/env.yaml, so rewording it breaks nothing here.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from compiler.io.repository import load_facts

REPO = Path(__file__).resolve().parent.parent
FACTS = load_facts(REPO)


def shown(text: str) -> str:
    """How a plain fact appears in a page's HTML."""
    return escape(text, quote=False)


@pytest.fixture
def site(repository_site: Path) -> Path:
    return repository_site


def read_page(path: Path) -> str:
    """A built page's HTML without the line-break opportunities the plugin puts into code in tables."""
    return path.read_text(encoding="utf-8").replace("<wbr>", "")


def test_strict_build_renders_the_generated_environment_page(site: Path) -> None:
    page = read_page(site / "ssot" / "env" / "index.html")
    assert "<table>" in page
    namespaces = [i.namespace for env in FACTS.environments for i in env.layers if i.namespace]
    domains = [env.domains.business for env in FACTS.environments if env.domains]
    assert namespaces and domains, "the repository's SSOT has per-env layers and environments to show"
    for fact in (*namespaces, *domains, *(decision.title for decision in FACTS.ssot.decisions)):
        assert shown(fact) in page, fact
    assert 'class="admonition note"' in page  # the "generated page" note is rendered, not shown as text


def test_home_page_links_the_environment_model_and_shows_the_layers(site: Path) -> None:
    page = read_page(site / "index.html")
    assert 'href="ssot/env/"' in page
    assert "<table>" in page
    for layer in FACTS.ssot.layers.values():
        for fact in (layer.name, *layer.components):
            assert shown(fact) in page, fact


def test_site_loads_no_fonts_from_google(site: Path) -> None:
    for html in site.rglob("*.html"):
        assert "fonts.googleapis.com" not in html.read_text(encoding="utf-8"), html
