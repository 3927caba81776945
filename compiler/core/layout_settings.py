"""The `layout:` section of ssot/env.yaml: where this repository keeps its pages, block hosts and tfvars.

Optional, and every field too: the defaults (compiler/core/layout.py) are the layout `ssot init` drafts
for. `layout_of` turns the settings into the `Layout` the facts carry.
"""

# No `from __future__ import annotations`: pydantic reads these annotations as objects; as strings, it would
# evaluate each one (10-15 ms at every start).
import posixpath
from typing import Annotated, Any

from pydantic import Field

from compiler.core import layout as defaults
from compiler.core.layout import Layout, TfvarsFiles
from compiler.core.strict_model import StrictModel

RelativePath = Annotated[str, Field(min_length=1)]


_PAGES = defaults.DEFAULT_PAGES


class Pages(StrictModel):
    """The file of each generated page, relative to docs_dir (as mkdocs.yml's nav names it)."""

    env_model: RelativePath = _PAGES["env_model"]
    """The environment model page (layers, isolation, environments, matrix, domains, contract)."""
    layers: RelativePath = _PAGES["layers"]
    """The layers page."""
    environment: RelativePath = _PAGES["environment"]
    """One page per environment: a pattern with `{env}`."""
    variables: RelativePath = _PAGES["variables"]
    """The variables contract page."""
    decisions: RelativePath = _PAGES["decisions"]
    """The decisions page."""
    diagram: RelativePath = _PAGES["diagram"]
    """The diagram page."""
    diagram_image: RelativePath = _PAGES["diagram_image"]
    """The diagram itself (SVG), which the diagram page shows."""
    source: RelativePath = _PAGES["source"]
    """The hand-written page that shows ssot/env.yaml with line anchors; every generated page links to it."""


class TfvarsSettings(StrictModel):
    """A tfvars file the layers read (`-var-file`): one per environment when `file` holds `{env}`, else one
    for every environment (such as a shared bootstrap layer's)."""

    file: RelativePath
    """The real tfvars file, relative to the repository's top (envs/{env}.tfvars, bootstrap/terraform.tfvars).
    Never committed: `ssot check` reads it where it exists and checks it against the contract."""
    example: RelativePath | None = None
    """Its generated, committed template, with the same `{env}` (envs/{env}.tfvars.example). Default: none."""
    feeds: list[str] | None = None
    """The ids of the layers that read it. Default: every per-env layer for the only per-env file; a shared
    file, and each of several per-env files, must name its layers. Each layer reads at most one tfvars file
    (with several per-env files, each per-env layer exactly one); its Terraform variables are held to the
    variables this file sets."""
    variables: list[str] | None = None
    """A per-env file only: the contract variables it sets (its example holds them, its real files are
    checked against them). Default: every variable tfvars files provide, but those a shared file sets.
    Several per-env files may set the same variable (each for its own layers)."""
    values: dict[str, Any] = {}
    """A shared file only: the values it sets, by contract variable (declared under variables). Those
    variables are this file's: per-env files do not set them."""
    committed: bool = False
    """The real files are committed: the team's configuration, which Terraform reads from the repository
    (environments/prod/terraform.tfvars beside its root). Then git tracking them is no finding, .gitignore
    need not keep them out, each value ssot/env.yaml states for it is checked (`tfvars-value`), and they
    are still scanned for secrets. `ssot build` never writes them. Default: false, real files stay local."""


class LayoutSettings(StrictModel):
    """Where this repository keeps the files `ssot build` writes and `ssot check` reads. Every field is
    optional; the defaults are the layout of a repository with docs/ and envs/."""

    # The defaults are valid as written: constructed, not validated, they build no validator at import.
    docs_dir: RelativePath = defaults.DOCS_DIR
    """MkDocs' docs_dir, relative to the repository's top: the generated pages are written under it."""
    pages: Pages = Pages.model_construct()
    """The file of each generated page, relative to docs_dir."""
    block_hosts: Annotated[list[RelativePath], Field(min_length=1)] = list(defaults.BLOCK_HOST_GLOBS)
    """Globs (from the repository's top, `**` for any depth) of the hand-written Markdown files, and
    mkdocs.yml, that may hold generated blocks between `ssot:begin`/`ssot:end` markers."""
    tfvars: list[TfvarsSettings] = [
        TfvarsSettings.model_construct(file=defaults.VAR_FILE, example=defaults.EXAMPLE_FILE)
    ]
    """The tfvars files and which layers each feeds. Per-env files hold `{env}` (several: one per root, say,
    each feeding its own layers). Default: envs/{env}.tfvars per environment, with envs/{env}.tfvars.example,
    feeding every per-env layer. Written, it lists every tfvars file: `[]` for a repository without any."""
    not_tfvars: list[RelativePath] = list(defaults.NOT_TFVARS)
    """Globs of files that have a tfvars file's shape but are no environment's tfvars (backend configs,
    templates): never taken for an environment nor held to the contract. A glob without `/` matches the file
    name, one with `/` the path from the top. A name that is no DNS label (staging.backend.tfvars) is never an
    environment anyway."""


def layout_of(settings: LayoutSettings | None, per_env_layers: list[str]) -> Layout:
    """The layout the facts carry: the settings with every default filled in."""
    settings = settings or _default_settings()
    return Layout(
        docs_dir=_normal(settings.docs_dir),
        pages=tuple((name, _normal(page)) for name, page in settings.pages),
        block_hosts=tuple(settings.block_hosts),
        tfvars=tuple(
            TfvarsFiles(
                _normal(files.file),
                None if files.example is None else _normal(files.example),
                tuple(files.feeds if files.feeds is not None else per_env_layers if "{env}" in files.file else ()),
                None if files.variables is None else tuple(dict.fromkeys(files.variables)),
                files.committed,
            )
            for files in settings.tfvars
        ),
        not_tfvars=tuple(settings.not_tfvars),
    )


def _default_settings() -> LayoutSettings:
    # valid as written: constructed, not validated, so no validator is built for it alone (5 ms a run)
    return LayoutSettings.model_construct()


def _normal(path: str) -> str:
    """`./docs/` as the paths read from disk are written: `docs` (rules keep every path inside the root)."""
    return posixpath.normpath(path) if path.strip("/") else path


def shared_values(settings: LayoutSettings | None) -> dict[str, dict[str, Any]]:
    """Shared tfvars file -> the values it sets (its variables are no per-env file's)."""
    tfvars = (settings or _default_settings()).tfvars
    return {files.file: dict(files.values) for files in tfvars if "{env}" not in files.file}


def per_env_layer_ids(layers: dict[str, Any]) -> list[str]:
    return [layer_id for layer_id, layer in layers.items() if layer.scope == "per-env"]
