"""A clock the test moves by hand, standing in for ``timeutil.now``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lifelogger.core import timeutil


@dataclass
class Clock:
    """The app's notion of "now", moved by the test."""

    current: datetime

    def __call__(self) -> datetime:
        return self.current

    def set(self, iso: str) -> None:
        self.current = timeutil.parse_instant(iso)

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)
