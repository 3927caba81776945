"""The SSOT's shape: pydantic models, strict and closed.

Every field has a docstring; the models' base (compiler/core/strict_model.py) turns it into the field's
description, which feeds the JSON Schema (so editors show it while the YAML is typed) and the generated docs.
"""

# No `from __future__ import annotations`: pydantic reads these annotations as objects; as strings, it would
# evaluate each one (10-15 ms at every start).
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from compiler.core.layout_settings import LayoutSettings
from compiler.core.strict_model import StrictModel

#: The placeholder a per-env pattern must contain, and a shared one must not.
ENV_PLACEHOLDER = "{env}"

#: Variables whose per-environment value an environment's own fields may give: `environment` (its name, always)
#: and the domain fields an environment may still carry itself (compiler/core/env_values.py).
ENVIRONMENT_FIELDS = ("environment", "base_domain", "internal_domain", "env_prefix")

Text = Annotated[str, Field(min_length=1)]
Pattern = Annotated[str, Field(min_length=1)]
#: The branches of a one-or-several field, as pydantic names them in an error's location (validate.py drops
#: them): the discriminator picks the branch by the YAML's kind, so only that branch's errors are reported.
UNION_TAGS = frozenset({"<one>", "<several>"})
OneOrSeveral = Annotated[
    Annotated[Text, Tag("<one>")] | Annotated[Annotated[list[Text], Field(min_length=1)], Tag("<several>")],
    Discriminator(lambda value: "<several>" if isinstance(value, list) else "<one>"),
]
#: A tfvars value as YAML gives it; the rules check it against the variable's declared type.
TfvarsValue = Any


class Layer(StrictModel):
    """One layer of the stack (a row of the Layer Strategy table)."""

    name: Text
    """Short name of the layer, such as Bootstrap or Data."""
    scope: Literal["shared", "per-env"]
    """`shared`: one instance for all environments (a singleton). `per-env`: one instance per environment."""
    managed_by: Literal["github-actions", "atlantis", "digger", "none"]
    """What applies the layer's Terraform: a GitHub Actions workflow, an Atlantis project, a Digger project,
    or nothing this file describes (none)."""
    atlantis_project: Pattern | None = None
    """Atlantis project name, required when managed_by is atlantis; per-env layers include `{env}`."""
    digger_project: Pattern | None = None
    """Digger project name (`name` in digger.yml), required when managed_by is digger; per-env layers
    include `{env}`."""
    atlantis_workflow: Pattern | None = None
    """The Atlantis workflow its projects run (`workflow` in atlantis.yaml), such as terragrunt; may hold
    `{env}` (apply-{env}). Default: atlantis.workflow, else none (Atlantis' default workflow)."""
    terraform_version: Text | None = None
    """The Terraform version Atlantis runs for its projects (`terraform_version` in atlantis.yaml), such
    as v1.7.5. Default: atlantis.terraform_version, else none (the Atlantis server's version)."""
    namespace: Pattern | None = None
    """Kubernetes namespace of the layer's workloads; per-env layers include `{env}` (data-{env})."""
    workspace: Pattern | None = None
    """Terraform workspace. Default: `{env}` for per-env layers, `default` for shared ones. A per-env layer
    whose (first) terraform_dir holds `{env}` (one directory per environment) may use one workspace: `default`."""
    state_key: Pattern | None = None
    """Terraform state key: what the root's backend names its state with (S3's and Azure's `key`, GCS's
    `prefix`, local's `path`); `ssot check` compares it with a backend block that sets it (`state-key`).
    Default: `<name>/{env}/terraform.tfstate` per env, `<name>/terraform.tfstate` shared. A per-env layer may
    leave `{env}` out when its workspace or its directory tells the environments apart."""
    components: Annotated[list[Text], Field(min_length=1)]
    """What the layer runs. Rendered as the layer's description, followed by its namespace if it has one."""
    terraform_dir: OneOrSeveral | None = None
    """The layer's Terraform root directory, or a list of them, relative to the repository's top (such as
    terraform/data). A per-env layer's may contain `{env}` for one root per environment (envs/{env}/data).
    `ssot check` cross-checks their `variable` blocks with the tfvars contract: type and `sensitive` for every
    layer; a layer a tfvars file feeds (layout.tfvars) must also declare exactly the variables that file sets."""

    @property
    def terraform_dirs(self) -> tuple[str, ...]:
        """terraform_dir as a tuple (empty when not given), patterns unexpanded."""
        if self.terraform_dir is None:
            return ()
        return (self.terraform_dir,) if isinstance(self.terraform_dir, str) else tuple(self.terraform_dir)


