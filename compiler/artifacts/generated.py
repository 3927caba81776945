"""A file `ssot build` writes whole (`GeneratedFile`), and the tfvars examples it once wrote that the layout
no longer lists (`STRAY_EXAMPLE`). The registry (compiler/artifacts/registry.py) lists the files."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from compiler.artifacts.comparators import compare_lines
from compiler.artifacts.digest import stamp, without_digest
from compiler.core.facts import EnvironmentFacts, Facts
from compiler.core.layout import ENV
from compiler.findings import Finding
from compiler.render.atlantis import HEADER as ATLANTIS_HEADER
from compiler.render.markdown import GENERATED_NOTICE
from compiler.render.tfvars import GENERATED_HEADER_START

T = TypeVar("T")

#: (path, current text, expected text) -> findings; both texts present, and different.
Comparator = Callable[[str, str, str], list[Finding]]
#: (facts, the environment of a per-environment file, path, the team's text) -> a result
TeamFileStep = Callable[[Facts, EnvironmentFacts | None, str, str], T]


class InPlace(NamedTuple):
    """How a team's own file of an artifact's kind (one without its header) is kept: edited in place, only
    the facts ssot/env.yaml states changed (`edit`), and checked for those facts only (`check`). Both raise
    SsotError when the file cannot be read as its format."""

    edit: TeamFileStep[str]
    check: TeamFileStep[list[Finding]]


class GeneratedFile(NamedTuple):
    """A file `ssot build` writes whole: at `path`, or once per environment when `path` holds `{env}`."""

    path: str
    render: Callable[[Facts, EnvironmentFacts | None], str]
    compare: Comparator
    #: per-environment and `when` files: how such a file's first line starts. `ssot build` ends that line
    #: with a digest of the file (compiler/artifacts/digest.py): a file of that shape whose digest still
    #: matches is removed when its environment is gone (or `when` no longer holds); one edited since is
    #: kept, and reported.
    header: str = ""
    #: whether the facts call for this file at all (atlantis.yaml needs a project with a directory); a
    #: file not called for is not written; one that still carries `header` is an orphan (as above)
    when: Callable[[Facts], bool] | None = None
    #: a tfvars example (the secrets check reads those that differ from what `ssot build` writes)
    example: bool = False
    #: why a file that `when` no longer calls for is not generated any more (in findings about it)
    unwanted: str = ""
    #: a file a team wrote at this path (without `header`) is theirs: edited in place, never replaced whole
    #: (unless handed over: `ssot build --take PATH`); None: the tool owns whatever stands there
    in_place: InPlace | None = None
    #: other names of the same file (digger.yaml for digger.yml): an existing one is the file
    alternatives: tuple[str, ...] = ()

    def owns(self, text: str) -> bool:
        """Whether the text at this artifact's path is the tool's (it starts with the header, or is blank:
        nothing to lose), not a team's."""
        return self.in_place is None or carries_header(text.lstrip("\ufeff"))

    def wanted(self, facts: Facts) -> bool:
        return self.when is None or self.when(facts)

    @property
    def per_environment(self) -> bool:
        return ENV in self.path

    def paths(self, facts: Facts) -> list[str]:
        """Where the artifact is, for each environment if per-environment (nothing is rendered)."""
        if not self.wanted(facts):
            return []
        if not self.per_environment:
            return [self.path]
        return [self.path.replace(ENV, env.name) for env in facts.environments]

    def render_all(self, facts: Facts) -> dict[str, str]:
        """Path -> content, for each environment if per-environment."""
        if not self.wanted(facts):
            return {}
        if not self.per_environment:
            rendered = {self.path: self.render(facts, None)}
        else:
            rendered = {self.path.replace(ENV, env.name): self.render(facts, env) for env in facts.environments}
        return {path: stamp(text) for path, text in rendered.items()} if self.header else rendered

    @property
    def may_be_orphaned(self) -> bool:
        """Whether a file of this kind can be left over: once per environment, or called for only at times."""
        return bool(self.header) and (self.per_environment or self.when is not None)

    def gone(self, path: str) -> str:
        """Why the file at `path` is not generated any more."""
        if self.per_environment:
            return f"ssot build's file for environment '{self.environment(path)}', which ssot/env.yaml no longer has"
        return f"ssot build's {self.path}, which ssot/env.yaml no longer generates ({self.unwanted})"

    def matches(self, path: str) -> bool:
        """Whether `path` has this artifact's shape (for any environment name)."""
        if not self.per_environment:
            return path == self.path
        prefix, _, suffix = self.path.partition(ENV)
        return path.startswith(prefix) and path.endswith(suffix) and "/" not in path[len(prefix) : -len(suffix)]

    def environment(self, path: str) -> str:
        """The environment a per-environment path is for (its `{env}` part)."""
        prefix, _, suffix = self.path.partition(ENV)
        return path[len(prefix) : len(path) - len(suffix)]

    @property
    def glob(self) -> str:
        """The files that may be this artifact for some environment (a per-environment file's glob)."""
        return self.path.replace(ENV, "*")


