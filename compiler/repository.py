"""The repository on disk: read the SSOT and every artifact, and say what each should be."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from compiler.artifacts import SSOT_PATH, render_block_host, render_generated_files
from compiler.errors import Problem, SsotError
from compiler.facts import Facts, compile_facts
from compiler.fsio import read_text, resolve_inside
from compiler.render.markdown import GENERATED_NOTICE
from compiler.render.tfvars import GENERATED_HEADER_START
from compiler.validate import load_ssot_located

#: Where hand-written files with named blocks may live (mkdocs.yml holds the nav). Generated pages are skipped.
BLOCK_HOST_GLOBS = ("README.md", "docs/**/*.md", "envs/**/*.md", "mkdocs.yml")


@dataclass(frozen=True)
class Artifact:
    path: str
    current: str | None
    #: None: the file should not exist (a generated file nothing generates any more)
    expected: str | None
    #: a hand-written file with generated blocks: only the insides of its blocks are the artifact's
    blocks: bool = False

    @property
    def up_to_date(self) -> bool:
        return self.current == self.expected


@dataclass(frozen=True)
class Plan:
    facts: Facts
    artifacts: list[Artifact]


def load_facts(root: Path) -> Facts:
    text = read_text(resolve_inside(root, SSOT_PATH), SSOT_PATH)
    if text is None:
        raise SsotError(
            [Problem(SSOT_PATH, 0, 0, f"not found under {root.resolve()}; is --root the repository's top?")]
        )
    try:
        return compile_facts(*load_ssot_located(text, SSOT_PATH))
    except SsotError as exc:
        raise SsotError(exc.problems, code="invalid-ssot") from None


def plan(root: Path) -> Plan:
    """Every artifact with its current and expected content. Raises SsotError with all problems found."""
    facts = load_facts(root)
    generated = render_generated_files(facts)
    artifacts: list[Artifact] = []
    problems: list[Problem] = []
    for relative, expected in generated.items():
        try:
            artifacts.append(Artifact(relative, read_text(resolve_inside(root, relative), relative), expected))
        except SsotError as exc:
            problems.extend(exc.problems)
    for relative in _block_hosts(root, skip=generated.keys()):
        try:
            current = read_text(resolve_inside(root, relative), relative)
            if current is None or "ssot:" not in current:
                continue
            updated = render_block_host(facts, current, relative)
            if updated is not None:
                artifacts.append(Artifact(relative, current, updated, blocks=True))
        except SsotError as exc:
            problems.extend(exc.problems)
    for relative in _orphans(root, generated.keys()):
        artifacts.append(Artifact(relative, read_text(resolve_inside(root, relative), relative), None))
    if problems:
        raise SsotError(problems)
    return Plan(facts, artifacts)


#: Files ssot build writes for each environment (glob, how the first line of such a file starts).
PER_ENVIRONMENT_FILES = (
    ("envs/*.tfvars.example", GENERATED_HEADER_START),
    ("docs/ssot/environments/*.md", f"<!-- {GENERATED_NOTICE}"),
)


def _orphans(root: Path, generated: Collection[str]) -> list[str]:
    """tfvars examples and pages that ssot build wrote for an environment the SSOT no longer has."""
    orphans = []
    for pattern, first_line in PER_ENVIRONMENT_FILES:
        for path in sorted(root.glob(pattern)):
            relative = path.relative_to(root).as_posix()
            if relative not in generated and path.is_file():
                with path.open(encoding="utf-8", errors="replace") as handle:
                    if handle.readline().startswith(first_line):
                        orphans.append(relative)
    return orphans


def _block_hosts(root: Path, skip: Collection[str]) -> list[str]:
    found: set[str] = set()
    for pattern in BLOCK_HOST_GLOBS:
        for path in root.glob(pattern):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in skip:
                found.add(relative)
    return sorted(found)
