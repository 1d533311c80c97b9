"""Active awards as rows of the site's lists, tables and statistics. Pure.

An award row's value is the award's value now (`contracts.Award.value`: its contract's value after
amendments when a contract publishes one), the one value every page, list, chart, feed, CSV and
search entry shows; `awarded_at` is the value in the award itself, shown beside it when it differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.site.contracts import Award
from generator.site.grouping import band_of, method_key
from generator.site.process import Process
from generator.values import Money


@dataclass(frozen=True, slots=True)
class AwardRow:
    """One active award, its process, and what lists show and filter it by."""

    process: Process
    award: Award
    year: str = ""  # of the award date, "" when it has none
    method: str = ""  # grouping.method_key: the city's name for the method, or the code
    band: str = ""  # grouping.VALUE_BANDS key of `value`, "" when none or in another currency

    @property
    def value(self) -> Money | None:
        return self.award.value

    @property
    def awarded_at(self) -> Money | None:
        """The award's own value when its value now differs from it, else None."""
        return self.award.awarded


def award_row(process: Process, award: Award, currency: str) -> AwardRow:
    return AwardRow(process, award, str(award.date.year) if award.date else "", method_key(process),
                    band_of(award.value, currency))


def award_rows(processes, currency: str) -> tuple[AwardRow, ...]:
    """Every active award of `processes`, newest first (ties by ocid and award id)."""
    return tuple(sorted((award_row(p, a, currency) for p in processes for a in p.active_awards), key=newest_first))


def newest_first(row: AwardRow):
    date = row.award.date
    return (-(date.timestamp()) if date else 0.0, row.process.ocid, row.award.id)
