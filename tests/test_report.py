"""`ssot check --format text|json|github`: one set of findings, three audiences.

Through the real CLI on a repository copy: the JSON document programs parse, the workflow commands GitHub
turns into annotations, and the grouped (and only on a terminal, coloured) text people read. The escaping
functions are also tested directly, for inputs no repository produces.
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_REPO, RunCli, edit, line_of

from compiler.app.report import GithubReporter, TextReporter, _escape_data, _escape_property
from compiler.findings import Finding

README = "envs/README.md"
PAGE = "docs/ssot/env.md"
STAGING_EXAMPLE = "envs/staging.tfvars.example"
SSOT = "ssot/env.yaml"

KEYS = {"code", "file", "line", "col", "message", "expected", "found", "fix", "diff", "source"}
ESC = "\x1b["
CELL_MESSAGE = (
    "table 'layers', row 'L2', column 'Managed By': expected 'Atlantis (`platform`)', found 'Atlantis (`apps`)'"
)


def _source(needle: str, value: str, path: str) -> tuple[int, int, str]:
    """Where the fixture's SSOT writes `value` on the line holding `needle`: (line, column, key path)."""
    text = (FIXTURE_REPO / SSOT).read_text(encoding="utf-8")
    line = line_of(text, needle)
    return line, text.split("\n")[line - 1].index(value) + 1, path


def _comes_from(where: tuple[int, int, str], program: str = "ssot") -> str:
    line, col, path = where
    return f"; it comes from {SSOT}:{line}:{col} ({path}): change it there, or run {program} build to restore it"


CELL_SOURCE = _source("    atlantis_project: platform", "platform", "layers.L2.atlantis_project")
ISOLATION_SOURCE = _source("  shared: single instance", "single instance", "isolation.shared")
PREFIX_SOURCE = _source("    env_prefix: x-staging", "x-staging", "environments.staging.env_prefix")
#: the table-cell finding of `_drift`, as every format says it
CELL_SAID = CELL_MESSAGE + _comes_from(CELL_SOURCE)


def _text(repo: Path, path: str) -> str:
    return (repo / path).read_text(encoding="utf-8")


def _drift(repo: Path) -> dict[str, int]:
    """Four findings in three files; returns the line of each finding by code."""
    edit(repo / README, "Atlantis (`platform`)", "Atlantis (`apps`)")
    edit(repo / README, "single instance shared by all envs", "one instance shared by all envs")
    edit(repo / STAGING_EXAMPLE, '"x-staging"', '"x-stage"')
    (repo / PAGE).unlink()
    return {
        "missing-artifact": 0,
        "table-cell": line_of(_text(repo, README), "Atlantis (`apps`)"),
        "text-drift": line_of(_text(repo, README), "one instance shared"),
        "tfvars-example-value": line_of(_text(repo, STAGING_EXAMPLE), '"x-stage"'),
    }


def _break_marker(repo: Path) -> dict[str, object]:
    begin = line_of(_text(repo, README), "<!-- ssot:begin layers -->")
    isolation = line_of(_text(repo, README), "<!-- ssot:begin isolation -->") - 1  # one line fewer after the edit
    edit(repo / README, "<!-- ssot:end layers -->\n", "")
    return {
        "code": "broken-marker",
        "file": README,
        "line": begin,
        "message": f"block 'layers' has no end marker before block 'isolation' begins at line {isolation} "
        "(blocks cannot nest); add <!-- ssot:end layers -->",
    }


def _invalidate_ssot(repo: Path) -> dict[str, object]:
    edit(repo / SSOT, "    scope: shared\n    managed_by: atlantis", "    scope: global\n    managed_by: atlantis")
    return {"code": "invalid-ssot", "file": SSOT, "line": line_of(_text(repo, SSOT), "scope: global")}


TROUBLE = {"broken-marker": _break_marker, "invalid-ssot": _invalidate_ssot}


def _run(*args: str | os.PathLike[str], env: dict[str, str], tty: bool = False) -> tuple[int, str]:
    """The CLI with colour variables under the test's control (run_cli always sets NO_COLOR).

    With `tty`, stdout is a pseudo-terminal, as in an interactive shell.
    """
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"PYTHONUTF8": "1", "TERM": "xterm-256color", **env})
    argv = [sys.executable, "-m", "compiler", *map(os.fspath, args)]
    if not tty:
        done = subprocess.run(argv, capture_output=True, text=True, env=environment, timeout=120, check=False)
        return done.returncode, done.stdout
    controller, terminal = pty.openpty()
    with subprocess.Popen(argv, stdout=terminal, stderr=subprocess.DEVNULL, env=environment) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=120)
    os.close(controller)
    return code, b"".join(chunks).decode("utf-8")


