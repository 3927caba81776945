"""Read the repository once: the SSOT into facts, then everything the checks look at into a `Snapshot`.

The only module that reads the repository for `build`, `check` and the plugin (compiler/io/disk.py reads
each file; compiler/io/write.py does all writing). It also finds what the writing must know: the files
that are one file through a link, and the temporary files an interrupted build left beside its targets.
Every problem found while reading is collected, then raised at once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TypeVar

from compiler import codes
from compiler.artifacts.block_syntax import block_syntax
from compiler.artifacts.registry import (
    generated_file,
    generated_paths,
    is_orphan,
    orphan_globs,
    stray_example_globs,
    team_file_paths,
)
from compiler.core.facts import Facts, compile_text
from compiler.core.layers import expand
from compiler.core.layout import SSOT_PATH, Layout
from compiler.core.model import ENV_PLACEHOLDER
from compiler.errors import Problem, SsotError
from compiler.formats.blocks import may_hold_markers
from compiler.formats.gitignore import NotIgnored
from compiler.formats.terraform import TERRAGRUNT_CONFIG
from compiler.io import disk, git
from compiler.io.confine import has_git_entry, refusals
from compiler.io.disk import read_ssot_text
from compiler.io.paths import one_reading
from compiler.io.snapshot import GitFacts, LayerTerraform, Snapshot, TerraformModule, TfvarsFile

T = TypeVar("T")


def load_facts(root: Path) -> Facts:
    """The compiled facts of the root's SSOT. Raises SsotError (invalid-ssot, or a missing file)."""
    return compile_text(read_ssot_text(root), SSOT_PATH)


def read_repository(root: Path) -> tuple[Facts, Snapshot]:
    """The facts, and the snapshot of everything they are checked against. Raises SsotError (exit 2)."""
    with one_reading():
        facts = load_facts(root)
        return facts, read_snapshot(root, facts)


def read_snapshot(root: Path, facts: Facts) -> Snapshot:
    problems: list[Problem] = []

    def attempt(read: Callable[[Path, str], T], path: str, default: T) -> T:
        try:
            return read(root, path)
        except SsotError as exc:
            problems.extend(exc.problems)
            return default

    layout = facts.layout
    tops = {pattern.split("/")[0] for pattern in (*layout.block_hosts, *layout.tfvars_dirs)} - {"."}
    problems += disk.unlistable(root, tops)
    generated = generated_paths(facts)
    files: dict[str, str | None] = {}
    for path in generated:
        files[path] = attempt(disk.text_of, path, None)
    for path in _block_hosts(root, layout, skip=generated):
        text = attempt(disk.text_of, path, None)
        if text is not None and may_hold_markers(text):
            files[path] = text
    orphans = []
    made = set(generated)  # looked up for each candidate (a thousand after environments were renamed)
    for path in _orphan_candidates(root, layout, skip=generated, extra=stray_example_globs(facts)):
        if is_orphan(path, attempt(disk.first_line_of, path, ""), made, layout):
            orphans.append(path)
            files[path] = attempt(disk.text_of, path, None)
    reals = disk.real_paths(root, sorted(files))
    problems.extend(_linked_to_another_target(files, reals, made))
    # a team's own atlantis.yaml, digger.yml or tfvars example is edited in place (or handed over by --take)
    problems.extend(refusals(root, facts, files, generated, reals, in_place=team_file_paths(facts, files)))
    temp_files = _temp_files(root, layout, {*files, *reals.values()})

    def tfvars(patterns: Collection[str], keep: Callable[[str], bool]) -> tuple[TfvarsFile, ...]:
        found = []
        for path in sorted({path for pattern in patterns for path in disk.glob(root, pattern) if keep(path)}):
            # a generated example was read above already (a thousand environments, a thousand examples)
            text = files[path] if path in files else attempt(disk.text_of, path, None)
            if text is not None:
                found.append(TfvarsFile(path, text))
        return tuple(found)

    real_tfvars = tfvars([files.glob for files in layout.tfvars], lambda path: not layout.is_example(path))
    examples = tfvars([g for files in layout.tfvars if (g := files.example_glob)], layout.is_example)
    terraform: tuple[LayerTerraform, ...] = attempt(lambda root, _: _read_terraform(root, facts), "", ())
    tracked = git.tracked_files(root, *layout.tfvars_dirs)
    # committed files are the team's configuration: nothing asks git to ignore them
    real_files = [f.var_file for env in facts.environments for f in env.tfvars_files if not f.files.committed]
    real_files += [s.files.file for s in facts.shared_tfvars if not s.files.committed]
    not_ignored: tuple[NotIgnored, ...] = attempt(
        lambda root, _: tuple(git.not_ignored(root, real_files, in_work_tree=tracked is not None)), "", ()
    )
    if problems:
        raise SsotError(problems)
    return Snapshot(
        files=files,
        orphans=tuple(orphans),
        real_tfvars=real_tfvars,
        examples=examples,
        terraform=terraform,
        git=GitFacts(None if tracked is None else tuple(tracked), not_ignored),
        temp_files=tuple(temp_files),
    )


