"""The artifact registry: every file `ssot build` writes, declared once with its renderer and comparator.

`build`, `check`, orphan detection and the MkDocs plugin all read these lists; adding an artifact kind is
adding an entry here (and its renderer under compiler/render/).

- `generated_files(layout)`: files generated whole, at a path the layout gives or once per environment
  (a path with `{env}`), and some only when the facts call for them (`when`);
- the blocks each kind of hand-written file knows: compiler/artifacts/block_syntax.py.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Collection, Mapping

from compiler.artifacts.comparators import (
    compare_json,
    compare_lines,
    compare_markdown,
    compare_tfvars_example,
    compare_yaml,
)
from compiler.artifacts.digest import is_as_stamped, without_digest
from compiler.artifacts.generated import STRAY_EXAMPLE, Comparator, GeneratedFile, carries_header
from compiler.artifacts.team_files import (
    example_in_place,
    per_env_example_values,
    projects_in_place,
    shared_example_values,
)
from compiler.core.facts import EnvironmentFacts, Facts
from compiler.core.layout import (
    ATLANTIS_CONFIG,
    DIGGER_CONFIG,
    DIGGER_CONFIG_ALTERNATIVE,
    ENV,
    SCHEMA_PATH,
    TFVARS_DIR,
    Layout,
    TfvarsFiles,
)
from compiler.render.atlantis import HEADER as ATLANTIS_HEADER
from compiler.render.atlantis import has_atlantis_projects, render_atlantis_yaml, wanted_atlantis_projects
from compiler.render.diagram import render_diagram_svg
from compiler.render.digger import HEADER as DIGGER_HEADER
from compiler.render.digger import (
    has_digger_projects,
    render_digger_yml,
    wanted_digger_projects,
)
from compiler.render.env_page import render_env_page
from compiler.render.markdown import GENERATED_NOTICE
from compiler.render.pages import (
    render_decisions_page,
    render_diagram_page,
    render_environment_page,
    render_layers_page,
    render_variables_page,
)
from compiler.render.schema import render_schema
from compiler.render.tfvars import GENERATED_HEADER_START, render_shared_tfvars_example, render_tfvars_example


def _whole(render: Callable[[Facts], str]) -> Callable[[Facts, EnvironmentFacts | None], str]:
    return lambda facts, _env: render(facts)


def _ignoring_digest(compare: Comparator) -> Comparator:
    """`compare` on the texts without their digest: it only tells whether the file was edited, and an
    edit is found by the content itself (where formatting is no edit)."""
    return lambda path, current, expected: compare(path, without_digest(current), without_digest(expected))


def _per_env(render: Callable[[Facts, EnvironmentFacts], str]) -> Callable[[Facts, EnvironmentFacts | None], str]:
    def rendered(facts: Facts, env: EnvironmentFacts | None) -> str:
        assert env is not None
        return render(facts, env)

    return rendered


_PAGE = f"<!-- {GENERATED_NOTICE}"


@functools.cache
def generated_files(layout: Layout) -> tuple[GeneratedFile, ...]:
    """Every file generated whole, in the layout's places, in build order."""
    tfvars_example = _ignoring_digest(compare_tfvars_example)
    examples = [
        GeneratedFile(
            files.example,
            _per_env_example(files),
            tfvars_example,
            GENERATED_HEADER_START,
            example=True,
            in_place=example_in_place(per_env_example_values(files)),
        )
        for files in layout.per_env_tfvars_files
        if files.example is not None
    ]
    for files in layout.shared_tfvars:
        if files.example is not None:
            examples.append(
                GeneratedFile(
                    files.example,
                    _shared_example(files.file),
                    tfvars_example,
                    GENERATED_HEADER_START,
                    example=True,
                    in_place=example_in_place(shared_example_values(files.file)),
                )
            )
    return (
        GeneratedFile(layout.page("env_model"), _whole(render_env_page), compare_markdown),
        GeneratedFile(layout.page("layers"), _whole(render_layers_page), compare_markdown),
        GeneratedFile(
            layout.page("environment"), _per_env(render_environment_page), _ignoring_digest(compare_markdown), _PAGE
        ),
        GeneratedFile(layout.page("variables"), _whole(render_variables_page), compare_markdown),
        GeneratedFile(layout.page("decisions"), _whole(render_decisions_page), compare_markdown),
        GeneratedFile(layout.page("diagram"), _whole(render_diagram_page), compare_markdown),
        GeneratedFile(layout.page("diagram_image"), _whole(render_diagram_svg), compare_lines),
        *examples,
        GeneratedFile(SCHEMA_PATH, _whole(lambda _facts: render_schema()), compare_json),
        GeneratedFile(
            ATLANTIS_CONFIG,
            _whole(render_atlantis_yaml),
            _ignoring_digest(compare_yaml),
            ATLANTIS_HEADER,
            when=has_atlantis_projects,
            unwanted="no layer managed by atlantis names a terraform_dir",
            in_place=projects_in_place(wanted_atlantis_projects),
        ),
        GeneratedFile(
            DIGGER_CONFIG,
            _whole(render_digger_yml),
            _ignoring_digest(compare_yaml),
            DIGGER_HEADER,
            when=has_digger_projects,
            unwanted="no layer managed by digger names a terraform_dir",
            in_place=projects_in_place(wanted_digger_projects),
            alternatives=(DIGGER_CONFIG_ALTERNATIVE,),
        ),
    )


