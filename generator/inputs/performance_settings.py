"""The `performance` settings: the thresholds behind the leadership performance page's figures and
its red flags.

Every key has a default, so a city that sets nothing gets the definitions of the Open Contracting
Partnership's Cardinal indicators where one exists (a submission period under 15 days, R003) and
conservative ones elsewhere: a contract whose value grew by more than 25% over its award, and three or
more purchases without competition from one supplier by one department within 365 days. Pure: the
parsed YAML mapping in, frozen values out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class FlagSettings:
    short_submission_days: int = 15  # an open tender's submission period under this many days is short
    large_amendment_percent: Decimal = Decimal(25)  # a contract's value this much over its award (in %) is large
    repeated_direct_awards: int = 3  # this many purchases without competition, one buyer, one supplier...
    repeated_window_days: int = 365  # ...within this many days


@dataclass(frozen=True)
class PerformanceSettings:
    # Purchases made without competition (limited or sole source) worth this much or less are counted
    # as "below the threshold" for competition (a micro-purchase); None: no such threshold is applied.
    small_purchase_limit: Decimal | None = None
    flags: FlagSettings = field(default_factory=FlagSettings)


def parse(data: dict | None) -> PerformanceSettings:
    """The settings from the (schema-checked) `performance` mapping; what is absent keeps its default."""
    data = data or {}
    flags = {k: v for k, v in (data.get("flags") or {}).items() if v is not None}
    if "large_amendment_percent" in flags:
        flags["large_amendment_percent"] = Decimal(str(flags["large_amendment_percent"]))
    limit = data.get("small_purchase_limit")
    return PerformanceSettings(Decimal(str(limit)) if limit is not None else None, FlagSettings(**flags))
