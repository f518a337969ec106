"""Faults against a live gunicorn on SQLite: 503 JSON while they last, nothing lost or half-written.

Every test ends with ``check_database``: each user's stored events must be
exactly what its acknowledged (2xx) writes say, so a write answered 503, or
cut off by a killed worker, that left anything behind fails the test too.

Root ignores file permissions, and these tests run as root in CI: the
read-only test therefore makes the database file immutable (``chattr +i``),
which refuses root's writes too, wherever the suite may (CAP_LINUX_IMMUTABLE,
a filesystem with the attribute: ext4, xfs, btrfs). Elsewhere, as root, it
runs gunicorn as ``nobody`` (``setpriv``) so that ``chmod`` binds the server as
it would on a real deployment; that needs CAP_SETUID only, but also a checkout
``nobody`` can read (gunicorn runs from its ``.venv``), which a checkout in a
home directory or ``mktemp -d`` (0700) is not. Not root: ``chmod`` alone.
"""
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade

from lifelogger import create_app
from lifelogger.db import db

from tests.support.api import PASSWORD, ApiClient
from tests.support.config import base_config
from .fault_hooks import STALL_HEADER
from .support.load import Dropped, LiveServer, check_database, make_users, run_load, stored_events

WORKER_TIMEOUT = 2


def unprivileged_account() -> str | None:
    """The account to run gunicorn as so that file permissions apply: nobody, when we are root."""
    return "nobody" if os.geteuid() == 0 else None


def chattr(flag: str, path: Path) -> bool:
    """``chattr flag path``; False when the filesystem or our capabilities do not allow it."""
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def immutable_files_work() -> bool:
    """True when, as root, ``chattr +i`` works where LiveServer keeps its database (the temp dir)."""
    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as probe_dir:
        probe = Path(probe_dir) / "probe"
        probe.touch()
        if not chattr("+i", probe):
            return False
        chattr("-i", probe)
        return True


@contextmanager
def immutable(path: Path):
    """The file cannot be written, by root either, while the block runs."""
    assert chattr("+i", path)
    try:
        yield
    finally:
        chattr("-i", path)  # else LiveServer could not delete its directory


@contextmanager
def read_only_for(server, companions: list[Path], by_immutable: bool):
    """Make the server's database unwritable for it: immutable (binds root too), or mode 0444
    with its companions (binds the unprivileged server); the block ends with only the
    database itself writable again, as an operator would fix it."""
    if by_immutable:
        with immutable(server.db_path):
            yield
        return
    for path in (server.db_path, *companions):
        path.chmod(0o444)
    try:
        yield
    finally:
        server.db_path.chmod(0o644)


def assert_json_503(reply):
    assert reply.status == 503, (reply.status, reply.json)
    assert reply.json["code"] == 503 and reply.json["message"]
    assert reply.headers["Retry-After"]


def assert_consistent(server, users):
    result = check_database(server.database_url, users)
    assert result.problems == [] and result.writes_lost == 0, result.problems
    return result


def test_a_read_only_database_answers_503_and_recovers_by_itself(record_property):
    by_immutable = immutable_files_work()
    with LiveServer(workers=2, run_as=None if by_immutable else unprivileged_account()) as server:
        alice, bob = make_users(server.port, 2, prefix="ro")
        assert alice.do_start().status == 201 and bob.do_create().status == 201
        workers = server.worker_pids()

        # While the file is read-only, SQLite may delete and re-create its -wal
        # and -shm files with the file's read-only mode; make that certain.
        # (An immutable database leaves them alone: nothing can replace them.)
        companions = [server.db_path.with_name(server.db_path.name + suffix) for suffix in ("-wal", "-shm")]
        with read_only_for(server, companions, by_immutable):
            if by_immutable:
                with pytest.raises(PermissionError):
                    open(server.db_path, "r+b").close()  # not even root may write it now
            refused = [user.do_start() for user in (alice, bob) * 4] + [bob.do_create() for _ in range(2)]
            for reply in refused:
                assert_json_503(reply)
            # Reads need no write: they go on working (they may not show anything new).
            current = alice.client.call("GET", "/events/current")
            assert current.status == 200 and current.json["event"]["id"] == alice.log.running().id
            assert bob.client.call("GET", "/events?" + bob.history_query()).status == 200
        accepted = [user.do_start() for user in (alice, bob) * 4]
        assert [reply.status for reply in accepted] == [201] * 8
        assert server.worker_pids() == workers  # no restart, no worker lost
        assert all(path.stat().st_mode & 0o200 for path in companions)
        result = assert_consistent(server, [alice, bob])
    record_property("read_only_by", "chattr +i" if by_immutable else "chmod 0444")
    record_property("refused_with_503", len(refused))
    record_property("writes_lost", result.writes_lost)


