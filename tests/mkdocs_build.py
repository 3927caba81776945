"""`mkdocs build` run in the test's process, as the command runs it, for the tests whose subject is the site
and not the command line.

A subprocess costs an interpreter start and MkDocs' imports, three quarters of a build of the example site;
here the config is loaded as the command loads it (`!ENV` tags read the environment), the plugins are
started for a build, every record the `mkdocs` loggers log is kept as the command prints it (`WARNING -  `),
and `--strict` aborts on a warning with exit 1. The theme's templates are compiled once per process
(tests/mkdocs_templates.py). The real command keeps a thin layer of its own: tests/conftest.py's
repository site, tests/test_plugin_site.py's minimal sites, tests/test_portability.py, and every build that
could hang (a FIFO), which only a subprocess's timeout can fail.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import NamedTuple

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.theme import Theme
from mkdocs_templates import get_env_compiling_once


class Built(NamedTuple):
    """What `mkdocs build` ended with: its exit code, and what it logged (as the command prints it)."""

    returncode: int
    stderr: str


class _Logged(logging.Handler):
    """Records as `mkdocs` prints them (`WARNING -  message`), kept."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


def mkdocs_build_in_process(
    config_file: Path, site_dir: Path, *, cwd: Path, strict: bool, env: dict[str, str] | None = None
) -> Built:
    """`mkdocs build [--strict] --config-file CONFIG_FILE --site-dir SITE_DIR`, run in `cwd` with `env` added."""
    logged = _Logged()
    logger = logging.getLogger("mkdocs")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.setattr(Theme, "get_env", get_env_compiling_once)
        level = logger.level
        logger.setLevel(logging.INFO)  # as the command line sets it
        logger.addHandler(logged)
        code = 0
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            except Abort as abort:  # strict, and something warned
                code = abort.exit_code
                logged.lines.append(abort.format_message())
            except MkDocsException as error:  # the command line says `Error: ...` and exits 1
                code = error.exit_code
                logged.lines.append(f"Error: {error.format_message()}")
            finally:
                config.plugins.on_shutdown()
        finally:
            logger.removeHandler(logged)
            logger.setLevel(level)
    return Built(code, "".join(f"{line}\n" for line in logged.lines))
