"""The real Oxigraph SPARQL server on a free loopback port, for the tests of kg push / kg.graph.remote.

The server is the `oxigraph` command of the PyPI package ``oxigraph`` (in the
``test`` extra, so CI has it): ``oxigraph serve --location DIR --bind
127.0.0.1:PORT``, its store in a temporary folder.  :func:`oxigraph_server`
starts it, waits until it accepts connections, yields its base URL and stops
it.  Nothing leaves the loopback interface.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

#: How long a server may take to accept connections before the test fails.
START_TIMEOUT = 30.0


def oxigraph_binary() -> str:
    """The `oxigraph` command installed beside this Python (the venv), else on PATH."""
    here = Path(sys.executable).with_name("oxigraph")
    found = str(here) if here.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph command is missing: `pip install -e '.[test]'` installs it (PyPI package oxigraph)")
    return found


def free_port() -> int:
    """A loopback TCP port nothing listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def oxigraph_server(folder: Path):
    """Run ``oxigraph serve`` with its store in ``folder``; yields ``http://127.0.0.1:PORT/``.

    A port taken between choosing it and binding it is retried with another.
    """
    binary = oxigraph_binary()
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        port = free_port()
        log = folder / f"oxigraph-{port}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [binary, "serve", "--location", str(folder / f"db-{port}"), "--bind", f"127.0.0.1:{port}"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while proc.poll() is None and not _accepting(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        if proc.poll() is None and _accepting(port):
            break
        _stop(proc)
    else:
        pytest.fail(f"oxigraph serve did not start: {log.read_text(errors='replace')[-2000:]}")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(proc)
