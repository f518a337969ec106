"""Local days and weeks: cut at the day start in the user's zone, DST-correct."""
from datetime import date

import pytest

from lifelogger.core import days
from lifelogger.core import timeutil

BERLIN = days.zone_named("Europe/Berlin")
NEW_YORK = days.zone_named("America/New_York")
KOLKATA = days.zone_named("Asia/Kolkata")  # UTC+05:30


def utc(text):
    return timeutil.parse_instant(text)


@pytest.mark.parametrize(
    "zone,day,hours",
    [
        (BERLIN, date(2026, 3, 29), 23),  # clocks spring forward
        (BERLIN, date(2026, 10, 25), 25),  # and fall back
        (NEW_YORK, date(2026, 3, 8), 23),
        (NEW_YORK, date(2026, 11, 1), 25),
        (KOLKATA, date(2026, 3, 29), 24),
    ],
)
def test_days_last_23_24_or_25_hours(zone, day, hours):
    start, end = days.current_day(days.day_start(day, zone), zone)
    assert (end - start).total_seconds() == hours * 3600


def test_a_day_start_of_4am_moves_the_boundary():
    start, end = days.current_day(utc("2026-03-24T02:00:00Z"), BERLIN, starts_at_minutes=240)
    # 03:00 in Berlin is before 04:00: still the 23rd's day.
    assert (start, end) == (utc("2026-03-23T03:00:00Z"), utc("2026-03-24T03:00:00Z"))


def test_half_hour_offsets():
    assert days.day_start(date(2026, 3, 24), KOLKATA) == utc("2026-03-23T18:30:00Z")


def test_weeks_start_on_monday():
    start, end = days.current_week(utc("2026-03-26T12:00:00Z"), BERLIN)  # a Thursday
    assert (start, end) == (utc("2026-03-22T23:00:00Z"), utc("2026-03-29T22:00:00Z"))  # 23 h Sunday inside


def test_days_between_covers_the_range_once():
    cut = days.days_between(utc("2026-03-28T12:00:00Z"), utc("2026-03-30T12:00:00Z"), BERLIN)
    assert [d for d, _, _ in cut] == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]
    for (_, _, end), (_, next_start, _) in zip(cut, cut[1:]):
        assert end == next_start


def test_unknown_zone():
    with pytest.raises(ValueError, match="Unknown time zone"):
        days.zone_named("Mars/Olympus")
