"""The manual (docs/manual/) tells the truth: its outputs are what the tool prints, its SSOT snippets are
valid, its command reference is the parser's, and every page is in the site's nav.

- An output is a ```text block right after `<!-- example: NAME -->` (indented as a list item's may be).
  A scenario (here, or README's in tests/test_readme_examples.py) makes the changes the page describes in
  a copy of the example repository tests/fixtures/repo and runs the command in-process; its output must
  be the block's, and the page says, before the example, that it comes from tests/fixtures/repo.
- A YAML snippet is a ```yaml block right after `<!-- snippet -->`. One whose top-level keys are keys of
  ssot/env.yaml is merged into the example repository's SSOT, which must stay valid; any other (mkdocs.yml,
  a workflow, .pre-commit-config.yaml) must be YAML.
- docs/manual/reference/commands.md holds the command reference between `<!-- manual:begin commands -->`
  and `<!-- manual:end commands -->`: `UPDATE_MANUAL=1` rewrites it from compiler/app/parser.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_REPO, REPO_ROOT, Result, RunCli, edit
from test_readme_examples import SCENARIOS as README_SCENARIOS

from compiler.app.cli_reference import render_commands_reference
from compiler.core.model import Ssot
from compiler.core.validate import load_ssot
from compiler.errors import SsotError

MANUAL = REPO_ROOT / "docs" / "manual"
PAGES = sorted(MANUAL.rglob("*.md"))
COMMANDS_PAGE = MANUAL / "reference" / "commands.md"
_EXAMPLE = re.compile(
    r"^(?P<indent>[ ]*)<!-- example: (?P<name>[a-z-]+) -->\n(?P=indent)```text\n(?P<output>.*?)^(?P=indent)```$",
    re.DOTALL | re.MULTILINE,
)
_SNIPPET = re.compile(
    r"^(?P<indent>[ ]*)<!-- snippet(?P<fails> \(invalid until the next step\))? -->\n(?P=indent)```yaml\n"
    r"(?P<yaml>.*?)^(?P=indent)```$",
    re.DOTALL | re.MULTILINE,
)
_COMMANDS = re.compile(r"(<!-- manual:begin commands -->\n)(.*?)(<!-- manual:end commands -->)", re.DOTALL)


def _dedent(text: str, indent: str) -> str:
    return "".join(line.removeprefix(indent) for line in text.splitlines(keepends=True))


def _examples() -> list[tuple[Path, str, str, int]]:
    """(page, name, output, offset of the marker) of every example in the manual."""
    return [
        (page, m["name"], _dedent(m["output"], m["indent"]), m.start())
        for page in PAGES
        for m in _EXAMPLE.finditer(page.read_text(encoding="utf-8"))
    ]


def _snippets() -> list[tuple[str, list[str], bool]]:
    """(where, the page's snippets up to this one, whether the SSOT must be refused then) of every snippet."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        so_far: list[str] = []
        for m in _SNIPPET.finditer(text):
            so_far.append(_dedent(m["yaml"], m["indent"]))
            where = f"{page.relative_to(MANUAL).as_posix()}:{text[: m.start()].count(chr(10)) + 2}"
            found.append((where, list(so_far), m["fails"] is not None))
    return found


def _add_environment(repo: Path, run_cli: RunCli) -> Result:
    qa = "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n"
    edit(repo / "ssot/env.yaml", "  prod:\n    title: Prod\n", qa + "  prod:\n    title: Prod\n")
    return _ran(run_cli("build", "--root", repo), 0)


_REGION = "  region:\n    type: string\n    description: Cloud region the environment runs in.\n"


def _variable_without_values(repo: Path, run_cli: RunCli) -> Result:
    edit(repo / "ssot/env.yaml", "\n# Architecture decisions", _REGION + "\n# Architecture decisions")
    return _ran(run_cli("build", "--root", repo), 2)


def _variable_with_values(repo: Path, run_cli: RunCli) -> Result:
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "\n# Architecture decisions", _REGION + "\n# Architecture decisions")
    edit(ssot, "    title: Staging\n", "    title: Staging\n    values:\n      region: eu-west-1\n")
    edit(ssot, "    title: Prod\n", "    title: Prod\n    values:\n      region: eu-central-1\n")
    return _ran(run_cli("build", "--root", repo), 0)


def _rename_layer(repo: Path, run_cli: RunCli) -> Result:
    edit(
        repo / "ssot/env.yaml",
        "    name: Data\n",
        "    name: Databases\n    state_key: data/{env}/terraform.tfstate\n",
    )
    return _ran(run_cli("build", "--root", repo), 0)


def _ran(result: Result, code: int) -> Result:
    assert result.code == code, result
    return result


