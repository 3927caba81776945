"""Adopting a real repository (issue 20's "Done when"): four hand-written example repositories of the shapes
found in public Terraform monorepos (tests/fixtures/adopt/), each committed to git in tmp_path, then the real
commands a maintainer runs: `ssot init`, `ssot build`, `ssot check`, and `mkdocs build --strict` with the
repository's own (or the README's minimal) mkdocs.yml.

In each: the build changes no tracked byte (it only creates ssot/ and the generated pages), `check` reports
only the repository's real problems, one hand edit of a fact is found at its file and line, and the site
builds strict. KNOWN_FAILURES lists, per test and shape, what still fails on main and why: remove an entry
when its case turns green (it then shows as XPASS); `pytest --runxfail tests/test_adopt.py` shows what each
case fails on now.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import RunCli, edit, git, line_of
from mkdocs_build import Built, mkdocs_build_in_process

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "adopt"

#: What the README tells a repository without a site to write at its top (`docs_dir` defaults to docs).
MINIMAL_MKDOCS = "site_name: Infrastructure\ntheme: material\nplugins: [search, ssot]\n"


@dataclass(frozen=True)
class Shape:
    """One example repository and what adopting it must give."""

    name: str
    """Its folder under tests/fixtures/adopt/."""
    environments: tuple[str, ...]
    """The environments it has (init must draft exactly these, in this order)."""
    docs_dir: str
    """Where the generated pages belong (mkdocs.yml's docs_dir, from the repository's top)."""
    mkdocs_yml: str | None
    """Its own mkdocs.yml; None: it has none, and the README's minimal one is written at the top."""
    hand_edit: tuple[str, str, str]
    """(file, old, new): a fact changed by hand after the build; `check` must report it at the line of `new`."""
    domains: bool = True
    """Whether it has domains at all (without any, no page or file may invent one)."""
    empty_dirs: tuple[str, ...] = ()
    """Directories it has with nothing in them (git keeps none, so they are made after the copy)."""
    not_layers: tuple[str, ...] = ()
    """Folders with .tf files that are no layer: modules the roots call, a folder the roots link into."""
    module_inputs: tuple[str, ...] = ()
    """Variables only modules declare: no tfvars sets them, so they are no part of the contract."""


SHAPES = (
    # (A) one root per environment (default workspace), Atlantis with automerge, apply_requirements on prod and
    # autoplan globs that reach the modules; tfvars examples beside each root; no domains.
    Shape(
        "env-dirs",
        ("dev", "prod"),
        "docs",
        None,
        ("atlantis.yaml", "    dir: infra/environments/prod\n", "    dir: infra/environments/production\n"),
        domains=False,
        not_layers=("infra/modules/network", "infra/modules/service"),
        module_inputs=("name", "cidr", "subnet_ids", "az_count"),
    ),
    # (B) Terragrunt + Digger: per-env roots whose .tf files link into the shared envs/data-shared/, backend
    # configs (envs/<env>.backend.tfvars) beside the tfvars examples; domains as contract values.
    Shape(
        "terragrunt-digger",
        ("staging", "prod"),
        "docs",
        None,
        ("digger.yml", "    dir: envs/prod/data\n", "    dir: envs/production/data\n"),
        not_layers=("envs/data-shared",),
    ),
    # (C) numbered roots (1-bootstrap, 2-platform, 3-data per workspace), an Atlantis `workflows:` block with
    # backend-config init steps, an empty apps root and a tfvars example with a shell-style `<<'KEY'` heredoc.
    Shape(
        "numbered-roots",
        ("staging", "prod"),
        "docs",
        None,
        ("envs/prod.tfvars.example", 'env_prefix      = ""\n', 'env_prefix      = "x-prod"\n'),
        empty_dirs=("terraform/4-apps",),
    ),
    # (D) the site in a subfolder (website/mkdocs.yml, docs_dir docs); classic workspaces; no domains. The
    # hand edit is a cell of a generated page.
    Shape(
        "website-subfolder",
        ("staging", "prod"),
        "website/docs",
        "website/mkdocs.yml",
        ("website/docs/ssot/layers.md", "`service-prod`", "`service-production`"),
        domains=False,
    ),
    # (E) per-environment roots that commit their terraform.tfvars (the team's configuration, read by
    # Terraform from the repository): variables over several files, a heredoc description, a value quoted by
    # a script ("2" for a number), comments of every kind; Atlantis with workflows. No domains.
    Shape(
        "committed-tfvars",
        ("staging", "prod"),
        "docs",
        None,
        ("environments/prod/terraform.tfvars", "instance_count = 5\n", "instance_count = 7\n"),
        domains=False,
        not_layers=("modules/network",),
        module_inputs=("cidr",),
    ),
)

