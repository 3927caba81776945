"""What an interrupted `ssot build` left: temporary files beside its targets (the next build removes them)."""

from __future__ import annotations

from compiler import codes
from compiler.core.facts import Facts
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot


def check_temp_files(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    return [
        Finding(
            path,
            0,
            "a temporary file left by an interrupted ssot build",
            code=codes.STALE_TEMP_FILE,
            fix="run: ssot build (it removes it), or delete it",
        )
        for path in snapshot.temp_files
    ]
