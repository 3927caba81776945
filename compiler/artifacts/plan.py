"""The plan (pure): every artifact with its current and its expected content.

`ssot build` writes the artifacts that are not up to date; `ssot check` compares them. Whole files come
from the registry's renderers (in the line endings the file has: a CRLF file stays CRLF); a hand-written
file that hosts blocks is expected to be itself with the insides of its blocks brought up to date. A
per-environment file whose environment is gone is expected to go, if it is still exactly what `ssot build`
wrote; edited since, it is someone's work and stays (`edited_orphans`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Mapping
from typing import NamedTuple

from compiler import codes
from compiler.artifacts.block_syntax import block_syntax
from compiler.artifacts.comparators import compare_lines
from compiler.artifacts.generated import Comparator, GeneratedFile
from compiler.artifacts.registry import generated_file, is_as_generated, render_generated_files
from compiler.core.facts import Facts
from compiler.errors import Problem, SsotError
from compiler.formats.blocks import block_bodies, find_blocks, is_yaml, may_hold_markers, newline_of, replace_blocks

#: What `ssot build --take` may hand over (a team's file where the tool generates one).
TAKE_WHAT = (
    "ssot build generates no such file here; it takes atlantis.yaml, digger.yml (or digger.yaml) and the "
    "tfvars examples layout.tfvars lists, by their path from the repository's top"
)


class Artifact(NamedTuple):
    path: str
    current: str | None
    #: None: the file should not exist (a generated file nothing generates any more)
    expected: str | None
    #: how the two compare when both exist and differ
    compare: Comparator
    #: a hand-written file with generated blocks: only the insides of its blocks are the artifact's
    blocks: bool = False
    #: not an artifact: a temporary file an interrupted build left beside one (not read; `current` is "")
    leftover: bool = False
    #: a team's own file (atlantis.yaml, digger.yml, a tfvars example without the header), edited in place:
    #: `expected` is `current` with only the facts ssot/env.yaml states changed; compared even when up to
    #: date (a project the SSOT does not know is reported, and kept)
    in_place: bool = False
    #: a team's file handed over to the tool (`ssot build --take PATH`): generated whole, over the team's text
    taken: bool = False

    @property
    def up_to_date(self) -> bool:
        return self.current == self.expected


def plan(
    facts: Facts, current: Mapping[str, str | None], orphans: Collection[str] = (), take: Collection[str] = ()
) -> list[Artifact]:
    """Every artifact, from the current text of each file (None: missing) the reader found.

    `current` holds every generated file's path and every candidate block host; `orphans` are the files
    that start as a generated per-environment file does, for an environment that is gone: those still as
    generated are expected to go; `take`, team files handed over to the tool (generated whole). Raises
    SsotError (broken-marker, or invalid-input for a team file that cannot be read) with every problem found.
    """
    taken = frozenset(posixpath.normpath(path.replace("\\", "/")) for path in take)
    return _plan(facts, current, orphans, taken)


def _plan(
    facts: Facts, current: Mapping[str, str | None], orphans: Collection[str], take: frozenset[str]
) -> list[Artifact]:
    generated = render_generated_files(facts)
    artifacts = []
    problems: list[Problem] = []
    skip = set(generated)
    #: the paths of the artifacts a team's file may stand at (atlantis.yaml, tfvars examples)
    team_paths = set()
    for path, expected in generated.items():
        artifact = generated_file(path, facts.layout)
        assert artifact is not None
        if artifact.in_place:
            team_paths.add(path)
        # an existing file of another name Digger reads too (digger.yaml) is the file
        path = next((p for p in (path, *artifact.alternatives) if current.get(p) is not None), path)
        if path not in skip:  # that other name: a team's file may stand there too
            skip.add(path)
            if (kind := generated_file(path, facts.layout)) is not None and kind.in_place:
                team_paths.add(path)
        text = current.get(path)
        if text is not None and path not in take and not artifact.owns(text):
            try:
                artifacts.append(team_file(facts, artifact, path, text))
            except SsotError as exc:
                problems.extend(exc.problems)
            continue
        if text is not None and newline_of(text) == "\r\n":
            expected = expected.replace("\n", "\r\n")
        taken = path in take and text is not None and not artifact.owns(text)
        artifacts.append(Artifact(path, text, expected, artifact.compare, taken=taken))
    problems += [
        Problem(path, 0, 0, f"--take {path}: {TAKE_WHAT}", code=codes.INVALID_INPUT)
        for path in sorted(take - team_paths)
    ]
    orphans = set(orphans)  # looked up for every file (thousands after environments were renamed)
    for path, text in sorted(current.items()):
        if path in skip or path in orphans or text is None:
            continue
        syntax = block_syntax(path)
        try:
            updated = render_block_host(facts, text, path)
        except SsotError as exc:
            problems.extend(exc.problems)
            continue
        if updated is not None and syntax is not None:
            artifacts.append(Artifact(path, text, updated, syntax.compare, blocks=True))
    for path in sorted(orphans):
        text = current.get(path)
        if text is not None and is_as_generated(text):
            artifacts.append(Artifact(path, text, None, compare_lines))
    if problems:
        raise SsotError(problems)
    return artifacts


def team_file(facts: Facts, artifact: GeneratedFile, path: str, text: str) -> Artifact:
    """A team's own file where `artifact` would be generated: edited in place. Raises SsotError when it
    cannot be read as its format (the team's file is never guessed at, nor replaced)."""
    assert artifact.in_place is not None
    name = artifact.environment(path) if artifact.per_environment else None
    env = next((e for e in facts.environments if e.name == name), None)
    in_place = artifact.in_place
    edited = in_place.edit(facts, env, path, text)
    return Artifact(
        path, text, edited, lambda p, current, _expected: in_place.check(facts, env, p, current), in_place=True
    )


def edited_orphans(current: Mapping[str, str | None], orphans: Collection[str]) -> list[str]:
    """The orphans edited since `ssot build` wrote them (their digest does not match): kept, and reported."""
    return [path for path in sorted(orphans) if (text := current.get(path)) is not None and not is_as_generated(text)]


def leftover(path: str) -> Artifact:
    """A temporary file an interrupted build left beside a target: a build removes it."""
    return Artifact(path, "", None, compare_lines, leftover=True)


def render_block_host(facts: Facts, text: str, path: str) -> str | None:
    """`text` with every named block brought up to date; None if it has no block (or is no host).

    Raises SsotError on broken markers.
    """
    syntax = block_syntax(path)
    if syntax is None or not may_hold_markers(text):
        return None
    blocks = find_blocks(text, path, syntax.blocks, syntax.fields)
    if not blocks:
        return None
    rendered = {block.name: syntax.render(block, facts) for block in blocks}
    if syntax.same is not None:  # a block that holds what it would be rendered as stays as it is written
        found = block_bodies(text, blocks)
        blocks = [block for block in blocks if not _same(syntax.same, found[block.name], rendered[block.name])]
    return replace_blocks(text, blocks, rendered, yaml=is_yaml(path))


def _same(same: Callable[[str, str], bool], found: str, rendered: str) -> bool:
    """Whether a block holds what it would be rendered as: the same text (the blank lines around it aside),
    as most do, is asked of nothing else (the comparators' modules stay unimported)."""
    return found.strip("\n") == rendered.strip("\n") or same(found, rendered)
