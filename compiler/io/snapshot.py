"""The repository as read once (pure data): what every check looks at, so that no check reads a file.

Files are read by compiler/io/repository.py; HCL is parsed on first use (with compiler/formats/hcl.py) and kept,
so that a file several checks look at is parsed once, and python-hcl2 is imported only when some check
needs a tfvars or Terraform file's content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from compiler import codes
from compiler.core.model import Layer
from compiler.errors import Problem, SsotError
from compiler.formats.gitignore import NotIgnored
from compiler.formats.terraform import TerraformVariable, module_variables


@dataclass(frozen=True, eq=False)
class TfvarsFile:
    """A tfvars file (real, or an example), relative to the root."""

    path: str
    text: str

    @cached_property
    def attributes(self) -> dict[str, tuple[int, object]]:
        """name -> (line, value). Raises SsotError (invalid-tfvars) for a file Terraform would refuse."""
        from compiler.formats.hcl import parse_tfvars

        return parse_tfvars(self.text, self.path)


@dataclass(frozen=True, eq=False)
class TerraformModule:
    """A Terraform directory (a module): its `*.tf` files' text, relative to the root."""

    directory: str
    #: path -> text; None when the directory does not exist (or is not a directory)
    files: Mapping[str, str] | None
    #: why files is None: "does not exist" or "is not a directory"
    missing: str = ""
    #: the files among `files` that are links to a file elsewhere in the repository -> that file: what they
    #: declare is reported there, once, however many roots link to it
    links: Mapping[str, str] = field(default_factory=dict)
    #: a directory without .tf files that holds a terragrunt.hcl: a Terragrunt unit, whose Terraform comes
    #: from the source its terragrunt.hcl names
    terragrunt_unit: bool = False

    def real(self, path: str) -> str:
        """The file `path` is, through a link: where its findings point."""
        return self.links.get(path, path)

    @cached_property
    def variables(self) -> dict[str, TerraformVariable] | None:
        """The module's variables by name; None if the directory is missing. Raises SsotError (invalid-terraform)."""
        from compiler.formats.hcl import parse_variables

        if self.files is None:
            return None
        parsed = {}
        problems: list[Problem] = []
        for path, text in self.files.items():
            try:
                parsed[path] = parse_variables(text, self.real(path))
            except SsotError as exc:
                problems.extend(exc.problems)
        if problems:
            raise SsotError(problems, code=codes.INVALID_TERRAFORM)
        return module_variables(parsed, self.directory)


class LayerTerraform(NamedTuple):
    """One Terraform root of a layer (a layer may have several; two layers may share one module)."""

    layer_id: str
    layer: Layer
    module: TerraformModule
    #: where the root is written in ssot/env.yaml: ("layers", id, "terraform_dir"[, index in the list])
    at: tuple[str | int, ...] = ()
    #: the environment an `{env}` root was expanded for; None for a root every environment shares
    env: str | None = None


class GitFacts(NamedTuple):
    #: files git tracks in the tfvars directory; None when the root is in no git work tree
    tracked: tuple[str, ...] | None
    #: real tfvars files (one per environment) that the ignore rules do not keep out of git
    not_ignored: tuple[NotIgnored, ...]


class Snapshot(NamedTuple):
    #: path -> current text (None: missing) of every generated file, candidate block host and orphan
    files: Mapping[str, str | None]
    #: files that start as a generated per-environment file does, for an environment that is gone (the
    #: plan tells those still as generated, which go, from those edited since, which stay)
    orphans: tuple[str, ...]
    #: real tfvars files (`envs/*.tfvars`), tracked or not
    real_tfvars: tuple[TfvarsFile, ...]
    #: tfvars examples on disk (`envs/*.tfvars.example`), generated or hand-written
    examples: tuple[TfvarsFile, ...]
    #: every root of the layers that name Terraform, in layer order (an `{env}` root once per environment)
    terraform: tuple[LayerTerraform, ...]
    git: GitFacts
    #: temporary files an interrupted `ssot build` left beside its targets (named as compiler/io/paths.py says)
    temp_files: tuple[str, ...] = ()
