"""Where a Terraform root keeps its state (pure): the `terraform { backend "TYPE" { ... } }` block of its files.

Read with compiler/formats/hcl_lexer.py (no python-hcl2): only the backend's own `name = "text"` settings
are taken, and only literal text (`${...}` is not allowed there, but a template never counts). A backend
configured partly at `terraform init` (`-backend-config`), or a `cloud` block, says nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from compiler.formats.hcl_lexer import Token, tokens

#: The setting that names the state's object in each backend that has one (S3, Azure and OSS: its key; GCS:
#: the prefix its workspaces' states go under; local: the file).
STATE_SETTING = {"s3": "key", "azurerm": "key", "oss": "key", "cos": "key", "gcs": "prefix", "local": "path"}


class Backend(NamedTuple):
    """A root's backend block: its type, the line of its `backend` keyword, and its literal settings."""

    type: str
    line: int
    #: name -> (line, text) of each `name = "text"` inside the block
    settings: Mapping[str, tuple[int, str]]

    @property
    def state(self) -> tuple[int, str] | None:
        """(line, text) of the setting that names the state, when the backend has one and sets it here."""
        name = STATE_SETTING.get(self.type)
        return None if name is None else self.settings.get(name)


def backend_of(text: str) -> Backend | None:
    """The backend block of one `.tf` file, if it has one."""
    significant = [t for t in tokens(text) if t.kind not in ("comment", "newline")]
    stack: list[str] = []  # what each open `{` opened: a block's keyword, or "" for a value's braces
    found: tuple[str, int] | None = None
    settings: dict[str, tuple[int, str]] = {}
    for index, token in enumerate(significant):
        if token.kind == "punct" and token.text == "{":
            stack.append(_opened(significant, index))
            if stack == ["terraform", "backend"] and found is None:
                found = (significant[index - 1].text, significant[index - 2].line)
        elif token.kind == "punct" and token.text == "}":
            if stack:
                stack.pop()
        elif stack == ["terraform", "backend"] and _is_setting(significant, index):
            value = significant[index + 2]
            if "${" not in value.text:
                settings.setdefault(token.text, (token.line, value.text))
    return None if found is None else Backend(found[0], found[1], settings)


def _opened(significant: list[Token], brace: int) -> str:
    """The keyword of the block a `{` opens (`backend` for `backend "s3" {`), or "" for a value's braces."""
    at = brace - 1
    while at >= 0 and significant[at].kind == "string":  # the block's labels
        at -= 1
    if at < 0 or significant[at].kind != "word":
        return ""
    before = significant[at - 1] if at >= 1 else None
    if before is not None and before.kind == "punct" and before.text in ("=", ":", "(", "[", ","):
        return ""  # `tags = {`: a value
    return significant[at].text


def _is_setting(significant: list[Token], index: int) -> bool:
    """Whether the token at `index` starts `name = "text"`."""
    if index + 2 >= len(significant) or significant[index].kind != "word":
        return False
    equals, value = significant[index + 1], significant[index + 2]
    return equals.kind == "punct" and equals.text == "=" and value.kind == "string"
