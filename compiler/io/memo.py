"""The cache under `.ssot-cache/` at the repository's top: JSON documents the next run may reuse.

A document is reused only when everything it was made from is the same: the tool (every file of this
package, the installed distributions, the interpreter: `tool_fingerprint`) and the inputs its user
records in it (compiler/io/probe.py records every read of the repository). So the cache is never a
source of truth: removing `.ssot-cache/` costs one slow run, `SSOT_NO_CACHE=1` (or `ssot check
--no-cache`) switches it off.

Each document is signed with a random key of this user's, kept outside any repository: a document
committed to the repository (a forged "ok" in a pull request) is never trusted.

The directory ignores itself (a `.gitignore` of `*`, as `.pytest_cache/` does) and carries a
CACHEDIR.TAG, so neither git nor backup tools pick it up. Light on purpose (no pydantic, no hcl2): a run
that finds its answer here imports little more than this module.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".ssot-cache"
#: the version of the documents' shape: a new one makes every older document a miss
FORMAT = 1
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# ssot-compiler's cache (.ssot-cache/); see its README.\n"
_PACKAGE = Path(__file__).resolve().parent.parent


def enabled() -> bool:
    """False when SSOT_NO_CACHE is set (to anything but an empty string or 0)."""
    return os.environ.get("SSOT_NO_CACHE", "") in ("", "0")


def digest(data: str | bytes) -> str:
    """A short content hash (BLAKE2b, 128 bits): equal text, equal digest."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """What the tool is, to the byte as far as a cache can tell cheaply: every file of the compiler package
    (name, size, modification time: an edited checkout counts), the distributions installed beside it
    (their dist-info names carry the versions of pydantic, PyYAML, python-hcl2), and the interpreter."""
    parts = [f"format {FORMAT}", sys.version, sys.executable]
    for directory, subdirectories, files in os.walk(_PACKAGE):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            try:
                status = os.stat(os.path.join(directory, name))
            except OSError:
                continue
            parts.append(
                f"{os.path.relpath(os.path.join(directory, name), _PACKAGE)} {status.st_size} {status.st_mtime_ns}"
            )
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            parts += sorted(name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info", ".pth")))
    return digest("\n".join(parts))


def load(root: Path, name: str) -> Any:
    """The document stored as `name`, or None: none, unreadable, made by another tool, or not signed with
    this user's key (see `_signing_key`)."""
    key = _signing_key()
    if key is None:
        return None
    try:
        with open(os.path.join(root, CACHE_DIR, f"{name}.json"), "rb") as file:
            signature, _, body = file.read().partition(b"\n")
        if not hmac.compare_digest(signature, _sign(key, body)):
            return None
        document = json.loads(body)
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("tool") != tool_fingerprint():
        return None
    return document.get("data")


def store(root: Path, name: str, data: Any) -> None:
    """Store `data` (JSON) as `name`, atomically; quietly nothing if the directory cannot be written (a
    read-only checkout): the cache only ever saves time."""
    key = _signing_key()
    directory = os.path.join(root, CACHE_DIR)
    try:
        if key is None:
            return
        body = json.dumps({"tool": tool_fingerprint(), "data": data}, ensure_ascii=False).encode("utf-8")
        if not os.path.isdir(directory):
            os.makedirs(directory, exist_ok=True)
            for file, text in (
                (".gitignore", "# made by ssot-compiler: everything here is a cache\n*\n"),
                ("CACHEDIR.TAG", _TAG),
            ):
                with open(os.path.join(directory, file), "w", encoding="utf-8") as handle:
                    handle.write(text)
        import tempfile  # only a run that stores pays for it

        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_sign(key, body) + b"\n" + body)
            os.replace(temporary, os.path.join(directory, f"{name}.json"))
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, TypeError, ValueError):
        return


def _sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")


@lru_cache(maxsize=1)
def _signing_key() -> bytes | None:
    """This user's random key (made once, 0600, under $XDG_CACHE_HOME or ~/.cache, outside any repository).

    A document is only trusted when signed with it: a pull request that commits a forged `.ssot-cache/`
    (git add -f) cannot make CI's `ssot check` replay "ok" for a repository that drifted. None (no cache)
    when there is no home to keep it in.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "ssot-compiler", "key")
    try:
        with open(path, "rb") as file:
            key = file.read()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another run made it meanwhile
        try:
            with open(path, "rb") as file:
                key = file.read()
        except OSError:
            return None
        return key if len(key) >= 32 else None
    except OSError:
        return None
    key = os.urandom(32)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
