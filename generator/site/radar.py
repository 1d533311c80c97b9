"""The re-bid radar: the city's contracts that end within the next HORIZON_MONTHS, so a vendor sees
which work will be bid again. Pure: processes and the build's day in, the radar out.

- A contract is on the radar when its process is not cancelled or unsuccessful, its own status is
  not cancelled or terminated, and the latest it may run (`period.maxExtentDate`, else
  `period.endDate`: Contract.last_day) falls, in the city's time zone, on a day from the build's
  day to the same day HORIZON_MONTHS later (both included; the 31st becomes the month's last day).
- Newest first by end date, as issue 18 asks: the contract that ends latest comes first (then by
  ocid and contract id); pages say so.
- Grouped by category (the process's first item classification, as the opportunity filters group)
  and by department, groups in title order.
- Each entry says who holds the contract, its value, end date, renewals left (site.holders) and the
  processes already linked as its follow-on (relatedProcesses: prior, renewalProcess,
  replacementProcess), with their stage: planned, open, or further along.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import routes
from generator.site.holders import NOT_HELD, Holding, holding
from generator.site.relations import Neighbour

if TYPE_CHECKING:
    from generator.site.process import Category, Process

HORIZON_MONTHS = 18
CATEGORY, DEPARTMENT = "category", "department"
GROUPINGS = (CATEGORY, DEPARTMENT)
UPCOMING = ("forecast", "open")  # follow-on stages that mean "already planned or open" (process.STAGES)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or that month's last day, when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Entry:
    process: Process
    held: Holding  # who holds it, value, end (`held.ends`, never None here), renewals left
    category: Category | None  # the process's first category
    follow_ons: tuple[Neighbour, ...]  # processes linked as renewing or replacing it

    @property
    def ends(self) -> dt.datetime:
        return self.held.ends

    @property
    def upcoming(self) -> tuple[Neighbour, ...]:
        """Its follow-ons already planned or open for bids."""
        return tuple(n for n in self.follow_ons if n.stage in UPCOMING)

    def key(self, grouping: str) -> str:
        if grouping == CATEGORY:
            return self.category.code if self.category else ""
        return self.process.buyer.key if self.process.buyer else ""

    def title(self, grouping: str) -> str:
        if grouping == CATEGORY:
            return self.category.name if self.category else ""
        return self.process.buyer.name if self.process.buyer else ""


@dataclass(frozen=True)
class Group:
    kind: str  # CATEGORY or DEPARTMENT
    key: str  # the category code or department key; "" for entries without one
    title: str  # "" for entries without one
    entries: tuple[Entry, ...]  # newest first by end date

    @property
    def anchor(self) -> str:
        """Its heading's id on the page: category-<code>, department-<key>."""
        return f"{self.kind}-{routes.slug(self.key)}"


@dataclass(frozen=True)
class Radar:
    start: dt.date  # the build's day
    horizon: dt.date  # the last day included
    entries: tuple[Entry, ...]  # newest first by end date
    groups: dict[str, tuple[Group, ...]]  # by grouping (CATEGORY, DEPARTMENT), groups in title order
    months: int = HORIZON_MONTHS  # how far ahead it looks

    def rows(self, grouping: str) -> tuple[Entry, ...]:
        """Every entry, group after group: what the grouped pages list, page by page."""
        return tuple(e for g in self.groups[grouping] for e in g.entries)

    def group_of(self, grouping: str, entry: Entry) -> Group:
        key = entry.key(grouping)
        return next(g for g in self.groups[grouping] if g.key == key)

    def page_of(self, grouping: str, key: str, page_size: int) -> int:
        """The page (from 1) of `rows(grouping)`, `page_size` rows a page, where the group begins."""
        index = 0
        for g in self.groups[grouping]:
            if g.key == key:
                return index // page_size + 1
            index += len(g.entries)
        return 1

    def sections(self, grouping: str, chunk) -> tuple[tuple[Group, tuple[Entry, ...], bool], ...]:
        """A page's entries (`chunk` of `rows(grouping)`) in their groups: (group, its entries on
        this page, whether the group began on an earlier page)."""
        found: list[tuple[Group, list[Entry], bool]] = []
        for entry in chunk:
            if not found or found[-1][0].key != entry.key(grouping):
                group = self.group_of(grouping, entry)
                found.append((group, [], group.entries[0] is not entry))
            found[-1][1].append(entry)
        return tuple((g, tuple(items), continued) for g, items, continued in found)


def follow_ons(process: Process, contract_id: str) -> tuple[Neighbour, ...]:
    """The processes linked as renewing or replacing the contract: links stated by the process
    itself or by a later one, and those stated on this contract (not on another of its contracts)."""
    return tuple(n for n in process.relations.follow_ons
                 if not (n.link.source == process.ocid and n.link.contract_id and n.link.contract_id != contract_id))


def newest_first(entry: Entry):
    return (-entry.ends.timestamp(), entry.process.ocid, entry.held.contract_id)


def entries(processes, today: dt.date, horizon: dt.date) -> tuple[Entry, ...]:
    found = []
    for p in processes:
        if p.stage in NOT_HELD:
            continue
        for c in p.contracts:
            ends = c.last_day
            if c.ended or ends is None or not today <= ends.date() <= horizon:
                continue
            found.append(Entry(p, holding(p, c), p.categories[0] if p.categories else None, follow_ons(p, c.id)))
    return tuple(sorted(found, key=newest_first))


def _groups(found: tuple[Entry, ...], grouping: str) -> tuple[Group, ...]:
    by_key: dict[str, list[Entry]] = {}
    titles: dict[str, str] = {}
    for e in found:
        by_key.setdefault(e.key(grouping), []).append(e)
        titles.setdefault(e.key(grouping), e.title(grouping))
    # Entries without a category or department come last.
    order = sorted(by_key, key=lambda k: (not k, (titles[k] or k).casefold(), k))
    return tuple(Group(grouping, k, titles[k], tuple(by_key[k])) for k in order)


def build(processes, today: dt.date) -> Radar:
    horizon = months_after(today, HORIZON_MONTHS)
    found = entries(processes, today, horizon)
    return Radar(today, horizon, found, {g: _groups(found, g) for g in GROUPINGS})
