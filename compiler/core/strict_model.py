"""The base of the SSOT's pydantic models: strict, closed, frozen, each field described by the docstring under it.

The description feeds the JSON Schema (editors show it while the YAML is typed) and the generated docs.
pydantic's own `use_attribute_docstrings` would give the same descriptions, but it finds each class's
source through the call stack, tokenizes it and parses it twice, class by class: a fifth of what the
models cost at every start. Here each module's source is parsed once, as its models are defined.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import linecache
import sys
from typing import Any

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    # defer_build: a validator is built for Ssot when it first validates, not one for every model at import
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # The fields are collected, the validator not built yet (defer_build): a description set now is
        # in every schema built later, as one pydantic would have set.
        docstrings = attribute_docstrings(cls.__module__).get(cls.__qualname__, {})
        for name, field in cls.__pydantic_fields__.items():
            if field.description is None and name in docstrings:
                field.description = docstrings[name]


@functools.cache
def attribute_docstrings(module: str) -> dict[str, dict[str, str]]:
    """Class name -> field -> the docstring under the field, for the classes at the top of `module`."""
    namespace = sys.modules[module].__dict__
    # linecache reads the module's own source (or asks its loader), as inspect does; none: no descriptions
    source = "".join(linecache.getlines(namespace.get("__file__") or "", namespace))
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body if source else ():
        if isinstance(node, ast.ClassDef):
            found[node.name] = _under_fields(node.body)
    return found


def _under_fields(body: list[ast.stmt]) -> dict[str, str]:
    """A string statement right after an annotated name documents that name (as pydantic reads them)."""
    return {
        field.target.id: inspect.cleandoc(doc.value.value)
        for field, doc in itertools.pairwise(body)
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and isinstance(doc, ast.Expr)
        and isinstance(doc.value, ast.Constant)
        and isinstance(doc.value.value, str)
    }