def test_a_database_moved_away_answers_503_and_recovers_by_itself(record_property):
    with LiveServer(workers=2) as server:
        alice, bob = make_users(server.port, 2, prefix="gone")
        assert alice.do_start().status == 201
        workers = server.worker_pids()

        away = server.db_dir.with_name("moved-away")
        server.db_dir.rename(away)
        replies = [alice.do_start(), bob.do_stop(), bob.do_create()]
        replies += [user.client.call("GET", path) for user in (alice, bob) for path in ("/me", "/events/current")]
        for reply in replies:
            assert_json_503(reply)
        assert not server.db_path.exists()  # the app did not create an empty database instead

        away.rename(server.db_dir)
        assert [alice.do_stop().status, bob.do_start().status, alice.do_start().status] == [200, 201, 201]
        assert server.worker_pids() == workers
        result = assert_consistent(server, [alice, bob])
    record_property("refused_with_503", len(replies))
    record_property("writes_lost", result.writes_lost)


def test_workers_killed_with_sigkill_mid_load_lose_no_acknowledged_write(record_property):
    kills = []

    def kill_workers(server, stop):
        """Every 1.5 s, SIGKILL a worker that has been up since the last round (so it is serving)."""
        chooser = random.Random(5)
        serving = set(server.worker_pids())
        while not stop.wait(1.5):
            current = set(server.worker_pids())
            victims = sorted(current & serving)
            if victims:
                victim = chooser.choice(victims)
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)
                current.discard(victim)
            serving = current

    with LiveServer(workers=4) as server:
        users = make_users(server.port, 12, prefix="kill")
        stop = threading.Event()
        killer = threading.Thread(target=kill_workers, args=(server, stop))
        killer.start()
        try:
            result = run_load(server, len(users), duration=8, simulated=users)
        finally:
            stop.set()
            killer.join()
        assert len(server.wait_for_workers()) == 4  # the master replaced every killed worker
    print(result.report())
    assert len(kills) >= 3
    assert result.server_errors == 0 and result.database_locked == 0, result.report()
    assert result.problems == [] and result.writes_lost == 0, result.report()
    # The load really wrote while workers died (a loaded machine may serve few requests).
    assert result.acknowledged_writes >= 20, result.report()
    record_property("workers_killed", len(kills))
    record_property("requests_cut_off", result.dropped)
    record_property("acknowledged_writes", result.acknowledged_writes)
    record_property("writes_lost", result.writes_lost)
    record_property("max_latency_ms", round(max(s for u in users for _op, st, s in u.samples if st) * 1000))


