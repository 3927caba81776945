"""The command line as a user meets it: arguments, exit codes (0/1/2/3), which stream says what.

Most tests call `main(argv)` in this process (`run_cli`). A thin acceptance layer runs real processes
for what only they show: the console script `ssot` and `python -m compiler` exiting 0/1/2 for a clean
repository, drift and an invalid SSOT, `--help` and `--version` (`run_cli_subprocess`, `run_command`),
and which modules a fresh interpreter imports for a command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO_ROOT, RunCli, edit, identities, line_of, run_command, snapshot

import compiler
from compiler.app import cli

SSOT_SCRIPT = Path(sys.executable).parent / "ssot"


def test_help_shows_usage_commands_and_exit_codes(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.code == 0, result
    assert result.stdout.startswith("usage: ssot"), result
    for word in ("build", "check", "--root", "exit codes"):
        assert word in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", ["build", "check"])
def test_each_command_has_its_own_help(run_cli: RunCli, command: str) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0, result
    assert result.stdout.startswith(f"usage: ssot {command}"), result
    assert "--root" in result.stdout


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.code == 0, result
    assert result.stdout == f"ssot {compiler.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", compiler.__version__)


def test_version_is_answered_without_importing_the_compiler(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from compiler.app import cached

    for module in [name for name in sys.modules if name.startswith(("compiler.app.cli", "compiler.core", "pydantic"))]:
        monkeypatch.delitem(sys.modules, module)
    assert cached.main(["--version"]) == 0
    assert capsys.readouterr().out == f"ssot {compiler.__version__}\n"
    assert not [
        name for name in sys.modules if name.startswith(("compiler.app.cli", "compiler.core.model", "pydantic"))
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "COMMAND"),
        (("frob",), "frob"),
        (("check", "--frob"), "--frob"),
        (("check", "--root"), "--root"),
        (("--frobnicate",), "unrecognized arguments: --frobnicate"),
        (("--frobnicate", "check"), "unrecognized arguments: --frobnicate"),
    ],
    ids=["no-command", "unknown-command", "unknown-option", "root-without-value", "bare-unknown", "unknown-first"],
)
def test_usage_errors_exit_2_with_usage_on_stderr(run_cli: RunCli, args: tuple[str, ...], said: str) -> None:
    result = run_cli(*args)
    assert result.code == 2, result
    assert result.stderr.startswith("usage: ssot"), result
    assert said in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [(), ("--debug",)], ids=["bare", "options-only"])
def test_no_command_prints_the_whole_help_as_a_usage_error(run_cli: RunCli, args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.code == 2, result
    assert result.stdout == ""
    assert result.stderr == cli.build_parser().format_help(), result
    for word in ("build", "check", "init", "--root", "exit codes"):
        assert word in result.stderr


def test_json_names_an_unknown_option_given_without_a_command(run_cli: RunCli) -> None:
    result = run_cli("--frobnicate", "--format=json")
    assert result.code == 2, result
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["code"] == "invalid-input" and "--frobnicate" in finding["message"], finding


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_missing_root_directory_is_trouble(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no-such-dir"
    result = run_cli(command, "--root", missing)
    assert result.code == 2, result
    assert str(missing) in result.stderr
    assert "Traceback" not in result.stderr
    assert not missing.exists()


def test_a_root_that_is_a_file_is_trouble(run_cli: RunCli, tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x\n", encoding="utf-8")
    result = run_cli("check", "--root", file)
    assert result.code == 2, result
    assert "not a directory" in result.stderr


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_root_without_the_ssot_is_trouble_naming_ssot_env_yaml(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(command, "--root", empty)
    assert result.code == 2, result
    assert result.stderr.startswith("ssot/env.yaml"), result
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(empty.iterdir()) == [], "nothing may be written without an SSOT"


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_invalid_ssot_is_reported_at_its_line_and_column_and_nothing_is_written(
    repo: Path, run_cli: RunCli, command: str
) -> None:
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "    scope: shared              #", "    scope: global              #")
    bad_line = line_of(ssot.read_text(encoding="utf-8"), "scope: global")
    before, before_ids = snapshot(repo), identities(repo)

    result = run_cli(command, "--root", repo)

    assert result.code == 2, result
    assert re.match(rf"ssot/env\.yaml:{bad_line}:\d+: ", result.stderr), result
    assert "global" in result.stderr and "shared" in result.stderr and "per-env" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(repo) == before
    assert identities(repo) == before_ids


def test_every_problem_of_an_invalid_ssot_is_reported_at_once(repo: Path, run_cli: RunCli) -> None:
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "    scope: shared              #", "    scope: global              #")
    edit(
        ssot,
        "    base_domain: example.com\n    env_prefix: x-staging",
        "    base_domian: example.com\n    env_prefix: x-staging",
    )
    text = ssot.read_text(encoding="utf-8")

    result = run_cli("check", "--root", repo)

    assert result.code == 2, result
    assert f"ssot/env.yaml:{line_of(text, 'scope: global')}:" in result.stderr, result
    assert f"ssot/env.yaml:{line_of(text, 'base_domian')}:" in result.stderr, result
    assert "base_domain" in result.stderr  # the did-you-mean, or the missing key


def test_root_is_accepted_before_and_after_the_command(repo: Path, run_cli: RunCli) -> None:
    before = run_cli("--root", repo, "check")
    after = run_cli("check", "--root", repo)
    equals = run_cli("check", f"--root={repo}")
    assert before.code == after.code == equals.code == 0, (before, after, equals)
    assert before.stdout == after.stdout == equals.stdout


def test_root_defaults_to_the_current_directory_and_may_be_relative(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    assert run_cli("check", cwd=repo).code == 1
    assert run_cli("check", "--root", repo.name, cwd=repo.parent).code == 1
    assert run_cli("build", cwd=repo).code == 0
    assert run_cli("check", "--root", ".", cwd=repo).code == 0


def test_check_and_build_from_a_subdirectory_find_the_repository_upwards(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    deep = repo / "docs" / "nested" / "deeper"
    deep.mkdir(parents=True)
    for cwd in (repo / "docs", deep):
        drift = run_cli("check", cwd=cwd)
        assert drift.code == 1 and "envs/README.md" in drift.stdout, drift
    assert run_cli("build", cwd=repo / "docs").code == 0
    assert not (repo / "docs" / "envs").exists()
    assert "Atlantis (`apps`)" not in (repo / "envs/README.md").read_text(encoding="utf-8")
    assert run_cli("check", cwd=deep).code == 0
    assert run_cli("check", "--format", "json", cwd=deep).code == 0


def test_an_explicit_root_is_used_as_is_and_never_walks_up(repo: Path, run_cli: RunCli) -> None:
    docs = repo / "docs"
    for root in (".", str(docs)):
        result = run_cli("check", "--root", root, cwd=docs)
        assert result.code == 2, result
        assert result.stderr.startswith("ssot/env.yaml") and f"not found under {docs.resolve()}" in result.stderr
    assert run_cli("check", "--root", "..", cwd=docs).code == 0


def test_without_a_repository_upwards_the_error_names_the_current_directory(run_cli: RunCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("check", cwd=empty)
    assert result.code == 2, result
    assert result.stderr.startswith("ssot/env.yaml") and f"not found under {empty.resolve()}" in result.stderr
    # no --root was given: the message does not blame it, and says how to make one
    assert "--root the" not in result.stderr and "or any directory above it" in result.stderr
    assert "ssot init" in result.stderr


def test_a_root_without_the_ssot_names_root_only_when_it_was_given(run_cli: RunCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("describe", "--root", empty)
    assert result.code == 2, result
    assert result.stderr == f"ssot/env.yaml: not found under {empty.resolve()}; is --root the repository's top?\n"


@pytest.mark.parametrize("given", [True, False], ids=["--root", "found-upwards"])
def test_a_random_looking_directory_name_is_never_redacted(run_cli: RunCli, tmp_path: Path, given: bool) -> None:
    """Only values are redacted: the user's own directory (mktemp's /tmp/tmp.Xq3kZ9aPqLm2) is no secret."""
    odd = tmp_path / "tmp.Xq3kZ9aPqLm2Rt7"
    odd.mkdir()
    result = run_cli("check", "--root", odd) if given else run_cli("check", cwd=odd)
    assert result.code == 2, result
    assert "<redacted>" not in result.stderr
    assert f"not found under {odd.resolve()}" in result.stderr


def test_a_problem_naming_the_root_keeps_its_path(repo: Path, run_cli: RunCli) -> None:
    odd = repo.parent / "tmp.Xq3kZ9aPqLm2Rt7"
    repo.rename(odd)
    outside = odd.parent / "outside.md"
    outside.write_text("# elsewhere\n", encoding="utf-8")
    page = odd / "docs/ssot/layers.md"
    page.unlink()
    page.symlink_to(outside)  # a link leaving the repository: trouble naming the root
    result = run_cli("check", "--root", odd)
    assert result.code == 2, result
    assert f"outside the root {odd}" in result.stderr and "<redacted>" not in result.stderr, result


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("chek",), "did you mean check?"),
        (("desribe",), "did you mean describe?"),
        (("check", "--formt", "json"), "did you mean --format?"),
        (("build", "--exit_code"), "did you mean --exit-code?"),
        (("check", "--format", "jsn"), "did you mean json?"),
    ],
    ids=["command", "command-2", "option", "flag", "choice"],
)
def test_a_mistyped_command_option_or_choice_gets_a_did_you_mean(
    run_cli: RunCli, args: tuple[str, ...], hint: str
) -> None:
    result = run_cli(*args)
    assert result.code == 2, result
    assert result.stderr.rstrip().endswith(hint), result


def test_a_word_close_to_nothing_gets_no_guess(run_cli: RunCli) -> None:
    result = run_cli("zzzzzz")
    assert result.code == 2, result
    assert "did you mean" not in result.stderr


def test_init_uses_the_current_directory_not_the_repository_above(repo: Path, run_cli: RunCli) -> None:
    sub = repo / "docs" / "new"
    (sub / "infra/network").mkdir(parents=True)
    (sub / "infra/network/main.tf").write_text('variable "region" {\n  type = string\n}\n', encoding="utf-8")
    before = (repo / "ssot/env.yaml").read_bytes()
    result = run_cli("init", cwd=sub)
    assert result.code == 0, result
    assert (sub / "ssot/env.yaml").is_file(), result
    assert (repo / "ssot/env.yaml").read_bytes() == before


def test_drift_goes_to_stdout_and_trouble_to_stderr(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    drift = run_cli("check", "--root", repo)
    assert drift.code == 1 and drift.stderr == "" and "envs/README.md" in drift.stdout, drift

    edit(repo / "ssot/env.yaml", "scope: shared              #", "scope: global              #")
    trouble = run_cli("check", "--root", repo)
    assert trouble.code == 2 and trouble.stdout == "" and "ssot/env.yaml" in trouble.stderr, trouble


# -- the acceptance layer: real processes, for what only they show (the entry points, a fresh import) --


def _put_in_state(repo: Path, state: str) -> None:
    """Leave a clean copy `clean`, or give it `drift` (a stale README cell) or an `invalid` SSOT."""
    if state == "drift":
        edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    elif state == "invalid":
        edit(repo / "ssot/env.yaml", "scope: shared              #", "scope: global              #")
    else:
        assert state == "clean", state


@pytest.mark.skipif(not SSOT_SCRIPT.exists(), reason=f"no console script at {SSOT_SCRIPT}")
@pytest.mark.parametrize(
    ("state", "args", "code", "said"),
    [
        ("clean", ("--version",), 0, f"ssot {compiler.__version__}\n"),
        ("clean", ("--help",), 0, "exit codes"),
        ("clean", ("check", "--root", "{repo}"), 0, "ok: "),
        ("drift", ("check", "--root", "{repo}"), 1, "envs/README.md:"),
        ("invalid", ("check", "--root", "{repo}"), 2, "found 'global'"),
        ("drift", ("build", "--root", "{repo}"), 0, "updated envs/README.md"),
    ],
    ids=["version", "help", "clean", "drift", "invalid-ssot", "build"],
)
def test_the_console_script_and_python_m_compiler_exit_as_documented_and_alike(
    repo: Path,
    tmp_path_factory: pytest.TempPathFactory,
    run_cli_subprocess: RunCli,
    state: str,
    args: tuple[str, ...],
    code: int,
    said: str,
) -> None:
    _put_in_state(repo, state)
    elsewhere = tmp_path_factory.mktemp("script")
    argv = [a.format(repo=repo) for a in args]
    copy = elsewhere / "copy"
    shutil.copytree(repo, copy)
    argv_copy = [a.replace(str(repo), str(copy)) for a in argv]

    module = run_cli_subprocess(*argv)
    script = run_command([SSOT_SCRIPT, *argv_copy], cwd=elsewhere)

    assert module.code == code, module
    assert said in module.output, module
    assert "Traceback" not in module.output, module
    assert script.code == module.code, (module, script)
    # alike but for how each names itself in the commands it suggests (tests/test_invocation.py)
    assert _as_ssot(script.stdout.replace(str(copy), str(repo))) == _as_ssot(module.stdout)
    assert _as_ssot(script.stderr.replace(str(copy), str(repo))) == _as_ssot(module.stderr)
    assert snapshot(copy) == snapshot(repo)


def _as_ssot(output: str) -> str:
    return re.sub(r"\S+ -m compiler (?=build|check)", "ssot ", output).replace(f"{SSOT_SCRIPT} ", "ssot ")


# -- what `ssot check` imports: the budget says heavy libraries only on the paths that need them --

_IMPORTS = textwrap.dedent(
    """\
    import contextlib, io, json, sys
    from compiler.app.cli import main
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(sys.argv[1:])
    print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if "." not in m)}))
    """
)


def _imported(*args: str | Path) -> tuple[int, set[str]]:
    result = run_command([sys.executable, "-c", _IMPORTS, *args], cwd=REPO_ROOT)
    assert result.code == 0, result
    report = json.loads(result.stdout)
    return report["code"], set(report["modules"])


@pytest.mark.parametrize("command", ["check", "build"])
def test_without_real_tfvars_neither_mkdocs_nor_hcl2_is_imported(repo: Path, command: str) -> None:
    assert not list((repo / "envs").glob("*.tfvars"))
    code, modules = _imported(command, "--root", repo)
    assert code == 0
    assert {"mkdocs", "material", "hcl2", "lark"}.isdisjoint(modules), sorted(modules)


def test_a_plain_real_tfvars_file_is_checked_without_hcl2_and_another_with_it(repo: Path) -> None:
    """compiler/formats/hcl_plain.py reads plain files as python-hcl2 would; anything else goes to python-hcl2."""
    shutil.copy(repo / "envs/staging.tfvars.example", repo / "envs/staging.tfvars")
    code, modules = _imported("check", "--root", repo)
    assert code == 0
    assert {"hcl2", "lark", "mkdocs"}.isdisjoint(modules)

    with (repo / "envs/staging.tfvars").open("a", encoding="utf-8") as real:
        real.write('motd = "%{ if true }hello%{ endif }"\n')  # a template directive: python-hcl2's to read
    _, modules = _imported("check", "--root", repo)
    assert "hcl2" in modules


# -- internal errors: exit 3, never mistaken for a user's mistake --


def test_an_internal_error_exits_3_and_asks_for_a_report(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(root: Path) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "check_repository", broken)

    assert cli.main(["check", "--root", str(repo)]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "boom" in err and "--debug" in err
    assert "Traceback" not in err

    assert cli.main(["check", "--root", str(repo), "--debug"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err


def test_a_file_that_cannot_be_written_is_trouble_not_a_bug(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"x-stage"')

    def read_only(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr("compiler.io.write.os.replace", read_only)

    code = cli.main(["build", "--root", str(repo)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "envs/staging.tfvars.example" in err and "Permission denied" in err
    assert "bug" not in err


def test_a_removed_current_directory_is_trouble_not_a_bug(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compiler.app.cached import main

    gone = tmp_path / "gone"
    gone.mkdir()
    previous = os.getcwd()
    os.chdir(gone)
    try:
        gone.rmdir()
        code = main(["check"])
    finally:
        os.chdir(previous)
    assert code == 2
    assert "current directory no longer exists" in capsys.readouterr().err
