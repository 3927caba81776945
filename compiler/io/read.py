"""Read the repository once: the SSOT into facts, then everything the checks look at into a `Snapshot`.

The only module that reads the repository for `build`, `check` and the plugin (compiler/io/files.py does
the reading itself, and all writing). Every problem found while reading is collected, then raised at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from compiler.artifacts.registry import BLOCK_HOST_GLOBS, FILES, block_syntax, generated_paths, is_orphan
from compiler.core import layout
from compiler.core.facts import Facts, compile_text
from compiler.errors import Problem, SsotError
from compiler.formats.gitignore import NotIgnored
from compiler.io import git
from compiler.io.files import read_first_line, read_text, resolve_inside
from compiler.io.snapshot import GitFacts, LayerTerraform, Snapshot, TerraformModule, TfvarsFile

T = TypeVar("T")


def load_facts(root: Path) -> Facts:
    """The compiled facts of the root's SSOT. Raises SsotError (invalid-ssot, or a missing file)."""
    text = read_text(resolve_inside(root, layout.SSOT_PATH), layout.SSOT_PATH)
    if text is None:
        raise SsotError(
            [Problem(layout.SSOT_PATH, 0, 0, f"not found under {root.resolve()}; is --root the repository's top?")]
        )
    return compile_text(text, layout.SSOT_PATH)


def read_repository(root: Path) -> tuple[Facts, Snapshot]:
    """The facts, and the snapshot of everything they are checked against. Raises SsotError (exit 2)."""
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

    generated = generated_paths(facts)
    files: dict[str, str | None] = {}
    for path in generated:
        files[path] = attempt(_read, path, None)
    for path in _block_hosts(root, skip=generated):
        text = attempt(_read, path, None)
        if text is not None and "ssot:" in text:
            files[path] = text
    orphans = []
    for path in _per_environment_files(root, skip=generated):
        if is_orphan(path, attempt(_read_first_line, path, ""), generated):
            orphans.append(path)
            files[path] = attempt(_read, path, None)

    def tfvars(pattern: str) -> tuple[TfvarsFile, ...]:
        found = []
        for path in _glob(root, f"{layout.TFVARS_DIR}/{pattern}"):
            text = attempt(_read, path, None)
            if text is not None:
                found.append(TfvarsFile(path, text))
        return tuple(found)

    real_tfvars = tfvars(f"*{layout.REAL_SUFFIX}")
    examples = tfvars(f"*{layout.EXAMPLE_SUFFIX}")
    terraform: tuple[LayerTerraform, ...] = attempt(lambda root, _: _read_terraform(root, facts), "", ())
    tracked = git.tracked_files(root, layout.TFVARS_DIR)
    real_files = [layout.var_file(env.name) for env in facts.environments]
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
    )


def _read(root: Path, path: str) -> str | None:
    return read_text(resolve_inside(root, path), path)


def _read_first_line(root: Path, path: str) -> str:
    return read_first_line(resolve_inside(root, path))


def _glob(root: Path, pattern: str) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.glob(pattern) if path.is_file())


def _block_hosts(root: Path, skip: Collection[str]) -> list[str]:
    found = {path for pattern in BLOCK_HOST_GLOBS for path in _glob(root, pattern) if block_syntax(path)}
    return sorted(found - set(skip))


def _per_environment_files(root: Path, skip: Collection[str]) -> list[str]:
    """Files that have the shape of a per-environment artifact but that the facts do not generate."""
    found = {path for artifact in FILES if artifact.per_environment for path in _glob(root, artifact.glob)}
    return sorted(found - set(skip))


def _read_terraform(root: Path, facts: Facts) -> tuple[LayerTerraform, ...]:
    """Every layer that names a Terraform directory, with its module's files (shared modules read once)."""
    modules: dict[str, TerraformModule] = {}
    layers = []
    problems: list[Problem] = []
    for layer_id, layer in facts.ssot.layers.items():
        if layer.terraform_dir is None:
            continue
        directory = layer.terraform_dir.rstrip("/") or layer.terraform_dir
        if directory not in modules:
            try:
                modules[directory] = _read_module(root, directory)
            except SsotError as exc:
                problems.extend(exc.problems)
                continue
        layers.append(LayerTerraform(layer_id, layer, modules[directory]))
    if problems:
        raise SsotError(problems)
    return tuple(layers)


def _read_module(root: Path, directory: str) -> TerraformModule:
    """Like Terraform, a module is the directory's `*.tf` files (not subdirectories, which are other modules)."""
    path = resolve_inside(root, directory)
    if not path.is_dir():
        return TerraformModule(directory, None, "is not a directory" if path.exists() else "does not exist")
    files = {}
    for file in sorted(path.glob("*.tf")):
        relative = file.relative_to(root).as_posix()
        text = _read(root, relative) if file.is_file() else None
        if text is not None:
            files[relative] = text
    return TerraformModule(directory, files)
