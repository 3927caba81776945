"""Hostile input is trouble (exit 2, naming the file and line), never a hang or a bug (exit 3).

Special files at input paths, byte and nesting budgets for HCL, and the command line's endings: a reader
that goes away (`ssot check | head -1`), Ctrl-C, and `--format json` printing a document for every exit
code. The corpus (tests/corpus/26x-28x) runs the same inputs through whole repositories; these tests pin
each guard down where it lives.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli, edit

from compiler import codes
from compiler.app import cli
from compiler.errors import SsotError
from compiler.formats import hcl_budget, strict_yaml, yaml_budgets
from compiler.formats.hcl import parse_tfvars, parse_variables
from compiler.io import disk
from compiler.io.disk import read_text

# --- only regular files are read --------------------------------------------------------------------------


def _read_within(seconds: float, read: Callable[[], object]) -> object:
    """`read()`, failing the test (instead of hanging it) if it blocks."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(read())
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading blocked"
    return outcome[0]


def _refusal(outcome: object) -> str:
    assert isinstance(outcome, SsotError), outcome
    (problem,) = outcome.problems
    assert problem.code == codes.SPECIAL_FILE, problem
    return str(problem)


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "env.yaml"
    os.mkfifo(fifo)
    shown = _refusal(_read_within(5, lambda: read_text(fifo, "ssot/env.yaml")))
    assert (
        shown
        == "ssot/env.yaml: cannot read: it is a FIFO (named pipe), not a regular file; ssot reads only regular files"
    )


def test_a_directory_and_a_device_are_refused(tmp_path: Path) -> None:
    assert "it is a directory" in _refusal(_read_within(5, lambda: read_text(tmp_path, "docs/index.md")))
    assert "it is a character device" in _refusal(_read_within(5, lambda: read_text(Path(os.devnull), "x.tf")))


def test_a_fifo_swapped_in_after_the_first_look_is_refused_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the status and the open, a regular file may become a FIFO: the open does not block and the
    open file's own status refuses it."""
    regular = tmp_path / "regular"
    regular.write_text("x\n", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(Path, "stat", lambda self, **_: os.stat(regular))
    assert "FIFO" in _refusal(_read_within(5, lambda: read_text(fifo, "envs/staging.tfvars")))


def test_a_missing_file_reads_as_none_and_a_regular_one_as_its_text(tmp_path: Path) -> None:
    assert read_text(tmp_path / "missing", "missing") is None
    (tmp_path / "a.md").write_bytes("héllo\n".encode())
    assert read_text(tmp_path / "a.md", "a.md") == "héllo\n"


def test_a_file_past_the_read_budget_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disk, "MAX_READ_BYTES", 1 << 20)
    (tmp_path / "big.md").write_bytes(b"x" * ((1 << 20) + 1))
    with pytest.raises(SsotError) as info:
        read_text(tmp_path / "big.md", "docs/big.md")
    (problem,) = info.value.problems
    assert problem.code == codes.IO_ERROR
    assert str(problem) == "docs/big.md: is larger than 1 MiB; refusing to read it (ssot reads hand-written text)"
    (tmp_path / "fits.md").write_bytes(b"x" * (1 << 20))
    assert read_text(tmp_path / "fits.md", "docs/fits.md") == "x" * (1 << 20)


# --- HCL budgets ------------------------------------------------------------------------------------------


def _hcl_problem(parse: Callable[[str, str], object], text: str, filename: str) -> str:
    with pytest.raises(SsotError) as info:
        parse(text, filename)
    (problem,) = info.value.problems
    return f"{problem}, {problem.code}"


def test_a_tfvars_value_nested_3000_deep_is_trouble_at_its_line() -> None:
    text = 'environment = "staging"\nnested = ' + "[" * 3000 + "]" * 3000 + "\n"
    assert _hcl_problem(parse_tfvars, text, "envs/staging.tfvars") == (
        "envs/staging.tfvars:2: nested more than 64 levels deep (brackets, braces, parentheses); refusing to "
        "read it, invalid-tfvars"
    )


