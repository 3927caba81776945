"""All problems at once (compiler/core/repair.py): a problem the model sees never hides a domain rule.

Each test starts from the example repository's ssot/env.yaml and makes several mistakes of different
kinds; every one is reported, at its line, by one run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_REPO, RunCli, snapshot

from compiler.core.validate import load_ssot
from compiler.errors import SsotError

FILE = "ssot/env.yaml"
EXAMPLE = (FIXTURE_REPO / FILE).read_text(encoding="utf-8")
NAMESPACE_RULE = "namespace 'data' of per-env layer L3 must contain {env}, or every environment gets the same one"


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r} in the SSOT"
    return text.replace(old, new)


def at(text: str, marker: str) -> str:
    index = text.index(marker)
    return f"{FILE}:{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


def problems_of(text: str) -> list[str]:
    with pytest.raises(SsotError) as info:
        load_ssot(text, FILE)
    return sorted(str(p) for p in info.value.problems)


def _broken_namespace(text: str) -> str:
    return edit(text, "namespace: data-{env}", "namespace: data")


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        pytest.param(
            "env_prefix: x-staging ",
            "env_prefix: no        ",
            "no        ",
            "'no' is read by YAML 1.1 as the boolean false; quote it (\"no\") if you mean text",
            id="yaml-1.1-boolean",
        ),
        pytest.param(
            "    title: Prod\n",
            "    titel: Prod\n",
            "titel",
            "unknown key 'titel' in environments.prod; did you mean 'title'?",
            id="unknown-key",
        ),
        pytest.param(
            "    title: Prod\n",
            "    title: Prod\n    title: Production\n",
            "title: Production",
            "duplicate key 'title' (first defined at line 53)",
            id="duplicate-key",
        ),
        pytest.param(
            "    scope: shared              #",
            "    scope: everywhere          #",
            "everywhere",
            "layers.L1.scope: Input should be 'shared' or 'per-env', found 'everywhere'",
            id="wrong-value",
        ),
    ],
)
def test_a_problem_of_the_data_does_not_hide_a_domain_rule(old: str, new: str, marker: str, message: str) -> None:
    text = _broken_namespace(edit(EXAMPLE, old, new))

    assert problems_of(text) == sorted(
        [f"{at(text, marker)}: {message}", f"{at(text, 'data' + chr(10))}: {NAMESPACE_RULE}"]
    )


def test_three_mistakes_of_three_kinds_come_out_of_one_run(tmp_path: Path, run_cli: RunCli) -> None:
    from conftest import copy_repository

    repo = copy_repository(tmp_path)
    text = edit(_broken_namespace(EXAMPLE), "env_prefix: x-staging ", "env_prefix: no        ")
    text = edit(text, "    title: Prod\n", "    titel: Prod\n")
    (repo / FILE).write_text(text, encoding="utf-8")
    before = snapshot(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 2, built
    assert sorted(line for line in built.stderr.splitlines() if line.startswith(FILE)) == sorted(
        [
            f"{at(text, 'data' + chr(10))}: {NAMESPACE_RULE}",
            f"{at(text, 'no        ')}: 'no' is read by YAML 1.1 as the boolean false; quote it (\"no\") if you mean text",
            f"{at(text, 'titel')}: unknown key 'titel' in environments.prod; did you mean 'title'?",
        ]
    ), built
    assert snapshot(repo) == before


def test_a_layer_missing_a_required_key_is_left_out_and_the_other_layers_are_still_judged() -> None:
    text = _broken_namespace(edit(EXAMPLE, "    name: Apps\n", ""))

    assert problems_of(text) == sorted(
        [
            f"{at(text, 'L4:')}: layers.L4: missing required key 'name'",
            f"{at(text, 'data' + chr(10))}: {NAMESPACE_RULE}",
        ]
    )


def test_a_rule_about_what_the_repair_left_out_is_not_reported() -> None:
    # L4's namespace is refused by the model (a list); left out, L4 would produce no namespace, and no rule
    # may speak about L4 on that ground
    text = edit(EXAMPLE, "namespace: apps-{env}", "namespace: [apps]")

    problems = problems_of(text)

    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{at(text, '[apps]')}: layers.L4.namespace: ")


def test_without_data_to_repair_only_the_data_problems_are_reported() -> None:
    # no `layers` at all: nothing to judge the rules on
    start = EXAMPLE.index("layers:\n")
    end = EXAMPLE.index("\n# How layers are kept apart")
    text = EXAMPLE[:start] + EXAMPLE[end + 1 :]

    assert [p.split(": ", 1)[1] for p in problems_of(text)] == ["the top level: missing required key 'layers'"]
