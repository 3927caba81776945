"""The repository's layout as data: a repository whose pages, block hosts and tfvars files live elsewhere
says so under `layout:` in ssot/env.yaml, and `ssot build` / `ssot check` follow it.

The relocated repository: the example repository with docs/ moved to site/ (pages renamed), envs/ moved to
config/ (examples named `<env>.example.tfvars`), a shared bootstrap/terraform.tfvars feeding L1 (its example
generated), backend configs beside the tfvars, and Terraform roots for L1 and L3.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_REPO, RunCli, edit, line_of
from fake_secrets import AWS_KEY_ID, GITHUB_TOKEN
from mkdocs_build import Built, mkdocs_build_in_process
from test_secrets import append, needs_git, run_git

from compiler.core.facts import compile_facts
from compiler.core.validate import load_ssot
from compiler.errors import SsotError
from compiler.render.schema import render_schema

LAYOUT = """
layout:
  docs_dir: site
  pages:
    env_model: architecture/model.md
    layers: architecture/layers.md
    environment: architecture/env-{env}.md
    variables: reference/variables.md
    decisions: reference/adr.md
    diagram: architecture/diagram.md
    diagram_image: img/layers.svg
    source: ssot-source.md
  block_hosts: [README.md, "site/**/*.md", "config/**/*.md", mkdocs.yml]
  tfvars:
    - file: config/{env}.tfvars
      example: config/{env}.example.tfvars
    - file: bootstrap/terraform.tfvars
      example: bootstrap/terraform.tfvars.sample
      feeds: [L1]
      values:
        cluster_name: main
  not_tfvars: ["backend.tfvars", "*.backend.tfvars"]
"""
CLUSTER_NAME = """  cluster_name:
    type: string
    description: Name of the K3s cluster the bootstrap layer creates.
"""
DATA_TF = """variable "environment" {
  type = string
}

variable "base_domain" {
  type = string
}

variable "internal_domain" {
  type    = string
  default = null
}

