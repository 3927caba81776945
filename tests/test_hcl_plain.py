"""The fast HCL reader (compiler/formats/hcl_plain.py) answers exactly as python-hcl2's path, or not at all.

Both readers run on every .tf and tfvars file of the tests and of terraform/, and on generated files: plain
ones (values, comments, variable blocks) and rough ones (expressions with line breaks and comments anywhere),
where the fast reader must step aside whenever python-hcl2 refuses the text or reads it otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import SsotError
from compiler.formats import hcl
from compiler.formats.hcl_plain import read_tfvars, read_variables
from compiler.formats.terraform import TerraformVariable, as_terraform_reads, defaults_as_terraform_reads

REPO = Path(__file__).resolve().parent.parent


def hcl_files() -> dict[Path, str]:
    """Every .tf and tfvars file of the tests and of terraform/ that is text (one corpus case is not UTF-8)."""
    texts = {}
    for path in sorted(p for top in (REPO / "tests", REPO / "terraform") for p in top.rglob("*") if p.is_file()):
        if path.suffix == ".tf" or ".tfvars" in path.name:
            try:
                texts[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return texts


FILES = hcl_files()
#: Fixtures python-hcl2 reads that the fast reader may leave to it (with the reason); every other fixture it
#: must answer, or it would save nothing.
LEFT_TO_PYTHON_HCL2: dict[str, str] = {}


def shape(value: Any) -> Any:
    """A value with its types spelled out: 1, 1.0 and True differ, as they do to Terraform."""
    if isinstance(value, dict):
        return ("map", tuple((k, shape(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(shape(v) for v in value))
    return (type(value).__name__, value)


def variables_shape(variables: tuple[TerraformVariable, ...]) -> list[Any]:
    return [
        (v.name, v.file, v.line, v.type_written, v.has_default, v.sensitive, sorted(v.written), shape(v.default))
        + (v.description,)
        for v in variables
    ]


def slow(text: str, tfvars: bool) -> Any:
    """python-hcl2's answer, or its problems (compiler/formats/hcl.py with its fast reader switched off)."""
    with patch.object(hcl, "read_tfvars", lambda _: None), patch.object(hcl, "read_variables", lambda *_: None):
        return _slow(text, tfvars)


def _slow(text: str, tfvars: bool) -> Any:
    try:
        if tfvars:
            return {name: (line, shape(value)) for name, (line, value) in hcl.parse_tfvars(text, "f").items()}
        return variables_shape(hcl.parse_variables(text, "f"))
    except SsotError as exc:
        return ("refused", [(p.line, p.message) for p in exc.problems])


def fast(text: str, tfvars: bool) -> Any:
    """The fast reader's answer, with the values as Terraform reads them (as compiler/formats/hcl.py gives both)."""
    if tfvars:
        answer = read_tfvars(text)
        if answer is None:
            return None
        return {name: (line, shape(value)) for name, (line, value) in as_terraform_reads(text, answer).items()}
    variables = read_variables(text, "f")
    return None if variables is None else variables_shape(defaults_as_terraform_reads(text, variables))


def agree(text: str, tfvars: bool) -> bool:
    """Whether the fast reader answered; it fails the test if its answer differs."""
    answer = fast(text, tfvars)
    if answer is not None:
        assert answer == slow(text, tfvars), text
    return answer is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_both_readers_agree_on_every_file_of_the_tests(path: Path) -> None:
    tfvars = path.suffix != ".tf"
    answered = agree(FILES[path], tfvars)
    agree(FILES[path].replace("\n", "\r\n"), tfvars)  # as saved on Windows
    name = path.relative_to(REPO).as_posix()
    refused = isinstance(answer := slow(FILES[path], tfvars), tuple) and answer[0] == "refused"
    if "corpus" not in path.parts and name not in LEFT_TO_PYTHON_HCL2 and not refused:
        assert answered, "the fast reader left a fixture python-hcl2 reads to it"


def test_a_file_python_hcl2_refuses_gets_its_message() -> None:
    (path,) = [p for p in FILES if "unparsable" in p.parts and "fixtures" in p.parts]
    assert read_variables(FILES[path], "broken.tf") is None
    with pytest.raises(SsotError) as caught:
        hcl.parse_variables(FILES[path], "broken.tf")
    assert caught.value.problems[0].message.startswith("not valid HCL")