#: (test, shape) -> why the case fails on main, each a non-strict xfail: remove the entry when its case
#: passes (pytest then reports it XPASS). Every shape passes every test today.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def cases(test: str, *only: str) -> list[Any]:
    """The shapes (all, or those named) as parameters of `test`, each an xfail where KNOWN_FAILURES says so."""
    return [
        pytest.param(
            shape,
            id=shape.name,
            marks=[pytest.mark.xfail(strict=False, reason=reason)]
            if (reason := KNOWN_FAILURES.get((test, shape.name)))
            else [],
        )
        for shape in SHAPES
        if not only or shape.name in only
    ]


def checkout(shape: Shape, tmp_path: Path) -> Path:
    """A fresh clone of the example repository: every file committed (links kept as links), nothing else."""
    root = tmp_path / shape.name
    shutil.copytree(FIXTURES / shape.name, root, symlinks=True)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the team's repository")
    for directory in shape.empty_dirs:
        (root / directory).mkdir(parents=True)
    return root


def adopt(shape: Shape, tmp_path: Path, run_cli: RunCli, *, as_committed: bool = True) -> Path:
    """The clone after `ssot init` then `ssot build`, both asserted to succeed.

    `as_committed`: then every tracked file is put back as the team committed it. A no-op once the build
    changes no tracked byte (the test above holds that); until then, what `check` says is about the team's
    files, not about the ones a build replaced.
    """
    root = checkout(shape, tmp_path)
    drafted = run_cli("init", "--root", root)
    assert drafted.code == 0, drafted
    built = run_cli("build", "--root", root)
    assert built.code == 0, built
    if as_committed:
        git(root, "checkout", "--", ".")
    return root


def status(root: Path) -> tuple[list[str], list[str]]:
    """(changed tracked files, new files) as git sees them; the ignored ones (real tfvars, caches) are neither."""
    lines = git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
    return [line for line in lines if not line.startswith("??")], [line[3:] for line in lines if line.startswith("??")]


def findings(run_cli: RunCli, root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "--root", root, "--format", "json")
    assert result.code in (0, 1), result
    return result.code, json.loads(result.stdout)["findings"]


def located(found: list[dict[str, Any]]) -> list[str]:
    return [f"{f['file']}:{f['line']}: [{f['code']}]" for f in found]


# -- init, then build: nothing a team wrote changes --


@pytest.mark.parametrize("shape", cases("build_changes_no_tracked_byte"))
def test_init_then_build_changes_no_tracked_byte(shape: Shape, tmp_path: Path, run_cli: RunCli) -> None:
    root = adopt(shape, tmp_path, run_cli, as_committed=False)
    changed, created = status(root)
    assert changed == [], "ssot build changed files the team wrote:\n" + git(root, "diff")
    ours = {"ssot/env.yaml", "ssot/env.schema.json"}
    assert ours <= set(created)
    pages = [path for path in created if path.startswith(f"{shape.docs_dir}/")]
    assert pages, f"no generated page under {shape.docs_dir}/: {created}"
    assert sorted(set(created) - ours - set(pages)) == [], "files created outside ssot/ and the docs_dir"