variable "env_prefix" {
  type = string
}
"""
BOOTSTRAP_TF = """variable "cluster_name" {
  type = string
}
"""
GITIGNORE = "config/*.tfvars\n!config/*.example.tfvars\nbootstrap/terraform.tfvars\n"


@pytest.fixture
def relocated(repo: Path) -> Path:
    """The example repository in a non-default layout, not yet built."""
    shutil.move(repo / "docs", repo / "site")
    shutil.rmtree(repo / "site" / "ssot")
    (repo / "site" / "source.md").rename(repo / "site" / "ssot-source.md")
    index = repo / "site" / "index.md"
    text = index.read_text(encoding="utf-8")
    for old, new in (
        ("ssot/diagram.svg", "img/layers.svg"),
        ("ssot/env.md", "architecture/model.md"),
        ("ssot/layers.md", "architecture/layers.md"),
        ("ssot/variables.md", "reference/variables.md"),
        ("ssot/decisions.md", "reference/adr.md"),
        ("(source.md", "(ssot-source.md"),
    ):
        text = text.replace(f"]({old}" if old[0] != "(" else f"]{old}", f"]({new}" if new[0] != "(" else f"]{new}")
    index.write_text(text, encoding="utf-8")
    shutil.move(repo / "envs", repo / "config")
    for example in (repo / "config").glob("*.tfvars.example"):
        example.unlink()
    edit(repo / "mkdocs.yml", "validation:", "docs_dir: site\nvalidation:")
    edit(repo / "mkdocs.yml", ": source.md", ": ssot-source.md")
    ssot = repo / "ssot" / "env.yaml"
    edit(ssot, "variables:\n", f"variables:\n{CLUSTER_NAME}")
    edit(ssot, "    managed_by: github-actions #", "    terraform_dir: bootstrap\n    managed_by: github-actions #")
    edit(ssot, "    namespace: data-{env}\n", "    namespace: data-{env}\n    terraform_dir: terraform/data\n")
    edit(ssot, "    namespace: apps-{env}\n", "    namespace: apps-{env}\n    terraform_dir: terraform/apps\n")
    edit(ssot, "    atlantis_project: platform\n", "    atlantis_project: platform\n    terraform_dir: platform\n")
    ssot.write_text(ssot.read_text(encoding="utf-8") + LAYOUT, encoding="utf-8")
    (repo / "terraform" / "data").mkdir(parents=True)
    (repo / "terraform" / "data" / "variables.tf").write_text(DATA_TF, encoding="utf-8")
    (repo / "terraform" / "apps").mkdir(parents=True)
    (repo / "terraform" / "apps" / "variables.tf").write_text('variable "environment" {\n  type = string\n}\n')
    (repo / "platform").mkdir()
    (repo / "platform" / "main.tf").write_text('variable "vault_replicas" {\n  type    = number\n  default = 1\n}\n')
    (repo / "bootstrap").mkdir()
    (repo / "bootstrap" / "main.tf").write_text(BOOTSTRAP_TF, encoding="utf-8")
    (repo / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    # real tfvars (local values), and backend configs beside them: none of those is an environment
    (repo / "config" / "staging.tfvars").write_text(
        'environment = "staging"\nbase_domain = "example.com"\nenv_prefix  = "x-staging"\n', encoding="utf-8"
    )
    (repo / "bootstrap" / "terraform.tfvars").write_text('cluster_name = "main"\n', encoding="utf-8")
    (repo / "config" / "backend.tfvars").write_text('bucket = "tf-state"\n', encoding="utf-8")
    (repo / "config" / "staging.backend.tfvars").write_text('key = "data/staging"\n', encoding="utf-8")
    return repo


@pytest.fixture
def built(relocated: Path, run_cli: RunCli) -> Path:
    result = run_cli("build", "--root", relocated)
    assert result.code == 0, result
    return relocated


def findings(run_cli: RunCli, root: Path) -> list[str]:
    """The `FILE:LINE: [code]` of every finding `ssot check --format json` reports (exit 1 expected)."""
    result = run_cli("check", "--root", root, "--format", "json")
    assert result.code == 1, result
    return [f"{f['file']}:{f['line']}: [{f['code']}]" for f in json.loads(result.stdout)["findings"]]


def mkdocs_build(root: Path, *extra: str) -> Built:
    """`mkdocs build` into site-out/ (site/ is this repository's docs_dir), in this process (tests/mkdocs_build.py)."""
    assert set(extra) <= {"--strict"}, extra
    return mkdocs_build_in_process(root / "mkdocs.yml", root / "site-out", cwd=root, strict="--strict" in extra)


# -- build then check: clean, with every file where the layout says --


def test_build_writes_every_artifact_where_the_layout_says_and_check_is_clean(built: Path, run_cli: RunCli) -> None:
    for path in (
        "site/architecture/model.md",
        "site/architecture/layers.md",
        "site/architecture/env-staging.md",
        "site/architecture/env-prod.md",
        "site/reference/variables.md",
        "site/reference/adr.md",
        "site/architecture/diagram.md",
        "site/img/layers.svg",
        "config/staging.example.tfvars",
        "config/prod.example.tfvars",
        "bootstrap/terraform.tfvars.sample",
    ):
        assert (built / path).is_file(), path
    assert not (built / "docs").exists()
    assert not (built / "envs").exists()
    assert not list((built / "config").glob("*.tfvars.example"))

    checked = run_cli("check", "--root", built)
    assert checked.code == 0, checked
    assert checked.stdout.startswith("ok: ")


def test_the_generated_texts_name_the_configured_paths_and_link_along_them(built: Path) -> None:
    staging = (built / "site/architecture/env-staging.md").read_text(encoding="utf-8")
    assert "(../ssot-source.md#environments.staging)" in staging
    assert "(see [Layers](layers.md))" in staging
    assert "`config/staging.tfvars` is not committed; start it from `config/staging.example.tfvars`" in staging
    variables = (built / "site/reference/variables.md").read_text(encoding="utf-8")
    assert "(../ssot-source.md#variables.environment)" in variables
    assert "![Layers by environment](../img/layers.svg)" in (built / "site/architecture/diagram.md").read_text()
    # each layer instance reads the tfvars file that feeds it, relative to its root (L2 is fed by none)
    atlantis = (built / "atlantis.yaml").read_text(encoding="utf-8")
    assert "../../config/staging.tfvars" in atlantis
    assert "envs/" not in atlantis
    nav = (built / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- Environment model: architecture/model.md\n" in nav
    assert "- Staging: architecture/env-staging.md\n" in nav
    readme = (built / "config/README.md").read_text(encoding="utf-8")
    assert "- `config/staging.tfvars` (not committed; use `staging.example.tfvars` as template)" in readme
    assert (
        "- `bootstrap/terraform.tfvars` (shared, read by L1; not committed; use `terraform.tfvars.sample` as template)"
        in readme
    )
    assert '- `cluster_name = "main"` (in `bootstrap/terraform.tfvars`)' in readme
    assert (built / "bootstrap/terraform.tfvars.sample").read_text(encoding="utf-8").endswith('cluster_name = "main"\n')
    # the variable the shared file sets is no environment's
    assert "cluster_name" not in (built / "config/staging.example.tfvars").read_text(encoding="utf-8")


def test_the_site_builds_strict_from_the_configured_docs_dir(built: Path) -> None:
    result = mkdocs_build(built, "--strict")
    assert result.returncode == 0, result.stderr
    page = (built / "site-out" / "architecture" / "env-staging" / "index.html").read_text(encoding="utf-8")
    assert "config/staging.example.tfvars" in page


def test_the_plugin_serves_the_pages_at_their_configured_places_before_ssot_build(relocated: Path) -> None:
    result = mkdocs_build(relocated, "--strict")

    assert result.returncode == 0, result.stderr
    assert not (relocated / "site" / "architecture").exists()  # nothing written: the plugin served them
    page = (relocated / "site-out" / "reference" / "variables" / "index.html").read_text(encoding="utf-8")
    assert "Name of the K3s cluster the bootstrap layer creates." in page
    home = (relocated / "site-out" / "index.html").read_text(encoding="utf-8")
    assert 'href="architecture/env-staging/"' in home  # the nav, from the nav block rendered live


def test_a_docs_dir_mkdocs_does_not_serve_fails_the_strict_site_build(built: Path) -> None:
    edit(built / "mkdocs.yml", "docs_dir: site\n", "")
    (built / "docs").mkdir()
    (built / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    result = mkdocs_build(built, "--strict")
    assert result.returncode != 0
    assert "layout.docs_dir is 'site', but mkdocs.yml's docs_dir is 'docs'" in result.stderr


# -- problems in the relocated files: found at their file and line --


def test_drift_in_a_relocated_example_and_page_is_found_at_its_line(built: Path, run_cli: RunCli) -> None:
    edit(built / "config/prod.example.tfvars", 'base_domain     = "example.com"', 'base_domain     = "example.org"')
    edit(built / "bootstrap/terraform.tfvars.sample", '"main"', '"side"')
    edit(built / "site/reference/adr.md", "Cost Efficiency", "Cost efficiency")
    prod = (built / "config/prod.example.tfvars").read_text(encoding="utf-8")
    adr = (built / "site/reference/adr.md").read_text(encoding="utf-8")

    found = findings(run_cli, built)

    assert f"config/prod.example.tfvars:{line_of(prod, 'base_domain')}: [tfvars-example-value]" in found
    sample = (built / "bootstrap/terraform.tfvars.sample").read_text(encoding="utf-8")
    assert f"bootstrap/terraform.tfvars.sample:{line_of(sample, 'cluster_name')}: [tfvars-example-value]" in found
    assert any(f.startswith(f"site/reference/adr.md:{line_of(adr, 'Cost efficiency')}: ") for f in found), found


def test_a_secret_in_a_relocated_example_is_found_at_its_line(built: Path, run_cli: RunCli) -> None:
    example = built / "config/staging.example.tfvars"
    example.write_text(example.read_text(encoding="utf-8") + f'# token = "{GITHUB_TOKEN}"\n', encoding="utf-8")
    line = line_of(example.read_text(encoding="utf-8"), "# token")

    found = findings(run_cli, built)

    assert f"config/staging.example.tfvars:{line}: [secret-value]" in found


def test_the_shared_tfvars_file_is_checked_against_the_contract(built: Path, run_cli: RunCli) -> None:
    (built / "bootstrap/terraform.tfvars").write_text('cluster_name = ["a"]\nclustr_size = 3\n', encoding="utf-8")

    found = findings(run_cli, built)

    assert "bootstrap/terraform.tfvars:1: [tfvars-type]" in found
    assert "bootstrap/terraform.tfvars:2: [tfvars-undeclared]" in found


def test_the_layers_a_shared_file_feeds_are_held_to_the_contract(built: Path, run_cli: RunCli) -> None:
    """L1 is shared, but bootstrap/terraform.tfvars feeds it: its variables are the contract's."""
    (built / "bootstrap/main.tf").write_text(
        BOOTSTRAP_TF.replace("string", "number") + '\nvariable "region" {\n  type = string\n}\n', encoding="utf-8"
    )

    result = run_cli("check", "--root", built)

    assert result.code == 1, result
    assert "bootstrap/main.tf:1: variable 'cluster_name' has type number here, but string in ssot/env.yaml" in (
        result.stdout
    )
    assert "bootstrap/main.tf:5: variable 'region' is not in the tfvars contract" in result.stdout


def test_a_variable_the_shared_file_sets_no_value_for_is_unprovided(built: Path, run_cli: RunCli) -> None:
    """`environment` is in every per-env file, never in bootstrap/terraform.tfvars, which L1 reads."""
    main = built / "bootstrap/main.tf"
    main.write_text(main.read_text(encoding="utf-8") + '\nvariable "environment" {\n  type = string\n}\n')

    result = run_cli("check", "--root", built)

    assert result.code == 1, result
    assert (
        "bootstrap/main.tf:5: variable 'environment' has no default, and ssot/env.yaml gives it no value in "
        "bootstrap/terraform.tfvars: Terraform would stop and ask for it"
    ) in result.stdout


def test_a_backend_config_beside_the_tfvars_is_never_an_environment(built: Path, run_cli: RunCli) -> None:
    assert run_cli("check", "--root", built).code == 0
    edit(built / "ssot/env.yaml", '  not_tfvars: ["backend.tfvars", "*.backend.tfvars"]\n', "")

    result = run_cli("check", "--root", built)

    # without the pattern, a DNS-label name is taken for an environment; staging.backend never is
    assert result.code == 1, result
    assert "config/backend.tfvars: no environment 'backend' in ssot/env.yaml" in result.stdout
    assert "staging.backend" not in result.stdout


@needs_git
def test_tracked_tfvars_are_the_configured_ones_and_a_tracked_backend_config_is_scanned(
    built: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # git as a fresh install sees it (as in tests/test_secrets.py)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    backend = built / "config" / "backend.tfvars"
    line = append(backend, f'access_key = "{AWS_KEY_ID}"\n')
    run_git(built, "init", "-q")
    run_git(built, "add", "-f", "config/staging.tfvars", "bootstrap/terraform.tfvars", "config/backend.tfvars")

    found = findings(run_cli, built)

    assert "config/staging.tfvars:0: [tfvars-tracked]" in found
    assert "bootstrap/terraform.tfvars:0: [tfvars-tracked]" in found
    assert not any(f.startswith("config/backend.tfvars:0") for f in found), found  # may be committed
    assert f"config/backend.tfvars:{line}: [secret-value]" in found


def test_a_removed_environment_loses_its_relocated_page_and_example(built: Path, run_cli: RunCli) -> None:
    ssot = built / "ssot" / "env.yaml"
    text = ssot.read_text(encoding="utf-8")
    start = text.index("  prod:\n")
    ssot.write_text(text[:start] + text[text.index("\n# The tfvars contract") :], encoding="utf-8")

    result = run_cli("build", "--root", built)

    assert result.code == 0, result
    assert not (built / "site/architecture/env-prod.md").exists()
    assert not (built / "config/prod.example.tfvars").exists()
    assert run_cli("check", "--root", built).code == 0


def test_a_shared_example_the_layout_no_longer_lists_goes_with_build_unless_edited(
    built: Path, run_cli: RunCli
) -> None:
    sample = built / "bootstrap/terraform.tfvars.sample"
    first_line = sample.read_text(encoding="utf-8").partition("\n")[0]
    assert first_line.startswith("# Generated from ssot/env.yaml by `ssot build`.") and " sha256:" in first_line
    edit(built / "ssot/env.yaml", "      example: bootstrap/terraform.tfvars.sample\n", "")

    assert "bootstrap/terraform.tfvars.sample:0: [orphaned-artifact]" in findings(run_cli, built)
    result = run_cli("check", "--root", built)
    assert "tfvars example of a tfvars file that layout.tfvars in ssot/env.yaml no longer lists" in result.stdout

    assert run_cli("build", "--root", built).code == 0
    assert not sample.exists()
    assert (built / "bootstrap/terraform.tfvars").exists()  # the real file it was a template of stays
    assert run_cli("check", "--root", built).code == 0


def test_an_edited_shared_example_the_layout_no_longer_lists_is_kept_and_reported(built: Path, run_cli: RunCli) -> None:
    sample = built / "bootstrap/terraform.tfvars.sample"
    sample.write_text(sample.read_text(encoding="utf-8") + "# our own note\n", encoding="utf-8")
    edit(built / "ssot/env.yaml", "      example: bootstrap/terraform.tfvars.sample\n", "")

    assert "bootstrap/terraform.tfvars.sample:1: [edited-orphan]" in findings(run_cli, built)
    assert run_cli("build", "--root", built).code == 0
    assert findings(run_cli, built) == ["bootstrap/terraform.tfvars.sample:1: [edited-orphan]"]
    assert sample.read_text(encoding="utf-8").endswith("# our own note\n")


# -- the rules of the layout section: exact messages at the line --

#: the example SSOT with cluster_name declared (optional: no layout below need set it)
SSOT = (
    (FIXTURE_REPO / "ssot/env.yaml")
    .read_text(encoding="utf-8")
    .replace("variables:\n", f"variables:\n{CLUSTER_NAME}    required: false\n")
)


def problems_with(layout: str) -> list[str]:
    text = SSOT + layout
    with pytest.raises(SsotError) as info:
        load_ssot(text, "ssot/env.yaml")
    return [str(problem) for problem in info.value.problems]


def at(layout: str, marker: str) -> str:
    """`ssot/env.yaml:LINE:COL` of the last `marker` in the layout section."""
    text = SSOT + layout
    index = len(SSOT) + layout.rindex(marker)
    return f"ssot/env.yaml:{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


@pytest.mark.parametrize(
    ("layout", "marker", "message"),
    [
        (
            "layout:\n  tfvars:\n    - file: config/{env}.tfvars\n      feeds: [L3, L5]\n",
            "L5]",
            "feeds names 'L5', which is not a layer (known: L1, L2, L3, L4)",
        ),
        (
            "layout:\n  tfvars:\n    - file: config/{env}.tfvars\n      feeds: [L1]\n",
            "L1]",
            (
                "per-env tfvars file 'config/{env}.tfvars' cannot feed shared layer L1: a shared layer is one "
                "instance, which environment's file would it read?"
            ),
        ),
        (
            "layout:\n  tfvars:\n    - file: config/{env}.tfvars\n      example: config/example.tfvars\n",
            "config/example.tfvars",
            "example 'config/example.tfvars' must contain {env}, as its file 'config/{env}.tfvars' does",
        ),
        (
            "layout:\n  tfvars:\n    - file: bootstrap/terraform.tfvars\n",
            "file: bootstrap",
            "shared tfvars file 'bootstrap/terraform.tfvars' needs feeds: the ids of the layers that read it",
        ),
        (
            "layout:\n  tfvars:\n    - file: a/{env}.tfvars\n      feeds: [L3]\n    - file: b/{env}.tfvars\n",
            "file: b/{env}",
            (
                "per-env tfvars file 'b/{env}.tfvars' needs feeds: with several per-env files, each names the "
                "layers that read it"
            ),
        ),
        (
            (
                "layout:\n  tfvars:\n    - file: a/{env}.tfvars\n      feeds: [L3]\n      variables: [environment, env_prefx]\n"
                "    - file: b/{env}.tfvars\n      feeds: [L4]\n"
            ),
            "env_prefx]",
            "variables names 'env_prefx', which is not a declared variable; did you mean 'env_prefix'?",
        ),
        (
            (
                "layout:\n  tfvars:\n    - file: a/{env}.tfvars\n      feeds: [L3]\n    - file: b/{env}.tfvars\n"
                "      feeds: [L3]\n"
            ),
            "L3]",
            "layer L3 is fed by a/{env}.tfvars already; a layer reads one tfvars file",
        ),
        (
            "layout:\n  tfvars:\n    - file: a/{env}.tfvars\n    - file: b.tfvars\n      feeds: [L3]\n",
            "L3]",
            "layer L3 is fed by a/{env}.tfvars already; a layer reads one tfvars file",
        ),
        (
            "layout:\n  tfvars:\n    - file: envs/{env}.tfvars\n    - file: b.tfvars\n      feeds: [L1, L4]\n",
            "L4]",
            "layer L4 is fed by envs/{env}.tfvars already; a layer reads one tfvars file",
        ),
        (
            "layout:\n  docs_dir: ../site\n",
            "../site",
            "layout.docs_dir '../site' leaves the repository; write a path relative to its top",
        ),
        (
            "layout:\n  tfvars:\n    - file: /etc/{env}.tfvars\n",
            "/etc",
            "layout.tfvars[0].file '/etc/{env}.tfvars' leaves the repository; write a path relative to its top",
        ),
        (
            "layout:\n  pages:\n    environment: envs.md\n",
            "envs.md",
            "layout.pages.environment 'envs.md' must contain {env}: one page per environment",
        ),
        (
            "layout:\n  pages:\n    layers: ssot/{env}.md\n",
            "ssot/{env}.md",
            "layout.pages.layers 'ssot/{env}.md' must not contain {env}: it is one page",
        ),
        (
            "layout:\n  pages:\n    layers: ssot/env.md\n",
            "ssot/env.md",
            (
                "layout.pages.layers 'docs/ssot/env.md' is also where layout.pages.env_model is written: "
                "two files at one path"
            ),
        ),
        (
            "layout:\n  tfvars:\n    - file: envs/{env}.tfvars\n      example: envs/{env}.tfvars\n",
            "envs/{env}.tfvars\n",
            (
                "layout.tfvars[0].example 'envs/staging.tfvars' is also where layout.tfvars[0].file is written: "
                "two files at one path"
            ),
        ),
        (
            "layout:\n  tfvars:\n    - file: b.tfvars\n      feeds: [L1]\n      values: {cluster_nam: x}\n",
            "cluster_nam:",
            "'cluster_nam' is not a declared variable; declare it under variables first",
        ),
        (
            "layout:\n  tfvars:\n    - file: b.tfvars\n      feeds: [L1]\n      values: {cluster_name: 3}\n",
            "3}",
            "'cluster_name' is declared as string, but its value is number",
        ),
        (
            "layout:\n  pages:\n    layers: ssot/{stage}.md\n",
            "ssot/{stage}",
            "layout.pages.layers 'ssot/{stage}.md' uses unknown placeholder {stage}; only {env} exists",
        ),
    ],
)
def test_a_broken_layout_is_refused_with_a_message_at_its_line(layout: str, marker: str, message: str) -> None:
    problems = problems_with(layout)
    assert f"{at(layout, marker)}: {message}" in problems, problems


def test_a_required_variable_no_per_env_file_sets_and_an_unfed_layer_are_refused_at_their_lines() -> None:
    layout = (
        "layout:\n  tfvars:\n    - file: a/{env}.tfvars\n      feeds: [L3]\n      variables: [environment]\n"
        "    - file: b/{env}.tfvars\n      feeds: [L3]\n      variables: [env_prefix]\n"
    )
    problems = problems_with(layout)
    base_domain = (
        f"ssot/env.yaml:{SSOT.count(chr(10), 0, SSOT.index(chr(10) + '  base_domain:' + chr(10) + '    type')) + 2}:3"
    )
    assert (
        f"{base_domain}: required variable 'base_domain' is set by no per-env tfvars file: add it to the "
        "variables of one under layout.tfvars"
    ) in problems, problems
    l4 = f"ssot/env.yaml:{line_of(SSOT, '  L4:')}:3"
    assert (
        f"{l4}: per-env layer L4 reads no tfvars file: with several per-env files, name it in the feeds of one "
        "of them (layout.tfvars)"
    ) in problems, problems


def test_a_value_a_shared_file_sets_cannot_be_set_per_environment() -> None:
    layout = "layout:\n  tfvars:\n    - file: b.tfvars\n      feeds: [L1]\n      values: {cluster_name: main}\n"
    text = SSOT.replace("    env_prefix: x-staging ", "    values: {cluster_name: side}\n    env_prefix: x-staging ")
    with pytest.raises(SsotError) as info:
        load_ssot(text + layout, "ssot/env.yaml")
    line = text.count("\n", 0, text.index("cluster_name: side")) + 1
    assert [str(p) for p in info.value.problems] == [
        (
            f"ssot/env.yaml:{line}:14: 'cluster_name' is set by the shared tfvars file 'b.tfvars' (layout.tfvars), "
            "not per environment"
        )
    ]


def test_paths_are_read_as_written_from_the_top_however_they_are_spelled() -> None:
    layout = "layout:\n  docs_dir: ./site/\n  tfvars:\n    - file: ./config/{env}.tfvars\n"
    facts = compile_facts(load_ssot(SSOT + layout, "x"))
    assert facts.layout.page("layers") == "site/ssot/layers.md"
    assert facts.environments[0].var_file == "config/staging.tfvars"
    assert facts.environments[0].example_file is None


def test_a_layout_listing_only_shared_tfvars_has_no_per_env_file() -> None:
    layout = "layout:\n  tfvars:\n    - file: b.tfvars\n      feeds: [L1]\n      values: {cluster_name: main}\n"
    facts = compile_facts(load_ssot(SSOT + layout, "ssot/env.yaml"))
    assert [(f.file, f.example, f.feeds) for f in facts.layout.tfvars] == [("b.tfvars", None, ("L1",))]
    assert facts.environments[0].var_file is None


def test_an_unknown_layout_key_is_refused_with_a_suggestion() -> None:
    layout = "layout:\n  doc_dir: site\n"
    assert problems_with(layout) == [
        f"{at(layout, 'doc_dir')}: unknown key 'doc_dir' in layout; did you mean 'docs_dir'?"
    ]


def test_the_json_schema_documents_the_layout_section() -> None:
    schema = json.loads(render_schema())
    assert schema["properties"]["layout"]["anyOf"][0] == {"$ref": "#/$defs/LayoutSettings"}
    settings = schema["$defs"]["LayoutSettings"]["properties"]
    assert set(settings) == {"docs_dir", "pages", "block_hosts", "tfvars", "not_tfvars"}
    assert all(field.get("description") for field in settings.values())
    tfvars = schema["$defs"]["TfvarsSettings"]["properties"]
    assert "which environment" not in tfvars["feeds"]["description"]
    assert "The ids of the layers that read it" in tfvars["feeds"]["description"]
    assert all(field.get("description") for field in schema["$defs"]["Pages"]["properties"].values())


def test_the_guides_example_of_layout_is_valid() -> None:
    readme = (Path(__file__).resolve().parent.parent / "docs/manual/guide.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\nlayout:\n") + len("```yaml\n")
    example = readme[start : readme.index("```", start)]
    facts = compile_facts(load_ssot(SSOT + example, "ssot/env.yaml"))
    assert facts.layout.page("environment", "prod") == "site/architecture/env-prod.md"
    assert [s.files.file for s in facts.shared_tfvars] == ["bootstrap/terraform.tfvars"]
    second = readme.index("```yaml\nlayout:\n", start) + len("```yaml\n")
    per_root = compile_facts(load_ssot(SSOT + readme[second : readme.index("```", second)], "ssot/env.yaml"))
    assert [(f.file, f.feeds) for f in per_root.layout.per_env_tfvars_files] == [
        ("terraform/data/{env}.tfvars", ("L3",)),
        ("terraform/apps/{env}.tfvars", ("L4",)),
    ]


# -- several per-env tfvars files: one per root, each with its variables and example --

PER_ROOT = """
layout:
  tfvars:
    - file: terraform/data/{env}.tfvars
      example: terraform/data/{env}.tfvars.example
      feeds: [L3]
      variables: [environment, base_domain, internal_domain]
    - file: terraform/apps/{env}.tfvars
      example: terraform/apps/{env}.tfvars.example
      feeds: [L4]
      variables: [environment, env_prefix]
"""
APPS_TF = 'variable "environment" {\n  type = string\n}\n\nvariable "env_prefix" {\n  type = string\n}\n'
DATA_ONLY_TF = DATA_TF.replace('variable "env_prefix" {\n  type = string\n}\n', "").rstrip("\n") + "\n"


@pytest.fixture
def per_root(repo: Path, run_cli: RunCli) -> Path:
    """The example repository with a tfvars file per root and environment (terraform/data/<env>.tfvars
    feeding L3, terraform/apps/<env>.tfvars feeding L4), their roots and real files, built."""
    ssot = repo / "ssot" / "env.yaml"
    edit(ssot, "    namespace: data-{env}\n", "    namespace: data-{env}\n    terraform_dir: terraform/data\n")
    edit(ssot, "    namespace: apps-{env}\n", "    namespace: apps-{env}\n    terraform_dir: terraform/apps\n")
    edit(ssot, "    atlantis_project: platform\n", "    atlantis_project: platform\n    terraform_dir: platform\n")
    ssot.write_text(ssot.read_text(encoding="utf-8") + PER_ROOT, encoding="utf-8")
    (repo / "platform").mkdir()
    (repo / "platform" / "main.tf").write_text('variable "vault_replicas" {\n  type    = number\n  default = 1\n}\n')
    for root, tf in (("data", DATA_ONLY_TF), ("apps", APPS_TF)):
        (repo / "terraform" / root).mkdir(parents=True)
        (repo / "terraform" / root / "variables.tf").write_text(tf, encoding="utf-8")
    for env, prefix in (("staging", "x-staging"), ("prod", "")):
        (repo / "terraform/data" / f"{env}.tfvars").write_text(
            f'environment = "{env}"\nbase_domain = "example.com"\n', encoding="utf-8"
        )
        (repo / "terraform/apps" / f"{env}.tfvars").write_text(
            f'environment = "{env}"\nenv_prefix  = "{prefix}"\n', encoding="utf-8"
        )
    result = run_cli("build", "--root", repo)
    assert result.code == 0, result
    return repo


def test_each_per_env_file_gets_its_own_example_and_check_is_clean(per_root: Path, run_cli: RunCli) -> None:
    data = (per_root / "terraform/data/staging.tfvars.example").read_text(encoding="utf-8")
    apps = (per_root / "terraform/apps/staging.tfvars.example").read_text(encoding="utf-8")
    assert "# Template for terraform/data/staging.tfvars:" in data
    assert 'base_domain     = "example.com"' in data and "env_prefix" not in data
    assert 'env_prefix  = "x-staging"' in apps and "base_domain" not in apps
    assert 'environment = "staging"' in apps
    # the examples of the default envs/<env>.tfvars, which the layout no longer lists, went with the build
    assert not list((per_root / "envs").glob("*.tfvars.example"))
    result = run_cli("check", "--root", per_root)
    assert result.code == 0, result
    assert "and 4 tfvars files agree" in result.stdout


def test_the_pages_and_blocks_say_which_file_sets_what(per_root: Path) -> None:
    page = (per_root / "docs/ssot/environments/staging.md").read_text(encoding="utf-8")
    assert "`terraform/data/staging.tfvars` (read by L3) is not committed" in page
    assert "`terraform/apps/staging.tfvars` (read by L4) is not committed" in page
    variables = (per_root / "docs/ssot/variables.md").read_text(encoding="utf-8")
    assert "tfvars: `terraform/data/<env>.tfvars`, `terraform/apps/<env>.tfvars`" in variables  # environment
    assert "| tfvars: `terraform/apps/<env>.tfvars` " in variables  # env_prefix
    readme = (per_root / "envs/README.md").read_text(encoding="utf-8")
    assert "- `terraform/apps/prod.tfvars` (read by L4; not committed; use `prod.tfvars.example` as template)" in (
        readme
    )
    assert "(in `terraform/data/<env>.tfvars`)" in readme  # base_domain


def test_a_variable_missing_from_one_per_env_file_is_found_at_that_file(per_root: Path, run_cli: RunCli) -> None:
    edit(per_root / "terraform/apps/prod.tfvars", 'env_prefix  = ""\n', "")
    staging = per_root / "terraform/data/staging.tfvars"
    edit(staging, 'base_domain = "example.com"\n', 'base_domain = "example.com"\nenv_prefix = "x"\n')
    assert findings(run_cli, per_root) == [
        "terraform/apps/prod.tfvars:0: [tfvars-missing]",
        "terraform/data/staging.tfvars:3: [tfvars-undeclared]",
        "terraform/data/staging.tfvars:3: [tfvars-not-in-terraform]",
    ]
    result = run_cli("check", "--root", per_root)
    assert "terraform/apps/prod.tfvars: required variable 'env_prefix' is not set" in result.stdout
    assert "'env_prefix' is not one of the variables terraform/data/{env}.tfvars sets" in result.stdout


def test_atlantis_yaml_names_each_projects_own_var_file(per_root: Path) -> None:
    config = yaml.safe_load((per_root / "atlantis.yaml").read_text(encoding="utf-8"))
    watched = {p["name"]: p["autoplan"]["when_modified"] for p in config["projects"]}
    assert "staging.tfvars" in watched["data-staging"]
    assert "staging.tfvars" in watched["apps-staging"] and "../data/staging.tfvars" not in watched["apps-staging"]
    assert "prod.tfvars" in watched["apps-prod"] and "staging.tfvars" not in watched["apps-prod"]
    assert not any("envs/" in pattern for patterns in watched.values() for pattern in patterns)


@needs_git
def test_gitignore_must_keep_every_per_env_file_out_of_git(
    per_root: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (per_root / ".gitignore").write_text("terraform/data/*.tfvars\n", encoding="utf-8")
    run_git(per_root, "init", "-q")

    assert findings(run_cli, per_root) == [".gitignore:0: [gitignore-tfvars]"]
    result = run_cli("check", "--root", per_root)
    assert "(terraform/apps/staging.tfvars, terraform/apps/prod.tfvars are not ignored)" in result.stdout


def test_a_shared_tfvars_example_value_names_its_layout_entry_as_its_source(built: Path, run_cli: RunCli) -> None:
    edit(built / "bootstrap/terraform.tfvars.sample", '"main"', '"other"')

    result = run_cli("check", "--root", built, "--format", "json")

    (finding,) = json.loads(result.stdout)["findings"]
    ssot = (built / "ssot/env.yaml").read_text(encoding="utf-8")
    line = line_of(ssot, "cluster_name: main")
    col = ssot.split("\n")[line - 1].index("main") + 1
    path = "layout.tfvars.1.values.cluster_name"
    assert finding["code"] == "tfvars-example-value", finding
    assert finding["source"] == {"file": "ssot/env.yaml", "line": line, "col": col, "path": path}
