"""What the plugin asks about the SSOT's facts, each question answered through `Answers.ask`
(compiler/app/plugin_cache.py): from the cache when the SSOT and the question's other inputs are as a
build found them before, else computed here. The compiler is imported inside each computation, so that a
build answered from the cache never imports it (pydantic, python-hcl2, the renderers).

A question's name holds a digest of every input it has besides the SSOT's text: the docs directory, the
text of mkdocs.yml and the nav MkDocs read, a page's path and Markdown, the docs files' first lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compiler.app.plugin_cache import Answers, decoded, encoded, question
from compiler.app.plugin_source import path_anchors
from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem, SsotError


def compiled(answers: Answers, docs_prefix: str, docs_dir: Path) -> list[Problem]:
    """What is wrong with serving the generated pages from the docs directory `docs_dir` (`docs_prefix` from
    the repository's top: "docs/", or ""): the layout's docs_dir is another. Raises SsotError when the SSOT
    is invalid."""

    def compute() -> dict[str, Any]:
        try:
            facts = answers.facts
        except SsotError as exc:
            return {"problems": encoded(exc.problems)}
        return {"docs_dir": facts.layout.docs_dir, "line": facts.line_of("layout", "docs_dir")}

    answer = answers.ask("compile", compute)
    if "problems" in answer:
        raise SsotError(decoded(answer["problems"]))
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
        files = answers.generated_files.items()
        return {path.removeprefix(prefix): content for path, content in files if prefix and path.startswith(prefix)}

    return answers.ask(question("pages", prefix), compute)  # type: ignore[no-any-return]


def shown_text(answers: Answers | None, text: str) -> str:
    """`text` as the source page may show it: each secret's shape masked."""

    def compute() -> str | None:  # None: nothing to mask (the cache keeps no second copy of the text)
        from compiler.core.secret_shapes import mask_secrets

        masked = mask_secrets(text)
        return None if masked == text else masked

    masked = compute() if answers is None else answers.ask(question("masked", text), compute)
    return text if masked is None else masked


def source_anchors(answers: Answers | None, shown: str) -> dict[int, list[str]]:
    """`path_anchors` of the text the source page shows (compiler/app/plugin_source.py)."""

    def compute() -> dict[str, list[str]]:
        return {str(line): ids for line, ids in path_anchors(shown).items()}

    anchors = compute() if answers is None else answers.ask(question("anchors", shown), compute)
    return {int(line): ids for line, ids in anchors.items()}


def live_nav(
    answers: Answers, config_file: Path, text: str, nav: list[Any], loader: Callable[[], type[Any]]
) -> list[Any]:
    """The nav with mkdocs.yml's nav block live (compiler/app/plugin_nav.py), for mkdocs.yml's `text`.
    Raises SsotError for what is wrong with the block."""

    def compute() -> dict[str, Any]:
        from compiler.app.plugin_nav import live_nav

        try:
            return {"nav": live_nav(answers.facts, config_file, nav, loader(), text=text)}
        except SsotError as exc:
            return {"problems": encoded(exc.problems)}

    try:
        name: str | None = question("nav", config_file.name, text, json.dumps(nav))
    except (TypeError, ValueError):  # a nav JSON cannot hold is computed every time
        name = None
    answer = answers.ask(name, compute)
    if "problems" in answer:
        raise SsotError(decoded(answer["problems"]))
    return answer["nav"]  # type: ignore[no-any-return]


def orphans(answers: Answers, heads: dict[str, str]) -> list[str]:
    """Of the files (root-relative path -> first line), those `ssot build` wrote and no longer generates."""

    def compute() -> list[str]:
        from compiler.artifacts.registry import is_orphan

        layout, files = answers.facts.layout, answers.generated_files
        return [path for path, head in heads.items() if is_orphan(path, head, files, layout)]

    return answers.ask(question("orphans", *(text for pair in heads.items() for text in pair)), compute)  # type: ignore[no-any-return]


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
            return {"problems": encoded(exc.problems)}

    answer = answers.ask(question("blocks", path, markdown), compute)
    if "problems" in answer:
        raise SsotError(decoded(answer["problems"]))
    return answer["markdown"]  # type: ignore[no-any-return]
