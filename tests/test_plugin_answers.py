"""The plugin's answers (compiler/app/plugin/answers.py): `mkdocs build` computes the site afresh and keeps
no disk cache; `mkdocs serve` keeps one build's answers in memory for the next, and a rebuild after an edit
of any input (the SSOT, mkdocs.yml, the pages, the generated files on disk) shows what a server started
afresh on the same files shows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from compiler.app.plugin.answers import Answers
from compiler.artifacts.registry import render_generated_files
from compiler.io import memo
from tests.conftest import FIXTURE_REPO, edit, snapshot

#: started first; the theme's templates compiled once (conftest.py)
pytestmark = [pytest.mark.long, pytest.mark.usefixtures("templates_compiled_once")]

QA = "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n  prod:\n"
Site = tuple[bool, list[str], dict[str, bytes]]


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


class Sites:
    """Builds of one repository's site in this process, each into a new folder: whether it passed (strict),
    the warnings it logged, the files it wrote. MkDocs keeps the plugin instance between loads of the
    config in one process, as `mkdocs serve` does between rebuilds; `on_startup` starts it afresh."""

    def __init__(self, repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
        self.repo, self.tmp_path, self.caplog, self.count = repo, tmp_path, caplog, 0

    def build(self, *, command: str | None = "build") -> Site:
        """A build (`command`: "build", "serve" for a server started afresh, None for a rebuild of the
        server running)."""
        self.count += 1
        site = self.tmp_path / f"site-{self.count}"
        self.caplog.clear()
        config = load_config(str(self.repo / "mkdocs.yml"), site_dir=str(site), strict=True)
        if command is not None:
            config.plugins.on_startup(command=command, dirty=False)
        passed = True
        with self.caplog.at_level(logging.WARNING, logger="mkdocs"):
            try:
                build(config)
            except Abort:
                passed = False
        warnings = [r.getMessage() for r in self.caplog.records if r.levelno >= logging.WARNING]
        return passed, warnings, site_files(site)


@pytest.fixture
def sites(
    repo: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> Iterator[Sites]:
    monkeypatch.chdir(repo)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the sitemap's dates
    built = Sites(repo, tmp_path_factory.mktemp("sites"), caplog)  # beside the repository, not in it
    yield built
    load_config(str(repo / "mkdocs.yml")).plugins.on_shutdown()


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging"),  # a fact
        ("ssot/env.yaml", "  prod:\n", QA),  # a new page, a new nav entry
        ("ssot/env.yaml", "layers:\n", "# a comment, no fact\nlayers:\n"),  # the source page's anchors move
        ("ssot/env.yaml", "layers:\n", "layout:\n  docs_dir: site-docs\nlayers:\n"),  # a warning: no pages served
        ("mkdocs.yml", "  - Home: index.md", "  - Start: index.md"),  # the nav outside the block
        ("mkdocs.yml", "  # ssot:end nav\n", ""),  # a broken nav block
        ("docs/index.md", "<!-- ssot:begin layers -->", "One more line.\n\n<!-- ssot:begin layers -->"),
        ("docs/index.md", "<!-- ssot:end isolation -->\n", ""),  # a broken block in a page
    ],
    ids=["fact", "new-env", "comment", "docs-dir", "nav", "nav-marker", "page", "page-marker"],
)
def test_a_rebuild_while_serving_shows_what_a_server_started_afresh_shows(
    sites: Sites, repo: Path, path: str, old: str, new: str
) -> None:
    before = sites.build(command="serve")
    edit(repo / path, old, new)

    after, again = sites.build(command=None), sites.build(command=None)
    afresh = sites.build(command="serve")

    assert after == afresh  # the first rebuild after the edit: what changed is computed, the rest remembered
    assert again == afresh  # the next: all of it remembered
    assert afresh != before


def test_an_invalid_edit_undone_while_serving_gives_back_the_same_site(sites: Sites, repo: Path) -> None:
    """While the SSOT is invalid the last valid facts are served, with the errors on top; undone, the site is
    what it was (a server started afresh on an invalid SSOT shows the files on disk instead: no comparison)."""
    before = sites.build(command="serve")
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: X_Staging")
    invalid = sites.build(command=None)
    assert not invalid[0] and any("X_Staging" in warning for warning in invalid[1])
    edit(repo / "ssot/env.yaml", "env_prefix: X_Staging", "env_prefix: x-staging")
    assert sites.build(command=None) == before


def test_a_generated_page_edited_on_disk_between_rebuilds_is_kept(sites: Sites, repo: Path) -> None:
    """A removed environment's page as `ssot build` wrote it is left out; once edited by hand, it is shown."""
    text = (repo / "ssot/env.yaml").read_text(encoding="utf-8")
    start, end = text.index("  prod:\n"), text.index("\n# The tfvars contract")
    (repo / "ssot/env.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    assert "ssot/environments/prod/index.html" not in sites.build(command="serve")[2]

    page = repo / "docs/ssot/environments/prod.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nCall the on-call first.\n", encoding="utf-8")
    rebuilt = sites.build(command=None)

    assert b"Call the on-call first." in rebuilt[2]["ssot/environments/prod/index.html"]
    assert rebuilt == sites.build(command="serve")


