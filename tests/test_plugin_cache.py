"""`mkdocs build` takes what the ssot plugin computed last time from .ssot-cache/ (compiler/app/plugin_cache.py):
the site is the same, byte for byte, with the cache warm, cold or off (SSOT_NO_CACHE=1), and follows every
change of its inputs (the SSOT, mkdocs.yml, the pages, the generated files on disk)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from compiler.io import memo
from tests.conftest import edit

DOCUMENT = ".ssot-cache/mkdocs-plugin.json"
QA = "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n  prod:\n"


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def build_site(
    repo: Path, site: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, *, cache: bool = True
) -> tuple[bool, list[str], dict[str, bytes]]:
    """A whole `mkdocs build --strict` in this process (a new plugin, as a new `mkdocs build` has): whether it
    passed, the warnings it logged, the site it wrote."""
    monkeypatch.chdir(repo)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the sitemap's dates
    if cache:
        monkeypatch.delenv("SSOT_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("SSOT_NO_CACHE", "1")
    caplog.clear()
    config = load_config(str(repo / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    passed = True
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        try:
            build(config)
        except Abort:
            passed = False
        finally:
            config.plugins.on_shutdown()
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    return passed, warnings, site_files(site)


@pytest.fixture
def built(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    """Build the site of `repo` (into a new folder each time): `built()` with the cache, `built(cache=False)`."""
    sites = iter(range(1000))

    def run(*, cache: bool = True) -> tuple[bool, list[str], dict[str, bytes]]:
        return build_site(repo, tmp_path / f"site-{next(sites)}", monkeypatch, caplog, cache=cache)

    return run


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging"),  # a fact
        ("ssot/env.yaml", "  prod:\n", QA),  # a new page, a new nav entry
        ("ssot/env.yaml", "layers:\n", "# a comment, no fact\nlayers:\n"),  # the source page's anchors move
        ("ssot/env.yaml", "env_prefix: x-staging", "env_prefix: X_Staging"),  # invalid: errors on every page
        ("mkdocs.yml", "  - Home: index.md", "  - Start: index.md"),  # the nav outside the block
        ("mkdocs.yml", "  # ssot:end nav\n", ""),  # a broken nav block
        ("docs/index.md", "<!-- ssot:begin layers -->", "One more line.\n\n<!-- ssot:begin layers -->"),
        ("docs/index.md", "<!-- ssot:end isolation -->\n", ""),  # a broken block in a page
    ],
    ids=["fact", "new-env", "comment", "invalid", "nav", "nav-marker", "page", "page-marker"],
)
def test_after_an_edit_the_cached_build_shows_what_a_build_without_cache_shows(
    built, repo: Path, path: str, old: str, new: str
) -> None:  # type: ignore[no-untyped-def]
    before = built()
    assert (repo / DOCUMENT).is_file()
    edit(repo / path, old, new)

    after, again, plain = built(), built(), built(cache=False)

    assert after == plain  # the first build after the edit: what changed is computed, the rest cached
    assert again == plain  # the next: all of it from the cache
    assert plain != before


def test_a_cached_build_shows_the_pages_and_warnings_as_without_cache(built, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """Warnings included: layout.docs_dir disagrees with mkdocs.yml's (the generated pages are not served)."""
    edit(repo / "ssot/env.yaml", "layers:\n", "layout:\n  docs_dir: site-docs\nlayers:\n")
    cold, warm, plain = built(), built(), built(cache=False)
    assert not plain[0] and any("layout.docs_dir is 'site-docs'" in warning for warning in plain[1])
    assert cold == warm == plain


def test_a_generated_page_edited_on_disk_between_builds_is_kept(built, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """A removed environment's page as `ssot build` wrote it is left out; once edited by hand, it is shown."""
    text = (repo / "ssot/env.yaml").read_text(encoding="utf-8")
    start, end = text.index("  prod:\n"), text.index("\n# The tfvars contract")
    (repo / "ssot/env.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    assert "ssot/environments/prod/index.html" not in built()[2]

    page = repo / "docs/ssot/environments/prod.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nCall the on-call first.\n", encoding="utf-8")
    cached, plain = built(), built(cache=False)

    assert b"Call the on-call first." in cached[2]["ssot/environments/prod/index.html"]
    assert cached == plain


def test_a_warm_build_takes_its_pages_from_the_cache_and_only_for_the_same_ssot(built, repo: Path) -> None:  # type: ignore[no-untyped-def]
    built()
    stored = json.dumps(memo.load(repo, "mkdocs-plugin"))
    assert "x-staging.example.com" in stored
    # Whatever the document says is shown: so it must be the document made from this very SSOT
    memo.store(repo, "mkdocs-plugin", json.loads(stored.replace("x-staging.example.com", "from-the-cache.example.com")))
    assert "from-the-cache.example.com" in staging_page(built())

    edit(repo / "ssot/env.yaml", "layers:\n", "# a comment changes no fact, but the text\nlayers:\n")
    shown = staging_page(built())
    assert "from-the-cache" not in shown and "x-staging.example.com" in shown


def staging_page(built: tuple[bool, list[str], dict[str, bytes]]) -> str:
    """The staging page's text as a reader finds it (without the line-break opportunities in table code)."""
    return built[2]["ssot/environments/staging/index.html"].decode("utf-8").replace("<wbr>", "")


def test_without_the_cache_or_while_serving_nothing_is_stored(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    build_site(repo, tmp_path / "off", monkeypatch, caplog, cache=False)
    assert not (repo / ".ssot-cache").exists()

    config = load_config(str(repo / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    config.plugins.on_startup(command="serve", dirty=True)
    monkeypatch.delenv("SSOT_NO_CACHE")
    build(config, dirty=True)
    config.plugins.on_shutdown()
    assert not (repo / ".ssot-cache").exists()
    assert (tmp_path / "served/ssot/env/index.html").is_file()


#: Run `mkdocs build`, then print which of the compiler's heavy modules it imported.
PROBE = """\
import atexit, sys
heavy = ("pydantic", "hcl2", "compiler.core.facts", "compiler.render.pages")
atexit.register(lambda: print("imported:", *sorted(m for m in heavy if m in sys.modules)))
from mkdocs.__main__ import cli
cli()
"""


def test_the_real_mkdocs_build_warm_imports_none_of_the_compiler_and_writes_the_same_site(
    repo: Path, tmp_path: Path
) -> None:
    def mkdocs_build(site: str, **env: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "build", "--strict", "--site-dir", str(tmp_path / site)],
            cwd=repo,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0", **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return set(done.stdout.split("imported:")[-1].split())

    env = {"SSOT_NO_CACHE": ""}
    assert "pydantic" in mkdocs_build("cold", **env)  # computed, and stored
    assert mkdocs_build("warm", **env) == set()  # all of it from the cache
    assert "pydantic" in mkdocs_build("off", SSOT_NO_CACHE="1")
    assert site_files(tmp_path / "cold") == site_files(tmp_path / "warm") == site_files(tmp_path / "off")
