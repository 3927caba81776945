"""Issue 11's benchmark: every ratio with its goal, from one run on repositories it generates.

    .venv/bin/python bench/run.py [--runs N] [--quick]      (or: make bench)

Ratios of medians, never seconds alone: every command of a group runs once per round, rounds repeat,
so a busy machine slows all of them alike. Peak memory is each command's maximum resident set (wait4).
`--quick` shrinks everything (1 run and no warm-up, 10/20/40 environments, a 1 MB line) to prove the benchmark works.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Command, Launcher, Runs, measure
from synthetic import (
    REPO,
    SSOT,
    cog_peer,
    cog_script,
    commit,
    copy_hand_written,
    dump,
    generated_files,
    make_repository,
    ssot_command,
    with_comment_line,
    with_environments,
    with_wide_contract,
)

#: a check that neither uses nor updates its cache: what CI on a fresh clone pays, and what the
#: ratios of work (more environments, a long line, a build from scratch) compare like with like
COLD = "check --no-cache"


@dataclass(frozen=True)
class Ratio:
    what: str
    value: float
    #: the most the ratio may be; None: shown for information
    goal: float | None
    cpu: float | None = None

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.value <= self.goal

    def row(self) -> str:
        goal = "-" if self.goal is None else f"<= {self.goal:g}x"
        met = {None: "info", True: "met", False: "NOT MET"}[self.met]
        cpu = "" if self.cpu is None else f"{self.cpu:.2f}x"
        return f"| {self.what} | {self.value:.2f}x | {cpu} | {goal} | {met} |"


def ratio(what: str, results: dict[str, Runs], top: str, bottom: str, goal: float | None) -> Ratio:
    a, b = results[top], results[bottom]
    return Ratio(what, a.median_wall / b.median_wall, goal, a.median_cpu / b.median_cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each command (default 10)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one run: proves the bench works")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    sizes = (10, 20, 40) if args.quick else (10, 100, 1_000, 10_000)
    big = sizes[-2]  # the size the goals name (1,000)
    huge = sizes[-1]  # the size that must finish, with memory growing linearly (10,000)
    comment_mb = 1.0 if args.quick else 30.0
    # `ssot check` as run again and again (the record of the warm-up run answers it, after
    # looking again at everything it read), and as on a fresh clone in CI (no cache: the whole work)
    check = lambda root: ssot_command("check", "--root", str(root))
    cold = lambda root: ssot_command("check", "--no-cache", "--root", str(root))
    ratios: list[Ratio] = []
    memory: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="ssot-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        # the check cache's records go with the scratch folder, not into the user's ~/.cache
        os.environ["XDG_CACHE_HOME"] = str(scratch / "cache")
        say(f"generating repositories in {scratch}")
        base_text = (REPO / SSOT).read_text(encoding="utf-8")
        repo = make_repository(scratch / "repo", base_text)
        page = cog_peer(scratch / "cog")
        envs = {n: make_repository(scratch / f"envs-{n}", dump(with_environments(n))) for n in sizes}
        pristine = scratch / "from-scratch"
        copy_hand_written(pristine)
        (pristine / "ssot/env.yaml").write_text(dump(with_environments(big)), encoding="utf-8")
        fresh, built = scratch / "build", scratch / "built"
        built.mkdir()

        def from_scratch() -> None:
            # The last build is moved aside, not deleted: on some file systems (ext4 without a journal, as
            # here) creating files soon after deleting thousands costs a search past the deleted inodes,
            # which would time the reset's deletions, not the build. The scratch folder goes at the end.
            if fresh.exists():
                fresh.rename(built / str(len(os.listdir(built))))
            shutil.copytree(pristine, fresh)

        # the same files written as the build writes them, and nothing else: the disk's share of the build
        floor, floors = scratch / "floor", scratch / "floors"
        floors.mkdir()
        written = generated_files(envs[big])

        def no_floor() -> None:
            if floor.exists():
                floor.rename(floors / str(len(os.listdir(floors))))

        comment = with_text(make_repository(scratch / "comment", base_text), with_comment_line(comment_mb))
        under_cap = with_text(make_repository(scratch / "comment-under-cap", base_text), with_comment_line(4.9))
        wide = make_repository(scratch / "wide", dump(with_wide_contract(20 if args.quick else 500)))
        # every environment renamed since the build: every page, example and table drifts (exit 1), each
        # with its diff
        renamed_text = re.sub(r"(?m)^  e(\d+):", r"  r\1:", dump(with_environments(big)))
        renamed = with_text(make_repository(scratch / "renamed", dump(with_environments(big))), renamed_text)

        say(f"timing the checks ({runs} interleaved runs each)")
        commands = [
            Command("python -c pass", [sys.executable, "-c", "pass"], repo),
            Command("cog --check", [cog_script(), "--check", page.name], page.parent),
            Command("check: this repository", check(repo), repo),
            Command(f"{COLD}: this repository", cold(repo), repo),
            *(Command(f"check: {n} environments", check(envs[n]), envs[n]) for n in sizes if n != huge),
            *(Command(f"{COLD}: {n} environments", cold(envs[n]), envs[n]) for n in sizes if n != huge),
            Command(
                f"build from scratch: {big} environments",
                ssot_command("build", "--root", str(fresh)),
                scratch,
                reset=from_scratch,
            ),
            Command(
                f"file-system floor: {len(written)} files",
                [sys.executable, str(REPO / "bench/fs_floor.py"), str(envs[big]), str(floor), *written],
                scratch,
                reset=no_floor,
            ),
            # Past the 5 MiB cap on a YAML file: refused with a message (exit 2) before it is parsed.
            Command(
                f"{COLD}: {comment_mb:g} MB comment line", cold(comment), comment, exit_code=2 if comment_mb > 5 else 0
            ),
            Command(f"{COLD}: 4.9 MB comment line", cold(under_cap), under_cap),
            Command(f"{COLD}: wide contract", cold(wide), wide),
        ]
        # The first check in a fresh environment (a new venv in CI, or a read-only site-packages): python-hcl2
        # without the grammar it builds on first use. A copy of the package, found first on PYTHONPATH, has its
        # grammar removed before each run: the installed one is never touched (the test suite's other workers
        # use it meanwhile).
        fresh_hcl2 = fresh_hcl2_copy(scratch / "fresh-hcl2")
        commands.append(
            Command(
                f"{COLD}: this repository, fresh environment",
                cold(repo),
                repo,
                reset=lambda: forget(fresh_hcl2),
                env={"PYTHONPATH": str(scratch / "fresh-hcl2")},
            )
        )
        launcher = Launcher(scratch)
        # quick mode proves the benchmark runs, it times nothing: no untimed warm-up round
        results = measure(launcher, commands, runs, warm_up=not args.quick)
        say(f"timing {huge} environments, and {big} renamed")
        results.update(
            measure(
                launcher,
                [
                    Command(f"{COLD}: {huge} environments", cold(envs[huge]), envs[huge]),
                    Command(f"{COLD}: {big} environments renamed", cold(renamed), renamed, exit_code=1),
                ],
                1 if args.quick else min(runs, 3),
                warm_up=not args.quick,
            )
        )
        say("timing mkdocs build, with the ssot plugin and without")
        results.update(measure(launcher, mkdocs_commands(repo), runs, warm_up=not args.quick))
        launcher.close()

    repo_check, repo_cold = "check: this repository", f"{COLD}: this repository"
    ratios += [
        ratio("check / cog --check (this repository)", results, repo_check, "cog --check", 2.0),
        # issue 21: the whole check, as CI runs it on a fresh clone (no cache), within a few interpreter starts
        ratio(f"{COLD} / cog --check (this repository)", results, repo_cold, "cog --check", 4.0),
        ratio(
            f"{COLD} first in a fresh environment / a later one (this repository)",
            results,
            f"{COLD}: this repository, fresh environment",
            repo_cold,
            1.5,
        ),
        ratio("check / python -c pass (this repository)", results, repo_check, "python -c pass", None),
        ratio("cog --check / python -c pass", results, "cog --check", "python -c pass", None),
        *(
            ratio(
                f"check {n} environments / check this repository",
                results,
                f"check: {n} environments",
                repo_check,
                3.0 if n == big else None,
            )
            for n in sizes
            if n != huge
        ),
        *(
            ratio(
                f"{COLD} {n} environments / {COLD} this repository",
                results,
                f"{COLD}: {n} environments",
                repo_cold,
                3.0 if n == big else None,
            )
            for n in sizes
        ),
        ratio(
            f"build from scratch {big} environments / {COLD} this repository",
            results,
            f"build from scratch: {big} environments",
            repo_cold,
            4.0,
        ),
        # for information: a drift everywhere costs in proportion to what changed (it took minutes in difflib)
        ratio(
            f"{COLD} {big} environments renamed / {COLD} {big} environments",
            results,
            f"{COLD}: {big} environments renamed",
            f"{COLD}: {big} environments",
            None,
        ),
        # for information: how much of the build from scratch is the disk's (creating and syncing its files)
        ratio(
            f"file-system floor of that build / {COLD} this repository",
            results,
            f"file-system floor: {len(written)} files",
            repo_cold,
            None,
        ),
        ratio(
            f"{COLD} {comment_mb:g} MB comment line / {COLD} this repository",
            results,
            f"{COLD}: {comment_mb:g} MB comment line",
            repo_cold,
            10.0,
        ),
        ratio(
            f"{COLD} 4.9 MB comment line / {COLD} this repository",
            results,
            f"{COLD}: 4.9 MB comment line",
            repo_cold,
            10.0,
        ),
        ratio(f"{COLD} wide contract / {COLD} this repository", results, f"{COLD}: wide contract", repo_cold, None),
        ratio(
            "mkdocs build with the plugin (no disk cache) / without it",
            results,
            "mkdocs build (ssot plugin)",
            "mkdocs build (no plugin)",
            1.35,
        ),
    ]
    memory = {name: runs_.peak_rss for name, runs_ in results.items()}
    ratios.append(linear_memory(memory, sizes))

    print(f"\nRatios of median wall times ({runs} runs; CPU: ratio of median CPU times, children included)\n")
    print("| ratio | wall | CPU | goal | result |\n| --- | --- | --- | --- | --- |")
    for r in ratios:
        print(r.row())
    print("\nPeak memory (maximum resident set of one run)\n")
    print("| command | median wall | peak memory |\n| --- | --- | --- |")
    for name, runs_ in results.items():
        print(f"| {name} | {runs_.median_wall:.3f} s | {memory[name] / 2**20:.0f} MiB |")
    unmet = [r for r in ratios if r.met is False]
    print(f"\n{len(unmet)} of {sum(r.goal is not None for r in ratios)} goals not met" if unmet else "\nevery goal met")
    return 1 if unmet else 0


def fresh_hcl2_copy(target: Path) -> Path | None:
    """A copy of the installed python-hcl2 package under `target` (put it first on PYTHONPATH), and where that
    copy keeps the grammar it builds on first use; None if python-hcl2 is not installed."""
    spec = importlib.util.find_spec("hcl2")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    shutil.copytree(package, target / package.name, ignore=shutil.ignore_patterns("__pycache__"))
    return target / package.name / ".lark_cache.bin"


def forget(grammar: Path | None) -> None:
    """Remove the copy's built grammar, as in an environment where python-hcl2 never ran."""
    if grammar is not None:
        grammar.unlink(missing_ok=True)


