"""The digest in a per-environment file's generated header: proof that the file is still what `ssot build` wrote.

When an environment leaves ssot/env.yaml, its page and tfvars example can no longer be rendered, so nothing
says what they should hold. Their first line does: `ssot build` ends it with `sha256:` and the first 16 hex
digits of the SHA-256 of the whole file without that token. A file whose digest still matches was not
touched since, and may go with its environment; any other edit (a hand-made runbook copied from a generated
page) makes it someone's work, which is kept. Line endings do not count: the build itself keeps a CRLF file
CRLF. The token is no content: the comparators of live files never see it (`without_digest`).

The content it hashes is a function of the facts alone: no generated file carries a line number of
ssot/env.yaml (pages link to key paths, compiler/render/pages.py), so a comment, a blank line, another key
order or quoting style in ssot/env.yaml changes no digest (tests/test_stable_artifacts.py).
"""

from __future__ import annotations

import hashlib
import re

#: The token, at the end of the first line (before the ` -->` that closes a Markdown comment; a formatter
#: may add trailing blanks).
_TOKEN = re.compile(r" sha256:(?P<digest>[0-9a-f]{16})(?=\s*(?:-->)?\s*$)")
_COMMENT_END = " -->"


def stamp(text: str) -> str:
    """`text` (LF, without a digest) with the digest of its content at the end of its first line."""
    first, newline, rest = text.partition("\n")
    token = f" sha256:{_digest(text)}"
    if first.endswith(_COMMENT_END):
        first = first.removesuffix(_COMMENT_END) + token + _COMMENT_END
    else:
        first += token
    return first + newline + rest


def without_digest(text: str) -> str:
    """`text` without the digest token of its first line (if any); line endings kept."""
    first, newline, rest = text.partition("\n")
    return _TOKEN.sub("", first, count=1) + newline + rest


def is_as_stamped(text: str) -> bool:
    """Whether `text` carries a digest, and it is the digest of the rest of `text` (in any line endings)."""
    text = text.replace("\r\n", "\n")
    match = _TOKEN.search(text.partition("\n")[0])
    return match is not None and match["digest"] == _digest(without_digest(text))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
