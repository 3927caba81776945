"""The repositories the benchmark runs on, generated in a scratch directory.

Each is this repository's hand-written part (README, docs, envs/README.md, mkdocs.yml and the SSOT) with
its SSOT changed: more environments, a huge comment line, a wide tfvars contract. Generated files are
removed ("from scratch") or written by `ssot build` ("built"), and the tree is committed to a fresh git
repository, as a CI checkout is.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SSOT = "ssot/env.yaml"
#: what `ssot build` writes whole (block hosts keep their text and only get their blocks rewritten)
GENERATED = ("docs/ssot", "ssot/env.schema.json", "envs/*.tfvars.example", "atlantis.yaml")
HAND_WRITTEN = ("README.md", "mkdocs.yml", ".gitignore", "docs", "envs", "ssot", "terraform")


def ssot_command(*args: str) -> list[str]:
    """`ssot ARGS` as installed beside this interpreter (the console script users run)."""
    script = Path(sys.executable).with_name("ssot")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "compiler", *args]


def copy_hand_written(target: Path) -> None:
    """This repository's hand-written files (no generated ones, no real tfvars) into `target`."""
    target.mkdir(parents=True)
    for name in HAND_WRITTEN:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("*.tfvars", "__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / name)
    remove_generated(target)


def remove_generated(root: Path) -> None:
    for pattern in GENERATED:
        for path in root.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def generated_files(root: Path) -> list[str]:
    """Every file `ssot build` writes whole in a built tree, relative to it (what a build from scratch creates)."""
    found = set()
    for pattern in GENERATED:
        for path in root.glob(pattern):
            found.update(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    return sorted(path.relative_to(root).as_posix() for path in found)


def base_ssot() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / SSOT).read_text(encoding="utf-8"))
    return data


def with_environments(count: int) -> dict[str, Any]:
    """This repository's SSOT with `count` environments (e0001, e0002, ...), each with its own domain."""
    data = base_ssot()
    data["environments"] = {
        f"e{index:05d}": {
            "title": f"Environment {index}",
            "base_domain": f"e{index}.example.com",
            "env_prefix": "" if index == count else f"x-e{index}",
        }
        for index in range(1, count + 1)
    }
    return data


def with_wide_contract(variables: int, environments: int = 10) -> dict[str, Any]:
    """`environments` environments, each setting `variables` further variables of every type."""
    data = with_environments(environments)
    for layer in data["layers"].values():  # the contract's cost in the renderers, not in Terraform roots
        layer.pop("terraform_dir", None)
    kinds: list[tuple[str, Any]] = [
        ("string", "text"),
        ("number", 7),
        ("bool", True),
        ("list", ["a"]),
        ("map", {"k": "v"}),
    ]
    for i in range(variables):
        kind, _ = kinds[i % len(kinds)]
        data["variables"][f"setting_{i:04d}"] = {"type": kind, "description": f"Setting number {i}."}
    for env in data["environments"].values():
        env["values"] = {f"setting_{i:04d}": kinds[i % len(kinds)][1] for i in range(variables)}
    return data


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def with_comment_line(megabytes: float) -> str:
    """This repository's SSOT text with one comment line of `megabytes` MB at its end (where it moves no
    line the generated pages link to)."""
    text = (REPO / SSOT).read_text(encoding="utf-8")
    return text + "# " + "x" * int(megabytes * 1_000_000) + "\n"


def make_repository(root: Path, ssot_text: str, *, built: bool = True, git: bool = True) -> Path:
    """A repository at `root` holding `ssot_text`; built (every artifact written) unless told otherwise."""
    copy_hand_written(root)
    (root / SSOT).write_text(ssot_text, encoding="utf-8")
    if built:
        subprocess.run(ssot_command("build", "--root", str(root)), check=True, stdout=subprocess.DEVNULL)
    if git:
        commit(root)
    return root


def commit(root: Path, message: str = "bench") -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", message)


def cog_peer(root: Path) -> Path:
    """The cog peer: one Markdown table generated from the SSOT's layers, as a user would script it."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / SSOT, root / "env.yaml")
    page = root / "layers.md"
    page.write_text(COG_PAGE, encoding="utf-8")
    subprocess.run([cog_script(), "-r", str(page)], cwd=root, check=True, stdout=subprocess.DEVNULL)
    return page


def cog_script() -> str:
    script = Path(sys.executable).with_name("cog")
    if not script.exists():
        raise SystemExit("cog is not installed: .venv/bin/python -m pip install -c constraints.txt -e '.[bench]'")
    return str(script)


COG_PAGE = """\
# Layers

<!-- [[[cog
import cog, yaml
with open("env.yaml", encoding="utf-8") as f:
    ssot = yaml.safe_load(f)
cog.outl("| Layer | Name | Scope | Managed by | Components |")
cog.outl("| --- | --- | --- | --- | --- |")
for key, layer in ssot["layers"].items():
    cog.outl(f"| **{key}** | {layer['name']} | {layer['scope']} | {layer['managed_by']} | {', '.join(layer['components'])} |")
]]] -->
<!-- [[[end]]] -->
"""
