"""The diagram: an offline, accessible SVG of shared layers once and per-env layers per environment."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURE_REPO

from compiler.core.facts import Facts, compile_facts
from compiler.core.validate import load_ssot
from compiler.render.diagram import CODE, HEADING, LANE_PAD, MARGIN, NAME, NOTE, render_diagram_svg

SVG = "{http://www.w3.org/2000/svg}"
STYLES = {style.css_class: style for style in (NAME, CODE, NOTE, HEADING)}

VARIABLES = textwrap.dedent(
    """\
    variables:
      environment: {type: string, description: Environment name.}
      base_domain: {type: string, description: Apex domain.}
      env_prefix: {type: string, description: Prefix.}
    """
)

SHARED_LAYER = "L1: {name: Base, scope: shared, managed_by: github-actions, components: [Cluster]}"
PER_ENV_LAYER = (
    'L2: {name: Apps, scope: per-env, managed_by: atlantis, atlantis_project: "apps-{env}", '
    'namespace: "apps-{env}", components: [Web]}'
)


def small_facts(layers: list[str], envs: list[str], titles: dict[str, str] | None = None) -> Facts:
    titles = titles or {}
    text = "layers:\n" + "".join(f"  {layer}\n" for layer in layers)
    text += "isolation: {shared: one cluster., per_env: one namespace each}\nenvironments:\n"
    for env in envs:
        title = f", title: {titles[env]!r}" if env in titles else ""
        text += f"  {env}: {{base_domain: example.org, env_prefix: {env}{title}}}\n"
    return compile_facts(load_ssot(text + VARIABLES, "ssot/env.yaml"))


@pytest.fixture(scope="module")
def example_facts() -> Facts:
    path = FIXTURE_REPO / "ssot" / "env.yaml"
    return compile_facts(load_ssot(path.read_text(encoding="utf-8"), "ssot/env.yaml"))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def layer_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "data-layer" in g.attrib]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def view_box(root: ET.Element) -> tuple[int, int, int, int]:
    x, y, width, height = (int(v) for v in root.attrib["viewBox"].split())
    return x, y, width, height


def test_the_example_diagram_draws_shared_layers_once_and_per_env_layers_in_every_environment(
    example_facts: Facts,
) -> None:
    root = parse(render_diagram_svg(example_facts))
    groups = layer_groups(root)
    shared = [g for g in groups if "data-env" not in g.attrib]
    assert [g.attrib["data-layer"] for g in shared] == ["L1", "L2"]
    assert texts(shared[0])[0] == "L1 Bootstrap" and texts(shared[1])[0] == "L2 Platform"

    placed = {(g.attrib["data-layer"], g.attrib["data-env"]): texts(g) for g in groups if "data-env" in g.attrib}
    assert set(placed) == {(layer, env) for layer in ("L3", "L4") for env in ("staging", "prod")}
    assert placed["L3", "staging"][:2] == ["L3 Data", "data-staging"]
    assert placed["L4", "prod"][:2] == ["L4 Apps", "apps-prod"]
    assert "Atlantis: data-prod" in placed["L3", "prod"]


def test_headings_title_and_description_are_present(example_facts: Facts) -> None:
    root = parse(render_diagram_svg(example_facts))
    assert root.attrib["role"] == "img"
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    assert "Staging" in (root.findtext(f"{SVG}title") or "")
    desc = root.findtext(f"{SVG}desc") or ""
    assert "L1 Bootstrap" in desc and "data-staging" in desc and "apps-prod" in desc
    headings = [t.text for t in root.iter(f"{SVG}text") if t.attrib.get("class") == "heading"]
    assert headings == ["Staging", "Prod"]


def test_environments_are_columns_in_ssot_order_and_shared_layers_stack_bottom_up(example_facts: Facts) -> None:
    root = parse(render_diagram_svg(example_facts))
    boxes = {(g.attrib["data-layer"], g.attrib.get("data-env")): _rect(g) for g in layer_groups(root)}
    assert boxes["L3", "staging"]["x"] < boxes["L3", "prod"]["x"]
    assert boxes["L3", "staging"]["y"] == boxes["L3", "prod"]["y"]  # rows line up across columns
    # Higher layers are drawn higher: smaller y.
    assert boxes["L1", None]["y"] > boxes["L2", None]["y"] > boxes["L3", "prod"]["y"] > boxes["L4", "prod"]["y"]
    _, _, width, _ = view_box(root)
    for layer in ("L1", "L2"):
        assert boxes[layer, None]["x"] == boxes["L3", "staging"]["x"] - LANE_PAD
        assert boxes[layer, None]["x"] + boxes[layer, None]["width"] == width - MARGIN


def test_svg_is_self_contained_and_deterministic(example_facts: Facts) -> None:
    svg = render_diagram_svg(example_facts)
    assert svg == render_diagram_svg(example_facts)
    header, body = svg.split("\n", 1)  # the generated header, as a comment before the root element
    assert header == "<!-- Generated from ssot/env.yaml by `ssot build`. Do not edit by hand. -->"
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<?xml" not in svg
    for forbidden in ("href", "<script", "@import", "url(", "<image", "<foreignObject"):
        assert forbidden not in svg
    assert "font-family: system-ui, sans-serif" in svg
    # Coordinates are whole numbers: no float tails that could differ between platforms.
    assert not re.search(r'\b(?:x|y|width|height|rx)="-?\d+\.\d', svg)


@pytest.mark.parametrize(
    ("layers", "envs", "shared", "per_env"),
    [
        ([SHARED_LAYER, PER_ENV_LAYER], ["dev", "qa", "uat", "stage", "prod"], 1, 5),
        ([PER_ENV_LAYER.replace("L2", "L1")], ["dev", "prod"], 0, 2),
        ([SHARED_LAYER], ["dev", "qa", "prod"], 1, 0),
        ([SHARED_LAYER, PER_ENV_LAYER], ["only"], 1, 1),
        ([SHARED_LAYER, PER_ENV_LAYER], [f"e{n}" for n in range(8)], 1, 8),
    ],
)
def test_any_mix_of_layers_and_environments_fits_in_the_view_box(
    layers: list[str], envs: list[str], shared: int, per_env: int
) -> None:
    facts = small_facts(layers, envs)
    root = parse(render_diagram_svg(facts))
    groups = layer_groups(root)
    assert len([g for g in groups if "data-env" not in g.attrib]) == shared
    assert [g.attrib["data-env"] for g in groups if "data-env" in g.attrib] == (envs if per_env else [])
    headings = [t.text for t in root.iter(f"{SVG}text") if t.attrib.get("class") == "heading"]
    assert headings == [env.title for env in facts.environments]
    _assert_inside_view_box(root)


def test_widest_text_widens_the_boxes_and_the_picture() -> None:
    narrow = parse(render_diagram_svg(small_facts([SHARED_LAYER, PER_ENV_LAYER], ["dev"])))
    long_title = "A very long environment title for the heading"
    wide = parse(render_diagram_svg(small_facts([SHARED_LAYER, PER_ENV_LAYER], ["dev"], {"dev": long_title})))
    assert view_box(wide)[2] > view_box(narrow)[2]
    heading = next(t for t in wide.iter(f"{SVG}text") if t.attrib.get("class") == "heading")
    assert heading.text == long_title
    # Estimated at a generous 0.62 em a character, the heading fits its column.
    lane = _rect(next(g for g in wide.iter(f"{SVG}g") if g.attrib.get("data-env-column") == "dev"))
    assert len(long_title) * 14 * 0.62 <= lane["width"]
    _assert_inside_view_box(wide)


def test_text_is_escaped_and_the_svg_still_parses() -> None:
    layers = [
        "L1: {name: 'Base <core> & co', scope: shared, managed_by: github-actions, components: ['a<b', 'c&d']}",
        PER_ENV_LAYER,
    ]
    facts = small_facts(layers, ["dev"], {"dev": 'Dev <"1"> & more'})
    svg = render_diagram_svg(facts)
    assert "<core>" not in svg and "&lt;core&gt; &amp; co" in svg
    root = parse(svg)
    assert "L1 Base <core> & co" in texts(root)
    assert 'Dev <"1"> & more' in texts(root)
    assert "a<b, c&d" in texts(root)
    assert 'Dev <"1"> & more' in (root.findtext(f"{SVG}title") or "")


def _rect(group: ET.Element) -> dict[str, int]:
    rect = group.find(f"{SVG}rect")
    assert rect is not None
    return {key: int(rect.attrib[key]) for key in ("x", "y", "width", "height")}


def _assert_inside_view_box(root: ET.Element) -> None:
    left, top, width, height = view_box(root)
    rects = list(root.iter(f"{SVG}rect"))
    assert rects
    for rect in rects:
        x, y, w, h = (int(rect.attrib[key]) for key in ("x", "y", "width", "height"))
        assert left <= x and top <= y and x + w <= left + width and y + h <= top + height, rect.attrib
    for text in root.iter(f"{SVG}text"):
        assert left < int(text.attrib["x"]) < left + width and top < int(text.attrib["y"]) < top + height
    # Every line, at its estimated width, fits its box.
    for group in layer_groups(root):
        box = _rect(group)
        for text in group.iter(f"{SVG}text"):
            style = STYLES[text.attrib["class"]]
            assert len(text.text or "") * style.size * style.char_width <= box["width"], text.text
