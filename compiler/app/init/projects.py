"""The projects of atlantis.yaml and digger.yml as `ssot init` takes them (pure): name, dir, workspace,
workflow, Terraform version, and digger's `terragrunt`, exactly as the file states them."""

from __future__ import annotations

import posixpath
from typing import Any

from compiler.app.init.inputs import Orchestrator, Project


def projects_of(data: Any, orchestrator: Orchestrator) -> tuple[list[Project], list[tuple[str, str]]]:
    """The projects of a parsed file, and (where, why) for each entry left out."""
    entries = data.get("projects") if isinstance(data, dict) else None
    found: list[Project] = []
    left_out: list[tuple[str, str]] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        if not isinstance(entry, dict) or not isinstance(entry.get("dir"), str):
            left_out.append((f"projects[{index}]", "it has no dir"))
            continue
        found.append(_project(entry, orchestrator))
    if isinstance(data, dict) and data.get("generate_projects"):
        # digger makes these from globs over the tree when it runs: only its listed projects are facts here
        left_out.append(("generate_projects", "the projects it generates are not read (the roots are)"))
    return found, left_out


def _project(entry: dict[str, Any], orchestrator: Orchestrator) -> Project:
    directory = posixpath.normpath(entry["dir"].strip("/")) if entry["dir"].strip("/") else "."

    def text(key: str) -> str | None:
        value = entry.get(key)
        return value if isinstance(value, str) and value else None

    workspace = text("workspace") or "default"
    # the model names every project: one the file leaves unnamed is named after where it runs
    made = directory.replace("/", "-") + ("" if workspace == "default" else f"-{workspace}")
    return Project(
        name=text("name") or made,
        named=text("name") is not None,
        dir=directory,
        workspace=workspace,
        workflow=text("workflow"),
        terraform_version=text("terraform_version"),
        orchestrator=orchestrator,
        terragrunt=entry.get("terragrunt") is True,
    )