@pytest.mark.parametrize("shape", cases("init_drafts_the_environments"))
def test_init_drafts_the_repositorys_environments_and_no_invented_value(
    shape: Shape, tmp_path: Path, run_cli: RunCli
) -> None:
    """What the pages and artifacts will say comes from the draft: it holds the repository's own facts."""
    root = checkout(shape, tmp_path)
    drafted = run_cli("init", "--root", root)
    assert drafted.code == 0, drafted
    described = run_cli("describe", "--root", root, "--format", "json")
    assert described.code == 0, described
    facts = json.loads(described.stdout)
    assert tuple(env["name"] for env in facts["environments"]) == shape.environments
    layer_roots = {layer["id"]: layer["terraform_dirs"] for layer in facts["layers"]}
    assert [i for i, dirs in layer_roots.items() if dirs[0] in shape.not_layers] == [], layer_roots
    draft = (root / "ssot/env.yaml").read_text(encoding="utf-8")
    assert set(yaml.safe_load(draft)["variables"]).isdisjoint(shape.module_inputs)
    if not shape.domains:
        assert "example.com" not in draft, "a repository without domains got a placeholder domain"


@pytest.mark.parametrize("shape", cases("init_lists_unparsable_example", "numbered-roots"))
def test_init_lists_an_unparsable_tfvars_example_for_review_and_goes_on(
    shape: Shape, tmp_path: Path, run_cli: RunCli
) -> None:
    root = checkout(shape, tmp_path)
    drafted = run_cli("init", "--root", root)
    assert drafted.code == 0, drafted
    assert "envs/ssh_keys.tfvars.example" in drafted.stdout  # named for review, not silently dropped


# -- check: only the real problems --


@pytest.mark.parametrize("shape", cases("check_reports_only_real_problems"))
def test_check_after_adoption_reports_only_the_real_problems(shape: Shape, tmp_path: Path, run_cli: RunCli) -> None:
    root = adopt(shape, tmp_path, run_cli)
    code, found = findings(run_cli, root)
    assert (code, located(found)) == (0, [])


@pytest.mark.parametrize("shape", cases("local_tfvars_missing_variable", "numbered-roots"))
def test_check_reports_a_local_tfvars_missing_a_contract_variable_and_nothing_else(
    shape: Shape, tmp_path: Path, run_cli: RunCli
) -> None:
    """The one real problem planted: a maintainer's local envs/prod.tfvars (git-ignored) without `databases`."""
    root = adopt(shape, tmp_path, run_cli)
    example = (root / "envs/prod.tfvars.example").read_text(encoding="utf-8")
    start = example.index("databases = [")
    local = example[:start] + example[example.index("]\n", start) + 2 :]
    (root / "envs/prod.tfvars").write_text(local, encoding="utf-8")
    assert "envs/prod.tfvars" not in status(root)[1]  # git ignores it, as the repository's .gitignore says
    code, found = findings(run_cli, root)
    assert code == 1
    assert [(f["file"], f["code"]) for f in found] == [("envs/prod.tfvars", "tfvars-missing")], located(found)
    assert "databases" in found[0]["message"]


# -- one hand edit of a fact is found --


@pytest.mark.parametrize("shape", cases("hand_edit_is_found"))
def test_one_hand_edit_of_a_fact_is_found_at_its_line(shape: Shape, tmp_path: Path, run_cli: RunCli) -> None:
    root = adopt(shape, tmp_path, run_cli)
    path, old, new = shape.hand_edit
    edit(root / path, old, new)
    line = line_of((root / path).read_text(encoding="utf-8"), new.strip())
    code, found = findings(run_cli, root)
    assert code == 1
    assert {(f["file"], f["line"]) for f in found} == {(path, line)}, located(found)


# -- the minimal site builds strict --


def mkdocs_build(config: Path, site: Path) -> Built:
    """`mkdocs build --strict`, run where the config lives, as a maintainer would (in this process:
    tests/mkdocs_build.py)."""
    return mkdocs_build_in_process(config, site, cwd=config.parent, strict=True)


@pytest.mark.parametrize("shape", cases("site_builds_strict"))
def test_the_minimal_site_builds_strict(shape: Shape, tmp_path: Path, run_cli: RunCli) -> None:
    root = adopt(shape, tmp_path, run_cli)
    config = root / (shape.mkdocs_yml or "mkdocs.yml")
    if shape.mkdocs_yml is None:
        config.write_text(MINIMAL_MKDOCS, encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    assert (site / "ssot" / "layers" / "index.html").is_file()  # the generated pages are part of the site
