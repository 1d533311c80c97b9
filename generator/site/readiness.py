"""Ready for the next storm: for each need the city declares (settings `emergency.needs`), the
standby contracts in place today, how long they run against the next storm season, their capacity,
rates and last activation, and each one's federal file. Pure: "today" comes in.

A contract counts as standby when its data marks it so: its process sets up a framework agreement
(work is ordered under it as needed) or names a FEMA Public Assistance category of work; orders
under an agreement and purchases made without competition in an emergency are not standby. It
is in place when its period covers today and it is not cancelled or ended. It matches a need by
a FEMA category the need names, or by an item's code starting with one of the need's codes.

The season that matters is the next one to start after today (during a season, the next year's:
the current one is already under way). A need is ready when a contract runs through that season's
last day; it needs a renewal when only a renewal would carry it there; it is a gap when nothing is
in place or everything in place ends before that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from generator import routes
from generator.inputs.emergency_settings import EmergencySettings, Need, Season, on
from generator.site import emergency, holders
from generator.site.agreements import Classification, Item, Renewal
from generator.site.contracts import Contract
from generator.site.parties import OrgRef
from generator.site.process import AWARDED, CONTRACTED, Process
from generator.site.texts import Name
from generator.values import Money

GUIDE = "emergency-list"  # the guide that tells vendors how to get on the city's emergency list

# How far a contract runs against the next season; a need's level is its best contract's.
COVERED, RENEW, UNDATED, ENDS = "covered", "renew", "undated", "ends"
NONE, NOT_NEEDED = "none", "not-needed"  # a need with nothing in place; one bought after a disaster
ORDER = (COVERED, RENEW, UNDATED, ENDS)
GAPS = (NONE, ENDS)  # a need flagged as not ready


@dataclass(frozen=True)
class SeasonDates:
    name: str
    builtin: bool  # the name is the default message id (translated on the page)
    start: dt.date
    end: dt.date


def seasons(today: dt.date, season: Season) -> tuple[SeasonDates | None, SeasonDates]:
    """The season under way today (or None) and the next one to start after today."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        start = on(year, season.start)
        end = on(year if season.end >= season.start else year + 1, season.end)
        found.append(SeasonDates(season.name, season.builtin, start, end))
    current = next((s for s in found if s.start <= today <= s.end), None)
    return current, next(s for s in found if s.start > today)


@dataclass(frozen=True)
class Activation:
    """An order under a standby contract (a call-off), as the page links it."""

    name: Name
    path: str
    date: dt.datetime | None


@dataclass(frozen=True)
class Standby:
    """A standby contract in place today (a framework agreement without a contract is one too)."""

    process: Process
    contract: Contract | None
    suppliers: tuple[OrgRef, ...]
    start: dt.datetime | None
    end: dt.datetime | None  # when it ends unless renewed
    last_day: dt.datetime | None  # the latest it may run, renewals included
    renewal: Renewal | None
    items: tuple[Item, ...]  # capacity (quantity and unit) and unit rates, when published
    categories: tuple[Classification, ...]  # FEMA categories its process names
    activations: int  # orders under it in the data
    last_activation: Activation | None
    cover: str  # COVERED, RENEW, UNDATED or ENDS against the next season
    checklist: tuple[emergency.Line, ...]
    ends_before_season: bool = False  # it ends (as it stands) before the next season starts

    @property
    def renewals(self) -> holders.RenewalsLeft:
        """How many renewals it has left: the one rule the radar and "Who holds it now" use too."""
        return holders.renewals_left(self.contract) if self.contract else holders.RenewalsLeft(holders.UNKNOWN)

    @property
    def missing(self) -> tuple[emergency.Line, ...]:
        return tuple(line for line in self.checklist if line.status == emergency.MISSING)

    @property
    def anchor(self) -> str:
        """Its id on the page."""
        return "standby-" + routes.slug(f"{self.process.ocid} {self.contract.id if self.contract else ''}")

    @property
    def name(self) -> Name:
        return self.contract.name if self.contract else self.process.name


@dataclass(frozen=True)
class NeedStatus:
    need: Need
    key: str  # a slug for the page's anchors
    contracts: tuple[Standby, ...]  # latest end first
    level: str  # COVERED, RENEW, UNDATED, ENDS, NONE or NOT_NEEDED

    @property
    def is_gap(self) -> bool:
        return self.level in GAPS


@dataclass(frozen=True)
class Readiness:
    season: SeasonDates  # the next season
    current: SeasonDates | None  # the season under way, if any
    needs: tuple[NeedStatus, ...]
    threshold: Money
    guide: str = ""  # the output path of the vendors' guide, when the city publishes it
    category_codes: ClassVar[tuple[str, ...]] = emergency.CATEGORIES  # named in words (labels "fema_category")

    @property
    def gaps(self) -> tuple[NeedStatus, ...]:
        return tuple(n for n in self.needs if n.is_gap)

    @property
    def to_renew(self) -> tuple[NeedStatus, ...]:
        return tuple(n for n in self.needs if n.level in (RENEW, UNDATED))

    @property
    def ready(self) -> tuple[NeedStatus, ...]:
        return tuple(n for n in self.needs if n.level == COVERED)

    @property
    def standby_needs(self) -> tuple[NeedStatus, ...]:
        return tuple(n for n in self.needs if n.level != NOT_NEEDED)

    @property
    def contracts(self) -> tuple[Standby, ...]:
        """Every standby contract matching a need, once, in the needs' order."""
        return tuple({s.anchor: s for n in self.needs for s in n.contracts}.values())


