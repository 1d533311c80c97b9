"""The ways a vendor narrows the list of opportunities: by category, department, procurement
method, value, suitability for small businesses and how soon bids close; the same list sorted
by newest or by value; and past opportunities with their outcome (those sharing a title told apart).

Every facet becomes a pre-built page (so filtering works without JavaScript); the script on the
opportunities page combines them in the browser. Pure: processes in, listings out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator import routes
from generator.site.grouping import VALUE_BANDS, band_money, band_of, largest_first, method_key
from generator.values import Money

if TYPE_CHECKING:
    from generator.site.process import Process

# Facet kinds, in the order the filters are offered.
CATEGORY, DEPARTMENT, METHOD, VALUE, SME, CLOSING = "category", "department", "method", "value", "sme", "closing"
FACET_KINDS = (CATEGORY, DEPARTMENT, METHOD, VALUE, SME, CLOSING)
CLOSING_WITHIN = (7, 14, 30)  # days
LOTS_SHOWN = 3  # lot titles named to tell a past process from another of its title; the rest are counted

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
class Distinction:
    """What tells a process from another of the same title on a list: its lots' titles (the first
    LOTS_SHOWN, and how many more), when no other of that title has the same; else its reference."""

    lots: tuple[str, ...] = ()
    more: int = 0
    reference: str = ""


@dataclass(frozen=True)
class Opportunities:
    facets: dict[str, tuple[Facet, ...]]  # by kind, in FACET_KINDS order
    newest: tuple  # published most recently first
    by_value: tuple  # largest estimated value first (in the site's currency, then the others)
    past: tuple  # solicitations no longer open and forecasts no longer current, latest deadline first
    past_told_apart: dict[str, Distinction] = field(default_factory=dict)  # by ocid: past ones sharing a title

    def facet_of(self, kind: str, key: str) -> Facet | None:
        return next((f for f in self.facets.get(kind, ()) if f.key == key), None)


def value_band(process: Process, currency: str) -> str:
    return band_of(process.value, currency)


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
    past = tuple(sorted((p for p in past_candidates if (p.had_tender or p.stage == "lapsed") and not p.is_opportunity),
                        key=lambda p: (-(p.deadline.timestamp() if p.deadline else 0), p.ocid)))
    return Opportunities(facets, newest, by_value, past, told_apart(past))


def _value_key(p: Process, currency: str):
    return (*largest_first(p.value, currency), p.ocid)


def told_apart(processes: tuple[Process, ...]) -> dict[str, Distinction]:
    """A Distinction for each process (by ocid) that shares its title with another of `processes`
    (compared ignoring case and spacing); processes without a title of their own are named after
    their ocid and never share one."""
    same: dict[str, list[Process]] = defaultdict(list)
    for p in processes:
        if not p.name.generated:
            same[" ".join(p.name.text.casefold().split())].append(p)
    found = {}
    for title, group in same.items():
        if len(group) < 2:
            continue
        lots = {p.ocid: tuple(lot.title for lot in p.lots
                              if lot.title and lot.title != lot.id and " ".join(lot.title.casefold().split()) != title)
                for p in group}
        for p in group:
            own = lots[p.ocid]
            unique = own and sum(1 for other in group if lots[other.ocid] == own) == 1
            found[p.ocid] = (Distinction(own[:LOTS_SHOWN], max(len(own) - LOTS_SHOWN, 0)) if unique
                             else Distinction(reference=p.ocid))
    return found
