"""Clients that send their headers slowly do not starve the server (gunicorn.conf.py's worker model).

A real gunicorn from the repo's config, as `make run` starts it (two workers here, as on a
small VPS); five connections each drip a header line every 2 s, as a slowloris client does.
"""
from __future__ import annotations

import http.client
import socket
import threading
import time

from tests.support.load import LiveServer

SLOW_CLIENTS = 5


def drip_headers(port: int, stop: threading.Event) -> list[socket.socket]:
    """Open the slow connections: a request line now, another header line every 2 s, never the end."""
    sockets = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n")
        sockets.append(sock)

    def drip():
        while not stop.wait(2):
            for sock in sockets:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass

    threading.Thread(target=drip, daemon=True).start()
    return sockets


def test_health_answers_within_a_second_while_five_clients_drip_their_headers(record_property):
    with LiveServer(workers=2) as server:
        stop = threading.Event()
        sockets = drip_headers(server.port, stop)
        try:
            time.sleep(2.5)  # every slow connection has been accepted and is mid-headers
            answers = []
            for _ in range(3):
                began = time.monotonic()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1)
                try:
                    conn.request("GET", "/api/v1/health")
                    reply = conn.getresponse()
                    answers.append((reply.status, reply.read(), time.monotonic() - began))
                except TimeoutError:
                    answers.append(("no answer within 1 s", b"", time.monotonic() - began))
                finally:
                    conn.close()
        finally:
            stop.set()
            for sock in sockets:
                sock.close()
    assert [status for status, _body, _took in answers] == [200, 200, 200], answers
    assert all(took < 1 for _status, _body, took in answers), answers
    record_property("slowest_health_ms", round(max(took for _s, _b, took in answers) * 1000, 1))