# --- json ----------------------------------------------------------------------------------------------


def test_json_without_drift_is_ok_and_empty(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--root", repo, "--format", "json")

    assert result.code == 0, result
    assert json.loads(result.stdout) == {"ok": True, "findings": []}
    assert result.stderr == ""


def test_json_with_drift_lists_every_finding_with_every_key_ordered_by_file_then_line(
    repo: Path, run_cli: RunCli
) -> None:
    lines = _drift(repo)

    result = run_cli("check", "--root", repo, "--format", "json")

    assert result.code == 1, result
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {"ok", "findings"}
    assert document["ok"] is False
    findings = document["findings"]
    for finding in findings:
        assert set(finding) == KEYS, finding
        assert finding["fix"] == "run: ssot build"
    assert [(f["file"], f["line"], f["code"]) for f in findings] == [
        (PAGE, 0, "missing-artifact"),
        (README, lines["table-cell"], "table-cell"),
        (README, lines["text-drift"], "text-drift"),
        (STAGING_EXAMPLE, lines["tfvars-example-value"], "tfvars-example-value"),
    ]
    missing, cell, text, value = findings
    assert missing == {
        "code": "missing-artifact",
        "file": PAGE,
        "line": 0,
        "message": "missing; it is generated from ssot/env.yaml",
        "expected": None,
        "found": None,
        "fix": "run: ssot build",
        "diff": None,
        "col": None,
        "source": None,
    }
    line, col, path = CELL_SOURCE
    assert cell == {
        "code": "table-cell",
        "file": README,
        "line": lines["table-cell"],
        "col": None,
        "message": CELL_SAID,
        "expected": "Atlantis (`platform`)",
        "found": "Atlantis (`apps`)",
        "fix": "run: ssot build",
        "diff": None,
        "source": {"file": SSOT, "line": line, "col": col, "path": path},
    }
    assert text["source"]["path"] == "isolation.shared"
    assert value["source"] == dict(zip(("line", "col", "path"), PREFIX_SOURCE), file=SSOT)
    assert text["diff"].startswith(f"--- {README} (current)\n+++ {README} (expected)\n")
    assert "\n-- **Shared layers (L1/L2)**: one instance shared by all envs (single VPS MVP).\n" in text["diff"]
    assert (text["expected"], text["found"]) == (None, None)
    assert (value["expected"], value["found"]) == ('"x-staging"', '"x-stage"')


@pytest.mark.parametrize("trouble", TROUBLE)
def test_json_on_trouble_is_still_a_document_naming_the_problem(repo: Path, run_cli: RunCli, trouble: str) -> None:
    expected = TROUBLE[trouble](repo)

    result = run_cli("check", "--root", repo, "--format", "json")

    assert result.code == 2, result
    document = json.loads(result.stdout)
    assert document["ok"] is False
    (problem,) = document["findings"]
    assert set(problem) == KEYS
    assert {key: problem[key] for key in expected} == expected
    if trouble == "invalid-ssot":
        assert "layers.L2.scope" in problem["message"] and "'global'" in problem["message"], problem
        assert problem["col"] == _column(repo, expected) and "(column" not in problem["message"], problem


# --- github --------------------------------------------------------------------------------------------


def _annotations(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("::")]


def test_github_prints_one_error_command_per_finding(repo: Path, run_cli: RunCli) -> None:
    lines = _drift(repo)

    result = run_cli("check", "--root", repo, "--format", "github")

    assert result.code == 1, result
    annotations = _annotations(result.stdout)
    assert len(annotations) == 4, result
    assert all(line.startswith("::error file=") for line in annotations), result
    missing, cell, text, value = annotations
    # line 0: no line property at all
    assert missing == (
        f"::error file={PAGE},title=ssot missing-artifact::missing; it is generated from ssot/env.yaml"
        "%0Arun: ssot build"
    )
    assert cell == (
        f"::error file={README},line={lines['table-cell']},title=ssot table-cell::{CELL_SAID}%0Arun: ssot build"
    )
    assert text.startswith(
        f"::error file={README},line={lines['text-drift']},title=ssot text-drift::"
        "text in block 'isolation' differs from what ssot/env.yaml generates"
        + _comes_from(ISOLATION_SOURCE)
        + f"%0A--- {README} (current)%0A+++ {README} (expected)%0A"
    ), text
    assert value == (
        f"::error file={STAGING_EXAMPLE},line={lines['tfvars-example-value']},title=ssot tfvars-example-value::"
        '\'env_prefix\': expected "x-staging", found "x-stage"' + _comes_from(PREFIX_SOURCE) + "%0Arun: ssot build"
    )


def test_github_escapes_percent_cr_and_lf_in_messages(repo: Path, run_cli: RunCli) -> None:
    edit(repo / README, "| Vault, Dashboard, Kubero, Casdoor ", "| Vault: 100%, Dashboard ")
    edit(repo / README, "single instance shared", "one\rinstance shared")

    result = run_cli("check", "--root", repo, "--format", "github")

    assert result.code == 1, result
    # a CR or LF left in a message would split its command over several lines
    *commands, summary = result.stdout.splitlines()
    assert len(commands) == 2 and all(line.startswith("::error file=") for line in commands), result
    assert summary.startswith("2 findings"), result
    cell, text = _annotations(result.stdout)
    assert cell.endswith(
        "::table 'layers', row 'L2', column 'Description': "
        "expected 'Vault, Dashboard, Kubero, Casdoor', found 'Vault: 100%25, Dashboard'"
        + _comes_from(_source("    components: [Vault", "components", "layers.L2.components"))
        + "%0Arun: ssot build"
    ), cell
    assert "%0A-- **Shared layers (L1/L2)**: one%0Dinstance shared by all envs" in text, text


def test_github_escapes_colon_and_comma_in_the_file_property(repo: Path, run_cli: RunCli) -> None:
    host = "docs/notes,v1:draft.md"
    (repo / host).write_text(
        _text(repo, "docs/index.md").replace("| GitHub Actions          |", "| GitLab CI               |"),
        encoding="utf-8",
    )
    line = line_of(_text(repo, host), "GitLab CI")

    result = run_cli("check", "--root", repo, "--format", "github")
    document = json.loads(run_cli("check", "--root", repo, "--format", "json").stdout)

    assert result.code == 1, result
    assert _annotations(result.stdout) == [
        f"::error file=docs/notes%2Cv1%3Adraft.md,line={line},title=ssot table-cell::"
        + "table 'layers', row 'L1', column 'Managed By': expected 'GitHub Actions', found 'GitLab CI'"
        + _comes_from(_source("    managed_by: github-actions", "github-actions", "layers.L1.managed_by"))
        + "%0Arun: ssot build"
    ]
    assert [f["file"] for f in document["findings"]] == [host], "JSON keeps the path as it is"


@pytest.mark.parametrize("trouble", TROUBLE)
def test_github_reports_trouble_as_an_error_command(repo: Path, run_cli: RunCli, trouble: str) -> None:
    expected = TROUBLE[trouble](repo)

    result = run_cli("check", "--root", repo, "--format", "github")

    assert result.code == 2, result
    (annotation,) = _annotations(result.stdout)
    # a problem's column is the `col` property, not words in the message
    col = f"col={_column(repo, expected)}," if trouble == "invalid-ssot" else ""
    assert annotation.startswith(
        f"::error file={expected['file']},line={expected['line']},{col}title=ssot {expected['code']}::"
    ), annotation
    assert "(column" not in annotation, annotation
    if "message" in expected:
        assert annotation.endswith(f"::{expected['message']}"), annotation


def _column(repo: Path, expected: dict[str, object]) -> int:
    line = _text(repo, str(expected["file"])).split("\n")[int(str(expected["line"])) - 1]
    return line.index("global") + 1


@pytest.mark.parametrize("trouble", TROUBLE)
def test_github_trouble_does_not_advise_a_build_that_would_refuse(repo: Path, run_cli: RunCli, trouble: str) -> None:
    TROUBLE[trouble](repo)
    assert run_cli("build", "--root", repo).code == 2

    result = run_cli("check", "--root", repo, "--format", "github")

    assert result.code == 2, result
    assert "ssot build" not in result.stdout, result


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain text", "plain text"),
        ("100%", "100%25"),
        ("a\r\nb\nc\rd", "a%0D%0Ab%0Ac%0Dd"),
        ("%0A is not a newline", "%250A is not a newline"),  # % first, or the escapes get escaped
        ("a: b, c", "a: b, c"),  # the message may hold ':' and ','
    ],
)
def test_escape_data(raw: str, escaped: str) -> None:
    assert _escape_data(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("envs/README.md", "envs/README.md"),
        ("a,b:c.md", "a%2Cb%3Ac.md"),
        ("50%\r\n", "50%25%0D%0A"),
        ("%3A", "%253A"),
    ],
)
def test_escape_property(raw: str, escaped: str) -> None:
    assert _escape_property(raw) == escaped


