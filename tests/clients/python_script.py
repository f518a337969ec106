"""A script written against the Python client that openapi-python-client generates from the spec.

tests/test_api_contract.py generates ``lifelogger_client`` from the live
``/api/v1/openapi.json``, type-checks this file with ``mypy --strict`` and runs
it against a live server: ``python python_script.py BASE_URL``. It uses the
generated client only, as a user's script would; every ``assert isinstance``
narrows an answer to the model the document promises for that status.
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

from lifelogger_client import AuthenticatedClient, Client
from lifelogger_client.api.auth import login, register
from lifelogger_client.api.events import get_current_event, get_event, list_events, start_event, stop_event
from lifelogger_client.api.labels import create_label, list_labels
from lifelogger_client.api.profile import get_me, update_me
from lifelogger_client.api.stats import get_daily_stats, get_stats
from lifelogger_client.models import (
    CurrentEvent,
    DailyStats,
    Error,
    Event,
    EventList,
    Label,
    LabelList,
    Login,
    Profile,
    ProfileUpdate,
    Register,
    StartEvent,
    Stats,
    Token,
)
from lifelogger_client.types import UNSET, Unset


def main(base_url: str) -> None:
    anonymous = Client(base_url=base_url)
    profile = register.sync(client=anonymous, body=Register(username="generated", password="a generated client's password"))
    assert isinstance(profile, Profile), profile
    token = login.sync(client=anonymous, body=Login(username="generated", password="a generated client's password"))
    assert isinstance(token, Token), token
    client = AuthenticatedClient(base_url=base_url, token=token.token)

    me = get_me.sync(client=client)
    assert isinstance(me, Profile) and me.username == "generated", me
    changed = update_me.sync(client=client, body=ProfileUpdate(display_name="Gen", timezone="Europe/Berlin"))
    assert isinstance(changed, Profile) and changed.display_name == "Gen" and changed.timezone == "Europe/Berlin", changed

    for name in ("Work", "Read"):
        created = create_label.sync(client=client, body=Label(name=name))
        assert isinstance(created, Label) and created.name == name, created
    labels = list_labels.sync(client=client)
    assert isinstance(labels, LabelList) and labels.labels == ["Read", "Work"], labels

    nothing = get_current_event.sync(client=client)
    assert isinstance(nothing, CurrentEvent) and nothing.event is None, nothing  # null, typed Event | None

    begin = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=3)
    for offset, label in enumerate(("Work", "Read")):
        started = start_event.sync(client=client, body=StartEvent(label=label, started_at=begin + timedelta(hours=offset)))
        assert isinstance(started, Event) and started.label == label, started
    running = get_current_event.sync(client=client)
    assert isinstance(running, CurrentEvent) and running.event is not None and running.event.label == "Read", running
    stopped = stop_event.sync(client=client)  # no body: "now", as the README's curl line sends it
    assert isinstance(stopped, Event) and stopped.ended_at is not None, stopped

    # Keyset paging: one event a page, following `next` until it is null.
    seen: list[str] = []
    cursor: str | Unset = UNSET
    while True:
        page = list_events.sync(client=client, start=begin, end=begin + timedelta(days=1), limit=1, cursor=cursor)
        assert isinstance(page, EventList), page
        seen += [event.label for event in page.events]
        if not isinstance(page.next_, str):
            assert page.next_ is None, page  # sent, and null, on the last page when `limit` is given
            break
        cursor = page.next_
    assert seen == ["Work", "Read"], seen

    stats = get_stats.sync(client=client, start=begin, end=begin + timedelta(days=1))
    assert isinstance(stats, Stats), stats
    assert round(stats.minutes["Work"]) == 60 and round(stats.percentages["Work"] + stats.percentages["Read"]) == 100, stats

    daily = get_daily_stats.sync(client=client, start=begin, end=begin + timedelta(hours=3), tz="UTC")
    assert isinstance(daily, DailyStats) and daily.days, daily
    assert round(sum(minutes for day in daily.days for minutes in day.minutes.additional_properties.values())) == 180, daily

    missing = get_event.sync_detailed(client=client, event_id=999_999)
    assert missing.status_code == 404, missing
    assert isinstance(missing.parsed, Error) and missing.parsed.code == 404 and missing.parsed.message, missing.parsed
    print("ok:", missing.parsed.message)


if __name__ == "__main__":
    main(sys.argv[1])
