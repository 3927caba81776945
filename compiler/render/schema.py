"""ssot/env.schema.json: the JSON Schema editors use to check ssot/env.yaml as it is typed."""

from __future__ import annotations

import functools
import json

from compiler.core.model import Ssot


@functools.cache  # the model is fixed for the process; building its schema costs a few milliseconds
def render_schema() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated from compiler/core/model.py by `ssot build`. Do not edit by hand.",
        **Ssot.model_json_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
