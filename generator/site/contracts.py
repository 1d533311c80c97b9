"""A process's awards and contracts, read from its compiled release, and what an award is worth now. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from generator import routes
from generator.site import agreements
from generator.site.parties import OrgRef, PartyIndex
from generator.site.texts import Clipper, Name
from generator.values import Money, listed, money, parse_datetime, text


@dataclass(frozen=True)
class Award:
    id: str
    title: str  # its own name (texts.award_names: its title, its lots' titles or its first item), cut; else ""
    status: str
    date: dt.datetime | None
    value: Money | None  # what it is worth now: its contract's value (after amendments) when one is published
    suppliers: tuple[OrgRef, ...]
    awarded: Money | None = None  # the value in the award itself, when it differs from `value`
    name: Name | None = None  # what every page, list and feed calls it (texts.award_names); default: title or id
    ceiling: bool = False  # an award of a framework agreement: its value is the most it may be worth, never spent

    def __post_init__(self):
        if self.name is None:
            object.__setattr__(self, "name", Name(self.title or self.id))


ENDED = ("cancelled", "terminated")  # contract statuses of contracts no longer held


@dataclass(frozen=True)
class Contract:
    id: str
    title: str
    status: str
    start: dt.datetime | None
    end: dt.datetime | None
    value: Money | None
    date_signed: dt.datetime | None
    amendments: int
    award_id: str = ""
    name: Name | None = None  # its title; else its award's name, else its process's (see named_contracts)
    max_extent: dt.datetime | None = None  # period.maxExtentDate: the latest it may run, renewals included
    renewal: agreements.Renewal | None = None
    options: agreements.Options | None = None
    items: tuple[agreements.Item, ...] = ()  # what it buys, with quantities and unit rates
    renewable: bool | None = None  # hasRenewal as published (False: it may not be renewed); None when not said
    document_types: tuple[str, ...] = ()  # the documentType codes of its own documents

    def __post_init__(self):
        if self.name is None:
            object.__setattr__(self, "name", Name(self.title or self.id))

    @property
    def ended(self) -> bool:
        """Cancelled or terminated: no longer held, whatever its dates say."""
        return self.status in ENDED

    @property
    def last_day(self) -> dt.datetime | None:
        """The latest it may run: maxExtentDate, else its end date."""
        return self.max_extent or self.end


def award(a: dict, name: Name, tz, parties: PartyIndex) -> Award:
    suppliers = tuple(ref for ref in (parties.ref(s, "supplier", routes.supplier_path) for s in listed(a.get("suppliers")))
                      if ref is not None)
    return Award(text(a.get("id")), name.text if not name.generated and not name.of else "",
                 text(a.get("status")), parse_datetime(a.get("date"), tz), money(a.get("value")), suppliers, name=name)


def contract(x: dict, tz, clip: Clipper) -> Contract:
    period = agreements.period(x.get("period"), tz)
    implementation = x.get("implementation") if isinstance(x.get("implementation"), dict) else {}
    return Contract(text(x.get("id")), clip.title(x.get("title")), text(x.get("status")), period.start, period.end,
                    money(x.get("value")), parse_datetime(x.get("dateSigned"), tz),
                    len([m for m in listed(x.get("amendments")) if isinstance(m, dict)]), text(x.get("awardID")),
                    max_extent=period.max_extent, renewal=agreements.renewal(x, tz, clip),
                    options=agreements.options(x, tz, clip), items=agreements.items(x.get("items"), clip),
                    renewable=x.get("hasRenewal") if isinstance(x.get("hasRenewal"), bool) else None,
                    document_types=agreements.document_types(x.get("documents"), implementation.get("documents")))


def named_contracts(contracts: tuple[Contract, ...], awards: tuple[Award, ...], process: Name) -> tuple[Contract, ...]:
    """A contract without a title is named after the award it implements, else after its process."""
    names = {a.id: a.name for a in awards}
    return tuple(c if c.title else replace(c, name=names.get(c.award_id, process)) for c in contracts)


def with_values_now(awards: tuple[Award, ...], contracts: tuple[Contract, ...]) -> tuple[Award, ...]:
    """The one rule for what an award is worth: its contract's value (after amendments) when a
    contract for it publishes one, else the award's own value, which is kept as `awarded` when
    the two differ."""
    now = {}
    for contract in contracts:
        if contract.award_id and contract.value and contract.award_id not in now:
            now[contract.award_id] = contract.value
    return tuple(replace(a, value=now[a.id], awarded=a.value if a.value != now[a.id] else None)
                 if a.id in now else a for a in awards)
