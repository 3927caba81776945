"""Values read as Terraform reads them, by the fast reader and by python-hcl2 alike.

python-hcl2 serializes a number with an exponent as an expression ("${1.5e3}") and keeps an escaped `$${`
as written; Terraform reads the number 1500 and the text `${`. A value Terraform computes (a `for`
expression) is refused with a message at its line, never a traceback.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest

from compiler import codes
from compiler.errors import SsotError
from compiler.formats import hcl


def both_readers(function: Any, text: str) -> list[Any]:
    """What `function` (hcl.parse_tfvars or parse_variables) answers with the fast reader, then without it."""
    first = function(text, "f")
    with patch.object(hcl, "read_tfvars", lambda _: None), patch.object(hcl, "read_variables", lambda *_: None):
        return [first, function(text, "f")]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1.5e3", 1500),
        ("2.5E-1", 0.25),
        ("[1e3, -2E+2]", [1000, -200]),
        ('{ a = 1e1, b = "x" }', {"a": 10, "b": "x"}),
        ('"$${name}"', "${name}"),
        ('"50%%{x}"', "50%{x}"),
        ('"$${1e3}"', "${1e3}"),
        ('"plain ${"', None),  # refused below: an unterminated interpolation
    ],
)
def test_a_tfvars_value_reads_as_terraform_reads_it(written: str, read: Any) -> None:
    text = f"# a comment\nsize = {written}\n"
    if read is None:
        with pytest.raises(SsotError):
            hcl.parse_tfvars(text, "f")
        return
    for answer in both_readers(hcl.parse_tfvars, text):
        assert answer == {"size": (2, read)}
        assert type(answer["size"][1]) is type(read)


@pytest.mark.parametrize(
    ("written", "read"),
    [  # what OpenTofu evaluates each to (python-hcl2 drops the last line break, and dedents spaces only)
        ("<<EOT\nline\nEOT", "line\n"),
        ("<<EOT\nbody  \n\nEOT", "body  \n\n"),
        ("<<EOT\nEOT", ""),
        ("<<-EOT\n\ta\n\t\tb\n\tEOT", "a\n\tb\n"),
        ("<<-EOT\n    a\n      \n    b\n    EOT", "a\n      \nb\n"),
        ("<<-EOT\n  Welcome\n    indented\n  EOT", "Welcome\n  indented\n"),
        ('{ motd = <<EOT\nhi "there" \\ $${x}\nEOT\n}', {"motd": 'hi "there" \\ ${x}\n'}),
        ('"<<EOT\\nx\\nEOT"', "<<EOT\nx\nEOT"),  # a quoted string that only looks like one
    ],
)
def test_a_heredoc_reads_as_terraform_reads_it(written: str, read: Any) -> None:
    text = f"# a comment\nmotd = {written}\n"
    for answer in both_readers(hcl.parse_tfvars, text):
        assert answer == {"motd": (2, read)}
    block = f'variable "motd" {{\n  type    = any\n  default = {written}\n}}\n'
    for variables in both_readers(hcl.parse_variables, block):
        assert [v.default for v in variables] == [read]


def test_a_default_reads_as_terraform_reads_it() -> None:
    text = 'variable "size" {\n  default = 1e3\n}\n\nvariable "tag" {\n  type    = string\n  default = "$${x}"\n}\n'
    for variables in both_readers(hcl.parse_variables, text):
        assert [(v.name, v.default) for v in variables] == [("size", 1000), ("tag", "${x}")]


@pytest.mark.parametrize("expression", ["[for i in [1, 2] : 3]", '{ for k in ["a"] : k => 1 }', '[for s in ["a"] : s]'])
def test_a_computed_value_is_refused_at_its_line(expression: str) -> None:
    with pytest.raises(SsotError) as caught:
        hcl.parse_tfvars(f'region = "eu"\nsizes = {expression}\n', "envs/prod.tfvars")
    [problem] = caught.value.problems
    assert problem.code == codes.INVALID_TFVARS
    assert (problem.file, problem.line) == ("envs/prod.tfvars", 2)
    assert "not a literal" in problem.message
