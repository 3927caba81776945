"""Named blocks: finding them (with exact messages for every broken marker) and replacing their insides."""

from __future__ import annotations

import pytest

from compiler.errors import SsotError
from compiler.formats.blocks import Block, block_bodies, find_blocks, replace_blocks

KNOWN = {"layers", "isolation"}
BEGIN = "<!-- ssot:begin layers -->"
END = "<!-- ssot:end layers -->"


def problems(text: str, known: set[str] = KNOWN, fields: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    with pytest.raises(SsotError) as caught:
        find_blocks(text, "docs/page.md", known, fields)
    return [str(problem) for problem in caught.value.problems]


def lines(*rows: str) -> str:
    return "".join(row + "\n" for row in rows)


# -- finding blocks --


def test_blocks_are_found_in_order_with_their_marker_lines() -> None:
    text = lines("# Page", BEGIN, "old", END, "", "<!-- ssot:begin isolation -->", "<!-- ssot:end isolation -->")
    assert find_blocks(text, "docs/page.md", KNOWN) == [Block("layers", 2, 4), Block("isolation", 6, 7)]


def test_a_page_without_markers_has_no_blocks() -> None:
    assert find_blocks("# Page\n\nNo markers here.\n", "docs/page.md", KNOWN) == []
    assert find_blocks("", "docs/page.md", KNOWN) == []


def test_marker_spacing_is_flexible_but_a_marker_is_a_line_of_its_own() -> None:
    text = lines("<!--ssot:begin layers-->", "  <!--   ssot:end   layers   -->  ")
    assert find_blocks(text, "docs/page.md", KNOWN) == [Block("layers", 1, 2)]


def test_missing_end_marker() -> None:
    assert problems(lines("# Page", "", BEGIN, "table")) == [
        "docs/page.md:3: block 'layers' has no end marker; add <!-- ssot:end layers -->"
    ]


def test_a_yaml_file_is_told_to_add_a_yaml_end_marker() -> None:
    with pytest.raises(SsotError) as caught:
        find_blocks(lines("nav:", "  # ssot:begin nav", "  - Home: index.md"), "mkdocs.yml", {"nav"})
    assert [str(p) for p in caught.value.problems] == [
        "mkdocs.yml:2: block 'nav' has no end marker; add # ssot:end nav"
    ]


def test_end_marker_before_its_begin_marker() -> None:
    assert problems(lines("# Page", END, BEGIN, END)) == [
        "docs/page.md:2: end marker for 'layers' without a begin marker before it"
    ]


def test_end_marker_with_another_name() -> None:
    found = problems(lines(BEGIN, "<!-- ssot:end isolation -->", "text"))
    assert (
        "docs/page.md:2: end marker for 'isolation' inside block 'layers' (begun at line 1); "
        "expected <!-- ssot:end layers -->"
    ) in found
    assert "docs/page.md:1: block 'layers' has no end marker; add <!-- ssot:end layers -->" in found


def test_nested_begin_marker_blames_the_unclosed_block_once() -> None:
    assert problems(lines(BEGIN, "<!-- ssot:begin isolation -->", "<!-- ssot:end isolation -->", END)) == [
        (
            "docs/page.md:1: block 'layers' has no end marker before block 'isolation' begins at line 2 "
            "(blocks cannot nest); add <!-- ssot:end layers -->"
        ),
        "docs/page.md:4: end marker for 'layers' without a begin marker before it",
    ]


def test_duplicated_block_name() -> None:
    assert problems(lines(BEGIN, END, "", BEGIN, END)) == [
        "docs/page.md:4: block 'layers' appears twice (first at line 1)"
    ]


def test_unknown_block_name_lists_the_known_ones() -> None:
    assert problems(lines("<!-- ssot:begin layer -->", "<!-- ssot:end layer -->")) == [
        "docs/page.md:1: unknown block 'layer'; known blocks: isolation, layers"
    ]


@pytest.mark.parametrize("marker", ["<!-- ssot:begin -->", "<!-- ssot:begin layers", "<!-- ssot:start layers -->"])
def test_malformed_marker(marker: str) -> None:
    hint = "write <!-- ssot:begin NAME --> or <!-- ssot:end NAME --> on a line of its own"
    assert problems(lines("# Page", marker)) == [f"docs/page.md:2: malformed marker {marker!r}; {hint}"]


def test_every_broken_marker_of_a_file_is_reported_at_once() -> None:
    found = problems(lines("<!-- ssot:begin -->", "", "<!-- ssot:begin nope -->", "<!-- ssot:end nope -->"))
    assert [problem.split(":")[1] for problem in found] == ["1", "3"]


def test_markers_inside_fenced_code_blocks_are_text() -> None:
    text = lines(
        "How to write a block:",
        "",
        "```markdown",
        BEGIN,
        "<!-- ssot:begin -->",
        "```",
        "",
        "~~~",
        "```",
        "<!-- ssot:end isolation -->",
        "~~~",
        "",
        "````",
        "```",
        BEGIN,
        "````",
        "",
        BEGIN,
        END,
    )
    assert find_blocks(text, "docs/page.md", KNOWN) == [Block("layers", 18, 19)]


def test_a_marker_mentioned_in_prose_is_not_a_marker() -> None:
    text = lines("Write `<!-- ssot:begin NAME -->` and <!-- ssot:end NAME --> on lines of their own.")
    assert find_blocks(text, "docs/page.md", KNOWN) == []


def test_markers_in_a_fenced_example_inside_a_list_item_are_text() -> None:
    text = lines(
        "1. Add the markers where the table belongs:",
        "",
        "    ```markdown",
        "    " + BEGIN,
        "    " + END,
        "    ```",
        "",
        "2. Run `ssot build`.",
    )
    assert find_blocks(text, "docs/page.md", KNOWN) == []


@pytest.mark.parametrize("separator", ["\f", "\u2028"], ids=["form-feed", "line-separator"])
def test_line_numbers_count_newlines_only(separator: str) -> None:
    text = lines(f"Prose{separator}with an odd character.", BEGIN, "table")
    assert problems(text) == ["docs/page.md:2: block 'layers' has no end marker; add <!-- ssot:end layers -->"]


# -- replacing blocks --


def replace(text: str, rendered: dict[str, str]) -> str:
    return replace_blocks(text, find_blocks(text, "docs/page.md", KNOWN), rendered)


def test_the_inside_is_replaced_and_every_byte_outside_is_kept() -> None:
    before = "# Page  \n\n\tTab, café, trailing spaces   \n"
    after = "\nMore *prose*\n\nno final newline"
    text = before + lines(BEGIN, "old row 1", "old row 2", END) + after
    replaced = replace(text, {"layers": "| new |\n"})
    assert replaced == before + BEGIN + "\n\n| new |\n\n" + END + "\n" + after


def test_an_empty_block_is_filled_and_the_result_is_stable() -> None:
    text = lines("# Page", BEGIN, END, "tail")
    once = replace(text, {"layers": "- one\n- two\n"})
    assert once == lines("# Page", BEGIN, "", "- one", "- two", "", END, "tail")
    assert replace(once, {"layers": "- one\n- two\n"}) == once


def test_several_blocks_are_replaced_independently() -> None:
    text = lines("a", BEGIN, "x", END, "b", "<!-- ssot:begin isolation -->", "y", "<!-- ssot:end isolation -->", "c")
    replaced = replace(text, {"layers": "L\n", "isolation": "I\n"})
    assert replaced == lines(
        "a",
        BEGIN,
        "",
        "L",
        "",
        END,
        "b",
        "<!-- ssot:begin isolation -->",
        "",
        "I",
        "",
        "<!-- ssot:end isolation -->",
        "c",
    )


def test_crlf_is_kept_outside_and_used_inside() -> None:
    text = "# Page\r\n\r\n" + BEGIN + "\r\nold\r\n" + END + "\r\ntail\r\n"
    replaced = replace(text, {"layers": "| a |\n| b |\n"})
    assert replaced == "# Page\r\n\r\n" + BEGIN + "\r\n\r\n| a |\r\n| b |\r\n\r\n" + END + "\r\ntail\r\n"
    assert replaced.count("\n") == replaced.count("\r\n")


def test_an_end_marker_on_the_last_line_without_newline() -> None:
    text = "x\n" + BEGIN + "\nold\n" + END
    assert replace(text, {"layers": "new\n"}) == "x\n" + BEGIN + "\n\nnew\n\n" + END


def test_block_bodies_reads_the_insides_as_lf_text() -> None:
    text = "x\r\n" + BEGIN + "\r\n\r\n| a |\r\n\r\n" + END + "\r\n"
    blocks = find_blocks(text, "docs/page.md", KNOWN)
    assert block_bodies(text, blocks) == {"layers": "\n| a |\n\n"}
    assert block_bodies(lines(BEGIN, END), find_blocks(lines(BEGIN, END), "docs/page.md", KNOWN)) == {"layers": ""}


def test_block_bodies_returns_what_replace_blocks_wrote() -> None:
    body = "| Layer | Name |\n| --- | --- |\n| L1 | Bootstrap |\n"
    replaced = replace(lines("# Page", BEGIN, END), {"layers": body})
    assert block_bodies(replaced, find_blocks(replaced, "docs/page.md", KNOWN))["layers"].strip("\n") == body.strip(
        "\n"
    )


# -- markers in upper case, and options --

#: what the registry passes: each table block's fields, which a `columns` option may name
FIELDS = {"layers": ("id", "name", "scope", "managed_by")}


def test_an_upper_case_marker_is_malformed_and_says_to_write_it_in_lower_case() -> None:
    text = lines("# Page", "<!-- SSOT:BEGIN layers -->", "old", "<!-- Ssot:End layers -->")
    assert problems(text) == [
        (
            "docs/page.md:2: malformed marker '<!-- SSOT:BEGIN layers -->': markers are written in lower case; "
            "write <!-- ssot:begin layers -->"
        ),
        (
            "docs/page.md:4: malformed marker '<!-- Ssot:End layers -->': markers are written in lower case; "
            "write <!-- ssot:end layers -->"
        ),
    ]


def test_columns_are_read_in_order_with_their_labels_or_none() -> None:
    text = lines('<!-- ssot:begin layers columns="id=Layer, name , scope=Portée,managed_by=Géré par" -->', END)
    (block,) = find_blocks(text, "docs/page.md", KNOWN, FIELDS)
    assert block == Block(
        "layers", 1, 2, columns=(("id", "Layer"), ("name", None), ("scope", "Portée"), ("managed_by", "Géré par"))
    )


def test_an_unknown_column_is_reported_at_its_marker_with_the_fields_available() -> None:
    text = lines("# Page", '<!-- ssot:begin layers columns="id=Couche,nme=Nom,owner" -->', END)
    assert problems(text, fields=FIELDS) == [
        (
            "docs/page.md:2: block 'layers' has no column 'nme'; did you mean 'name'? "
            "columns available: id, name, scope, managed_by"
        ),
        "docs/page.md:2: block 'layers' has no column 'owner'; columns available: id, name, scope, managed_by",
    ]


def test_a_block_that_is_no_table_takes_no_columns() -> None:
    text = lines('<!-- ssot:begin isolation columns="env" -->', "<!-- ssot:end isolation -->")
    assert problems(text, fields=FIELDS) == [
        "docs/page.md:1: block 'isolation' is not a table and takes no columns option; remove columns=\"env\""
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("columns=id", "cannot read 'columns=id'; write options as key=\"value\""),
        ('colums="id"', "unknown option 'colums'; options: columns"),
        ('columns="id" columns="name"', "option 'columns' is given twice"),
        ('columns="id,,name"', 'columns="id,,name": an empty column; write field or field=Label, separated by commas'),
        ('columns="id=,name"', "columns: id= has an empty label; write id alone for the default label"),
        ('columns="id,id=Layer"', "columns: 'id' is named twice"),
        ('columns="managed by"', "columns: 'managed by' is not a field name (letters, digits and _)"),
    ],
)
def test_malformed_options_are_reported_at_their_marker(options: str, message: str) -> None:
    text = lines("# Page", f"<!-- ssot:begin layers {options} -->", END)
    assert problems(text, fields=FIELDS) == [f"docs/page.md:2: marker of block 'layers': {message}"]


def test_an_end_marker_takes_no_options() -> None:
    text = lines(BEGIN, '<!-- ssot:end layers columns="id" -->')
    assert problems(text) == [
        "docs/page.md:2: end marker for 'layers' takes no options; write <!-- ssot:end layers -->"
    ]


def test_options_are_read_even_when_any_block_name_goes() -> None:
    """The comparator reads blocks without knowing their fields: the columns are still there."""
    text = lines('<!-- ssot:begin layers columns="anything=X" -->', END)
    assert find_blocks(text, "docs/page.md", None)[0].columns == (("anything", "X"),)
