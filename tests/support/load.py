"""The load generator the tests run: simulated users against a live gunicorn, and the check of every write.

Used by tests/test_load.py (a short run in ``make test``; ``make loadtest`` runs
the same test for longer through LIFELOGGER_LOAD_USERS / _SECONDS / _WORKERS)
and tests/test_faults.py (the same users under injected faults).

``LiveServer`` starts gunicorn with the project's ``gunicorn.conf.py`` (its
control socket off) on a free loopback port and a fresh SQLite file (migrated
with ``flask db upgrade``). It is a real gunicorn, not tests/live_server.py's
in-thread werkzeug server, because the fault tests kill its workers, shorten
its worker timeout and run it as another account. ``run_load`` registers the
users and runs one thread per user for the given time. Each user does what a
person with the app open would do, without pausing: mostly reading (the running
event, the last days' events, stats, labels, profile) and about one request in
five writing (start/switch, stop, log a past event, relabel one, delete one).

Every user works sequentially, so the events it should have are known exactly:
``UserLog`` replays each acknowledged (2xx) write the way the server's rules
say (a start stops the running event at the same instant, or replaces it
within the same second; a stop within the starting second discards the event).
Every read is compared with that log (read-your-writes), and afterwards
``check_database`` compares every user's rows with it and checks the
invariants (no overlaps, at most one running event, ends after starts).
A request that got no answer (a killed worker) may or may not have been
applied: the user then reads its events back and ``UserLog.reconcile``
accepts exactly the two outcomes that request allows.
"""
from __future__ import annotations

import http.client
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
API = "/api/v1"
LABELS = ("Programming", "Exercise", "Reading", "Sleep")
LOCKED = "database is locked"
# Reads cover everything a user logged: from well before the run to tomorrow.
HISTORY = 60 * 86400


# --------------------------------------------------------------------------- server


class LiveServer:
    """gunicorn serving the app on a fresh, migrated SQLite file, on a free loopback port.

    ``run_as`` names an unprivileged user to run gunicorn as (via ``setpriv``),
    so that file permissions bind the server even when the caller is root.
    ``app`` may name another WSGI module (tests use one with a fault hook).
    """

    def __init__(self, workers: int = 4, timeout: int | None = None, app: str = "wsgi:app",
                 run_as: str | None = None, env: dict | None = None):
        self.workers = workers
        self.timeout = timeout
        self.app = app
        self.run_as = run_as
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self) -> None:
        """Migrate a new database, start gunicorn, and wait until it answers."""
        self.dir = Path(tempfile.mkdtemp(prefix="lifelogger-live-"))
        self.dir.chmod(0o755)
        self.db_dir = self.dir / "data"
        self.db_dir.mkdir()
        self.db_path = self.db_dir / "lifelogger.sqlite3"
        self.database_url = f"sqlite:///{self.db_path}"
        self.log_path = self.dir / "gunicorn.log"
        self.env = {
            **os.environ,
            "LIFELOGGER_DATABASE_URL": self.database_url,
            "LIFELOGGER_SECRET_KEY": secrets.token_hex(32),
            "LIFELOGGER_BCRYPT_ROUNDS": "4",
            "LIFELOGGER_RATELIMIT_ENABLED": "false",
            "LIFELOGGER_BIND": "127.0.0.1:0",
            "LIFELOGGER_WORKERS": str(self.workers),
            **self.extra_env,
        }
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=REPO, env=self.env, check=True, capture_output=True,
        )
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        if self.timeout is not None:
            command += ["--timeout", str(self.timeout), "--graceful-timeout", str(self.timeout)]
        command.append(self.app)
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            for path in (self.db_dir, *self.db_dir.iterdir()):
                os.chown(path, account.pw_uid, account.pw_gid)
            command = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", *command]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self.port = self._wait_for_port()
        self._wait_until_ready()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log_text())
            if found:
                return int(found.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        log = self.log_text()
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{log}")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            probe = Client(self.port)
            try:
                if probe.call("GET", "/openapi.json").status == 200:
                    return
            except Dropped:
                pass
            finally:
                probe.close()  # a gthread worker keeps the connection alive
            time.sleep(0.05)
        log = self.log_text()
        self.stop()
        raise RuntimeError(f"gunicorn did not answer:\n{log}")

    def worker_pids(self) -> list[int]:
        """The pids of the master's current worker processes."""
        pid = self.process.pid
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]

    def wait_for_workers(self, count: int | None = None, timeout: float = 30) -> list[int]:
        """Wait until the master runs ``count`` workers (all of them by default)."""
        count = self.workers if count is None else count
        deadline = time.monotonic() + timeout
        while (pids := self.worker_pids()) and len(pids) != count and time.monotonic() < deadline:
            time.sleep(0.05)
        return pids

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop gunicorn (gracefully, then by force) and delete the database."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if getattr(self, "dir", None) is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


