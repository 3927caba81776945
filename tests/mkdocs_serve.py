"""A real `mkdocs serve` for the tests, on 127.0.0.1 only: started, waited for (bounded), stopped as Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

LOCAL_HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """A running `mkdocs serve`: its URL, its log, and waiting (bounded) for what its pages show."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def page(self, path: str) -> str:
        """The page's text (HTML entities decoded, no `<wbr>`), or "" while the server does not answer."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return unescape(response.read().decode("utf-8").replace("<wbr>", ""))
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ConnectionError):
                return ""
            raise
        except ConnectionError:
            return ""

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"mkdocs serve exited:\n{self.log_text()}"
            assert time.monotonic() < deadline, f"waited {seconds} s for {what}:\n{self.log_text()}"
            time.sleep(0.2)


@contextlib.contextmanager
def serving(root: Path, log_dir: Path) -> Iterator[Served]:
    """`mkdocs serve` (live reload on) over `root` until the block ends, whatever the test did."""
    address = f"{LOCAL_HOST}:{free_port()}"
    log = log_dir / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", address],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"},
        )
    served = Served(process, f"http://{address}/", log)
    try:
        served.wait_for(lambda: served.page("") != "", "mkdocs serve to answer", seconds=60)
        yield served
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C: MkDocs and the plugin remove their temporary folders
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