def test_a_plain_check_never_imports_python_hcl2_and_a_template_still_gets_its_message() -> None:
    script = (
        "import sys\n"
        "from compiler.formats.hcl import parse_tfvars, parse_variables\n"
        "parse_tfvars('a = 1 # one\\nb = [\"x\", {c = true}]\\n', 'plain.tfvars')\n"
        "parse_variables('variable \"v\" {\\n  type = list(string)\\n}\\nlocals {\\n  x = \"${var.v}\"\\n}\\n', 'v.tf')\n"
        "print('hcl2' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "False"
    with pytest.raises(SsotError) as caught:
        hcl.parse_tfvars('a = "${var.x}"\n', "t.tfvars")
    assert "not a literal" in caught.value.problems[0].message


#: What a module of a real repository holds besides its variables (written for this test): python-hcl2 reads it,
#: and so must the fast reader, or it would save nothing where it matters.
MODULE = """\
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

locals {
  name    = "${var.prefix}-${terraform.workspace}"
  subnets = { for i, cidr in var.cidrs : "net-${i}" => cidr if cidr != null }
  ports   = [for p in var.ports : tostring(p)]
  enabled = var.create && (length(var.cidrs) > 0 || var.force) ? 1 : 0
}

resource "aws_instance" "app" {
  for_each      = local.subnets
  ami           = data.aws_ami.base.id
  instance_type = var.large ? "m5.large" : "t3.micro"
  tags          = merge(var.tags, { Name = "app-${each.key}" })
  user_data     = <<-EOT
    #!/bin/sh
    echo "${local.name}" > /etc/motd
  EOT

  dynamic "ebs_block_device" {
    for_each = var.volumes
    content {
      device_name = ebs_block_device.value.device
      volume_size = lookup(ebs_block_device.value, "size", 20)
    }
  }

  lifecycle {
    ignore_changes = [tags["Updated"], ami]
  }

  depends_on = [
    aws_security_group.app,
  ]
}

output "private_ips" {
  value = values(aws_instance.app)[*].private_ip
}

variable "volumes" {
  description = <<EOT
Extra volumes, by device name.
EOT
  type = list(object({
    device = string
    size   = optional(number, 20)
  }))
  default = []

  validation {
    condition     = alltrue([for v in var.volumes : can(regex("^/dev/", v.device))])
    error_message = "Each device is a path under /dev/."
  }
}

variable "cidrs" {
  type    = list(string)
  default = ["10.0.1.0/24", "10.0.2.0/24"] # two zones
}
"""


def test_a_module_with_resources_expressions_and_templates_is_read_without_python_hcl2() -> None:
    assert agree(MODULE, tfvars=False)


# -- generated files

#: Examples per property; SSOT_PROPERTY_EXAMPLES=1000 searches harder (a few minutes), as in test_properties.py.
#: No example database: a failure prints its example.
EXAMPLES = settings(
    max_examples=int(os.environ.get("SSOT_PROPERTY_EXAMPLES", "100")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: n not in {"in", "for", "if", "true", "false", "null", "else", "endif", "endfor"}
)
GAP = st.sampled_from(["", " ", "\n", "  \n  ", " # c\n", " // c\n", "/* c */", "\n\n"])
CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))


@st.composite
def strings(draw: st.DrawFn) -> str:
    out = []
    for char in draw(st.lists(CHARS, max_size=8)):
        kind = draw(st.sampled_from(["raw", "raw", "escape", "unicode"]))
        escapes = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
        if kind == "unicode":
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        elif kind == "escape" or char in escapes:
            out.append(escapes.get(char, char))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


NUMBERS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.tuples(st.integers(-999, 999), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(-99, 99), st.sampled_from(["e", "E", "e+", "e-"]), st.integers(0, 30)).map(
        lambda t: f"{t[0]}{t[1]}{t[2]}"
    ),
)
HEREDOCS = st.tuples(st.sampled_from(["<<EOT", "<<-EOT"]), st.lists(st.sampled_from(["x", "  y", "", "  "]))).map(
    lambda t: t[0] + "\n" + "".join(line + "\n" for line in t[1]) + "  EOT\n"
)
SCALARS = st.one_of(NUMBERS, strings(), st.sampled_from(["true", "false", "null"]), HEREDOCS)


