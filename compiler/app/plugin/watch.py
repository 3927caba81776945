"""Keep `mkdocs serve` watching the SSOT's folder when it is removed and comes back (a branch switch).

MkDocs' `LiveReloadServer.watch(path)` polls the path; once a poll finds it gone, that watcher stops for
good, and MkDocs rebuilds on file events only, never on a folder's. So the plugin also watches the folder's
parent, one level deep (a few entries to stat per poll, where watching the whole repository would stat
every file of .git and .venv). Whenever something happens to the folder, it makes sure a live watcher is
on it, and has the site rebuilt if the folder came, went, or had lost its watcher.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

log = logging.getLogger("mkdocs.plugins.ssot")


class FolderWatch(FileSystemEventHandler):
    """Watches `folder` through `server` (a LiveReloadServer) across its removal and return.

    Every call comes from one thread: `start` before the server runs, then the observer's dispatcher.
    """

    def __init__(self, server: Any, folder: Path) -> None:
        self.server = server
        self.path = os.path.abspath(folder)
        #: whether `server.watch(path)` is registered (and so must be unwatched before watching again)
        self.watching = False
        self.present = os.path.isdir(self.path)

    def start(self) -> None:
        self.server.observer.schedule(self, os.path.dirname(self.path), recursive=False)
        self.sync(rebuild=False)

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
        if self.path in paths:
            self.sync(rebuild=True)

    def sync(self, *, rebuild: bool) -> None:
        """Watch the folder with a live watcher if it is there; rebuild if it came, went or was rewatched."""
        present = os.path.isdir(self.path)
        rewatch = present and not self._live()
        if self.watching and (rewatch or not present):
            self.server.unwatch(self.path)
            self.watching = False
        if rewatch:
            self.server.watch(self.path)
            self.watching = True
            log.debug("ssot: watching %s", self.path)
        changed = rewatch or present != self.present
        self.present = present
        if rebuild and changed:
            request_rebuild(self.server)

    def _live(self) -> bool:
        """Whether the server's watcher of the folder is still polling (it stops when the folder goes)."""
        if not self.watching:
            return False
        emitters = self.server.observer.emitters
        return any(e.watch.path == self.path and e.should_keep_running() for e in emitters)


def request_rebuild(server: Any) -> None:
    """Have `mkdocs serve` rebuild and reload the browsers, as its own watcher does on a file event.

    LiveReloadServer has no public call for this. MkDocs 1.6 is the last 1.x (pinned <2), so these
    attributes are fixed; should they differ, the folder is still watched again, only not rebuilt at once.
    """
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        log.debug("ssot: cannot ask this server to rebuild")
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()
