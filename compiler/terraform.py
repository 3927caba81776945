"""The tfvars contract cross-checked with the layers' Terraform `variable` blocks (being written: issue 3)."""

from __future__ import annotations

from pathlib import Path

from compiler.facts import Facts
from compiler.findings import Finding


def cross_check(root: Path, facts: Facts) -> list[Finding]:
    return []
