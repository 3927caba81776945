"""tfvars values against the contract's types, named as the messages name them."""

from __future__ import annotations

from compiler.core.model import TfvarsValue


def matches_type(value: TfvarsValue, type_: str) -> bool:
    return type_name(value) == type_ or (type_ == "object" and isinstance(value, dict))


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
