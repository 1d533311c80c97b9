"""Where the city's money concentrates (how few awards and suppliers make most of the value, how
many suppliers each category has) and how awards compare with the estimates: the value measures of
the performance page (site.performance). Pure: award rows in, frozen values out. Amounts in
different currencies are never added: each measure counts its main currency's awards and says how
many it left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from generator.site.awards import AwardRow
from generator.site.process import Process
from generator.site.statistics import Group, grouped, largest_first, percent_of
from generator.values import Money

CONCENTRATION_SHARES = (50, 80, 90)  # percent of value: how many of the largest awards make it
TOP_SUPPLIERS = 10


@dataclass(frozen=True)
class Concentration:
    currency: str  # the main currency; every count below is of awards valued in it
    awards: int
    total: Decimal
    steps: tuple[tuple[int, int], ...]  # (percent of value, how many of the largest awards make it)
    top_suppliers: tuple[Group, ...]  # the largest TOP_SUPPLIERS, by value in `currency`
    top_share: Decimal | None  # their share of `total`
    other_currencies: int = 0  # awards in other currencies, not counted
    no_value: int = 0  # awards without a value, not counted


@dataclass(frozen=True)
class CategorySuppliers:
    key: str
    name: str
    awards: int
    suppliers: int  # distinct suppliers (a joint award counts each of its suppliers)


@dataclass(frozen=True)
class SavingsGroup:
    key: str
    name: str
    path: str
    processes: int
    estimate: Decimal
    awarded: Decimal
    below: int  # awarded under the estimate
    above: int  # awarded over it

    @property
    def percent(self) -> Decimal | None:
        """How much less (negative: more) was awarded than estimated, in percent of the estimate."""
        return percent_of(self.estimate - self.awarded, self.estimate)


@dataclass(frozen=True)
class Savings:
    currency: str  # only processes estimated and awarded in it are compared
    overall: SavingsGroup
    by_department: tuple[SavingsGroup, ...]
    no_estimate: int  # awarded processes without an estimate
    no_award_value: int  # with an estimate, but an award without a value
    other_currency: int  # estimate and awards not all in `currency`


def department_of(p: Process) -> tuple[str, str, str]:
    return (p.buyer.key, p.buyer.name, p.buyer.path) if p.buyer else ("", "", "")


def concentration(rows: list[AwardRow], currency: str) -> Concentration | None:
    valued = sorted((r.value.amount for r in rows if r.value and r.value.currency == currency), reverse=True)
    total = sum(valued, Decimal(0))
    if not valued or not total:
        return None
    steps, running, i = [], Decimal(0), 0
    for percent in CONCENTRATION_SHARES:
        while running * 100 < total * percent:
            running += valued[i]
            i += 1
        steps.append((percent, i))
    suppliers = largest_first(grouped([r for r in rows if r.value and r.value.currency == currency],
                                      lambda r: " ".join(sorted(s.key for s in r.award.suppliers)),
                                      lambda r: ", ".join(s.name for s in r.award.suppliers),
                                      lambda r: r.award.suppliers[0].path if len(r.award.suppliers) == 1 else ""),
                              currency)[:TOP_SUPPLIERS]
    top = sum(g.totals.amount(currency) for g in suppliers)
    return Concentration(currency, len(valued), total, tuple(steps), suppliers, percent_of(top, total),
                         sum(1 for r in rows if r.value and r.value.currency != currency),
                         sum(1 for r in rows if r.value is None))


def category_suppliers(rows: list[AwardRow]) -> tuple[CategorySuppliers, ...]:
    """Awards and distinct suppliers per category (the process's first item classification)."""
    awards: dict[tuple[str, str], int] = defaultdict(int)
    suppliers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        c = r.process.categories[0] if r.process.categories else None
        key = (c.code, c.name) if c else ("", "")
        awards[key] += 1
        suppliers[key].update(s.key for s in r.award.suppliers)
    found = [CategorySuppliers(k, n, awards[(k, n)], len(suppliers[(k, n)])) for k, n in awards]
    return tuple(sorted(found, key=lambda c: (c.key == "", -c.awards, c.name.lower(), c.key)))


def _original(award) -> Money | None:
    """The award's own value (before any amendment of its contract)."""
    return award.awarded if award.awarded is not None else award.value


def savings(rows: list[AwardRow], currency: str) -> Savings:
    """Awarded value against the estimate (tender.value), per process, where both are published in
    `currency`; the rest are counted by why they could not be compared."""
    by_process: dict[str, list[AwardRow]] = defaultdict(list)
    for r in rows:
        by_process[r.process.ocid].append(r)
    compared: list[tuple[Process, Decimal, Decimal]] = []
    no_estimate = no_value = other = 0
    for ocid in sorted(by_process):
        p = by_process[ocid][0].process
        values = [_original(r.award) for r in by_process[ocid]]
        if p.value is None:
            no_estimate += 1
        elif any(v is None for v in values):
            no_value += 1
        elif p.value.currency != currency or any(v.currency != currency for v in values):
            other += 1
        else:
            compared.append((p, p.value.amount, sum((v.amount for v in values), Decimal(0))))

    def group(key, name, path, items) -> SavingsGroup:
        return SavingsGroup(key, name, path, len(items), sum((e for _, e, _ in items), Decimal(0)),
                            sum((a for _, _, a in items), Decimal(0)), sum(1 for _, e, a in items if a < e),
                            sum(1 for _, e, a in items if a > e))

    departments: dict[tuple[str, str, str], list] = defaultdict(list)
    for item in compared:
        departments[department_of(item[0])].append(item)
    by_department = sorted((group(k, n, path, items) for (k, n, path), items in departments.items()),
                           key=lambda g: (-g.estimate, g.name.lower(), g.key))
    return Savings(currency, group("", "", "", compared), tuple(by_department), no_estimate, no_value, other)
