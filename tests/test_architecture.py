"""The package's shape: the pipeline's layers import only downstream, one reader per format, small modules.

The layers, in pipeline order (a module may import its own layer and the ones before it, never after):
foundation (codes, errors, findings, text) -> formats (readers) -> secrets (what a secret looks like, where) -> core (SSOT -> facts) -> render ->
compare -> artifacts (the registry and the plan) -> io (read once, write atomically) -> checks (pure) ->
app (CLI, reporters, plugin).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "compiler"
LAYERS = ("foundation", "formats", "secrets", "core", "render", "compare", "artifacts", "io", "checks", "app")
FOUNDATION = {"__init__", "codes", "errors", "findings", "text"}
MAX_LINES = 300
#: Calls that read the disk or run programs; only compiler/io/ and the front doors (compiler/app/) may.
READING_CALLS = frozenset({"open", "read_text", "read_bytes", "glob", "rglob", "iterdir"})
#: Module functions that read or run something, counted when called on their module (`os.walk`).
MODULE_CALLS = {"os": {"listdir", "scandir", "walk", "stat"}, "subprocess": {"run", "Popen", "check_output"}}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name_of(path: Path) -> str:
    return ".".join(("compiler", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")


def layer_of(module: str) -> int:
    parts = module.split(".")
    if parts[1:] == ["__main__"]:  # `python -m compiler`: a front door
        return LAYERS.index("app")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in FOUNDATION):
        return 0
    assert parts[1] in LAYERS, f"{module} is in no layer: add its package to LAYERS in this test"
    return LAYERS.index(parts[1])


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every compiler module `path` imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("compiler")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("compiler"):
            if node.module == "compiler":  # `from compiler import codes`: modules, or names of compiler/__init__
                found += [(node.lineno, _module_or_package(alias.name)) for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def _module_or_package(name: str) -> str:
    is_module = (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()
    return f"compiler.{name}" if is_module else "compiler"


def test_every_module_is_in_a_layer() -> None:
    for path in modules():
        layer_of(name_of(path))


def test_no_import_runs_against_the_pipeline() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name_of(path)} ({LAYERS[layer_of(name_of(path))]}) "
        f"imports {module} ({LAYERS[layer_of(module)]})"
        for path in modules()
        for line, module in imported(path)
        if layer_of(module) > layer_of(name_of(path))
    ]
    assert offenders == []


def test_the_layer_checker_sees_an_upstream_import(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("from compiler.app.cli import main\nimport compiler.io.repository\nfrom compiler import codes\n")
    assert [m for _, m in imported(source)] == ["compiler.app.cli", "compiler.io.repository", "compiler.codes"]
    assert layer_of("compiler.app.cli") > layer_of("compiler.core.facts") > layer_of("compiler.codes")


@pytest.mark.parametrize("library", ["hcl2", "lark"])
def test_hcl_is_parsed_in_one_module(library: str) -> None:
    importers = [
        path.relative_to(PACKAGE.parent).as_posix()
        for path in modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Import) and any(a.name.split(".")[0] == library for a in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == library)
    ]
    assert set(importers) == {"compiler/formats/hcl.py"}


def test_no_module_is_over_300_lines() -> None:
    long = {
        path.relative_to(PACKAGE.parent).as_posix(): count
        for path in modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, "split these modules"


#: Front-door packages whose inference is pure: only the named module of each reads the repository.
PURE_PACKAGES = {"compiler/app/init": "repository.py"}


def may_read(path: Path) -> bool:
    """compiler/io/ and the front doors (compiler/app/, any depth) read; but for a pure package's others."""
    relative = path.relative_to(PACKAGE.parent)
    package = relative.parent.as_posix()
    if package in PURE_PACKAGES:
        return path.name == PURE_PACKAGES[package]
    return relative.parts[1] in ("io", "app") or path.name == "__main__.py"


def reading_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        owner = (
            function.value.id if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) else ""
        )
        if name in READING_CALLS or name in MODULE_CALLS.get(owner, ()):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(function)}")
    return found


def test_only_io_and_the_front_doors_read_the_disk() -> None:
    """Renderers, comparators and checks are pure: they get text and facts, never a path to read; so is
    `ssot init`'s drafting, which gets what compiler/app/init/repository.py read."""
    offenders = [line for path in modules() if not may_read(path) for line in reading_calls(path)]
    assert offenders == []


def test_the_reading_rule_covers_subpackages_of_the_front_doors() -> None:
    assert may_read(PACKAGE / "app" / "init" / "repository.py")
    assert not may_read(PACKAGE / "app" / "init" / "draft.py")
    assert may_read(PACKAGE / "app" / "cli.py") and may_read(PACKAGE / "io" / "disk.py")
    assert not may_read(PACKAGE / "core" / "facts.py")
