"""tfvars examples (envs/<env>.tfvars.example, and a shared tfvars file's): HCL written by hand, in
`terraform fmt` layout (aligned `=`)."""

from __future__ import annotations

import json
import re

from compiler.core.facts import EnvironmentFacts, Facts, SharedTfvarsFacts
from compiler.core.model import TfvarsValue

#: How every generated tfvars example starts; a file that starts so is ours to rewrite or delete.
GENERATED_HEADER_START = "# Generated from ssot/env.yaml by `ssot build`."
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def render_tfvars_example(facts: Facts, env: EnvironmentFacts) -> str:
    return _example(facts, env.var_file, env.tfvars)


def render_shared_tfvars_example(facts: Facts, shared: SharedTfvarsFacts) -> str:
    return _example(facts, shared.files.file, shared.tfvars)


def _example(facts: Facts, var_file: str, tfvars: dict[str, TfvarsValue]) -> str:
    sensitive = [name for name, v in facts.ssot.variables.items() if v.sensitive]
    lines = [
        f"{GENERATED_HEADER_START} Do not edit by hand.",
        f"# Template for {var_file}: copy it there and adjust; real tfvars files stay out of git.",
    ]
    if sensitive:
        lines.append(f"# Sensitive variables are never written to tfvars: {', '.join(sensitive)}.")
    lines.append("")
    width = max((len(name) for name in tfvars), default=0)
    lines.extend(f"{name.ljust(width)} = {hcl_value(value)}" for name, value in tfvars.items())
    return "\n".join(lines) + "\n"


def hcl_value(value: TfvarsValue) -> str:
    """A value as an HCL expression, on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(item) for item in value) + "]"
    if not value:
        return "{}"
    items = ", ".join(f"{_key(k)} = {hcl_value(v)}" for k, v in value.items())
    return "{ " + items + " }"


def hcl_string(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    # ${ and %{ start template sequences in HCL; doubling the sigil makes them literal.
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _key(key: str) -> str:
    return key if _IDENTIFIER.fullmatch(key) else hcl_string(key)
