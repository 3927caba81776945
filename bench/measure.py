"""Running commands for the benchmark: wall time, CPU time and peak memory of each run, runs interleaved.

Every command of a round runs once before any runs twice, so a machine that gets busier (other jobs on a
shared runner) slows every command alike and the ratios of medians stay meaningful.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Command:
    name: str
    argv: Sequence[str]
    cwd: Path
    #: the exit code the command must end with (a check of drift-free files: 0; a refused input: 2)
    exit_code: int = 0
    #: a callable run before each run, not timed (putting a from-scratch tree back in place)
    reset: Callable[[], None] | None = None


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    #: peak resident memory of each run, in bytes
    rss: list[int] = field(default_factory=list)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_rss(self) -> int:
        return max(self.rss)


class CommandFailed(Exception):
    pass


def child_environment() -> dict[str, str]:
    """The environment the commands run in: this one, with bytecode caching on (as an installed package
    has it: pip compiles it) and the MkDocs 2 notice off."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def run_once(command: Command, env: Mapping[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the command and what it waited for, peak RSS in bytes)."""
    if command.reset is not None:
        command.reset()
    start = time.perf_counter()
    process = subprocess.Popen(
        command.argv, cwd=command.cwd, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != command.exit_code:
        tail = stderr.decode("utf-8", "replace")[-2000:]
        raise CommandFailed(
            f"{command.name}: exit {process.returncode}, expected {command.exit_code}: {' '.join(command.argv)}\n{tail}"
        )
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # Linux reports KiB


def measure(commands: Sequence[Command], runs: int, *, warm_up: bool = True) -> dict[str, Runs]:
    """Each command `runs` times, interleaved; one untimed run first warms the caches (files, bytecode)."""
    env = child_environment()
    results = {command.name: Runs() for command in commands}
    if warm_up:
        for command in commands:
            run_once(command, env)
    for _ in range(runs):
        for command in commands:
            wall, cpu, rss = run_once(command, env)
            results[command.name].wall.append(wall)
            results[command.name].cpu.append(cpu)
            results[command.name].rss.append(rss)
    return results
