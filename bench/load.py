"""Serving under gunicorn and loading it from loopback: wrk, or a Python client.

Servers bind 127.0.0.1 on a free port and run with the repository's
``gunicorn.conf.py`` (workers and bind through its LIFELOGGER_* variables),
so the app and the bare endpoint share one configuration.
"""
from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn serving ``app_spec`` (e.g. ``wsgi:app``) on a free loopback port."""

    def __init__(self, app_spec: str, workers: int, env: dict[str, str] | None = None):
        self.port = free_port()
        self.workers = workers
        environ = {**os.environ, **(env or {})}
        environ["LIFELOGGER_BIND"] = f"127.0.0.1:{self.port}"
        environ["LIFELOGGER_WORKERS"] = str(workers)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), app_spec],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.DEVNULL,  # the access log: same cost for every server
            stderr=subprocess.PIPE,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, headers: dict[str, str] | None = None, timeout: float = 30) -> None:
        """Block until ``path`` answers 200 (and every worker has booted)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                status, _body = get(self.port, path, headers)
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn on port {self.port} did not become ready")

    def worker_pids(self) -> list[int]:
        """The master's child processes (its workers)."""
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident set size (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET over a fresh connection; (status, body)."""
    return request(port, "GET", path, headers=headers)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request over a fresh connection; (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    cpu_seconds: float = 0.0  # the server workers' CPU time meanwhile

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_us_per_request(self) -> float:
        return 1e6 * self.cpu_seconds / self.requests if self.requests else 0.0

    def __add__(self, other: "LoadResult") -> "LoadResult":
        return LoadResult(
            self.requests + other.requests,
            self.seconds + other.seconds,
            self.errors + other.errors,
            self.cpu_seconds + other.cpu_seconds,
        )


def load_client() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def load(port: int, path: str, seconds: float, connections: int, headers: dict[str, str] | None = None) -> LoadResult:
    """Send GET ``path`` as fast as ``connections`` clients can for ``seconds``."""
    if shutil.which("wrk"):
        return _wrk(port, path, seconds, connections, headers or {})
    return _python_load(port, path, seconds, connections, headers or {})


def _wrk(port, path, seconds, connections, headers) -> LoadResult:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", output)
    requests, value, unit = int(match.group(1)), float(match.group(2)), match.group(3)
    elapsed = value / 1000 if unit == "ms" else value * 60 if unit == "m" else value
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"):
        found = re.search(pattern, output)
        if found:
            errors += sum(int(n) for n in found.groups())
    return LoadResult(requests, elapsed, errors)


def _python_worker(port, path, deadline, headers, queue):
    done = errors = 0
    while time.monotonic() < deadline:
        try:
            status, _ = get(port, path, headers)
            done += 1
            errors += status != 200
        except OSError:
            errors += 1
    queue.put((done, errors))


def _python_load(port, path, seconds, connections, headers) -> LoadResult:
    """A fallback when wrk is missing: one process per connection, a request at a time."""
    queue = multiprocessing.Queue()
    began = time.monotonic()
    deadline = began + seconds
    workers = [
        multiprocessing.Process(target=_python_worker, args=(port, path, deadline, headers, queue))
        for _ in range(connections)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    return LoadResult(sum(r[0] for r in results), elapsed, sum(r[1] for r in results))
