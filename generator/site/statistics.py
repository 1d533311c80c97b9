"""Where the money goes: the resident dashboard's and organisation pages' statistics.

Honest numbers: amounts are summed per currency and never across currencies; every statistic
counts the records it could not use (no value, no date, no bidder count, unknown size) instead of
skipping them silently; an award's value is its row's value (awards.AwardRow: the contract's
value after amendments when one is published). Only money spent is summed: a framework agreement's
awards are ceilings and are counted apart (buying.spending), orders under it are counted when placed.
Every number a figure shows, its largest group, the shares and the "all others" group included, is
computed here. Pure: award rows in, frozen values out.
"""

from __future__ import annotations

import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from generator.site import buying
from generator.site.awards import AwardRow
from generator.site.contracts import Contract
from generator.site.process import Process
from generator.values import Money, sum_by_currency

SMALL_SCALES = ("micro", "small", "sme", "selfEmployed")  # partyScale codes counted as small
MOST_BIDDERS = 5  # bidder counts from this one up are shown together ("5 or more")
# Days from a tender's opening to its award, in bands: (lowest included, highest included or None).
DAY_BANDS = ((None, 30), (31, 60), (61, 90), (91, 180), (181, None))
TOP_SUPPLIERS = 10  # suppliers shown one by one in a department's chart; the rest are one group


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
    others: int = 0  # for the group that sums up the smallest: how many groups it holds


@dataclass(frozen=True)
class Leader:
    """The group with the largest value in one currency, and its share of that currency's total."""

    group: Group
    currency: str
    percent: Decimal


def leader(groups: tuple[Group, ...], currencies: tuple[str, ...]) -> Leader | None:
    """The largest group in the main (most used) currency; None when nothing has a value."""
    if not currencies or not groups:
        return None
    c = currencies[0]
    top = max(groups, key=lambda g: g.totals.amount(c))
    total = sum(g.totals.amount(c) for g in groups)
    return Leader(top, c, top.totals.amount(c) * 100 / total) if total else None


def largest(groups: tuple[Group, ...], top: int) -> tuple[Group, ...]:
    """The first `top` groups, then one group summing up the rest (when there are more)."""
    if not top or len(groups) <= top:
        return groups
    rest = groups[top:]
    others = Totals(sum(g.totals.count for g in rest), sum_by_currency(m for g in rest for m in g.totals.value),
                    sum(g.totals.missing_value for g in rest))
    return (*groups[:top], Group("", "", "", others, others=len(rest)))


