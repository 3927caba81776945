"""Every look at the repository a run depends on, recorded, so that a later run can tell whether its answer
still holds without running again (the whole-check cache, compiler/app/cached.py).

A look is a call of a function decorated with `@probe` (compiler/io/disk.py: a file's text, a glob, a
directory listing, where links lead; compiler/io/git.py: git's answers). While a recording runs, each call
is noted with its arguments and a digest of what it returned, or of the error it raised. `unchanged`
calls each noted function again with the same arguments: the answer still holds if and only if every
call returns the same. So the record is as precise as the run itself: a file it never read may change,
a file it found missing may not appear, a file it read may not change by one byte, git may not answer
differently. A function that reads the repository for a cached command and is no probe would make the
cache unsound: compiler/io/repository.py reads through these only.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from compiler.errors import SsotError
from compiler.io.memo import digest
from compiler.io.paths import one_reading

F = TypeVar("F", bound=Callable[..., Any])

#: name -> the undecorated function, for `unchanged` to call again
_PROBES: dict[str, Callable[..., Any]] = {}
#: name -> its witness (see `witnessed`)
_WITNESSES: dict[str, Callable[..., list[int] | None]] = {}
#: how long ago a file must have last changed for its identity to vouch for its content
_SETTLED_NS = 2_000_000_000
#: the calls noted while recording: [name, arguments, keyword arguments, outcome, identity or None]
_recording: list[list[Any]] | None = None


def probe(function: F) -> F:
    """Note every call of `function` while recording (its arguments: paths, text, lists of text)."""
    return witnessed(None)(function)


def witnessed(witness: Callable[..., list[int] | None] | None) -> Callable[[F], F]:
    """`probe`, with a cheaper look that vouches for the answer: `witness(*args)` is the identity of the one
    file the answer comes from (a stat: device, inode, size, modification and change times in ns, the
    change time last), or None. When a later look finds the same identity, the answer is taken as the same
    without calling the function (a file's text is not read again). An identity is only kept when the file
    last changed more than `_SETTLED_NS` before it was taken: within the clock's resolution, a file may be
    written again keeping its size and times (git calls such entries racy and reads them again).
    """

    def decorate(function: F) -> F:
        name = f"{function.__module__}.{function.__qualname__}"
        _PROBES[name] = function
        if witness is not None:
            _WITNESSES[name] = witness

        @functools.wraps(function)
        def noted(*args: Any, **kwargs: Any) -> Any:
            if _recording is None:
                return function(*args, **kwargs)
            call = [name, [_encode(a) for a in args], {k: _encode(v) for k, v in kwargs.items()}]
            identity = witness(*args, **kwargs) if witness is not None else None  # before: a change after shows
            if identity is not None and identity[-1] > time.time_ns() - _SETTLED_NS:
                identity = None
            try:
                result = function(*args, **kwargs)
            except Exception as exc:
                if _recording is not None:
                    _recording.append([*call, _failure(exc), None])
                raise
            if _recording is not None:
                _recording.append([*call, _outcome(result), identity])
            return result

        return noted  # type: ignore[return-value]

    return decorate


def start() -> None:
    """Begin noting calls (forgetting any earlier recording)."""
    global _recording
    _recording = []


def stop() -> list[list[Any]] | None:
    """End the recording; the calls noted, in order (each once: a repeated look adds nothing). None when a
    look answered differently twice (a file changed while the run read it): no record can describe that run."""
    global _recording
    calls, _recording = _recording or [], None
    unique: dict[str, list[Any]] = {}
    for call in calls:
        first = unique.setdefault(json.dumps(call[:3], sort_keys=True), call)
        if first[3] != call[3]:
            return None
    return list(unique.values())


def unchanged(calls: list[list[Any]]) -> bool:
    """True if every noted call answers as it did (False at the first that does not, or cannot be made)."""
    with one_reading():
        return all(_same(call) for call in calls)


def _same(call: list[Any]) -> bool:
    """Whether one noted call answers as it did."""
    try:
        name, args, kwargs, outcome, identity = call
        function = _PROBES[name]
        args, kwargs = [_decode(a) for a in args], {k: _decode(v) for k, v in kwargs.items()}
    except (ValueError, TypeError, KeyError, AttributeError):  # a record of another shape: not ours to trust
        return False
    if identity is not None and _WITNESSES[name](*args, **kwargs) == identity:
        return True
    try:
        result = function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - an error is an answer too, compared like any other
        return bool(_failure(exc) == outcome)
    return bool(_outcome(result) == outcome)


def _encode(value: Any) -> Any:
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, (tuple, list, set, frozenset)):
        items = [_encode(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a probe takes paths, text and lists of them, not {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return Path(value["path"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _outcome(result: Any) -> str:
    if isinstance(result, str):
        return "text " + digest(result)
    return "data " + digest(json.dumps(result, sort_keys=True, default=repr))


def _failure(exc: Exception) -> str:
    what = repr(exc.problems) if isinstance(exc, SsotError) else str(exc)
    return f"error {type(exc).__name__} {digest(what)}"
