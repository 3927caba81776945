"""Reporters: one set of findings (or problems), three audiences.

`text` for people (grouped by file, colour only on a terminal), `json` for programs (a stable document,
see the README), `github` for GitHub Actions (workflow commands, so findings show on the pull request's
lines). The CLI picks one by name; nothing else in the package prints.

Every format says the same words: a finding on a generated value names where it comes from in
ssot/env.yaml (`explained`), and commands are written the way the user runs ssot (`program`: `ssot`,
`.venv/bin/ssot`, `python -m compiler`; compiler/app/invocation.py).

Whatever ends a run (drift, trouble, a usage error, Ctrl-C, a bug) is reported in the format asked for:
`--format json` prints one document on stdout for every exit code. And whatever a message quotes: text the
streams' encoding cannot hold (PYTHONIOENCODING=ascii) is written as escapes, never a traceback.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable, Sequence
from typing import TextIO

from compiler import codes
from compiler.errors import Problem
from compiler.findings import BUILD_FIX, Finding, commands, explained


def escape_unencodable(*streams: TextIO) -> None:
    """Let `streams` write what their encoding cannot hold as escapes (`\\xe9`, `\\u2013`), as Python's
    stderr always does: a finding quoting `é` under PYTHONIOENCODING=ascii (or a C locale) is then still
    reported, in every format, with its exit code, instead of a UnicodeEncodeError traceback."""
    for stream in streams:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a real text stream; a test's StringIO takes anything already
            reconfigure(errors="backslashreplace")


def as_finding(problem: Problem) -> Finding:
    """A problem (exit 2) in the shape of a finding, for the machine-readable formats."""
    return Finding(problem.file, problem.line, problem.message, code=problem.code, col=problem.col)


class Reporter:
    def __init__(self, out: TextIO, err: TextIO, program: str = "ssot") -> None:
        escape_unencodable(out, err)  # whatever a message quotes, it is reported (print() too writes there)
        self.out = out
        self.err = err
        #: how the user runs ssot, for the commands a report names
        self.program = program

    def ok(self, summary: str) -> None:
        raise NotImplementedError

    def findings(self, findings: Sequence[Finding]) -> None:
        raise NotImplementedError

    def problems(self, problems: Sequence[Problem]) -> None:
        raise NotImplementedError

    def usage(self, text: str, message: str) -> None:
        """A command line that cannot be run (exit 2): `text` is the usage and the error, for people."""
        self.err.write(text)

    def aborted(self, code: str | None, message: str, *, file: str = "", trace: str | None = None) -> None:
        """The run stopped with no input line to name: `code` (a missing --root, Ctrl-C), or a bug (None).

        People read `ssot: MESSAGE` on stderr (after the traceback, with --debug).
        """
        if trace:
            self.err.write(trace)
        print(f"ssot: {message}", file=self.err)


class TextReporter(Reporter):
    def __init__(self, out: TextIO, err: TextIO, program: str = "ssot") -> None:
        super().__init__(out, err, program)
        self.colour = _wants_colour(out)

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def ok(self, summary: str) -> None:
        print(self._paint("ok", "32") + summary.removeprefix("ok"), file=self.out)

    def findings(self, findings: Sequence[Finding]) -> None:
        for group, (file, in_file) in enumerate(_by_file(findings).items()):
            if group:
                print(file=self.out)
            for finding in in_file:
                where = f"{file}:{finding.line}" if finding.line else file
                print(f"{self._paint(where, '1')}: {explained(finding, self.program)}", file=self.out)
                for line in finding.diff.splitlines():
                    colour = "32" if line.startswith("+") else "31" if line.startswith("-") else ""
                    print(
                        self._paint(line, colour) if colour and not line.startswith(("+++", "---")) else line,
                        file=self.out,
                    )
                if finding.fix and finding.fix != BUILD_FIX:
                    print(f"  fix: {commands(finding.fix, self.program)}", file=self.out)
        count = len(findings)
        print(file=self.out)
        print(
            self._paint(f"{count} finding{'s' if count != 1 else ''}", "31")
            + f" in {len(_by_file(findings))} file{'s' if len(_by_file(findings)) != 1 else ''}: "
            "the repository disagrees with ssot/env.yaml",
            file=self.out,
        )
        if any(f.fix == BUILD_FIX for f in findings):
            print(commands(BUILD_FIX, self.program), file=self.out)

    def problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            print(problem, file=self.err)


class JsonReporter(Reporter):
    """`{"ok": bool, "findings": [{"code", "file", "line", "message", "expected", "found", ...}]}`."""

    def _json(self, document: object) -> str:
        # Text as it is where the stream takes any character; JSON's own \u escapes where it does not
        # (PYTHONIOENCODING=ascii): the escapes `escape_unencodable` writes would not be JSON.
        encoding = codecs.lookup(getattr(self.out, "encoding", None) or "utf-8").name
        return json.dumps(document, indent=2, ensure_ascii=not encoding.startswith("utf"))

    def _emit(self, ok: bool, findings: Iterable[Finding]) -> None:
        document = {"ok": ok, "findings": [_finding_json(f, self.program) for f in findings]}
        print(self._json(document), file=self.out)

    def ok(self, summary: str) -> None:
        self._emit(True, [])

    def findings(self, findings: Sequence[Finding]) -> None:
        self._emit(not findings, findings)

    def problems(self, problems: Sequence[Problem]) -> None:
        self._emit(False, [as_finding(p) for p in problems])

    def usage(self, text: str, message: str) -> None:
        super().usage(text, message)
        self._emit(False, [Finding("", 0, f"usage error: {message}", code=codes.INVALID_INPUT)])

    def aborted(self, code: str | None, message: str, *, file: str = "", trace: str | None = None) -> None:
        super().aborted(code, message, file=file, trace=trace)
        if code is None:  # a bug: no finding code describes it
            document = {"ok": False, "findings": [], "error": message}
            print(self._json(document), file=self.out)
        else:
            self._emit(False, [Finding(file, 0, message, code=code)])


class GithubReporter(Reporter):
    """Workflow commands: `::error file=F,line=L,title=CODE::message`, one per finding."""

    def ok(self, summary: str) -> None:
        print(summary, file=self.out)

    def findings(self, findings: Sequence[Finding]) -> None:
        self._annotate(findings)
        print(
            f"{len(findings)} finding{'s' if len(findings) != 1 else ''}; "
            f"{commands(BUILD_FIX, self.program)}, or fix by hand",
            file=self.out,
        )

    def _annotate(self, findings: Sequence[Finding]) -> None:
        for finding in findings:
            message = explained(finding, self.program)
            if finding.diff:
                message += "\n" + finding.diff.rstrip("\n")
            if finding.fix:
                message += f"\n{commands(finding.fix, self.program)}"
            properties = {
                "file": finding.file,
                "line": str(finding.line) if finding.line else None,
                "col": str(finding.col) if finding.line and finding.col else None,
                "title": f"ssot {finding.code}",
            }
            fields = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items() if value)
            print(f"::error {fields}::{_escape_data(message)}", file=self.out)

    def usage(self, text: str, message: str) -> None:
        super().usage(text, message)
        self._annotate([Finding("", 0, f"usage error: {message}", code=codes.INVALID_INPUT)])

    def aborted(self, code: str | None, message: str, *, file: str = "", trace: str | None = None) -> None:
        super().aborted(code, message, file=file, trace=trace)
        if code is None:
            print(f"::error title=ssot internal error::{_escape_data(message)}", file=self.out)
        else:
            self._annotate([Finding(file, 0, message, code=code)])

    def problems(self, problems: Sequence[Problem]) -> None:
        self._annotate([as_finding(p) for p in problems])
        count = len(problems)
        them = "them" if count != 1 else "it"
        print(
            f"{count} problem{'s' if count != 1 else ''} in the input: fix {them}; nothing was checked or written",
            file=self.out,
        )


#: Every output format, by the name `--format` takes: adding one is a Reporter subclass and a line here.
REPORTERS: dict[str, type[Reporter]] = {"text": TextReporter, "json": JsonReporter, "github": GithubReporter}
FORMATS = tuple(REPORTERS)


def reporter(name: str, out: TextIO, err: TextIO, program: str = "ssot") -> Reporter:
    return REPORTERS[name](out, err, program)


def _by_file(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.file, []).append(finding)
    return groups


def _finding_json(finding: Finding, program: str) -> dict[str, object]:
    source = finding.source
    return {
        "code": finding.code,
        "file": finding.file,
        "line": finding.line,
        "col": finding.col or None,
        "message": explained(finding, program),
        "expected": finding.expected,
        "found": finding.found,
        "fix": commands(finding.fix, program) or None,
        "diff": finding.diff or None,
        "source": {"file": source.file, "line": source.line, "col": source.col, "path": source.path}
        if source
        else None,
    }


def _wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
