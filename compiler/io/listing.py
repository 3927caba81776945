"""Listing what a glob matches (for compiler/io/disk.py's `glob` probe), as Path.glob finds it, cheaply.

A wildcard name in a plain directory (`envs/*.tfvars.example`), or under a tree (`docs/**/*.md`), is one
listing per directory, each entry judged a directory by its type: Path.glob made a path and a status for
each of a thousand files. Any other pattern is Path.glob's.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path


def glob_files(root: Path, pattern: str) -> list[str]:
    """What `pattern` (a glob from the root) matches, relative to the root, sorted; directories aside."""
    directory, _, name = pattern.rpartition("/")
    if _one_listing(directory, name):
        return _listed(root, directory, name)
    top, _, recursive = directory.rpartition("/")
    if recursive == "**" and _one_listing(top, name):  # docs/**/*.md: the listings of a tree
        return _listed(root, top, name, recursive=True)
    skip = len(root.parts)  # every match starts with the root's parts: cheaper than relative_to for each
    return sorted("/".join(path.parts[skip:]) for path in root.glob(pattern) if not path.is_dir())


def _one_listing(directory: str, name: str) -> bool:
    """Whether a glob is a wildcard name in a plain directory (`envs/*.tfvars.example`): the matches of
    one listing. Path.glob matches names case-sensitively on POSIX only, as fnmatchcase does."""
    plain = directory == "" or all(part not in ("", ".", "..") for part in directory.split("/"))
    return (
        os.name == "posix"
        and plain
        and not any(c in directory for c in "*?[")
        and any(c in name for c in "*?[")
        and "**" not in name
    )


def _listed(root: Path, directory: str, name: str, *, recursive: bool = False) -> list[str]:
    """`_one_listing`'s matches, as Path.glob finds them (its selectors: a directory that is not one, or
    cannot be listed, matches nothing; `recursive`, `**`: in the directory and every directory below it,
    links to directories not followed), each judged a directory by its entry (no status for each file)."""
    parent = root / directory if directory else root
    if directory and not parent.is_dir():
        return []
    found = []
    pending = [(parent, f"{directory}/" if directory else "")]
    while pending:
        parent, prefix = pending.pop()
        try:
            with os.scandir(parent) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            matches = fnmatch.fnmatchcase(entry.name, name)
            if not matches and not recursive:
                continue
            # a link is followed as Path.is_dir follows it; any other entry's type is known from the listing
            link = entry.is_symlink()
            is_dir = (parent / entry.name).is_dir() if link else entry.is_dir(follow_symlinks=False)
            if matches and not is_dir:
                found.append(prefix + entry.name)
            if recursive and is_dir and not link:
                pending.append((parent / entry.name, f"{prefix}{entry.name}/"))
    return sorted(found)
