"""`make serve`: installs only the site's tools, serves on PORT (default 8000), says a busy port in one line.

The target runs tools/serve.py, which these tests run directly (the target also builds this repository,
which tests never write); the Makefile itself is read with `make -n`, which prints and runs nothing.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO_ROOT, copy_repository, run_command
from mkdocs_serve import LOCAL_HOST, free_port
from packaging.requirements import Requirement

SERVE = REPO_ROOT / "tools" / "serve.py"
MAKE = shutil.which("make")
#: The test toolchain: never needed to read the docs.
TEST_TOOLS = {"pytest", "playwright", "mypy", "ruff", "hypothesis", "pre-commit", "jsonschema", "mdformat"}


def test_a_busy_port_is_said_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind((LOCAL_HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_command([sys.executable, SERVE, str(port)], cwd=copy_repository(tmp_path))

    assert result.code == 2, result
    assert result.stdout == ""
    assert result.stderr == (
        f"make serve: port {port} is busy (another server listens on {LOCAL_HOST}:{port}): "
        f"run make serve PORT={port + 1}\n"
    )


@pytest.mark.parametrize("port", ["http", "0", "70000", ""])
def test_a_port_that_is_no_number_is_said_in_one_line(tmp_path: Path, port: str) -> None:
    result = run_command([sys.executable, SERVE, port], cwd=tmp_path)
    assert result.code == 2, result
    assert result.stderr == f"make serve: PORT={port!r} is not a port number (1-65535): run make serve PORT=8001\n"


def test_a_free_port_is_served(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, SERVE, str(port)], cwd=repo, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            try:
                with urllib.request.urlopen(f"http://{LOCAL_HOST}:{port}/", timeout=5) as response:
                    assert b"Staging" in response.read()
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text(encoding="utf-8")
                time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _dry_run(target: str, tmp_path: Path, *options: str) -> list[str]:
    """What `make TARGET` would run on a fresh clone (no venv yet), printed, not run."""
    completed = subprocess.run(
        [
            MAKE or "make",
            "-n",
            "--no-print-directory",
            "-C",
            REPO_ROOT,
            target,
            f"VENV={tmp_path / 'fresh-venv'}",
            *options,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.splitlines()


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_serve_installs_the_docs_extra_only_and_serves_on_port(tmp_path: Path) -> None:
    commands = _dry_run("serve", tmp_path, "PORT=8123")
    installs = [c for c in commands if "pip install" in c and "--upgrade pip" not in c]
    assert installs and all("'.[docs]'" in c for c in installs), commands
    assert not [c for c in commands if ".[test]" in c]
    assert commands[-1].endswith("tools/serve.py 8123")
    assert _dry_run("serve", tmp_path)[-1].endswith("tools/serve.py 8000")

    test_installs = [c for c in _dry_run("test", tmp_path) if "pip install" in c and "--upgrade pip" not in c]
    assert any("'.[test]'" in c for c in test_installs), test_installs


def test_the_docs_extra_holds_no_test_tool() -> None:
    extras = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    docs = {Requirement(requirement).name for requirement in extras["docs"]}
    assert docs == {"mkdocs", "mkdocs-material"}
    assert TEST_TOOLS <= {Requirement(requirement).name for requirement in extras["test"]}
