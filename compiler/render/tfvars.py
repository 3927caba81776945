"""tfvars examples (envs/<env>.tfvars.example, and a shared tfvars file's): HCL written by hand, in
`terraform fmt` layout (aligned `=`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from compiler.core.facts import EnvironmentFacts, EnvTfvarsFacts, Facts, SharedTfvarsFacts
from compiler.core.model import TfvarsValue
from compiler.render.trace import Path, is_tracing, sourced

#: How every generated tfvars example starts; a file that starts so is ours to rewrite or delete.
GENERATED_HEADER_START = "# Generated from ssot/env.yaml by `ssot build`."
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: What json.dumps(ensure_ascii=False) escapes in a string (text without any is written as it is)
_JSON_ESCAPED = re.compile(r'[\x00-\x1f\\"]')


def render_tfvars_example(facts: Facts, env: EnvironmentFacts, file: EnvTfvarsFacts | None = None) -> str:
    """The example of one of an environment's tfvars files (its first when `file` is None)."""
    file = file or env.tfvars_files[0]
    return _example(facts, file.var_file, file.tfvars, lambda name: tfvars_source(env, name), file.files.committed)


def render_shared_tfvars_example(facts: Facts, shared: SharedTfvarsFacts) -> str:
    return _example(
        facts,
        shared.files.file,
        shared.tfvars,
        lambda name: shared_tfvars_source(facts, shared, name),
        shared.files.committed,
    )


def _example(
    facts: Facts,
    var_file: str,
    tfvars: dict[str, TfvarsValue],
    source: Callable[[str], Path],
    committed: bool = False,
) -> str:
    sensitive = [name for name, v in facts.ssot.variables.items() if v.sensitive]
    kept = (
        f"# What {var_file} (committed) holds, as ssot/env.yaml states it."
        if committed
        else (f"# Template for {var_file}: copy it there and adjust; real tfvars files stay out of git.")
    )
    lines = [f"{GENERATED_HEADER_START} Do not edit by hand.", kept]
    if sensitive:
        lines.append(f"# Sensitive variables are never written to tfvars: {', '.join(sensitive)}.")
    lines.append("")
    width = max((len(name) for name in tfvars), default=0)
    if is_tracing():
        lines += [sourced(f"{name.ljust(width)} = {hcl_value(v)}", *source(name)) for name, v in tfvars.items()]
    else:  # every example of every environment, three times a run (its file, its page, env.md): no sources
        lines += [f"{name.ljust(width)} = {hcl_value(v)}" for name, v in tfvars.items()]
    return "\n".join(lines) + "\n"


def tfvars_source(env: EnvironmentFacts, name: str) -> Path:
    """Where environment `env`'s value of tfvars variable `name` is written in ssot/env.yaml."""
    return env.sources.get(name, ("environments", env.name, "values", name))


def shared_tfvars_source(facts: Facts, shared: SharedTfvarsFacts, name: str) -> Path:
    """Where a shared tfvars file's value of `name` is written: under its entry of `layout.tfvars`."""
    entries = facts.ssot.layout.tfvars if facts.ssot.layout else []
    index = next((n for n, entry in enumerate(entries) if entry.file == shared.files.file), None)
    return ("layout", "tfvars", index, "values", name) if index is not None else ("layout", "tfvars")


def hcl_value(value: TfvarsValue) -> str:
    """A value as an HCL expression, on one line."""
    if isinstance(value, str):  # most values
        return hcl_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)  # as json.dumps writes it
    if isinstance(value, float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(item) for item in value) + "]"
    if not value:
        return "{}"
    items = ", ".join(f"{_key(k)} = {hcl_value(v)}" for k, v in value.items())
    return "{ " + items + " }"


def hcl_string(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)[1:-1] if _JSON_ESCAPED.search(text) else text
    # ${ and %{ start template sequences in HCL; doubling the sigil makes them literal.
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _key(key: str) -> str:
    return key if _IDENTIFIER.fullmatch(key) else hcl_string(key)