def build(processes: Mapping[str, Process], settings: EmergencySettings, currency: str, today: dt.date,
          guide_paths: tuple[str, ...] = ()) -> Readiness:
    """`processes` by ocid (with their relations); `guide_paths` the site's guides' output paths."""
    current, season = seasons(today, settings.season)
    standby = [s for ocid in sorted(processes) for s in standby_of(processes[ocid], processes, settings, currency,
                                                                      today, season)]
    needs = []
    for index, need in enumerate(settings.needs):
        found = tuple(sorted((s for s in standby if matches(s, need, settings)), key=_latest_first))
        level = NOT_NEEDED if not need.standby else min((s.cover for s in found), key=ORDER.index, default=NONE)
        needs.append(NeedStatus(need, f"need-{index + 1}", found, level))
    guide = routes.guide_path(GUIDE)
    return Readiness(season, current, tuple(needs), Money(settings.threshold, currency),
                     guide if guide in guide_paths else "")


def _latest_first(s: Standby) -> tuple:
    return (s.end is None, -(s.end.timestamp() if s.end else 0), s.process.ocid, s.contract.id if s.contract else "")


def is_standby(process: Process, settings: EmergencySettings) -> bool:
    """Marked as standby by its data: a framework agreement, or a FEMA category of work; not an order
    under an agreement, nor a purchase made without competition in an emergency."""
    if process.relations.agreements or process.stage not in (CONTRACTED, AWARDED):
        return False
    if emergency.is_emergency(process, settings):
        return False
    return process.framework is not None or bool(_categories(process, settings))


def _categories(process: Process, settings: EmergencySettings) -> tuple[Classification, ...]:
    scheme = settings.schemes.categories.upper()
    return tuple(c for c in process.additional if c.scheme.upper() == scheme)


def in_place(start: dt.datetime | None, end: dt.datetime | None, today: dt.date) -> bool:
    """Its period covers today (an unpublished start or end does not rule it out)."""
    return (start is None or start.date() <= today) and (end is None or end.date() >= today)


def cover(end: dt.datetime | None, last_day: dt.datetime | None, season: SeasonDates) -> str:
    """How far a contract runs against `season`: through its last day as it stands (COVERED), only
    if renewed (RENEW), unknown (UNDATED), or not (ENDS)."""
    if end is None:
        return UNDATED
    if end.date() >= season.end:
        return COVERED
    if last_day is not None and last_day.date() >= season.end:
        return RENEW
    return ENDS


def standby_of(process: Process, processes: Mapping[str, Process], settings: EmergencySettings, currency: str,
               today: dt.date, season: SeasonDates) -> list[Standby]:
    """The standby contracts of one process in place today (none unless it is standby)."""
    if not is_standby(process, settings):
        return []
    terms = process.framework.period if process.framework else None
    activations = tuple(a for a in (_activation(n.ocid, processes) for n in process.relations.call_offs) if a)
    last = max(activations, key=lambda a: (a.date is not None, a.date.timestamp() if a.date else 0), default=None)
    deals: list[Contract | None] = [c for c in process.contracts if not c.ended]
    if not process.contracts and process.framework is not None:
        deals = [None]  # an awarded framework agreement with no contract published: its own period
    found = []
    for contract in deals:
        start = (contract.start if contract else None) or (terms.start if terms else None) or process.contract_start
        end = (contract.end if contract else None) or (terms.end if terms else None) or process.contract_end
        last_day = (contract.max_extent if contract else None) or (terms.max_extent if terms else None) or end
        if not in_place(start, end, today):
            continue
        found.append(Standby(process, contract, _suppliers(process, contract), start, end, last_day,
                             contract.renewal if contract else None, contract.items if contract else (),
                             _categories(process, settings), len(activations), last, cover(end, last_day, season),
                             emergency.checklist(process, settings, currency, contract),
                             end is not None and end.date() < season.start))
    return found


def _suppliers(process: Process, contract: Contract | None) -> tuple[OrgRef, ...]:
    awards = [a for a in process.active_awards if contract and a.id == contract.award_id] or process.active_awards
    return tuple({s.key or s.name: s for a in awards for s in a.suppliers}.values())


def _activation(ocid: str, processes: Mapping[str, Process]) -> Activation | None:
    order = processes.get(ocid) if ocid else None
    if order is None:
        return None
    def earliest(dates):
        return min((d for d in dates if d), key=lambda d: d.timestamp(), default=None)
    when = (earliest(a.date for a in order.active_awards) or earliest(c.start for c in order.contracts)
            or order.published)
    return Activation(order.name, order.path, when)


def matches(standby: Standby, need: Need, settings: EmergencySettings) -> bool:
    """By a FEMA category the need names, or by an item code starting with one of the need's codes."""
    wanted = {c.upper() for c in need.categories}
    if any(c.id.upper() in wanted for c in standby.categories):
        return True
    scheme = settings.schemes.items.upper()
    codes = [i.classification for i in standby.items if i.scheme in ("", scheme)]
    codes += [c.code for c in standby.process.categories if c.scheme == scheme]
    return any(code.startswith(prefix) for code in codes for prefix in need.codes)
