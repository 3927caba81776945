"""Lines as editors, grep -n and GitHub count them: split at LF only.

`str.splitlines` also splits at form feeds, U+2028 and other separators, which shifts line numbers
and would rewrite those characters; nothing here uses it on a user's file.
"""

from __future__ import annotations

from collections.abc import Iterable


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each keeping its line ending (LF or CRLF)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def strip_ending(line: str) -> str:
    return line.removesuffix("\n").removesuffix("\r")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` was most likely meant to be (a typo's correction), if any is close."""
    import difflib  # only a typo's message needs it

    matches = difflib.get_close_matches(word, list(choices), n=1)
    return matches[0] if matches else None
