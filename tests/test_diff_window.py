"""A drift's diff compares only where two texts differ: correct hunks, numbered as in the whole file, and cut
(saying so) past MAX_DIFFERING lines, so that a check after every environment was renamed takes seconds."""

from __future__ import annotations

import difflib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.compare.diff_window import CUT_NOTE, MAX_DIFFERING, diff_window
from compiler.compare.files import artifact_drift
from compiler.compare.markdown import compare_markdown

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _applied(current: list[str], diff: str) -> list[str]:
    """`current` with a unified diff's hunks applied, each checked against the lines it says it removes."""
    result: list[str] = []
    at = 0  # lines of `current` used so far
    lines = diff.splitlines()[2:]  # past the ---/+++ lines
    for line in lines:
        if hunk := _HUNK.fullmatch(line):
            start, length = int(hunk[1]), int(hunk[2] if hunk[2] is not None else 1)
            first = start - 1 if length else start  # an empty side names the line before it
            result += current[at:first]
            at = first
        elif line.startswith(("-", " ")):
            assert current[at] == line[1:], (at, line)
            at += 1
            if line.startswith(" "):
                result.append(line[1:])
        elif line.startswith("+"):
            result.append(line[1:])
    return result + current[at:]


def _texts(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


@given(
    current=st.lists(st.sampled_from(["", "a", "b", "```", "| x |"]), max_size=40),
    expected=st.lists(st.sampled_from(["", "a", "b", "c", "```"]), max_size=40),
    prefix=st.integers(0, 30),
)
@settings(max_examples=300, deadline=None)
def test_a_windowed_diff_turns_the_current_file_into_the_expected_one(
    current: list[str], expected: list[str], prefix: int
) -> None:
    """Lines repeat (blank lines, fences) and both sides share a start: the hunks, numbered in the whole
    file, still apply."""
    shared = [f"line {n}" for n in range(prefix)]
    have, want = shared + current + shared, shared + expected + shared
    if have == want:
        return
    finding = artifact_drift("f.txt", _texts(have), _texts(want))
    assert finding.diff is not None
    assert _applied(have, finding.diff) == want


def test_one_change_near_the_end_of_a_long_file_is_numbered_as_in_the_file() -> None:
    have = [f"row {n}" if n % 3 else "" for n in range(3000)]
    want = [*have[:2900], "changed", *have[2901:]]
    finding = artifact_drift("f.txt", _texts(have), _texts(want))
    whole = "".join(
        difflib.unified_diff(
            _texts(have).splitlines(True), _texts(want).splitlines(True), "f.txt (current)", "f.txt (expected)"
        )
    )
    assert finding.diff == whole
    assert finding.line == 2901


def test_a_diff_of_thousands_of_changed_lines_stops_and_says_how_to_see_them_all() -> None:
    have = [line for n in range(3000) for line in (f"- e{n}", "", "```")]
    want = [line for n in range(3000) for line in (f"- r{n}", "", "```")]
    finding = artifact_drift("f.txt", _texts(have), _texts(want))
    assert finding.diff is not None and finding.diff.endswith(CUT_NOTE)
    assert "`ssot build`, then `git diff`" in CUT_NOTE
    changed = [line for line in finding.diff.splitlines() if line.startswith(("-", "+"))][2:]
    assert 0 < len(changed) <= 2 * MAX_DIFFERING
    assert finding.diff.splitlines()[2].startswith("@@ -1,")  # from the first difference


def test_a_markdown_page_with_every_line_changed_gives_a_cut_diff_at_its_first_difference() -> None:
    have = "# Page\n\n" + "".join(f"Environment e{n} runs here.\n\n```hcl\nx = 1\n```\n\n" for n in range(2000))
    want = "# Page\n\n" + "".join(f"Environment r{n} runs here.\n\n```hcl\nx = 1\n```\n\n" for n in range(2000))
    (finding,) = compare_markdown("page.md", have, want)
    assert finding.line == 3
    assert finding.diff is not None
    assert finding.diff.splitlines()[2] == "@@ line 1 @@"  # two units of context: the heading
    assert finding.diff.endswith(CUT_NOTE)


def test_a_markdown_change_after_a_long_equal_start_keeps_its_line_number() -> None:
    have = "# Page\n\n" + "".join(f"Paragraph {n}.\n\n" for n in range(1000))
    want = have.replace("Paragraph 900.", "Paragraph nine hundred.")
    (finding,) = compare_markdown("page.md", have, want)
    assert finding.diff is not None
    assert "@@ line 1799 @@" in finding.diff  # two paragraphs of context before line 1803
    assert "-Paragraph 900.\n+Paragraph nine hundred.\n" in finding.diff
    assert CUT_NOTE not in finding.diff


def test_the_window_is_the_whole_difference_with_its_context() -> None:
    a = ["x"] * 10 + ["a"] + ["y"] * 10
    b = ["x"] * 10 + ["b", "c"] + ["y"] * 10
    assert diff_window(a, b, 2) == (8, 13, 14, False)
    assert diff_window(a, a, 2).cut is False
