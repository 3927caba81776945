"""How much HCL python-hcl2 is given (pure): a file past its size cap, or nested past MAX_NESTING, is refused
with a message naming the file before it is parsed, instead of a minute-long parse or a RecursionError
(python-hcl2 costs about 5 s and 110 MiB per MiB of tfvars, twice that per MiB of a .tf file, and recurses
once per level of brackets). compiler/formats/hcl.py and `ssot init` hold every file they read to it.
"""

from __future__ import annotations

import re

from compiler import codes
from compiler.errors import Problem, SsotError

#: The most a tfvars file (real or example) may weigh. A real one is a few KiB of `name = value` lines (a
#: certificate or a JSON policy pasted in stays far below); 2 MiB is hundreds of times that, and still
#: parses in about 10 s and 250 MiB. Bigger is a mistake (the wrong file, a dump), refused unparsed.
MAX_TFVARS_BYTES = 2 << 20
#: The most one .tf file may weigh: hand-written modules are KiB, generated ones rarely pass a few hundred
#: KiB; a .tf file costs twice a tfvars file to parse, so 2 MiB keeps the worst one around 20 s and 500 MiB.
MAX_TERRAFORM_BYTES = 2 << 20
#: The deepest nesting of brackets, braces and parentheses. A tfvars value is a few levels deep, a type
#: constraint such as map(object({...})) two per level; python-hcl2 fails with a RecursionError at ~300.
MAX_NESTING = 64

#: What the nesting scan looks at: strings, comments and heredocs are skipped (their brackets are text);
#: an unclosed comment or heredoc runs to the end, so the scan stays linear.
_NESTING_TOKENS = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|//[^\n]*|/\*.*?(?:\*/|\Z)|<<-?(\w+)\n.*?(?:^[ \t]*\1[ \t]*$|\Z)|[\[{(]|[\]})]',
    re.DOTALL | re.MULTILINE,
)

TOO_DEEP = f"nested more than {MAX_NESTING} levels deep (brackets, braces, parentheses); refusing to read it"


def check_budget(text: str, filename: str, code: str) -> None:
    """Refuse a file too big, or nested too deep, to parse in reasonable time and stack (SsotError, `code`)."""
    max_bytes, kind = (
        (MAX_TFVARS_BYTES, "a tfvars file") if code == codes.INVALID_TFVARS else (MAX_TERRAFORM_BYTES, "a .tf file")
    )
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        message = f"is {size / (1 << 20):.1f} MiB; {kind} may hold at most {max_bytes >> 20} MiB: is it the right file?"
        raise SsotError([Problem(filename, 0, 0, message)], code=code)
    depth = 0
    for token in _NESTING_TOKENS.finditer(text):
        kind = token.group()
        if kind in "[{(":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                raise SsotError([Problem(filename, line, 0, TOO_DEEP)], code=code)
        elif kind in "]})":
            depth = max(depth - 1, 0)