def count_percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, to one decimal; None when `whole` is 0."""
    return percent_of(Decimal(part), Decimal(whole))


@dataclass(frozen=True)
class Share:
    """The part of the awards (by count and by value per currency) that meets a condition, out of
    the awards whose condition is known; `unknown` awards could not be classified."""

    part: Totals
    known: Totals
    unknown: int

    def count_percent(self) -> Decimal | None:
        return percent_of(Decimal(self.part.count), Decimal(self.known.count))

    def value_percent(self, currency: str) -> Decimal | None:
        return percent_of(self.part.amount(currency), self.known.amount(currency))


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
    bands: tuple[int, ...] = ()  # awards per DAY_BANDS band


@dataclass(frozen=True)
class Competition:
    """Bidders per process, over competitive procedures only (COMPETITIVE: open and selective): a
    direct award, an order under an agreement or an emergency purchase has one supplier by design."""

    with_count: int  # competitive processes that published their number of bidders
    missing: int  # competitive processes that did not
    average_bidders: Decimal | None
    single_bidder: int
    by_bidders: tuple[int, ...] = ()  # processes with 1, 2, ... MOST_BIDDERS or more bidders
    not_competitive: int = 0  # awarded processes left out: bought without open or selective competition

    def single_percent(self) -> Decimal | None:
        return percent_of(Decimal(self.single_bidder), Decimal(self.with_count))


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
    ceilings: Totals = Totals(0, (), 0)  # framework agreements (a count of processes) and their ceilings: not spent
    emergency: Share | None = None  # emergency purchases (buying.EMERGENCY), apart from non_competitive


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(Decimal("0.1"))


def totals(rows) -> Totals:
    rows = list(rows)
    values = [r.value for r in rows]
    return Totals(len(rows), sum_by_currency(values), sum(v is None for v in values))


def agreement_ceilings(awards) -> Totals:
    """The framework agreements among `awards` (each once, however many firms it was awarded to)
    and their ceilings (buying.ceiling_of) per currency: what is left out of money spent."""
    processes = {r.process.ocid: r.process for r in buying.ceilings(awards)}
    values = [buying.ceiling_of(p) for p in processes.values()]
    return Totals(len(processes), sum_by_currency(values), sum(v is None for v in values))


def grouped(rows, key_of, name_of=None, path_of=None) -> list[Group]:
    groups: dict[str, list[AwardRow]] = defaultdict(list)
    for row in rows:
        groups[key_of(row)].append(row)
    return [Group(key, name_of(rows_[0]) if name_of else key, path_of(rows_[0]) if path_of else "", totals(rows_))
            for key, rows_ in groups.items()]


def share(rows, verdict) -> Share:
    """`verdict(row)` is True, False or None (unknown)."""
    judged = [(r, verdict(r)) for r in rows]
    known = [r for r, v in judged if v is not None]
    return Share(totals(r for r, v in judged if v), totals(known), len(judged) - len(known))


@dataclass(frozen=True)
class SupplierFacts:
    """What the dashboard needs to know of a supplier: its size (partyScale) and certifications."""

    scale: str
    certifications: tuple[str, ...]


def scale_verdict(row: AwardRow, facts: dict[str, SupplierFacts], small: bool):
    """Small (or certified) when every supplier is; unknown when a supplier's size is unknown."""
    suppliers = [facts.get(s.key) for s in row.award.suppliers]
    if not suppliers or any(o is None for o in suppliers):
        return None
    if small:
        if any(not o.scale for o in suppliers):
            return None
        return all(o.scale in SMALL_SCALES for o in suppliers)
    return all(o.certifications for o in suppliers)


def spread(days: list[int], missing: int) -> Spread:
    bands = tuple(sum(1 for d in days if (low is None or d >= low) and (high is None or d <= high))
                  for low, high in DAY_BANDS)
    if not days:
        return Spread(0, missing, None, None, None, None, None, bands)
    ordered = sorted(days)
    if len(ordered) == 1:
        q1 = q3 = Decimal(ordered[0])
    else:
        q1, _, q3 = (Decimal(str(q)) for q in stats.quantiles(ordered, n=4, method="inclusive"))
    return Spread(len(ordered), missing, Decimal(str(stats.median(ordered))), q1, q3, ordered[0], ordered[-1], bands)


COMPETITIVE = (buying.OPEN, buying.SELECTIVE)  # ways of buying whose bidder counts measure competition


def competition(rows: list[AwardRow]) -> Competition:
    every: dict[str, Process] = {r.process.ocid: r.process for r in rows}
    processes = {ocid: p for ocid, p in every.items() if p.buying in COMPETITIVE}
    counts = [p.number_of_tenderers for p in processes.values() if p.number_of_tenderers is not None]
    average = (Decimal(sum(counts)) / len(counts)).quantize(Decimal("0.1")) if counts else None
    by_bidders = tuple(sum(1 for n in counts if n == k or k == MOST_BIDDERS and n > k) for k in range(1, MOST_BIDDERS + 1))
    return Competition(len(counts), len(processes) - len(counts), average, sum(1 for n in counts if n == 1), by_bidders,
                       len(every) - len(processes))