def _block_hosts(root: Path, layout: Layout, skip: Collection[str]) -> list[str]:
    found = {path for pattern in layout.block_hosts for path in disk.glob(root, pattern) if block_syntax(path)}
    return sorted(path for path in found - set(skip) if not has_git_entry(path))  # git's files are never hosts


def _orphan_candidates(root: Path, layout: Layout, skip: Collection[str], extra: Collection[str]) -> list[str]:
    """Files that have the shape of an artifact that may be left over, but that the facts do not generate."""
    found = {path for pattern in (*orphan_globs(layout), *extra) for path in disk.glob(root, pattern)}
    return sorted(path for path in found - set(skip) if not has_git_entry(path))


def _linked_to_another_target(
    files: Collection[str], reals: Mapping[str, str], generated: Collection[str]
) -> list[Problem]:
    """A generated file that is one file with another target (through a link) would overwrite it: trouble.

    Two block hosts may be one file (`docs/index.md -> ../envs/README.md`): both get the same blocks.
    """
    same_file: dict[str, list[str]] = {}
    for path in files:
        same_file.setdefault(reals.get(path, path), []).append(path)
    problems = []
    for real, paths in same_file.items():
        if len(paths) < 2 or not any(path in generated for path in paths):
            continue
        for path in sorted(p for p in paths if p != real):
            others = ", ".join(sorted(set(paths) - {path}))
            message = f"is a link to {real}, which ssot build also writes as {others}; make it a file of its own"
            problems.append(Problem(path, 0, 0, message, code=codes.UNSAFE_PATH))
    return problems


def _temp_files(root: Path, layout: Layout, targets: Collection[str]) -> list[str]:
    """The temporary files an interrupted build left beside `targets` (files to write, and files they link to).

    Only names of the build's own shape (`.NAME.XXXXXXXX.tmp`, compiler/io/paths.py) whose NAME is a
    target, or has the shape of a generated file (the page of an environment renamed since, say).
    """
    known = set(targets)
    found = []
    for directory in sorted({posixpath.dirname(path) for path in known}):
        for name, target in disk.temp_names(root, directory):
            beside = posixpath.join(directory, target)
            if beside in known or generated_file(beside, layout) is not None:
                found.append(posixpath.join(directory, name))
    return sorted(found)


def _read_terraform(root: Path, facts: Facts) -> tuple[LayerTerraform, ...]:
    """Every root of every layer that names Terraform, with its module's files (shared modules read once).

    A root with `{env}` is one root per environment (rules allow it on per-env layers only).
    """
    modules: dict[str, TerraformModule] = {}
    layers = []
    problems: list[Problem] = []
    for layer_id, layer in facts.ssot.layers.items():
        several = not isinstance(layer.terraform_dir, str)
        for index, pattern in enumerate(layer.terraform_dirs):
            at = ("layers", layer_id, "terraform_dir", *((index,) if several else ()))
            envs = [env.name for env in facts.environments] if ENV_PLACEHOLDER in pattern else [None]
            for env in envs:
                written = pattern if env is None else expand(pattern, env)
                directory = written.rstrip("/") or written
                if directory not in modules:
                    try:
                        modules[directory] = _read_module(root, directory)
                    except SsotError as exc:
                        problems.extend(exc.problems)
                        continue
                layers.append(LayerTerraform(layer_id, layer, modules[directory], at, env))
    if problems:
        raise SsotError(problems)
    return tuple(layers)


def _read_module(root: Path, directory: str) -> TerraformModule:
    """Like Terraform, a module is the directory's `*.tf` files (not subdirectories, which are other modules)."""
    found = disk.terraform_files(root, directory)
    if isinstance(found, str):
        return TerraformModule(directory, None, found)
    files = {}
    for relative in found:
        text = disk.text_of(root, relative)
        if text is not None:
            files[relative] = text
    # no .tf file: a Terragrunt unit if a terragrunt.hcl is there (read as any file is: a probe, cached)
    unit = not found and disk.text_of(root, posixpath.join(directory, TERRAGRUNT_CONFIG)) is not None
    return TerraformModule(directory, files, links=disk.real_paths(root, sorted(files)), terragrunt_unit=unit)
