"""The docs site: the real `mkdocs build --strict` over the repository's mkdocs.yml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(REPO / "mkdocs.yml"),
            "--site-dir",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return site_dir


def test_strict_build_renders_the_generated_environment_page(site: Path) -> None:
    page = (site / "ssot" / "env" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in page
    for fact in ("data-staging", "apps-prod", "x-staging.example.com", "Namespace vs Cluster Isolation"):
        assert fact in page
    assert 'class="admonition note"' in page  # the "generated page" note is rendered, not shown as text


def test_home_page_links_the_environment_model_and_shows_the_layers(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="ssot/env/"' in page
    assert "<table>" in page and "Bootstrap" in page and "Kubero" in page


def test_site_loads_no_fonts_from_google(site: Path) -> None:
    for html in site.rglob("*.html"):
        assert "fonts.googleapis.com" not in html.read_text(encoding="utf-8"), html
