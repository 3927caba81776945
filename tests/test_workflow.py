"""The GitHub workflow runs what the README promises: annotated drift check, then make test."""

from __future__ import annotations

import yaml

from tests.conftest import REPO_ROOT


def _steps() -> dict[str, list[str]]:
    workflow = yaml.safe_load((REPO_ROOT / ".github/workflows/ssot.yml").read_text(encoding="utf-8"))
    return {name: [step.get("run", "") for step in job["steps"]] for name, job in workflow["jobs"].items()}


def test_the_workflow_annotates_drift_and_runs_the_test_suite() -> None:
    runs = [run for job in _steps().values() for run in job]
    assert ".venv/bin/ssot check --format github" in runs
    assert "make test" in runs
    assert (REPO_ROOT / ".ci/run").read_text(encoding="utf-8").rstrip().endswith("make test")
