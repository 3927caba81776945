"""A live rebuild after one SSOT edit re-renders only what the edit changed (which files are rewritten,
never how long it takes): `mkdocs serve --dirty` keeps the plugin and rebuilds with the same config."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import edit

#: the theme's templates compiled once for the builds run here (conftest.py)
pytestmark = pytest.mark.usefixtures("templates_compiled_once")


def rebuild_times(site: Path) -> dict[str, int]:
    """Each built page -> when it was last written (but 404.html, which MkDocs writes on every build)."""
    pages = (path for path in site.rglob("*.html") if path.name != "404.html")
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in pages}


@pytest.fixture
def served(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(repo / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    yield config, tmp_path / "site"
    config.plugins.on_shutdown()


def test_one_environment_edit_rewrites_its_pages_and_not_the_others(served, repo: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    config, site = served
    # The first edit puts the box "ssot build has not written these files yet" on every page; the second
    # edit, of the same environment, leaves that box as it is.
    edit(repo / "ssot/env.yaml", "title: Staging", "title: Staging West")
    build(config, dirty=True)
    before = rebuild_times(site)
    edit(repo / "ssot/env.yaml", "title: Staging West", "title: Staging East")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ssot"):
        build(config, dirty=True)
    rewritten = {page for page, written in rebuild_times(site).items() if written != before.get(page)}

    assert "ssot/environments/staging/index.html" in rewritten
    assert "Staging East" in (site / "ssot/environments/staging/index.html").read_text(encoding="utf-8")
    assert "ssot/environments/prod/index.html" not in rewritten
    assert "ssot/variables/index.html" not in rewritten
    assert "ssot/decisions/index.html" not in rewritten
    assert "index.html" not in rewritten  # hand-written, and not edited
    assert any(
        "changed" in record.getMessage() and "generated pages" in record.getMessage() for record in caplog.records
    )


def test_a_rebuild_without_an_ssot_edit_rewrites_no_generated_page(served, repo: Path) -> None:  # type: ignore[no-untyped-def]
    config, site = served
    before = rebuild_times(site)
    page = repo / "docs/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")  # the SSOT is as it was
    build(config, dirty=True)
    rewritten = {page for page, written in rebuild_times(site).items() if written != before.get(page)}
    assert rewritten == {"index.html"}


def test_after_an_invalid_edit_is_undone_every_generated_page_is_rendered_again(served, repo: Path) -> None:  # type: ignore[no-untyped-def]
    config, site = served
    ssot = repo / "ssot/env.yaml"
    valid = ssot.read_bytes()
    edit(ssot, "title: Staging", "title: [Staging")
    build(config, dirty=True)
    assert "has errors" in (site / "ssot/environments/prod/index.html").read_text(encoding="utf-8")
    ssot.write_bytes(valid)
    build(config, dirty=True)
    assert "has errors" not in (site / "ssot/environments/prod/index.html").read_text(encoding="utf-8")
