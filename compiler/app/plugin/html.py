"""The plugin's touches to each page's HTML, so that wide tables read at any width (pure: HTML in, HTML out).

- Every body cell of a Markdown table gets its column's header as `data-label`: on a narrow screen
  the plugin's stylesheet (compiler/app/assets/ssot.css) shows each row of a wide table as a card of `label value` lines.
- Code in a cell (a state key, a namespace, a file, a domain) may wrap after a `/`, `-` or `_` and before a
  `.` between words (a `<wbr>`), and nowhere else: `data/staging/` `terraform.tfstate`, never `terraf` `orm`.
  A `<wbr>` adds no text, so copying the value and the search index see it whole.

Python-Markdown writes its tables as plain `<table>` (no attributes: tables from other extensions, such as
the code highlighter's, have a class and are left alone) with one `<thead>` row of `<th>`, and an inline
code span as `<code>` holding escaped text only; those are the shapes matched here.
"""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.DOTALL)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_BODY = re.compile(r"<tbody>(.*?)</tbody>", re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<td\b([^>]*)>(.*?)</td>", re.DOTALL)
_CODE = re.compile(r"<code>([^<]*)</code>")
_TAG = re.compile(r"<[^>]*>")
#: After a separator that a word follows, and before a dot between two words.
_BREAK = re.compile(r"(?<=[/_-])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=\.[A-Za-z0-9])")


def readable_tables(page_html: str) -> str:
    """`page_html` with every Markdown table's cells labelled and their code breakable (see the module)."""
    return _TABLE.sub(lambda table: f"<table>{_label_cells(table.group(1))}</table>", page_html)


def _label_cells(table: str) -> str:
    head = _HEAD.search(table)
    if head is None:
        return table
    labels = [html.escape(html.unescape(_TAG.sub("", cell)).strip()) for cell in _HEADER_CELL.findall(head.group(1))]

    def row(match: re.Match[str]) -> str:
        cells = iter(labels)
        return f"<tr>{_CELL.sub(lambda cell: _cell(cell, next(cells, '')), match.group(1))}</tr>"

    def body(match: re.Match[str]) -> str:
        return f"<tbody>{_ROW.sub(row, match.group(1))}</tbody>"

    return _BODY.sub(body, table)


def _cell(cell: re.Match[str], label: str) -> str:
    attributes, content = cell.groups()
    content = _CODE.sub(lambda code: f"<code>{_BREAK.sub('<wbr>', code.group(1))}</code>", content)
    return f'<td{attributes} data-label="{label}">{content}</td>'
