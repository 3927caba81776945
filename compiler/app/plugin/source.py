"""The source page's anchors: one per key path of ssot/env.yaml, on the line where that path is written.

The generated pages link to `source.md#layers.L2.atlantis_project`, never to a line number, so that an edit
of ssot/env.yaml that changes no fact changes no committed page. The source page includes the file itself
(pymdownx.snippets, highlighted with line numbers); this puts an empty `<a id="layers.L2">` at the start of
each line where a key is written, from the very text the page shows, so every link lands on its line
whatever comments, blank lines or key order the file has today. Without the plugin the page still shows
the file, and a link lands on its top. The anchors of a text are found once per text (while serving, the
plugin keeps them in memory, compiler/app/plugin/answers.py), then put into the page.
"""

from __future__ import annotations

import html
import re

from compiler.core.layout import SSOT_PATH
from compiler.errors import SsotError

#: pymdownx.highlight's anchor at the start of each line (anchor_linenums: true): block, line
_LINE_ANCHOR = re.compile(r'<a id="__codelineno-(\d+)-(\d+)" name="__codelineno-\d+-\d+"></a>')
_FILENAME = f'<span class="filename">{SSOT_PATH}</span>'


def path_anchors(text: str) -> dict[int, list[str]]:
    """Line -> the anchors of the key paths written on it (none if the text is no YAML at all)."""
    from compiler.formats.strict_yaml import load_yaml
    from compiler.render.pages import source_anchor

    try:
        loaded = load_yaml(text, SSOT_PATH)
    except SsotError:
        return {}
    anchors: dict[int, list[str]] = {}
    for path, position in loaded.positions.items():
        if path:
            anchors.setdefault(position.key_line, []).append(source_anchor(*path))
    return anchors


def anchor_source_lines(page_html: str, anchors: dict[int, list[str]]) -> str:
    """`page_html` with `anchors` (`path_anchors` of the text it shows) in the code block that shows
    ssot/env.yaml (the one titled so, or else the page's first)."""
    if not anchors:
        return page_html
    titled = page_html.find(_FILENAME)
    first = _LINE_ANCHOR.search(page_html, max(titled, 0))
    if first is None:
        return page_html
    block = first.group(1)

    def with_anchors(match: re.Match[str]) -> str:
        if match.group(1) != block:
            return match.group(0)
        ids = anchors.get(int(match.group(2)), [])
        return match.group(0) + "".join(f'<a id="{html.escape(i)}" class="ssot-anchor"></a>' for i in ids)

    return _LINE_ANCHOR.sub(with_anchors, page_html)
