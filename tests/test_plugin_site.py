"""The site in another repository: after `ssot init` + `ssot build`, a minimal mkdocs.yml (at the top, or in
a subfolder) builds strict with the `ssot` plugin; the plugin finds the SSOT upwards or where its `root`
option says, supplies the source page, and adds the Markdown extensions the generated pages need."""

from __future__ import annotations

import html
import importlib.util
import logging
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import mkdocs_command
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from compiler.app.plugin.site import NEEDED_EXTENSIONS, add_needed_extensions, missing_pages, source_page, ssot_root
from tests.conftest import REPO_ROOT, RunCli

#: the theme's templates compiled once for the builds run here (conftest.py)
pytestmark = pytest.mark.usefixtures("templates_compiled_once")

#: A small Terraform monorepo of another shape than this repository's: no docs/, no mkdocs.yml, no README.
TERRAFORM = {
    "terraform/platform/main.tf": 'variable "region" {\n  type = string\n}\n',
    "terraform/data/variables.tf": (
        'variable "environment" {\n  type = string\n}\n\n'
        'variable "replicas" {\n  type        = number\n  description = "How many replicas run."\n}\n'
    ),
    "atlantis.yaml": textwrap.dedent(
        """\
        version: 3
        projects:
          - name: platform
            dir: terraform/platform
            workspace: default
          - name: data-staging
            dir: terraform/data
            workspace: staging
          - name: data-prod
            dir: terraform/data
            workspace: prod
        """
    ),
    "envs/staging.tfvars.example": 'environment = "staging"\nreplicas = 2\n',
}
MINIMAL = "site_name: Infrastructure\ntheme: material\nplugins: [search, ssot]\n"


def readme_recipe() -> str:
    """The mkdocs.yml of README's recipe "The site in another repository" (no Google Fonts: works offline)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The site in another repository\n") :]
    return section[section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", 1)]


def adopted(root: Path, run_cli: RunCli, mkdocs_yml: str, *, docs_dir: str = "docs") -> Path:
    """`root` holding the Terraform repository, mkdocs.yml at `mkdocs_yml`, after `ssot init` + `ssot build`."""
    for relative, text in {**TERRAFORM, mkdocs_yml: MINIMAL}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    assert run_cli("init", "--root", root).code == 0
    ssot = root / "ssot/env.yaml"
    if docs_dir != "docs" and "docs_dir:" not in ssot.read_text(encoding="utf-8"):
        # `ssot init` may not read mkdocs.yml's docs_dir (yet): the maintainer's one-line review
        ssot.write_text(ssot.read_text(encoding="utf-8") + f"\nlayout:\n  docs_dir: {docs_dir}\n", encoding="utf-8")
    built = run_cli("build", "--root", root)
    assert built.code == 0, built
    return root


def mkdocs_build(config_file: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A real `mkdocs build --strict -f CONFIG_FILE` run in `cwd`, into `site/` beside mkdocs.yml."""
    return mkdocs_command("--strict", "-f", str(config_file), cwd=cwd)


def assert_site_whole(site: Path, log: str) -> None:
    """The generated pages and the source page are in the site, rendered (no Markdown extension syntax left),
    and every link between them lands: on a page, and on an anchor that page has."""
    assert "not found among documentation files" not in log and "does not contain an anchor" not in log, log
    source = (site / "source/index.html").read_text(encoding="utf-8")
    for key_path in ("layers.L1", "layers.L2", "environments.staging", "variables.replicas"):
        assert f'id="{key_path}"' in source, key_path
    pages = ["ssot/env", "ssot/layers", "ssot/environments/staging", "ssot/environments/prod", "ssot/variables"]
    pages += ["ssot/decisions", "ssot/diagram"]
    home = (site / "index.html").read_text(encoding="utf-8")  # the plugin's: the repository has none
    assert all(f'href="{path}/"' in home for path in [*pages, "source"]), home
    for path in ["", *pages]:
        text = (site / path / "index.html").read_text(encoding="utf-8")
        assert "///" not in text and ('class="admonition note"' in text or not path), path
        for link in re.findall(r'href="([^"#:]+/)(?:#([^"]*))?"', text):
            target, anchor = site / path / link[0] / "index.html", html.unescape(link[1])
            assert target.resolve().is_file(), (path, link)
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (path, link)
    assert 'class="tabbed-set tabbed-alternate"' in (site / "ssot/env/index.html").read_text(encoding="utf-8")