def test_a_terraform_default_nested_too_deep_is_trouble_at_its_line() -> None:
    text = 'variable "x" {\n  default = ' + "{ a = " * 200 + "1" + " }" * 200 + "\n}\n"
    assert _hcl_problem(parse_variables, text, "main.tf").startswith("main.tf:2: nested more than 64 levels deep")
    assert _hcl_problem(parse_variables, text, "main.tf").endswith(", invalid-terraform")


def test_nesting_up_to_the_budget_parses() -> None:
    depth = hcl_budget.MAX_NESTING
    attributes = parse_tfvars("x = " + "[" * depth + "]" * depth + "\n", "a.tfvars")
    value = attributes["x"][1]
    for _ in range(depth - 1):
        (value,) = value
    assert value == []


def test_nesting_inside_an_interpolation_is_trouble_not_a_recursion_error() -> None:
    for depth in (400, 3000):
        text = 'x = "${' + "[" * depth + "]" * depth + '}"\n'
        assert "is not a literal" in _hcl_problem(parse_tfvars, text, "a.tfvars")


@pytest.mark.parametrize(
    "text",
    [
        'x = "' + "[" * 200 + '"\n',
        "# " + "{" * 200 + "\nx = 1\n",
        "/* " + "(" * 200 + " */\nx = 1\n",
        "x = <<EOT\n" + "[" * 200 + "\nEOT\n",
    ],
    ids=["string", "comment", "block-comment", "heredoc"],
)
def test_brackets_in_strings_comments_and_heredocs_are_text(text: str) -> None:
    assert "x" in parse_tfvars(text, "a.tfvars")


@pytest.mark.parametrize(
    ("parse", "budget", "kind", "code"),
    [
        (parse_tfvars, hcl_budget.MAX_TFVARS_BYTES, "a tfvars file", "invalid-tfvars"),
        (parse_variables, hcl_budget.MAX_TERRAFORM_BYTES, "a .tf file", "invalid-terraform"),
    ],
)
def test_an_hcl_file_past_its_byte_budget_is_refused_unparsed(
    parse: Callable[[str, str], object], budget: int, kind: str, code: str
) -> None:
    text = "# " + "x" * budget + "\n"
    assert _hcl_problem(parse, text, "f") == (
        f"f: is {len(text) / (1 << 20):.1f} MiB; {kind} may hold at most {budget >> 20} MiB: is it the right file?, {code}"
    )


def test_unclosed_comments_and_heredocs_keep_the_nesting_scan_linear() -> None:
    # Quadratic scanning would take minutes here; each unclosed opener runs to the end once.
    for text in ("/*" * 300_000, "<<a\n" * 200_000):
        with pytest.raises(SsotError, match="not valid HCL"):
            parse_tfvars(text, "a.tfvars")


# --- a reader that goes away, Ctrl-C ----------------------------------------------------------------------


