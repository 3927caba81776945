"""`ssot describe`: the compiled facts as one stable, versioned JSON document (for CI matrices), or a table.

The document (`"schema": "ssot-describe/1"`; README.md documents every field):

- `environments`: in promotion order, each with its title, var-file and domains;
- `layers`: the layers as declared (id, name, scope, managed_by, terraform_dir patterns);
- `instances`: every layer instance, shared layers first (`env` null), then per environment in layer
  order, with its namespace, workspace, Atlantis project, state key, var-file, Terraform roots and domains;
- `shared_layers`: the ids of the shared layers (their one instance each is in `instances`).

Within a schema version, fields are only added, never renamed or removed; a value that does not apply is
null, never a missing key. Pure: facts in, data out.
"""

from __future__ import annotations

from typing import Any

from compiler.core.facts import EnvironmentFacts, Facts, LayerInstance
from compiler.render.atlantis import roots

SCHEMA = "ssot-describe/1"

#: The columns of `--format text`: (heading, key of an instance record).
_COLUMNS = (
    ("LAYER", "layer"),
    ("ENV", "env"),
    ("NAMESPACE", "namespace"),
    ("WORKSPACE", "workspace"),
    ("ATLANTIS PROJECT", "atlantis_project"),
    ("STATE KEY", "state_key"),
    ("VAR-FILE", "var_file"),
)


def describe(facts: Facts) -> dict[str, Any]:
    """The document `ssot describe --format json` prints."""
    environments = {env.name: env for env in facts.environments}
    instances = [*facts.shared, *(instance for env in facts.environments for instance in env.layers)]
    return {
        "schema": SCHEMA,
        "environments": [environment_record(env) for env in facts.environments],
        "layers": [
            {
                "id": layer_id,
                "name": layer.name,
                "scope": layer.scope,
                "managed_by": layer.managed_by,
                "terraform_dirs": list(layer.terraform_dirs),
            }
            for layer_id, layer in facts.ssot.layers.items()
        ],
        "instances": [instance_record(i, environments.get(i.env) if i.env else None) for i in instances],
        "shared_layers": [instance.layer_id for instance in facts.shared],
    }


def environment_record(env: EnvironmentFacts) -> dict[str, Any]:
    return {
        "name": env.name,
        "title": env.title,
        "var_file": env.var_file,
        "domains": _domains(env),
    }


def instance_record(instance: LayerInstance, env: EnvironmentFacts | None) -> dict[str, Any]:
    """One layer instance; `id` is `LAYER` for a shared layer, `LAYER/ENV` for a per-env one (unique)."""
    return {
        "id": instance.layer_id if instance.env is None else f"{instance.layer_id}/{instance.env}",
        "layer": instance.layer_id,
        "name": instance.layer.name,
        "scope": instance.layer.scope,
        "env": instance.env,
        "managed_by": instance.layer.managed_by,
        "namespace": instance.namespace,
        "workspace": instance.workspace,
        "atlantis_project": instance.atlantis_project,
        "state_key": instance.state_key,
        "var_file": instance.var_file,
        "terraform_dirs": roots(instance),
        "domains": None if env is None else _domains(env),
    }


def _domains(env: EnvironmentFacts) -> dict[str, str | None] | None:
    """The environment's domains (null without any; `internal`/`env_prefix` null when it has none)."""
    domains = env.domains
    if domains is None:
        return None
    return {
        "base": domains.base,
        "internal": domains.internal,
        "env_prefix": domains.env_prefix,
        "business": domains.business,
        "platform": domains.platform,
    }


def describe_text(document: dict[str, Any]) -> list[str]:
    """`ssot describe --format text`: the environments, then one aligned row per layer instance."""
    lines = [f"schema {document['schema']}", "", "environments:"]
    for env in document["environments"]:
        domains = env["domains"]
        where = f"business {domains['business']}, platform {domains['platform']}, " if domains else ""
        lines.append(f"  {env['name']} ({env['title']}): {where}var-file {env['var_file'] or '-'}")
    rows = [[heading for heading, _ in _COLUMNS]]
    rows += [[str(record[key] or "-") for _, key in _COLUMNS] for record in document["instances"]]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_COLUMNS))]
    lines += ["", "layer instances:"]
    lines += ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return lines