SCENARIOS: dict[str, Callable[[Path, RunCli], Result]] = {
    **README_SCENARIOS,
    "add-environment": _add_environment,
    "variable-without-values": _variable_without_values,
    "variable-with-values": _variable_with_values,
    "rename-layer": _rename_layer,
}


def test_every_output_in_the_manual_is_a_checked_example() -> None:
    for page in PAGES:
        text = _COMMANDS.sub("", page.read_text(encoding="utf-8"))  # the generated usage lines are no outputs
        markers = len(list(_EXAMPLE.finditer(text)))
        assert text.count("```text\n") == markers, f"a ```text block in {page} has no example marker"
    assert {name for _, name, _, _ in _examples()} <= set(SCENARIOS)


@pytest.mark.parametrize(
    ("page", "name"), [(page, name) for page, name, _, _ in _examples()], ids=lambda v: getattr(v, "name", v)
)
def test_the_manual_example_is_what_the_tool_prints(repo: Path, run_cli: RunCli, page: Path, name: str) -> None:
    output = next(out for p, n, out, _ in _examples() if (p, n) == (page, name))
    assert SCENARIOS[name](repo, run_cli).output == output


@pytest.mark.parametrize(("page", "name", "offset"), [(p, n, o) for p, n, _, o in _examples()])
def test_each_example_says_which_repository_it_comes_from(page: Path, name: str, offset: int) -> None:
    before = page.read_text(encoding="utf-8")[:offset]
    section = before[max(before.rfind("\n#"), 0) :]
    assert "tests/fixtures/repo" in section, f"{page}: say that example {name!r} comes from tests/fixtures/repo"


def _merged(base: Any, snippet: Any) -> Any:
    if isinstance(base, dict) and isinstance(snippet, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in snippet.items()}}
    return snippet


@pytest.mark.parametrize(("where", "snippets", "fails"), _snippets(), ids=[where for where, _, _ in _snippets()])
def test_every_yaml_snippet_is_valid(where: str, snippets: list[str], fails: bool) -> None:
    """A snippet of ssot/env.yaml, with the page's earlier ones (a recipe's steps build on each other), is
    valid in the example repository; one the page shows failing on purpose is refused."""
    data = yaml.safe_load(snippets[-1])
    assert isinstance(data, dict), where
    if not set(data) <= set(Ssot.model_fields):
        return  # mkdocs.yml, a workflow, .pre-commit-config.yaml: YAML is all that can be said
    ssot = yaml.safe_load((FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8"))
    for snippet in snippets:
        part = yaml.safe_load(snippet)
        if set(part) <= set(Ssot.model_fields):
            ssot = _merged(ssot, part)
    text = yaml.safe_dump(ssot, sort_keys=False)
    if fails:
        with pytest.raises(SsotError):
            load_ssot(text, "ssot/env.yaml")
    else:
        load_ssot(text, "ssot/env.yaml")


def test_the_manual_has_ssot_snippets_and_examples() -> None:
    """The two tests above cannot pass by finding nothing."""
    assert len(_snippets()) >= 5 and len(_examples()) >= 5


def test_the_command_reference_is_the_parsers() -> None:
    text = COMMANDS_PAGE.read_text(encoding="utf-8")
    match = _COMMANDS.search(text)
    assert match is not None, f"{COMMANDS_PAGE} lost its manual:begin/end commands markers"
    expected = "\n" + render_commands_reference() + "\n"
    if os.environ.get("UPDATE_MANUAL") and match[2] != expected:
        COMMANDS_PAGE.write_text(text[: match.start(2)] + expected + text[match.end(2) :], encoding="utf-8")
        pytest.skip(f"UPDATE_MANUAL=1: rewrote {COMMANDS_PAGE}")
    assert match[2] == expected, "the command reference lags behind the parser: run UPDATE_MANUAL=1 " + (
        ".venv/bin/python -m pytest tests/test_manual.py"
    )


def test_the_command_reference_shows_every_command_and_option() -> None:
    reference = render_commands_reference()
    for word in ("### ssot build", "### ssot check", "### ssot affected", "`--base REF`", "`--exit-code`"):
        assert word in reference


def test_every_manual_page_is_in_the_sites_nav() -> None:
    nav = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [page.relative_to(REPO_ROOT / "docs").as_posix() for page in PAGES]
    assert [page for page in missing if page not in nav] == []


def test_the_field_reference_is_a_generated_block() -> None:
    text = (MANUAL / "reference" / "fields.md").read_text(encoding="utf-8")
    assert "<!-- ssot:begin ssot-fields -->" in text
    assert "`environments.<env>.values`" in text
