"""Where the money goes: the resident dashboard's statistics, computed from the view model.

Honest numbers: amounts are summed per currency and never across currencies; every statistic
counts the records it could not use (no value, no date, no bidder count, unknown size) instead of
skipping them silently; an award's value is its contract's current value (after amendments)
when a contract for it exists. Pure: the site in, frozen values out.
"""

from __future__ import annotations

import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from generator.model import AwardRow, Organization, Process, Site, current_value
from generator.values import Money, sum_by_currency

SMALL_SCALES = ("micro", "small", "sme", "selfEmployed")  # partyScale codes counted as small
NON_COMPETITIVE = ("limited", "direct")  # procurement methods without open competition


@dataclass(frozen=True)
class Totals:
    """Awards counted, their value per currency, and how many had no value."""

    count: int
    value: tuple[Money, ...]
    missing_value: int

    def amount(self, currency: str) -> Decimal:
        return next((m.amount for m in self.value if m.currency == currency), Decimal(0))


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    path: str  # its page, "" when none
    totals: Totals


@dataclass(frozen=True)
class Share:
    """The part of the awards (by count and by value per currency) that meets a condition, out of
    the awards whose condition is known; `unknown` awards could not be classified."""

    part: Totals
    known: Totals
    unknown: int

    def count_percent(self) -> Decimal | None:
        return _percent(Decimal(self.part.count), Decimal(self.known.count))

    def value_percent(self, currency: str) -> Decimal | None:
        return _percent(self.part.amount(currency), self.known.amount(currency))


@dataclass(frozen=True)
class Spread:
    """Days from a tender's opening to its award: median, quartiles and range."""

    count: int
    missing: int
    median: Decimal | None
    q1: Decimal | None
    q3: Decimal | None
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Competition:
    with_count: int  # awards whose process published its number of bidders
    missing: int
    average_bidders: Decimal | None
    single_bidder: int

    def single_percent(self) -> Decimal | None:
        return _percent(Decimal(self.single_bidder), Decimal(self.with_count))


@dataclass(frozen=True)
class Dashboard:
    currencies: tuple[str, ...]  # every currency awarded in, the most used first
    total: Totals
    by_department: tuple[Group, ...]  # largest value in the main currency first
    by_year: tuple[Group, ...]  # oldest first; key "" for awards without a date
    by_method: tuple[Group, ...]
    non_competitive: Share
    small: Share
    certified: Share
    competition: Competition
    days_to_award: Spread


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(Decimal("0.1"))


def award_value(row: AwardRow) -> Money | None:
    return current_value(row.process, row.award)


def totals(rows) -> Totals:
    rows = list(rows)
    values = [award_value(r) for r in rows]
    return Totals(len(rows), sum_by_currency(values), sum(v is None for v in values))


def _grouped(rows, key_of, name_of=None, path_of=None) -> list[Group]:
    groups: dict[str, list[AwardRow]] = defaultdict(list)
    for row in rows:
        groups[key_of(row)].append(row)
    return [Group(key, name_of(rows_[0]) if name_of else key, path_of(rows_[0]) if path_of else "", totals(rows_))
            for key, rows_ in groups.items()]


def _share(rows, verdict) -> Share:
    """`verdict(row)` is True, False or None (unknown)."""
    judged = [(r, verdict(r)) for r in rows]
    known = [r for r, v in judged if v is not None]
    return Share(totals(r for r, v in judged if v), totals(known), len(judged) - len(known))


def _scale_verdict(row: AwardRow, orgs: dict[str, Organization], small: bool):
    """Small (or certified) when every supplier is; unknown when a supplier's size is unknown."""
    suppliers = [orgs.get(s.key) for s in row.award.suppliers]
    if not suppliers or any(o is None for o in suppliers):
        return None
    if small:
        if any(not o.scale for o in suppliers):
            return None
        return all(o.scale in SMALL_SCALES for o in suppliers)
    return all(o.certifications for o in suppliers)


def _spread(days: list[int], missing: int) -> Spread:
    if not days:
        return Spread(0, missing, None, None, None, None, None)
    ordered = sorted(days)
    if len(ordered) == 1:
        q1 = q3 = Decimal(ordered[0])
    else:
        q1, _, q3 = (Decimal(str(q)) for q in stats.quantiles(ordered, n=4, method="inclusive"))
    return Spread(len(ordered), missing, Decimal(str(stats.median(ordered))), q1, q3, ordered[0], ordered[-1])


def _competition(rows: list[AwardRow]) -> Competition:
    processes: dict[str, Process] = {r.process.ocid: r.process for r in rows}
    counts = [p.number_of_tenderers for p in processes.values() if p.number_of_tenderers is not None]
    average = (Decimal(sum(counts)) / len(counts)).quantize(Decimal("0.1")) if counts else None
    return Competition(len(counts), len(processes) - len(counts), average, sum(1 for n in counts if n == 1))


def dashboard(site: Site) -> Dashboard:
    rows = list(site.awards)
    total = totals(rows)
    used = Counter(v.currency for v in map(award_value, rows) if v)
    currencies = tuple(sorted(used, key=lambda c: (-used[c], c)))
    main = currencies[0] if currencies else site.settings.currency
    orgs = {o.key: o for o in site.suppliers}
    by_department = _grouped(rows, lambda r: r.process.buyer.key if r.process.buyer else "",
                             lambda r: r.process.buyer.name if r.process.buyer else "",
                             lambda r: r.process.buyer.path if r.process.buyer else "")
    by_department.sort(key=lambda g: (-g.totals.amount(main), g.name.lower(), g.key))
    by_year = _grouped(rows, lambda r: str(r.award.date.year) if r.award.date else "")
    by_year.sort(key=lambda g: (g.key == "", g.key))
    by_method = _grouped(rows, lambda r: r.process.method)
    by_method.sort(key=lambda g: (-g.totals.count, g.key))
    days, missing = [], 0
    for r in rows:
        if r.award.date and r.process.tender_start:
            days.append((r.award.date.date() - r.process.tender_start.date()).days)
        else:
            missing += 1
    return Dashboard(
        currencies=currencies, total=total, by_department=tuple(by_department), by_year=tuple(by_year),
        by_method=tuple(by_method),
        non_competitive=_share(rows, lambda r: r.process.method in NON_COMPETITIVE if r.process.method else None),
        small=_share(rows, lambda r: _scale_verdict(r, orgs, small=True)),
        certified=_share(rows, lambda r: _scale_verdict(r, orgs, small=False)),
        competition=_competition(rows),
        days_to_award=_spread(days, missing),
    )
