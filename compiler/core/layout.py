"""Where the repository keeps things: the SSOT and the per-environment tfvars files.

One place for every path the core, the renderers and the checks agree on.
"""

from __future__ import annotations

#: The one file a maintainer edits, relative to the repository's top.
SSOT_PATH = "ssot/env.yaml"
#: The directory of the tfvars files (real ones and generated examples).
TFVARS_DIR = "envs"
REAL_SUFFIX = ".tfvars"
EXAMPLE_SUFFIX = ".tfvars.example"


def var_file(env: str) -> str:
    """The real tfvars file of an environment (local values, never committed)."""
    return f"{TFVARS_DIR}/{env}{REAL_SUFFIX}"


def example_file(env: str) -> str:
    """The generated template of an environment's tfvars file."""
    return EXAMPLE_FILE.replace("{env}", env)


#: The JSON Schema of the SSOT, next to it.
SCHEMA_PATH = "ssot/env.schema.json"
#: The generated pages of the docs site (MkDocs' docs_dir is docs/).
DOCS_DIR = "docs"
ENV_MODEL_PAGE = "docs/ssot/env.md"
LAYERS_PAGE = "docs/ssot/layers.md"
ENVIRONMENT_PAGE = "docs/ssot/environments/{env}.md"
VARIABLES_PAGE = "docs/ssot/variables.md"
DECISIONS_PAGE = "docs/ssot/decisions.md"
DIAGRAM_PAGE = "docs/ssot/diagram.md"
DIAGRAM_IMAGE = "docs/ssot/diagram.svg"
#: Atlantis' repo config, at the repository's top (written only when a layer it manages has a terraform_dir).
ATLANTIS_CONFIG = "atlantis.yaml"
#: The hand-written page that shows ssot/env.yaml with line anchors.
SOURCE_PAGE = "docs/source.md"
EXAMPLE_FILE = f"{TFVARS_DIR}/{{env}}{EXAMPLE_SUFFIX}"


def environment_page(env: str) -> str:
    return ENVIRONMENT_PAGE.replace("{env}", env)
