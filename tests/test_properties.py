"""Property tests (hypothesis): what must hold for every SSOT and every edit, not just the examples we thought of.

Random valid SSOTs (environments, layers, components, variables, decisions) build and then check clean; a
second build changes nothing; any single content change to any generated artifact is drift naming that
artifact; formatting-only changes never are; a secret pasted anywhere into any artifact is never printed,
in any format; and no input, however broken, reaches the internal-error exit.

Each example works on its own temporary copy of the example repository (function-scoped fixtures are not
reset between examples) and calls the CLI in-process, which keeps a hundred builds within a few seconds.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fake_secrets
import pytest
import yaml
from conftest import FIXTURE_REPO, Result, copy_repository
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from compiler.app import cli
from compiler.app.engine import build_plan
from compiler.artifacts.block_syntax import block_syntax
from compiler.core.model import Ssot
from compiler.core.validate import load_ssot
from compiler.errors import SsotError
from compiler.formats.blocks import find_blocks
from compiler.render.pages import nav_title
from compiler.secrets.shapes import secret_word
from compiler.text import split_lines

pytestmark = pytest.mark.long  # started first (conftest.py)

SSOT = "ssot/env.yaml"

#: Every test here runs a few dozen examples: enough to find what examples miss, quick enough for `make test`;
#: those that build a repository per example (a build and several checks, a quarter of a second), 15: each
#: run of the suite draws new ones. SSOT_PROPERTY_EXAMPLES=1000 runs a thorough search of every property.
#: No example database: CI starts from a fresh clone, and a failure prints its example and the seed that
#: reproduces it.
_ASKED = int(os.environ.get("SSOT_PROPERTY_EXAMPLES", "0"))
_SETTINGS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
EXAMPLES = settings(max_examples=_ASKED or 30, **_SETTINGS)
BUILDS = settings(max_examples=_ASKED or 15, **_SETTINGS)

# -- random valid SSOTs --

#: Plain words YAML 1.1 reads as booleans or null: never environment names (the loader refuses them unquoted).
YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
BUILTIN_VARIABLES = ("environment", "base_domain", "internal_domain", "env_prefix")

#: Free text for titles, descriptions, components, decisions: letters, digits and the punctuation people
#: write, Markdown's and YAML's own characters included (the renderers must escape or carry them, never
#: break on them), a line break (a `|` block in the YAML) and some text beyond ASCII.
_TEXT_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()[]/&'\"-+=@#%*_`<>|{}~^$\\\néüßЖ中文😀"
)

dns_labels = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True).filter(
    lambda name: name not in YAML11_WORDS
)
#: A namespace or project slug: no '-', so `<slug>` (shared) never equals `<slug>-<env>` (per-env).
slugs = st.from_regex(r"[a-z][a-z0-9]{0,9}", fullmatch=True).filter(lambda name: name not in YAML11_WORDS)
domains = st.builds(
    lambda label, tld: f"{label}.{tld}", dns_labels, st.sampled_from(["com", "org", "net", "io", "example"])
)
texts = st.text(_TEXT_ALPHABET, min_size=1, max_size=40).filter(lambda text: text.strip() != "")
layer_names = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True)
variable_names = st.from_regex(r"[a-z][a-z0-9_]{1,14}", fullmatch=True).filter(
    lambda name: name not in BUILTIN_VARIABLES and secret_word(name) is None
)

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(_TEXT_ALPHABET, max_size=30),
    "number": st.integers(-(10**9), 10**9) | st.floats(allow_nan=False, allow_infinity=False, width=32),
    "bool": st.booleans(),
    "list": st.lists(st.text(_TEXT_ALPHABET, max_size=12) | st.integers(-1000, 1000), max_size=3),
}


@st.composite
def layer_maps(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    shared = draw(st.integers(0, 3))
    per_env = draw(st.integers(0 if shared else 1, 3))
    scopes = draw(st.permutations(["shared"] * shared + ["per-env"] * per_env))
    count = len(scopes)
    # Unique by slug: the default state key is built from the lowercased name.
    names = draw(st.lists(layer_names, min_size=count, max_size=count, unique_by=lambda n: n.lower().replace(" ", "-")))
    layer_slugs = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    layers: dict[str, dict[str, Any]] = {}
    for number, (scope, name, slug) in enumerate(zip(scopes, names, layer_slugs), start=1):
        layer: dict[str, Any] = {"name": name, "scope": scope}
        pattern = f"{slug}-{{env}}" if scope == "per-env" else slug
        if draw(st.booleans()):
            layer["managed_by"] = "atlantis"
            layer["atlantis_project"] = pattern
        else:
            layer["managed_by"] = "github-actions"
        if scope == "per-env" or draw(st.booleans()):
            layer["namespace"] = pattern
        layer["components"] = draw(st.lists(texts, min_size=1, max_size=4))
        layers[f"L{number}"] = layer
    return layers


@st.composite
def variable_maps(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    variables: dict[str, dict[str, Any]] = {
        "environment": {"type": "string", "description": draw(texts)},
        "base_domain": {"type": "string", "description": draw(texts)},
        "internal_domain": {
            "type": "string",
            "required": False,
            "default_from": "base_domain",
            "description": draw(texts),
        },
        "env_prefix": {"type": "string", "description": draw(texts)},
    }
    if draw(st.booleans()):
        variables["env_prefix"]["note"] = draw(texts)
    for name in draw(st.lists(variable_names, max_size=3, unique=True)):
        variable: dict[str, Any] = {
            "type": draw(st.sampled_from(sorted(_VALUES))),
            "description": draw(texts),
            "required": draw(st.booleans()),
        }
        kind = draw(st.sampled_from(["plain", "plain", "plain", "sensitive", "injected"]))
        if kind != "plain":
            variable[kind] = True
        if draw(st.booleans()):
            variable["note"] = draw(texts)
        variables[name] = variable
    return variables


@st.composite
def environment_maps(draw: st.DrawFn, variables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    names = draw(st.lists(dns_labels, min_size=1, max_size=5, unique=True))
    # Titles must differ; the default one is the name, capitalised. Titles go to mkdocs.yml's nav too.
    titles = draw(st.lists(st.none() | texts, min_size=len(names), max_size=len(names)))
    assume(len({title or name.capitalize() for name, title in zip(names, titles)}) == len(names))
    environments: dict[str, dict[str, Any]] = {}
    for name, title in zip(names, titles):
        env: dict[str, Any] = {}
        if title is not None:
            env["title"] = title
        env["base_domain"] = draw(domains)
        if draw(st.booleans()):
            env["internal_domain"] = draw(domains)
        env["env_prefix"] = draw(st.just("") | dns_labels)
        values = {}
        for var_name, variable in variables.items():
            if var_name in BUILTIN_VARIABLES or variable.get("sensitive"):
                continue
            needed = variable["required"] and not variable.get("injected")
            if needed or draw(st.booleans()):
                values[var_name] = draw(_VALUES[variable["type"]])
        if values:
            env["values"] = values
        environments[name] = env
    return environments


reasons = st.fixed_dictionaries({"title": texts, "detail": texts})
trade_offs = st.fixed_dictionaries({"risk": texts}, optional={"mitigations": st.lists(texts, max_size=2)})
decisions = st.fixed_dictionaries(
    {"title": texts, "decision": texts},
    optional={"rationale": st.lists(reasons, max_size=2), "trade_offs": st.lists(trade_offs, max_size=2)},
)


@st.composite
def ssot_documents(draw: st.DrawFn) -> dict[str, Any]:
    variables = draw(variable_maps())
    return {
        "layers": draw(layer_maps()),
        "isolation": {"shared": draw(texts), "per_env": draw(texts)},
        "environments": draw(environment_maps(variables)),
        "variables": variables,
        "decisions": draw(st.lists(decisions, max_size=2)),
    }


def dump(document: dict[str, Any]) -> str:
    # safe_dump quotes every string YAML 1.1 would read as something else (`no`, `1.10`, `010`).
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


ssot_texts = ssot_documents().map(dump)


def valid(text: str) -> Ssot:
    """The model, or hypothesis discards the example (the strategy aims for nearly all valid)."""
    try:
        return load_ssot(text, SSOT)
    except SsotError as exc:
        assume(False)
        raise AssertionError("unreachable") from exc


# -- running the CLI in-process on a private repository copy --


@contextlib.contextmanager
def repository_with(ssot: str | bytes) -> Iterator[Path]:
    """A temporary copy of the example repository (its pages host blocks) whose ssot/env.yaml is `ssot`."""
    with tempfile.TemporaryDirectory(prefix="ssot-property-") as directory:
        root = copy_repository(Path(directory))
        data = ssot.encode("utf-8") if isinstance(ssot, str) else ssot
        (root / SSOT).write_bytes(data)
        yield root


def ssot_cli(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def build(root: Path) -> Result:
    return ssot_cli("build", "--root", str(root))


def check(root: Path) -> Result:
    return ssot_cli("check", "--root", str(root))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def named(result: Result) -> set[str]:
    """The files a text report blames (its finding lines start with `path:` or `path:line:`)."""
    blamed = set()
    for line in _ANSI.sub("", result.stdout).splitlines():
        # a file name has a suffix (`run:` has none); diff lines start with one of " -+@"
        match = re.match(r"([\w./-]+\.\w+)(?::\d+)?: ", line)
        if match and not line.startswith((" ", "-", "+", "@")):
            blamed.add(match.group(1))
    return blamed


# -- valid SSOTs: build, check, build again --


@BUILDS
@given(text=ssot_texts)
def test_every_valid_ssot_builds_checks_clean_and_builds_idempotently(text: str) -> None:
    ssot = valid(text)
    with repository_with(text) as root:
        first = build(root)
        assert first.code == 0, f"{first}\n--- ssot/env.yaml\n{text}"
        assert first.stderr == ""
        for env in ssot.environments:
            assert (root / f"envs/{env}.tfvars.example").is_file()
        # Nothing is left of the environments the repository had before (its staging and prod).
        for kind, pattern in (("example", "envs/*.tfvars.example"), ("page", "docs/ssot/environments/*.md")):
            left = {p.name.split(".")[0] for p in root.glob(pattern)}
            assert left == set(ssot.environments), f"{kind}s of {sorted(left - set(ssot.environments))} remain"
        nav = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
        pages = next(item["Environments"] for item in nav if isinstance(item, dict) and "Environments" in item)
        assert pages == [
            {nav_title(env.title or name.capitalize()): f"ssot/environments/{name}.md"}
            for name, env in ssot.environments.items()
        ]
        checked = check(root)
        assert checked.code == 0, f"{checked}\n--- ssot/env.yaml\n{text}"
        before = files(root)

        again = build(root)

        assert again.code == 0, again
        assert again.stdout == "everything is up to date\n", f"{again}\n--- ssot/env.yaml\n{text}"
        assert files(root) == before


# -- edits to a built repository: content is always drift, formatting never is --

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER_CELL = re.compile(r"\s*(:?)-+(:?)\s*")
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@contextlib.contextmanager
def built_repository(text: str) -> Iterator[Path]:
    """A repository copy with `text` as its SSOT, built: every artifact up to date."""
    valid(text)
    with repository_with(text) as root:
        result = build(root)
        assert result.code == 0, f"{result}\n--- ssot/env.yaml\n{text}"
        yield root


def compared_lines(root: Path) -> dict[str, list[int]]:
    """Artifact -> the 0-based indexes of its non-blank lines that `ssot check` compares.

    Every line of a generated file; only the lines inside the blocks of a hand-written file.
    """
    compared = {}
    for artifact in build_plan(root):
        assert artifact.current is not None
        lines = split_lines(artifact.current)
        if artifact.blocks:
            blocks = find_blocks(artifact.current, artifact.path, block_syntax(artifact.path).blocks)
            indexes = [i for block in blocks for i in range(block.begin_line, block.end_line - 1)]
        else:
            indexes = list(range(len(lines)))
        compared[artifact.path] = [i for i in indexes if lines[i].strip()]
    return compared


def _is_table_row(path: str, line: str) -> bool:
    stripped = line.strip()
    return not path.endswith((".yml", ".json", ".svg", ".example")) and stripped.startswith("|") and len(stripped) > 1


def change_content(line: str, path: str, data: st.DataObject) -> str:
    """`line` with one letter inserted, or one letter or digit replaced by a different letter.

    Letters only: a digit could renumber an ordered list (`1.` to `12.`), which Markdown does not see.
    In a table row the change stays between the outer pipes (text after the last pipe is not a cell).
    """
    text = line.rstrip("\r\n")
    ending = line[len(text) :]
    if _is_table_row(path, text):
        lowest, highest = text.index("|") + 1, text.rindex("|")
    else:
        lowest, highest = len(text) - len(text.lstrip()), len(text)
    letter = data.draw(st.sampled_from(_LETTERS), label="letter")
    replaceable = [i for i in range(lowest, highest) if text[i].isascii() and text[i].isalnum()]
    if replaceable and data.draw(st.booleans(), label="replace"):
        at = data.draw(st.sampled_from(replaceable), label="at")
        if text[at] == letter:
            letter = "Q" if letter != "Q" else "q"
        changed = text[:at] + letter + text[at + 1 :]
    else:
        at = data.draw(st.integers(lowest, highest), label="at")
        changed = text[:at] + letter + text[at:]
    assert changed != text
    return changed + ending


@BUILDS
@given(text=ssot_texts, data=st.data())
def test_any_single_content_change_to_any_artifact_is_drift_naming_it(text: str, data: st.DataObject) -> None:
    with built_repository(text) as root:
        compared = compared_lines(root)
        path = data.draw(st.sampled_from(sorted(p for p, lines in compared.items() if lines)), label="artifact")
        artifact = root / path
        lines = split_lines(artifact.read_bytes().decode("utf-8"))
        index = data.draw(st.sampled_from(compared[path]), label="line")
        lines[index] = change_content(lines[index], path, data)
        artifact.write_bytes("".join(lines).encode("utf-8"))
        before = files(root)

        result = check(root)

        changed = f"{path}:{index + 1} now reads {lines[index]!r}\n{result}"
        if result.code == 2 and path.endswith(".tfvars.example"):
            # A tfvars example that is no longer valid tfvars (not HCL, or a value that is no literal) is
            # trouble, not drift (README: exit codes), as a real tfvars file would be: it cannot be scanned
            # for secrets. The problem names the file all the same.
            assert all(line.startswith(f"{path}:") for line in result.stderr.splitlines()), changed
        else:
            assert result.code == 1, changed
            assert named(result) == {path}, changed
            assert "run: ssot build" in result.stdout
        assert files(root) == before, "check wrote something"
        assert build(root).code == 0
        assert check(root).code == 0


def realign_tables(text: str, data: st.DataObject) -> str:
    """Every table row re-padded at random (none to several spaces), every delimiter a random length."""
    out = []
    for line in split_lines(text):
        body = line.rstrip("\r\n")
        ending, stripped = line[len(body) :], body.strip()
        if not (stripped.startswith("|") and stripped.endswith("|") and not stripped.endswith("\\|")):
            out.append(line)
            continue
        cells = _UNESCAPED_PIPE.split(stripped[1:-1])
        delimiters = [_DELIMITER_CELL.fullmatch(cell) for cell in cells]
        padded = []
        for cell, delimiter in zip(cells, delimiters):
            left, right = data.draw(st.integers(0, 3), label="pad"), data.draw(st.integers(0, 3), label="pad")
            if all(delimiters):
                assert delimiter is not None
                width = data.draw(st.integers(1, 12), label="dashes")
                cell = delimiter.group(1) + "-" * width + delimiter.group(2)
            else:
                cell = cell.strip()
                if cell.endswith("\\"):  # `\|` would escape the pipe: keep the space after a backslash
                    right = max(right, 1)
            padded.append(" " * left + cell + " " * right)
        indent = body[: len(body) - len(body.lstrip())]
        out.append(indent + "|" + "|".join(padded) + "|" + ending)
    return "".join(out)


def realign_attributes(text: str, data: st.DataObject) -> str:
    """tfvars `name = value` lines with the spacing around `=` changed, as `terraform fmt` might."""
    out = []
    for line in split_lines(text):
        match = re.fullmatch(r"([A-Za-z_][\w-]*)\s*=\s*(.*\n?)", line)
        if match and not line.startswith("#"):
            before, after = data.draw(st.integers(0, 20), label="pad"), data.draw(st.integers(0, 3), label="pad")
            line = match.group(1) + " " * before + "=" + " " * after + match.group(2)
        out.append(line)
    return "".join(out)


def trailing_spaces(text: str, data: st.DataObject) -> str:
    lines = split_lines(text)
    for index in data.draw(st.lists(st.integers(0, max(len(lines) - 1, 0)), max_size=8), label="lines"):
        if index < len(lines):
            body = lines[index].rstrip("\r\n")
            lines[index] = body + data.draw(st.sampled_from([" ", "  ", "\t", " \t "])) + lines[index][len(body) :]
    return "".join(lines)


def crlf(text: str, data: st.DataObject) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


#: Formatting a tool may change, by the kind of file it changes it in ("" for every kind).
FORMATTERS: dict[str, tuple[str, Callable[[str, st.DataObject], str]]] = {
    "tables": (".md", realign_tables),
    "aligned =": (".tfvars.example", realign_attributes),
    "trailing spaces": ("", trailing_spaces),
    "crlf": ("", crlf),
}


@BUILDS
@given(text=ssot_texts, data=st.data())
def test_formatting_only_changes_are_never_drift(text: str, data: st.DataObject) -> None:
    with built_repository(text) as root:
        paths = sorted(compared_lines(root))
        chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4, unique=True), label="artifacts")
        done = []
        for path in chosen:
            artifact = root / path
            original = artifact.read_bytes().decode("utf-8")
            reformatted = original
            kinds = sorted(name for name, (suffix, _) in FORMATTERS.items() if path.endswith(suffix))
            for name in data.draw(st.lists(st.sampled_from(kinds), min_size=1, unique=True), label="formatting"):
                reformatted = FORMATTERS[name][1](reformatted, data)
                done.append(f"{path}: {name}")
            artifact.write_bytes(reformatted.encode("utf-8"))

        result = check(root)

        assert result.code == 0, "\n".join([*done, str(result)])
        assert result.stdout.startswith("ok"), result


# -- broken input: a model or a located problem, never a crash --

_YAML_NOISE = " \n\t:-[]{}&*!|>'\"#%@`,?~=<.0123456789abcLnoyes\ufeff\x00é"


@st.composite
def damaged_ssots(draw: st.DrawFn) -> str:
    """A valid SSOT (the example repository's, or a random one) with a few random edits."""
    text: str = draw(st.just((FIXTURE_REPO / SSOT).read_text(encoding="utf-8")) | ssot_texts)
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        at = draw(st.integers(0, len(text)))
        line = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "duplicate line", "drop line", "indent line"]))
        if edit == "insert":
            text = text[:at] + draw(st.text(_YAML_NOISE, min_size=1, max_size=6)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif edit == "replace":
            text = text[:at] + draw(st.text(_YAML_NOISE, min_size=1, max_size=3)) + text[at + 1 :]
        elif edit == "duplicate line":
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        elif edit == "drop line":
            del lines[line]
            text = "\n".join(lines)
        else:
            lines[line] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[line]
            text = "\n".join(lines)
    return text


any_text = st.text() | st.binary().map(lambda data: data.decode("latin-1")) | damaged_ssots()


@EXAMPLES
@given(text=any_text)
def test_the_loader_returns_a_model_or_raises_located_problems(text: str) -> None:
    try:
        model = load_ssot(text, SSOT)
    except SsotError as exc:
        assert exc.problems, "an SsotError must carry at least one problem"
        assert all(problem.file == SSOT and problem.message for problem in exc.problems), exc.problems
    else:
        assert isinstance(model, Ssot)


@EXAMPLES
@given(data=st.binary() | damaged_ssots().map(lambda text: text.encode("utf-8", errors="surrogatepass")))
def test_no_input_reaches_the_internal_error_exit(data: bytes) -> None:
    with repository_with(data) as root:
        checked = check(root)
        assert checked.code in (0, 1, 2), checked
        assert "internal error" not in checked.stderr and "Traceback" not in checked.stderr, checked
        if checked.code == 2:
            assert checked.stderr.startswith(SSOT), checked
            return
        # A damaged SSOT that is still valid: it must build, and then agree with every artifact.
        built = build(root)
        assert built.code == 0, built
        assert check(root).code == 0


# -- secrets: whatever artifact a secret is pasted into, no output shows it --

SECRETS = (fake_secrets.GITHUB_TOKEN, fake_secrets.SLACK_TOKEN, fake_secrets.AWS_KEY_ID, fake_secrets.DATABASE_URL)


@BUILDS
@given(text=ssot_texts, data=st.data())
def test_a_secret_pasted_into_any_artifact_is_never_printed(text: str, data: st.DataObject) -> None:
    secret = data.draw(st.sampled_from(SECRETS), label="secret")
    with built_repository(text) as root:
        compared = compared_lines(root)
        path = data.draw(st.sampled_from(sorted(p for p, lines in compared.items() if lines)), label="artifact")
        artifact = root / path
        lines = split_lines(artifact.read_bytes().decode("utf-8"))
        index = data.draw(st.sampled_from(compared[path]), label="line")
        line = lines[index].rstrip("\r\n")
        at = data.draw(st.integers(len(line) - len(line.lstrip()), len(line)), label="at")
        # pasted as a word of its own (a token glued inside another word is no token any scanner knows)
        lines[index] = f"{line[:at]} {secret} {line[at:]}" + lines[index][len(line) :]
        artifact.write_bytes("".join(lines).encode("utf-8"))

        for output in ("text", "json", "github"):
            result = ssot_cli("check", "--root", str(root), "--format", output)
            where = f"{path}:{index + 1} with a secret, --format {output}\n{result}"
            assert result.code in (0, 1, 2), where  # 0: pasted where nothing is compared (after a row's last pipe)
            assert secret not in result.stdout + result.stderr, where
