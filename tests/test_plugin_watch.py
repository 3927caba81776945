"""`mkdocs serve` keeps following ssot/env.yaml when the ssot/ folder goes and comes back (a branch switch).

First the plugin's FolderWatch against a stand-in for MkDocs' LiveReloadServer (every case, in
milliseconds), then the real `mkdocs serve` on 127.0.0.1, read over HTTP while the folder is removed,
restored, edited and broken.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import edit
from mkdocs_serve import Served, serving
from watchdog.events import DirCreatedEvent, DirDeletedEvent, DirModifiedEvent, FileModifiedEvent

from compiler.app.plugin.watch import FolderWatch


class Emitter:
    """One watcher of a path, as watchdog's: it stops for good when a poll finds the path gone."""

    def __init__(self, path: str) -> None:
        self.watch = SimpleNamespace(path=path)
        self.running = True

    def should_keep_running(self) -> bool:
        return self.running


class Server:
    """What FolderWatch uses of MkDocs' LiveReloadServer: watch, unwatch, the observer, the rebuild flag."""

    def __init__(self) -> None:
        self.observer = SimpleNamespace(emitters=[], schedule=self._schedule)
        self.scheduled: list[tuple[str, bool]] = []
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False

    def _schedule(self, handler: object, path: str, *, recursive: bool) -> None:
        self.scheduled.append((path, recursive))

    def watch(self, path: str) -> None:
        self.observer.emitters.append(Emitter(path))

    def unwatch(self, path: str) -> None:
        self.observer.emitters = [e for e in self.observer.emitters if e.watch.path != path]

    def emitters(self) -> list[Emitter]:
        return list(self.observer.emitters)

    def rebuild_requested(self) -> bool:
        requested, self._want_rebuild = self._want_rebuild, False
        return requested


def test_the_folder_is_watched_again_after_it_was_removed_and_restored(tmp_path: Path) -> None:
    folder = tmp_path / "ssot"
    folder.mkdir()
    server = Server()
    watch = FolderWatch(server, folder)
    watch.start()
    assert server.scheduled == [(str(tmp_path), False)]  # the parent, one level: cheap to poll
    [first] = server.emitters()
    assert first.watch.path == str(folder) and not server.rebuild_requested()

    watch.dispatch(FileModifiedEvent(str(tmp_path / "README.md")))
    assert server.emitters() == [first] and not server.rebuild_requested()

    shutil.rmtree(folder)
    first.running = False  # MkDocs' watcher polled the missing folder and stopped
    watch.dispatch(DirDeletedEvent(str(folder)))
    assert server.emitters() == [] and server.rebuild_requested()  # the pages say the SSOT is gone

    folder.mkdir()
    watch.dispatch(DirCreatedEvent(str(folder)))
    [second] = server.emitters()
    assert second.running and server.rebuild_requested()

    watch.dispatch(DirModifiedEvent(str(folder)))  # a file saved in the folder: its own watcher reports it
    assert server.emitters() == [second] and not server.rebuild_requested()


def test_a_watcher_that_stopped_while_its_folder_came_back_unseen_is_replaced(tmp_path: Path) -> None:
    """Removed and restored between two polls of the parent, which sees the folder only as modified."""
    folder = tmp_path / "ssot"
    folder.mkdir()
    server = Server()
    watch = FolderWatch(server, folder)
    watch.start()
    [first] = server.emitters()
    first.running = False

    watch.dispatch(DirModifiedEvent(str(folder)))

    [second] = server.emitters()
    assert second is not first and server.rebuild_requested()


def test_a_folder_missing_at_start_is_watched_when_it_appears(tmp_path: Path) -> None:
    folder = tmp_path / "ssot"
    server = Server()
    watch = FolderWatch(server, folder)
    watch.start()
    assert server.emitters() == []

    folder.mkdir()
    watch.dispatch(DirCreatedEvent(str(folder)))

    assert [e.watch.path for e in server.emitters()] == [str(folder)] and server.rebuild_requested()


# --- the real `mkdocs serve` --------------------------------------------------------------------------


@pytest.fixture
def served(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`mkdocs serve` (live reload on) over `repo`, on 127.0.0.1; its log must show no traceback."""
    with serving(repo, tmp_path_factory.mktemp("serve")) as running:
        yield running
        assert "Traceback" not in running.log_text()


def test_mkdocs_serve_follows_the_yaml_after_the_ssot_folder_was_removed_and_restored(
    repo: Path, served: Served, tmp_path: Path
) -> None:
    def model_shows(*texts: str) -> Callable[[], bool]:
        return lambda: all(text in served.page("ssot/env/") for text in texts)

    assert model_shows("x-staging.example.com")()
    parked = tmp_path / "parked-ssot"
    shutil.move(repo / "ssot", parked)  # a branch without ssot/
    served.wait_for(model_shows("ssot/env.yaml has errors", "not found"), "the page to say ssot/env.yaml is gone")
    assert "not found" in served.page("source/")  # the page including ssot/env.yaml answers too
    time.sleep(1)  # MkDocs' own watcher of ssot/ polls (every 0.5 s), finds it gone and stops

    shutil.move(parked, repo / "ssot")  # back to a branch with ssot/
    served.wait_for(lambda: not model_shows("has errors")() and model_shows("x-staging")(), "the page to come back")

    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging")
    served.wait_for(model_shows("y-staging.example.com"), "the edit to show")

    (repo / "ssot/env.yaml").unlink()
    (repo / "ssot/env.yaml").mkdir()
    served.wait_for(model_shows("ssot/env.yaml has errors", "a directory"), "the page to say it is a directory")
