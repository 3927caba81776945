"""Real builds killed at random moments: every file is old or new, never torn; the next build cleans up.

Each run is the real `python -m compiler build` in a subprocess, on a repository whose SSOT flips between
two states that change, create and remove files, killed with SIGKILL (or left to finish). After each, every
file must be wholly as before the run or wholly as the build makes it; temporary files may be left (a
killed process cleans up nothing). After the last run, one more build must leave the repository exactly as
a clean build makes it, no temporary file included.

Where the kills land: half of them at a random moment of a whole run (reading, planning, writing), half at a
random moment of its write phase, which is otherwise about 5% of a run and hard to hit by chance. For those,
the child says when it starts writing (its first fsync writes a byte to a pipe, through a `sitecustomize` on
its path, which also slows each fsync and rename by a few milliseconds to widen the phase). The loop is
bounded in runs and in time.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from conftest import REPO_ROOT, copy_repository, edit, run_main, snapshot

#: runs: at least MIN_RUNS (however slow the machine), then more while within TIME_BUDGET seconds
MIN_RUNS, MAX_RUNS = 6, 20
TIME_BUDGET = 3.5
#: how long the write phase lasts at least (a dozen files, each staged and renamed, slowed as below)
WRITE_PHASE = 0.06
SITECUSTOMIZE = """
import os, time
_fsync, _replace = os.fsync, os.replace
_signal = [int(os.environ["SSOT_TEST_WRITING_FD"])]

def fsync(fd):
    if _signal:
        os.write(_signal.pop(), b"w")
    time.sleep(0.003)
    return _fsync(fd)

os.fsync = fsync
os.replace = lambda a, b: (time.sleep(0.003), _replace(a, b))[1]
"""


def is_temporary(path: str) -> bool:
    return path.rsplit("/", 1)[-1].startswith(".") and path.endswith(".tmp")


def artifacts(root: Path) -> dict[str, bytes]:
    """Every file but the SSOT and temporary files -> its bytes."""
    return {p: data for p, data in snapshot(root).items() if not is_temporary(p) and p != "ssot/env.yaml"}


def built(root: Path, ssot: bytes) -> dict[str, bytes]:
    """What a clean, complete build makes of the repository at `root` with `ssot` as its SSOT."""
    (root / "ssot/env.yaml").write_bytes(ssot)
    result = run_main(["build", "--root", root], root)
    assert result.code == 0, result
    return artifacts(root)


@dataclass
class Trial:
    root: Path
    #: the state a build makes, for each of the two SSOTs
    states: tuple[dict[str, bytes], dict[str, bytes]]
    ssots: tuple[bytes, bytes]
    runs: int = 0
    #: kills that landed while files were being written (some new, some old, or temporary files left)
    mid_write: int = 0
    duration: float = 0.4
    problems: list[str] = field(default_factory=list)


def test_a_build_killed_at_any_moment_leaves_no_torn_file_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    copy_repository(root)
    first = (root / "ssot/env.yaml").read_bytes()
    edit(root / "ssot/env.yaml", "\n  staging:\n", "\n  stage:\n")
    edit(root / "ssot/env.yaml", "env_prefix: x-staging ", "env_prefix: y-stage   ")
    second = (root / "ssot/env.yaml").read_bytes()
    trial = Trial(root, (built(root, second), built(root, first)), (second, first))
    assert trial.states[0] != trial.states[1]

    rng = random.Random()
    started = time.monotonic()
    while trial.runs < MIN_RUNS or (trial.runs < MAX_RUNS and time.monotonic() - started < TIME_BUDGET):
        before = artifacts(root)
        # towards the state the repository is not in (from a mixed one, either): there is always work to do
        target = 1 if before == trial.states[0] else 0 if before == trial.states[1] else rng.randrange(2)
        (root / "ssot/env.yaml").write_bytes(trial.ssots[target])
        returncode, stderr = _run(trial, site, rng)
        _judge(trial, target, before, returncode, stderr)
        trial.runs += 1

    assert trial.problems == [], "\n".join(trial.problems)
    final = run_main(["build", "--root", root], root)
    assert final.code == 0, final
    assert {p: d for p, d in snapshot(root).items() if p != "ssot/env.yaml"} == trial.states[target], (
        "after the next build, every file is as a clean build makes it, and no temporary file is left"
    )
    assert trial.mid_write >= 1, "no kill landed while files were written"


def _run(trial: Trial, site: Path, rng: random.Random) -> tuple[int, bytes]:
    """One build: the first runs to its end (it times a run); then kills at random, every other one while writing."""
    reading, writing = os.pipe()
    environment = {
        **os.environ,
        "PYTHONPATH": f"{site}{os.pathsep}{REPO_ROOT}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SSOT_TEST_WRITING_FD": str(writing),
    }
    command = [sys.executable, "-m", "compiler", "build", "--root", str(trial.root)]
    start = time.monotonic()
    try:
        child = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(writing,)
        )
        os.close(writing)
        if trial.runs % 2:  # at a random moment of the run
            time.sleep(max(0.0, trial.duration * rng.uniform(0.05, 1.1) - (time.monotonic() - start)))
            child.send_signal(signal.SIGKILL)
        elif trial.runs and select.select([reading], [], [], 30)[0] and os.read(reading, 1):  # while it writes
            time.sleep(rng.uniform(0, WRITE_PHASE))
            child.send_signal(signal.SIGKILL)
        _, stderr = child.communicate(timeout=60)
    finally:
        os.close(reading)
    if trial.runs == 0:
        trial.duration = time.monotonic() - start
    return child.returncode, stderr


def _judge(trial: Trial, target: int, before: dict[str, bytes], returncode: int, stderr: bytes) -> None:
    after, now = trial.states[target], artifacts(trial.root)
    left = [p for p in snapshot(trial.root) if is_temporary(p)]
    where = f"run {trial.runs} (exit {returncode})"
    if returncode != -signal.SIGKILL:
        if returncode != 0 or left or now != after:
            trial.problems.append(f"{where}: a build that ran to its end failed or left {left}: {stderr!r}")
        return
    for path in sorted(before.keys() | after.keys() | now.keys()):
        if now.get(path) not in (before.get(path), after.get(path)):
            trial.problems.append(f"{where}: {path} is neither as before the build nor as the build makes it")
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    new = {p for p in changed if now.get(p) == after.get(p)}
    if left or new not in (set(), changed):
        trial.mid_write += 1
