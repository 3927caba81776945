"""The `ssot` MkDocs plugin: keeps the site live while `mkdocs serve` runs.

Thin glue over the same engine as the CLI. The generated pages are real files that `ssot build` writes
(so the docs work with tools that run no MkDocs plugin); while serving, this plugin compiles
ssot/env.yaml in memory on every build and serves the pages, the blocks and the nav from it, watches
ssot/ so that saving the YAML rebuilds and reloads the browser, and shows an invalid SSOT's errors in the
log and on the affected pages instead of stopping the server. `mkdocs build --strict` fails on the same
errors, because they are logged as warnings.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from compiler.artifacts.plan import render_block_host
from compiler.artifacts.registry import is_orphan, render_generated_files
from compiler.core.facts import Facts
from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem, SsotError
from compiler.formats.blocks import block_bodies, find_blocks
from compiler.io.files import read_first_line
from compiler.io.read import load_facts
from compiler.render.markdown import GENERATED_NOTICE

log = logging.getLogger("mkdocs.plugins.ssot")


class SsotPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self) -> None:
        self.root = Path(".")
        self.facts: Facts | None = None
        self.problems: list[Problem] = []
        #: docs-relative path -> content, for every generated docs file
        self.generated: dict[str, str] = {}
        self.all_generated: dict[str, str] = {}
        #: the docs directory relative to the root, with a trailing slash ("docs/")
        self.docs_prefix = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that `mkdocs serve` keeps this instance across rebuilds (and so its state)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is not None:  # the source page includes ssot/env.yaml from any working directory
            snippets["base_path"] = [str(self.root)]
        self._compile(Path(config.docs_dir))
        if self.facts is not None and config.nav is not None:
            config.nav = _live_nav(self.facts, Path(config.config_file_path), config.nav)
        return config

    def _compile(self, docs_dir: Path) -> None:
        try:
            facts = load_facts(self.root)
        except SsotError as exc:
            # Keep serving the last valid facts (a maintainer mid-edit should not see the page go back to
            # what is on disk), with the errors on top of the pages.
            self.problems = exc.problems
            for problem in exc.problems:
                log.warning("%s", problem)  # --strict turns these into a failed build
            return
        self.facts, self.problems, self.generated, self.docs_prefix = facts, [], {}, ""
        if docs_dir.resolve().is_relative_to(self.root):
            self.docs_prefix = docs_dir.resolve().relative_to(self.root).as_posix() + "/"
        #: root-relative path -> content of every generated file, for telling generated pages from stale ones
        self.all_generated = render_generated_files(facts)
        for path, text in self.all_generated.items():
            if self.docs_prefix and path.startswith(self.docs_prefix):
                self.generated[path.removeprefix(self.docs_prefix)] = text

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root / "ssot"))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Generated files come from the current YAML, whatever is on disk; stale generated pages go."""
        if self.facts is None:
            return files
        for file in list(files):
            if file.src_uri in self.generated or self._is_stale_generated(file):
                files.remove(file)
        for src_uri, text in self.generated.items():
            files.append(File.generated(config, src_uri, content=text))
        return files

    def _is_stale_generated(self, file: File) -> bool:
        """A page `ssot build` wrote for something the SSOT no longer has (a removed environment)."""
        if file.abs_src_path is None:
            return False
        path = f"{self.docs_prefix}{file.src_uri}"
        return is_orphan(path, read_first_line(Path(file.abs_src_path)), self.all_generated)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        generated = src_uri in self.generated or markdown.startswith(f"<!-- {GENERATED_NOTICE}")
        if self.problems and (generated or "ssot:begin" in markdown):
            last_valid = self.facts is not None and src_uri in self.generated
            return _error_box(self.problems, last_valid) + markdown
        if self.facts is not None and "ssot:begin" in markdown and not generated:
            try:
                return render_block_host(self.facts, markdown, f"{self.docs_prefix}{src_uri}") or markdown
            except SsotError as exc:
                for problem in exc.problems:
                    log.warning("%s", problem)
                return _error_box(exc.problems) + markdown
        return markdown


def _live_nav(facts: Facts, config_file: Path, nav: list[Any]) -> list[Any]:
    """mkdocs.yml's nav with its generated block's entries rendered from the current YAML.

    The block is found, and its new body rendered, by the same block mechanism as every other host; the
    entries it held on disk are then replaced in the nav MkDocs already read.
    """
    try:
        text = config_file.read_text(encoding="utf-8")
        updated = render_block_host(facts, text, "mkdocs.yml")
    except (OSError, SsotError):
        return nav
    if updated is None:
        return nav
    old = block_bodies(text, find_blocks(text, "mkdocs.yml", None)).get("nav")
    new = block_bodies(updated, find_blocks(updated, "mkdocs.yml", None)).get("nav")
    try:
        old_entries, new_entries = yaml.safe_load(old or "") or [], yaml.safe_load(new or "") or []
    except yaml.YAMLError:
        return nav
    if not isinstance(old_entries, list) or not isinstance(new_entries, list):
        return nav
    return _replace_run(nav, old_entries, new_entries)


def _replace_run(nav: list[Any], old: list[Any], new: list[Any]) -> list[Any]:
    """`nav` with the first run of entries equal to `old` replaced by `new`, at any depth (unchanged if none)."""
    if not old:
        return nav
    for start in range(len(nav) - len(old) + 1):
        if nav[start : start + len(old)] == old:
            return [*nav[:start], *new, *nav[start + len(old) :]]
    replaced = []
    for entry in nav:
        if isinstance(entry, dict) and len(entry) == 1:
            ((title, children),) = entry.items()
            if isinstance(children, list):
                entry = {title: _replace_run(children, old, new)}
        replaced.append(entry)
    return replaced


def _error_box(problems: list[Problem], last_valid: bool = False) -> str:
    listed = "".join(f"- `{problem}`\n" for problem in problems)
    shown = "the last valid version of the file" if last_valid else "the files on disk"
    return (
        f"/// danger | {SSOT_PATH} has errors\n\n"
        f"This page shows the facts from {shown} until these are fixed (the server keeps running):\n\n"
        f"{listed}\n///\n\n"
    )
