"""Property tests (Hypothesis) of the time logic against brute force.

For any set of non-overlapping events (the last one possibly running) and any
range ``[start, end)``:

- ``/stats`` minutes per label equal the brute-force sum of each event clipped
  to the range (a running event counting up to now);
- its percentages sum to 100 ± 0.05 (or there are none);
- ``/events`` returns exactly the events whose start lies in the range, oldest first.

Events are written straight into the database (they are non-overlapping by
construction) so each example costs one commit; each example gets a user of its
own. Runs are derandomized: CI sees the same examples every time.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifelogger.security.sessions import open_session
from lifelogger.core import timeutil
from lifelogger.db import db
from lifelogger.db.models import Event, Label, User

from tests.support.api import ApiClient

BASE = datetime(2026, 3, 1, tzinfo=timeutil.UTC)
NOW = BASE + timedelta(days=40)
LABELS = ["Programming", "exercise", "Écrire", "Sleep"]
DAY = 24 * 3600

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (seconds since the previous event's end, duration in seconds, label index)
event_steps = st.lists(
    st.tuples(
        st.one_of(st.just(0), st.integers(0, 2 * DAY)),
        st.one_of(st.integers(1, 120), st.integers(1, 2 * DAY)),
        st.integers(0, len(LABELS) - 1),
    ),
    max_size=8,
)


@st.composite
def timelines(draw):
    """Non-overlapping events as (label, start, end or None for running), oldest first."""
    events, cursor = [], BASE
    for gap, duration, label in draw(event_steps):
        start = cursor + timedelta(seconds=gap)
        end = start + timedelta(seconds=duration)
        events.append((LABELS[label], start, end))
        cursor = end
    if events and draw(st.booleans()):
        label, start, _end = events[-1]
        events[-1] = (label, start, None)  # running since its start
    return events


@st.composite
def ranges(draw, events):
    """A range whose ends are often event boundaries (± a second), else anywhere near."""
    boundaries = [t for _label, start, end in events for t in (start, end or NOW)] or [BASE]
    near_boundary = st.builds(
        lambda t, d: t + timedelta(seconds=d), st.sampled_from(boundaries), st.integers(-1, 1)
    )
    anywhere = st.builds(lambda s: BASE + timedelta(seconds=s), st.integers(-5 * DAY, 45 * DAY))
    start = draw(st.one_of(near_boundary, anywhere))
    end = draw(st.one_of(near_boundary, anywhere, st.just(start)))
    return (start, end) if start <= end else (end, start)


_usernames = (f"prop{n}" for n in itertools.count())


def store(app, events) -> tuple[ApiClient, list[int]]:
    """A fresh user owning exactly these events; returns their client and the event ids."""
    with app.app_context():
        user = User(username=next(_usernames), display_name="p", password_hash="-")
        db.session.add(user)
        db.session.flush()
        labels = {name: Label(user_id=user.id, name=name) for name in LABELS}
        db.session.add_all(labels.values())
        rows = [Event(user_id=user.id, label_ref=labels[name], started_at=s, ended_at=e) for name, s, e in events]
        db.session.add_all(rows)
        token = open_session(user)
        db.session.commit()
        ids = [row.id for row in rows]
    return ApiClient(app.test_client(), token=token), ids


def query(start: datetime, end: datetime) -> dict:
    return {"start": timeutil.format_instant(start), "end": timeutil.format_instant(end)}


def brute_force_seconds(events, start: datetime, end: datetime) -> dict[str, int]:
    totals: dict[str, int] = {}
    for label, s, e in events:
        clipped = (min(e or NOW, end) - max(s, start)).total_seconds()
        if clipped > 0:
            totals[label] = totals.get(label, 0) + int(clipped)
    return totals


@PROPERTY_SETTINGS
@given(data=st.data())
def test_stats_minutes_are_the_clipped_sum_and_percentages_add_up(app, clock, data):
    clock.current = NOW
    events = data.draw(timelines(), label="events")
    start, end = data.draw(ranges(events), label="range")
    user, _ids = store(app, events)

    response = user.get("/stats", query_string=query(start, end))

    assert response.status_code == 200, response.json
    expected = brute_force_seconds(events, start, end)
    assert response.json["minutes"] == {label: round(seconds / 60, 2) for label, seconds in expected.items()}
    percentages = response.json["percentages"]
    assert set(percentages) == set(expected)
    if percentages:
        assert abs(sum(percentages.values()) - 100) <= 0.05


@PROPERTY_SETTINGS
@given(data=st.data())
def test_events_are_exactly_those_starting_in_the_range(app, clock, data):
    clock.current = NOW
    events = data.draw(timelines(), label="events")
    start, end = data.draw(ranges(events), label="range")
    user, ids = store(app, events)

    response = user.get("/events", query_string=query(start, end))

    assert response.status_code == 200, response.json
    expected = [event_id for event_id, (_label, s, _e) in zip(ids, events) if start <= s < end]
    assert [event["id"] for event in response.json["events"]] == expected
    for event in response.json["events"]:
        label, s, e = events[ids.index(event["id"])]
        assert event["label"] == label
        assert event["started_at"] == timeutil.format_instant(s)
        assert event["ended_at"] == (timeutil.format_instant(e) if e else None)
