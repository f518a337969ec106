"""The peers: TimeTagger and ActivityWatch's aw-server, installed from PyPI and loaded with the same events.

Each peer gets its own virtual environment under a scratch folder (never the
project's .venv), serves on a free 127.0.0.1 port with its data in that
folder, and is loaded through its own HTTP API with the heavy user's log.
``Peer.operations`` gives the same four questions Life Logger answers in
bench/measure.py, asked with bench/client.py:

- ``stats_year``: minutes per label over the last 365 days.
  TimeTagger computes reports in the browser, so its cost is
  ``GET /api/v2/records?timerange=`` for the year plus summing the records
  per tag here (running records cut at now, every record at the range).
  aw-server answers it on the server: ``POST /api/0/query/`` with
  ``merge_events_by_keys(query_bucket(...), ["label"])`` and
  ``sort_by_duration`` over the year.
- ``events_year`` / ``events_day``: the records / events of the last 365 days /
  24 hours (TimeTagger ``GET /api/v2/records?timerange=``, aw-server
  ``GET /api/0/buckets/<id>/events?start=&end=&limit=-1``).
- the concurrent read is ``events_day`` from several connections at once.
"""
from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.client import Client
from bench.server import Server, free_port

DAY = 86_400
PACKAGES = {
    "timetagger": ["timetagger"],
    # aw-core 0.5.18 breaks on peewee 4; Flask 2.3 dropped the json_encoder aw-server uses.
    "aw-server": ["aw-server==0.12.0", "peewee<4", "flask<2.3"],
}


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def install(name: str, folder: Path) -> Path:
    """A venv at ``folder/name`` with the peer installed from PyPI (kept if already there)."""
    venv = folder / name
    stamp = venv / ".installed"
    if not stamp.exists():
        print(f"  installing {' '.join(PACKAGES[name])} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *PACKAGES[name]],
                             capture_output=True, text=True, timeout=900)
        if pip.returncode:
            raise RuntimeError(f"pip install {' '.join(PACKAGES[name])} failed:\n{pip.stdout[-2000:]}{pip.stderr[-2000:]}")
        stamp.touch()
    return venv


def version(venv: Path, distribution: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    return subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True).stdout.strip()


class TimeTagger:
    name = "TimeTagger"
    PREFIX = "/timetagger/api/v2"

    def __init__(self, venvs: Path, data: Path):
        self.venv = install("timetagger", venvs)
        self.version = version(self.venv, "timetagger")
        self.data = data / "timetagger"
        self.port = free_port()
        self.server = Server(
            "timetagger",
            [str(self.venv / "bin" / "python"), "-m", "timetagger", f"--bind=127.0.0.1:{self.port}",
             f"--datadir={self.data}", "--log_level=warning"],
            self.port, ready_path="/timetagger/status", cwd=data,
        )
        self.headers: dict[str, str] = {}

    def __enter__(self):
        self.server.__enter__()
        # Its local sign-in: a server bound to 127.0.0.1 hands "defaultuser" a webtoken.
        body = base64.b64encode(json.dumps({"method": "localhost"}).encode())
        token = Client(self.port).json("POST", f"{self.PREFIX}/bootstrap_authentication", body)["token"]
        self.headers = {"authtoken": token}
        return self

    def __exit__(self, *exc):
        self.server.__exit__(*exc)

    def load(self, events: list[tuple[int, str, int, int | None]], now: int) -> None:
        """PUT the events as records (#label in the description; a running record has t1 == t2)."""
        client = Client(self.port, self.headers)
        for begin in range(0, len(events), 5000):
            records = [
                {"key": f"ll{event_id}", "mt": now, "t1": started, "t2": ended if ended is not None else started,
                 "ds": "#" + re.sub(r"\W", "", label)}
                for event_id, label, started, ended in events[begin:begin + 5000]
            ]
            answer = client.json("PUT", f"{self.PREFIX}/records", records)
            if answer["failed"] or answer["errors"]:
                raise RuntimeError(f"TimeTagger refused records: {answer['errors'][:3]}")
        client.close()

    def _records(self, client: Client, start: int, end: int) -> list[dict]:
        return client.json("GET", f"{self.PREFIX}/records?timerange={start}-{end}")["records"]

    def operations(self, client: Client, now: int) -> dict:
        def stats_year():
            start, minutes = now - 365 * DAY, {}
            for record in self._records(client, start, now):
                t2 = now if record["t1"] == record["t2"] else record["t2"]
                seconds = min(t2, now) - max(record["t1"], start)
                if seconds > 0:
                    minutes[record.get("ds", "")] = minutes.get(record.get("ds", ""), 0) + seconds / 60
            return minutes

        return {
            "stats_year": stats_year,
            "events_year": lambda: self._records(client, now - 365 * DAY, now),
            "events_day": lambda: self._records(client, now - DAY, now),
        }

    def day_read(self, now: int) -> dict:
        return {"path": f"{self.PREFIX}/records?timerange={now - DAY}-{now}", "headers": self.headers}


