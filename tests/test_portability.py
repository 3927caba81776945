"""The site without the `ssot` plugin, as a generator that runs no MkDocs plugin builds it (MkDocs 2.0 drops
plugins; Zensical reads mkdocs.yml and ignores them): the generated pages are files on disk, so every
fact is on the site all the same. Which is why CI runs `ssot check` first (tests/test_workflow.py).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from conftest import copy_repository, mkdocs_command

from compiler.app.describe import describe
from compiler.io.repository import load_facts

#: Characters a page may put inside a long value so that it wraps: not part of the fact.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\u2060"))


@pytest.fixture(scope="module")
def site_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    """The text of every page of the example repository's site built without the plugin, and its facts."""
    repo = copy_repository(tmp_path_factory.mktemp("repo"))
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert len(re.findall(r"^  - ssot$", text, flags=re.MULTILINE)) == 1, "the example's mkdocs.yml names the plugin"
    config.write_text(re.sub(r"^  - ssot\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_command("--strict", "--site-dir", str(site), cwd=repo, timeout=300)
    assert result.returncode == 0, result.stderr
    pages = [unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))) for path in site.rglob("*.html")]
    return "\n".join(pages).translate(_INVISIBLE), describe(load_facts(repo))


def test_every_fact_is_on_the_site_built_without_the_plugin(site_text: tuple[str, dict[str, Any]]) -> None:
    text, document = site_text
    facts: set[str] = set()
    for env in document["environments"]:
        facts |= {env["name"], env["title"], env["domains"]["business"], env["domains"]["platform"]}
    for instance in document["instances"]:
        facts |= {instance["state_key"], instance["workspace"]}
        facts |= {instance[key] for key in ("namespace", "atlantis_project", "var_file") if instance[key]}
    assert {"data-staging", "apps-prod", "data/staging/terraform.tfstate"} <= facts  # the example has them
    missing = sorted(fact for fact in facts if fact not in text)
    assert missing == []
