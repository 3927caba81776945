"""What the plugin gives a site in any repository, so that `mkdocs build --strict` passes with a minimal
mkdocs.yml (`theme: material`, `plugins: [search, ssot]`) after `ssot init` + `ssot build`.

- **The SSOT's folder.** mkdocs.yml may live in a subfolder (`website/mkdocs.yml`): the repository's top is
  the nearest folder holding ssot/env.yaml, from mkdocs.yml's folder upwards (as the CLI finds it from the
  working directory), or the folder the plugin's `root` option names (relative to mkdocs.yml).
- **The source page.** Every generated page links to the page that shows ssot/env.yaml (layout
  `pages.source`). A repository that has no such file gets it from the plugin, as a page held in memory: the
  file's text in a code block with line numbers, which the plugin anchors by key path as on a hand-written
  source page (compiler/app/plugin/source.py). It needs no pymdownx.snippets: the text is in the page. A
  source page of the repository's own that includes the file through pymdownx.snippets gets the text the
  plugin read (`serve_to_snippets`).
- **A home page.** A site whose docs have no `index.md` (nor `README.md`) gets one listing the generated
  pages, so that its address shows more than a 404.
- **The Markdown extensions.** The generated pages (and the plugin's boxes) are written for
  `pymdownx.blocks.admonition` (`/// note`), `pymdownx.blocks.tab`, `attr_list` and, for the source page's
  line anchors, `pymdownx.highlight` with `pymdownx.superfences`. The plugin adds each one mkdocs.yml does not
  list, with the options the pages need; one it lists is left as configured. Added rather than written out of
  the pages: the committed pages stay the same Markdown whichever way the site is built, and a repository
  that lists the extensions itself (to serve the pages without the plugin) changes nothing.
- **Offline** is mkdocs.yml's choice: Material loads Google Fonts unless `theme.font` is false, and the
  plugin cannot tell that default from a font a team chose, so it changes no theme setting; README's recipe
  sets `font: false` (and names Material's `offline` plugin, to browse the built files without a server).
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any, Protocol

from mkdocs.config import base
from mkdocs.config import config_options as option

from compiler import codes
from compiler.app.invocation import find_root
from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem
from compiler.io.scratch import write_scratch

#: Extension -> the options the generated pages need from it (when mkdocs.yml does not list it).
NEEDED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},  # the diagram's `{ .ssot-diagram }`
    "pymdownx.blocks.admonition": {},  # `/// note | Generated page`, a decision's trade-off, the plugin's boxes
    "pymdownx.blocks.tab": {"alternate_style": True},  # the environment model page's tabs, Material's style
    # The source page: a line number in each line's span and an anchor per line, which the plugin's key-path
    # anchors follow and its stylesheet highlights when linked.
    "pymdownx.highlight": {"anchor_linenums": True, "line_spans": "__span", "linenums_style": "pymdownx-inline"},
    "pymdownx.superfences": {},
}
#: Highlighters that stand instead of pymdownx.highlight (the source page then shows no line anchors).
_OTHER_HIGHLIGHTERS = {"codehilite"}
_PREFIX = "markdown.extensions."

_BACKTICKS = re.compile(r"`+")
#: A generated page's title: its first heading of level 1
_TITLE = re.compile(r"^# (.+)$", re.MULTILINE)


class DocsFiles(Protocol):
    """MkDocs' `Files`, as far as it is asked here."""

    def get_file_from_path(self, path: str) -> object | None: ...


class SsotConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options in mkdocs.yml (`plugins: [{ssot: {root: ..}}]`)."""

    root = option.Optional(option.Type(str))
    """The folder holding ssot/env.yaml, relative to mkdocs.yml's. Default: the nearest one holding it, from
    mkdocs.yml's folder upwards."""


def ssot_root(config_dir: Path, option: str | None) -> Path:
    """The repository's top for a site whose mkdocs.yml is in `config_dir`: the folder `option` names
    (relative to `config_dir`), else the nearest folder holding ssot/env.yaml upwards (`config_dir` itself
    when none does, so that the error names it)."""
    if option is not None:
        return (config_dir / option).resolve()
    return find_root(config_dir)


def missing_ssot_message(root: Path, option: str | None) -> str:
    """What the plugin says when ssot/env.yaml is not where it looked."""
    if option is not None:
        return f"not found under {root} (the ssot plugin's `root: {option}` in mkdocs.yml)"
    return (
        f"not found under {root} nor any folder above it; name the folder that holds it with the ssot "
        "plugin's `root` option in mkdocs.yml (relative to mkdocs.yml)"
    )


