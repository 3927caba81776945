"""The state key every page shows for a layer instance, against the backend block of the root it plans in.

`state_key` (or its default) is what the pages, envs/README.md and `ssot describe` say the state is named;
a root's `terraform { backend "s3" { key = "..." } }` is what Terraform uses. When the backend sets that
name in the root's files (not at `terraform init` with -backend-config, not through Terragrunt), the two
must agree, or the docs state a fact that is not true.
"""

from __future__ import annotations

from compiler import codes
from compiler.core.facts import Facts
from compiler.core.layers import LayerInstance
from compiler.findings import Finding
from compiler.formats.terraform_backend import STATE_SETTING, Backend, backend_of
from compiler.io.snapshot import LayerTerraform, Snapshot


def check_state_keys(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    instances = {(i.layer_id, i.env): i for i in facts.shared}
    instances.update({(i.layer_id, i.env): i for env in facts.environments for i in env.layers})
    envs = [env.name for env in facts.environments]
    differing: dict[tuple[str, int], tuple[Backend, str, list[LayerInstance]]] = {}
    for root in snapshot.terraform:
        if root.at[-1] not in ("terraform_dir", 0):
            continue  # the root it plans in is its first; the others only trigger autoplan
        found = _backend(root)
        state = None if found is None else found[1].state
        if found is None or state is None:
            continue
        path, backend = found
        line, name = state
        scope = [root.env] if root.env is not None or root.layer.scope == "shared" else envs
        for env in scope:
            instance = instances.get((root.layer_id, env))
            if instance is not None and instance.state_key != name:
                differing.setdefault((path, line), (backend, name, []))[2].append(instance)
    return [_finding(facts, path, line, *found) for (path, line), found in sorted(differing.items())]


def _backend(root: LayerTerraform) -> tuple[str, Backend] | None:
    """The backend block of a root's files (Terraform allows one), with the file it is in."""
    for path, text in sorted((root.module.files or {}).items()):
        backend = backend_of(text)
        if backend is not None:
            return root.module.real(path), backend
    return None


def _finding(facts: Facts, path: str, line: int, backend: Backend, name: str, shown: list[LayerInstance]) -> Finding:
    layer = shown[0].layer_id
    keys = sorted({instance.state_key for instance in shown})
    written, at, _ = facts.locate(("layers", layer, "state_key"))
    where = f"layers.{layer}.state_key, line {at}" if written else f"the default of layers.{layer}.state_key"
    said = f"the state key {keys[0]!r}" if len(keys) == 1 else f"the state keys {', '.join(map(repr, keys))}"
    setting = STATE_SETTING[backend.type]
    return Finding(
        path,
        line,
        f"the {backend.type} backend's {setting} is {name!r}, but the docs give layer {layer} {said} ({where})",
        code=codes.STATE_KEY,
        expected=keys[0] if len(keys) == 1 else None,
        found=name,
        fix=f"set state_key of {layer} in ssot/env.yaml to what the backend says ({{env}} where the environment "
        f"goes), or change {setting} here",
    )
