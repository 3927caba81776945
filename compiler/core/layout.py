"""Where the repository keeps things: the SSOT, the generated pages, the block hosts, the tfvars files.

The one place that knows the default layout (this repository's). A repository that keeps its files
elsewhere says so under `layout:` in ssot/env.yaml (compiler/core/layout_settings.py); the compiled facts
carry the resulting `Layout`, and every renderer, check and reader asks it for paths.
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
from dataclasses import dataclass
from typing import NamedTuple

#: The one file a maintainer edits, relative to the repository's top (fixed: it holds the layout).
SSOT_PATH = "ssot/env.yaml"
#: The JSON Schema of the SSOT, next to it.
SCHEMA_PATH = "ssot/env.schema.json"
#: Atlantis' repo config, at the repository's top (written only when a layer it manages has a terraform_dir).
ATLANTIS_CONFIG = "atlantis.yaml"
#: Digger's config; an existing `digger.yaml` (Digger reads either) is the one kept
DIGGER_CONFIG, DIGGER_CONFIG_ALTERNATIVE = "digger.yml", "digger.yaml"
ENV = "{env}"

#: The defaults of `layout:`, this repository's layout.
DOCS_DIR = "docs"
#: Generated pages (and the hand-written source page), relative to the docs directory.
DEFAULT_PAGES = {
    "env_model": "ssot/env.md",
    "layers": "ssot/layers.md",
    "environment": "ssot/environments/{env}.md",
    "variables": "ssot/variables.md",
    "decisions": "ssot/decisions.md",
    "diagram": "ssot/diagram.md",
    "diagram_image": "ssot/diagram.svg",
    "source": "source.md",
}
#: Where hand-written files with named blocks may live (globs from the repository's top).
BLOCK_HOST_GLOBS = ("README.md", "docs/**/*.md", "envs/**/*.md", "mkdocs.yml")
#: The directory of the tfvars files by default (where `ssot init` looks for examples).
TFVARS_DIR = "envs"
VAR_FILE = f"{TFVARS_DIR}/{ENV}.tfvars"
EXAMPLE_FILE = f"{TFVARS_DIR}/{ENV}.tfvars.example"
#: Files beside the tfvars that are no environment's tfvars (backend configs, templates): file-name globs.
NOT_TFVARS = ("*.backend.tfvars", "*.tpl.tfvars", "*.template.tfvars")
REAL_SUFFIX = ".tfvars"
EXAMPLE_SUFFIX = ".tfvars.example"


class TfvarsFiles(NamedTuple):
    """A tfvars file (one per environment when `file` holds `{env}`), its generated example, what it feeds."""

    file: str
    #: the generated template of `file` (same `{env}`), or None when none is generated
    example: str | None
    #: the ids of the layers that read it (`-var-file`)
    feeds: tuple[str, ...]
    #: a per-env file's contract variables (None: every one tfvars files provide, but a shared file's)
    variables: tuple[str, ...] | None = None
    #: the real files are committed (the team's configuration): checked, never asked to be ignored
    committed: bool = False

    @property
    def per_env(self) -> bool:
        return ENV in self.file

    def var_file(self, env: str | None) -> str:
        return self.file if env is None else self.file.replace(ENV, env)

    def example_file(self, env: str | None) -> str | None:
        return None if self.example is None else self.example if env is None else self.example.replace(ENV, env)

    def environment(self, path: str) -> str | None:
        """The environment a path of this per-env file's shape is for, if it has the shape (any name)."""
        return _env_part(path, self.file) if self.per_env else None

    @property
    def glob(self) -> str:
        return self.file.replace(ENV, "*")

    @property
    def example_glob(self) -> str | None:
        return None if self.example is None else self.example.replace(ENV, "*")


