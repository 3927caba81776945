"""README tells the truth: every output it shows is what the real tool prints, byte for byte.

Each example in README.md is a ```text block preceded by a marker comment, `<!-- example: NAME -->`. For
each NAME, a scenario below makes the mistakes the README's text describes in a copy of the example
repository and runs the command in-process; its output must be the block's. Every ```text block in README
must be such an example, so an output added without a scenario fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Result, RunCli, edit

README = REPO_ROOT / "README.md"
_EXAMPLE = re.compile(r"<!-- example: (?P<name>[a-z-]+) -->\n```text\n(?P<output>.*?)^```$", re.DOTALL | re.MULTILINE)


def _examples() -> dict[str, str]:
    return {m["name"]: m["output"] for m in _EXAMPLE.finditer(README.read_text(encoding="utf-8"))}


def _all_at_once(repo: Path, run_cli: RunCli) -> Result:
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "env_prefix: x-staging ", "env_prefix: no        ")
    edit(ssot, "    title: Prod\n", "    titel: Prod\n")
    edit(ssot, "namespace: data-{env}", "namespace: data")
    return _ran(run_cli("build", "--root", repo), 2)


def _drift(repo: Path, run_cli: RunCli) -> Result:
    edit(repo / "envs/README.md", "Atlantis (`platform`)   |", "Atlantis (`apps`)       |")
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"y-staging"')
    edit(repo / "docs/ssot/env.md", "single instance shared by all envs", "one instance shared by all envs")
    return _ran(run_cli("check", "--root", repo), 1)


def _atlantis(repo: Path, run_cli: RunCli) -> Result:
    ssot = repo / "ssot/env.yaml"
    variables = ("environment", "base_domain", "internal_domain", "env_prefix")
    for project, anchor in (
        ("platform", "    atlantis_project: platform\n"),
        ("data", "    namespace: data-{env}\n"),
        ("apps", "    namespace: apps-{env}\n"),
    ):
        edit(ssot, anchor, f"{anchor}    terraform_dir: terraform/{project}\n")
        (repo / "terraform" / project).mkdir(parents=True)
        (repo / "terraform" / project / "main.tf").write_text(
            "".join(f'variable "{name}" {{\n  type = string\n}}\n\n' for name in variables), encoding="utf-8"
        )
    _ran(run_cli("build", "--root", repo), 0)
    atlantis = repo / "atlantis.yaml"
    text = atlantis.read_text(encoding="utf-8")
    atlantis.write_text(text.replace("workspace: staging", "workspace: prod", 1), encoding="utf-8")
    return _ran(run_cli("check", "--root", repo), 1)


def _ran(result: Result, code: int) -> Result:
    assert result.code == code, result
    return result


SCENARIOS: dict[str, Callable[[Path, RunCli], Result]] = {
    "all-at-once": _all_at_once,
    "drift": _drift,
    "atlantis": _atlantis,
}


def test_every_output_in_readme_is_a_checked_example() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count("```text\n") == len(_examples()), "a ```text block in README.md has no example marker"
    assert set(_examples()) <= set(SCENARIOS)
    manual = "".join(page.read_text(encoding="utf-8") for page in (REPO_ROOT / "docs/manual").rglob("*.md"))
    unused = [name for name in SCENARIOS if name not in _examples() and f"<!-- example: {name} -->" not in manual]
    assert unused == [], "a scenario no README or manual example shows (tests/test_manual.py runs the manual's)"


@pytest.mark.parametrize("name", sorted(_examples()))
def test_the_readme_example_is_what_the_tool_prints(repo: Path, run_cli: RunCli, name: str) -> None:
    result = SCENARIOS[name](repo, run_cli)

    assert result.output == _examples()[name]