def test_github_reporter_leaves_out_the_line_property_for_line_0() -> None:
    out = io.StringIO()

    GithubReporter(out, io.StringIO()).findings(
        [Finding("a.md", 0, "whole file", code="stale-artifact"), Finding("a.md", 3, "here", code="table-cell")]
    )

    assert out.getvalue().splitlines()[:2] == [
        "::error file=a.md,title=ssot stale-artifact::whole file",
        "::error file=a.md,line=3,title=ssot table-cell::here",
    ]


# --- text ----------------------------------------------------------------------------------------------


def test_text_groups_findings_by_file_and_ends_with_a_summary_and_the_fix(repo: Path, run_cli: RunCli) -> None:
    lines = _drift(repo)

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert result.stdout == (
        f"{PAGE}: missing; it is generated from ssot/env.yaml\n"
        "\n"
        f"{README}:{lines['table-cell']}: {CELL_SAID}\n"
        f"{README}:{lines['text-drift']}: text in block 'isolation' differs from what ssot/env.yaml generates"
        f"{_comes_from(ISOLATION_SOURCE)}\n"
        f"--- {README} (current)\n"
        f"+++ {README} (expected)\n"
        f"@@ line {lines['text-drift']} @@\n"
        "-- **Shared layers (L1/L2)**: one instance shared by all envs (single VPS MVP).\n"
        "+- **Shared layers (L1/L2)**: single instance shared by all envs (single VPS MVP).\n"
        " - **Env layers (L3/L4)**: isolated by **workspace + namespace suffix**:\n"
        "     - Staging: `data-staging`, `apps-staging`\n"
        "\n"
        f'{STAGING_EXAMPLE}:{lines["tfvars-example-value"]}: \'env_prefix\': expected "x-staging", found "x-stage"'
        f"{_comes_from(PREFIX_SOURCE)}\n"
        "\n"
        "4 findings in 3 files: the repository disagrees with ssot/env.yaml\n"
        "run: ssot build\n"
    ), result
    assert result.stderr == ""


