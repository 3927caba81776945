"""Domain rules the schema cannot say: each returns `Violation`s naming the path they are about.

Every rule here was a real incident in a repository like the seed's (see DESIGN.md).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from compiler.core.env_values import LEGACY_DOMAIN_FIELDS, environment_values
from compiler.core.layers import LayerInstance, expand, layer_instances
from compiler.core.layout_settings import layout_of, per_env_layer_ids, shared_values
from compiler.core.model import ENV_PLACEHOLDER, ENVIRONMENT_FIELDS, Ssot
from compiler.core.rules.tooling import managed_by_rules, terraform_dir_rules
from compiler.core.violation import Violation, placeholders, tfvars_value
from compiler.formats.yaml_walk import Path
from compiler.secrets.shapes import secret_reason, secret_word

DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_HOST_LABEL = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?")
#: A Terraform identifier (a variable name, a tfvars attribute): ASCII letters, digits, '_' and '-', not
#: starting with a digit or '-'. Anything else would make a generated tfvars line that is not `name = value`.
TERRAFORM_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: Names Terraform reserves, which no `variable` block may take.
_RESERVED_VARIABLES = frozenset(
    {"source", "version", "providers", "count", "for_each", "lifecycle", "depends_on", "locals"}
)
#: A layer id is shown in tables, headings, the diagram and messages: a short word, no markup.
_LAYER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
_PATTERN_FIELDS = ("namespace", "workspace", "atlantis_project", "digger_project", "state_key")


def check_rules(ssot: Ssot) -> list[Violation]:
    """Every domain-rule violation in `ssot`, in a stable order."""
    patterns = list(_layer_patterns(ssot))
    # A pattern without (or with a stray) {env} collides with itself in every environment; say it once.
    broken = {v.path for v in patterns}
    instances = list(layer_instances(ssot))
    produced = [v for v in (*_produced_names(instances), *_roots_planned_twice(instances)) if v.path not in broken]
    return [
        *_layer_ids(ssot),
        *_environment_names(ssot),
        *_domains(ssot),
        *patterns,
        *managed_by_rules(ssot),
        *terraform_dir_rules(ssot),
        *produced,
        *_variables(ssot),
        *_secrets(ssot),
    ]


def is_hostname(name: str) -> bool:
    labels = name.split(".")
    return len(name) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def _layer_ids(ssot: Ssot) -> Iterator[Violation]:
    for layer_id in ssot.layers:
        if not _LAYER_ID.fullmatch(layer_id):
            yield Violation(
                ("layers", layer_id),
                "a layer id is letters, digits, '-', '_' and '.', starting with a letter or digit, at most 63 "
                "characters (such as L1): it names the layer in tables, headings and the diagram",
                at_key=True,
            )


def _environment_names(ssot: Ssot) -> Iterator[Violation]:
    titles: dict[str, str] = {}
    for name, env in ssot.environments.items():
        if not DNS_LABEL.fullmatch(name):
            yield Violation(
                ("environments", name),
                f"environment name {name!r} is not a DNS-1123 label "
                "(lowercase letters, digits and '-', at most 63 characters, starting and ending alphanumeric)",
                at_key=True,
            )
        title = env.title or name.capitalize()
        if title in titles:
            yield Violation(
                ("environments", name, "title"), f"title {title!r} is already used by environment {titles[title]!r}"
            )
        titles.setdefault(title, name)


def _domains(ssot: Ssot) -> Iterator[Violation]:
    """The domain conventions: base_domain and internal_domain are host names, env_prefix a DNS label or
    empty, wherever an environment writes them as its own legacy fields, and as its values when they
    describe domains (a text base_domain): without one, a repository's `env_prefix` is its own value, such
    as `staging-` glued before host names, and no convention of ours applies to it."""
    for name, env in ssot.environments.items():
        written: list[tuple[str, object, Path]] = [
            (f, getattr(env, f), ("environments", name, f)) for f in LEGACY_DOMAIN_FIELDS
        ]
        if isinstance(env.values.get("base_domain", env.base_domain), str):
            written += [(f, env.values.get(f), ("environments", name, "values", f)) for f in LEGACY_DOMAIN_FIELDS]
        for field, value, path in written:
            if not isinstance(value, str):
                continue  # absent, or of another type (reported against the variable's declared type)
            if field != "env_prefix" and not is_hostname(value):
                yield Violation(path, f"{field} {value!r} is not a valid host name")
            elif field == "env_prefix" and value and not DNS_LABEL.fullmatch(value):
                yield Violation(
                    path,
                    f"env_prefix {value!r} must be empty or a DNS-1123 label (lowercase letters, digits and '-')",
                )


def _layer_patterns(ssot: Ssot) -> Iterator[Violation]:
    for layer_id, layer in ssot.layers.items():
        # one directory per environment: the root it plans in (its first; the others only trigger autoplan)
        # tells the environments apart, so one workspace (default) and one state key serve them all
        dir_per_env = bool(layer.terraform_dirs) and ENV_PLACEHOLDER in layer.terraform_dirs[0]
        for field in _PATTERN_FIELDS:
            pattern = getattr(layer, field)
            if pattern is not None:
                # the state is one per workspace: a key without `{env}` is told apart by an `{env}` workspace
                by_workspace = field == "state_key" and ENV_PLACEHOLDER in (layer.workspace or ENV_PLACEHOLDER)
                optional = (dir_per_env and field in ("workspace", "state_key")) or by_workspace
                yield from placeholders(
                    ("layers", layer_id, field), field, pattern, layer_id, layer.scope, env_optional=optional
                )


def _produced_names(instances: list[LayerInstance]) -> Iterator[Violation]:
    """Names that must be unique across every layer in every environment (expanded patterns)."""
    seen: dict[tuple[str, str], str] = {}
    for instance in instances:
        where = instance.layer_id if instance.env is None else f"{instance.layer_id} in {instance.env}"
        layer = instance.layer
        # the root it plans in: its first (the others only trigger autoplan, and may be shared)
        dirs = [
            posixpath.normpath(d if instance.env is None else expand(d, instance.env)) for d in layer.terraform_dirs[:1]
        ]
        state = ("state", f"{instance.workspace}:{instance.state_key}", "state_key")
        if dirs and instance.env is not None and layer.state_key and ENV_PLACEHOLDER not in layer.state_key:
            state = ("dir_state", f"{dirs[0]}:{state[1]}", "state_key")  # one directory per environment
        produced = [
            ("namespace", instance.namespace, "namespace"),
            ("atlantis_project", instance.atlantis_project, "atlantis_project"),
            ("digger_project", instance.digger_project, "digger_project"),
            state,
        ]
        for field, name, at in produced:
            if name is None:
                continue
            path = ("layers", instance.layer_id, at)
            # An invalid environment name is reported once, as itself, not again in every namespace.
            env_ok = instance.env is None or DNS_LABEL.fullmatch(instance.env)
            if field == "namespace" and env_ok and not DNS_LABEL.fullmatch(name):
                yield Violation(
                    path,
                    f"namespace {name!r} ({where}{_length_if_too_long(name)}) is not a DNS-1123 label "
                    "(lowercase letters, digits and '-', at most 63 characters)",
                )
            first = seen.setdefault((field, name), where)
            if first != where:
                what = _PRODUCED.get(field, field)
                hint = ""
                if field == "state" and layer.state_key is None:
                    hint = "; the default state key comes from the layer's name: rename the layer or set state_key"
                yield Violation(path, f"{what} {name!r} is produced twice: by {first} and by {where}{hint}")


#: How a message names what is produced twice.
_PRODUCED = {
    "state": "Terraform state (workspace:key)",
    "dir_state": "Terraform state (directory:workspace:key)",
}


def _roots_planned_twice(instances: list[LayerInstance]) -> Iterator[Violation]:
    """A layer in one directory per environment with one workspace (default) is told apart by its root
    alone: no other instance may plan in that root and workspace. (Layers that share a root with `{env}`
    workspaces, as before, are told apart by their state keys, which `_produced_names` holds unique.)"""
    seen: dict[str, tuple[str, bool]] = {}
    for instance in instances:
        layer = instance.layer
        if not layer.terraform_dirs:
            continue
        where = instance.layer_id if instance.env is None else f"{instance.layer_id} in {instance.env}"
        one_workspace = instance.env is not None and ENV_PLACEHOLDER not in (layer.workspace or ENV_PLACEHOLDER)
        # the root it plans in: its first (the others only trigger autoplan, and may be shared)
        root = posixpath.normpath(expand(layer.terraform_dirs[0], instance.env or ""))
        name = f"{root}:{instance.workspace}"
        first, first_one = seen.setdefault(name, (where, one_workspace))
        if first != where and (one_workspace or first_one):
            yield Violation(
                ("layers", instance.layer_id, "workspace" if layer.workspace else "terraform_dir"),
                f"Terraform root {root!r} in workspace {instance.workspace!r} is planned twice: by {first} and by "
                f"{where}; they would share one state",
            )


def _length_if_too_long(name: str) -> str:
    return f", {len(name)} characters" if len(name) > 63 else ""


def _variables(ssot: Ssot) -> Iterator[Violation]:
    # the variables whose values environments give as text of their own: their name, legacy domain fields
    # (a value under `values` is held to its variable's type and sensitivity like any other)
    from_fields = {"environment"} | {
        f for f in LEGACY_DOMAIN_FIELDS if any(getattr(env, f) is not None for env in ssot.environments.values())
    }
    if "base_domain" in from_fields:
        from_fields.add("internal_domain")  # which defaults to the base_domain field
    for name, variable in ssot.variables.items():
        path = ("variables", name)
        if not TERRAFORM_IDENTIFIER.fullmatch(name):
            yield Violation(
                path,
                "a variable name is a Terraform identifier: letters, digits, '_' and '-', not starting with a "
                "digit or '-' (such as env_prefix)",
                at_key=True,
            )
        elif name in _RESERVED_VARIABLES:
            yield Violation(path, f"Terraform reserves the name {name!r}: no variable may take it", at_key=True)
        if variable.default_from is not None and variable.default_from not in ssot.variables:
            yield Violation(
                (*path, "default_from"),
                f"default_from names {variable.default_from!r}, which is not a declared variable",
            )
        if name in from_fields and variable.type != "string":
            yield Violation(
                (*path, "type"),
                f"variable {name!r} takes its value from each environment's "
                f"{'name' if name == 'environment' else name}, which is text: its type is string",
            )
        if variable.sensitive and name in from_fields:
            yield Violation(
                (*path, "sensitive"),
                f"variable {name!r} is sensitive, but every environment writes it to its tfvars",
            )
    shared = {name for values in shared_values(ssot.layout).values() for name in values}
    for env_name, env in ssot.environments.items():
        for key, value in env.values.items():
            value_path = ("environments", env_name, "values", key)
            declared = ssot.variables.get(key)
            if key == "environment":
                yield Violation(value_path, "'environment' is the environment's name, not a value", at_key=True)
            elif key in ENVIRONMENT_FIELDS and getattr(env, key) is not None:
                yield Violation(
                    value_path,
                    f"{key!r} is set twice: as environments.{env_name}.{key} and under values; keep it under values",
                    at_key=True,
                )
            elif (wrong := tfvars_value(value_path, key, value, declared)) is not None:
                yield wrong
        has = environment_values(ssot, env_name, env)
        for key, variable in ssot.variables.items():
            if variable.needs_value and key not in shared and key not in has:
                yield Violation(
                    ("environments", env_name),
                    f"environment {env_name!r} sets no value for required variable {key!r}: set it as "
                    f"environments.{env_name}.values.{key} in ssot/env.yaml (or make it required: false, "
                    "or injected: true if CI sets it)",
                    at_key=True,
                )


def _secrets(ssot: Ssot) -> Iterator[Violation]:
    """Secrets stay out of this file and the tfvars examples it writes: a secret variable is sensitive."""
    for name, variable in ssot.variables.items():
        word = secret_word(name)
        # a number or a bool (token_ttl, enable_password_auth) holds no secret
        if word is not None and not variable.sensitive and variable.type not in ("number", "bool"):
            yield Violation(
                ("variables", name),
                f"variable {name!r} looks like a secret (its name says {word}): mark it sensitive: true, "
                f"so that no tfvars file holds it (set it another way: TF_VAR_{name} from CI)",
                at_key=True,
            )
    layout = layout_of(ssot.layout, per_env_layer_ids(ssot.layers))
    for env_name, env in ssot.environments.items():
        for key, value in env.values.items():
            declared = ssot.variables.get(key)
            if declared is not None and declared.sensitive:
                continue  # reported as a sensitive variable with a value
            reason = secret_reason(key, value)
            if reason is not None:
                yield Violation(
                    ("environments", env_name, "values", key),
                    f"the value of {key!r} looks like a secret ({reason}); it would be committed here and in "
                    f"{layout.example_file(env_name) or 'the tfvars examples'}: remove it, mark {key!r} sensitive: true and set it another way "
                    f"(TF_VAR_{key} from CI)",
                )
