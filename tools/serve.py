"""`make serve PORT=NNNN`: serve the docs with `mkdocs serve` on 127.0.0.1:PORT, or say in one line why not.

A busy port would otherwise end in mkdocs' 33-line traceback. The port is probed as mkdocs' server binds it
(SO_REUSEADDR, so a port in TIME_WAIT counts as free), then this process becomes `mkdocs serve`. Run with
the venv's python; arguments after the port go to `mkdocs serve`.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Sequence

HOST = "127.0.0.1"
EXIT_TROUBLE = 2


def port_problem(text: str) -> str | None:
    """Why `text` is no port `mkdocs serve` can listen on (one line), or None when it can."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        return f"PORT={text!r} is not a port number (1-65535): run make serve PORT=8001"
    port = int(text)
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((HOST, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8001
            return f"port {port} is busy (another server listens on {HOST}:{port}): run make serve PORT={other}"
        if exc.errno == errno.EACCES:
            return f"port {port} needs privileges to listen on: run make serve PORT=8000"
        return f"cannot listen on {HOST}:{port}: {exc.strerror or exc}"
    finally:
        probe.close()
    return None


def main(argv: Sequence[str]) -> int:
    port, *rest = argv or ["8000"]
    problem = port_problem(port)
    if problem is not None:
        print(f"make serve: {problem}", file=sys.stderr)
        return EXIT_TROUBLE
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"{HOST}:{port}", *rest]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
