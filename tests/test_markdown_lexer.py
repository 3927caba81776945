"""compiler.formats.markdown.code_lines: the one code lexer that block finding and comparison share."""

from __future__ import annotations

import pytest

from compiler.errors import SsotError
from compiler.formats.blocks import find_blocks
from compiler.formats.markdown import code_lines, read_markdown

KNOWN = {"layers", "isolation"}
TABLE = "| A | B |\n| --- | --- |\n| 1 | 2 |\n"


def lines(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\n```\ncode\n```\nb", [False, True, True, True, False]),
        ("~~~\n```\n~~~\nb", [True, True, True, False]),
        # a longer fence closes only with one at least as long
        ("````\n```\nstill code\n````\nb", [True, True, True, True, False]),
        # a closing fence has nothing after it
        ("```\n``` not a close\n```\nb", [True, True, True, False]),
        # inline code that starts a line is not a fence: a backtick fence's info string has no backtick
        ("```ssot check``` runs in CI.\nb", [False, False]),
        ('```python title="a"\nx\n```', [True, True, True]),
        # an unclosed fence runs to the end
        ("```\nx\ny", [True, True, True]),
        # fences indented inside list items
        ("- item\n\n    ```\n    x\n    ```\nb", [False, False, True, True, True, False]),
    ],
)
def test_fenced_lines(text: str, expected: list[bool]) -> None:
    assert code_lines(lines(text)) == expected


def test_a_table_in_a_four_backtick_fence_with_a_three_backtick_line_is_code_to_both_readers() -> None:
    text = f"````markdown\n```\n<!-- ssot:begin layers -->\n{TABLE}<!-- ssot:end layers -->\n```\n````\n"
    assert find_blocks(text, "a.md", KNOWN) == []
    assert read_markdown(text).tables == ()


def test_a_block_after_a_line_starting_with_inline_code_is_found() -> None:
    text = "```ssot check``` runs in CI.\n\n<!-- ssot:begin layers -->\n<!-- ssot:end layers -->\n"
    (block,) = find_blocks(text, "a.md", KNOWN)
    assert (block.name, block.begin_line, block.end_line) == ("layers", 3, 4)
    assert read_markdown(f"```ssot check``` runs in CI.\n\n{TABLE}").tables[0].header == ("A", "B")


def test_markers_shown_in_a_fence_are_text_but_broken_ones_outside_are_not() -> None:
    shown = "```markdown\n<!-- ssot:begin nope -->\n```\n"
    assert find_blocks(shown, "a.md", KNOWN) == []
    with pytest.raises(SsotError) as info:
        find_blocks(shown + "<!-- ssot:begin nope -->\n", "a.md", KNOWN)
    assert [(p.line, p.code) for p in info.value.problems] == [(4, "broken-marker"), (4, "broken-marker")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an indented code block after a blank line, blank lines inside it, then text
        ("Example:\n\n    <!-- ssot:begin layers -->\n\n    more\nb", [False, False, True, False, True, False]),
        # indented right after text: the paragraph goes on (lazy continuation), no code
        ("Text\n    more text", [False, False]),
        # nested list items are not code, even after a blank line (a loose list)
        ("- a\n    - b\n\n    - c\n- d", [False, False, False, False, False]),
        # code inside a list item starts four columns past the item's content
        ("- a\n\n      code\n- b", [False, False, True, False]),
        # after a heading, an indented line is code
        ("# Title\n    code", [False, True]),
    ],
)
def test_indented_code(text: str, expected: list[bool]) -> None:
    assert code_lines(lines(text)) == expected


def test_markers_in_an_indented_code_example_are_text() -> None:
    text = "How to write a block:\n\n    <!-- ssot:begin layers -->\n    <!-- ssot:end layers -->\n"
    assert find_blocks(text, "a.md", KNOWN) == []


def test_an_upper_case_marker_is_reported_not_skipped() -> None:
    with pytest.raises(SsotError) as info:
        find_blocks("<!-- SSOT:BEGIN layers -->\n<!-- ssot:end layers -->\n", "a.md", KNOWN)
    first = info.value.problems[0]
    assert (first.line, first.message) == (
        1,
        (
            "malformed marker '<!-- SSOT:BEGIN layers -->': markers are written in lower case; "
            "write <!-- ssot:begin layers -->"
        ),
    )


def test_a_byte_order_mark_before_a_first_line_marker() -> None:
    text = "\ufeff<!-- ssot:begin layers -->\n<!-- ssot:end layers -->\n"
    (block,) = find_blocks(text, "a.md", KNOWN)
    assert (block.begin_line, block.end_line) == (1, 2)
    assert read_markdown("\ufeff" + TABLE).tables[0].header == ("A", "B")
