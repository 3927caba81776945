"""Running commands for the benchmark: wall time, CPU time and peak memory of each run, runs interleaved.

Every command of a round runs once before any runs twice, so a machine that gets busier (other jobs on a
shared runner) slows every command alike and the ratios of medians stay meaningful.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
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
    #: variables set for this command on top of the benchmark's environment
    env: Mapping[str, str] | None = None


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


#: The launcher: a small, long-lived Python that starts each command and reports its wait4 figures. A
#: child forked from the benchmark itself would count the benchmark's memory (tens of MiB of generated
#: SSOTs) as its own peak: Linux keeps the parent's resident set as the child's high-water mark.
LAUNCHER = """
import json, os, sys, time
for line in sys.stdin:
    argv, cwd, env, stderr = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, code]), flush=True)
"""


class Launcher:
    def __init__(self, scratch: Path) -> None:
        self.stderr = scratch / "stderr.txt"
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, command: Command, env: Mapping[str, str]) -> tuple[float, float, int]:
        """(wall seconds, CPU seconds of the command and what it waited for, peak RSS in bytes)."""
        if command.reset is not None:
            command.reset()
        assert self.process.stdin is not None and self.process.stdout is not None
        job = [list(command.argv), str(command.cwd), dict(env), str(self.stderr)]
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        wall, cpu, rss, code = json.loads(self.process.stdout.readline())
        if code != command.exit_code:
            tail = self.stderr.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise CommandFailed(
                f"{command.name}: exit {code}, expected {command.exit_code}: {' '.join(command.argv)}\n{tail}"
            )
        return wall, cpu, rss

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def measure(launcher: Launcher, commands: Sequence[Command], runs: int, *, warm_up: bool = True) -> dict[str, Runs]:
    """Each command `runs` times, interleaved; one untimed run first warms the caches (files, bytecode)."""
    env = child_environment()
    results = {command.name: Runs() for command in commands}
    if warm_up:
        for command in commands:
            launcher.run(command, {**env, **(command.env or {})})
    for _ in range(runs):
        for command in commands:
            wall, cpu, rss = launcher.run(command, {**env, **(command.env or {})})
            results[command.name].wall.append(wall)
            results[command.name].cpu.append(cpu)
            results[command.name].rss.append(rss)
    return results
