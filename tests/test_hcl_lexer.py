"""HCL as tokens (compiler/formats/hcl_lexer.py): comments and strings where Terraform sees them, never a crash."""

from __future__ import annotations

import pytest

from compiler.formats.hcl_lexer import DefaultLeaf, Token, tokens, variable_defaults


def kinds(text: str, *wanted: str) -> list[tuple[str, str, int]]:
    return [(t.kind, t.text, t.line) for t in tokens(text) if t.kind in wanted]


def test_comments_of_every_kind_with_their_lines() -> None:
    text = '# one\na = "x" // two\n/* three\n   four */ b = 1\nc = "#no" # five\n'
    assert kinds(text, "comment") == [
        ("comment", " one", 1),
        ("comment", " two", 2),
        ("comment", " three\n   four ", 3),
        ("comment", " five", 5),
    ]


def test_a_comment_marker_inside_a_string_or_a_heredoc_is_text() -> None:
    text = 'a = "x # y // z /* w"\nb = <<-EOT\n  # not a comment\n  EOT\nc = "$${x} %%{y}"\n'
    assert kinds(text, "comment") == []
    assert kinds(text, "string", "heredoc") == [
        ("string", "x # y // z /* w", 1),
        ("heredoc", "  # not a comment\n", 2),
        ("string", "${x} %{y}", 5),
    ]


def test_escapes_are_decoded_and_interpolations_kept_as_written() -> None:
    text = 'a = "q\\"q \\\\ \\u0041 ${f("}", "{")} end" # after\n'
    assert kinds(text, "string", "comment") == [
        ("string", 'q"q \\ A ${f("}", "{")} end', 1),
        ("comment", " after", 1),
    ]


def test_an_unterminated_string_ends_at_its_line() -> None:
    assert kinds('a = "open\n# comment\n', "string", "comment") == [("string", "open", 1), ("comment", " comment", 2)]


@pytest.mark.parametrize(
    "text", ['"${' * 20_000, "{" * 20_000, '"${"' * 20_000, "/*" + "x" * 100_000, "<<EOT\n" + "x\n" * 50_000]
)
def test_hostile_nesting_and_sizes_end_without_recursion(text: str) -> None:
    assert list(tokens(text))  # no RecursionError, no endless loop


def test_lines_count_through_block_comments_heredocs_and_crlf() -> None:
    text = "/* a\nb */\r\nx = <<EOT\r\n1\r\n2\r\nEOT\r\ny = 1\r\n"
    assert [(t.text, t.line) for t in tokens(text) if t.kind == "word"] == [("x", 3), ("y", 7), ("1", 7)]


DEFAULTS = """\
variable "plain" {
  type    = string
  default = "one" # a comment
}

variable "nested" {
  default = {
    team = "web"
    auth = { "password" = "two", users = ["three"] }
  }
  description = "not a default"
}

variable "heredoc" { default = <<EOT
four
EOT
}

resource "x" "y" {
  default = "not a variable"
}
"""


def test_the_strings_of_each_variable_default_with_the_keys_above_them() -> None:
    assert list(variable_defaults(tokens(DEFAULTS))) == [
        DefaultLeaf("plain", (), "one", 3),
        DefaultLeaf("nested", ("team",), "web", 8),
        DefaultLeaf("nested", ("auth", "password"), "two", 9),
        DefaultLeaf("nested", ("auth", "users"), "three", 9),
        DefaultLeaf("heredoc", (), "four\n", 14),
    ]


def test_a_token_is_a_plain_record() -> None:
    assert Token("word", "x", 1) == Token("word", "x", 1)