class _StrayExample(GeneratedFile):
    """Any tfvars example `ssot build` once wrote (its header, a digest) that the layout no longer lists:
    never generated, so one still as written is an orphan. Found by name (`*example*`, `*sample*`; never a
    real `<env>.tfvars` copied from one) where tfvars files may be: `stray_example_globs`."""

    __slots__ = ()

    def matches(self, path: str) -> bool:
        name = posixpath.basename(path)
        return "example" in name or "sample" in name

    def gone(self, path: str) -> str:
        return "ssot build's tfvars example of a tfvars file that layout.tfvars in ssot/env.yaml no longer lists"


STRAY_EXAMPLE = _StrayExample("", lambda _facts, _env: "", compare_lines, GENERATED_HEADER_START, when=lambda _: False)


#: The header every file `ssot build` generates whole carries in its first lines, whatever its format
#: (a Markdown or SVG comment, a `#` comment in HCL and YAML, the schema's `$comment`).
_HEADER = "by `ssot build`"
#: how the diagram's first line started before it carried the header (a build then gives it one)
_OLD_DIAGRAM = 'class="ssot-diagram"'


def carries_header(text: str) -> bool:
    """Whether `text` is a file `ssot build` generated: "Generated from ... by `ssot build`" in its first
    three lines (where a merge conflict's marker leaves it), or nothing but blanks: nothing to lose. A file
    without it is someone's work, which a build never replaces whole. A header with a typo in it (one
    character or two off one of the tool's own) is still the tool's: the drift check reports the line, and a
    build writes it back, instead of the file becoming someone's work by accident."""
    if not text.strip():
        return True
    if _OLD_DIAGRAM in text[:200].split("\n", 1)[0]:
        return True
    lines = text[:2048].split("\n", 3)[:3]
    for line in lines:
        start = line.find("Generated from ")
        if start >= 0 and line.find(_HEADER, start) > start:
            return True
    return any(_near(_notice(line), notice) for line in lines for notice in _NOTICES)


#: What the header lines say, without their comment marks and digest (compiler/render/)
_NOTICES = (GENERATED_NOTICE, ATLANTIS_HEADER.removeprefix("# "))
_MOST_OFF = 2


def _notice(line: str) -> str:
    """A first line's words: without its digest, comment marks and surrounding blanks."""
    words = without_digest(line.rstrip("\r")).strip().removeprefix("<!--").removesuffix("-->").strip()
    return words.removeprefix("#").strip()


def _near(line: str, notice: str) -> bool:
    """Whether `line` is at most `_MOST_OFF` characters inserted, removed or replaced away from `notice`."""
    if abs(len(line) - len(notice)) > _MOST_OFF:
        return False
    previous = list(range(len(notice) + 1))
    for i, char in enumerate(line, 1):
        current = [i]
        for j, wanted in enumerate(notice, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != wanted)))
        if min(current) > _MOST_OFF:
            return False
        previous = current
    return previous[-1] <= _MOST_OFF
