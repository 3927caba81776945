"""How a layer is labelled: `L1 Bootstrap`, or the name alone when the id only repeats it (`bootstrap`)."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

import pytest

from compiler.core.facts import Facts, compile_text
from compiler.core.layers import layer_label
from compiler.render.diagram import render_diagram_svg
from compiler.render.env_page import render_env_page
from compiler.render.pages import render_environment_page, render_layers_page

SVG = "{http://www.w3.org/2000/svg}"

#: (layer id, layer name, the label every renderer shows)
CASES = [
    ("bootstrap", "Bootstrap", "Bootstrap"),
    ("1.bootstrap", "Bootstrap", "Bootstrap"),
    ("1_bootstrap", "Bootstrap", "Bootstrap"),
    ("01-platform", "Platform", "Platform"),
    ("cluster-addons", "Cluster Addons", "Cluster Addons"),
    ("L1", "Bootstrap", "L1 Bootstrap"),
    ("core", "Platform", "core Platform"),
    ("1.core", "Platform", "1.core Platform"),
    ("L1_bootstrap", "Bootstrap", "L1_bootstrap Bootstrap"),
    ("v2", "V2 Apps", "v2 V2 Apps"),
]


def facts_with(layer_id: str, name: str, scope: str) -> Facts:
    """One layer with the given id, name and scope in two environments."""
    text = textwrap.dedent(
        f"""\
        layers:
          {layer_id}: {{name: {name}, scope: {scope}, managed_by: github-actions, components: [Cluster]}}
        isolation: {{shared: one cluster., per_env: one namespace each}}
        environments:
          dev: {{base_domain: example.org, env_prefix: dev}}
          prod: {{base_domain: example.org, env_prefix: ""}}
        variables:
          environment: {{type: string, description: Environment name.}}
          base_domain: {{type: string, description: Apex domain.}}
          env_prefix: {{type: string, description: Prefix.}}
        """
    )
    return compile_text(text, "ssot/env.yaml")


@pytest.mark.parametrize(("layer_id", "name", "label"), CASES)
def test_layer_label(layer_id: str, name: str, label: str) -> None:
    facts = facts_with(layer_id, name, "shared")
    assert layer_label(layer_id, facts.ssot.layers[layer_id]) == label


@pytest.mark.parametrize("scope", ["shared", "per-env"])
@pytest.mark.parametrize(("layer_id", "name", "label"), CASES)
def test_pages_label_the_layer(layer_id: str, name: str, label: str, scope: str) -> None:
    facts = facts_with(layer_id, name, scope)
    dev = facts.environments[0]
    layers_page = render_layers_page(facts)
    env_page = render_environment_page(facts, dev)
    model_page = render_env_page(facts)

    assert f"\n## {label}\n" in layers_page
    if scope == "shared":
        assert f"Shared with every environment: {label} (see" in env_page
    else:
        assert f"\n| {label} " in env_page  # the environment's Layers table
    assert f"\n| {label} " in model_page  # the environment matrix
    if label == name:
        for page in (layers_page, env_page, model_page):
            assert f"{layer_id} {name}" not in page


@pytest.mark.parametrize("scope", ["shared", "per-env"])
@pytest.mark.parametrize(("layer_id", "name", "label"), CASES)
def test_the_diagram_labels_the_layer(layer_id: str, name: str, label: str, scope: str) -> None:
    svg = render_diagram_svg(facts_with(layer_id, name, scope))
    root = ET.fromstring(svg)
    groups = [g for g in root.iter(f"{SVG}g") if g.attrib.get("data-layer") == layer_id]

    assert len(groups) == (1 if scope == "shared" else 2)
    for group in groups:
        assert next(group.iter(f"{SVG}text")).text == label
        assert (group.findtext(f"{SVG}title") or "").startswith(f"{label}, ")
    assert f" {label}" in (root.findtext(f"{SVG}desc") or "")
    if label == name:
        assert f"{layer_id} {name}" not in svg