def wait_for_replacement(server, killed: set, timeout: float = 30) -> None:
    """Wait until gunicorn has killed ``killed``'s workers and started new ones."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = set(server.worker_pids())
        if not pids & killed and len(pids) == server.workers:
            return
        time.sleep(0.1)
    raise AssertionError(f"workers {killed} were not replaced:\n{server.log_text()}")


def timed_out_start(user, **headers):
    """A start cut off by the worker timeout: a JSON 504, or no answer if the worker had to be SIGKILLed."""
    began = time.monotonic()
    try:
        reply = user.client.call("POST", "/events/start", {"label": "Reading"}, headers=headers)
    except Dropped:
        reply = None
    waited = time.monotonic() - began
    if reply is not None:
        assert reply.status == 504 and reply.json["code"] == 504, (reply.status, reply.json)
    return reply, waited


# The per-request worker timeout is a sync worker's (gunicorn.conf.py's default
# gthread treats it as a heartbeat): these two tests pin the sync class, which an
# operator may still choose with LIFELOGGER_WORKER_CLASS=sync.
SYNC = {"LIFELOGGER_WORKER_CLASS": "sync"}


def test_a_request_timing_out_while_the_database_is_locked_writes_nothing(record_property):
    with LiveServer(workers=1, timeout=WORKER_TIMEOUT, env=SYNC) as server:
        (user,) = make_users(server.port, 1, prefix="wait")
        assert user.do_start().status == 201
        before = dict(user.log.events)
        workers = set(server.worker_pids())

        # Another program (a backup, a sqlite3 shell) holds the write lock.
        holder = sqlite3.connect(server.db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            # Stuck in SQLite's busy wait (C code), the worker cannot run the
            # abort handler: gunicorn SIGKILLs it and the client gets no answer.
            _reply, waited = timed_out_start(user)
            wait_for_replacement(server, workers)
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        assert "WORKER TIMEOUT" in server.log_text()
        assert stored_events(server.database_url)[user.username] == before
        assert user.do_start().status == 201  # and the app carries on
        assert_consistent(server, [user])
    assert waited >= WORKER_TIMEOUT
    record_property("seconds_until_cut_off", round(waited, 1))


def test_a_request_killed_mid_transaction_by_the_worker_timeout_leaves_no_half_written_event(record_property):
    with LiveServer(workers=1, timeout=WORKER_TIMEOUT, app="tests.fault_hooks:app", env=SYNC) as server:
        (user,) = make_users(server.port, 1, prefix="half")
        assert user.do_start().status == 201
        time.sleep(1.1)  # the next start stops this event rather than replacing it
        before = dict(user.log.events)
        workers = set(server.worker_pids())

        # The start stops the running event and inserts the new one, then stalls
        # before COMMIT until the worker timeout kills it.
        reply, waited = timed_out_start(user, **{STALL_HEADER: "30"})
        assert reply is not None  # answered by the app's 504 JSON, not gunicorn's HTML 500
        wait_for_replacement(server, workers)

        assert "WORKER TIMEOUT" in server.log_text()
        assert stored_events(server.database_url)[user.username] == before  # still running, nothing new
        assert user.do_start().status == 201
        assert_consistent(server, [user])
    assert waited >= WORKER_TIMEOUT
    record_property("seconds_until_cut_off", round(waited, 1))


# --- PostgreSQL: refused, then a server that goes away and comes back

POSTGRES = ("127.0.0.1", 5432)
FAULTS_DATABASE = "lifelogger_load_faults"


class Relay:
    """A TCP relay to PostgreSQL on a free port, which the test can cut (the server "goes away") and restore."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def open(self):
        self.listener = socket.create_server(("127.0.0.1", self.port or 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        """Refuse new connections and break the open ones."""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
        except OSError:
            pass  # already cut
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets = []


def postgres_available() -> bool:
    try:
        socket.create_connection(POSTGRES, timeout=1).close()
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_user(app):
    anon = ApiClient(app.test_client())
    assert anon.post("/auth/register", json={"username": "pat", "password": PASSWORD}).status_code == 201
    token = anon.post("/auth/login", json={"username": "pat", "password": PASSWORD}).json["token"]
    user = ApiClient(app.test_client(), token=token)
    assert user.post("/labels", json={"name": "Reading"}).status_code == 201
    return user


def assert_flask_503(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.json["code"] == 503 and response.headers["Retry-After"]


def test_a_postgresql_server_refusing_connections_answers_503():
    app = create_app(base_config(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/lifelogger"))
    client = ApiClient(app.test_client(), token="whatever")
    assert_flask_503(client.get("/me"))
    assert_flask_503(client.post("/events/start", json={"label": "Reading"}))
    with app.app_context():
        db.engine.dispose()


@pytest.mark.skipif(not postgres_available(), reason="needs PostgreSQL on 127.0.0.1:5432")
def test_a_postgresql_server_going_away_answers_503_and_recovers_by_itself():
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {FAULTS_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {FAULTS_DATABASE}")
    relay = Relay(POSTGRES)
    relay.open()
    app = create_app(base_config(f"postgresql+psycopg://postgres@127.0.0.1:{relay.port}/{FAULTS_DATABASE}"))
    try:
        with app.app_context():
            upgrade()
        user = api_user(app)
        started = user.post("/events/start", json={"label": "Reading"})
        assert started.status_code == 201

        relay.cut()
        for _ in range(3):
            assert_flask_503(user.post("/events/stop"))
            assert_flask_503(user.get("/events/current"))

        relay.open()  # the same port again
        assert user.get("/events/current").json["event"] == started.json
        assert user.post("/events/stop").status_code == 200
    finally:
        relay.cut()
        with app.app_context():
            db.engine.dispose()
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {FAULTS_DATABASE} WITH (FORCE)")


def test_a_database_file_moved_away_is_not_replaced_by_an_empty_one(tmp_path):
    """In-process: the directory stays, the file (and its -wal, -shm) goes away and comes back."""
    path = str(tmp_path / "lifelogger.sqlite3")
    app = create_app(base_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
    user = api_user(app)
    started = user.post("/events/start", json={"label": "Reading"}).json
    files = [f for f in (path, path + "-wal", path + "-shm") if os.path.exists(f)]
    for f in files:
        os.rename(f, f + ".away")
    try:
        for response in (user.get("/events/current"), user.post("/events/stop"), user.get("/health")):
            assert_flask_503(response)  # the health check too: an empty database would have said "ok"
        assert not os.path.exists(path)
    finally:
        for f in files:
            os.rename(f + ".away", f)
    assert user.get("/events/current").json["event"] == started
    with app.app_context():
        db.engine.dispose()