def test_mkdocs_build_keeps_no_cache_and_reads_none(sites: Sites, repo: Path) -> None:
    """Two builds compute the same site and write nothing outside it: no `.ssot-cache/` in the repository, no
    record in the user's cache directory. A `.ssot-cache/` an older version left (or a pull request planted,
    here a link to /dev/zero that made the build die with MemoryError) is never read."""
    (repo / ".ssot-cache").mkdir()
    (repo / ".ssot-cache/mkdocs-plugin.json").symlink_to("/dev/zero")
    before = snapshot(repo)
    first, second = sites.build(), sites.build()
    assert first[0] and first == second
    assert snapshot(repo) == before
    folder = memo.location(repo)
    assert folder is not None and not folder.exists()


def test_answers_are_remembered_for_the_next_build_only_if_this_one_asked_them() -> None:
    """So memory does not grow with edits while serving."""
    answers = Answers(Path("."), "layers: {}\n")
    computed: list[str] = []

    def ask(question: str) -> str:
        return str(answers.ask(question, lambda: computed.append(question) or question.upper()))

    assert [ask("a"), ask("a"), ask("b")] == ["A", "A", "B"]
    answers.settle()
    ask("a")
    answers.settle()
    ask("a")
    ask("b")
    assert computed == ["a", "b", "b"]
    assert [answers.ask(None, lambda: computed.append("none")) for _ in "12"] == [None, None]
    assert computed[-2:] == ["none", "none"]


@pytest.mark.parametrize(
    "layout",
    [
        "",
        # per-environment files whose `{env}` is the first folder, and environment pages at the docs' top
        (
            "layout:\n  pages:\n    environment: '{env}.md'\n  tfvars:\n"
            "    - file: '{env}/terraform.tfvars'\n      example: '{env}/terraform.tfvars.example'\n"
        ),
        # tfvars examples inside the docs folder: the site serves them too
        "layout:\n  tfvars:\n    - file: envs/{env}.tfvars\n      example: docs/examples/{env}.tfvars.example\n",
    ],
    ids=["default", "env-first", "examples-in-docs"],
)
def test_the_site_renders_the_generated_files_under_its_docs_folder_and_no_other(layout: str) -> None:
    """`mkdocs build` renders for the site only what lies under its docs folder (not the schema, nor tfvars
    examples elsewhere): the same files, with the same content, as `ssot build` writes there."""
    answers = Answers(Path("."), layout + (FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8"))
    everything = render_generated_files(answers.facts)
    for folder in ("docs/", "docs/ssot/", "envs/", "staging/", ""):
        expected = {path: text for path, text in everything.items() if path.startswith(folder)}
        assert answers.generated_files(folder) == expected