# --------------------------------------------------------------------------- client


class Dropped(Exception):
    """The request got no HTTP answer (connection refused, reset or closed)."""


@dataclass
class Reply:
    status: int
    json: object
    seconds: float
    headers: dict = field(default_factory=dict)


class Client:
    """An HTTP/1.1 client of the server, reconnecting for each request (``Connection: close``)."""

    def __init__(self, port: int, token: str | None = None, timeout: float = 60):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.token = token

    def call(self, method: str, path: str, body: object = None, headers: dict | None = None) -> Reply:
        """Send one request to ``/api/v1<path>``; raise ``Dropped`` when no answer comes."""
        # One connection per request, as nginx's proxy_pass speaks to gunicorn
        # (HTTP/1.0 without keep-alive); also no socket is left open afterwards.
        sent = {"Accept": "application/json", "Connection": "close", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        began = time.perf_counter()
        try:
            self.conn.request(method, API + path, body=data, headers=sent)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            raise Dropped(f"{method} {path}: {exc!r}") from None
        seconds = time.perf_counter() - began
        payload = None
        if response.getheader("Content-Type", "").startswith("application/json") and raw:
            payload = json.loads(raw)
        return Reply(response.status, payload, seconds, dict(response.getheaders()))

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- the model


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()


@dataclass(frozen=True)
class Ev:
    """An event as the API shows it, instants as epoch seconds."""

    id: int
    label: str
    started_at: int
    ended_at: int | None

    @classmethod
    def from_json(cls, data: dict) -> Ev:
        ended = data["ended_at"]
        return cls(data["id"], data["label"], epoch(data["started_at"]), None if ended is None else epoch(ended))


@dataclass
class Write:
    """A write request: what was asked, and what the answer acknowledged."""

    kind: str  # start | stop | create | patch | delete
    target: int | None = None  # event id (patch, delete)
    payload: dict | None = None
    touched: set = field(default_factory=set)  # event ids an acknowledged write changed
    lost: bool = False  # its effect is missing from the server


class UserLog:
    """The events one user must have, replayed from its acknowledged writes in order."""

    def __init__(self):
        self.events: dict[int, Ev] = {}
        self.acknowledged: list[Write] = []
        self.problems: list[str] = []

    def running(self) -> Ev | None:
        return next((e for e in self.events.values() if e.ended_at is None), None)

    def finished(self) -> list[Ev]:
        return [e for e in self.events.values() if e.ended_at is not None]

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def acknowledge(self, write: Write, status: int, data: dict | None) -> None:
        """Apply an acknowledged (2xx) answer to ``write``; flag an answer the rules forbid."""
        before = self.running()
        if write.kind == "start":
            new = Ev.from_json(data)
            if new.ended_at is not None or new.id in self.events or new.label != write.payload["label"]:
                self.problem(f"start answered {new}, not a new running {write.payload['label']} event")
            if before is not None:
                if before.started_at >= new.started_at:  # the same second: a mis-tap, replaced
                    del self.events[before.id]
                else:
                    self.events[before.id] = Ev(before.id, before.label, before.started_at, new.started_at)
                write.touched.add(before.id)
            self.events[new.id] = new
        elif write.kind == "stop":
            stopped = Ev.from_json(data)
            if before is None or stopped.id != before.id or stopped.started_at != before.started_at:
                self.problem(f"stop answered {stopped}, but the running event was {before}")
            if stopped.ended_at == stopped.started_at:  # within its first second: discarded
                self.events.pop(stopped.id, None)
            else:
                self.events[stopped.id] = stopped
        elif write.kind in ("create", "patch"):
            event = Ev.from_json(data)
            expected = self._expected(write, event.id)
            if event != expected:
                self.problem(f"{write.kind} answered {event}, expected {expected}")
            self.events[event.id] = event
        elif write.kind == "delete":
            self.events.pop(write.target, None)
        if data and "id" in data:
            write.touched.add(data["id"])
        if write.target is not None:
            write.touched.add(write.target)
        self.acknowledged.append(write)

    def _expected(self, write: Write, event_id: int) -> Ev | None:
        """What a create or a label patch must answer."""
        if write.kind == "create":
            if event_id in self.events:
                return None  # a create must make a new event
            p = write.payload
            return Ev(event_id, p["label"], epoch(p["started_at"]), epoch(p["ended_at"]))
        old = self.events.get(write.target)
        return None if old is None else Ev(old.id, write.payload["label"], old.started_at, old.ended_at)

    def refused(self, write: Write, status: int) -> None:
        """A 4xx answer: nothing changed. Flag it unless the log predicts it."""
        if write.kind == "stop" and status == 409 and self.running() is None:
            return
        self.problem(f"{write.kind} {write.payload or write.target or ''} answered {status} unexpectedly")

    def reconcile(self, server: dict[int, Ev], write: Write) -> None:
        """After a write that got no answer: accept the server's events if ``write`` explains them.

        Either the write was not applied (nothing differs) or it was applied
        exactly as its rules say; anything else means another write was lost.
        """
        mine = self.events
        added = [server[i] for i in server.keys() - mine.keys()]
        removed = mine.keys() - server.keys()
        changed = {i for i in mine.keys() & server.keys() if mine[i] != server[i]}
        running = self.running()
        ok = not (added or removed or changed)
        if not ok and write.kind == "start" and len(added) == 1 and added[0].ended_at is None \
                and added[0].label == write.payload["label"]:
            new = added[0]
            if running is None:
                ok = not (removed or changed)
            elif removed == {running.id} and not changed:
                ok = running.started_at >= new.started_at
            elif changed == {running.id} and not removed:
                ok = server[running.id] == Ev(running.id, running.label, running.started_at, new.started_at)
        elif not ok and write.kind == "stop" and running is not None and not added:
            if removed == {running.id} and not changed:
                ok = True
            elif changed == {running.id} and not removed:
                stopped = server[running.id]
                ok = stopped.ended_at is not None and stopped.ended_at > stopped.started_at \
                    and stopped == Ev(running.id, running.label, running.started_at, stopped.ended_at)
        elif not ok and write.kind == "create" and len(added) == 1 and not (removed or changed):
            p = write.payload
            ok = (added[0].label, added[0].started_at, added[0].ended_at) == (
                p["label"], epoch(p["started_at"]), epoch(p["ended_at"]))
        elif not ok and write.kind == "patch" and not (added or removed) and changed == {write.target}:
            old = mine[write.target]
            ok = server[write.target] == Ev(old.id, write.payload["label"], old.started_at, old.ended_at)
        elif not ok and write.kind == "delete" and not (added or changed) and removed == {write.target}:
            ok = True
        if not ok:
            self.problem(
                f"after an unanswered {write.kind}, the server has added {added}, removed {sorted(removed)}, "
                f"changed {[(mine[i], server[i]) for i in changed]}"
            )
            self._mark_lost(removed | changed)
        self.events = dict(server)

    def _mark_lost(self, ids: set) -> None:
        for write in self.acknowledged:
            if write.touched & ids:
                write.lost = True

    def compare(self, stored: dict[int, Ev]) -> None:
        """Compare the database's rows with the log; mark acknowledged writes that are missing."""
        differing = {i for i in self.events.keys() | stored.keys() if self.events.get(i) != stored.get(i)}
        for i in sorted(differing):
            self.problem(f"event {i}: acknowledged {self.events.get(i)}, stored {stored.get(i)}")
        self._mark_lost(differing)

    def lost_writes(self) -> int:
        return sum(1 for write in self.acknowledged if write.lost)


def invariant_problems(events: list[Ev]) -> list[str]:
    """The rules every user's events obey: ends after starts, one running, no overlaps."""
    problems = []
    ordered = sorted(events, key=lambda e: (e.started_at, e.id))
    running = [e for e in ordered if e.ended_at is None]
    if len(running) > 1:
        problems.append(f"{len(running)} running events: {running}")
    for event in ordered:
        if event.ended_at is not None and event.ended_at <= event.started_at:
            problems.append(f"event ends before it starts: {event}")
    for a, b in zip(ordered, ordered[1:]):
        if a.ended_at is None or a.ended_at > b.started_at:
            problems.append(f"events overlap: {a} and {b}")
    return problems


def stored_events(database_url: str) -> dict[str, dict[int, Ev]]:
    """Every user's events as stored, by username (read straight from the database)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT u.username, e.id, l.name, e.started_at, e.ended_at FROM events e "
                "JOIN users u ON u.id = e.user_id JOIN labels l ON l.id = e.label_id"
            )).all()
    finally:
        engine.dispose()
    by_user: dict[str, dict[int, Ev]] = {}
    for username, *event in rows:
        by_user.setdefault(username, {})[event[0]] = Ev(*event)
    return by_user


@dataclass
class Consistency:
    users: int = 0
    events: int = 0
    acknowledged_writes: int = 0
    writes_lost: int = 0
    problems: list = field(default_factory=list)


def check_database(database_url: str, users: list[SimUser]) -> Consistency:
    """Compare every user's stored events with its log, and check the invariants for all users."""
    stored = stored_events(database_url)
    result = Consistency(users=len(stored), events=sum(len(v) for v in stored.values()))
    known = {user.username for user in users}
    for username, events in stored.items():
        result.problems += [f"{username}: {p}" for p in invariant_problems(list(events.values()))]
    for user in users:
        user.log.compare(stored.get(user.username, {}))
        result.problems += [f"{user.username}: {p}" for p in user.log.problems]
        result.acknowledged_writes += len(user.log.acknowledged)
        result.writes_lost += user.log.lost_writes()
    for username in stored.keys() - known:
        result.problems.append(f"{username}: events of a user the test did not create")
    return result


# --------------------------------------------------------------------------- simulated users

# What a person with the app open does, in requests per hundred: 80 reads, 20 writes.
MIX = {
    "current": 25, "events": 25, "stats": 20, "labels": 5, "me": 5,
    "start": 10, "stop": 4, "create": 3, "patch": 2, "delete": 1,
}
WRITES = {"start", "stop", "create", "patch", "delete"}


class SimUser:
    """One person: registers, then works sequentially through the mix, checking every answer."""

    def __init__(self, port: int, username: str, seed: int, samples: list | None = None):
        self.port = port
        self.username = username
        self.password = secrets.token_urlsafe(18)
        self.rng = random.Random(seed)
        self.client = Client(port)
        self.log = UserLog()
        self.samples = samples if samples is not None else []  # (operation, status, seconds)
        self.unanswered: Write | None = None
        self.stale_reads = 0
        # Past events go in 2-hour slots going back from a day before the run:
        # they never meet the live events, nor each other.
        self.anchor = (int(time.time()) // 3600 - 24) * 3600
        self.next_slot = 1

    # -- requests

    def call(self, operation: str, method: str, path: str, body=None) -> Reply:
        try:
            reply = self.client.call(method, path, body)
        except Dropped:
            self.samples.append((operation, 0, 0.0))
            raise
        self.samples.append((operation, reply.status, reply.seconds))
        return reply

    def setup(self) -> None:
        """Register, log in, and add the labels."""
        reply = self.client.call("POST", "/auth/register", {"username": self.username, "password": self.password})
        if reply.status != 201:
            raise RuntimeError(f"register {self.username}: {reply.status} {reply.json}")
        reply = self.client.call("POST", "/auth/login", {"username": self.username, "password": self.password})
        if reply.status != 200:
            raise RuntimeError(f"login {self.username}: {reply.status} {reply.json}")
        self.client.token = reply.json["token"]
        for label in LABELS:
            reply = self.client.call("POST", "/labels", {"name": label})
            if reply.status != 201:
                raise RuntimeError(f"label {label}: {reply.status} {reply.json}")

    def run(self, deadline: float) -> None:
        """Work through the mix until ``deadline`` (time.monotonic())."""
        operations, weights = zip(*MIX.items())
        while time.monotonic() < deadline:
            if self.unanswered is not None:
                if not self.resync():
                    time.sleep(0.1)
                continue
            getattr(self, "do_" + self.rng.choices(operations, weights)[0])()
        if self.unanswered is not None:
            self.resync(wait=30)

    # -- writes

    def write(self, write: Write, method: str, path: str, body=None) -> Reply | None:
        """Send a write; apply an acknowledged answer to the log, remember an unanswered one."""
        try:
            reply = self.call(write.kind, method, path, body)
        except Dropped:
            self.unanswered = write
            return None
        if 200 <= reply.status < 300:
            self.log.acknowledge(write, reply.status, reply.json)
        elif reply.status >= 500 and not (isinstance(reply.json, dict) and reply.json.get("code") == 503):
            # A 500 or a proxy's 502 promises nothing: treat it like no answer.
            self.unanswered = write
        elif reply.status < 500:
            self.log.refused(write, reply.status)
        # A JSON 503 says "nothing was changed": the final check verifies it.
        return reply

    def do_start(self) -> Reply | None:
        label = self.rng.choice(LABELS)
        return self.write(Write("start", payload={"label": label}), "POST", "/events/start", {"label": label})

    def do_stop(self) -> Reply | None:
        return self.write(Write("stop"), "POST", "/events/stop")

    def do_create(self) -> Reply | None:
        started = self.anchor - self.next_slot * 7200
        self.next_slot += 1
        payload = {
            "label": self.rng.choice(LABELS),
            "started_at": iso(started),
            "ended_at": iso(started + self.rng.randrange(600, 5400, 60)),
        }
        return self.write(Write("create", payload=payload), "POST", "/events", payload)

    def do_patch(self) -> Reply | None:
        finished = self.log.finished()
        if not finished:
            return self.do_create()
        target = self.rng.choice(finished).id
        payload = {"label": self.rng.choice(LABELS)}
        return self.write(Write("patch", target=target, payload=payload), "PATCH", f"/events/{target}", payload)

    def do_delete(self) -> Reply | None:
        finished = self.log.finished()
        if not finished:
            return self.do_create()
        target = self.rng.choice(finished).id
        return self.write(Write("delete", target=target), "DELETE", f"/events/{target}")

    # -- reads, each checked against the log

    def read(self, operation: str, path: str) -> Reply | None:
        try:
            reply = self.call(operation, "GET", path)
        except Dropped:
            return None
        return reply if reply.status == 200 else None

    def history_query(self) -> str:
        now = int(time.time())
        return urlencode({"start": iso(now - HISTORY), "end": iso(now + 86400)})

    def do_current(self) -> None:
        reply = self.read("current", "/events/current")
        if reply is not None:
            shown = reply.json["event"]
            expected = self.log.running()
            if (Ev.from_json(shown) if shown else None) != expected:
                self.stale_reads += 1
                self.log.problem(f"/events/current showed {shown}, expected {expected}")

    def do_events(self) -> None:
        reply = self.read("events", "/events?" + self.history_query())
        if reply is not None:
            shown = {e["id"]: Ev.from_json(e) for e in reply.json["events"]}
            if shown != self.log.events:
                self.stale_reads += 1
                self.log.problem(f"/events showed {sorted(shown.values(), key=lambda e: e.id)}, "
                                 f"expected {sorted(self.log.events.values(), key=lambda e: e.id)}")

    def do_stats(self) -> None:
        reply = self.read("stats", "/stats?" + self.history_query())
        if reply is not None:
            minutes, percentages = reply.json["minutes"], reply.json["percentages"]
            if set(minutes) != set(percentages) or not set(minutes) <= set(LABELS):
                self.log.problem(f"/stats named unknown labels: {reply.json}")
            elif percentages and abs(sum(percentages.values()) - 100) > 0.05:
                self.log.problem(f"/stats percentages do not sum to 100: {reply.json}")

    def do_labels(self) -> None:
        reply = self.read("labels", "/labels")
        if reply is not None and sorted(reply.json["labels"]) != sorted(LABELS):
            self.log.problem(f"/labels showed {reply.json}")

    def do_me(self) -> None:
        reply = self.read("me", "/me")
        if reply is not None and reply.json["username"] != self.username:
            self.log.problem(f"/me showed {reply.json}")

    def resync(self, wait: float = 0) -> bool:
        """Read every event back after an unanswered write and reconcile the log with it."""
        deadline = time.monotonic() + wait
        while True:
            try:
                reply = self.call("events", "GET", "/events?" + self.history_query())
            except Dropped:
                reply = None
            if reply is not None and reply.status == 200:
                server = {e["id"]: Ev.from_json(e) for e in reply.json["events"]}
                self.log.reconcile(server, self.unanswered)
                self.unanswered = None
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


# --------------------------------------------------------------------------- the run


@dataclass
class LoadResult:
    users: int
    workers: int
    duration_s: float
    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    statuses: dict
    server_errors: int  # 5xx answers
    dropped: int  # requests that got no answer
    database_locked: int  # "database is locked" lines in the server log
    acknowledged_writes: int
    writes_lost: int
    stale_reads: int
    events_checked: int
    problems: list
    operations: dict  # operation -> {count, p50_ms, p99_ms}

    @property
    def ok(self) -> bool:
        """Nothing failed: a request without an answer counts too (no fault is injected by main())."""
        return not (self.server_errors or self.dropped or self.database_locked or self.writes_lost or self.problems)

    def report(self) -> str:
        lines = [
            f"Life Logger load test: {self.users} users for {self.duration_s:.1f} s against gunicorn "
            f"({self.workers} workers, SQLite)",
            f"requests           {self.requests}  ({self.requests_per_s:.1f} req/s)",
            f"latency            p50 {self.p50_ms:.1f} ms   p99 {self.p99_ms:.1f} ms",
            "statuses           " + ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items())),
            f"5xx                {self.server_errors}",
            f"no answer          {self.dropped}",
            f"database is locked {self.database_locked}",
            f"stale reads        {self.stale_reads}",
            f"acknowledged writes {self.acknowledged_writes}, all checked in the database; lost: {self.writes_lost}",
            f"events checked     {self.events_checked} (no overlaps, at most one running per user)",
            f"consistency problems {len(self.problems)}",
            "",
            f"{'operation':<10}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}",
        ]
        for name, row in sorted(self.operations.items(), key=lambda item: -item[1]["count"]):
            lines.append(f"{name:<10}{row['count']:>8}{row['p50_ms']:>10.1f}{row['p99_ms']:>10.1f}")
        lines += [f"  problem: {p}" for p in self.problems[:20]]
        lines.append("RESULT: " + ("PASS" if self.ok else "FAIL"))
        return "\n".join(lines)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (seconds in, milliseconds out)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


