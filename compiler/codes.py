"""Every finding and trouble code, declared once: its name, the exit code it leads to, what it means.

Findings and problems carry one of the names below (use the constants, never a literal): JSON output,
GitHub annotations and README.md's code table (the generated block `finding-codes`) all come from here.
A name is stable once released; new ones may be added.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class Exit(IntEnum):
    """The exit codes of `ssot` (as diff(1)); `main` is the one place that returns them."""

    OK = 0
    DRIFT = 1
    TROUBLE = 2
    BUG = 3
    #: Ctrl-C, as shells report SIGINT (128 + 2)
    INTERRUPTED = 130


class Code(NamedTuple):
    name: str
    exit: Exit
    #: what the code is about, one line (README.md's code table)
    meaning: str


REGISTRY: dict[str, Code] = {}


def _register(name: str, exit: Exit, meaning: str) -> str:
    if name in REGISTRY:  # pragma: no cover - caught by importing this module at all
        raise ValueError(f"code {name!r} is declared twice")
    REGISTRY[name] = Code(name, exit, meaning)
    return name


def _drift(name: str, meaning: str) -> str:
    return _register(name, Exit.DRIFT, meaning)


def _trouble(name: str, meaning: str) -> str:
    return _register(name, Exit.TROUBLE, meaning)


def exit_of(name: str) -> Exit:
    return REGISTRY[name].exit


def require(name: str) -> str:
    """`name`, if it is a registered code; emitting an unregistered one is a bug."""
    if name not in REGISTRY:
        raise ValueError(f"unregistered finding code {name!r}: declare it in compiler/codes.py")
    return name


# Generated artifacts: Markdown tables and text.
TABLE_CELL = _drift("table-cell", "one cell of a generated table differs")
TABLE_ROW_MISSING = _drift("table-row-missing", "a row of a generated table is missing")
TABLE_ROW_EXTRA = _drift("table-row-extra", "a generated table has a row ssot/env.yaml does not generate, or one twice")
TABLE_ROW_ORDER = _drift("table-row-order", "the rows of a generated table are in another order")
TABLE_COLUMN_MISSING = _drift("table-column-missing", "a column of a generated table is missing")
TABLE_COLUMN_EXTRA = _drift("table-column-extra", "a generated table has a column ssot/env.yaml does not generate")
TABLE_COLUMN_ORDER = _drift("table-column-order", "the columns of a generated table are in another order")
TABLE_MISSING = _drift("table-missing", "a whole generated table is missing")
TABLE_EXTRA = _drift("table-extra", "a table stands where ssot/env.yaml generates none")
TEXT_DRIFT = _drift("text-drift", "generated lines that are not a table (lists, paragraphs) differ; with a diff")
# Generated artifacts: tfvars examples and whole files.
TFVARS_EXAMPLE_VALUE = _drift("tfvars-example-value", "one attribute of a tfvars example has another value")
TFVARS_EXAMPLE_MISSING = _drift("tfvars-example-missing", "an attribute of a tfvars example is missing")
TFVARS_EXAMPLE_EXTRA = _drift("tfvars-example-extra", "a tfvars example sets an attribute that is not generated")
YAML_VALUE = _drift(
    "yaml-value", "one value of a generated YAML file (atlantis.yaml) differs, is missing or is not generated"
)
JSON_VALUE = _drift(
    "json-value", "one value of a generated JSON file (the JSON Schema) differs, is missing or is not generated"
)
# A team's own file (atlantis.yaml, digger.yml without the generated header): only the facts ssot/env.yaml
# states are the tool's, edited in place.
PROJECT_VALUE = _drift(
    "project-value",
    "a project of a team's atlantis.yaml or digger.yml has another name, dir, workspace, workflow or Terraform "
    "version than ssot/env.yaml states",
)
PROJECT_MISSING = _drift(
    "project-missing", "a team's atlantis.yaml or digger.yml lacks a project ssot/env.yaml has (ssot build adds it)"
)
PROJECT_UNKNOWN = _drift(
    "project-unknown",
    "a team's atlantis.yaml or digger.yml has a project no layer of ssot/env.yaml is (kept, never deleted)",
)
STALE_ARTIFACT = _drift("stale-artifact", "a generated file differs from what ssot build writes; with a diff")
MISSING_ARTIFACT = _drift("missing-artifact", "a generated file is missing")
ORPHANED_ARTIFACT = _drift(
    "orphaned-artifact", "a generated file is left from an environment ssot/env.yaml no longer has"
)
# Real envs/<env>.tfvars files against the contract.
TFVARS_ENVIRONMENT = _drift("tfvars-environment", "a real tfvars file's `environment` is not its file's environment")
TFVARS_UNDECLARED = _drift("tfvars-undeclared", "a real tfvars file sets a variable the contract does not declare")
TFVARS_SENSITIVE = _drift("tfvars-sensitive", "a real tfvars file sets a sensitive variable")
TFVARS_TYPE = _drift("tfvars-type", "a real tfvars value is not of its variable's declared type")
TFVARS_MISSING = _drift("tfvars-missing", "a real tfvars file does not set a required variable")
STATE_KEY = _drift("state-key", "a layer's Terraform backend names its state otherwise than ssot/env.yaml's state key")
TFVARS_VALUE = _drift("tfvars-value", "a committed tfvars file sets another value than ssot/env.yaml states")
TFVARS_UNKNOWN_ENVIRONMENT = _drift(
    "tfvars-unknown-environment", "a real tfvars file is named after no environment of ssot/env.yaml"
)
TFVARS_NOT_IN_TERRAFORM = _drift("tfvars-not-in-terraform", "a tfvars key that no per-env layer's Terraform declares")
# Terraform variable blocks against the contract.
TERRAFORM_UNDECLARED = _drift(
    "terraform-undeclared", "a contract variable that no per-env layer's Terraform declares (for some environment)"
)
TERRAFORM_NOT_IN_SSOT = _drift("terraform-not-in-ssot", "a per-env layer's Terraform variable the contract lacks")
TERRAFORM_TYPE = _drift("terraform-type", "a variable's type differs between Terraform and the contract")
TERRAFORM_SENSITIVE = _drift(
    "terraform-sensitive", "a variable's `sensitive` differs between Terraform and the contract"
)
TERRAFORM_UNPROVIDED = _drift(
    "terraform-unprovided", "a Terraform variable without a default that some environment does not set"
)
TERRAFORM_DIR_MISSING = _drift("terraform-dir-missing", "a root a layer's terraform_dir names does not exist")
TERRAFORM_DIR_EMPTY = _drift("terraform-dir-empty", "a root a layer's terraform_dir names holds no .tf file")
TERRAFORM_DEFAULT_MISMATCH = _drift(
    "terraform-default-mismatch",
    "a contract variable's Terraform default differs from the value ssot/env.yaml gives it",
)
# Secrets and git.
SECRET_VALUE = _drift(
    "secret-value",
    "a tfvars example, a tracked tfvars file or a layer's Terraform holds a secret (the value is never printed)",
)
TFVARS_TRACKED = _drift("tfvars-tracked", "a real tfvars file is tracked by git")
# Hand work: what ssot build keeps rather than destroys.
EDITED_ORPHAN = _drift(
    "edited-orphan", "a file left from a removed environment was edited by hand, so ssot build keeps it"
)
STALE_TEMP_FILE = _drift(
    "stale-temp-file", "a temporary file left by an interrupted ssot build (the next build removes it)"
)
GITIGNORE_TFVARS = _drift("gitignore-tfvars", ".gitignore does not keep real tfvars files out of git")

# Trouble: nothing was checked or written.
INVALID_SSOT = _trouble("invalid-ssot", "ssot/env.yaml is not valid YAML, breaks the model or a domain rule")
INVALID_INPUT = _trouble("invalid-input", "an input cannot be used at all (ssot/env.yaml missing, text not UTF-8)")
SSOT_EXISTS = _trouble("ssot-exists", "ssot init found an ssot/env.yaml already; it never overwrites one")
BROKEN_MARKER = _trouble("broken-marker", "a block marker is missing, unknown, duplicated, nested or malformed")
INVALID_TFVARS = _trouble("invalid-tfvars", "a tfvars file Terraform would refuse to read")
INVALID_TERRAFORM = _trouble("invalid-terraform", "a .tf file Terraform would refuse to read")
IO_ERROR = _trouble("io-error", "a file cannot be read or written")
UNSAFE_PATH = _trouble(
    "unsafe-path", "a path leaves the repository (through .. or a symlink), reaches into a git directory, or loops"
)
NOT_OWNED = _trouble(
    "not-owned", "ssot build would write over a file it did not generate (no generated header); it never does"
)
SPECIAL_FILE = _trouble("special-file", "an input path is a FIFO, device, socket or directory, not a regular file")
CHANGED_DURING_BUILD = _trouble(
    "changed-during-build", "a file changed after ssot build read it; nothing more was written, run the build again"
)
INTERRUPTED = _register(
    "interrupted", Exit.INTERRUPTED, "the command was interrupted (Ctrl-C); a build leaves every file as it was"
)
