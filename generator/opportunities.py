"""The ways a vendor narrows the list of opportunities: by category, department, procurement
method, value, suitability for small businesses and how soon bids close; the same list sorted
by newest or by value; and past opportunities with their outcome.

Every facet becomes a pre-built page (so filtering works without JavaScript); the script on the
opportunities page combines them in the browser. Pure: processes in, listings out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from generator import routes
from generator.values import Money

if TYPE_CHECKING:
    from generator.model import Process

# Facet kinds, in the order the filters are offered.
CATEGORY, DEPARTMENT, METHOD, VALUE, SME, CLOSING = "category", "department", "method", "value", "sme", "closing"
FACET_KINDS = (CATEGORY, DEPARTMENT, METHOD, VALUE, SME, CLOSING)
CLOSING_WITHIN = (7, 14, 30)  # days
# Value bands in the site's currency: (key, lowest amount included, highest amount excluded).
VALUE_BANDS = (("under-25000", None, 25_000), ("25000-100000", 25_000, 100_000),
               ("100000-1000000", 100_000, 1_000_000), ("over-1000000", 1_000_000, None))


@dataclass(frozen=True)
class Facet:
    kind: str
    key: str  # what the browser filter matches (a card's data-<kind> attribute)
    title: str  # category or department name, method in plain words ("" for value, sme, closing)
    path: str  # the pre-built page's output path
    items: tuple  # the opportunities, soonest deadline first
    low: Money | None = None  # value bands only
    high: Money | None = None

    @property
    def slug(self) -> str:
        return routes.slug(self.key)


@dataclass(frozen=True)
class Opportunities:
    facets: dict[str, tuple[Facet, ...]]  # by kind, in FACET_KINDS order
    newest: tuple  # published most recently first
    by_value: tuple  # largest estimated value first (in the site's currency, then the others)
    past: tuple  # solicitations no longer open, latest deadline first

    def facet_of(self, kind: str, key: str) -> Facet | None:
        return next((f for f in self.facets.get(kind, ()) if f.key == key), None)


def method_key(process: Process) -> str:
    """The city's own name for the method when it gives one (Invitation to Bid), else the code."""
    return process.method_details or process.method


def value_band(process: Process, currency: str) -> str:
    return band_of(process.value, currency)


def band_of(value: Money | None, currency: str) -> str:
    """The VALUE_BANDS key of an amount in the site's currency ("" for none or another currency)."""
    if value is None or value.currency != currency:
        return ""
    return next(key for key, low, high in VALUE_BANDS
                if (low is None or value.amount >= low) and (high is None or value.amount < high))


def closing_within(process: Process) -> tuple[int, ...]:
    if process.stage != "open" or process.days_left is None:
        return ()
    return tuple(n for n in CLOSING_WITHIN if process.days_left <= n)


def build(opportunities: tuple, past_candidates: tuple, currency: str) -> Opportunities:
    """`opportunities` are the forecasts and open bids, soonest deadline first."""
    groups: dict[str, dict[str, list]] = {kind: defaultdict(list) for kind in FACET_KINDS}
    titles: dict[tuple[str, str], str] = {}
    for p in opportunities:
        if p.categories:
            c = p.categories[0]
            groups[CATEGORY][c.code].append(p)
            titles.setdefault((CATEGORY, c.code), c.name)
        if p.buyer:
            groups[DEPARTMENT][p.buyer.key].append(p)
            titles.setdefault((DEPARTMENT, p.buyer.key), p.buyer.name)
        if method_key(p):
            groups[METHOD][method_key(p)].append(p)
        if value_band(p, currency):
            groups[VALUE][value_band(p, currency)].append(p)
        if p.sme_suitable:
            groups[SME]["yes"].append(p)
        for days in closing_within(p):
            groups[CLOSING][str(days)].append(p)
    facets = {}
    for kind in FACET_KINDS:
        keys = groups[kind]
        if kind == VALUE:
            order = [k for k, _, _ in VALUE_BANDS if k in keys]
        elif kind == CLOSING:
            order = sorted(keys, key=int)
        else:
            order = sorted(keys, key=lambda k, kind=kind: (titles.get((kind, k), k).lower(), k))
        facets[kind] = tuple(
            Facet(kind, key, titles.get((kind, key), key if kind == METHOD else ""),
                  routes.opportunity_facet_path(kind, key), tuple(keys[key]),
                  *(band_money(key, currency) if kind == VALUE else (None, None)))
            for key in order)
    newest = tuple(sorted(opportunities, key=lambda p: (-(p.published.timestamp() if p.published else 0), p.ocid)))
    by_value = tuple(sorted(opportunities, key=lambda p: _value_key(p, currency)))
    past = tuple(sorted((p for p in past_candidates if p.had_tender and not p.is_opportunity),
                        key=lambda p: (-(p.deadline.timestamp() if p.deadline else 0), p.ocid)))
    return Opportunities(facets, newest, by_value, past)


def band_money(key: str, currency: str) -> tuple[Money | None, Money | None]:
    """The lowest amount a value band includes and the highest it excludes (None: no bound)."""
    low, high = next((low, high) for k, low, high in VALUE_BANDS if k == key)
    return tuple(Money(Decimal(x), currency) if x is not None else None for x in (low, high))


def largest_first(value: Money | None, currency: str) -> tuple:
    """Sort key for "largest first": amounts in the site's currency, largest first, then other
    currencies (by currency, largest first), then no value. Amounts of different currencies are
    never compared."""
    if value is None:
        return (2, "", Decimal(0))
    return (0 if value.currency == currency else 1, value.currency, -value.amount)


def _value_key(p: Process, currency: str):
    return (*largest_first(p.value, currency), p.ocid)