def with_text(root: Path, ssot_text: str) -> Path:
    """`root` with its SSOT replaced by `ssot_text` (a comment changes no artifact), committed."""
    (root / SSOT).write_text(ssot_text, encoding="utf-8")
    commit(root, "a long comment")
    return root


def linear_memory(memory: dict[str, int], sizes: tuple[int, ...]) -> Ratio:
    """Memory per added environment from the second-largest size to the largest, over the same from the
    smallest to the second-largest: about 1 when memory grows linearly, far more when it grows faster."""
    small, mid, large = (memory[f"{COLD}: {n} environments"] for n in (sizes[0], sizes[-2], sizes[-1]))
    early = max(mid - small, 1) / (sizes[-2] - sizes[0])
    late = max(large - mid, 1) / (sizes[-1] - sizes[-2])
    return Ratio(f"memory per environment, {sizes[-2]}->{sizes[-1]} / {sizes[0]}->{sizes[-2]}", late / early, 1.5)


def mkdocs_commands(repo: Path) -> list[Command]:
    """The same site built with the ssot plugin, and without it from the generated files on disk."""
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    plain = re.sub(r"(?m)^\s*- ssot\s*\n", "", config)
    assert plain != config, "mkdocs.yml names no ssot plugin"
    (repo / "mkdocs-no-plugin.yml").write_text(plain, encoding="utf-8")
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    return [
        Command("mkdocs build (ssot plugin)", [mkdocs, "build", "-q", "-f", "mkdocs.yml", "-d", "site-a"], repo),
        Command(
            "mkdocs build (no plugin)", [mkdocs, "build", "-q", "-f", "mkdocs-no-plugin.yml", "-d", "site-b"], repo
        ),
    ]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
