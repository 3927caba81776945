"""tfvars values against the contract's types, named as the messages name them."""

from __future__ import annotations

import re
from decimal import Decimal

from compiler.core.model import TfvarsValue

#: A number as Terraform reads one from a string ("22", "-1.5", "1e3"); no hex, no blanks, no "inf".
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def matches_type(value: TfvarsValue, type_: str) -> bool:
    return type_name(value) == type_ or (type_ == "object" and isinstance(value, dict))


def converts_to(value: TfvarsValue, type_: str) -> bool:
    """Whether Terraform accepts `value` for a variable of `type_`, converting it as Terraform does.

    A string that reads as a number is a number, "true"/"false" are bools, a number or a bool is a string,
    and null is accepted for any type (it means "no value", as Terraform reads it); tfvars written by
    scripts quote everything, and Terraform takes them.
    """
    if value is None or matches_type(value, type_):
        return True
    if type_ == "string":
        return isinstance(value, (bool, int, float))
    if type_ == "number":
        return isinstance(value, str) and _NUMBER.fullmatch(value) is not None
    if type_ == "bool":
        return value in ("true", "false")
    return False


def converted(value: TfvarsValue, type_: str) -> TfvarsValue:
    """`value` as Terraform converts it for a variable of `type_` ("22" -> 22, "true" -> True, 5 -> "5");
    any other value unchanged (`converts_to` says which convert)."""
    if value is None or matches_type(value, type_) or not converts_to(value, type_):
        return value
    if type_ == "number":
        exact = Decimal(str(value))
        return int(exact) if exact == exact.to_integral_value() else float(exact)
    if type_ == "bool":
        return value == "true"
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def type_name(value: TfvarsValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return "string" if isinstance(value, str) else type(value).__name__
