"""While `mkdocs serve` runs, every page shows one state of the facts, and a box on every page says which.

A real `mkdocs serve` over a copy of the example repository, on 127.0.0.1, read over HTTP while
ssot/env.yaml is edited, built and broken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import edit, line_of
from mkdocs_serve import Served, serving

from compiler.app.engine import build

#: Pages of every kind: hand-written with blocks, generated, the source page, one generated for a new env.
PAGES = ("", "ssot/env/", "ssot/layers/", "ssot/environments/staging/", "source/")
BEHIND = "The files on disk are behind ssot/env.yaml: run ssot build"
QA = "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n  prod:\n"


@pytest.fixture
def served(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(repo, tmp_path_factory.mktemp("serve")) as running:
        yield running


def test_a_box_on_every_page_says_the_files_are_behind_until_ssot_build(repo: Path, served: Served) -> None:
    assert not any(BEHIND in served.page(path) for path in PAGES)

    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging")

    served.wait_for(lambda: "y-staging" in served.page("ssot/env/"), "the edit to reach the pages")
    served.wait_for(lambda: all(BEHIND in served.page(path) for path in PAGES), "the box on every page")
    home = served.page("")
    for written_by_build in ("docs/ssot/environments/staging.md", "envs/staging.tfvars.example"):
        assert f"<code>{written_by_build}</code>" in home
    assert "docs/ssot/environments/prod.md" not in home  # up to date: not listed

    build(repo)

    served.wait_for(lambda: not any(BEHIND in served.page(path) for path in PAGES), "the box to go after the build")
    assert "y-staging" in served.page("ssot/environments/staging/")


def test_with_an_invalid_ssot_every_page_shows_the_last_valid_facts_and_says_so(repo: Path, served: Served) -> None:
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "  prod:\n", QA)
    served.wait_for(lambda: "x-qa" in served.page("ssot/env/"), "the new environment")

    edit(ssot, "    scope: shared              #", "    scope: global              #")
    location = f"ssot/env.yaml:{line_of(ssot.read_text(encoding='utf-8'), 'scope: global')}:"

    served.wait_for(lambda: "has errors" in served.page(""), "the error box")
    for path in (*PAGES, "ssot/environments/qa/"):
        shown = served.page(path)
        assert "ssot/env.yaml has errors" in shown and location in shown, path
        assert BEHIND not in shown, path
        # the nav, on every page, lists the environment of the last valid version
        assert re.search(r'href="[^"]*\bqa/"', shown), path
        if path != "source/":
            assert "the facts from the last valid version of ssot/env.yaml" in shown, path
    # the hand-written home page's blocks show the last valid facts as the generated pages do, not the files
    assert "data-qa" in served.page("")
    assert "x-qa.example.com" in served.page("ssot/env/")
    source = served.page("source/")
    assert "This page shows ssot/env.yaml as it is now" in source
    assert "global" in source
