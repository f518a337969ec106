"""Ranges at the ends of the calendar, in every time zone: a 4xx naming the problem, never a 5xx.

9999-12-30 is the last day an instant may fall on; in UTC+14 (Pacific/Kiritimati,
Etc/GMT-14) its local day ends in year 10000, which no date can hold.
"""
from datetime import datetime, timedelta, timezone
from zoneinfo import available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ZONES = sorted(available_timezones())
FIRST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LAST = datetime(9999, 12, 30, 23, 59, 59, tzinfo=timezone.utc)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)  # past the API's range: a 422, still a date


def iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Etc/GMT-14"])
def test_daily_stats_ending_on_the_last_day_east_of_utc_is_422_naming_it(user, tz):
    response = user.get("/stats/daily", query_string={"start": "9999-12-29T00:00:00Z", "end": "9999-12-30T23:00:00Z", "tz": tz})
    assert response.status_code == 422, response.json
    assert response.json["code"] == 422
    assert tz in response.json["message"] and "9999-12-31" in response.json["message"]
    assert response.json["errors"]["query"]["end"]


def test_the_profiles_own_zone_past_the_calendar_is_422_too(make_user):
    user = make_user(timezone="Pacific/Kiritimati")
    response = user.get("/stats/daily", query_string={"start": "9999-12-30T00:00:00Z", "end": "9999-12-30T12:00:00Z"})
    assert response.status_code == 422, response.json
    assert "Pacific/Kiritimati" in response.json["message"]


def test_daily_stats_near_1900_west_of_utc_answer(user):
    response = user.get("/stats/daily", query_string={"start": "1900-01-01T00:00:00Z", "end": "1900-01-02T00:00:00Z", "tz": "Etc/GMT+12"})
    assert response.status_code == 200, response.json
    assert [day["date"] for day in response.json["days"]] == ["1899-12-31", "1900-01-01"]


near_an_end = st.one_of(
    st.integers(min_value=0, max_value=4 * 86400).map(lambda s: FIRST + timedelta(seconds=s)),
    st.integers(min_value=0, max_value=4 * 86400).map(lambda s: LAST - timedelta(seconds=s)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tz=st.sampled_from(ZONES),
    first=near_an_end,
    length=st.integers(min_value=1, max_value=3 * 86400),
    day_starts_at=st.one_of(st.none(), st.sampled_from(["00:00", "04:00", "23:59"])),
    path=st.sampled_from(["/stats", "/stats/daily", "/events"]),
)
def test_no_time_zone_near_the_ends_of_the_calendar_gets_a_5xx(user, tz, first, length, day_starts_at, path):
    end = first + timedelta(seconds=length) if first <= LATEST - timedelta(seconds=length) else LATEST
    query = {"start": iso(first), "end": iso(end), "tz": tz}
    if day_starts_at and path == "/stats/daily":
        query["day_starts_at"] = day_starts_at
    if path != "/stats/daily":
        query.pop("tz")  # /stats and /events take no zone; the range is what is near the edge
    response = user.get(path, query_string=query)
    assert response.status_code < 500, (query, response.json)
    if response.status_code >= 400:
        assert set(response.json) >= {"code", "status", "message"}