def test_text_reporter_keeps_one_files_findings_together_whatever_their_order() -> None:
    out = io.StringIO()
    findings = [
        Finding("b.md", 2, "b two", code="table-cell", fix="run: ssot build"),
        Finding("a.md", 5, "a five", code="table-cell", fix="run: ssot build"),
        Finding("b.md", 1, "b one", code="text-drift", fix="run: ssot build"),
    ]

    TextReporter(out, io.StringIO()).findings(findings)

    groups = out.getvalue().split("\n\n")
    assert groups[:2] == ["b.md:2: b two\nb.md:1: b one", "a.md:5: a five"]
    assert groups[2] == "3 findings in 2 files: the repository disagrees with ssot/env.yaml\nrun: ssot build\n"


def test_text_shows_other_fixes_under_their_finding_and_no_build_line_when_build_cannot_help() -> None:
    out = io.StringIO()

    TextReporter(out, io.StringIO()).findings(
        [
            Finding(
                "envs/staging.tfvars",
                3,
                "'base-domain' is not declared",
                code="tfvars-undeclared",
                fix="rename it base_domain",
            )
        ]
    )

    assert out.getvalue() == (
        "envs/staging.tfvars:3: 'base-domain' is not declared\n"
        "  fix: rename it base_domain\n"
        "\n"
        "1 finding in 1 file: the repository disagrees with ssot/env.yaml\n"
    )


@pytest.mark.parametrize(
    ("env", "tty", "coloured"),
    [
        pytest.param({}, False, False, id="pipe"),
        pytest.param({"FORCE_COLOR": "1"}, False, True, id="pipe-FORCE_COLOR"),
        pytest.param({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False, id="NO_COLOR-wins"),
        pytest.param({}, True, True, id="terminal"),
        pytest.param({"NO_COLOR": "1"}, True, False, id="terminal-NO_COLOR"),
        pytest.param({"TERM": "dumb"}, True, False, id="dumb-terminal"),
    ],
)
def test_text_is_coloured_only_on_a_terminal_or_when_forced(
    repo: Path, env: dict[str, str], tty: bool, coloured: bool
) -> None:
    edit(repo / README, "Atlantis (`platform`)", "Atlantis (`apps`)")
    line = line_of(_text(repo, README), "Atlantis (`apps`)")

    code, stdout = _run("check", "--root", repo, env=env, tty=tty)

    assert code == 1, stdout
    assert (ESC in stdout) is coloured, repr(stdout)
    if coloured:
        assert f"\x1b[1m{README}:{line}\x1b[0m: {CELL_MESSAGE}; it comes from" in stdout, repr(stdout)
        assert "\x1b[31m1 finding\x1b[0m in 1 file" in stdout, repr(stdout)
    else:
        assert stdout.startswith(f"{README}:{line}: {CELL_MESSAGE}; it comes from"), repr(stdout)


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}])
def test_text_ok_is_green_only_when_colour_is_wanted(repo: Path, env: dict[str, str]) -> None:
    code, stdout = _run("check", "--root", repo, env=env)

    assert code == 0, stdout
    expected_start = "\x1b[32mok\x1b[0m: " if env.get("FORCE_COLOR") and not env.get("NO_COLOR") else "ok: "
    assert stdout.startswith(expected_start), repr(stdout)
    assert stdout.count(ESC) == (2 if expected_start != "ok: " else 0), repr(stdout)


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_machine_formats_are_never_coloured(repo: Path, fmt: str) -> None:
    _drift(repo)

    code, stdout = _run("check", "--root", repo, "--format", fmt, env={"FORCE_COLOR": "1"}, tty=True)

    assert code == 1, stdout
    assert ESC not in stdout, repr(stdout)


