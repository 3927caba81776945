"""What a secret looks like (pure): well-known token shapes, and secret-sounding names with a real value.

Used on both sides of the contract: the rules refuse such a value in ssot/env.yaml, and `ssot check`
refuses it in a committed tfvars file. Nothing here ever returns or formats the value itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Token shapes, most specific first. Each names what it found, never the text it matched.
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a PEM private key block", re.compile(r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")),
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a GitHub token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")),
    ("a GitLab personal access token", re.compile(r"(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9_-])xox[abprs]-[A-Za-z0-9-]{10,}")),
    ("a Google API key", re.compile(r"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])")),
    ("a Stripe live key", re.compile(r"(?<![A-Za-z0-9_])[rs]k_live_[A-Za-z0-9]{16,}")),
    ("a JSON Web Token", re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
)

#: Words in a variable's (or a map key's) name that say its value is a secret.
_SECRET_NAME = re.compile(r"password|passwd|secret|token|private_?key")

#: Suffixes that make such a name refer to a secret rather than hold one (`tls_secret_name`, a
#: Kubernetes Secret's name; `private_key_path`; `token_ttl`). Token shapes are still recognised there.
_REFERENCE_SUFFIXES = ("_name", "_names", "_path", "_file", "_arn", "_ref", "_ttl")

#: Values that stand for "fill this in", compared case-insensitively after trimming blanks. Kept short on
#: purpose: anything else in a secret-named variable counts as a real value.
PLACEHOLDER_WORDS = frozenset(
    {
        "changeme", "change-me", "change_me", "changeit",
        "replace_me", "replace-me", "replaceme",
        "todo", "tbd", "fixme", "dummy", "example", "placeholder", "redacted",
    }
)  # fmt: skip
#: Empty text, an ellipsis, or filler: `...`, `xxx`, `****`, `---`.
_FILLER = re.compile(r"[xX*.\u2026_-]*")
#: A description in angle brackets: `<your token here>`.
_BRACKETED = re.compile(r"<[^<>]*>")


def secret_reason(name: str, value: object) -> str | None:
    """Why the value of variable `name` looks like a secret (such as "a GitHub token"), or None.

    Lists and maps are searched all the way down; a map key whose name sounds secret counts like a
    variable's name. Only text is considered: numbers and booleans are never secrets here.
    """
    leaves = list(_text_leaves(value, secret_word(name), "variable"))
    for text, _ in leaves:
        for reason, shape in _SHAPES:
            if shape.search(text):
                return reason
    for text, owner in leaves:
        if owner is not None and not is_placeholder(text):
            word, kind = owner
            return f"a non-placeholder value for a *{word}* {kind}"
    return None


def secret_word(name: str) -> str | None:
    """The secret-sounding word in a name (password, secret, token, private_key), or None."""
    normal = name.lower().replace("-", "_")
    if normal.endswith(_REFERENCE_SUFFIXES):
        return None
    match = _SECRET_NAME.search(normal)
    if match is None:
        return None
    word = match.group()
    return "private_key" if word.startswith("private") else "password" if word == "passwd" else word


def is_placeholder(text: str) -> bool:
    """Whether `text` is an obvious stand-in: empty, `...`, `xxx`, `<...>`, changeme, REPLACE_ME, TODO."""
    trimmed = text.strip()
    return (
        _FILLER.fullmatch(trimmed) is not None
        or _BRACKETED.fullmatch(trimmed) is not None
        or trimmed.lower() in PLACEHOLDER_WORDS
    )


def secret_texts(value: object) -> list[str]:
    """Every piece of text in a value (map keys included), for scrubbing it out of other messages."""
    return [text for text, _ in _text_leaves(value, None, "variable")]


def _text_leaves(value: object, word: str | None, kind: str) -> Iterator[tuple[str, tuple[str, str] | None]]:
    """(text, (secret word, "variable" or "key") if a name above it sounds secret) for each text inside."""
    owner = (word, kind) if word is not None else None
    stack: list[tuple[object, tuple[str, str] | None]] = [(value, owner)]
    while stack:
        item, inherited = stack.pop()
        if isinstance(item, str):
            yield item, inherited
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                key_text = str(key)
                yield key_text, None
                key_word = secret_word(key_text)
                stack.append((child, inherited or ((key_word, "key") if key_word else None)))
        elif isinstance(item, (list, tuple)):
            stack.extend((child, inherited) for child in reversed(item))