def collections(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    keys = st.one_of(NAMES, strings())
    elements = st.lists(st.tuples(GAP, inner, GAP), max_size=4)
    pairs = st.lists(st.tuples(GAP, keys, st.sampled_from([" = ", ": ", "="]), inner, GAP), max_size=4)
    return st.one_of(
        st.tuples(elements, st.booleans()).map(lambda t: "[" + ",".join(a + v + b for a, v, b in t[0]) + "]"),
        st.tuples(pairs, st.sampled_from([",", "\n", ", "])).map(
            lambda t: "{" + "".join(a + k + s + v + b + t[1] for a, k, s, v, b in t[0]) + "}"
        ),
    )


VALUES = st.recursive(SCALARS, collections, max_leaves=12)


@EXAMPLES
@given(st.lists(st.tuples(NAMES, VALUES, GAP), max_size=5), GAP)
def test_generated_tfvars_read_alike(attributes: list[tuple[str, str, str]], head: str) -> None:
    text = head + "".join(f"{name} = {value}{gap}\n" for name, value, gap in attributes)
    agree(text, tfvars=True)


@EXAMPLES
@given(NAMES, VALUES, st.sampled_from(["string", "list(string)", '"string"', "map(object({ a = number }))", "any"]))
def test_generated_variable_blocks_read_alike(name: str, default: str, type_: str) -> None:
    text = (
        f'# {name}\nvariable "{name}" {{\n  type = {type_}\n  default = {default}\n  sensitive = true\n'
        f'  description = "About {name}."\n}}\n'
    )
    agree(text, tfvars=False)


OPERANDS = st.sampled_from(
    ["a", "var.x", "b.c[0]", "d.*.e", "f[*].g", "1", "-1", "1.5", '"s"', '"t${a.b}"', "null"]
    + ["<<EOT\necho ${a}\nEOT\n", '<<-EOT\n  "q" \\\n  EOT\n', "<<EOT\nplain\n  EOT\n"]
)
EXPRESSIONS = st.recursive(
    OPERANDS,
    lambda inner: st.one_of(
        st.tuples(inner, GAP, st.sampled_from(["+", "-", "*", "==", "&&", "||", ">=", "%", "/"]), GAP, inner).map(
            "".join
        ),
        st.tuples(inner, GAP, inner, GAP, inner).map(lambda t: f"{t[0]}{t[1]}? {t[2]}{t[3]}: {t[4]}"),
        st.tuples(st.sampled_from(["f", "merge", "g"]), st.lists(st.tuples(GAP, inner, GAP), max_size=3)).map(
            lambda t: t[0] + "(" + ",".join(a + v + b for a, v, b in t[1]) + ")"
        ),
        st.tuples(GAP, inner, GAP).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
        st.tuples(st.sampled_from(["!", "-", "- "]), inner).map("".join),
        st.tuples(GAP, inner, GAP, inner, GAP).map(lambda t: f"[{t[0]}for x in {t[1]} : {t[2]}{t[3]}]"),
        st.tuples(inner, GAP, inner).map(lambda t: f"{{for k, v in {t[0]} : k => {t[2]}{t[1]}if v}}"),
        st.tuples(inner, GAP).map(lambda t: f'"${{{t[0]}{t[1]}}}"'),
        collections(inner),
    ),
    max_leaves=8,
)


@EXAMPLES
@given(EXPRESSIONS, GAP)
def test_the_fast_reader_never_accepts_what_python_hcl2_refuses(expression: str, gap: str) -> None:
    text = (
        f'resource "r" "n" {{\n  for_each = {expression}\n  x = {expression}{gap}\n  nested {{\n    y = {expression}\n  }}\n}}\n'
        'variable "v" {\n  default = 1\n}\n'
    )
    agree(text, tfvars=False)


MUTATIONS = st.sampled_from(list('\n #"{}[](),=-\\$%*.:/<>?!') + ["", "${", "/*", "//", "<<EOT\n", "\r", "1", "a"])


@EXAMPLES
@given(st.sampled_from([p for p in FILES if "corpus" not in p.parts]), st.data())
def test_a_plain_file_with_one_character_changed_reads_alike_or_goes_to_python_hcl2(path: Path, data: Any) -> None:
    text = FILES[path]
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 2))
    agree(text[:at] + data.draw(MUTATIONS) + text[at + cut :], tfvars=path.suffix != ".tf")
