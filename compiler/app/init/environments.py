"""Which environments a repository has (pure), on evidence only: Terraform workspaces of its projects,
env-named directories (`infra/environments/dev`, `envs/staging/data`, `live/prod/app`), the names of its
Atlantis/Digger projects (`data-dev`, `data-prod`) and of its tfvars files (`envs/prod.tfvars`).

Never a placeholder: a repository with no such evidence has one environment, Terraform's `default`
workspace, which every root then runs in.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from compiler.app.init.inputs import Inputs
from compiler.core.layout import TFVARS_DIR
from compiler.core.rules import DNS_LABEL

#: Names teams give environments, in the usual promotion order; other names follow, in the order found.
KNOWN = (
    "dev",
    "development",
    "sandbox",
    "test",
    "testing",
    "qa",
    "int",
    "integration",
    "demo",
    "perf",
    "stage",
    "staging",
    "stg",
    "preprod",
    "pre-prod",
    "uat",
    "prod",
    "production",
    "prd",
)
#: Directories whose children are environments (infra/environments/dev, envs/prod/data, live/prod/app).
CONTAINERS = frozenset({"environments", "environment", "envs", "env", "stages", "live", "deployments"})
#: Containers named for environments alone (live/ and deployments/ may hold components too).
_NAMED_FOR_ENVIRONMENTS = frozenset({"environments", "environment", "envs", "env", "stages"})
#: Words that say a folder or file is shared by the environments, never one of them.
_NOT_AN_ENV = frozenset(
    {"shared", "common", "global", "modules", "module", "base", "templates", "template", "bootstrap", "terraform"}
)
DEFAULT_WORKSPACE = "default"


def environments_of(inputs: Inputs) -> tuple[list[str], list[str]]:
    """The environments, in promotion order, and where each kind of evidence came from (for the report)."""
    found: dict[str, str] = {}

    def add(names: Iterable[str], source: str) -> None:
        for name in names:
            if DNS_LABEL.fullmatch(name) and not _shared_word(name) and name != DEFAULT_WORKSPACE:
                found.setdefault(name, source)

    add((p.workspace for p in inputs.projects), "Terraform workspaces")
    modules = inputs.module_dirs()
    paths = [r for r in inputs.roots if r not in modules and "modules" not in r.split("/")]
    paths += [p.dir for p in inputs.projects]
    add(_env_segments([p.split("/") for p in paths]), "env-named directories")
    add(_env_segments([re.split(r"[-_]", p.name) for p in inputs.projects], containers=False), "project names")
    add(_tfvars_names(inputs), "tfvars file names")
    names = list(found)
    ordered = sorted(names, key=lambda n: (KNOWN.index(n) if n in KNOWN else len(KNOWN), names.index(n)))
    return ordered, list(dict.fromkeys(found[n] for n in ordered))


def _shared_word(name: str) -> bool:
    return any(word in _NOT_AN_ENV for word in re.split(r"[-_.]", name))


def _env_segments(split: list[list[str]], *, containers: bool = True) -> list[str]:
    """Parts that name an environment: a container's child (envs/<env>; under live/ or deployments/, which
    also hold components, only beside a known name), or a known name that varies between paths otherwise
    alike (infra/dev and infra/prod; data-dev and data-prod), or a whole name."""
    found: list[str] = []
    families: dict[tuple[int, tuple[str, ...]], set[str]] = {}
    children: dict[tuple[str, ...], list[str]] = {}
    for parts in split:
        for index, part in enumerate(parts):
            if containers and index > 0 and parts[index - 1] in CONTAINERS:
                children.setdefault(tuple(parts[:index]), []).append(part)
            elif part in KNOWN:
                rest = (*parts[:index], "{env}", *parts[index + 1 :])
                families.setdefault((index, rest), set()).add(part)
        if not containers and len(parts) == 1 and parts[0] in KNOWN:
            found.append(parts[0])
    for container, names in children.items():
        if container[-1] in _NAMED_FOR_ENVIRONMENTS or any(name in KNOWN for name in names):
            found += names
    found += [name for names in families.values() if len(names) > 1 for name in sorted(names, key=KNOWN.index)]
    return found


def _tfvars_names(inputs: Inputs) -> list[str]:
    """`prod` of envs/prod.tfvars and envs/prod.tfvars.example; of vars/prod.tfvars when its name is a known
    environment's, or its folder holds the tfvars of several (terraform.tfvars and *.auto.tfvars are no
    environment's; backend.tfvars neither)."""
    by_folder: dict[str, list[str]] = {}
    for file in inputs.tfvars:
        folder, name = posixpath.split(file.path)
        stem = name.removesuffix(".example").removesuffix(".tfvars")
        if "." not in stem and stem not in ("terraform", "backend"):
            by_folder.setdefault(folder, []).append(stem)
    found = []
    for folder, stems in by_folder.items():
        several = len(set(stems)) > 1
        for stem in stems:
            if folder == TFVARS_DIR or stem in KNOWN or several or posixpath.basename(folder) in CONTAINERS:
                found.append(stem)
    return found