def _per_env_example(files: TfvarsFiles) -> Callable[[Facts, EnvironmentFacts | None], str]:
    def rendered(facts: Facts, env: EnvironmentFacts | None) -> str:
        assert env is not None
        return render_tfvars_example(facts, env, next(f for f in env.tfvars_files if f.files == files))

    return rendered


def _shared_example(file: str) -> Callable[[Facts, EnvironmentFacts | None], str]:
    def rendered(facts: Facts, _env: EnvironmentFacts | None) -> str:
        return render_shared_tfvars_example(facts, next(s for s in facts.shared_tfvars if s.files.file == file))

    return rendered


def render_generated_files(facts: Facts) -> dict[str, str]:
    """Path (relative to the root) -> content, for every file generated whole, in registry order."""
    files: dict[str, str] = {}
    for artifact in generated_files(facts.layout):
        files.update(artifact.render_all(facts))
    return files


def render_examples(facts: Facts) -> dict[str, str]:
    """Path -> content of every tfvars example `ssot build` writes."""
    files: dict[str, str] = {}
    for artifact in generated_files(facts.layout):
        if artifact.example:
            files.update(artifact.render_all(facts))
    return files


def generated_paths(facts: Facts) -> list[str]:
    """The path of every file generated whole, in registry order; and the other names such a file may
    have (digger.yaml), which the reader reads too: an existing one is the file."""
    paths = [path for artifact in generated_files(facts.layout) for path in artifact.paths(facts)]
    return paths + [
        other for artifact in generated_files(facts.layout) if artifact.paths(facts) for other in artifact.alternatives
    ]


def team_file_paths(facts: Facts, files: Mapping[str, str | None]) -> set[str]:
    """The paths among `files` (path -> current text, None: missing) that hold a team's own file where the
    tool would generate one (atlantis.yaml, digger.yml, a tfvars example without the header): `ssot build`
    edits those in place (the write rule allows it), unless handed over with `--take`."""
    return {
        path
        for path, text in files.items()
        if text is not None
        and not carries_header(text.lstrip("\ufeff"))  # the tool's own file (most of them): no lookup needed
        and (artifact := generated_file(path, facts.layout)) is not None
        and artifact.in_place is not None
        and not artifact.owns(text)
    }


def generated_file(path: str, layout: Layout) -> GeneratedFile | None:
    """The registry entry a path belongs to (for any environment), if any; a tfvars example the layout no
    longer lists (its tfvars file left layout.tfvars, or moved) is a `STRAY_EXAMPLE`."""
    artifact = next(
        (a for a in generated_files(layout) if a.matches(path) or path in a.alternatives),
        None,
    )
    if artifact is None and STRAY_EXAMPLE.matches(path) and layout.tfvars_of(path) is None:
        return STRAY_EXAMPLE
    return artifact


def stray_example_globs(facts: Facts) -> list[str]:
    """Where a tfvars example the layout no longer lists may be: at the top, in the tfvars directories (the
    layout's and envs/), and in the layers' Terraform roots (one level, `{env}` as any name)."""
    directories = {".", TFVARS_DIR, *facts.layout.tfvars_dirs}
    directories |= {d.replace(ENV, "*") for layer in facts.ssot.layers.values() for d in layer.terraform_dirs}
    return sorted(posixpath.join(d, name) for d in directories for name in ("*example*", "*sample*"))


def is_orphan(path: str, first_line: str, generated: Collection[str], layout: Layout) -> bool:
    """Whether `path` is a file `ssot build` wrote that it no longer generates: a per-environment file for
    an environment that is gone, or a file the facts no longer call for (atlantis.yaml).

    By its first line only: whether it is still as written, its whole text tells (`is_as_generated`).
    """
    artifact = generated_file(path, layout)
    return (
        artifact is not None
        and artifact.may_be_orphaned
        and path not in generated
        and first_line.startswith(artifact.header)
    )


def orphan_globs(layout: Layout) -> list[str]:
    """Where files that may be left over are (globs from the repository's top)."""
    return [artifact.glob for artifact in generated_files(layout) if artifact.may_be_orphaned]


def is_as_generated(text: str) -> bool:
    """Whether a per-environment file's text is exactly what `ssot build` wrote (its digest matches)."""
    return is_as_stamped(text)
