"""What `ssot init` reads of a repository (compiler/app/init/repository.py fills it in) and what it hands
back: plain data, so that the inference (shape.py, contract.py, draft.py) is pure and tested on its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from compiler.formats.terraform import TerraformVariable

Orchestrator = Literal["atlantis", "digger"]


@dataclass(frozen=True)
class Project:
    """One project of atlantis.yaml or digger.yml, as the file states it."""

    name: str
    dir: str
    workspace: str = "default"
    workflow: str | None = None
    terraform_version: str | None = None
    orchestrator: Orchestrator = "atlantis"
    #: digger's `terragrunt: true`: the directory is a Terragrunt unit
    terragrunt: bool = False
    #: whether the file names it (else `name` is made from its directory and workspace)
    named: bool = True


@dataclass(frozen=True)
class TfvarsFile:
    """A `*.tfvars` or `*.tfvars.example` file found in the repository."""

    path: str
    #: the values it sets; empty when it could not be parsed, or is a real file git does not track
    values: Mapping[str, Any] = field(default_factory=dict)
    #: git tracks it (a real file committed as the team's configuration)
    tracked: bool = False


@dataclass(frozen=True)
class Inputs:
    """What `ssot init` read of the repository (paths relative to its top, `/`-separated)."""

    #: the projects of atlantis.yaml and digger.yml, in the files' order
    projects: tuple[Project, ...] = ()
    #: the orchestrator files found (atlantis.yaml, digger.yml), even when they list no project
    project_files: tuple[str, ...] = ()
    #: the directories holding `*.tf` files, in the repository's order (numbers sort as numbers)
    roots: tuple[str, ...] = ()
    #: the directories holding a terragrunt.hcl (a Terragrunt unit: its Terraform comes from its source)
    terragrunt_units: frozenset[str] = frozenset()
    #: root -> its variables (merged as Terraform merges a module's files)
    variables: Mapping[str, Mapping[str, TerraformVariable]] = field(default_factory=dict)
    #: root -> the strings its .tf files assign to `namespace` (evidence of the layer's namespace)
    namespaces: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: root -> the name its backend block gives the state (S3's `key`), when its files set one
    states: Mapping[str, str] = field(default_factory=dict)
    #: root -> the directories its files link into (symlinks): shared modules, not layers of their own
    links: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: root -> the local directories it calls as a module (`source = "../data-shared"`)
    modules: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: every tfvars file and tfvars example, by path
    tfvars: tuple[TfvarsFile, ...] = ()
    #: the roots a CI workflow names (.github/workflows/*.yml, .gitlab-ci.yml): applied by CI, not by hand
    applied_by_ci: frozenset[str] = frozenset()
    #: MkDocs' docs_dir from the repository's mkdocs.yml (None: no mkdocs.yml), and that mkdocs.yml
    docs_dir: str | None = None
    mkdocs: str | None = None
    #: (path, why) for each file that could not be read or parsed: listed for review, nothing drafted from it
    unreadable: tuple[tuple[str, str], ...] = ()

    def module_dirs(self) -> frozenset[str]:
        """Every directory some root links into or calls as a module: modules, never layers."""
        return frozenset().union(*self.links.values(), *self.modules.values())


@dataclass(frozen=True)
class Draft:
    """The drafted ssot/env.yaml, what it took from the repository, and what a maintainer must review."""

    text: str
    inferred: list[str]
    review: list[str]
    #: the real tfvars files the draft says the layers read, `{env}` in per-env ones (git must ignore them)
    var_files: tuple[str, ...] = ()
    #: line (1-based) -> the environment and variable whose value it states, as a tfvars file gave it
    value_lines: Mapping[int, tuple[str, str]] = field(default_factory=dict)
