"""The benchmark's one live-server helper: a server process on a free loopback port.

``gunicorn(...)`` serves Life Logger with the repository's ``gunicorn.conf.py``
(its workers, timeouts and keep-alive; no control socket, so it never meets
another gunicorn's); the peers (bench/peers.py) run their own servers through
the same ``Server``.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nothing listens on right now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Run ``command`` until the context ends; ready once ``ready_path`` answers on ``port``."""

    def __init__(self, name: str, command: list[str], port: int, *, ready_path: str = "/",
                 env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: float = 60):
        self.name, self.command, self.port = name, command, port
        self.ready_path, self.env, self.cwd, self.timeout = ready_path, env, cwd, timeout
        self.log = tempfile.TemporaryFile()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env={**os.environ, **(self.env or {})},
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.ready_path)
                if conn.getresponse().status < 500:
                    conn.close()
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on port {self.port} within {self.timeout} s")

    def __exit__(self, *_exc) -> None:
        self.stop()

    def log_text(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        """SIGTERM to the server's process group; SIGKILL if it lingers."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def gunicorn(database: Path, workers: int | None = None) -> Server:
    """Life Logger under gunicorn with the repository's configuration, on ``database``."""
    port = free_port()
    env = {
        "LIFELOGGER_DATABASE_URL": f"sqlite:///{database}",
        "LIFELOGGER_SECRET_KEY": "bench",
        "LIFELOGGER_BIND": f"127.0.0.1:{port}",
    }
    if workers:
        env["LIFELOGGER_WORKERS"] = str(workers)
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--no-control-socket", "wsgi:app"]
    return Server("gunicorn", command, port, ready_path="/api/v1/health", env=env)