# --- every format ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_correct_repository_gives_no_finding_in_any_format(repo: Path, run_cli: RunCli, fmt: str) -> None:
    result = run_cli("check", "--root", repo, "--format", fmt)

    assert result.code == 0, result
    assert result.stderr == ""
    assert _annotations(result.stdout) == []
    if fmt == "json":
        assert json.loads(result.stdout) == {"ok": True, "findings": []}
    else:
        assert result.stdout.startswith("ok: ") and result.stdout.endswith(" agree with ssot/env.yaml\n"), result
        assert "finding" not in result.stdout


def test_an_unknown_format_is_a_usage_error(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--root", repo, "--format", "yaml")

    assert result.code == 2, result
    assert result.stdout == ""
    assert "invalid choice: 'yaml'" in result.stderr, result
    assert "usage: ssot check" in result.stderr, result


# --- output the terminal's encoding cannot hold ------------------------------------------------------------

#: text a finding quotes that ASCII cannot encode (an en dash, an accented letter)
NON_ASCII = "plätform – é"


def _run_ascii(repo: Path, *args: str) -> tuple[int, str]:
    """`python -m compiler ARGS` whose streams are ASCII (PYTHONIOENCODING=ascii): its exit code and both
    streams, which must be ASCII through and through."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUTF8"}
    env.update(PYTHONIOENCODING="ascii", NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
    completed = subprocess.run(
        [sys.executable, "-m", "compiler", *args], cwd=repo, env=env, capture_output=True, timeout=120, check=False
    )
    return completed.returncode, (completed.stdout + completed.stderr).decode("ascii")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_finding_quoting_what_the_encoding_cannot_hold_is_reported_with_escapes(repo: Path, fmt: str) -> None:
    edit(repo / README, "Atlantis (`platform`)", f"Atlantis (`{NON_ASCII}`)")

    first = _run_ascii(repo, "check", "--format", fmt)
    again = _run_ascii(repo, "check", "--format", fmt)  # the cached front door replays the first

    assert first == again
    code, output = first
    assert code == 1, output
    assert "Traceback" not in output and "UnicodeEncodeError" not in output, output
    if fmt == "json":  # JSON's own escapes: the document still parses, and says the text as it is
        found = [finding["found"] for finding in json.loads(output)["findings"]]
        assert f"Atlantis (`{NON_ASCII}`)" in found, output
    else:
        assert "pl\\xe4tform \\u2013 \\xe9" in output, output


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_trouble_quoting_what_the_encoding_cannot_hold_keeps_exit_2(repo: Path, fmt: str) -> None:
    edit(repo / SSOT, "\ndecisions:", "\nd\u00e9cisions\u2013x:")

    code, output = _run_ascii(repo, "check", "--format", fmt)

    assert code == 2, output
    assert "Traceback" not in output and "UnicodeEncodeError" not in output, output
    assert "d\\xe9cisions\\u2013x" in output or "d\\u00e9cisions\\u2013x" in output, output


def test_every_reporter_writes_escapes_into_a_stream_that_cannot_encode() -> None:
    finding = Finding(README, 3, f"found {NON_ASCII!r}", code="table-cell")
    for reporter_class in (TextReporter, GithubReporter):
        out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
        reporter_class(out, out).findings([finding])
        out.flush()
        assert isinstance(out.buffer, io.BytesIO)
        assert b"pl\\xe4tform \\u2013 \\xe9" in out.buffer.getvalue(), reporter_class
