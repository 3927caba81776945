"""compiler.formats.strict_yaml: strict, safe YAML loading with a position index (and compiler.errors formatting)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_REPO, run_command
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.errors import Problem, SsotError
from compiler.formats.strict_yaml import MAX_BYTES, LoadedYaml, load_yaml
from compiler.formats.yaml_budgets import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_NODES
from compiler.formats.yaml_walk import Position

ROOT = Path(__file__).parent.parent


def problems_of(text: str, filename: str = "f.yaml") -> list[str]:
    """The problems `load_yaml` reports for `text`, as `file:line:col: message` strings.

    Some stop the load (SsotError); the others come back with the data, for validation to report with
    its own. Either way the text must have at least one.
    """
    try:
        found = list(load_yaml(text, filename).problems)
    except SsotError as exc:
        found = exc.problems
    assert found, f"no problem reported for {text!r}"
    return [str(p) for p in found]


# --- Problem and SsotError -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "shown"),
    [
        (Problem("ssot/env.yaml", 12, 5, "bad"), "ssot/env.yaml:12:5: bad"),
        (Problem("ssot/env.yaml", 12, 0, "bad"), "ssot/env.yaml:12: bad"),
        (Problem("ssot/env.yaml", 0, 0, "bad"), "ssot/env.yaml: bad"),
    ],
)
def test_problem_is_shown_as_file_line_col(problem: Problem, shown: str) -> None:
    assert str(problem) == shown


def test_ssot_error_keeps_every_problem_once_in_file_order() -> None:
    late = Problem("f.yaml", 10, 1, "late")
    early = Problem("f.yaml", 2, 3, "early")
    error = SsotError([late, early, late])
    assert error.problems == [early, late]
    assert str(error) == "f.yaml:2:3: early\nf.yaml:10:1: late"


# --- what loads ------------------------------------------------------------------------------------------


def test_plain_yaml_loads_to_python_data() -> None:
    loaded = load_yaml("a: 1\nb: [x, 'y', 2.5]\nc: {d: true, e: null}\n", "f.yaml")
    assert isinstance(loaded, LoadedYaml)
    assert loaded.filename == "f.yaml"
    assert loaded.data == {"a": 1, "b": ["x", "y", 2.5], "c": {"d": True, "e": None}}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: true\n", True),
        ("a: false\n", False),
        ("a: True\n", True),
        ("a: FALSE\n", False),
        ("a: 0\n", 0),
        ("a: 42\n", 42),
        ("a: -5\n", -5),
        ("a: 1.5\n", 1.5),
        ("a: 'no'\n", "no"),
        ('a: "on"\n', "on"),
        ('a: "010"\n', "010"),
        ('a: "2025-12-09"\n', "2025-12-09"),
        ("a: !!str no\n", "no"),
    ],
)
def test_unsurprising_scalars_are_accepted(text: str, value: object) -> None:
    data = load_yaml(text, "f.yaml").data
    assert data == {"a": value}
    assert type(data["a"]) is type(value)


def test_a_utf8_bom_is_tolerated_and_does_not_shift_positions() -> None:
    text = "a: 1\nb:\n  c: x\n"
    plain = load_yaml(text, "f.yaml")
    with_bom = load_yaml("\ufeff" + text, "f.yaml")
    assert with_bom.data == plain.data == {"a": 1, "b": {"c": "x"}}
    assert with_bom.positions == plain.positions
    assert with_bom.locate(("a",), key=True) == (1, 1)


def test_the_example_ssot_loads() -> None:
    loaded = load_yaml((FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8"), "ssot/env.yaml")
    assert list(loaded.data) == ["layers", "isolation", "environments", "variables", "decisions"]


# --- safe loading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object:os.system {}", "!!python/object:os.system"),
        ("!!python/object/apply:os.system ['true']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/module:os", "!!python/module:os"),
        ("!!set {x, y}", "!!set"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!custom thing", "!custom"),
    ],
)
def test_tags_beyond_plain_yaml_are_refused(value: str, shown: str) -> None:
    assert problems_of(f"a: {value}\n") == [f"f.yaml:1:4: tag {shown} is not allowed: the SSOT holds plain YAML only"]


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    target = tmp_path / "made-by-yaml"
    text = f"a: !!python/object/apply:os.mkdir [{str(target)!r}]\nb: !!python/object/apply:os.mkdir [{str(target)!r}]\n"
    problems = problems_of(text)
    assert len(problems) == 2
    assert all("tag !!python/object/apply:os.mkdir is not allowed" in p for p in problems)
    assert not target.exists()


# --- duplicate keys and merge keys -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: duplicate key 'a' (first defined at line 1)"),
        ("a:\n  x: 1\n  y: 2\n  x: 3\n", "f.yaml:4:3: duplicate key 'x' (first defined at line 2)"),
        ("a:\n  - x: 1\n    x: 2\n", "f.yaml:3:5: duplicate key 'x' (first defined at line 2)"),
        ("a: {x: 1, x: 2}\n", "f.yaml:1:11: duplicate key 'x' (first defined at line 1)"),
        ('a: 1\n"a": 2\n', "f.yaml:2:1: duplicate key 'a' (first defined at line 1)"),
    ],
    ids=["top-level", "nested", "in-a-list-item", "flow", "quoted-twin"],
)
def test_duplicate_keys_are_refused(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_merge_keys_work_and_explicit_keys_override_merged_ones() -> None:
    text = "base: &base {x: 1, y: 2}\nd:\n  <<: *base\n  y: 3\n  z: 4\n"
    assert load_yaml(text, "f.yaml").data == {"base": {"x": 1, "y": 2}, "d": {"x": 1, "y": 3, "z": 4}}


def test_an_explicit_key_before_the_merge_key_still_wins() -> None:
    text = "base: &base {x: 1, y: 2}\nd:\n  y: 3\n  <<: *base\n"
    assert load_yaml(text, "f.yaml").data["d"] == {"x": 1, "y": 3}


def test_a_list_of_merge_sources_lets_the_first_win() -> None:
    text = "one: &one {x: 1}\ntwo: &two {x: 2, z: 5}\nd:\n  <<: [*one, *two]\n"
    assert load_yaml(text, "f.yaml").data["d"] == {"x": 1, "z": 5}


def test_merged_keys_are_positioned_where_they_are_written() -> None:
    loaded = load_yaml("base: &base\n  x: 1\nd:\n  <<: *base\n  y: 3\n", "f.yaml")
    assert loaded.locate(("d", "x"), key=True) == (2, 3)
    assert loaded.locate(("d", "y"), key=True) == (5, 3)


def test_a_duplicate_explicit_key_is_refused_even_next_to_a_merge() -> None:
    text = "base: &base {x: 1}\nd:\n  <<: *base\n  x: 2\n  x: 3\n"
    assert problems_of(text) == ["f.yaml:5:3: duplicate key 'x' (first defined at line 4)"]


def test_a_merge_key_needs_a_mapping() -> None:
    assert problems_of("d:\n  <<: 1\n") == ["f.yaml:2:7: a merge key (<<) takes a mapping or a list of mappings"]


def test_a_misused_merge_key_does_not_hide_the_other_problems() -> None:
    assert problems_of("d:\n  <<: 1\na: no\n") == [
        "f.yaml:2:7: a merge key (<<) takes a mapping or a list of mappings",
        "f.yaml:3:4: 'no' is read by YAML 1.1 as the boolean false; quote it (\"no\") if you mean text",
    ]


# --- YAML 1.1 surprises ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "meaning"),
    [
        ("no", "false"),
        ("on", "true"),
        ("yes", "true"),
        ("off", "false"),
        ("NO", "false"),
        ("Yes", "true"),
        ("Off", "false"),
    ],
)
def test_yaml11_boolean_words_as_values_are_refused_with_a_hint_to_quote(word: str, meaning: str) -> None:
    assert problems_of(f"a: {word}\n") == [
        f'f.yaml:1:4: {word!r} is read by YAML 1.1 as the boolean {meaning}; quote it ("{word}") if you mean text'
    ]


@pytest.mark.parametrize(
    ("written", "number"),
    [("010", 8), ("0x1F", 31), ("0b101", 5), ("1:20", 80), ("-010", -8), ("00", 0)],
)
def test_yaml11_integers_in_surprising_spellings_are_refused(written: str, number: int) -> None:
    assert problems_of(f"a: {written}\n") == [
        f'f.yaml:1:4: {written!r} is read by YAML 1.1 as the number {number}; quote it ("{written}") if you mean text'
    ]


@pytest.mark.parametrize(
    ("key", "kind"),
    [("no", "boolean"), ("on", "boolean"), ("true", "boolean"), ("1", "number"), ("1.5", "number"), ("null", "null")],
)
def test_keys_that_yaml_does_not_read_as_strings_are_refused(key: str, kind: str) -> None:
    assert problems_of(f"env:\n  {key}: x\n") == [
        f'f.yaml:2:3: key {key!r} is read by YAML as a {kind}, not a string; quote it: "{key}"'
    ]


def test_a_quoted_boolean_word_is_a_fine_key() -> None:
    assert load_yaml('"no": x\n', "f.yaml").data == {"no": "x"}


def test_a_complex_key_is_refused() -> None:
    assert problems_of("? [a, b]\n: 1\n") == ["f.yaml:1:3: a key must be a plain string, not a list or a mapping"]


@pytest.mark.parametrize("written", ["2025-12-09", "2025-12-09T10:00:00Z"])
def test_dates_are_refused_with_a_hint_to_quote(written: str) -> None:
    assert problems_of(f"a: {written}\n") == [
        f"f.yaml:1:4: {written!r} is read by YAML as a date; quote it if you mean text"
    ]


def test_yaml11_sexagesimal_floats_are_refused_like_sexagesimal_integers() -> None:
    assert problems_of("a: 1:30.5\n") == [
        "f.yaml:1:4: '1:30.5' is read by YAML 1.1 as the number 90.5; quote it (\"1:30.5\") if you mean text"
    ]


def test_a_bare_equals_sign_gets_a_hint_to_quote() -> None:
    assert problems_of("a: =\n") == ["f.yaml:1:4: '=' has a special meaning in YAML; quote it (\"=\")"]


# --- malformed input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "a: 1\n\tb: 2\n"])
def test_tabs_are_explained(text: str) -> None:
    assert problems_of(text) == [
        (
            "f.yaml:2:1: YAML syntax error: while scanning for the next token: found character '\\t' "
            "that cannot start any token (YAML indents with spaces, never tabs)"
        )
    ]


def test_an_unclosed_bracket_is_a_syntax_error_where_the_parser_stops() -> None:
    assert problems_of("a: 1\nb: [1, 2\nc: 3\n") == [
        (
            "f.yaml:3:2: YAML syntax error: while parsing a flow sequence: expected ',' or ']', but got ':' "
            "(the '[' begun at line 2, column 4)"
        )
    ]


def test_an_unclosed_bracket_at_the_end_of_the_file() -> None:
    assert problems_of("a: [1, 2\n") == [
        (
            "f.yaml:2:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']', "
            "but got '<stream end>' (the '[' begun at line 1, column 4)"
        )
    ]


def test_an_unclosed_bracket_names_the_line_where_it_was_opened() -> None:
    text = (FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8")
    old = "components: [K3s Cluster, Atlantis, DNS/Cert, Storage, Platform PG]"
    assert text.count(old) == 1
    opened_at = text[: text.index(old)].count("\n") + 1
    opened_col = text.index(old) - text.rfind("\n", 0, text.index(old)) + len("components: ")
    assert problems_of(text.replace(old, old.rstrip("]")), "ssot/env.yaml") == [
        (
            f"ssot/env.yaml:{opened_at + 1}:5: YAML syntax error: while parsing a flow sequence: "
            f"expected ',' or ']', but got ':' (the '[' begun at line {opened_at}, column {opened_col})"
        )
    ]


def test_an_unclosed_quote_is_a_syntax_error() -> None:
    assert problems_of('a: "abc\nb: 1\n') == [
        (
            "f.yaml:3:1: YAML syntax error: while scanning a quoted scalar: found unexpected end of stream "
            "(the quoted string begun at line 1, column 4)"
        )
    ]


def test_a_second_document_is_refused() -> None:
    assert problems_of("a: 1\n---\nb: 2\n") == [
        (
            "f.yaml:2:1: YAML syntax error: expected a single document in the stream: but found another document "
            "(the first document begun at line 1, column 1)"
        )
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff"])
def test_an_empty_file_is_refused(text: str) -> None:
    assert problems_of(text) == ["f.yaml:1:1: the file is empty; expected a mapping (layers, environments, ...)"]


def test_deep_nesting_is_refused() -> None:
    depth = 5000
    (problem,) = problems_of("a: " + "[" * depth + "]" * depth + "\n")
    # where the parser gave up: inside the brackets, on their line
    assert re.fullmatch(r"f\.yaml:1:(\d+): YAML nesting is too deep", problem), problem


def test_nesting_at_the_limit_loads() -> None:
    depth = MAX_DEPTH  # the value of `a` is at depth 1, so the innermost list is at depth MAX_DEPTH
    assert load_yaml("a: " + "[" * depth + "]" * depth + "\n", "f.yaml").problems == ()


def test_nesting_past_the_limit_is_refused_where_it_goes_too_deep() -> None:
    depth = MAX_DEPTH + 1
    assert problems_of("a: " + "[" * depth + "]" * depth + "\n") == [
        f"f.yaml:1:{3 + depth}: nested more than {MAX_DEPTH} levels deep; refusing to load"
    ]


def _tree_text(tree: object) -> str:
    """A YAML flow text of `tree` (nested lists and dicts of short words), anchors and aliases aside."""
    if isinstance(tree, list):
        return "[" + ", ".join(_tree_text(item) for item in tree) + "]"
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{key}: {_tree_text(value)}" for key, value in tree.items()) + "}"
    return str(tree)


_TREES = st.recursive(
    st.sampled_from(["x", "y"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["k", "m", "n"]), inner, max_size=3),
    max_leaves=30,
)


@given(tree=_TREES, depth=st.integers(1, 6), nodes=st.integers(1, 40))
@settings(max_examples=150, deadline=None)
def test_a_file_without_aliases_meets_the_budgets_as_the_full_check_judges(
    tree: object, depth: int, nodes: int
) -> None:
    """A file without anchors is judged by a quick pass over its tree; it must refuse exactly what the full
    check (aliases counted) refuses, with the same message at the same place, whatever the limits."""
    from unittest import mock

    from compiler.formats import yaml_budgets, yaml_walk

    text = f"top: {_tree_text(tree)}\n"
    with mock.patch.object(yaml_budgets, "MAX_DEPTH", depth), mock.patch.object(yaml_budgets, "MAX_NODES", nodes):
        quick = yaml_walk.Walker("f.yaml", text)
        quick.check_expansion(yaml.compose(text, Loader=yaml.SafeLoader))
        full = yaml_walk.Walker("f.yaml", text + "# & (an ampersand: the full check)\n")
        full.check_expansion(yaml.compose(text, Loader=yaml.SafeLoader))
    assert quick.fatal == full.fatal


# --- characters YAML refuses ----------------------------------------------------------------------------


@pytest.mark.parametrize(("character", "name"), [("\0", "NUL"), ("\x1b", "U+001B"), ("\x7f", "U+007F")])
def test_a_control_character_is_refused_at_its_line_and_column(character: str, name: str) -> None:
    assert problems_of(f"a: 1\nb: x{character}y\n") == [
        f"f.yaml:2:5: character {name} is not allowed in YAML (a control character: a binary file?)"
    ]


# --- alias expansion -------------------------------------------------------------------------------------


def test_small_aliases_expand() -> None:
    assert load_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml").data == {"a": [1, 2], "b": [1, 2]}


def alias_bomb() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    previous = "a"
    for name in "bcdef":  # 10**6 leaves once expanded
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused() -> None:
    with pytest.raises(SsotError) as info:
        load_yaml(alias_bomb(), "f.yaml")
    assert [p.message for p in info.value.problems] == [
        f"expands to more than {MAX_NODES} values through aliases; refusing to load"
    ]


def test_an_alias_bomb_is_reported_where_the_expansion_passes_the_limit() -> None:
    assert problems_of(alias_bomb()) == [
        f"f.yaml:5:4: expands to more than {MAX_NODES} values through aliases; refusing to load"
    ]


def test_a_big_list_without_aliases_is_refused_as_too_big_not_as_an_alias_bomb() -> None:
    assert problems_of("a: [" + ", ".join(["x"] * (MAX_NODES + 1)) + "]\n") == [
        f"f.yaml:1:4: holds more than {MAX_NODES} values; refusing to load"
    ]


def test_a_self_referencing_alias_is_refused() -> None:
    # In a subprocess capped at 1 GiB: if the guard fails, the walk of a cyclic graph grows without end,
    # and must take down that process, not the test run (or the machine).
    resource = pytest.importorskip("resource")
    limit = 1 << 30

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    code = (
        "from compiler.errors import SsotError\n"
        "from compiler.formats.strict_yaml import load_yaml\n"
        "try:\n"
        "    load_yaml('a: &a [*a]\\n', 'f.yaml')\n"
        "except SsotError as exc:\n"
        "    print(exc)\n"
    )
    result = run_command([sys.executable, "-c", code], cwd=ROOT, preexec_fn=cap_memory)
    assert result.code == 0, result
    assert result.stdout == "f.yaml:1:4: an alias refers to a collection that contains it (a recursive structure)\n"


def test_aliases_are_counted_by_the_text_they_expand_to() -> None:
    """One 1 MB scalar aliased 3,000 times is 3,001 values, far below MAX_NODES, but 3 GB of text."""
    text = "a: &big " + "x" * 1_000_000 + "\nb: [" + ", ".join(["*big"] * 3000) + "]\n"
    assert problems_of(text) == [
        f"f.yaml:2:4: expands to more than {MAX_EXPANDED_CHARS >> 20} MiB of text through aliases; refusing to load"
    ]


def test_aliases_within_the_text_budget_load() -> None:
    size = MAX_EXPANDED_CHARS // 4
    loaded = load_yaml("a: &big " + "x" * size + "\nb: [*big, *big]\n", "f.yaml")
    assert loaded.data["b"] == ["x" * size] * 2


def test_a_file_past_the_byte_budget_is_refused_before_parsing() -> None:
    text = "a: 1\n" + "# padding\n" * (MAX_BYTES // 10 + 1)
    with pytest.raises(SsotError) as info:
        load_yaml(text, "ssot/env.yaml")
    size = f"{len(text) / (1 << 20):.1f}"
    assert [str(p) for p in info.value.problems] == [
        f"ssot/env.yaml: is {size} MiB; a YAML file here may hold at most 5 MiB (a hand-written one is a few KiB): "
        + "is it the right file?"
    ]


# --- numbers Terraform has, characters text may hold ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        (".inf", "infinity"),
        ("+.Inf", "infinity"),
        ("-.INF", "minus infinity"),
        (".nan", "NaN (not a number)"),
        ("1.0e+999", "infinity"),
    ],
)
def test_non_finite_numbers_are_refused_at_their_line(written: str, read_as: str) -> None:
    hint = f'write a finite number, or quote it ("{written}") if you mean text'
    assert problems_of(f"a: 1\nb: {written}\n") == [
        f"f.yaml:2:4: {written!r} is read by YAML as {read_as}, which is no number Terraform has; {hint}"
    ]


def test_finite_numbers_and_quoted_inf_load() -> None:
    assert load_yaml('a: 1.5e+3\nb: ".inf"\nc: -0.5\n', "f.yaml").data == {"a": 1500.0, "b": ".inf", "c": -0.5}


CONTROL_HINT = "which no SSOT text may hold; remove it (in double quotes, an escape such as \\x01 or \\0 writes one)"


@pytest.mark.parametrize(
    ("text", "where", "character"),
    [
        ('name: "Boot\\x01strap\\0"\n', "1:7", "U+0001 (a control character)"),
        ('a:\n  b: "x\\0"\n', "2:6", "NUL (a control character)"),
        ('a: "\\e[31mred"\n', "1:4", "U+001B (a control character)"),
        ('a: "line\\r\\n"\n', "1:4", "U+000D (a control character)"),
        ('a: "\\x7f"\n', "1:4", "U+007F (a control character)"),
        ('a: "\\N"\n', "1:4", "U+0085 (a control character)"),
        ('a: "\\L"\n', "1:4", "U+2028 (line separator)"),
        ('a: [ok, "x\\u202Ey"]\n', "1:9", "U+202E (right-to-left override)"),
        ('"key\\x1b": 1\n', "1:1", "U+001B (a control character)"),
    ],
)
def test_control_characters_are_refused_at_their_line(text: str, where: str, character: str) -> None:
    assert problems_of(text) == [f"f.yaml:{where}: text holds the character {character}, {CONTROL_HINT}"]


def test_a_control_character_is_never_quoted_back() -> None:
    (problem,) = problems_of('token: "s3cr3t\\x01"\n')
    assert "s3cr3t" not in problem


def test_tabs_and_line_breaks_are_text() -> None:
    loaded = load_yaml('a: "one\\ttwo"\nb: |\n  line one\n  line two\n', "f.yaml")
    assert (loaded.problems, loaded.data) == ((), {"a": "one\ttwo", "b": "line one\nline two\n"})


# --- several problems at once ----------------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    text = "a: no\nb: 010\nc:\n  d: 2025-12-09\n  e: !!python/name:os.system\na: 2\n"
    assert problems_of(text) == [
        "f.yaml:1:4: 'no' is read by YAML 1.1 as the boolean false; quote it (\"no\") if you mean text",
        "f.yaml:2:4: '010' is read by YAML 1.1 as the number 8; quote it (\"010\") if you mean text",
        "f.yaml:4:6: '2025-12-09' is read by YAML as a date; quote it if you mean text",
        "f.yaml:5:6: tag !!python/name:os.system is not allowed: the SSOT holds plain YAML only",
        "f.yaml:6:1: duplicate key 'a' (first defined at line 1)",
    ]


# --- the position index ----------------------------------------------------------------------------------

NESTED = """\
# a comment
layers:
  L1:
    name: Bootstrap
    components: [K3s, Atlantis]
  L3:
    namespace: "data-{env}"