class AwServer:
    name = "aw-server"
    BUCKET = "lifelogger-bench"

    def __init__(self, venvs: Path, data: Path):
        self.venv = install("aw-server", venvs)
        self.version = version(self.venv, "aw-server")
        home = data / "aw-server"
        self.port = free_port()
        env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
               "XDG_CACHE_HOME": str(home / "cache")}
        self.server = Server(
            "aw-server",
            [str(self.venv / "bin" / "aw-server"), "--testing", "--host", "127.0.0.1", "--port", str(self.port)],
            self.port, ready_path="/api/0/info", env=env, cwd=data,
        )

    def __enter__(self):
        self.server.__enter__()
        return self

    def __exit__(self, *exc):
        self.server.__exit__(*exc)

    def load(self, events: list[tuple[int, str, int, int | None]], now: int) -> None:
        """Create a bucket and POST the events (``data.label``; a running event lasts until now)."""
        client = Client(self.port)
        client.json("POST", f"/api/0/buckets/{self.BUCKET}",
                    {"type": "lifelogger.event", "client": "lifelogger-bench", "hostname": "bench"})
        for begin in range(0, len(events), 5000):
            chunk = [
                {"timestamp": iso(started), "duration": (ended if ended is not None else now) - started,
                 "data": {"label": label}}
                for _event_id, label, started, ended in events[begin:begin + 5000]
            ]
            client.json("POST", f"/api/0/buckets/{self.BUCKET}/events", chunk)
        client.close()

    def _events(self, client: Client, start: int, end: int) -> list[dict]:
        return client.json("GET", self._events_path(start, end))

    def _events_path(self, start: int, end: int) -> str:
        from urllib.parse import urlencode

        return f"/api/0/buckets/{self.BUCKET}/events?" + urlencode({"start": iso(start), "end": iso(end), "limit": -1})

    def operations(self, client: Client, now: int) -> dict:
        query = {
            "timeperiods": [f"{iso(now - 365 * DAY)}/{iso(now)}"],
            "query": [f'events = query_bucket("{self.BUCKET}");',
                      'events = merge_events_by_keys(events, ["label"]);',
                      "events = sort_by_duration(events);",
                      "RETURN = events;"],
        }
        return {
            "stats_year": lambda: client.json("POST", "/api/0/query/", query),
            "events_year": lambda: self._events(client, now - 365 * DAY, now),
            "events_day": lambda: self._events(client, now - DAY, now),
        }

    def day_read(self, now: int) -> dict:
        return {"path": self._events_path(now - DAY, now), "headers": {}}


PEERS = [TimeTagger, AwServer]


def load_timed(peer, events, now) -> float:
    began = time.perf_counter()
    peer.load(events, now)
    return time.perf_counter() - began
