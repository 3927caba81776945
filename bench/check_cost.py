"""How much `ssot check` costs, as a ratio to a bare interpreter start-up (ratios, not seconds).

    .venv/bin/python bench/check_cost.py [--runs N]

The commands run alternately in the same process tree, so a busy machine slows all alike. DESIGN.md's
budget: a check of this repository costs about a handful of interpreter start-ups, never importing
mkdocs, and python-hcl2 only when there is HCL to read: a real envs/*.tfvars file, or the Terraform roots
its layers name (this repository names four since issue 9, so its whole check reads them: about 18
start-ups instead of 12 without, python-hcl2 and its grammar being most of the difference). A check
run again with nothing changed answers from .ssot-cache/ (compiler/app/cached.py) in about 4; both are
printed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def imported_modules(root: Path) -> set[str]:
    script = (
        "import sys; from compiler.app.cli import main; import contextlib, io\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['check', '--root', {str(root)!r}])\n"
        "print('\\n'.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return {name.split(".")[0] for name in out.split()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "repo"
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".venv", ".git", "site", "*.tfvars", ".ssot-cache"))
        bare = [sys.executable, "-c", "pass"]
        check = [sys.executable, "-m", "compiler", "check", "--root", str(copy)]
        cold = [sys.executable, "-m", "compiler", "check", "--no-cache", "--root", str(copy)]
        timed(check)  # warm the file cache, and record the check in .ssot-cache/
        baseline, checks, colds = [], [], []
        for _ in range(runs):
            baseline.append(timed(bare))
            checks.append(timed(check))
            colds.append(timed(cold))
        ratio = statistics.median(checks) / statistics.median(baseline)
        cold_ratio = statistics.median(colds) / statistics.median(baseline)
        modules = imported_modules(copy)
        with_tfvars = copy / "envs" / "staging.tfvars"
        shutil.copy(copy / "envs" / "staging.tfvars.example", with_tfvars)
        tfvars_check = [sys.executable, "-m", "compiler", "check", "--no-cache", "--root", str(copy)]
        timed(tfvars_check)  # python-hcl2 builds its grammar cache on first use
        tfvars_ratio = statistics.median(timed(tfvars_check) for _ in range(runs)) / statistics.median(baseline)

    print(f"ssot check / interpreter start-up: {ratio:.1f}x (median of {runs}; answered from .ssot-cache/)")
    print(f"ssot check --no-cache / interpreter start-up: {cold_ratio:.1f}x (the whole check, as on a fresh clone)")
    print(f"ssot check with a real tfvars file / interpreter start-up: {tfvars_ratio:.1f}x")
    print(f"imports mkdocs: {'mkdocs' in modules}; imports hcl2 without tfvars: {'hcl2' in modules}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
