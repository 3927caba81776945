"""The `ssot` MkDocs plugin: keeps the site live while `mkdocs serve` runs.

Thin glue over the same engine as the CLI. The generated pages are real files that `ssot build` writes
(so the docs work with tools that run no MkDocs plugin); while serving, this plugin compiles
ssot/env.yaml in memory on every build and serves the pages, the blocks and the nav from it, watches
ssot/ so that saving the YAML rebuilds and reloads the browser (compiler/app/plugin/watch.py), and shows
the SSOT's errors in the log and on every page instead of stopping the server.

Every page shows one state (compiler/app/plugin/state.py says which, in a box on top of each page): the
current facts; with an invalid SSOT, the last valid facts (or, if it was never valid while serving, the files
on disk), the source page excepted, which shows the file as it is now; and while serving, a box says when
the files on disk disagree with the SSOT (live edits `ssot build` has not written yet).

`mkdocs build --strict` fails on what `ssot check` calls trouble in the site's inputs, because each
problem is logged as a warning: an invalid or unreadable SSOT (missing, a directory, a FIFO), a broken
block marker in a page or in mkdocs.yml's nav block.

A minimal mkdocs.yml is enough, at the top or in a subfolder (compiler/app/plugin/site.py: the SSOT found
upwards, the source and home pages when the docs have none, the Markdown extensions the pages need).

`mkdocs build` computes the site afresh; it keeps no disk cache. `mkdocs serve` keeps what it computed from
the SSOT in memory from one rebuild to the next (compiler/app/plugin/answers.py).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

try:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils.yaml import get_yaml_loader
except ModuleNotFoundError as exc:  # the core install (`pip install ssot-compiler`) has no site generator
    raise ModuleNotFoundError(
        f"the ssot MkDocs plugin needs MkDocs ({exc.name} is missing): pip install 'ssot-compiler[docs]'",
        name=exc.name,
    ) from exc

from compiler.app.plugin import answers as ask
from compiler.app.plugin import site as site
from compiler.app.plugin.answers import Answers
from compiler.app.plugin.html import readable_tables
from compiler.app.plugin.nav import read_config
from compiler.app.plugin.source import anchor_source_lines
from compiler.app.plugin.state import error_box, state_box, unwritten_paths
from compiler.core.layout import DEFAULT_PAGES, SSOT_PATH
from compiler.errors import Problem, SsotError
from compiler.formats.blocks import may_hold_markers
from compiler.io import disk
from compiler.io.disk import read_first_line, read_text

#: The plugin's stylesheet, shipped in the package and served at this path of the site (added to extra_css).
STYLESHEET = "assets/ssot-compiler.css"
_ASSETS = Path(__file__).parent.parent / "assets"

log = logging.getLogger("mkdocs.plugins.ssot")


class SsotPlugin(BasePlugin[site.SsotConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self._start(serving=False)

    def _start(self, *, serving: bool) -> None:
        self.root = Path(".")
        #: the answers about the last valid SSOT (its facts), and about the SSOT as read now (valid or not)
        self.answers: Answers | None = None
        self.asked: Answers | None = None
        #: what is wrong with the SSOT (unreadable or invalid), and with mkdocs.yml's nav block
        self.problems: list[Problem] = []
        self.nav_problems: list[Problem] = []
        #: docs-relative path -> content, for every generated docs file
        self.generated: dict[str, str] = {}
        #: the docs directory relative to the root, with a trailing slash ("docs/")
        self.docs_prefix = ""
        #: a private folder holding ssot/env.yaml as this plugin read it, for pymdownx.snippets
        self.mirror: tempfile.TemporaryDirectory[str] | None = None
        #: ssot/env.yaml as the source page shows it, for the anchors of its key paths
        self.shown_text = ""
        #: the pages the plugin supplies (docs-relative path -> Markdown), the source page's path among them
        self.supplied: dict[str, str] = {}
        self.source_uri: str | None = None
        self.serving = serving
        #: while serving: the files `ssot build` would write (or remove) for the current facts
        self.unwritten: list[str] = []
        #: the generated docs files that the last build changed
        self.changed: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that `mkdocs serve` keeps this instance across rebuilds (and so its state). MkDocs also
        keeps it for the next command run in the same process, which starts afresh."""
        self.on_shutdown()
        self._start(serving=command == "serve")

    def on_shutdown(self) -> None:
        if self.mirror is not None:
            self.mirror.cleanup()
            self.mirror = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = site.ssot_root(Path(config.config_file_path).resolve().parent, self.config.root)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        _warned(site.add_needed_extensions(config.markdown_extensions, config.mdx_configs))
        text = self._compile(Path(config.docs_dir))
        if text is None:
            text = "".join(f"# {line}\n" for problem in self.problems for line in str(problem).splitlines())
        # A file refused for holding a secret must not be published by the source page while it is fixed.
        self.shown_text = ask.shown_text(self.asked, text)
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is not None:  # a page of the repository's own may include ssot/env.yaml
            if self.mirror is None:
                self.mirror = tempfile.TemporaryDirectory(prefix="ssot-mkdocs-", ignore_cleanup_errors=True)
            _warned(site.serve_to_snippets(snippets, Path(self.mirror.name), self.root, self.shown_text))
        self.nav_problems = []
        if self.answers is not None and config.nav is not None:
            self.nav_problems = _warned(self._swap_nav(self.answers, config, config.nav))
        return config

    def _compile(self, docs_dir: Path) -> str | None:
        """Read and compile the SSOT (once); return its text as read (None if it could not be read)."""
        text, self.asked = None, None
        prefix, self.docs_prefix = self.docs_prefix, ""
        if docs_dir.resolve().is_relative_to(self.root):
            self.docs_prefix = docs_dir.resolve().relative_to(self.root).as_posix() + "/"
        try:
            text = disk.read_ssot_text(self.root)
            last = self.answers
            if (
                last is not None
                and (last.root, last.text, prefix) == (self.root, text, self.docs_prefix)
                and not self.problems
            ):
                # The same SSOT compiles to the same facts and pages: nothing to re-render (a docs page edit),
                # unless the box of files `ssot build` has not written yet (on every page) changed
                self.asked = last
                unwritten = unwritten_paths(self.root, last.facts) if self.serving else []
                self.changed = set() if unwritten == self.unwritten else set(self.generated)
                self.unwritten = unwritten
                _warned(ask.compiled(last, self.docs_prefix, docs_dir))  # remembered, and warned on every build
                return text
            self.asked = answers = Answers(self.root, text)
            misplaced = ask.compiled(answers, self.docs_prefix, docs_dir)
        except SsotError as exc:
            problems = exc.problems
            if text is None and not os.path.lexists(self.root / SSOT_PATH):
                problems = [Problem(SSOT_PATH, 0, 0, site.missing_ssot_message(self.root, self.config.root))]
            # Keep serving the last valid facts (a maintainer mid-edit should not see the page go back to
            # what is on disk), with the errors on top of the pages.
            self.problems = _warned(problems)
            self.changed = set(self.generated)  # each generated page shows the errors
            return text
        # After errors every generated page showed them: each changes back
        previous = {} if self.problems else self.generated
        first = self.answers is None
        self.answers, self.problems = answers, []
        unwritten = unwritten_paths(self.root, answers.facts) if self.serving else []
        if unwritten != self.unwritten:  # the box on every page changed
            previous = {}
        self.unwritten = unwritten
        _warned(misplaced)  # the generated pages live under the layout's docs_dir: this site would serve none
        self.generated = ask.generated_pages(answers, self.docs_prefix)
        self.changed = {uri for uri, content in self.generated.items() if previous.get(uri) != content}
        if not first:
            log.info("ssot: %s changed %d of %d generated pages", SSOT_PATH, len(self.changed), len(self.generated))
        return text

    def _swap_nav(self, answers: Answers, config: MkDocsConfig, nav: list[Any]) -> list[Problem]:
        """Put the live nav into `config` (compiler/app/plugin/nav.py); return what is wrong with its block."""
        config_file = Path(config.config_file_path)
        try:
            text = read_config(config_file)
            config.nav = ask.live_nav(answers, config_file, text, nav, lambda: get_yaml_loader(config=config))
        except SsotError as exc:
            return exc.problems
        return []

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        from compiler.app.plugin.watch import FolderWatch

        FolderWatch(server, (self.root / SSOT_PATH).parent).start()
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Generated files come from the current YAML, whatever is on disk; stale generated pages go. The
        plugin's stylesheet (wide tables, wrapped code, the linked source line) is served with them."""
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(File.generated(config, STYLESHEET, abs_src_path=str(_ASSETS / "ssot.css")))
        self._supply_pages(files, config)
        if self.answers is None:
            return files
        stale = self._stale_generated(files)
        for file in [file for file in files if file.src_uri in self.generated or file.src_uri in stale]:
            files.remove(file)
        for src_uri, text in self.generated.items():
            file = _GeneratedFile.generated(config, src_uri, content=text)
            assert isinstance(file, _GeneratedFile)
            file.changed = src_uri in self.changed
            files.append(file)
        return files

    def _supply_pages(self, files: Files, config: MkDocsConfig) -> None:
        """The source page every generated page links to and a home page, from memory when the repository
        has none (compiler/app/plugin/site.py)."""
        answers, uri = self.answers, DEFAULT_PAGES["source"]
        if answers is not None:
            uri = answers.ask("source-page", lambda: answers.facts.layout.docs_page("source"))
        supplied = site.missing_pages(files, uri, self.shown_text, config.site_name, self.generated)
        self.source_uri = uri if uri in supplied else None
        for src_uri, markdown in supplied.items():
            file = _GeneratedFile.generated(config, src_uri, content=markdown)
            assert isinstance(file, _GeneratedFile)
            file.changed = self.supplied.get(src_uri) != markdown
            files.append(file)
        self.supplied = supplied

    def _stale_generated(self, files: Files) -> set[str]:
        """The pages `ssot build` wrote for what the SSOT no longer has (a removed environment), as it wrote
        them: one edited by hand since is somebody's page now, and the site keeps showing it."""
        assert self.answers is not None
        written = {
            f"{self.docs_prefix}{file.src_uri}": (file.src_uri, Path(file.abs_src_path))
            for file in files
            if file.abs_src_path is not None
        }
        stale = set()
        for path in ask.orphans(
            self.answers, self.docs_prefix, written, lambda path: read_first_line(written[path][1])
        ):
            src_uri, source = written[path]
            try:
                text = read_text(source, path)
            except SsotError:
                continue
            if text is not None and ask.is_as_generated(self.answers, text):
                stale.add(src_uri)
        return stale

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        boxes = error_box(
            self.nav_problems, "The navigation shows mkdocs.yml's entries as written until these are fixed"
        )
        boxes += state_box(
            self.problems,
            self.unwritten,
            last_valid=self.answers is not None,
            source_page=self._shows_ssot(page, markdown),
            serving=self.serving,
        )
        # A hand-written page's blocks show the same facts as the generated pages: the current ones, or the
        # last valid ones while the SSOT is invalid.
        if self.answers is not None and may_hold_markers(markdown) and src_uri not in self.generated:
            try:
                markdown = ask.rendered_blocks(self.answers, f"{self.docs_prefix}{src_uri}", markdown) or markdown
            except SsotError as exc:
                boxes += error_box(_warned(exc.problems), "This page shows its blocks as written until these are fixed")
        return boxes + markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Tables readable at any width; the source page gets an anchor per key path, on its line
        (compiler/app/plugin/source.py)."""
        if self.shown_text and self._shows_ssot(page, page.markdown or ""):
            anchors = ask.source_anchors(self.asked, self.shown_text)
            html = anchor_source_lines(html, anchors)
            # MkDocs then sees the links to key paths land (validation.anchors), and one to a key path gone
            page.present_anchor_ids = (page.present_anchor_ids or set()) | {i for ids in anchors.values() for i in ids}
        return readable_tables(html)

    def _shows_ssot(self, page: Page, markdown: str) -> bool:
        """Whether the page shows the SSOT's text: the source page the plugin supplies, or a page that
        includes the file through pymdownx.snippets (as docs/source.md does)."""
        return page.file.src_uri == self.source_uri or ("8<" in markdown and SSOT_PATH in markdown)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Keep this build's answers for the next (in memory: a rebuild while serving)."""
        for answers in {id(a): a for a in (self.answers, self.asked) if a is not None}.values():
            answers.settle()


class _GeneratedFile(File):
    """A generated docs file that tells MkDocs whether the last SSOT edit changed it: `mkdocs serve
    --dirty` then re-renders only the pages that changed (MkDocs takes any in-memory file as changed)."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def _warned(problems: list[Problem]) -> list[Problem]:
    """`problems`, each logged as a warning (which `mkdocs build --strict` turns into a failed build)."""
    for problem in problems:
        log.warning("%s", problem)
    return problems
