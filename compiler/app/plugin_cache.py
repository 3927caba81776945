"""The plugin's answers about one text of ssot/env.yaml, kept in the cache (compiler/io/memo.py) between builds.

Everything the plugin shows is a function of the SSOT's text and of a few other inputs: the docs directory,
mkdocs.yml's text and nav, each page's Markdown, each docs file's first line. So the plugin asks its
questions through `Answers.ask`, each named by those other inputs (a digest of them), and a `mkdocs build`
of a site whose SSOT and inputs are as the last build found them answers every question from the cache:
it never compiles the SSOT, nor imports pydantic, python-hcl2 or the renderers. A question the cache does
not hold is computed as without it (the facts compiled once, on the first such question).

The document holds the answers of the last build only (the questions it asked), so it does not grow with
edits; the tool's fingerprint (memo.py) makes a changed compiler or dependency a miss. While serving the
plugin keeps its answers in memory only (`cached=False`), from one rebuild to the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem
from compiler.io import memo

if TYPE_CHECKING:
    from compiler.core.facts import Facts

#: The cache document's name under .ssot-cache/
NAME = "mkdocs-plugin"


class Answers:
    """The answers about `text` (the SSOT as read): from the cache, from memory, or computed."""

    def __init__(self, root: Path, text: str, *, cached: bool) -> None:
        self.root, self.text = root, text
        self.key = memo.digest(text)
        self.cached = cached and memo.enabled()
        #: the answers known (the document's, or those of the last build while serving); those used now
        self.known: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.fresh = False
        self._facts: Facts | None = None
        self._files: dict[str, str] | None = None
        document = memo.load(root, NAME) if self.cached else None
        if isinstance(document, dict) and document.get("ssot") == self.key:
            answers = document.get("answers")
            self.known = answers if isinstance(answers, dict) else {}

    @property
    def facts(self) -> Facts:
        """The compiled facts (computed on first use). Raises SsotError when the text is invalid."""
        if self._facts is None:
            from compiler.core.facts import compile_text

            self._facts = compile_text(self.text, SSOT_PATH)
        return self._facts

    @property
    def generated_files(self) -> dict[str, str]:
        """Root-relative path -> content of every file `ssot build` writes for the facts."""
        if self._files is None:
            from compiler.artifacts.registry import render_generated_files

            self._files = render_generated_files(self.facts)
        return self._files

    def ask(self, question: str | None, compute: Callable[[], Any]) -> Any:
        """The answer to `question` (a name holding every input besides the SSOT's text), computed if unknown.

        `compute` returns JSON data; an answer JSON would not give back equal (a tuple, a key that is no
        string), or a question of None, is computed every time: the cache never changes what is shown.
        """
        if question is None:
            return compute()
        if question in self.used:
            return self.used[question]
        if question in self.known:
            answer = self.known[question]
        else:
            answer = compute()
            try:
                keeps = json.loads(json.dumps(answer)) == answer
            except (TypeError, ValueError):
                keeps = False
            if not keeps:
                return answer
            self.fresh = True
        self.used[question] = answer
        return answer

    def settle(self) -> None:
        """End of a build: keep the answers it used (stored in the cache when they are not what it holds)."""
        if self.cached and (self.fresh or self.used.keys() != self.known.keys()):
            memo.store(self.root, NAME, {"ssot": self.key, "answers": self.used})
        self.known, self.used, self.fresh = self.used, {}, False


def question(kind: str, *inputs: str) -> str:
    """A question's name: its kind and a digest of its inputs (of each one's digest: no two lists of inputs
    make the same name, whatever characters they hold)."""
    return f"{kind} {memo.digest(' '.join(memo.digest(text) for text in inputs))}"


def encoded(problems: Iterable[Problem]) -> list[list[Any]]:
    return [[p.file, p.line, p.col, p.message, p.code] for p in problems]


def decoded(problems: Iterable[list[Any]]) -> list[Problem]:
    return [Problem(*fields) for fields in problems]
