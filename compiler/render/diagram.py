"""The architecture diagram: facts -> a standalone SVG of the layers x environments picture.

Shared layers are drawn once, as full-width bands at the bottom of the stack (the first layer lowest);
per-env layers once per environment, in one column per environment, in SSOT order. Sizes come from the
text (estimated from character counts, so no font metrics are needed) and are whole numbers, so the same
facts give the same bytes.

Every text sits on a fill of its own (white on a mid-tone, contrast 4.5:1 or more), and every fill is
outlined in a neutral grey: the picture reads the same on Material's light and dark schemes, whether it is
inlined into a page or shown as an image, and it needs nothing from outside (no fonts, links or scripts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from compiler.core.facts import Facts
from compiler.core.layers import LayerInstance, layer_label
from compiler.render.markdown import GENERATED_NOTICE

#: Fills for shared layers, then per-env layers, by position; each takes white text at 4.5:1 or more.
SHARED_FILLS = ("#37474f", "#3949ab", "#5e35b1", "#1565c0")
PER_ENV_FILLS = ("#00796b", "#b45309", "#2e7d32", "#ad1457", "#0277bd", "#6a1b9a", "#8d4e00", "#4e6a2e")
HEADING_FILL = "#546e7a"
NEUTRAL = "#8a8f98"

MARGIN = 16
GAP = 12
LANE_PAD = 10
BOX_PAD_X = 14
BOX_PAD_Y = 8
HEADING_HEIGHT = 30
MIN_BOX_WIDTH = 150


class TextStyle(NamedTuple):
    css_class: str
    size: int
    line_height: int
    #: a character's width as a share of the font size: generous, so estimated text never overflows
    char_width: float


NAME = TextStyle("name", 14, 20, 0.62)
CODE = TextStyle("code", 12, 18, 0.62)
NOTE = TextStyle("note", 11, 16, 0.58)
HEADING = TextStyle("heading", 14, 20, 0.62)

STYLE = (
    ".ssot-diagram text { font-family: system-ui, sans-serif; fill: #ffffff; text-anchor: middle }"
    f" .ssot-diagram .name, .ssot-diagram .heading {{ font-size: {NAME.size}px; font-weight: 600 }}"
    " .ssot-diagram .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;"
    f" font-size: {CODE.size}px }}"
    f" .ssot-diagram .note {{ font-size: {NOTE.size}px; fill-opacity: 0.9 }}"
)


class Line(NamedTuple):
    text: str
    style: TextStyle


class Box(NamedTuple):
    """One layer instance as drawn: its lines, its fill and what it says when hovered."""

    layer_id: str
    env: str | None
    lines: tuple[Line, ...]
    fill: str
    tooltip: str

    @property
    def width(self) -> int:
        return max(text_width(line) for line in self.lines) + 2 * BOX_PAD_X

    @property
    def height(self) -> int:
        return sum(line.style.line_height for line in self.lines) + 2 * BOX_PAD_Y


def text_width(line: Line) -> int:
    return math.ceil(len(line.text) * line.style.size * line.style.char_width)


def render_diagram_svg(facts: Facts) -> str:
    """The layers x environments picture as a standalone SVG document (no XML declaration)."""
    shared = [_box(i, SHARED_FILLS[n % len(SHARED_FILLS)]) for n, i in enumerate(facts.shared)]
    columns = [
        [_box(i, PER_ENV_FILLS[n % len(PER_ENV_FILLS)]) for n, i in enumerate(env.layers)] for env in facts.environments
    ]
    headings = [Line(env.title, HEADING) for env in facts.environments]
    count = len(columns)

    inner = max(
        [
            MIN_BOX_WIDTH,
            *(b.width for column in columns for b in column),
            *(text_width(h) + 2 * BOX_PAD_X for h in headings),
        ]
    )
    column_width = inner + 2 * LANE_PAD
    shared_width = max((b.width for b in shared), default=0)
    if shared_width > count * column_width + (count - 1) * GAP:
        column_width = math.ceil((shared_width - (count - 1) * GAP) / count)
    width = count * column_width + (count - 1) * GAP

    # Rows line up across columns: a row is as tall as its tallest box.
    rows = max((len(column) for column in columns), default=0)
    row_heights = [max(column[r].height for column in columns if r < len(column)) for r in range(rows)]
    lane_height = LANE_PAD + HEADING_HEIGHT + sum(GAP + h for h in row_heights) + LANE_PAD
    shared_height = sum(b.height for b in shared) + GAP * len(shared)

    total_width = MARGIN + width + MARGIN
    total_height = MARGIN + lane_height + shared_height + MARGIN
    parts = [
        f"<!-- {GENERATED_NOTICE} -->",
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="ssot-diagram" role="img" '
            f'viewBox="0 0 {total_width} {total_height}" width="{total_width}" height="{total_height}">'
        ),
        f"<title>{escape(_title(facts))}</title>",
        f"<desc>{escape(_description(facts))}</desc>",
        f"<style>{STYLE}</style>",
    ]
    for n, (env, column) in enumerate(zip(facts.environments, columns)):
        x = MARGIN + n * (column_width + GAP)
        parts += [
            f"<g data-env-column={quoteattr(env.name)}>",
            _rect(x, MARGIN, column_width, lane_height, 'fill="#8a8f98" fill-opacity="0.12"', radius=10),
            _rect(
                x + LANE_PAD, MARGIN + LANE_PAD, column_width - 2 * LANE_PAD, HEADING_HEIGHT, f'fill="{HEADING_FILL}"'
            ),
            _text(x + column_width // 2, MARGIN + LANE_PAD, HEADING_HEIGHT, headings[n]),
            "</g>",
        ]
        # Bottom up: the first per-env layer sits just above the shared ones.
        y = MARGIN + lane_height - LANE_PAD
        for box, row_height in zip(column, row_heights):
            y -= row_height
            parts += _draw(box, x + LANE_PAD, y, column_width - 2 * LANE_PAD, row_height)
            y -= GAP
    y = MARGIN + lane_height + shared_height
    for box in shared:
        y -= box.height
        parts += _draw(box, MARGIN, y, width, box.height)
        y -= GAP
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _box(instance: LayerInstance, fill: str) -> Box:
    layer = instance.layer
    lines = [Line(layer_label(instance.layer_id, layer), NAME)]
    if instance.namespace:
        lines.append(Line(instance.namespace, CODE))
    manager = f"Atlantis: {instance.atlantis_project}" if instance.atlantis_project else "GitHub Actions"
    scope = "shared by all environments" if instance.env is None else f"in {instance.env}"
    if instance.env is None:
        # A shared band has the room to say what the layer runs; a column repeats it in every environment.
        lines += [Line(", ".join(layer.components), NOTE), Line(f"{manager} · {scope}", NOTE)]
    else:
        lines.append(Line(manager, NOTE))
    details = [f"namespace {instance.namespace}"] if instance.namespace else []
    details += [manager, ", ".join(layer.components)]
    tooltip = f"{layer_label(instance.layer_id, layer)}, {scope}: {'; '.join(details)}"
    return Box(instance.layer_id, instance.env, tuple(lines), fill, tooltip)


def _draw(box: Box, x: int, y: int, width: int, height: int) -> list[str]:
    env = "" if box.env is None else f" data-env={quoteattr(box.env)}"
    parts = [
        f"<g data-layer={quoteattr(box.layer_id)}{env}>",
        f"<title>{escape(box.tooltip)}</title>",
        _rect(x, y, width, height, f'fill="{box.fill}"'),
    ]
    # Centre the lines as a block, whatever the row's height.
    top = y + (height - sum(line.style.line_height for line in box.lines)) // 2
    for line in box.lines:
        parts.append(_text(x + width // 2, top, line.style.line_height, line))
        top += line.style.line_height
    parts.append("</g>")
    return parts


def _rect(x: int, y: int, width: int, height: int, paint: str, radius: int = 6) -> str:
    return (
        f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="{radius}" {paint} '
        f'stroke="{NEUTRAL}" stroke-width="1"/>'
    )


def _text(centre: int, top: int, height: int, line: Line) -> str:
    """A line centred in a slot: its baseline sits a third of the cap height below the slot's middle."""
    baseline = top + (height + round(line.style.size * 0.7)) // 2
    return f'<text x="{centre}" y="{baseline}" class="{line.style.css_class}">{escape(line.text)}</text>'


def _title(facts: Facts) -> str:
    return f"Layers and environments: {', '.join(env.title for env in facts.environments)}"


def _description(facts: Facts) -> str:
    sentences = []
    if facts.shared:
        sentences.append(f"Shared layers, one instance for all environments: {_names(facts.shared)}.")
    for env in facts.environments:
        if env.layers:
            placed = [
                layer_label(i.layer_id, i.layer) + (f" in {i.namespace}" if i.namespace else "") for i in env.layers
            ]
            sentences.append(f"{env.title} runs its own {', '.join(placed)}.")
        else:
            sentences.append(f"{env.title} runs on the shared layers only.")
    return " ".join(sentences)


def _names(instances: Sequence[LayerInstance]) -> str:
    return ", ".join(layer_label(i.layer_id, i.layer) for i in instances)


# xml.sax.saxutils's escape and quoteattr, written out: importing that module imports urllib.request,
# http.client and ssl, a tenth of what `ssot check` takes to start.
def escape(text: str) -> str:
    """`&`, `<` and `>` as entities (XML text)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """`text` as a quoted XML attribute value, as xml.sax.saxutils.quoteattr quotes it."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