class _ClosedPipe(io.TextIOBase):
    """A stdout whose reader has gone (`| head -1` after its line)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def _main_into_a_closed_pipe(*args: str | os.PathLike[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(_ClosedPipe()), contextlib.redirect_stderr(err):
        code = cli.main([os.fspath(a) for a in args])
    return code, err.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_closed_pipe_keeps_the_exit_code_of_drift(repo: Path, fmt: str) -> None:
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"x-stage"')
    code, err = _main_into_a_closed_pipe("check", "--root", repo, "--format", fmt)
    assert (code, err) == (1, "")


def test_a_closed_pipe_keeps_the_exit_code_of_ok_and_of_a_build(repo: Path) -> None:
    assert _main_into_a_closed_pipe("check", "--root", repo) == (0, "")
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"x-stage"')
    assert _main_into_a_closed_pipe("build", "--root", repo) == (0, "")
    assert '"x-staging"' in (repo / "envs/staging.tfvars.example").read_text(encoding="utf-8"), "the build was done"
    assert _main_into_a_closed_pipe("--help") == (0, "")


def test_ssot_check_piped_into_a_closed_reader_exits_1_quietly(repo: Path) -> None:
    """The real process: its stdout is a pipe nobody reads any more (`ssot check | head -0`)."""
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"x-stage"')
    for fmt in ("text", "json"):
        process = subprocess.Popen(
            [sys.executable, "-m", "compiler", "check", "--root", str(repo), "--format", fmt],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        err = process.stderr.read().decode("utf-8")
        assert process.wait(timeout=120) == 1, err
        assert err == ""


def _interrupt(*_: object) -> object:
    raise KeyboardInterrupt


@pytest.mark.parametrize("command", ["check", "build"])
def test_ctrl_c_ends_quietly_with_130(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr(cli, "check_repository", _interrupt)
    monkeypatch.setattr(cli, "build", _interrupt)
    result = run_cli(command, "--root", repo)
    assert (result.code, result.stdout, result.stderr) == (130, "", "ssot: interrupted (Ctrl-C)\n")


def test_ctrl_c_with_json_prints_a_document(repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "check_repository", _interrupt)
    result = run_cli("check", "--root", repo, "--format", "json")
    assert result.code == 130, result
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert [(f["code"], f["message"]) for f in document["findings"]] == [("interrupted", "interrupted (Ctrl-C)")]


# --- --format json: a document for every exit code -------------------------------------------------------


def _document(stdout: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(stdout)
    assert document["ok"] is False
    return document


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("check", "--format", "json", "--frob"), "unrecognized arguments: --frob"),
        (("check", "--format=json", "--root"), "argument --root: expected one argument"),
        (("check", "--form", "json", "extra"), "unrecognized arguments: extra"),
    ],
)
def test_json_on_a_usage_error_is_a_document_and_the_usage_goes_to_stderr(
    run_cli: RunCli, args: tuple[str, ...], said: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2, result
    (finding,) = _document(result.stdout)["findings"]
    assert finding["code"] == "invalid-input" and said in finding["message"], finding
    assert result.stderr.startswith("usage: ssot"), result


def test_json_for_a_root_that_does_not_exist(run_cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    result = run_cli("check", "--root", missing, "--format", "json")
    assert result.code == 2, result
    (finding,) = _document(result.stdout)["findings"]
    assert (finding["code"], finding["file"]) == ("invalid-input", str(missing))
    assert "not a directory" in finding["message"]


def test_json_for_an_internal_error(repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(root: Path) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "check_repository", broken)
    result = run_cli("check", "--root", repo, "--format", "json")
    assert result.code == 3, result
    document = _document(result.stdout)
    assert document["findings"] == []
    assert "internal error: RuntimeError('boom')" in str(document["error"]) and "--debug" in str(document["error"])
    assert "internal error" in result.stderr


def test_github_annotates_a_usage_error_and_an_internal_error(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_cli("check", "--format", "github", "--frob")
    assert result.code == 2 and "::error title=ssot invalid-input::usage error:" in result.stdout, result

    monkeypatch.setattr(cli, "check_repository", lambda root: 1 / 0)
    result = run_cli("check", "--root", repo, "--format", "github")
    assert result.code == 3 and "::error title=ssot internal error::internal error:" in result.stdout, result


# --- ssot init reads under the SSOT's budgets -------------------------------------------------------------

#: 500 bytes that expand to 10**8 values: each line ten times the one above it
ALIAS_BOMB = "version: 3\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefg", "bcdefgh", strict=True)
)


def _init_refusal(root: Path) -> str:
    """What `ssot init` says when it refuses `root` (one line), having written nothing."""
    from compiler.app.init import init

    with pytest.raises(SsotError) as info:
        init(root)
    assert not (root / "ssot").exists(), "ssot init wrote something although it refused"
    (problem,) = info.value.problems
    return str(problem)


def test_init_refuses_an_atlantis_yaml_nested_20000_deep(tmp_path: Path) -> None:
    (tmp_path / "atlantis.yaml").write_text("version: 3\nprojects:\n- dir: a\n  name: " + "[" * 20_000 + "]" * 20_000)
    assert re.fullmatch(r"atlantis\.yaml:4:\d+: YAML nesting is too deep", _init_refusal(tmp_path))


def test_init_refuses_an_atlantis_yaml_nested_past_the_budget_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "atlantis.yaml").write_text("version: 3\nprojects:\n- dir: a\n  name: " + "[" * 100 + "]" * 100)
    assert _init_refusal(tmp_path).startswith("atlantis.yaml:4:")
    assert _init_refusal(tmp_path).endswith("nested more than 64 levels deep; refusing to load")


def test_init_refuses_an_alias_bomb_as_a_project_name_where_aliases_multiply(tmp_path: Path) -> None:
    (tmp_path / "atlantis.yaml").write_text(ALIAS_BOMB + "projects:\n- dir: a\n  name: *h\n")
    assert _init_refusal(tmp_path) == (
        "atlantis.yaml:6:4: expands to more than 100000 values through aliases; refusing to load"
    )


def test_init_refuses_an_atlantis_yaml_of_20000_workspaces(tmp_path: Path) -> None:
    projects = "".join(f"- dir: infra/app\n  workspace: w{i}\n" for i in range(20_000))
    (tmp_path / "atlantis.yaml").write_text("version: 3\nprojects:\n" + projects)
    assert _init_refusal(tmp_path) == "atlantis.yaml:3:1: holds more than 100000 values; refusing to load"


def test_init_refuses_an_atlantis_yaml_past_the_size_budget_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strict_yaml, "MAX_BYTES", 1 << 20)
    (tmp_path / "atlantis.yaml").write_text("projects:\n- dir: a\n" + "# padding\n" * 120_000)
    assert _init_refusal(tmp_path) == (
        "atlantis.yaml: is 1.1 MiB; a YAML file here may hold at most 1 MiB (a hand-written one is a few KiB): "
        "is it the right file?"
    )


def test_init_lists_for_review_a_value_yaml_types_but_cannot_build(tmp_path: Path) -> None:
    """No budget is exceeded, the file is only unreadable: issue 20 asks init to go on and list it."""
    from compiler.app.init import draft_repository

    (tmp_path / "atlantis.yaml").write_text("projects:\n- dir: a\n  terraform_version: 2020-02-30\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a/main.tf").write_text("")
    review = draft_repository(tmp_path).review
    assert any(line.startswith("atlantis.yaml could not be read: ") for line in review), review


def test_init_refuses_a_draft_past_the_budgets_as_trouble_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compiler.app import init as init_module

    real_draft = init_module.draft

    def draft_then_lower_the_budget(inputs: Any) -> Any:
        # atlantis.yaml was read within the budget; the draft it gives is past it (it grows with what it read)
        monkeypatch.setattr(yaml_budgets, "MAX_NODES", 10)
        return real_draft(inputs)

    monkeypatch.setattr(init_module, "draft", draft_then_lower_the_budget)
    (tmp_path / "atlantis.yaml").write_text("projects:\n- dir: infra/app\n  workspace: staging\n")
    refusal = _init_refusal(tmp_path)
    assert refusal.startswith("ssot/env.yaml: the draft would be too big to load (holds more than 10 values"), refusal
    assert refusal.endswith("nothing was written")


@pytest.mark.parametrize(
    ("path", "budget", "kind"),
    [
        ("infra/app/main.tf", "MAX_TERRAFORM_BYTES", "a .tf file"),
        ("envs/staging.tfvars.example", "MAX_TFVARS_BYTES", "a tfvars file"),
    ],
)
def test_init_refuses_hcl_past_its_size_budget_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, budget: str, kind: str
) -> None:
    monkeypatch.setattr(hcl_budget, budget, 1 << 20)
    (tmp_path / "infra/app").mkdir(parents=True)
    (tmp_path / "infra/app/main.tf").write_text('variable "replicas" {\n  type = number\n}\n')
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text("# padding\n" * 120_000)
    assert _init_refusal(tmp_path) == f"{path}: is 1.1 MiB; {kind} may hold at most 1 MiB: is it the right file?"


# --- the YAML readers' budgets, and values YAML types but Python cannot build --------------------------------


def test_load_data_reads_plain_yaml_and_an_empty_file_as_none() -> None:
    assert strict_yaml.load_data("projects:\n- {dir: a, name: 'no'}\nx: no\n", "a.yaml") == {
        "projects": [{"dir": "a", "name": "no"}],
        "x": False,  # none of the SSOT's strictness: atlantis.yaml's spelling is Atlantis' business
    }
    assert strict_yaml.load_data("# nothing\n", "a.yaml") is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: !foo x\n", "a.yaml:1:4: cannot be read: could not determine a constructor for the tag '!foo'"),
        ("a: [\n", "a.yaml:2:1: YAML syntax error:"),
        ("a: &x [*x]\n", "a.yaml:1:4: an alias refers to a collection that contains it"),
    ],
    ids=["unknown-tag", "syntax", "recursive-alias"],
)
def test_load_data_refuses_what_it_cannot_read_at_its_line(text: str, said: str) -> None:
    with pytest.raises(SsotError) as info:
        strict_yaml.load_data(text, "a.yaml")
    assert str(info.value).startswith(said), info.value


@pytest.mark.parametrize(
    ("value", "kind"),
    [("9" * 5000, "number"), ("2020-02-30", "date"), ("2020-01-01 25:00:00", "date")],
    ids=["5000-digits", "february-30", "hour-25"],
)
def test_a_value_yaml_types_but_python_cannot_build_is_trouble_at_its_line(value: str, kind: str) -> None:
    with pytest.raises(SsotError) as info:
        strict_yaml.load_data(f"x: 1\ny: {value}\n", "a.yaml")
    assert str(info.value) == (
        f"a.yaml:2:4: YAML reads this as a {kind} that cannot be built (no such date, or too many digits); "
        "quote it if you mean text"
    )
    # the SSOT's reader says so too (or, for a date, what it says of every date), with the rest of the file
    with pytest.raises(SsotError) as info:
        strict_yaml.load_yaml(f"x: 1\ny: {value}\nz: no\n", "a.yaml")
    messages = [str(problem) for problem in info.value.problems]
    assert messages[0].startswith("a.yaml:2:4: ") and messages[1].startswith("a.yaml:3:4: 'no' is read"), messages


def test_a_yaml11_number_too_long_to_show_is_reported_without_it() -> None:
    loaded = strict_yaml.load_yaml("y: 0x" + "f" * 5000 + "\n", "a.yaml")
    (problem,) = loaded.problems
    assert "is read by YAML 1.1 as a number too long to show; quote it" in problem.message, problem
    assert loaded.data == {"y": 16**5000 - 1}


def test_over_budget_names_a_budget_and_ignores_a_syntax_error() -> None:
    many = "".join(f"k{i}: v\n" for i in range(60_000))
    problem = strict_yaml.over_budget(many, "d.yaml")
    assert problem is not None and problem.message == "holds more than 100000 values; refusing to load"
    assert strict_yaml.over_budget("a: [\n", "d.yaml") is None
    assert strict_yaml.over_budget("a: 1\n", "d.yaml") is None


def test_compose_yaml_gives_nodes_where_written_under_the_same_budgets() -> None:
    node = strict_yaml.compose_yaml("version: 3\nprojects:\n- dir: a\n", "atlantis.yaml")
    assert node is not None and node.value[1][1].start_mark.line == 2
    with pytest.raises(SsotError, match=r"^atlantis.yaml:6:4: expands to more than 100000 values through aliases"):
        strict_yaml.compose_yaml(ALIAS_BOMB, "atlantis.yaml")
    with pytest.raises(SsotError, match=r"^atlantis.yaml:1:\d+: YAML nesting is too deep$"):
        strict_yaml.compose_yaml("a: " + "[" * 20_000, "atlantis.yaml")
