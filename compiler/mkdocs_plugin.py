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

from compiler.artifacts import SSOT_PATH, render_block_host, render_generated_files
from compiler.errors import Problem, SsotError
from compiler.facts import Facts
from compiler.render.markdown import GENERATED_NOTICE
from compiler.repository import load_facts

log = logging.getLogger("mkdocs.plugins.ssot")


class SsotPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self) -> None:
        self.root = Path(".")
        self.facts: Facts | None = None
        self.problems: list[Problem] = []
        #: docs-relative path -> content, for every generated docs file
        self.generated: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that `mkdocs serve` keeps this instance across rebuilds (and so its state)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is not None:  # the source page includes ssot/env.yaml from any working directory
            snippets["base_path"] = [str(self.root)]
        self._compile(Path(config.docs_dir))
        if self.facts is not None:
            config.nav = _live_nav(self.facts, self.root / "mkdocs.yml") or config.nav
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
        self.facts, self.problems, self.generated = facts, [], {}
        for path, text in render_generated_files(facts).items():
            absolute = self.root / path
            if absolute.is_relative_to(docs_dir):
                self.generated[absolute.relative_to(docs_dir).as_posix()] = text

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root / "ssot"))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Generated files come from the current YAML, whatever is on disk; stale generated pages go."""
        if self.facts is None:
            return files
        for file in list(files):
            if file.src_uri in self.generated or _is_stale_generated(file, self.generated):
                files.remove(file)
        for src_uri, text in self.generated.items():
            files.append(File.generated(config, src_uri, content=text))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        generated = src_uri in self.generated or markdown.startswith(f"<!-- {GENERATED_NOTICE}")
        if self.problems and (generated or "ssot:begin" in markdown):
            last_valid = self.facts is not None and src_uri in self.generated
            return _error_box(self.problems, last_valid) + markdown
        if self.facts is not None and "ssot:begin" in markdown and not generated:
            try:
                return render_block_host(self.facts, markdown, f"docs/{src_uri}") or markdown
            except SsotError as exc:
                for problem in exc.problems:
                    log.warning("%s", problem)
                return _error_box(exc.problems) + markdown
        return markdown


def _is_stale_generated(file: File, generated: dict[str, str]) -> bool:
    """A page `ssot build` wrote for something the SSOT no longer has (a removed environment)."""
    if not file.src_uri.startswith("ssot/") or not file.src_uri.endswith(".md") or file.abs_src_path is None:
        return False
    try:
        with open(file.abs_src_path, encoding="utf-8") as handle:
            return handle.readline().startswith(f"<!-- {GENERATED_NOTICE}")
    except OSError:
        return False


def _live_nav(facts: Facts, config_file: Path) -> list[Any] | None:
    """mkdocs.yml's nav with its generated block rendered from the current YAML."""
    try:
        text = config_file.read_text(encoding="utf-8")
        updated = render_block_host(facts, text, "mkdocs.yml") or text
    except (OSError, SsotError):
        return None
    lines = updated.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("nav:")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "#", "-")), len(lines))
    nav = yaml.safe_load("\n".join(lines[start:end]))
    return nav.get("nav") if isinstance(nav, dict) else None


def _error_box(problems: list[Problem], last_valid: bool = False) -> str:
    listed = "".join(f"- `{problem}`\n" for problem in problems)
    shown = "the last valid version of the file" if last_valid else "the files on disk"
    return (
        f"/// danger | {SSOT_PATH} has errors\n\n"
        f"This page shows the facts from {shown} until these are fixed (the server keeps running):\n\n"
        f"{listed}\n///\n\n"
    )
