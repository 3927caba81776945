"""The engine both front doors drive: read the repository once, then plan and write (build) or check.

`ssot build` and `ssot check` (compiler/app/cli.py), the MkDocs plugin and the tests call these.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from compiler.artifacts.plan import Artifact, leftover, plan
from compiler.checks import CheckResult, check_all
from compiler.core.facts import Facts
from compiler.io.repository import read_repository
from compiler.io.snapshot import Snapshot


def build_plan(root: Path, take: Collection[str] = ()) -> list[Artifact]:
    """Every artifact with its current and expected content, and the temporary files an interrupted build
    left (to remove); `take`: team files handed over to the tool. Raises SsotError with all problems found."""
    return _build_plan(*read_repository(root), take=take)


def build(root: Path, take: Collection[str] = ()) -> list[Artifact]:
    """Write every artifact that is not up to date, remove stale temporary files; return what changed.

    All or nothing: a file that changed since it was read (changed-during-build) or a failed write stops
    the build with every file as it was. Raises SsotError (exit 2) with all problems found.
    """
    from compiler.io.write import apply_changes  # only a build writes: a check does not import it

    changed = [artifact for artifact in build_plan(root, take) if not artifact.up_to_date]
    apply_changes(
        root,
        {artifact.path: artifact.expected for artifact in changed},
        read={artifact.path: artifact.current for artifact in changed if not artifact.leftover},
    )
    return changed


def check_repository(root: Path) -> CheckResult:
    """Raises SsotError (exit 2) when the inputs cannot be read; otherwise reports every finding."""
    return check_all(*read_repository(root))


def _build_plan(facts: Facts, snapshot: Snapshot, take: Collection[str] = ()) -> list[Artifact]:
    return plan(facts, snapshot.files, snapshot.orphans, take) + [leftover(path) for path in snapshot.temp_files]
