"""What a secret looks like (pure): well-known token shapes, and secret-sounding names with a real value.

Used on every side: validation refuses a token shape anywhere in ssot/env.yaml, `ssot check` refuses one
(or a secret-named variable with a real value) in committed tfvars and Terraform files, and every
message, diff and value the tool prints passes through `mask_secrets`. Nothing here ever returns or
formats the secret itself, except `find_shapes`, which says where it is so that callers can cut it out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

#: What stands in an output for a secret's text.
REDACTED = "<redacted>"


class _Shape(NamedTuple):
    #: what it is, in words ("a GitHub token"): the only thing a message says about it
    reason: str
    pattern: re.Pattern[str]
    #: the group that is the secret itself (what gets masked); 0: the whole match
    group: int = 0
    #: a second look at that group, for shapes a regex alone would over-match
    accept: Callable[[str], bool] | None = None
    #: text the shape always contains one of (its literal start): text without any is not searched
    needs: tuple[str, ...] = ()


class ShapeMatch(NamedTuple):
    reason: str
    #: the secret's span in the text searched (for a PEM block, up to its END line, or the text's end)
    start: int
    end: int


def _url_password(password: str) -> bool:
    """A password in `scheme://user:PASSWORD@host` that is not a stand-in (`${DB_PASSWORD}`, `****`)."""
    return not (is_placeholder(password) or password.startswith(("$", "%", "{")) or password.lower() in _URL_WORDS)


def _mixed(key: str) -> bool:
    return sum(any(test(c) for c in key) for test in (str.isupper, str.islower, str.isdigit)) >= 2


def _random_key(key: str) -> bool:
    """40 characters that read as random (as an AWS secret access key does), not as words or a path."""
    upper, lower, digits = (sum(test(c) for c in key) for test in (str.isupper, str.islower, str.isdigit))
    return upper >= 2 and lower >= 2 and digits >= 1 and len(set(key)) >= 22


_URL_WORDS = frozenset({"password", "passwd", "pass", "pwd", "pw", "secret", "token"})
_KEY40 = r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"

#: Token shapes, most specific first. Each names what it found, never the text it matched.
_SHAPES: tuple[_Shape, ...] = (
    _Shape(
        "a PEM private key block",
        re.compile(
            r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:.*?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|.*)",
            re.DOTALL,
        ),
        needs=("-----BEGIN",),
    ),
    _Shape("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    _Shape(
        "a GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        needs=("gh", "github_pat_"),
    ),
    _Shape("a GitLab personal access token", re.compile(r"(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}")),
    _Shape("a Slack token", re.compile(r"(?<![A-Za-z0-9_-])xox[abprs]-[A-Za-z0-9-]{10,}"), needs=("xox",)),
    _Shape(
        "a Google API key", re.compile(r"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])"), needs=("AIza",)
    ),
    _Shape("a Stripe live key", re.compile(r"(?<![A-Za-z0-9_])[rs]k_live_[A-Za-z0-9]{16,}"), needs=("k_live_",)),
    _Shape(
        "a JSON Web Token",
        re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
        needs=("eyJ",),
    ),
    # Bounded repetitions: a long run of text without `://` or `@` costs a few steps per character.
    _Shape(
        "credentials in a URL",
        re.compile(
            r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}://[^\s/?#@:'\"<>]{1,256}:([^\s/?#@'\"<>]{1,256})@"
        ),
        group=1,
        accept=_url_password,
        needs=("://",),
    ),
    # An AWS secret access key is 40 base64 characters: recognisable next to a name that says so ...
    _Shape(
        "an AWS secret access key",
        re.compile(r"(?i:secret[_-]?(?:access[_-]?)?key)[\"']?\s*(?:=>?|:)\s*[\"']?" + _KEY40),
        group=1,
        accept=_mixed,
    ),
    # ... or alone, when the 40 characters read as random.
    _Shape("an AWS secret access key", re.compile(r"(?<![A-Za-z0-9/+_-])" + _KEY40), group=1, accept=_random_key),
)


def _any_of(shapes: tuple[_Shape, ...]) -> re.Pattern[str]:
    """One pattern that matches wherever one of `shapes` does (each with its own flags): text where it
    finds nothing holds no shape, found in one pass instead of one per shape."""
    scoped = {re.DOTALL: "s", re.IGNORECASE: "i"}
    parts = []
    for shape in shapes:
        if shape.pattern.flags & ~(re.UNICODE | re.DOTALL | re.IGNORECASE):
            raise ValueError(f"a shape's flags are not carried into the combined pattern: {shape.reason}")
        flags = "".join(letter for flag, letter in scoped.items() if shape.pattern.flags & flag)
        parts.append(f"(?{flags}:{shape.pattern.pattern})" if flags else f"(?:{shape.pattern.pattern})")
    return re.compile("|".join(parts))


_ANY_SHAPE = _any_of(_SHAPES)

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
#: A word of text, as `could_be_secret` weighs it, and what joins the parts of an ordinary name.
_WORD = re.compile(r"[^\s'\"`,;()\[\]{}<>]+")
_JOINERS = re.compile(r"[-_./:]")


def find_shapes(text: str) -> list[ShapeMatch]:
    """Every token shape in `text`, by position; overlapping matches are merged into the first one's reason."""
    found: list[ShapeMatch] = []
    for shape in _SHAPES:
        if shape.needs and not any(literal in text for literal in shape.needs):
            continue  # one scan for a few letters, instead of the pattern tried at every position
        for match in shape.pattern.finditer(text):
            secret = match.group(shape.group)
            if shape.accept is None or shape.accept(secret):
                found.append(ShapeMatch(shape.reason, match.start(shape.group), match.end(shape.group)))
    merged: list[ShapeMatch] = []
    for span in sorted(found, key=lambda m: (m.start, -m.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = ShapeMatch(last.reason, last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return merged


def shape_reason(text: str) -> str | None:
    """What kind of secret `text` holds (the most specific shape found), or None."""
    if _ANY_SHAPE.search(text) is None:  # where no shape matches at all (every name, domain, title)
        return None
    for shape in _SHAPES:
        for match in shape.pattern.finditer(text):
            if shape.accept is None or shape.accept(match.group(shape.group)):
                return shape.reason
    return None


def mask_secrets(text: str) -> str:
    """`text` with every token shape replaced by <redacted>.

    A span over several lines (a private key block) keeps its line breaks, and each line keeps a leading
    `+`, `-` or space, so that a unified diff stays a diff.
    """
    matches = find_shapes(text)
    if not matches:
        return text
    parts: list[str] = []
    done = 0
    for match in matches:
        parts.append(text[done : match.start])
        lines = text[match.start : match.end].split("\n")
        parts.append("\n".join([REDACTED, *(line[:1] if line[:1] in ("+", "-", " ") else "" for line in lines[1:])]))
        done = match.end
    parts.append(text[done:])
    return "".join(parts)


def scrub_message(text: str) -> str:
    """A message with every token shape, and every word that reads like a password, replaced by <redacted>.

    For messages about input that may hold secrets (a password pasted into the wrong field): what they
    quote is kept only if it cannot be a secret.
    """
    masked = mask_secrets(text)
    return _WORD.sub(lambda word: REDACTED if _password_like(word.group()) else word.group(), masked)


def could_be_secret(text: str) -> bool:
    """Whether a message should not quote `text`: a token shape, or a word that reads like a password.

    A password-like word has at least 8 characters, and a part of at least 4 (between `-`, `_`, `.`, `/`
    or `:`, which join the parts of ordinary names) that mixes three kinds among lower case, upper case,
    digits and other symbols.
    """
    return shape_reason(text) is not None or bool(password_like_words(text))


def password_like_words(text: str) -> list[str]:
    """The words of `text` that read like a password (see `could_be_secret`)."""
    return [word for word in _WORD.findall(text) if _password_like(word)]


def _password_like(word: str) -> bool:
    return len(word) >= 8 and any(len(part) >= 4 and _kinds(part) >= 3 for part in _JOINERS.split(word))


def _kinds(word: str) -> int:
    symbol = any(not c.isalnum() for c in word)
    return symbol + sum(any(test(c) for c in word) for test in (str.islower, str.isupper, str.isdigit))


def secret_reason(name: str, value: object) -> str | None:
    """Why the value of variable `name` looks like a secret (such as "a GitHub token"), or None.

    Lists and maps are searched all the way down; a map key whose name sounds secret counts like a
    variable's name. Only text is considered: numbers and booleans are never secrets here.
    """
    leaves = list(_text_leaves(value, secret_word(name), "variable"))
    for text, _, _ in leaves:
        reason = shape_reason(text)
        if reason is not None:
            return reason
    for text, owner, _ in leaves:
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


def secret_leaves(name: str, value: object, *, sensitive: bool = False) -> list[str]:
    """The texts inside the value of variable `name` that make it a secret (all of them if it is sensitive),
    for scrubbing them out of other messages; map keys only if they are token-shaped."""
    return [
        text
        for text, owner, key in _text_leaves(value, secret_word(name), "variable")
        if shape_reason(text) is not None
        or (not key and (sensitive or (owner is not None and not is_placeholder(text))))
    ]


def _text_leaves(value: object, word: str | None, kind: str) -> Iterator[tuple[str, tuple[str, str] | None, bool]]:
    """(text, (secret word, "variable" or "key") if a name above it sounds secret, whether it is a map key)
    for each text inside."""
    owner = (word, kind) if word is not None else None
    stack: list[tuple[object, tuple[str, str] | None]] = [(value, owner)]
    while stack:
        item, inherited = stack.pop()
        if isinstance(item, str):
            yield item, inherited, False
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                key_text = str(key)
                yield key_text, None, True
                key_word = secret_word(key_text)
                stack.append((child, inherited or ((key_word, "key") if key_word else None)))
        elif isinstance(item, (list, tuple)):
            stack.extend((child, inherited) for child in reversed(item))
