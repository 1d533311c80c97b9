"""What one build is made for, decided once by the pipeline and passed down: the city's day and
how many worker processes to use; and the one rule for the city's midnight. Where the site is served is the settings'
`base_url`, a `routes.SiteURL` parsed once when the settings are read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


def city_midnight(day: dt.date, timezone: str) -> dt.datetime:
    """The start of `day` in the city's time zone: the instant a build stamps as "today"."""
    return dt.datetime.combine(day, dt.time.min, ZoneInfo(timezone))


@dataclass(frozen=True)
class BuildContext:
    today: dt.date | None  # the city's day the site is built for; None only for a check without a clock
    workers: int = 1

    @classmethod
    def of(cls, settings, clock_today: dt.date | None, workers: int = 1) -> BuildContext:
        """The settings' pinned `today` when there is one (a demo, a test), else the clock's."""
        return cls(settings.today or clock_today, workers)
