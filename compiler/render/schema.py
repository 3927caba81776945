"""ssot/env.schema.json: the JSON Schema editors use to check ssot/env.yaml as it is typed."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import to_jsonable_python

from compiler.core.model import Ssot


class _Generator(GenerateJsonSchema):
    """pydantic's, but for the defaults: each is serialised as it is (they are plain data and models), where
    pydantic builds a validator and serialiser for each default's type first (44 here, a third of the cost)."""

    def encode_default(self, dft: Any) -> Any:
        return to_jsonable_python(dft, by_alias=self.by_alias)


@functools.cache  # the model is fixed for the process, and building its schema costs 10-20 ms
def model_schema() -> Mapping[str, Any]:
    """The model's JSON Schema, built once per run for every artifact made from it (this file, the
    ssot-fields block); read-only."""
    return Ssot.model_json_schema(schema_generator=_Generator)


@functools.cache
def render_schema() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated from compiler/core/model.py by `ssot build`. Do not edit by hand.",
        **model_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