class AtlantisSettings(StrictModel):
    """Defaults of every project in the generated atlantis.yaml (a layer's own setting wins)."""

    workflow: Text | None = None
    """The workflow every project runs unless its layer sets atlantis_workflow (it must exist on the
    Atlantis server, or under `workflows` in a server-side repo config)."""
    terraform_version: Text | None = None
    """The Terraform version of every project unless its layer sets terraform_version, such as v1.7.5."""


class Isolation(StrictModel):
    """How environments are kept apart (the Environment Isolation list)."""

    shared: Text
    """How the shared layers are run."""
    per_env: Text
    """How the per-env layers are isolated from each other."""


#: Marks a field editors should show as deprecated (JSON Schema's `deprecated`; pydantic's own `deprecated`
#: would warn on every read of the field, and the compiler reads them to keep older files working).
_DEPRECATED = Field(json_schema_extra={"deprecated": True})


class Environment(StrictModel):
    """One environment: it needs only its name (its key), which `{env}` stands for in the layers' patterns
    and which is the value of the `environment` variable. Everything else is a value of the contract."""

    title: Text | None = None
    """Display name, such as Staging. Default: the name, capitalised."""
    values: dict[str, TfvarsValue] = {}
    """The environment's value of each contract variable (declared under `variables`) it sets, such as
    `base_domain: example.com`. Pages show a Domains section when the values give `base_domain` (shaped
    by `env_prefix` and `internal_domain` when they have values)."""
    base_domain: Annotated[Text | None, _DEPRECATED] = None
    """Deprecated: write it under values (declared under variables). Apex domain of the host names."""
    internal_domain: Annotated[Text | None, _DEPRECATED] = None
    """Deprecated: write it under values. Domain of platform services. Default: base_domain."""
    env_prefix: Annotated[str | None, _DEPRECATED] = None
    """Deprecated: write it under values. Business-domain prefix (a DNS label), or empty."""


class Variable(StrictModel):
    """One variable of the tfvars contract."""

    type: Literal["string", "number", "bool", "list", "map", "object"]
    """Terraform type of the variable."""
    description: Text
    """What the variable means, shown in the docs."""
    required: bool = True
    """Whether every environment must set it."""
    sensitive: bool = False
    """A secret: never written to any tfvars file (inject it another way, such as TF_VAR_ from CI)."""
    injected: bool = False
    """Set outside tfvars files (such as TF_VAR_<name> from CI), so no tfvars needs to provide it."""
    default_from: str | None = None
    """Name of the variable whose value it takes when not set."""
    note: Text | None = None
    """A short remark shown next to the variable in envs/README.md."""

    @property
    def in_tfvars(self) -> bool:
        """Whether tfvars files provide its value: neither a secret nor injected another way."""
        return not (self.sensitive or self.injected)

    @property
    def needs_value(self) -> bool:
        """Whether every environment's tfvars must set it."""
        return self.required and self.in_tfvars


class Reason(StrictModel):
    """One reason behind a decision."""

    title: Text
    """The reason in a few words."""
    detail: Text
    """The reason explained."""


class TradeOff(StrictModel):
    """A risk a decision accepts, and what limits it."""

    risk: Text
    """The risk."""
    mitigations: list[Text] = []
    """What limits the risk."""


class Decision(StrictModel):
    """An architecture decision record."""

    title: Text
    """What was decided between, such as Namespace vs Cluster Isolation."""
    decision: Text
    """What was decided."""
    rationale: list[Reason] = []
    """Why."""
    trade_offs: list[TradeOff] = []
    """What it costs, and how that is mitigated."""


class Ssot(StrictModel):
    """The environment architecture of this repository: the one file a maintainer edits."""

    layers: Annotated[dict[str, Layer], Field(min_length=1)]
    """The layers of the stack, bottom up, keyed by id (L1, L2, ...)."""
    isolation: Isolation
    """How environments are kept apart."""
    atlantis: AtlantisSettings | None = None
    """Defaults of the projects `ssot build` writes to atlantis.yaml (one per Atlantis-managed layer
    instance with a terraform_dir; the file is written only when there is one)."""
    environments: Annotated[dict[str, Environment], Field(min_length=1)]
    """The environments in promotion order, keyed by name (a DNS label: staging, prod)."""
    variables: dict[str, Variable] = {}
    """The tfvars contract: every variable a tfvars file may set (envs/<env>.tfvars, or a shared file under
    layout.tfvars), keyed by name."""
    decisions: list[Decision] = []
    """Architecture decisions."""
    layout: LayoutSettings | None = None
    """Where the repository keeps the generated pages, the block hosts and the tfvars files, and which layers
    each tfvars file feeds. Default: docs/ for the pages, envs/{env}.tfvars feeding every per-env layer."""
