"""Domain rules the schema cannot say: each returns `Violation`s naming the path they are about.

Every rule here was a real incident in a repository like the seed's (see DESIGN.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.core.layers import layer_instances
from compiler.core.layout_settings import layout_of, per_env_layer_ids, shared_values
from compiler.core.model import ENVIRONMENT_FIELDS, Ssot
from compiler.core.rules_tooling import managed_by_rules, terraform_dir_rules
from compiler.core.secret_shapes import secret_reason, secret_word
from compiler.core.violation import Violation, placeholders, tfvars_value

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
_PATTERN_FIELDS = ("namespace", "workspace", "atlantis_project", "state_key")


def check_rules(ssot: Ssot) -> list[Violation]:
    """Every domain-rule violation in `ssot`, in a stable order."""
    patterns = list(_layer_patterns(ssot))
    # A pattern without (or with a stray) {env} collides with itself in every environment; say it once.
    broken = {v.path for v in patterns}
    produced = [v for v in _produced_names(ssot) if v.path not in broken]
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
    for name, env in ssot.environments.items():
        for field in ("base_domain", "internal_domain"):
            value = getattr(env, field)
            if value is not None and not is_hostname(value):
                yield Violation(("environments", name, field), f"{field} {value!r} is not a valid host name")
        if env.env_prefix and not DNS_LABEL.fullmatch(env.env_prefix):
            yield Violation(
                ("environments", name, "env_prefix"),
                f"env_prefix {env.env_prefix!r} must be empty or a DNS-1123 label (lowercase letters, digits and '-')",
            )


def _layer_patterns(ssot: Ssot) -> Iterator[Violation]:
    for layer_id, layer in ssot.layers.items():
        for field in _PATTERN_FIELDS:
            pattern = getattr(layer, field)
            if pattern is not None:
                yield from placeholders(("layers", layer_id, field), field, pattern, layer_id, layer.scope)


def _produced_names(ssot: Ssot) -> Iterator[Violation]:
    """Names that must be unique across every layer in every environment (expanded patterns)."""
    seen: dict[tuple[str, str], str] = {}
    for instance in layer_instances(ssot):
        where = instance.layer_id if instance.env is None else f"{instance.layer_id} in {instance.env}"
        produced = {
            "namespace": instance.namespace,
            "atlantis_project": instance.atlantis_project,
            "state": f"{instance.workspace}:{instance.state_key}",
        }
        for field, name in produced.items():
            if name is None:
                continue
            path = ("layers", instance.layer_id, "state_key" if field == "state" else field)
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
                what = "Terraform state (workspace:key)" if field == "state" else field
                hint = ""
                if field == "state" and instance.layer.state_key is None:
                    hint = "; the default state key comes from the layer's name: rename the layer or set state_key"
                yield Violation(path, f"{what} {name!r} is produced twice: by {first} and by {where}{hint}")


def _length_if_too_long(name: str) -> str:
    return f", {len(name)} characters" if len(name) > 63 else ""


def _variables(ssot: Ssot) -> Iterator[Violation]:
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
        if name in ENVIRONMENT_FIELDS and variable.type != "string":
            yield Violation(
                (*path, "type"),
                f"variable {name!r} takes its value from each environment's "
                f"{'name' if name == 'environment' else name}, which is text: its type is string",
            )
        if variable.sensitive and name in ENVIRONMENT_FIELDS:
            yield Violation(
                (*path, "sensitive"),
                f"variable {name!r} is sensitive, but every environment writes it to its tfvars",
            )
    shared = {name for values in shared_values(ssot.layout).values() for name in values}
    for env_name, env in ssot.environments.items():
        for key, value in env.values.items():
            value_path = ("environments", env_name, "values", key)
            declared = ssot.variables.get(key)
            if key in ENVIRONMENT_FIELDS:
                yield Violation(
                    value_path, f"{key!r} is set by the environment's own field, not under values", at_key=True
                )
            elif (wrong := tfvars_value(value_path, key, value, declared)) is not None:
                yield wrong
        for key, variable in ssot.variables.items():
            if variable.needs_value and key not in ENVIRONMENT_FIELDS and key not in shared and key not in env.values:
                yield Violation(
                    ("environments", env_name),
                    f"environment {env_name!r} sets no value for required variable {key!r}: "
                    f"set it under environments.{env_name}.values (or mark the variable required: false)",
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
