"""`ssot affected --base REF`: the environments, layer instances and Atlantis projects a change touches.

A change is measured from the commit REF names to the work tree (committed, staged, unstaged and new
untracked files alike). A layer instance is affected when

- a fact of it that reaches Terraform changed in ssot/env.yaml (compiled at REF from git, and now): its
  namespace, workspace, Atlantis project, state key, var-file, Terraform roots, scope, what manages it, or
  its environment's domains; or it is new;
- for a per-env instance, a tfvars value of its environment changed in ssot/env.yaml;
- a file under one of its Terraform roots changed (a root at the repository's top: a file directly in it);
- its var-file (`envs/<env>.tfvars`, when git sees it) changed.

A layer's name, components, descriptions and the decisions only reach the docs, so they affect no instance.
Instances and environments that REF has and the work tree no longer has are listed under `removed`.
Reading git is compiler/io/git.py's; the comparison here is pure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compiler.app.describe import describe
from compiler.core.facts import Facts, compile_text
from compiler.core.layout import SSOT_PATH
from compiler.errors import SsotError
from compiler.io import git
from compiler.io.repository import load_facts

SCHEMA = "ssot-affected/1"
#: Fields of a described instance or environment that only reach the docs: a change there affects nothing.
_COSMETIC = frozenset({"id", "name", "title"})
_ABSENT = object()


def affected(root: Path, base: str) -> dict[str, Any]:
    """The document `ssot affected --format json` prints. Raises SsotError when the SSOT in the work tree
    does not compile, git.GitTrouble when git cannot answer (both exit 2)."""
    after = load_facts(root)
    commit = git.base_commit(root, base)
    paths = git.changed_paths(root, commit)
    before: Facts | None = after
    before_note = ""
    if SSOT_PATH in paths:
        text = git.text_at(root, commit, SSOT_PATH)
        if text is None:
            before, before_note = None, f"{SSOT_PATH} is not at the base"
        else:
            try:
                before = compile_text(text, SSOT_PATH)
            except SsotError:
                before, before_note = None, f"{SSOT_PATH} at the base does not compile"
    document = compare(before, after, paths, before_note)
    return {"schema": SCHEMA, "base": {"ref": base, "commit": commit}, **document}


def compare(before: Facts | None, after: Facts, paths: list[str], before_note: str = "") -> dict[str, Any]:
    """What changed from `before` (None: unknown, so everything is new) to `after`, given the changed files."""
    old = describe(before) if before is not None else None
    new = describe(after)
    old_instances = {record["id"]: record for record in (old["instances"] if old else [])}
    old_envs = {record["name"]: record for record in (old["environments"] if old else [])}
    old_tfvars = {env.name: env.tfvars for env in before.environments} if before is not None else {}
    new_tfvars = {env.name: env.tfvars for env in after.environments}

    fed = _changed_files_by_instance(new["instances"], paths)
    instances = []
    for index, record in enumerate(new["instances"]):
        reasons = _instance_reasons(record, old_instances.get(record["id"]), old is None, before_note)
        if record["env"] is not None and old is not None and record["id"] in old_instances:
            reasons += _tfvars_reasons(old_tfvars.get(record["env"], {}), new_tfvars[record["env"]])
        reasons += [f"{path} changed" for path in fed.get(index, ())]
        if reasons:
            instances.append({**record, "reasons": reasons})

    touched = {record["env"] for record in instances if record["env"] is not None}
    environments = [
        env["name"] for env in new["environments"] if env["name"] in touched or _differs(env, old_envs.get(env["name"]))
    ]
    projects = [record["atlantis_project"] for record in instances if record["atlantis_project"]]
    new_ids = {record["id"] for record in new["instances"]}
    new_envs = {record["name"] for record in new["environments"]}
    return {
        "environments": environments,
        "instances": instances,
        "atlantis_projects": list(dict.fromkeys(projects)),
        "removed": {
            "environments": [name for name in old_envs if name not in new_envs],
            "instances": [record for key, record in old_instances.items() if key not in new_ids],
        },
    }


def _instance_reasons(record: dict[str, Any], old: dict[str, Any] | None, unknown: bool, note: str) -> list[str]:
    if unknown:
        return [f"new: {note}" if note else "new"]
    if old is None:
        return ["new layer instance"]
    return [
        f"{key} changed: {_shown(old.get(key))} -> {_shown(value)}"
        for key, value in record.items()
        if key not in _COSMETIC and old.get(key) != value
    ]


def _tfvars_reasons(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names only: a value is never printed (a tfvars value may be anything a maintainer wrote)."""
    names = [name for name in dict.fromkeys([*old, *new]) if old.get(name, _ABSENT) != new.get(name, _ABSENT)]
    return [f"tfvars value '{name}' changed in {SSOT_PATH}" for name in names]


def _differs(record: dict[str, Any], old: dict[str, Any] | None) -> bool:
    return old is None or any(old.get(key) != value for key, value in record.items() if key not in _COSMETIC)


def _changed_files_by_instance(records: list[dict[str, Any]], paths: list[str]) -> dict[int, list[str]]:
    """Index of an instance record -> the changed files that feed it: a file under one of its Terraform
    roots, or its var-file. Each path is looked up by its parent directories: linear in paths and roots."""
    feeding: dict[str, list[int]] = {}  # a root directory ("dir:...") or a var-file ("file:...") -> instances
    for index, record in enumerate(records):
        for root in record["terraform_dirs"]:
            feeding.setdefault(f"dir:{root}", []).append(index)
        if record["var_file"]:
            feeding.setdefault(f"file:{record['var_file']}", []).append(index)
    fed: dict[int, list[str]] = {}
    for path in paths:
        parts = path.split("/")
        # a root at the top holds only the files directly in it; any other root, everything below it too
        keys = [f"file:{path}", *(f"dir:{'/'.join(parts[:depth])}" for depth in range(1, len(parts)))]
        if len(parts) == 1:
            keys.append("dir:.")
        for index in sorted({index for key in keys for index in feeding.get(key, ())}):
            fed.setdefault(index, []).append(path)
    return fed


def _shown(value: Any) -> str:
    return "null" if value is None else value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def affected_text(document: dict[str, Any]) -> list[str]:
    """`ssot affected --format text`: each affected instance with its reasons, then the projects."""
    base = document["base"]
    lines = [f"base: {base['ref']} ({base['commit'][:12]})"]
    removed = document["removed"]
    if not document["instances"] and not document["environments"] and not any(removed.values()):
        return [*lines, "nothing affected"]
    lines.append(f"environments: {', '.join(document['environments']) or '-'}")
    lines.append("layer instances:")
    for record in document["instances"]:
        project = f" (Atlantis project {record['atlantis_project']})" if record["atlantis_project"] else ""
        lines.append(f"  {record['id']}{project}")
        lines += [f"    {reason}" for reason in record["reasons"]]
    if not document["instances"]:
        lines.append("  -")
    lines.append(f"atlantis projects: {', '.join(document['atlantis_projects']) or '-'}")
    if any(removed.values()):
        gone = [*removed["environments"], *(record["id"] for record in removed["instances"])]
        lines.append(f"removed: {', '.join(gone)}")
    return lines
