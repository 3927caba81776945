"""Theme templates compiled once per test process, for the MkDocs builds tests run in process (conftest.py).

MkDocs makes a new Jinja environment for every build, which compiles the theme's templates again: about
half the CPU of building the example site. Jinja's bytecode cache keeps the compiled code, found by each
template's name and file and checked against a hash of its source, so a build renders the same pages.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.theme import Theme


class CompiledTemplates(BytecodeCache):
    """Compiled templates in memory (Jinja's own caches write files, and key them the same way)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()
_get_env = Theme.get_env


def get_env_compiling_once(theme: Theme) -> jinja2.Environment:
    """`Theme.get_env`, with the process's compiled templates."""
    env = _get_env(theme)
    env.bytecode_cache = COMPILED
    return env