def dashboard(awards: tuple[AwardRow, ...], suppliers: dict[str, SupplierFacts], default_currency: str) -> Dashboard:
    """`awards` are the site's, newest first; `suppliers` the facts of every supplier by key. Only
    money spent is counted; framework agreements' ceilings are totalled apart."""
    rows = list(buying.spending(awards))
    currencies = currencies_of(rows)
    main = currencies[0] if currencies else default_currency
    by_method = grouped(rows, lambda r: r.process.buying)
    by_method.sort(key=lambda g: (-g.totals.count, g.key))
    days, missing = [], 0
    for r in rows:
        if r.award.date and r.process.tender_start:
            days.append((r.award.date.date() - r.process.tender_start.date()).days)
        else:
            missing += 1
    return Dashboard(
        currencies=currencies, total=totals(rows), by_department=by_department(rows, main), by_year=by_year(rows),
        by_method=tuple(by_method),
        non_competitive=share(rows, lambda r: r.process.buying in buying.NON_COMPETITIVE if r.process.buying else None),
        small=share(rows, lambda r: scale_verdict(r, suppliers, small=True)),
        certified=share(rows, lambda r: scale_verdict(r, suppliers, small=False)),
        competition=competition(rows),
        days_to_award=spread(days, missing),
        ceilings=agreement_ceilings(awards),
        emergency=share(rows, lambda r: r.process.buying == buying.EMERGENCY if r.process.buying else None),
    )


def currencies_of(rows) -> tuple[str, ...]:
    """Every currency the awards are valued in, the most used first."""
    used = Counter(r.value.currency for r in rows if r.value)
    return tuple(sorted(used, key=lambda c: (-used[c], c)))


def largest_first(groups: list[Group], currency: str) -> tuple[Group, ...]:
    return tuple(sorted(groups, key=lambda g: (-g.totals.amount(currency), -g.totals.count, g.name.lower(), g.key)))


def by_year(rows) -> tuple[Group, ...]:
    """Awards by the year of their date, oldest first; those without a date last (key "")."""
    groups = grouped(rows, lambda r: str(r.award.date.year) if r.award.date else "")
    return tuple(sorted(groups, key=lambda g: (g.key == "", g.key)))


def by_department(rows, currency: str) -> tuple[Group, ...]:
    """Awards by the department that made them, largest value in `currency` first."""
    return largest_first(grouped(rows, lambda r: r.process.buyer.key if r.process.buyer else "",
                                   lambda r: r.process.buyer.name if r.process.buyer else "",
                                   lambda r: r.process.buyer.path if r.process.buyer else ""), currency)


@dataclass(frozen=True)
class Profile:
    """One organisation's awards broken down for its page. A supplier's: by year and by the departments
    it served, with its contracts; a department's: by category (its first item's classification) and by
    supplier (an award made jointly to several suppliers is one group, never counted twice)."""

    currencies: tuple[str, ...]
    by_year: tuple[Group, ...] = ()  # oldest first, undated last
    by_department: tuple[Group, ...] = ()
    by_category: tuple[Group, ...] = ()
    by_supplier: tuple[Group, ...] = ()
    contracts: tuple[tuple[Process, Contract], ...] = ()  # the contracts signed for its awards
    top_suppliers: tuple[Group, ...] = ()  # by_supplier's largest TOP_SUPPLIERS, then one group of all others
    ceilings: Totals = Totals(0, (), 0)  # its framework agreements and their ceilings ("up to"): not in the groups above


def supplier_profile(awards: tuple[AwardRow, ...], default_currency: str) -> Profile:
    rows = buying.spending(awards)
    currencies = currencies_of(rows)
    contracts = tuple((r.process, c) for r in awards for c in r.process.contracts if c.award_id == r.award.id)
    return Profile(currencies, by_year=by_year(rows),
                   by_department=by_department(rows, currencies[0] if currencies else default_currency),
                   contracts=contracts, ceilings=agreement_ceilings(awards))


def department_profile(awards: tuple[AwardRow, ...], default_currency: str) -> Profile:
    rows = buying.spending(awards)
    currencies = currencies_of(rows)
    main = currencies[0] if currencies else default_currency
    categories = grouped(rows, lambda r: r.process.categories[0].code if r.process.categories else "",
                          lambda r: r.process.categories[0].name if r.process.categories else "")
    suppliers = grouped(rows, lambda r: " ".join(sorted(s.key for s in r.award.suppliers)),
                         lambda r: ", ".join(s.name for s in r.award.suppliers),
                         lambda r: r.award.suppliers[0].path if len(r.award.suppliers) == 1 else "")
    return Profile(currencies, by_category=largest_first(categories, main), by_supplier=largest_first(suppliers, main),
                   top_suppliers=largest(largest_first(suppliers, main), TOP_SUPPLIERS),
                   ceilings=agreement_ceilings(awards))
