"""Whether a string can be written as a plain YAML scalar, known without parsing YAML.

The renderers of YAML (mkdocs.yml's nav, atlantis.yaml) write a value plain when YAML reads it back as
the same string, and quote it otherwise; they find out by parsing a line, which costs a millisecond: a
thousand environments made that most of a check. This answers the common case at once (a word, a path, a
name) and leaves every other text to the parse.
"""

from __future__ import annotations

import re

import yaml

#: No indicator first (`*`, `&`, `!`, `-`, quotes...), no space, no `:` or `#`: a plain scalar in a block
#: sequence or as a mapping key, whatever follows it on its line. `...` opens no document end mid-line,
#: but is left to the parse all the same.
_PLAIN = re.compile(r"(?!\.\.\.)[A-Za-z0-9_./][\w./+-]*", re.ASCII)
#: The same, as words separated by single spaces (a title: `Environment 12`), the first a letter's.
_PLAIN_WORDS = re.compile(r"[A-Za-z][\w./+-]*(?: [\w./+-]+)+", re.ASCII)
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def is_plain_word(text: str, *, spaces: bool = False) -> bool:
    """Whether YAML reads `text`, written plain as a list item or a key, back as that very string.

    `spaces`: words separated by single spaces may be (in a mapping key; a list item may hold them too).
    """
    if not (_PLAIN.fullmatch(text) or (spaces and _PLAIN_WORDS.fullmatch(text))):
        return False
    resolved: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return resolved == _STR