def test_a_minimal_mkdocs_yml_at_the_top_builds_strict(tmp_path: Path, run_cli: RunCli) -> None:
    root = adopted(tmp_path / "repo", run_cli, "mkdocs.yml")

    built = mkdocs_build(root / "mkdocs.yml", cwd=root)

    assert built.returncode == 0, built.stderr
    assert_site_whole(root / "site", built.stderr)
    assert not (root / "docs/source.md").exists() and not (root / "docs/index.md").exists()  # never written


def test_a_minimal_mkdocs_yml_in_a_subfolder_finds_the_ssot_upwards(tmp_path: Path, run_cli: RunCli) -> None:
    root = adopted(tmp_path / "repo", run_cli, "website/mkdocs.yml", docs_dir="website/docs")
    (root / "website/mkdocs.yml").write_text(readme_recipe(), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"  # the search starts at mkdocs.yml, not at the working directory
    elsewhere.mkdir()

    built = mkdocs_build(root / "website/mkdocs.yml", cwd=elsewhere)

    assert built.returncode == 0, built.stderr
    site = root / "website/site"
    assert_site_whole(site, built.stderr)
    # offline: nothing the pages load comes from another host (the recipe turns Google Fonts off)
    for page in site.rglob("*.html"):
        loads = re.findall(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(https?://[^"]*)"', page.read_text("utf-8"))
        assert loads == [], page


def build_in_process(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> tuple[bool, str]:
    """`mkdocs build --strict -f CONFIG_FILE` in this process: whether it passed, and its warnings."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SSOT_NO_CACHE", "1")
    config = load_config(str(config_file), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    passed = True
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        try:
            build(config)
        except Abort:
            passed = False
        finally:
            config.plugins.on_shutdown()
    return passed, "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


def test_the_root_option_names_the_ssot_folder_over_the_nearest_one(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = adopted(tmp_path / "repo", run_cli, "website/mkdocs.yml", docs_dir="website/docs")
    decoy = root / "website/ssot/env.yaml"  # nearer to mkdocs.yml than the repository's own
    decoy.parent.mkdir()
    decoy.write_text("layers: [not, a, mapping]\n", encoding="utf-8")
    config_file = root / "website/mkdocs.yml"
    monkeypatch.chdir(tmp_path)

    passed, warnings = build_in_process(config_file, monkeypatch, caplog)
    assert not passed and "ssot/env.yaml" in warnings  # the nearest one, invalid

    config_file.write_text(MINIMAL.replace("ssot]", "{ssot: {root: ..}}]"), encoding="utf-8")
    caplog.clear()
    passed, warnings = build_in_process(config_file, monkeypatch, caplog)
    assert passed, warnings
    assert (root / "website/site/ssot/layers/index.html").is_file()


def test_a_root_option_naming_a_folder_without_the_ssot_fails_the_strict_build_saying_so(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = adopted(tmp_path / "repo", run_cli, "mkdocs.yml")
    (root / "mkdocs.yml").write_text(MINIMAL.replace("ssot]", "{ssot: {root: infra}}]"), encoding="utf-8")
    monkeypatch.chdir(root)

    passed, warnings = build_in_process(root / "mkdocs.yml", monkeypatch, caplog)

    assert not passed
    assert f"ssot/env.yaml: not found under {root.resolve() / 'infra'}" in warnings
    assert "`root: infra`" in warnings


def test_ssot_root_searches_upwards_from_mkdocs_yml_or_takes_the_option(tmp_path: Path) -> None:
    (tmp_path / "ssot").mkdir()
    (tmp_path / "ssot/env.yaml").write_text("layers: {}\n", encoding="utf-8")
    website = tmp_path / "website/docs-site"
    website.mkdir(parents=True)
    nowhere = tmp_path.parent / f"{tmp_path.name}-empty"
    nowhere.mkdir()

    assert ssot_root(website, None) == tmp_path.resolve()
    assert ssot_root(tmp_path, None) == tmp_path
    assert ssot_root(website, "../..") == tmp_path.resolve()
    assert ssot_root(website, "infra") == (website / "infra").resolve()  # as named, even without an SSOT
    assert ssot_root(nowhere, None) == nowhere  # none upwards: mkdocs.yml's folder, which the error names


def test_the_extensions_the_pages_need_are_added_and_the_listed_ones_kept_as_configured() -> None:
    extensions = ["toc", "tables", "fenced_code", "markdown.extensions.attr_list", "pymdownx.blocks.tab"]
    configs = {"pymdownx.blocks.tab": {"alternate_style": False}}

    assert add_needed_extensions(extensions, configs) == []

    added = ["pymdownx.blocks.admonition", "pymdownx.highlight", "pymdownx.superfences"]
    assert extensions[5:] == added and "attr_list" not in extensions  # listed under its long name
    assert configs["pymdownx.blocks.tab"] == {"alternate_style": False}
    assert configs["pymdownx.highlight"] == NEEDED_EXTENSIONS["pymdownx.highlight"]
    add_needed_extensions(extensions, configs)
    assert extensions[5:] == added  # a second config pass adds nothing

    with_codehilite = ["codehilite"]
    add_needed_extensions(with_codehilite, {})
    assert "pymdownx.highlight" not in with_codehilite  # another highlighter stands: not two of them


def test_without_pymdown_extensions_the_plugin_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pymdownx" else real_find_spec(name, *a)
    )
    extensions: list[str] = []

    problems = add_needed_extensions(extensions, {})

    assert extensions == ["attr_list"]  # never one that would fail every page with a traceback
    (problem,) = problems
    assert str(problem) == (
        "mkdocs.yml: the generated pages need pymdown-extensions, which is not installed: "
        "pip install 'ssot-compiler[docs]'"
    )


class Docs:
    """The docs files MkDocs found, by their path under docs_dir."""

    def __init__(self, *paths: str) -> None:
        self.paths = set(paths)

    def get_file_from_path(self, path: str) -> object | None:
        return path if path in self.paths else None


@pytest.mark.parametrize(
    ("docs", "supplied"),
    [
        ((), ["reference/source.md", "index.md"]),
        (("reference/source.md", "index.md"), []),
        (("README.md",), ["reference/source.md"]),  # MkDocs serves a README.md as the home page
        (("source.md", "guide/index.md"), ["reference/source.md", "index.md"]),
    ],
)
def test_the_plugin_supplies_the_source_and_home_pages_the_docs_do_not_have(
    docs: tuple[str, ...], supplied: list[str]
) -> None:
    generated = {"ssot/layers.md": "<!-- Generated -->\n\n# Layers\n\n## L1\n", "ssot/diagram.svg": "<svg/>"}

    pages = missing_pages(Docs(*docs), "reference/source.md", "layers: {}\n", "Infra <b>", generated)

    assert list(pages) == supplied
    if "index.md" in pages:
        assert pages["index.md"].startswith("# Infra &lt;b>\n")
        assert "- [Layers](ssot/layers.md)\n- [Source: `ssot/env.yaml`](reference/source.md)\n" in pages["index.md"]


def test_the_source_page_holds_the_text_in_a_fence_no_line_of_it_closes() -> None:
    text = 'notes: |\n  ```\n  ````yaml\n  x\nlast: "no newline"'

    page = source_page(text)

    fence = "`````"
    assert f'{fence}yaml linenums="1" title="ssot/env.yaml"\n{text}\n{fence}\n' in page
