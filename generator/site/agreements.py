"""How long a contract may run and how it is bought: framework agreement terms (the Techniques
extension), renewals (Renewal extension), options (Options extension), the classifications a tender
carries besides its items' (tender.additionalClassifications: a disaster declaration, a FEMA
category of work) and the reasons given for the method (procurementMethodRationaleClassifications).
Pure: compiled release dicts in, frozen values out. What they mean for a page is decided elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from generator.site.texts import Clipper
from generator.values import Money, dicts, listed, money, parse_datetime, safe_url, text


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _count(value) -> int | None:
    """A whole, non-negative count (participants, renewals); anything else is unknown."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 \
            or value != int(value):
        return None  # 1e9999 (infinity, "no maximum" in the Techniques extension) too
    return int(value)


@dataclass(frozen=True)
class Period:
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    max_extent: dt.datetime | None = None  # the latest the end may move to (renewals, options)
    days: int | None = None  # durationInDays, when published

    def __bool__(self) -> bool:
        return any(x is not None for x in (self.start, self.end, self.max_extent, self.days))


def period(value, tz: ZoneInfo) -> Period:
    p = _dict(value)
    days = _count(p.get("durationInDays"))
    return Period(parse_datetime(p.get("startDate"), tz), parse_datetime(p.get("endDate"), tz),
                  parse_datetime(p.get("maxExtentDate"), tz), days)


@dataclass(frozen=True)
class FrameworkTerms:
    """tender.techniques.frameworkAgreement, when tender.techniques.hasFrameworkAgreement is true."""

    method: str = ""  # frameworkAgreementMethod code: withReopeningCompetition, withoutReopeningCompetition, both
    minimum: int | None = None  # participants
    maximum: int | None = None
    buyer_categories: str = ""  # who else may buy from it, in the publisher's words
    period_rationale: str = ""
    ceiling: Money | None = None  # the most it may be worth: never money spent
    period: Period = Period()
    description: str = ""


def framework(tender: dict, tz: ZoneInfo, clip: Clipper) -> FrameworkTerms | None:
    techniques = _dict(tender.get("techniques"))
    if techniques.get("hasFrameworkAgreement") is not True:
        return None
    f = _dict(techniques.get("frameworkAgreement"))
    return FrameworkTerms(text(f.get("method")), _count(f.get("minimumParticipants")),
                          _count(f.get("maximumParticipants")), clip(f.get("buyerCategories")),
                          clip(f.get("periodRationale")), money(f.get("value")), period(f.get("period"), tz),
                          clip(f.get("description")))


@dataclass(frozen=True)
class Renewal:
    """contracts[].renewal (or tender.renewal), when hasRenewal is not false."""

    minimum: int | None = None
    maximum: int | None = None
    period: Period = Period()
    description: str = ""


def _declared(holder: dict, flag: str, key: str) -> dict | None:
    """The object at `key` unless the `flag` beside it says there is none (hasRenewal: false);
    {} when the flag is true but no details are given; None when neither says anything."""
    found = _dict(holder.get(key))
    if holder.get(flag) is False or (not found and holder.get(flag) is not True):
        return None
    return found


def renewal(holder: dict, tz: ZoneInfo, clip: Clipper) -> Renewal | None:
    r = _declared(holder, "hasRenewal", "renewal")
    if r is None:
        return None
    return Renewal(_count(r.get("minimumRenewals")), _count(r.get("maximumRenewals")), period(r.get("period"), tz),
                   clip(r.get("description")))


@dataclass(frozen=True)
class Options:
    description: str = ""
    period: Period = Period()


def options(holder: dict, tz: ZoneInfo, clip: Clipper) -> Options | None:
    o = _declared(holder, "hasOptions", "options")
    if o is None:
        return None
    return Options(clip(o.get("description")), period(o.get("period"), tz))


@dataclass(frozen=True)
class Classification:
    scheme: str
    id: str
    description: str
    uri: str = ""


def classifications(value, clip: Clipper) -> tuple[Classification, ...]:
    """A list of OCDS Classification objects, each with an id; in published order."""
    return tuple(Classification(clip.title(c.get("scheme")), clip.title(c.get("id")), clip.title(c.get("description")),
                                safe_url(c.get("uri")))
                 for c in dicts(value) if text(c.get("id")))


@dataclass(frozen=True)
class Item:
    """An item of a contract: what it buys, how much (capacity) and at what unit rate."""

    description: str
    classification: str  # the item's classification id
    quantity: float | None
    unit: str  # unit name
    rate: Money | None  # unit.value
    scheme: str = ""  # the item's classification scheme, upper case ("UNSPSC")


def items(value, clip: Clipper) -> tuple[Item, ...]:
    found = []
    for item in dicts(value):
        unit, cls = _dict(item.get("unit")), _dict(item.get("classification"))
        quantity = item.get("quantity")
        found.append(Item(clip(item.get("description")), text(cls.get("id")),
                          quantity if isinstance(quantity, (int, float)) and not isinstance(quantity, bool) else None,
                          clip.title(unit.get("name")), money(unit.get("value")), text(cls.get("scheme")).upper()))
    return tuple(found)


def roles_of(compiled: dict, role: str) -> tuple[str, ...]:
    """The names of the parties with `role` (e.g. "funder")."""
    return tuple(text(p.get("name")) or text(p.get("id")) for p in dicts(compiled.get("parties"))
                 if role in [text(r) for r in listed(p.get("roles"))])


def document_types(*lists) -> tuple[str, ...]:
    """The documentType codes of the documents in `lists` (OCDS documents arrays), each once, in order."""
    return tuple(dict.fromkeys(text(d.get("documentType")) for value in lists for d in dicts(value)
                               if text(d.get("documentType"))))


def process_document_types(compiled: dict) -> tuple[str, ...]:
    """The documentType codes of a process's planning, tender and award documents (not its contracts')."""
    return document_types(_dict(compiled.get("planning")).get("documents"), _dict(compiled.get("tender")).get("documents"),
                          *(a.get("documents") for a in dicts(compiled.get("awards"))))