decisions:
  - title: One
    trade_offs:
      - risk: Shared
        mitigations:
          - first
          - second
"""


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ((), Position(2, 1, 2, 1)),
        (("layers",), Position(3, 3, 2, 1)),
        (("layers", "L1"), Position(4, 5, 3, 3)),
        (("layers", "L1", "name"), Position(4, 11, 4, 5, source="Bootstrap")),
        (("layers", "L1", "components", 1), Position(5, 23, 5, 23, source="Atlantis")),
        (("layers", "L3", "namespace"), Position(7, 16, 7, 5, source="data-{env}", quoted=True)),
        (("decisions", 0, "title"), Position(9, 12, 9, 5, source="One")),
        (("decisions", 0, "trade_offs", 0, "mitigations", 1), Position(14, 13, 14, 13, source="second")),
    ],
)
def test_positions_index_every_path(path: tuple[str | int, ...], position: Position) -> None:
    assert load_yaml(NESTED, "f.yaml").positions[path] == position


@pytest.mark.parametrize(
    ("path", "key", "where"),
    [
        (("layers", "L3", "namespace"), False, (7, 16)),
        (("layers", "L3", "namespace"), True, (7, 5)),
        (("decisions", 0, "trade_offs", 0, "risk"), True, (11, 9)),
        # not written: the nearest written ancestor
        (("layers", "L3", "workspace"), False, (7, 5)),
        (("layers", "L3", "workspace"), True, (6, 3)),
        (("environments", "prod"), False, (2, 1)),
    ],
)
def test_locate_finds_a_path_or_its_nearest_ancestor(
    path: tuple[str | int, ...], key: bool, where: tuple[int, int]
) -> None:
    assert load_yaml(NESTED, "f.yaml").locate(path, key=key) == where


def test_locate_in_the_example_ssot_points_at_the_written_line() -> None:
    text = (FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8")
    loaded = load_yaml(text, "ssot/env.yaml")
    lines = text.splitlines()
    line, col = loaded.locate(("environments", "prod", "env_prefix"), key=True)
    assert lines[line - 1][col - 1 :].startswith("env_prefix:")
    line, col = loaded.locate(("layers", "L3", "atlantis_project"))
    assert lines[line - 1][col - 1 :].startswith("data-{env}")
    line, col = loaded.locate(("decisions", 0, "trade_offs", 0, "mitigations", 2))
    assert lines[line - 1][col - 1 :] == "Resource Quotas (CPU/RAM) can be applied to namespaces."


@pytest.mark.parametrize(
    "text",
    [
        (FIXTURE_REPO / "ssot/env.yaml").read_text(encoding="utf-8"),
        'a: &x {b: "é", c: [1, 2]}\nd: *x\n"ké": !!str 010\ne: no\nf: 1.10\n',
    ],
    ids=["example-ssot", "anchors-tags-unicode-yaml11"],
)
def test_libyaml_and_pyyaml_read_the_same_data_positions_and_problems(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml's parser is the fast path; PyYAML's own must give the very same result."""
    import yaml

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml: there is no fast path to compare")
    fast = load_yaml(text, "f.yaml")
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    slow = load_yaml(text, "f.yaml")
    assert (fast.data, fast.positions, fast.problems) == (slow.data, slow.positions, slow.problems)
