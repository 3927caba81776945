"""The package as a user installs it, and the GitHub Action (action.yml) that installs and runs it.

The wheel is built from a copy of the package (pip reaches the package registry for the build backend,
as `make setup` does). It is installed by the action's own steps, run with bash as a runner runs them,
into a fresh venv without the package index: pip finds only the wheel and the core dependencies, repacked
from this environment. So a core dependency on mkdocs would fail the install, not pass unnoticed.
"""

from __future__ import annotations

import email
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, Result, copy_repository, edit, run_command
from packaging.requirements import Requirement

PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "compiler")
ACTION = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step.get("id", step["name"]): step for step in ACTION["runs"]["steps"]}
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
pytestmark = pytest.mark.long  # one worker runs the module (conftest.py): one wheel, one install


@dataclass(frozen=True)
class Installed:
    wheel: Path
    #: the action's outputs and what its steps printed
    ssot: Path
    install: Result


def run_step(step: dict[str, str], values: dict[str, str], tmp: Path, **extra: str) -> tuple[Result, dict[str, str]]:
    """One `run:` step of action.yml, as a runner runs it: bash -eo pipefail, its `env:` with the
    expressions replaced by `values`, GITHUB_OUTPUT read back."""
    output = tmp / f"output-{len(list(tmp.glob('output-*')))}"
    output.touch()
    env = {name: EXPRESSION.sub(lambda m: values[m.group(1)], str(v)) for name, v in step.get("env", {}).items()}
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env={**os.environ, **extra, **env, "GITHUB_OUTPUT": str(output), "NO_COLOR": "1"},
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
    return Result(completed.returncode, completed.stdout, completed.stderr), outputs


def core_requirements(metadata: email.message.Message) -> list[Requirement]:
    return [
        requirement
        for line in metadata.get_all("Requires-Dist", [])
        if (requirement := Requirement(line)).marker is None or requirement.marker.evaluate({"extra": ""})
    ]


def repack(name: str, wheelhouse: Path, seen: set[str]) -> None:
    """An installed distribution (and its own dependencies) as a wheel again, for pip --no-index."""
    distribution = importlib.metadata.distribution(name)
    key = re.sub(r"[-_.]+", "_", distribution.metadata["Name"]).lower()
    if key in seen:
        return
    seen.add(key)
    tag = next(
        line.split(": ", 1)[1]
        for line in (distribution.read_text("WHEEL") or "").splitlines()
        if line.startswith("Tag: ")
    )
    with zipfile.ZipFile(wheelhouse / f"{key}-{distribution.version}-{tag}.whl", "w") as wheel:
        for file in distribution.files or ():
            if file.parts[0] != ".." and file.suffix != ".pyc":
                wheel.write(Path(str(file.locate())), file.as_posix())
    for requirement in core_requirements(distribution.metadata):  # type: ignore[arg-type]
        repack(requirement.name, wheelhouse, seen)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    source = tmp_path_factory.mktemp("source")
    for name in PACKAGE_FILES:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO_ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = run_command(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, source], dist
    )
    assert built.code == 0, str(built)
    (wheel,) = dist.glob("ssot_compiler-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.message_from_bytes(archive.read(_dist_info(archive) + "METADATA"))
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    seen: set[str] = set()
    for requirement in core_requirements(metadata):
        repack(requirement.name, wheelhouse, seen)

    runner = tmp_path_factory.mktemp("runner")
    values = {"inputs.version": str(wheel), "github.action_path": str(REPO_ROOT), "github.action_repository": ""}
    spec, outputs = run_step(STEPS["spec"], values, runner)
    assert spec.code == 0, str(spec)
    values |= {"steps.spec.outputs.spec": outputs["spec"], "runner.temp": str(runner)}
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse), "PIP_CONFIG_FILE": os.devnull}
    install, outputs = run_step(STEPS["install"], values, runner, **offline)
    return Installed(wheel, Path(outputs.get("ssot", "")), install)


def _dist_info(archive: zipfile.ZipFile) -> str:
    (name,) = {n.split("/")[0] + "/" for n in archive.namelist() if n.split("/")[0].endswith(".dist-info")}
    return name


