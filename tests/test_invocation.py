"""Fix commands are printed the way the user ran ssot (issue 14, point 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit

from compiler.app.invocation import program

SCRIPT = Path(sys.executable).parent / "ssot"


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    ("argv0", "on_path", "expected"),
    [
        pytest.param(".venv/bin/ssot", False, ".venv/bin/ssot", id="typed-path"),
        pytest.param("{cwd}/.venv/bin/ssot", False, ".venv/bin/ssot", id="absolute-under-cwd"),
        pytest.param("{cwd}/.venv/bin/ssot", True, "ssot", id="found-on-PATH"),
        pytest.param("../tools/ssot", False, "../tools/ssot", id="typed-relative"),
        pytest.param("{tmp}/elsewhere/ssot", False, "{tmp}/elsewhere/ssot", id="absolute-elsewhere"),
        pytest.param("/usr/lib/python3/site-packages/compiler/__main__.py", False, "{py} -m compiler", id="module"),
        pytest.param("/x/pytest", False, "ssot", id="anything-else"),
    ],
)
def test_the_program_is_named_as_the_shell_would_find_it(
    tmp_path: Path, argv0: str, on_path: bool, expected: str
) -> None:
    cwd = tmp_path / "repo"
    script = _executable(cwd / ".venv/bin/ssot")
    python = _executable(tmp_path / "py/bin/python3.12")
    path = os.pathsep.join([str(script.parent)] if on_path else ["/nonexistent"])

    named = program(argv0.format(cwd=cwd, tmp=tmp_path), str(python), path, str(cwd))

    assert named == expected.format(cwd=cwd, tmp=tmp_path, py=python)


def test_a_module_run_names_python_when_path_finds_that_interpreter(tmp_path: Path) -> None:
    python = _executable(tmp_path / "bin/python3")

    assert program("/a/compiler/__main__.py", str(python), str(python.parent), "/") == "python3 -m compiler"


def _run(argv: list[str], cwd: Path, path: str) -> str:
    env = {**os.environ, "PATH": path, "NO_COLOR": "1", "PYTHONUTF8": "1"}
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done
    return done.stdout


@pytest.mark.skipif(not SCRIPT.exists(), reason="no console script beside the interpreter")
def test_check_prints_the_fix_with_the_command_the_user_ran(repo: Path) -> None:
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    (repo / ".venv/bin").mkdir(parents=True)
    (repo / ".venv/bin/ssot").symlink_to(SCRIPT)
    bare = "/usr/bin:/bin"

    typed = _run([".venv/bin/ssot", "check"], repo, bare)
    on_path = _run(["ssot", "check"], repo, f"{repo / '.venv/bin'}:{bare}")
    module = _run([sys.executable, "-m", "compiler", "check"], repo, bare)

    assert typed.endswith("\nrun: .venv/bin/ssot build\n"), typed
    assert "or run .venv/bin/ssot build to restore it" in typed, typed
    assert on_path.endswith("\nrun: ssot build\n"), on_path
    assert module.endswith(f"\nrun: {sys.executable} -m compiler build\n"), module
