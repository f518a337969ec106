"""/stats/daily: minutes per label per local day, cut at midnight in an IANA zone, in one query."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from lifelogger.blueprints.stats.service import day_windows
from lifelogger.db import db

# Sessions that outlive the clock jumps of these tests.
pytestmark = pytest.mark.app_config(SESSION_IDLE_TIMEOUT=10 * 365 * 86400, SESSION_MAX_AGE=10 * 365 * 86400)


def daily(user, start, end, tz=None):
    query = {"start": start, "end": end}
    if tz is not None:
        query["tz"] = tz
    response = user.get("/stats/daily", query_string=query)
    assert response.status_code == 200, response.json
    return response.json["days"]


def test_an_event_crossing_midnight_is_split_across_two_days(user, clock, make_event):
    make_event(user, "Reading", "2026-03-22T23:00:00Z", "2026-03-23T01:30:00Z")
    assert daily(user, "2026-03-22T00:00:00Z", "2026-03-24T00:00:00Z") == [
        {"date": "2026-03-22", "minutes": {"Reading": 60.0}},
        {"date": "2026-03-23", "minutes": {"Reading": 90.0}},
    ]


def test_days_are_cut_at_midnight_of_the_given_zone(user, clock, make_event):
    # 23:00Z-01:30Z is 00:00-02:30 in Berlin (CET, +01:00): all on one local day.
    make_event(user, "Reading", "2026-03-22T23:00:00Z", "2026-03-23T01:30:00Z")
    days = daily(user, "2026-03-21T23:00:00Z", "2026-03-23T23:00:00Z", tz="Europe/Berlin")
    assert days == [
        {"date": "2026-03-22", "minutes": {}},
        {"date": "2026-03-23", "minutes": {"Reading": 150.0}},
    ]


def test_the_spring_dst_day_in_berlin_has_23_hours(user, clock, make_event):
    clock.set("2026-04-01T00:00:00Z")
    # 2026-03-28 23:00 CET to 2026-03-30 01:00 CEST: clocks went forward on the 29th.
    make_event(user, "Reading", "2026-03-28T22:00:00Z", "2026-03-29T23:00:00Z")
    days = daily(user, "2026-03-27T23:00:00Z", "2026-03-30T22:00:00Z", tz="Europe/Berlin")
    assert days == [
        {"date": "2026-03-28", "minutes": {"Reading": 60.0}},
        {"date": "2026-03-29", "minutes": {"Reading": 23 * 60.0}},
        {"date": "2026-03-30", "minutes": {"Reading": 60.0}},
    ]


def test_the_autumn_dst_day_in_berlin_has_25_hours(user, clock, make_event):
    # 2025-10-26 00:00 CEST is 2025-10-25T22:00Z; 2025-10-27 00:00 CET is 23:00Z.
    make_event(user, "Reading", "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z")
    days = daily(user, "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z", tz="Europe/Berlin")
    assert days == [{"date": "2025-10-26", "minutes": {"Reading": 25 * 60.0}}]


def test_a_day_whose_midnight_is_skipped_starts_at_the_transition():
    # Chile moved its clocks from 00:00 to 01:00 on 2025-09-07 (at 04:00Z).
    santiago = ZoneInfo("America/Santiago")
    start = datetime(2025, 9, 6, 4, tzinfo=timezone.utc)
    end = datetime(2025, 9, 8, 3, tzinfo=timezone.utc)
    windows = day_windows(start, end, santiago)
    assert [(day, b - a) for day, a, b in windows] == [(date(2025, 9, 6), 24 * 3600), (date(2025, 9, 7), 23 * 3600)]
    assert windows[1][1] == int(datetime(2025, 9, 7, 4, tzinfo=timezone.utc).timestamp())


def test_the_zone_defaults_to_the_profiles(user, clock, make_event):
    make_event(user, "Reading", "2026-03-22T23:00:00Z", "2026-03-23T01:00:00Z")
    start, end = "2026-03-22T00:00:00Z", "2026-03-24T00:00:00Z"
    assert user.get("/me").json["timezone"] == "UTC"
    assert daily(user, start, end) == daily(user, start, end, tz="UTC")
    assert daily(user, start, end)[0] == {"date": "2026-03-22", "minutes": {"Reading": 60.0}}
    assert user.patch("/me", json={"timezone": "Europe/Berlin"}).status_code == 200
    assert daily(user, start, end) == daily(user, start, end, tz="Europe/Berlin")
    assert daily(user, start, end)[1] == {"date": "2026-03-23", "minutes": {"Reading": 120.0}}


# --- The profile's day start (GET /stats/daily without tz) ---------------------------------


def set_days(user, timezone: str, day_starts_at: str) -> None:
    response = user.patch("/me", json={"timezone": timezone, "day_starts_at": day_starts_at})
    assert response.status_code == 200, response.json


def test_without_tz_days_are_cut_at_the_profiles_day_start(user, clock, make_event):
    set_days(user, "Europe/Berlin", "04:00")
    # 01:00-05:00 in Berlin (CET) on the 24th: three hours belong to the night of the 23rd.
    make_event(user, "Reading", "2026-03-24T00:00:00Z", "2026-03-24T04:00:00Z")
    days = daily(user, "2026-03-23T03:00:00Z", "2026-03-25T03:00:00Z")
    assert days == [
        {"date": "2026-03-23", "minutes": {"Reading": 180.0}},
        {"date": "2026-03-24", "minutes": {"Reading": 60.0}},
    ]


def test_an_explicit_tz_counts_from_midnight_unless_day_starts_at_is_given(user, clock, make_event):
    set_days(user, "Europe/Berlin", "04:00")
    make_event(user, "Reading", "2026-03-24T00:00:00Z", "2026-03-24T04:00:00Z")
    start, end = "2026-03-22T23:00:00Z", "2026-03-24T23:00:00Z"
    assert daily(user, start, end, tz="Europe/Berlin") == [
        {"date": "2026-03-23", "minutes": {}},
        {"date": "2026-03-24", "minutes": {"Reading": 240.0}},
    ]
    response = user.get("/stats/daily", query_string={"start": start, "end": end, "tz": "Europe/Berlin", "day_starts_at": "04:00"})
    assert response.json["days"] == [
        {"date": "2026-03-22", "minutes": {}},
        {"date": "2026-03-23", "minutes": {"Reading": 180.0}},
        {"date": "2026-03-24", "minutes": {"Reading": 60.0}},
    ]


def test_with_a_4am_day_start_the_23_hour_day_is_the_one_before_the_change(user, clock, make_event):
    """Berlin springs forward at 02:00 on 2026-03-29: inside the day that began at 04:00 on the 28th."""
    clock.set("2026-04-01T00:00:00Z")
    set_days(user, "Europe/Berlin", "04:00")
    make_event(user, "Reading", "2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z")
    days = daily(user, "2026-03-28T03:00:00Z", "2026-03-30T02:00:00Z")
    # 28th 04:00 CET = 03:00Z → 29th 04:00 CEST = 02:00Z → 30th 04:00 CEST = 02:00Z.
    assert days == [
        {"date": "2026-03-28", "minutes": {"Reading": 23 * 60.0}},
        {"date": "2026-03-29", "minutes": {"Reading": 24 * 60.0}},
    ]


def test_the_autumn_day_in_new_york_has_25_hours_from_its_day_start(user, clock, make_event):
    """New York falls back at 02:00 EDT on 2025-11-02; the day from 04:00 on the 1st lasts 25 hours."""
    set_days(user, "America/New_York", "04:00")
    make_event(user, "Reading", "2025-10-31T12:00:00Z", "2025-11-03T12:00:00Z")
    days = daily(user, "2025-10-31T08:00:00Z", "2025-11-02T09:00:00Z")
    assert days == [
        {"date": "2025-10-31", "minutes": {"Reading": 24 * 60.0 - 4 * 60.0}},  # the event starts at 08:00 EDT
        {"date": "2025-11-01", "minutes": {"Reading": 25 * 60.0}},
    ]


def test_a_half_hour_offset_zone_cuts_days_at_its_own_midnight(user, clock, make_event):
    """India is 5:30 ahead of UTC: its day starts at 18:30Z the evening before."""
    set_days(user, "Asia/Kolkata", "00:00")
    make_event(user, "Reading", "2026-03-23T18:00:00Z", "2026-03-23T19:00:00Z")  # 23:30-00:30 IST
    days = daily(user, "2026-03-22T18:30:00Z", "2026-03-24T18:30:00Z")
    assert days == [
        {"date": "2026-03-23", "minutes": {"Reading": 30.0}},
        {"date": "2026-03-24", "minutes": {"Reading": 30.0}},
    ]


def test_a_half_hour_zone_with_dst_has_a_25_hour_day(user, clock, make_event):
    """Adelaide (+10:30 in summer, +9:30 in winter) falls back at 03:00 on 2026-04-05."""
    clock.set("2026-04-10T00:00:00Z")
    set_days(user, "Australia/Adelaide", "04:00")
    make_event(user, "Reading", "2026-04-03T00:00:00Z", "2026-04-07T00:00:00Z")
    # The 4th starts at 04:00 ACDT (17:30Z on the 3rd), the 5th at 04:00 ACST (18:30Z on the 4th).
    days = daily(user, "2026-04-03T17:30:00Z", "2026-04-05T18:30:00Z")
    assert days == [
        {"date": "2026-04-04", "minutes": {"Reading": 25 * 60.0}},
        {"date": "2026-04-05", "minutes": {"Reading": 24 * 60.0}},
    ]


@pytest.mark.parametrize("value", ["4:00", "24:00", "04:60", "noon", ""])
def test_a_bad_day_starts_at_is_refused_with_422(user, value):
    query = {"start": "2026-03-23T00:00:00Z", "end": "2026-03-24T00:00:00Z", "day_starts_at": value}
    response = user.get("/stats/daily", query_string=query)
    assert response.status_code == 422
    assert "day_starts_at" in response.json["errors"]["query"]


def test_every_day_is_listed_even_without_time(user, clock, make_event):
    make_event(user, "Reading", "2026-03-20T10:00:00Z", "2026-03-20T11:00:00Z")
    days = daily(user, "2026-03-18T00:00:00Z", "2026-03-21T00:00:00Z")
    assert [d["date"] for d in days] == ["2026-03-18", "2026-03-19", "2026-03-20"]
    assert [d["minutes"] for d in days] == [{}, {}, {"Reading": 60.0}]


def test_the_first_and_last_days_are_clipped_to_the_range(user, clock, make_event):
    make_event(user, "Reading", "2026-03-22T08:00:00Z", "2026-03-23T08:00:00Z")
    days = daily(user, "2026-03-22T12:00:00Z", "2026-03-23T06:00:00Z")
    assert days == [
        {"date": "2026-03-22", "minutes": {"Reading": 720.0}},
        {"date": "2026-03-23", "minutes": {"Reading": 360.0}},
    ]


def test_labels_are_ordered_by_time_within_a_day(user, clock, make_event):
    make_event(user, "Exercise", "2026-03-23T08:00:00Z", "2026-03-23T08:30:00Z")
    make_event(user, "Programming", "2026-03-23T09:00:00Z", "2026-03-23T11:00:00Z")
    make_event(user, "Reading", "2026-03-23T12:00:00Z", "2026-03-23T12:00:20Z")
    (day,) = daily(user, "2026-03-23T00:00:00Z", "2026-03-24T00:00:00Z")
    assert list(day["minutes"].items()) == [("Programming", 120.0), ("Exercise", 30.0), ("Reading", 0.33)]


def test_the_running_event_counts_up_to_now_split_by_day(user, clock):
    clock.set("2026-03-23T22:00:00Z")
    user.post("/events/start", json={"label": "Programming"})
    clock.set("2026-03-24T01:00:00Z")
    days = daily(user, "2026-03-23T00:00:00Z", "2026-03-25T00:00:00Z")
    assert days == [
        {"date": "2026-03-23", "minutes": {"Programming": 120.0}},
        {"date": "2026-03-24", "minutes": {"Programming": 60.0}},
    ]


def test_the_days_add_up_to_the_stats_of_the_range(user, clock, make_event):
    make_event(user, "Reading", "2026-03-20T22:10:00Z", "2026-03-21T03:00:00Z")
    make_event(user, "Exercise", "2026-03-21T03:00:00Z", "2026-03-21T03:45:10Z")
    make_event(user, "Programming", "2026-03-22T23:59:00Z", "2026-03-23T10:00:00Z")
    start, end = "2026-03-20T23:00:00Z", "2026-03-23T23:00:00Z"
    totals = {}
    for day in daily(user, start, end, tz="Europe/Berlin"):
        for label, minutes in day["minutes"].items():
            totals[label] = round(totals.get(label, 0) + minutes, 2)
    assert totals == user.get("/stats", query_string={"start": start, "end": end}).json["minutes"]


def test_other_users_time_is_not_counted(user, make_user, clock, make_event):
    other = make_user("other", labels=["Reading"])
    make_event(other, "Reading", "2026-03-23T08:00:00Z", "2026-03-23T09:00:00Z")
    assert daily(user, "2026-03-23T00:00:00Z", "2026-03-24T00:00:00Z") == [{"date": "2026-03-23", "minutes": {}}]


def test_an_empty_range_has_no_days(user):
    assert daily(user, "2026-03-23T10:00:00Z", "2026-03-23T10:00:00Z") == []


def test_a_whole_year_is_one_query(app, user, clock, make_event):
    clock.set("2026-12-31T00:00:00Z")
    make_event(user, "Reading", "2026-01-05T08:00:00Z", "2026-01-05T09:00:00Z")
    make_event(user, "Reading", "2026-06-05T08:00:00Z", "2026-06-05T09:00:00Z")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            days = daily(user, "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z", tz="Europe/Berlin")
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert len(days) == 365
    assert sum(len(d["minutes"]) for d in days) == 2
    assert len([s for s in statements if "events" in s]) == 1


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "Europe", "../../etc/passwd", "/etc/localtime", "", "x" * 300])
def test_an_unknown_zone_is_refused_with_422(user, tz):
    response = user.get("/stats/daily", query_string={"start": "2026-03-23T00:00:00Z", "end": "2026-03-24T00:00:00Z", "tz": tz})
    assert response.status_code == 422
    assert "tz" in response.json["errors"]["query"]
    assert "time zone" in response.json["message"]


def test_a_range_longer_than_ten_years_is_refused(user):
    response = user.get("/stats/daily", query_string={"start": "2000-01-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"})
    assert response.status_code == 422
    assert "3660 days" in response.json["message"]


@pytest.mark.parametrize("query", [{}, {"start": "2026-03-24T00:00:00Z"}, {"start": "2026-03-25T00:00:00Z", "end": "2026-03-24T00:00:00Z"}])
def test_the_range_is_validated_like_stats(user, query):
    response = user.get("/stats/daily", query_string=query)
    assert response.status_code == 422
    assert response.json["errors"]["query"]


def test_it_needs_a_token(anon):
    response = anon.get("/stats/daily", query_string={"start": "2026-03-23T00:00:00Z", "end": "2026-03-24T00:00:00Z"})
    assert response.status_code == 401


def test_it_is_documented_in_the_openapi_spec(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/stats/daily"]["get"]
    assert operation["summary"] == "Time per label for each day"
    assert {p["name"]: p["required"] for p in operation["parameters"]} == {"start": True, "end": True, "tz": False, "day_starts_at": False, "format": False}
    assert {"200", "401", "422"} <= set(operation["responses"])
    assert operation["security"] == [{"bearerAuth": []}]


@pytest.mark.parametrize("tz", ["Europe", "x" * 300])
def test_a_tz_folder_or_overlong_name_is_a_422_on_the_profile_too(user, tz):
    response = user.patch("/me", json={"timezone": tz})
    assert response.status_code == 422
    assert "Unknown time zone" in response.json["message"]


@pytest.mark.parametrize(
    "start,end",
    [("1900-01-01T00:00:00Z", "1900-01-03T00:00:00Z"), ("2039-01-01T00:00:00Z", "2039-01-03T00:00:00Z")],
)
def test_ranges_beyond_32_bit_epoch_seconds_work(user, clock, make_event, start, end):
    """Instants before 1901 or after 2038 do not fit a 32-bit integer (PostgreSQL's INTEGER)."""
    make_event(user, "Reading", "2026-03-23T08:00:00Z", "2026-03-23T09:00:00Z")
    days = daily(user, start, end, tz="Europe/Berlin")
    assert days and all(day["minutes"] == {} for day in days)
