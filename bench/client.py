"""The benchmark's HTTP client: one keep-alive connection, and a bounded concurrent read load.

The same client drives Life Logger and the peers, so client-side costs are
alike for all of them. ``http.client`` reopens the connection by itself when
a server closes it after an answer.
"""
from __future__ import annotations

import http.client
import json
import multiprocessing
import time


class Client:
    """One HTTP/1.1 connection to ``127.0.0.1:port``."""

    def __init__(self, port: int, headers: dict[str, str] | None = None, timeout: float = 120):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.headers = headers or {}

    def request(self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """Send one request (``body`` as JSON unless bytes); return (status, body)."""
        sent = {**self.headers, **(headers or {})}
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise

    def json(self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None):
        """A request that must answer 2xx; its body parsed as JSON."""
        status, raw = self.request(method, path, body, headers)
        if not 200 <= status < 300:
            raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def close(self) -> None:
        self.conn.close()


def _reader(port: int, method: str, path: str, body, headers: dict, deadline: float, max_requests: int, queue) -> None:
    client = Client(port, headers, timeout=30)
    done = errors = 0
    while done + errors < max_requests and time.monotonic() < deadline:
        try:
            status, _ = client.request(method, path, body)
            done += 200 <= status < 300
            errors += not 200 <= status < 300
        except (OSError, http.client.HTTPException):
            errors += 1
    client.close()
    queue.put((done, errors))


def throughput(port: int, path: str, *, headers: dict | None = None, method: str = "GET", body=None,
               connections: int = 4, seconds: float = 5, max_requests: int = 100_000) -> dict:
    """Requests per second answered 2xx with ``connections`` client processes, each a request at a time.

    Bounded both ways: each process stops after ``seconds`` or ``max_requests // connections`` requests.
    """
    queue = multiprocessing.Queue()
    began = time.monotonic()
    deadline = began + seconds
    per_process = max(1, max_requests // connections)
    processes = [
        multiprocessing.Process(target=_reader, args=(port, method, path, body, headers or {}, deadline, per_process, queue))
        for _ in range(connections)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=10)
    elapsed = time.monotonic() - began
    done = sum(r[0] for r in results)
    return {"requests": done, "errors": sum(r[1] for r in results), "seconds": round(elapsed, 2),
            "connections": connections, "rps": round(done / elapsed, 1)}
