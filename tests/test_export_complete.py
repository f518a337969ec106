"""A long export through real gunicorn arrives whole, and its CSV is safe to open in a spreadsheet.

The server is gunicorn from the repo's config with a 4 s worker timeout; the client reads
the JSON export slowly, through a small receive buffer, so sending it takes longer than that.
Completeness is checked against what was stored: the event count in the JSON, the row
count in the CSV, the Content-Length and the document's closing bracket.
"""
from __future__ import annotations

import csv
import http.client
import io
import json
import socket
import sqlite3
import time

from lifelogger.core.csvcells import restore
from tests.support.load import LiveServer, make_users

EVENTS = 60_000
WORKER_TIMEOUT = 4  # gthread's close lingers up to 2 s on the main thread: a 2 s heartbeat would trip on it
READ_BYTES_PER_SECOND = 1_000_000  # 9 MB of JSON take ~9 s to read, well past the timeout


def store_events(db_path, username: str, count: int) -> None:
    """Write ``count`` finished 10-minute events for the user straight into the database."""
    with sqlite3.connect(db_path) as conn:
        user_id = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()[0]
        label_id = conn.execute("SELECT id FROM labels WHERE user_id = ? ORDER BY id", (user_id,)).fetchone()[0]
        first = 1_500_000_000
        conn.executemany(
            "INSERT INTO events (user_id, label_id, started_at, ended_at, note, note_key) VALUES (?, ?, ?, ?, ?, ?)",
            ((user_id, label_id, first + i * 600, first + i * 600 + 540, f"note {i}", f"note {i}") for i in range(count)),
        )


def download(port: int, token: str, query: str, rate: float | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    """GET /api/v1/export<query>, read at ``rate`` bytes/s (None: at once) through a 32 KiB receive buffer."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    sock.connect(("127.0.0.1", port))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.sock = sock
    try:
        conn.request("GET", "/api/v1/export" + query, headers={"Authorization": f"Bearer {token}", "Connection": "close"})
        response = conn.getresponse()
        body = bytearray()
        began = time.monotonic()
        while True:
            try:
                block = response.read(64 * 1024)
            except http.client.IncompleteRead as cut:
                body += cut.partial
                break
            if not block:
                break
            body += block
            ahead = len(body) / rate - (time.monotonic() - began) if rate else 0
            if ahead > 0:
                time.sleep(ahead)
        return response, bytes(body)
    finally:
        conn.close()


def test_a_long_export_outlasting_the_worker_timeout_arrives_complete(record_property):
    with LiveServer(workers=1, timeout=WORKER_TIMEOUT) as server:
        (user,) = make_users(server.port, 1, prefix="export")
        store_events(server.db_path, user.username, EVENTS)

        began = time.monotonic()
        response, body = download(server.port, user.client.token, "", rate=READ_BYTES_PER_SECOND)
        record_property("json_seconds", round(time.monotonic() - began, 1))
        record_property("json_bytes", len(body))
        assert response.status == 200
        assert response.getheader("Content-Length") == str(len(body)), "cut off before the end"
        assert body.endswith(b"\n]}\n")
        assert len(json.loads(body)["events"]) == EVENTS

        response, body = download(server.port, user.client.token, "?format=csv")
        assert response.status == 200
        assert response.getheader("Content-Length") == str(len(body)), "cut off before the end"
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["label", "started_at", "ended_at", "duration_minutes", "note"]
        assert len(rows) == EVENTS + 1 and rows[-1][4] == f"note {EVENTS - 1}"
        record_property("csv_rows", len(rows))
        assert "WORKER TIMEOUT" not in server.log_text(), server.log_text()[-4000:]


def test_csv_text_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(user, clock, make_event):
    """Label and note cells starting with = + - @ (OWASP's list) get a leading apostrophe, exactly reversibly."""
    assert user.post("/labels", json={"name": "=HYPERLINK(\"http://evil\")"}).status_code == 201
    make_event(user, "=HYPERLINK(\"http://evil\")", "2026-03-24T09:00:00Z", "2026-03-24T10:00:00Z")
    created = user.post("/events", json={"label": "Reading", "started_at": "2026-03-24T10:00:00Z", "ended_at": "2026-03-24T11:00:00Z", "note": "+1 for -2 @me"})
    assert created.status_code == 201, created.get_json()
    with user.get("/export", query_string={"format": "csv"}) as response:
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")" and rows[1][4] == ""
    assert rows[2][0] == "Reading" and rows[2][4] == "'+1 for -2 @me"
    assert [restore(rows[1][0]), restore(rows[2][4])] == ["=HYPERLINK(\"http://evil\")", "+1 for -2 @me"]



def test_the_export_writes_instants_as_the_api_does_from_1900_to_9999(user, make_event):
    """Instants are formatted by the database in exports: the same text as the API's own."""
    api = []
    for started, ended in [("1900-01-01T00:00:00Z", "1900-01-01T00:00:01Z"), ("1969-12-31T23:59:59Z", "1970-01-01T00:00:01Z"),
                           ("2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"), ("1999-12-31T23:59:59Z", "2000-01-01T00:00:01Z")]:
        made = make_event(user, "Reading", started, ended)
        api.append((made["started_at"], made["ended_at"]))
    with user.get("/export") as response:
        exported = [(e["started_at"], e["ended_at"]) for e in response.get_json()["events"]]
    assert exported == sorted(api) and len(exported) == 4
