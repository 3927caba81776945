"""The GitHub workflow runs what the README promises: the annotated drift check (this repository's own
action), then make test, which runs `ssot check` before anything builds the site."""

from __future__ import annotations

import yaml

from tests.conftest import REPO_ROOT


def _jobs() -> dict[str, list[dict[str, object]]]:
    workflow = yaml.safe_load((REPO_ROOT / ".github/workflows/ssot.yml").read_text(encoding="utf-8"))
    return {name: job["steps"] for name, job in workflow["jobs"].items()}


def test_the_workflow_annotates_drift_with_the_action_and_runs_the_test_suite() -> None:
    steps = [step for job in _jobs().values() for step in job]
    (action,) = [step for step in steps if step.get("uses") == "./"]
    action_inputs = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    assert dict(action.get("with") or {}).get("format", action_inputs["format"]["default"]) == "github"
    assert "make test" in [step.get("run") for step in steps]
    assert (REPO_ROOT / ".ci/run").read_text(encoding="utf-8").rstrip().endswith("make test")


def test_make_test_checks_drift_before_any_site_build() -> None:
    """CI (.ci/run -> make test) runs `ssot check` on the repository before pytest, whose tests build the site:
    a site built from stale generated pages never passes for a good one."""
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    commands = [line.strip() for line in recipe]
    pytest_run = next(i for i, c in enumerate(commands) if "$(BIN)/python -m pytest " in c)
    assert commands.index("$(BIN)/ssot check") < pytest_run, commands
    assert not [c for c in commands[: commands.index("$(BIN)/ssot check")] if "mkdocs" in c]
