"""What every command shares: its exit codes, and the clock read in the city's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2  # done; the data (or the answers) stopped it; misuse


def now_in(timezone: str) -> dt.datetime:
    """Now in the city's time zone, to the minute: a notice's date, and the day a build calls today."""
    return dt.datetime.now(ZoneInfo(timezone)).replace(second=0, microsecond=0)
