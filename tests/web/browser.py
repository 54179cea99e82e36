"""What the browser tests need besides the browser: a real `storyline serve` and a folder for screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`apt-get install chromium`); never downloaded
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
START_TIMEOUT = 30.0  # seconds for the server to answer
PORT_TRIES = 3  # a free port may be taken between choosing it and the server binding it


def screenshot_dir() -> Path:
    """STORYLINE_TEST_OUTPUT when set, else test-output/screenshots in the repository (git-ignored)."""
    folder = Path(os.environ.get("STORYLINE_TEST_OUTPUT") or ROOT / "test-output" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def storyline_command() -> list[str]:
    """The venv's `storyline` console script, or the same entry point through this interpreter."""
    script = Path(sys.executable).with_name("storyline")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from storyline.cli import main; main()"]


@contextmanager
def running_server(db: str, log: Path) -> Iterator[str]:
    """`storyline serve --db DB` on a free loopback port, answering; yields its base URL, stops it after."""
    for _ in range(PORT_TRIES):
        port = free_port()
        with log.open("wb") as out:
            command = [*storyline_command(), "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)]
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            if _wait_until_answering(base, process):
                yield base
                return
        finally:
            _stop(process)
    raise RuntimeError(f"storyline serve did not start; its last log:\n{log.read_text(errors='replace')}")


def _wait_until_answering(base: str, process: subprocess.Popen[bytes]) -> bool:
    """True once GET /ui/ answers 200; False when the server exits first (a port taken, say)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/ui/", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