def add_needed_extensions(extensions: list[str], configs: dict[str, Any]) -> list[Problem]:
    """Add to mkdocs.yml's `markdown_extensions` (and their options, `configs`) each extension the generated
    pages need that is not listed; return what is wrong (pymdown-extensions not installed)."""
    listed = {name.removeprefix(_PREFIX) for name in extensions}
    # Without the package, a page would fail to render with a traceback: said once instead, and left out
    installed = importlib.util.find_spec("pymdownx") is not None
    for name, options in NEEDED_EXTENSIONS.items():
        if name in listed or (name == "pymdownx.highlight" and listed & _OTHER_HIGHLIGHTERS):
            continue
        if installed or not name.startswith("pymdownx."):
            extensions.append(name)
            configs[name] = dict(options)
    if installed:
        return []
    message = "the generated pages need pymdown-extensions, which is not installed: pip install 'ssot-compiler[docs]'"
    return [Problem("mkdocs.yml", 0, 0, message)]


def source_page(text: str) -> str:
    """The Markdown of the source page for ssot/env.yaml's `text` (as the site may show it)."""
    # A fence longer than any run of backticks in the text: no line of it can close the block.
    fence = "`" * max([3, *(len(run) + 1 for run in _BACKTICKS.findall(text))])
    body = text if text.endswith("\n") or not text else f"{text}\n"
    return (
        f"# Source: `{SSOT_PATH}`\n\n"
        "Every fact on this site comes from this file. The generated pages link to the keys below (by their "
        f"path, such as `#layers`). To change a fact, edit `{SSOT_PATH}` in the repository, run `ssot build`, "
        "and commit both.\n\n"
        f'{fence}yaml linenums="1" title="{SSOT_PATH}"\n{body}{fence}\n'
    )


def serve_to_snippets(snippets: dict[str, Any], mirror: Path, root: Path, text: str) -> list[Problem]:
    """Have pymdownx.snippets (its options: `snippets`) include ssot/env.yaml as `text`, written into the
    private folder `mirror`, for a source page of the repository's own; return what kept it from writing.

    That page then shows the very text the pages were compiled from, and a missing file, a directory or a FIFO
    at its path becomes a message in the page instead of a crashed or hung build. Other snippets resolve as
    before, from the repository's top (whatever the working directory).
    """
    problems = []
    try:  # the folder is this plugin's own (made private by tempfile): a plain write
        write_scratch(mirror, SSOT_PATH, text)
    except OSError as exc:  # a full temporary disk, say: warned, and the build goes on
        message = f"cannot write: {exc.strerror or exc}; nothing was changed"
        problems = [Problem(SSOT_PATH, 0, 0, message, code=codes.IO_ERROR)]
    bases = snippets.get("base_path", ["."])
    if isinstance(bases, (str, os.PathLike)):
        bases = [bases]
    snippets["base_path"] = [str(mirror), *(str(root / os.fspath(base)) for base in bases)]
    return problems


def missing_pages(
    files: DocsFiles, source_uri: str, shown_text: str, site_name: str, generated: dict[str, str]
) -> dict[str, str]:
    """The pages the plugin supplies (docs-relative path -> Markdown): the source page at `source_uri` and a
    home page, each when the docs have none. `generated`: the generated docs files (path -> content)."""
    pages = {}
    if files.get_file_from_path(source_uri) is None:
        pages[source_uri] = source_page(shown_text)
    if files.get_file_from_path("index.md") is None and files.get_file_from_path("README.md") is None:
        pages["index.md"] = home_page(site_name, generated, source_uri)
    return pages


def home_page(site_name: str, generated: dict[str, str], source_uri: str) -> str:
    """A home page listing the generated pages by their titles, and the source page."""
    links = [
        f"- [{title.group(1)}]({path})\n"
        for path, content in generated.items()
        if path.endswith(".md") and (title := _TITLE.search(content))
    ]
    links.append(f"- [Source: `{SSOT_PATH}`]({source_uri})\n")
    name = site_name.replace("\n", " ").replace("<", "&lt;")
    return f"# {name}\n\nThe architecture, generated from `{SSOT_PATH}` by `ssot build`:\n\n{''.join(links)}"
