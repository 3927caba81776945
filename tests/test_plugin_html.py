"""The plugin's touches to a page's HTML: each table cell labelled with its header, code in cells breakable
only between words (the browser tests measure what this does to the pages)."""

from __future__ import annotations

import re

import markdown

from compiler.app.plugin.html import readable_tables


def page_html(text: str) -> str:
    """`text` rendered as MkDocs renders the site's Markdown (the table and code span shapes it writes)."""
    return markdown.markdown(text, extensions=["tables", "attr_list", "pymdownx.inlinehilite", "pymdownx.highlight"])


TABLE = """
| Layer | State key | `env_prefix` & co |
| --- | --- | --- |
| L3 Data | `data/staging/terraform.tfstate` | `x-staging.example.com` |
| L4 Apps | `*.example.com` | `data-<env>` and `a_b` |
"""


def test_every_body_cell_gets_its_columns_header_as_label() -> None:
    html = readable_tables(page_html(TABLE))

    assert '<td data-label="Layer">L3 Data</td>' in html
    assert html.count('data-label="State key"') == 2
    assert html.count('data-label="env_prefix &amp; co"') == 2  # markup dropped, the text escaped
    assert "<th" in html and "data-label" not in html.split("<tbody>")[0]


def test_code_in_a_cell_breaks_after_separators_and_before_dots_between_words() -> None:
    html = readable_tables(page_html(TABLE))

    assert "<code>data/<wbr>staging/<wbr>terraform<wbr>.tfstate</code>" in html
    assert "<code>x-<wbr>staging<wbr>.example<wbr>.com</code>" in html
    assert "<code>*.example<wbr>.com</code>" in html  # never between `*` and `.`
    assert "<code>data-&lt;env&gt;</code>" in html  # nor inside an entity
    assert "<code>a_<wbr>b</code>" in html
    assert re.sub(r'<wbr>| data-label="[^"]*"', "", html) == page_html(TABLE)  # nothing else changed


def test_code_outside_tables_and_tables_with_a_class_are_left_alone() -> None:
    text = "A `data/staging/terraform.tfstate` key.\n\n```yaml\nkey: data/staging/x.tfstate\n```\n"
    other = '<table class="highlighttable"><thead><tr><th>A</th></tr></thead><tbody><tr><td><code>a/b</code></td></tr></tbody></table>'
    html = page_html(text) + other

    assert readable_tables(html) == html


def test_a_table_without_a_header_row_is_left_alone() -> None:
    html = "<table>\n<tbody>\n<tr><td><code>a/b</code></td></tr>\n</tbody>\n</table>"

    assert readable_tables(html) == html
