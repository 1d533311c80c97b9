"""The ways a resident narrows the list of awards: by department, year, procurement method and
value band; every list newest first and largest first.

Every filter (facet) becomes a pre-built list in both orders (so filtering works without
JavaScript); the script on the awards list combines them in the browser, starting from the
smallest list the visitor chose. Supplier is no facet here: every supplier has its own page.
Pure: award rows in, listings out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator import routes
from generator.site.awards import AwardRow
from generator.site.grouping import VALUE_BANDS, band_money, largest_first
from generator.values import Money

# Facet kinds, in the order the filters are offered.
DEPARTMENT, YEAR, METHOD, VALUE = "department", "year", "method", "value"
FACET_KINDS = (DEPARTMENT, YEAR, METHOD, VALUE)


@dataclass(frozen=True)
class AwardFacet:
    kind: str
    key: str  # what the browser filter matches (a row's data-<kind> attribute)
    title: str  # department name, year, method key ("" for value bands)
    rows: tuple[AwardRow, ...]  # newest first
    by_value: tuple[AwardRow, ...]  # largest first
    low: Money | None = None  # value bands only
    high: Money | None = None

    @property
    def path(self) -> str:
        return routes.award_list_path(self.kind, self.key)

    @property
    def value_path(self) -> str:
        return routes.award_list_path(self.kind, self.key, by_value=True)


@dataclass(frozen=True, slots=True)
class FilterLink:
    """A facet as the lists' filter links show it: its name, its lists and how many awards it has."""

    kind: str
    key: str
    title: str
    path: str
    value_path: str
    count: int
    low: Money | None = None
    high: Money | None = None


@dataclass(frozen=True)
class AwardFilters:
    """What every page of the award lists shows of all of them: the filters and the number of
    awards. The pages get this, not the lists, so that a page is made again (publish.page_keys)
    when a filter or a count changes, not whenever any award does."""

    total: int
    facets: dict[str, tuple[FilterLink, ...]]  # by kind, in FACET_KINDS order


@dataclass(frozen=True)
class AwardLists:
    facets: dict[str, tuple[AwardFacet, ...]]  # by kind, in FACET_KINDS order
    newest: tuple[AwardRow, ...]  # every award, newest first
    by_value: tuple[AwardRow, ...]  # every award, largest first
    currency: str  # the site's

    def facet_of(self, kind: str, key: str) -> AwardFacet | None:
        return next((f for f in self.facets.get(kind, ()) if f.key == key), None)

    @property
    def filters(self) -> AwardFilters:
        return AwardFilters(len(self.newest), {
            kind: tuple(FilterLink(f.kind, f.key, f.title, f.path, f.value_path, len(f.rows), f.low, f.high)
                        for f in facets) for kind, facets in self.facets.items()})


def build(rows: tuple[AwardRow, ...], currency: str) -> AwardLists:
    """`rows` are the site's awards, newest first (assemble.Site.awards); every list keeps that order
    or sorts largest first, ties by ocid and award id."""
    entries = rows
    groups: dict[str, dict[str, list[AwardRow]]] = {kind: defaultdict(list) for kind in FACET_KINDS}
    titles: dict[str, str] = {}
    for e in entries:
        if e.process.buyer:
            groups[DEPARTMENT][e.process.buyer.key].append(e)
            titles.setdefault(e.process.buyer.key, e.process.buyer.name)  # the newest award's name
        for kind, key in ((YEAR, e.year), (METHOD, e.method), (VALUE, e.band)):
            if key:
                groups[kind][key].append(e)
    order = {
        DEPARTMENT: sorted(groups[DEPARTMENT], key=lambda k: (titles[k].lower(), k)),
        YEAR: sorted(groups[YEAR], reverse=True),
        METHOD: sorted(groups[METHOD], key=lambda k: (k.lower(), k)),
        VALUE: [k for k, _, _ in VALUE_BANDS if k in groups[VALUE]],
    }
    facets = {
        kind: tuple(AwardFacet(kind, key, titles[key] if kind == DEPARTMENT else "" if kind == VALUE else key,
                               tuple(groups[kind][key]), largest_first_order(groups[kind][key], currency),
                               *(band_money(key, currency) if kind == VALUE else (None, None)))
                    for key in order[kind])
        for kind in FACET_KINDS}
    return AwardLists(facets, entries, largest_first_order(entries, currency), currency)


def largest_first_order(entries, currency: str) -> tuple[AwardRow, ...]:
    """The site's currency first by amount, largest first; then other currencies; then no value."""
    return tuple(sorted(entries, key=lambda e: (*largest_first(e.value, currency), e.process.ocid, e.award.id)))