@dataclass(frozen=True)
class Layout:
    """Every path the renderers, checks and readers agree on, relative to the repository's top."""

    docs_dir: str = DOCS_DIR
    #: page name -> path relative to docs_dir (the keys of DEFAULT_PAGES)
    pages: tuple[tuple[str, str], ...] = tuple(DEFAULT_PAGES.items())
    block_hosts: tuple[str, ...] = BLOCK_HOST_GLOBS
    tfvars: tuple[TfvarsFiles, ...] = (TfvarsFiles(VAR_FILE, EXAMPLE_FILE, ()),)
    not_tfvars: tuple[str, ...] = NOT_TFVARS

    def page(self, name: str, env: str | None = None) -> str:
        """A page's path from the repository's top (`environment` once per environment)."""
        path = self._page_paths[name]
        return path if env is None else path.replace(ENV, env)

    def docs_page(self, name: str) -> str:
        """A page's path relative to docs_dir (as mkdocs.yml's nav names it)."""
        return self._docs_pages[name]

    @functools.cached_property
    def _docs_pages(self) -> dict[str, str]:
        return dict(self.pages)

    @functools.cached_property
    def _page_paths(self) -> dict[str, str]:
        """Each page's path from the top, worked out once (pages link to pages, a thousand times over)."""
        return {name: posixpath.normpath(posixpath.join(self.docs_dir, page)) for name, page in self.pages}

    @functools.cached_property
    def per_env_tfvars(self) -> TfvarsFiles | None:
        """The first per-env tfvars file (the one most layouts have)."""
        return next((files for files in self.tfvars if files.per_env), None)

    @functools.cached_property
    def per_env_tfvars_files(self) -> tuple[TfvarsFiles, ...]:
        """Every per-env tfvars file, in layout order (each feeds its own per-env layers)."""
        return tuple(files for files in self.tfvars if files.per_env)

    @functools.cached_property
    def shared_tfvars(self) -> tuple[TfvarsFiles, ...]:
        return tuple(files for files in self.tfvars if not files.per_env)

    def var_file(self, env: str) -> str:
        """An environment's (first) real tfvars file (local values, never committed)."""
        files = self.per_env_tfvars
        return (files or TfvarsFiles(VAR_FILE, EXAMPLE_FILE, ())).var_file(env)

    def example_file(self, env: str) -> str | None:
        """The generated template of an environment's (first) tfvars file (None: no example is generated)."""
        files = self.per_env_tfvars
        return None if files is None else files.example_file(env)

    def feeding(self, layer_id: str) -> TfvarsFiles | None:
        """The tfvars file a layer reads (rules allow one per layer)."""
        return next((files for files in self.tfvars if layer_id in files.feeds), None)

    def is_not_tfvars(self, path: str) -> bool:
        """Whether `path` is a file beside the tfvars that is no environment's (a backend config, a template)."""
        name = posixpath.basename(path)
        return any(fnmatch.fnmatchcase(path if "/" in glob else name, glob) for glob in self.not_tfvars)

    def tfvars_of(self, path: str) -> TfvarsFiles | None:
        """The tfvars files `path` is a real one of (for any environment name), if any: not an example, and
        not one of not_tfvars (a backend config beside them)."""
        if self.is_not_tfvars(path) or self.is_example(path):
            return None
        shared = next((files for files in self.tfvars if path == files.file), None)
        return shared or next((files for files in self.tfvars if files.environment(path) is not None), None)

    def is_example(self, path: str) -> bool:
        return any(
            files.example is not None and (path == files.example or _has_shape(path, files.example))
            for files in self.tfvars
        )

    @property
    def tfvars_dirs(self) -> tuple[str, ...]:
        """The directories the tfvars files and examples live in (up to the first `{env}`), from the top."""
        patterns = [p for files in self.tfvars for p in (files.file, files.example) if p is not None]
        return tuple(sorted({posixpath.dirname(p.partition(ENV)[0]) or "." for p in patterns}))

    def relative(self, target: str, page: str) -> str:
        """A link from `page` to `target` (both from the repository's top)."""
        return _relative(target, posixpath.dirname(page) or ".")


@functools.lru_cache(maxsize=1024)
def _relative(target: str, directory: str) -> str:
    """`target` relative to `directory` (both from the top): each page links to the same few places."""
    return posixpath.relpath(target, directory)


def _env_part(path: str, pattern: str) -> str | None:
    """What `{env}` stands for in `path` if it has the shape of `pattern` (a name without `/`), else None."""
    prefix, _, suffix = pattern.partition(ENV)
    if len(path) <= len(prefix) + len(suffix) or not (path.startswith(prefix) and path.endswith(suffix)):
        return None
    env = path[len(prefix) : len(path) - len(suffix)]
    return env if "/" not in env else None


def _has_shape(path: str, pattern: str) -> bool:
    return ENV in pattern and _env_part(path, pattern) is not None


#: The layout of a repository that writes no `layout:` (feeds filled in from its layers when compiled).
DEFAULT_LAYOUT = Layout()