def test_the_wheel_is_typed_licensed_and_described(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
        info = _dist_info(archive)
        metadata = email.message_from_bytes(archive.read(info + "METADATA"))
        entry_points = archive.read(info + "entry_points.txt").decode()
        license_text = archive.read(info + "licenses/LICENSE").decode()
    assert "compiler/py.typed" in names
    assert "compiler/app/assets/ssot.css" in names  # the plugin's stylesheet, served by the plugin
    assert "MIT License" in license_text and "ssot-compiler contributors" in license_text
    assert metadata["License-Expression"] == "MIT"
    classifiers = metadata.get_all("Classifier", [])
    assert "Typing :: Typed" in classifiers and "Framework :: MkDocs" in classifiers
    assert metadata.get_all("Project-URL") and "terraform" in metadata["Keywords"]
    assert sorted(r.name for r in core_requirements(metadata)) == ["pydantic", "python-hcl2", "pyyaml"]
    docs = [Requirement(line) for line in metadata.get_all("Requires-Dist", []) if line.endswith('extra == "docs"')]
    assert {r.name for r in docs} == {"mkdocs", "mkdocs-material"}
    assert "ssot = compiler.app.cached:main" in entry_points  # the front door that may answer from the cache
    assert "ssot = compiler.app.plugin:SsotPlugin" in entry_points  # the plugin stays registered
    assert not [name for name in names if name.startswith(("tests/", "bench/", "docs/"))]


def test_the_action_installs_the_core_package_without_mkdocs(installed: Installed) -> None:
    assert installed.install.code == 0, str(installed.install)
    assert installed.ssot.is_file(), str(installed.install)
    python = installed.ssot.parent / "python"
    listed = run_command([python, "-m", "pip", "list", "--format=freeze"], cwd=installed.ssot.parent)
    packages = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert "ssot-compiler" in packages and "pydantic" in packages
    assert not packages & {"mkdocs", "mkdocs-material", "pytest", "playwright"}, packages


def test_the_core_install_checks_and_describes_a_repository(installed: Installed, tmp_path: Path) -> None:
    repo = copy_repository(tmp_path)
    check = run_command([installed.ssot, "check"], cwd=repo / "docs")  # the root found upwards
    assert check.code == 0, str(check)
    assert check.stdout.startswith("ok: ")
    describe = run_command([installed.ssot, "describe", "--format", "json", "--root", repo], cwd=tmp_path)
    assert describe.code == 0 and '"schema": "ssot-describe/1"' in describe.stdout, str(describe)


def test_without_mkdocs_the_plugin_says_what_to_install(installed: Installed) -> None:
    python = installed.ssot.parent / "python"
    result = run_command([python, "-c", "import compiler.app.plugin"], cwd=installed.ssot.parent)
    assert result.code == 1, str(result)
    assert result.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: the ssot MkDocs plugin needs MkDocs (mkdocs is missing): "
        "pip install 'ssot-compiler[docs]'"
    )


def test_the_action_checks_with_annotations(installed: Installed, tmp_path: Path) -> None:
    repo = copy_repository(tmp_path)
    values = {
        "steps.install.outputs.ssot": str(installed.ssot),
        "inputs.root": ACTION["inputs"]["root"]["default"],
        "inputs.format": ACTION["inputs"]["format"]["default"],
    }
    clean, _ = run_step(STEPS["ssot check"], values, repo)
    assert clean.code == 0, str(clean)

    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"y-staging"')
    drift, _ = run_step(STEPS["ssot check"], values, repo)
    assert drift.code == 1, str(drift)
    assert re.search(r"^::error file=envs/staging\.tfvars\.example,line=\d+,title=ssot ", drift.stdout, re.MULTILINE)


@pytest.mark.parametrize(
    ("version", "repository", "spec"),
    [
        ("", "", "{action}"),
        ("0.2.0", "", "ssot-compiler==0.2.0"),
        ("1.0rc1", "", "ssot-compiler==1.0rc1"),
        ("main", "owner/ssot-compiler", "ssot-compiler @ git+https://github.com/owner/ssot-compiler@main"),
        ("v1.2.0", "owner/ssot-compiler", "ssot-compiler @ git+https://github.com/owner/ssot-compiler@v1.2.0"),
        ("ssot-compiler>=0.1", "", "ssot-compiler>=0.1"),
        ("./dist/ssot_compiler-0.1.0-py3-none-any.whl", "", "./dist/ssot_compiler-0.1.0-py3-none-any.whl"),
    ],
)
def test_the_version_input_chooses_what_to_install(tmp_path: Path, version: str, repository: str, spec: str) -> None:
    values = {"inputs.version": version, "github.action_path": "/actions/ssot", "github.action_repository": repository}
    result, outputs = run_step(STEPS["spec"], values, tmp_path)
    assert result.code == 0, str(result)
    assert outputs["spec"] == spec.format(action="/actions/ssot")


def test_a_git_ref_without_the_actions_repository_is_an_error(tmp_path: Path) -> None:
    values = {"inputs.version": "main", "github.action_path": ".", "github.action_repository": ""}
    result, outputs = run_step(STEPS["spec"], values, tmp_path)
    assert result.code == 2 and outputs == {}
    assert result.stdout.startswith("::error title=ssot action::version 'main' looks like a git ref")


def test_the_action_is_a_composite_whose_steps_take_inputs_through_env_only() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {name: spec.get("default") for name, spec in ACTION["inputs"].items()} == {
        "root": ".",
        "version": "",
        "format": "github",
    }
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        # an expression inside `run:` would be pasted into the script (injection); env values are not
        assert "${{" not in step["run"], step["name"]
