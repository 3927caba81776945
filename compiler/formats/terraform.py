"""A Terraform module's variables (pure): what the tfvars contract needs of each `variable` block, and what
Terraform makes of a literal that python-hcl2 serializes otherwise.

Parsing is compiler/formats/hcl.py's; this module merges the blocks of a module's files as Terraform does:
override files (`override.tf`, `*_override.tf`) last, their attributes replacing the original's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from compiler import codes
from compiler.errors import Problem, SsotError

#: Terraform's type keywords and constructors -> the SSOT's types; None: agrees with anything.
SSOT_TYPES: dict[str, str | None] = {
    "string": "string",
    "number": "number",
    "bool": "bool",
    "list": "list",
    "set": "list",
    "tuple": "list",
    "map": "map",
    "object": "object",
    "any": None,
}

#: A number as Terraform reads one from a string ("22", "-1.5", "1e3"); no hex, no blanks, no "inf".
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")

#: What makes a directory a Terragrunt unit: its Terraform comes from the source this file names.
TERRAGRUNT_CONFIG = "terragrunt.hcl"

#: The default of a variable whose block could not be read as data: compared with nothing.
UNREAD = object()


@dataclass(frozen=True)
class TerraformVariable:
    """One `variable` block, located at its `variable` keyword (file relative to the repository's top)."""

    name: str
    file: str
    line: int
    #: the type as written, shortened to its keyword or constructor (`set(...)`); None when not given
    type_written: str | None
    has_default: bool
    sensitive: bool
    #: the attributes the block sets (an override block replaces only those)
    written: frozenset[str] = frozenset()
    #: the default as data (None for `null` or none; UNREAD if unreadable); never printed: it may be a secret
    default: Any = field(default=None, compare=False, repr=False)
    #: the description, when it is a plain string (`ssot init` drafts the contract from it)
    description: str | None = field(default=None, compare=False, repr=False)

    @property
    def ssot_type(self) -> str | None:
        """The SSOT type this Terraform type stands for; None agrees with any; an unknown keyword stays as is."""
        if self.type_written is None:
            return None
        keyword = self.type_written.removesuffix("(...)")
        return SSOT_TYPES.get(keyword, keyword)


def module_variables(files: Mapping[str, Iterable[TerraformVariable]], directory: str) -> dict[str, TerraformVariable]:
    """The variables of the module in `directory`, by name, from each `*.tf` file's blocks (path -> blocks).

    Raises SsotError (invalid-terraform) for a variable declared twice outside an override file.
    """
    variables: dict[str, TerraformVariable] = {}
    problems: list[Problem] = []
    for path in sorted(files, key=lambda p: (is_override(p), p)):
        for variable in files[path]:
            first = variables.get(variable.name)
            if first is None:
                variables[variable.name] = variable
            elif is_override(path):
                variables[variable.name] = _overridden(first, variable)
            else:
                problems.append(
                    Problem(
                        variable.file,
                        variable.line,
                        0,
                        f"variable {variable.name!r} is declared twice in {directory}: "
                        f"first at {first.file}:{first.line}; Terraform refuses that",
                    )
                )
    if problems:
        raise SsotError(problems, code=codes.INVALID_TERRAFORM)
    return variables


def same_default(a: TerraformVariable, b: TerraformVariable) -> bool:
    """Whether two blocks give one value as default (True when either has none, or one that was not read)."""
    if not (a.has_default and b.has_default) or a.default is UNREAD or b.default is UNREAD:
        return True
    return same_value(a.default, b.default)


def same_value(a: object, b: object) -> bool:
    """Whether two values (a default, a tfvars or SSOT value) are one to Terraform, which converts a
    primitive to the variable's type: "1" is 1 and "true" is true, but true is not 1 (as it is in Python)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)) or a is None or b is None:
        return a is b
    return _primitive(a) == _primitive(b)


def _primitive(value: object) -> object:
    """A primitive as Terraform compares it once converted: a bool as "true"/"false", a number exactly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return Decimal(value)
    return value


def is_override(path: str) -> bool:
    filename = path.rsplit("/", 1)[-1]
    return filename == "override.tf" or filename.endswith("_override.tf")


def _overridden(original: TerraformVariable, override: TerraformVariable) -> TerraformVariable:
    """An override block replaces the attributes it sets; findings point at it, the last word on the variable."""
    return replace(
        original,
        file=override.file,
        line=override.line,
        type_written=override.type_written if "type" in override.written else original.type_written,
        has_default=original.has_default or override.has_default,
        default=override.default if "default" in override.written else original.default,
        sensitive=override.sensitive if "sensitive" in override.written else original.sensitive,
        written=original.written | override.written,
    )


#: Where python-hcl2's data differs from what Terraform reads: an escaped `$${` / `%%{` in a string (Terraform
#: reads `${` / `%{`), and a number with an exponent (`1.5e3`, which python-hcl2 writes as "${1.5e3}").
_HCL2_QUIRK = re.compile(r"\$\$\{|%%\{|[0-9][eE][-+]?[0-9]")
_EXPONENT_NUMBER = re.compile(r"\$\{(-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+)\}")


#: A heredoc as written (and as python-hcl2 keeps it with preserve_heredocs): its opening line, its body,
#: the line of its closing marker.
_HEREDOC = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?\n(.*?)^[ \t]*\2[ \t]*\r?\Z", re.DOTALL | re.MULTILINE)


def heredoc_value(written: str) -> str | None:
    """What Terraform makes of a heredoc `written` from `<<EOT` to its closing `EOT` (None if it is none):
    every line of its body with its line break, the last one too; `<<-` takes off each line the fewest
    leading blanks of the lines that hold more than blanks (a line of blanks only is kept as it is). As
    OpenTofu evaluates them; python-hcl2 drops the last line break and dedents spaces only."""
    match = _HEREDOC.fullmatch(written)
    if match is None:
        return None
    lines = match[3].replace("\r\n", "\n").split("\n")[:-1]  # the body ends with its last line's break
    if match[1]:
        margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        lines = [line[margin:] if line.strip() else line for line in lines]
    return "".join(f"{line}\n" for line in lines)


def heredocs_as_terraform_reads(text: str, value: Any) -> Any:
    """`value`, read from `text` by python-hcl2 keeping heredocs as written, with each heredoc's value as
    Terraform reads it (a quoted string that says `<<EOT\\n...` is not one: its line breaks are escapes, so
    it is not found as it reads in the text)."""
    if "<<" not in text:
        return value
    if isinstance(value, str):
        heredoc = heredoc_value(value) if value.startswith("<<") and value in text else None
        return value if heredoc is None else heredoc
    if isinstance(value, list):
        return [heredocs_as_terraform_reads(text, item) for item in value]
    if isinstance(value, dict):
        return {key: heredocs_as_terraform_reads(text, item) for key, item in value.items()}
    return value


def as_terraform_reads(text: str, attributes: dict[str, tuple[int, Any]]) -> dict[str, tuple[int, Any]]:
    """`attributes` (name -> (line, value), read from `text` by python-hcl2 or its stand-in) with each value as
    Terraform reads it. Looked at only when the text has an escape or an exponent at all."""
    if _HCL2_QUIRK.search(text) is None:
        return attributes
    return {name: (line, terraform_value(value)) for name, (line, value) in attributes.items()}


def defaults_as_terraform_reads(text: str, variables: tuple[TerraformVariable, ...]) -> tuple[TerraformVariable, ...]:
    """`variables` (read from `text`) with each default as Terraform reads it (see `as_terraform_reads`)."""
    if _HCL2_QUIRK.search(text) is None:
        return variables
    return tuple(
        variable if variable.default is UNREAD else replace(variable, default=terraform_value(variable.default))
        for variable in variables
    )


def terraform_value(value: Any) -> Any:
    """One value as Terraform reads it (see `_HCL2_QUIRK`); every other value unchanged."""
    if isinstance(value, str):
        number = _EXPONENT_NUMBER.fullmatch(value)
        if number is not None:
            exact = Decimal(number[1])
            return int(exact) if exact == exact.to_integral_value() else float(exact)
        return value.replace("$${", "${").replace("%%{", "%{")
    if isinstance(value, list):
        return [terraform_value(item) for item in value]
    if isinstance(value, dict):
        return {terraform_value(key): terraform_value(item) for key, item in value.items()}
    return value
