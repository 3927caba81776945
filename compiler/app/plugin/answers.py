"""What the plugin shows about one text of ssot/env.yaml: its facts, and each question asked about them.

Everything the plugin shows is a function of the SSOT's text and of a few other inputs: the docs directory,
mkdocs.yml's text and nav, each page's Markdown, each docs file's first line. So the plugin asks its
questions through `Answers.ask`, each named by those other inputs (a digest of them). `mkdocs build`
computes every answer afresh (there is no disk cache: a site is never shown from answers of other
inputs); while serving, the answers of one build are kept in memory for the next, as long as the SSOT's
text stays the same (a page edit then re-renders that page's blocks only). The compiler is imported
inside each computation: a rebuild that asks nothing new imports nothing more.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler.app.plugin.source import path_anchors
from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem, SsotError

if TYPE_CHECKING:
    from compiler.core.facts import Facts


class Answers:
    """The answers about `text` (the SSOT as read from `root`): from the last build while serving, or computed."""

    def __init__(self, root: Path, text: str) -> None:
        self.root, self.text = root, text
        #: the answers of the last build (while serving), and those used by this one
        self.known: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self._facts: Facts | None = None
        self._files: dict[str, dict[str, str]] = {}

    @property
    def facts(self) -> Facts:
        """The compiled facts (computed on first use). Raises SsotError when the text is invalid."""
        if self._facts is None:
            from compiler.core.facts import compile_text

            self._facts = compile_text(self.text, SSOT_PATH)
        return self._facts

    def generated_files(self, folder: str) -> dict[str, str]:
        """Root-relative path -> content of every file `ssot build` writes for the facts under `folder`
        ("docs/"; every file when it is ""). The site shows only its docs folder's: the others (the
        schema, the tfvars examples, atlantis.yaml) are not rendered for it."""
        if folder not in self._files:
            from compiler.artifacts.registry import generated_files
            from compiler.core.layout import ENV

            files: dict[str, str] = {}
            for artifact in generated_files(self.facts.layout):
                before_env = artifact.path.partition(ENV)[0]  # a per-env path is under `folder` only if this is
                if before_env.startswith(folder) or folder.startswith(before_env):
                    rendered = artifact.render_all(self.facts).items()
                    files.update((path, text) for path, text in rendered if path.startswith(folder))
            self._files[folder] = files
        return self._files[folder]

    def ask(self, question: str | None, compute: Callable[[], Any]) -> Any:
        """The answer to `question` (a name holding every input besides the SSOT's text), computed if unknown;
        a question of None is computed every time."""
        if question is None:
            return compute()
        if question not in self.used:
            self.used[question] = self.known[question] if question in self.known else compute()
        return self.used[question]

    def settle(self) -> None:
        """End of a build: keep the answers it used for the next, and only those (memory does not grow with
        edits)."""
        self.known, self.used = self.used, {}


def question(kind: str, *inputs: str) -> str:
    """A question's name: its kind and a digest of its inputs (of each one's digest: no two lists of inputs
    make the same name, whatever characters they hold)."""
    return f"{kind} {_digest(' '.join(_digest(text) for text in inputs))}"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def compiled(answers: Answers, docs_prefix: str, docs_dir: Path) -> list[Problem]:
    """What is wrong with serving the generated pages from the docs directory `docs_dir` (`docs_prefix` from
    the repository's top: "docs/", or ""): the layout's docs_dir is another. Raises SsotError when the SSOT
    is invalid."""

    def compute() -> dict[str, Any]:
        try:
            facts = answers.facts
        except SsotError as exc:
            return {"problems": exc.problems}
        return {"docs_dir": facts.layout.docs_dir, "line": facts.line_of("layout", "docs_dir")}

    answer = answers.ask("compile", compute)
    if "problems" in answer:
        raise SsotError(answer["problems"])
    if docs_prefix == f"{answer['docs_dir']}/":
        return []
    found = docs_prefix.rstrip("/") or str(docs_dir)
    message = (
        f"layout.docs_dir is {answer['docs_dir']!r}, but mkdocs.yml's docs_dir is {found!r}: "
        "the site would show none of the generated pages; make them agree"
    )
    return [Problem(SSOT_PATH, answer["line"], 0, message)]


def generated_pages(answers: Answers, prefix: str) -> dict[str, str]:
    """Docs-relative path -> content of every generated page under the docs directory `prefix` ("docs/";
    none when it is "", a docs directory outside the repository)."""

    def compute() -> dict[str, str]:
        if not prefix:
            return {}
        return {path.removeprefix(prefix): content for path, content in answers.generated_files(prefix).items()}

    return answers.ask(question("pages", prefix), compute)  # type: ignore[no-any-return]


def shown_text(answers: Answers | None, text: str) -> str:
    """`text` as the source page may show it: each secret's shape masked."""

    def compute() -> str:
        from compiler.secrets.shapes import mask_secrets

        return mask_secrets(text)

    return compute() if answers is None else answers.ask(question("masked", text), compute)


def source_anchors(answers: Answers | None, shown: str) -> dict[int, list[str]]:
    """`path_anchors` of the text the source page shows (compiler/app/plugin/source.py)."""

    def compute() -> dict[int, list[str]]:
        return path_anchors(shown)

    return compute() if answers is None else answers.ask(question("anchors", shown), compute)


def live_nav(
    answers: Answers, config_file: Path, text: str, nav: list[Any], loader: Callable[[], type[Any]]
) -> list[Any]:
    """The nav with mkdocs.yml's nav block live (compiler/app/plugin/nav.py), for mkdocs.yml's `text`.
    Raises SsotError for what is wrong with the block."""

    def compute() -> dict[str, Any]:
        from compiler.app.plugin.nav import live_nav

        try:
            return {"nav": live_nav(answers.facts, config_file, nav, loader(), text=text)}
        except SsotError as exc:
            return {"problems": exc.problems}

    try:
        name: str | None = question("nav", config_file.name, text, json.dumps(nav))
    except (TypeError, ValueError):  # a nav JSON cannot spell is computed every time
        name = None
    answer = answers.ask(name, compute)
    if "problems" in answer:
        raise SsotError(answer["problems"])
    return answer["nav"]  # type: ignore[no-any-return]


def orphans(answers: Answers, folder: str, paths: Collection[str], first_line: Callable[[str], str]) -> list[str]:
    """Of the files at `paths` (root-relative, under `folder`: "docs/"), those `ssot build` wrote and no longer
    generates. `first_line(path)` reads a file's first line: asked only of the files that may be such."""

    def may_be() -> list[str]:
        from compiler.artifacts.registry import generated_file

        layout, files = answers.facts.layout, answers.generated_files(folder)
        kinds = {path: generated_file(path, layout) for path in paths if path not in files}
        return [path for path, kind in kinds.items() if kind is not None and kind.may_be_orphaned]

    heads = {path: first_line(path) for path in answers.ask(question("may-be-orphans", folder, *paths), may_be)}

    def compute() -> list[str]:
        from compiler.artifacts.registry import is_orphan

        layout, files = answers.facts.layout, answers.generated_files(folder)
        return [path for path, head in heads.items() if is_orphan(path, head, files, layout)]

    pairs = (text for pair in heads.items() for text in pair)
    return answers.ask(question("orphans", folder, *pairs), compute)  # type: ignore[no-any-return]


def is_as_generated(answers: Answers, text: str) -> bool:
    """Whether a generated file's text is still as `ssot build` wrote it."""

    def compute() -> bool:
        from compiler.artifacts.registry import is_as_generated

        return is_as_generated(text)

    return answers.ask(question("as-generated", text), compute)  # type: ignore[no-any-return]


def rendered_blocks(answers: Answers, path: str, markdown: str) -> str | None:
    """A hand-written page's Markdown with its blocks rendered (None: no change, or a generated page as
    `ssot build` wrote it). Raises SsotError for a broken marker."""

    def compute() -> dict[str, Any]:
        from compiler.artifacts.plan import render_block_host
        from compiler.render.markdown import GENERATED_NOTICE

        if markdown.startswith(f"<!-- {GENERATED_NOTICE}"):  # a generated page on disk: shown as written
            return {"markdown": None}
        try:
            return {"markdown": render_block_host(answers.facts, markdown, path)}
        except SsotError as exc:
            return {"problems": exc.problems}

    answer = answers.ask(question("blocks", path, markdown), compute)
    if "problems" in answer:
        raise SsotError(answer["problems"])
    return answer["markdown"]  # type: ignore[no-any-return]
