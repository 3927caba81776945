"""Domain rules of the `layout:` section: paths stay inside the repository, `{env}` where it belongs, each
tfvars file feeds layers that exist (each layer one file), no two artifacts at one path."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.core.layout import (
    ATLANTIS_CONFIG,
    DIGGER_CONFIG,
    DIGGER_CONFIG_ALTERNATIVE,
    ENV,
    SCHEMA_PATH,
    SSOT_PATH,
)
from compiler.core.layout_settings import LayoutSettings, per_env_layer_ids
from compiler.core.model import ENVIRONMENT_FIELDS, Ssot
from compiler.core.violation import Violation, tfvars_value
from compiler.formats.yaml_walk import Path
from compiler.text import closest

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_AT = ("layout",)


def check_layout(ssot: Ssot) -> Iterator[Violation]:
    """Every violation in ssot.layout (nothing when it is not written: the defaults are sound)."""
    settings = ssot.layout
    if settings is None:
        return
    yield from _inside(settings)
    yield from _pages(settings)
    yield from _tfvars(ssot, settings)
    yield from _same_path(ssot, settings)


def _written_paths(settings: LayoutSettings) -> Iterator[tuple[Path, str]]:
    yield ("docs_dir",), settings.docs_dir
    for name, page in settings.pages.model_dump().items():
        yield ("pages", name), page
    for index, glob in enumerate(settings.block_hosts):
        yield ("block_hosts", index), glob
    for index, files in enumerate(settings.tfvars):
        yield ("tfvars", index, "file"), files.file
        if files.example is not None:
            yield ("tfvars", index, "example"), files.example
    for index, glob in enumerate(settings.not_tfvars):
        yield ("not_tfvars", index), glob


def _dotted(path: Path) -> str:
    return "layout." + ".".join(f"[{part}]" if isinstance(part, int) else part for part in path).replace(".[", "[")


def _inside(settings: LayoutSettings) -> Iterator[Violation]:
    for path, value in _written_paths(settings):
        if value.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", value) or re.match(r"[A-Za-z]:", value):
            yield Violation(
                (*_AT, *path),
                f"{_dotted(path)} {value!r} leaves the repository; write a path relative to its top",
            )
        elif any(part.casefold() == ".git" for part in re.split(r"[/\\]", value)):
            yield Violation(
                (*_AT, *path),
                f"{_dotted(path)} {value!r} is inside a git directory, where ssot never writes or reads; name another path",
            )
        unknown = sorted({p for p in _PLACEHOLDER.findall(value) if p != "env"})
        if unknown:
            yield Violation(
                (*_AT, *path), f"{_dotted(path)} {value!r} uses unknown placeholder {{{unknown[0]}}}; only {ENV} exists"
            )


def _pages(settings: LayoutSettings) -> Iterator[Violation]:
    if ENV in settings.docs_dir:
        yield Violation((*_AT, "docs_dir"), f"layout.docs_dir {settings.docs_dir!r} must not contain {ENV}")
    for name, page in settings.pages.model_dump().items():
        path = (*_AT, "pages", name)
        suffix = ".svg" if name == "diagram_image" else ".md"
        if name == "environment" and ENV not in page:
            yield Violation(path, f"layout.pages.environment {page!r} must contain {ENV}: one page per environment")
        elif name != "environment" and ENV in page:
            yield Violation(path, f"layout.pages.{name} {page!r} must not contain {ENV}: it is one page")
        if not page.endswith(suffix):
            yield Violation(path, f"layout.pages.{name} {page!r} must end with {suffix}")


def _tfvars(ssot: Ssot, settings: LayoutSettings) -> Iterator[Violation]:
    fed_by: dict[str, str] = {}
    set_by: dict[str, str] = {}
    several = sum(ENV in files.file for files in settings.tfvars) > 1
    for index, files in enumerate(settings.tfvars):
        at: Path = (*_AT, "tfvars", index)
        per_env = ENV in files.file
        if per_env and several and files.feeds is None:
            yield Violation(
                at,
                f"per-env tfvars file {files.file!r} needs feeds: with several per-env files, "
                "each names the layers that read it",
            )
        if files.example is not None and (ENV in files.example) != per_env:
            message = (
                f"example {files.example!r} must contain {ENV}, as its file {files.file!r} does"
                if per_env
                else f"example {files.example!r} must not contain {ENV}: its file {files.file!r} is shared"
            )
            yield Violation((*at, "example"), message)
        if not per_env and files.feeds is None:
            yield Violation(at, f"shared tfvars file {files.file!r} needs feeds: the ids of the layers that read it")
        default = per_env_layer_ids(ssot.layers) if per_env and not several else []
        feeds = files.feeds if files.feeds is not None else default
        for position, layer_id in enumerate(feeds):
            where = (*at, "feeds", position)
            layer = ssot.layers.get(layer_id)
            if layer is None:
                close = closest(layer_id, ssot.layers)
                hint = f"; did you mean {close!r}?" if close else f" (known: {', '.join(ssot.layers)})"
                yield Violation(where, f"feeds names {layer_id!r}, which is not a layer{hint}")
                continue
            if per_env and layer.scope == "shared":
                yield Violation(
                    where,
                    f"per-env tfvars file {files.file!r} cannot feed shared layer {layer_id}: "
                    "a shared layer is one instance, which environment's file would it read?",
                )
            first = fed_by.setdefault(layer_id, files.file)
            if first != files.file:
                yield Violation(where, f"layer {layer_id} is fed by {first} already; a layer reads one tfvars file")
        yield from _values(ssot, files.file, files.values, at, per_env, set_by)
    yield from _per_env_variables(ssot, settings, set_by)
    if several:
        for layer_id in per_env_layer_ids(ssot.layers):
            if layer_id not in fed_by:
                yield Violation(
                    ("layers", layer_id),
                    f"per-env layer {layer_id} reads no tfvars file: with several per-env files, "
                    "name it in the feeds of one of them (layout.tfvars)",
                    at_key=True,
                )


def _per_env_variables(ssot: Ssot, settings: LayoutSettings, set_by: dict[str, str]) -> Iterator[Violation]:
    """A per-env file's `variables`: contract variables tfvars files provide; every required one set by some
    per-env file (one file's variables may overlap another's: each feeds its own layers)."""
    chosen: set[str] = set()
    explicit = False
    for index, files in enumerate(settings.tfvars):
        if files.variables is None:
            chosen.update(ssot.variables)
            continue
        explicit = True
        if ENV not in files.file:
            yield Violation(
                (*_AT, "tfvars", index, "variables"),
                f"shared tfvars file {files.file!r} sets the variables of its values; variables is for a per-env file",
            )
            continue
        for position, name in enumerate(files.variables):
            where = (*_AT, "tfvars", index, "variables", position)
            declared = ssot.variables.get(name)
            if declared is None:
                close = closest(name, ssot.variables)
                hint = f"; did you mean {close!r}?" if close else "; declare it under variables first"
                yield Violation(where, f"variables names {name!r}, which is not a declared variable{hint}")
            elif not declared.in_tfvars:
                why = "sensitive" if declared.sensitive else "injected"
                yield Violation(where, f"variable {name!r} is {why}: no tfvars file sets it")
            elif name in set_by:
                yield Violation(
                    where, f"{name!r} is set by the shared tfvars file {set_by[name]!r}, not per environment"
                )
            else:
                chosen.add(name)
    if not explicit:
        return
    for name, variable in ssot.variables.items():
        if variable.needs_value and name not in chosen and name not in set_by:
            yield Violation(
                ("variables", name),
                f"required variable {name!r} is set by no per-env tfvars file: "
                "add it to the variables of one under layout.tfvars",
                at_key=True,
            )


def _values(
    ssot: Ssot, file: str, values: dict[str, object], at: Path, per_env: bool, set_by: dict[str, str]
) -> Iterator[Violation]:
    if per_env and values:
        yield Violation(
            (*at, "values"),
            f"per-env tfvars file {file!r} takes its values from environments; values are for a shared file",
        )
        return
    for name in values:
        for env_name, env in ssot.environments.items():
            if name in env.values:
                yield Violation(
                    ("environments", env_name, "values", name),
                    f"{name!r} is set by the shared tfvars file {file!r} (layout.tfvars), not per environment",
                    at_key=True,
                )
    for name, value in values.items():
        where = (*at, "values", name)
        # `environment` is each environment's name; a legacy domain field, where an environment sets it
        legacy = name in ENVIRONMENT_FIELDS and any(
            getattr(env, name, None) is not None for env in ssot.environments.values()
        )
        if name == "environment" or legacy:
            yield Violation(where, f"{name!r} is set by each environment, not by a shared tfvars file", at_key=True)
        elif (wrong := tfvars_value(where, name, value, ssot.variables.get(name))) is not None:
            yield wrong
        elif (first := set_by.setdefault(name, file)) != file:
            yield Violation(
                where, f"{name!r} is set by {first!r} already; one tfvars file sets a variable", at_key=True
            )


def _same_path(ssot: Ssot, settings: LayoutSettings) -> Iterator[Violation]:
    """Two artifacts (or an artifact and a tfvars file) at one path would overwrite each other."""
    docs = settings.docs_dir.rstrip("/")
    claims: list[tuple[Path, str, str]] = [((), SSOT_PATH, "ssot/env.yaml"), ((), SCHEMA_PATH, "the schema")]
    claims.append(((), ATLANTIS_CONFIG, "atlantis.yaml"))
    claims += [((), DIGGER_CONFIG, "digger.yml"), ((), DIGGER_CONFIG_ALTERNATIVE, "digger.yaml")]
    for name, page in settings.pages.model_dump().items():
        if name != "source":
            claims.append((("pages", name), f"{docs}/{page}", f"layout.pages.{name}"))
    for index, files in enumerate(settings.tfvars):
        claims.append((("tfvars", index, "file"), files.file, f"layout.tfvars[{index}].file"))
        if files.example is not None:
            claims.append((("tfvars", index, "example"), files.example, f"layout.tfvars[{index}].example"))
    seen: dict[str, str] = {}
    envs = list(ssot.environments) or ["env"]
    for path, pattern, what in claims:
        for env in envs if ENV in pattern else [None]:
            where = _normal(pattern if env is None else pattern.replace(ENV, env))
            first = seen.setdefault(where, what)
            if first != what and path:
                yield Violation(
                    (*_AT, *path), f"{what} {where!r} is also where {first} is written: two files at one path"
                )
                break


def _normal(path: str) -> str:
    parts = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
    return "/".join(parts)
