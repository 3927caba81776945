"""Where a build writes: `real_paths_inside` (each directory resolved once for the files in it) lands every
path where `resolve_inside` and Path.resolve land it, and refuses what they refuse, with the same message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compiler.errors import SsotError
from compiler.io.paths import one_reading, real_path, real_paths_inside, resolve_inside

PATHS = [
    "docs/real/a.md",
    "docs/link/a.md",  # through a linked directory
    "docs/link/new.md",
    "docs/link",  # the link itself
    "docs/out/x.md",  # through a directory link that leaves the root
    "docs/real/away.md",  # a file link that leaves the root
    "docs/real/dangling",
    "docs/real/loop",
    "docs/loop/x.md",
    "new/deep/dir/x.md",
    "top.md",
    "docs/../docs/real/a.md",
    "../escape.md",
    "docs/real/../../../escape.md",
    "docs/real/.",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    (root / "docs/real").mkdir(parents=True)
    outside.mkdir()
    (root / "docs/real/a.md").write_text("a\n", encoding="utf-8")
    (root / "docs/link").symlink_to("real")
    (root / "docs/out").symlink_to(outside)
    (root / "docs/real/away.md").symlink_to("../../../outside/away.md")
    (root / "docs/real/dangling").symlink_to("nothere")
    (root / "docs/real/loop").symlink_to("loop")
    (root / "docs/loop").symlink_to("loop")
    (tmp_path / "linked-root").symlink_to(root)
    return root


def one_by_one(root: Path, relative: str) -> str | tuple[str, str]:
    try:
        return str(resolve_inside(root, relative).resolve())
    except SsotError as exc:
        return (exc.problems[0].file, exc.problems[0].message)


def together(root: Path, relative: str) -> str | tuple[str, str]:
    try:
        return real_paths_inside(root, ["docs/real/a.md", relative])[relative]
    except SsotError as exc:
        return (exc.problems[0].file, exc.problems[0].message)


@pytest.mark.parametrize("how", ["as given", "through a link", "relative"])
@pytest.mark.parametrize("relative", PATHS)
def test_each_path_lands_where_resolve_inside_lands_it(
    root: Path, relative: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "through a link":
        root = root.parent / "linked-root"
    elif how == "relative":
        monkeypatch.chdir(root.parent)
        root = Path(root.name)

    assert together(root, relative) == one_by_one(root, relative)


def test_refusals_name_the_file(root: Path) -> None:
    assert together(root, "docs/out/x.md")[0] == "docs/out/x.md"
    assert together(root, "docs/loop/x.md") == ("docs/loop/x.md", "is a symlink loop; remove the link")
    assert os.path.islink(root / "docs/out")


@pytest.mark.parametrize("relative", PATHS)
def test_within_one_reading_a_path_resolves_and_is_refused_as_alone(root: Path, relative: str) -> None:
    """compiler/io/paths.py's `one_reading` resolves each directory once: the same answers, warm or cold."""

    def answer() -> str | tuple[str, str]:
        try:
            return real_path(resolve_inside(root, relative))
        except SsotError as exc:
            return (exc.problems[0].file, exc.problems[0].message)

    alone = answer()
    with one_reading():
        for warm_up in PATHS:  # every directory of the tree known before the path is asked
            try:
                real_path(resolve_inside(root, warm_up))
            except (SsotError, RuntimeError):
                pass
        assert answer() == alone
        if "loop" not in relative:  # a loop raises, warm or cold (above)
            assert real_path(root / relative) == os.path.realpath(root / relative)
