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
from compiler.formats import hcl
from compiler.formats.hcl import parse_tfvars, parse_variables
from compiler.io import files
from compiler.io.files import read_text

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
    monkeypatch.setattr(files, "MAX_READ_BYTES", 1 << 20)
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
    depth = hcl.MAX_NESTING
    attributes = parse_tfvars("x = " + "[" * depth + "]" * depth + "\n", "a.tfvars")
    value = attributes["x"][1]
    for _ in range(depth - 1):
        (value,) = value
    assert value == []


def test_nesting_inside_an_interpolation_is_trouble_not_a_recursion_error() -> None:
    text = 'x = "${' + "[" * 400 + "]" * 400 + '}"\n'
    assert "nested more than 64 levels deep" in _hcl_problem(parse_tfvars, text, "a.tfvars")


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
        (parse_tfvars, hcl.MAX_TFVARS_BYTES, "a tfvars file", "invalid-tfvars"),
        (parse_variables, hcl.MAX_TERRAFORM_BYTES, "a .tf file", "invalid-terraform"),
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
