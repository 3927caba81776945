"""ssot/env.schema.json: what an editor checks while ssot/env.yaml is typed."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURE_REPO, REPO_ROOT

#: This repository and the tests' example repository: each SSOT must point at, and satisfy, its schema.
ROOTS = {"this repository": REPO_ROOT, "the example repository": FIXTURE_REPO}


def _validator(root: Path) -> jsonschema.protocols.Validator:
    schema = json.loads((root / "ssot" / "env.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _ssot(root: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((root / "ssot" / "env.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    return _validator(FIXTURE_REPO)


@pytest.fixture
def ssot() -> dict:  # type: ignore[type-arg]
    return _ssot(FIXTURE_REPO)


@pytest.mark.parametrize("root", ROOTS.values(), ids=ROOTS.keys())
def test_the_ssot_points_editors_at_its_schema(root: Path) -> None:
    first_line = (root / "ssot" / "env.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=env.schema.json"


@pytest.mark.parametrize("root", ROOTS.values(), ids=ROOTS.keys())
def test_the_ssot_satisfies_its_schema(root: Path) -> None:
    assert list(_validator(root).iter_errors(_ssot(root))) == []


def test_the_schema_flags_a_misspelt_key_and_a_wrong_scope(
    validator: jsonschema.protocols.Validator, ssot: dict
) -> None:  # type: ignore[type-arg]
    ssot["layers"]["L3"]["namspace"] = "data-{env}"
    ssot["layers"]["L4"]["scope"] = "global"
    messages = sorted(error.message for error in validator.iter_errors(ssot))
    assert any("'namspace' was unexpected" in m for m in messages), messages
    assert any("'global' is not one of ['shared', 'per-env']" in m for m in messages), messages


def test_every_property_has_a_description_for_the_editor_to_show() -> None:
    schema = json.loads((FIXTURE_REPO / "ssot" / "env.schema.json").read_text(encoding="utf-8"))
    for name, definition in schema["$defs"].items():
        for prop, spec in definition["properties"].items():
            assert spec.get("description"), f"{name}.{prop} has no description"
