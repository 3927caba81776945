"""The environment fields a model still asks of every environment (pure).

While the model requires fields of an environment's own (base_domain, env_prefix), a tfvars value of such
a name is drafted as the field, and a required field no tfvars file states gets a placeholder marked
`# TODO review`. Once an environment needs only its name (domains are ordinary values; the fields, if the
model keeps them, are for older files), every value is drafted under `values` and nothing is invented:
the draft follows whichever model this package is built with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from compiler.app.init.contract import Value
from compiler.core.model import ENVIRONMENT_FIELDS, Environment
from compiler.core.rules import DNS_LABEL, is_hostname

#: The environment's own fields in this model while it requires some (else none: a model that keeps them
#: only for older files wants every value under `values`), and the placeholder a required one gets.
_FIELDS = {name: Environment.model_fields[name] for name in ENVIRONMENT_FIELDS if name in Environment.model_fields}
_OWN = _FIELDS if any(field.is_required() for field in _FIELDS.values()) else {}
#: The names drafted as an environment's own fields, never under its values.
OWN_FIELDS = frozenset(_OWN)
_PLACEHOLDER = {"base_domain": "example.com", "internal_domain": "example.com", "env_prefix": ""}


def own_field_lines(values: Mapping[str, Value], review: list[str]) -> list[str]:
    """The lines of one environment's own fields, from its stated values."""
    lines = []
    for name, field in _OWN.items():
        value = values.get(name)
        if value is not None and value.stated and _valid(name, value.value):
            lines.append(f"    {name}: {json.dumps(value.value)}")
        elif field.is_required():
            lines.append(f"    {name}: {json.dumps(_PLACEHOLDER.get(name, 'TODO'))}  # TODO review")
            note = f"{name} not found in a tfvars file is a placeholder"
            if note not in review:
                review.append(note)
    return lines


def _valid(name: str, value: object) -> bool:
    if not isinstance(value, str):
        return False
    if name == "env_prefix":
        return value == "" or DNS_LABEL.fullmatch(value) is not None
    return is_hostname(value)