def make_users(port: int, count: int, seed: int = 1, prefix: str = "load") -> list[SimUser]:
    """Register and log in ``count`` users (in parallel) with their labels."""
    users = [SimUser(port, f"{prefix}_{i:03d}", seed * 1000 + i) for i in range(count)]
    errors = []

    def setup(user: SimUser) -> None:
        try:
            user.setup()
        except Exception as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=setup, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"setting up users failed: {errors[:3]}")
    return users


def run_load(server: LiveServer, users: int, duration: float, seed: int = 1,
             simulated: list[SimUser] | None = None) -> LoadResult:
    """Run ``users`` simulated users for ``duration`` seconds, then check the database."""
    simulated = simulated if simulated is not None else make_users(server.port, users, seed)
    log_before = server.log_text().count(LOCKED)
    began = time.monotonic()
    deadline = began + duration
    threads = [threading.Thread(target=user.run, args=(deadline,)) for user in simulated]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    for user in simulated:
        user.client.close()
    consistency = check_database(server.database_url, simulated)
    samples = [s for user in simulated for s in user.samples]
    answered = [s for s in samples if s[1]]
    by_operation: dict[str, list[float]] = {}
    for operation, _status, seconds in answered:
        by_operation.setdefault(operation, []).append(seconds)
    statuses = Counter(str(status) for _op, status, _s in answered)
    return LoadResult(
        users=len(simulated),
        workers=server.workers,
        duration_s=round(elapsed, 2),
        requests=len(answered),
        requests_per_s=round(len(answered) / elapsed, 1),
        p50_ms=round(percentile([s[2] for s in answered], 0.50), 2),
        p99_ms=round(percentile([s[2] for s in answered], 0.99), 2),
        statuses=dict(statuses),
        server_errors=sum(n for status, n in statuses.items() if int(status) >= 500),
        dropped=len(samples) - len(answered),
        database_locked=server.log_text().count(LOCKED) - log_before,
        acknowledged_writes=consistency.acknowledged_writes,
        writes_lost=consistency.writes_lost,
        stale_reads=sum(user.stale_reads for user in simulated),
        events_checked=consistency.events,
        problems=consistency.problems,
        operations={
            name: {
                "count": len(values),
                "p50_ms": round(percentile(values, 0.50), 2),
                "p99_ms": round(percentile(values, 0.99), 2),
            }
            for name, values in by_operation.items()
        },
    )
