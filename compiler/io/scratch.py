"""Files in a folder the tool made for itself, private to one process (the site's copy of ssot/env.yaml that
pymdownx.snippets reads): written plainly. None of `ssot build`'s safe-write steps (compiler/io/write.py)
is needed: no one else's file is there, and a copy lost in a crash is written again by the next build.
"""

from __future__ import annotations

from pathlib import Path


def write_scratch(folder: Path, relative: str, text: str) -> None:
    """`text` as the file `relative` under `folder` (made with its parents). Raises OSError."""
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
