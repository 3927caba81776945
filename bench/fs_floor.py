"""The file system's floor under `ssot build` from scratch: the files it writes, written as it writes them
and nothing else (no reading, no rendering).

    python bench/fs_floor.py SOURCE TARGET PATH...

Each PATH (relative to SOURCE, a built tree; read first, untimed by the disk) is written again under
TARGET, a folder that does not exist yet: a temporary file created exclusively beside it, written, synced, renamed over it; then
each directory is synced. What the build costs above this is the tool's; this much is the disk's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    source, target_root, paths = Path(argv[0]), Path(argv[1]), argv[2:]
    contents = [(path, (source / path).read_bytes()) for path in paths]
    directories = set()
    for path, data in contents:
        target = target_root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        directories.add(str(target.parent))
        temporary = f"{target.parent}/.{target.name}.floor.tmp"
        descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    for directory in sorted(directories):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
