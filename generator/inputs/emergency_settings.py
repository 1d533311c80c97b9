"""The `emergency` settings: the storm season, the federal threshold and local schemes emergency
buying is read with, the documents a federal reimbursement file needs, and what a storm needs.

Every key has a default, so a city that sets nothing gets a hurricane season (June 1 to November 30),
the simplified acquisition threshold of 2 CFR 200.1 ($250,000), the schemes of the shared
conventions (US-2CFR200.320, US-FEMA-DR, US-FEMA-PA) and a list of needs matched by FEMA Public
Assistance category and UNSPSC code. Pure: the parsed YAML mapping in, frozen values out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.labels import N_

MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")


def month_day(text: str) -> tuple[int, int]:
    """"06-01" → (6, 1); ValueError for a day no year has (02-30, 13-01)."""
    match = MONTH_DAY.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a month and day written MM-DD, such as 06-01")
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024: a leap year
        raise ValueError(f"{text!r} is not a day of the year (MM-DD, such as 06-01)")
    return month, day


def on(year: int, md: tuple[int, int]) -> dt.date:
    """The day `md` of `year`; February 29 is February 28 in other years."""
    month, day = md
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Season:
    """When storms come: each year from `start` to `end` (month, day); an end before the start runs
    into the next year (a southern cyclone season, November to April)."""

    name: str = N_("hurricane season")
    start: tuple[int, int] = (6, 1)
    end: tuple[int, int] = (11, 30)
    builtin: bool = True  # the name is the default, an English message id (translated on pages)


@dataclass(frozen=True)
class Need:
    """Something a storm needs a contract for before it comes: matched by a FEMA Public Assistance
    category of work named in a process's tender (`categories`) or by its items' codes (`codes`:
    UNSPSC prefixes, e.g. a family "7612" or a class "261116")."""

    name: str
    categories: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    standby: bool = True  # False: bought after a disaster (permanent work); no standby contract expected
    builtin: bool = False  # the name is a default, an English message id (translated on pages)


@dataclass(frozen=True)
class Schemes:
    """The classification schemes emergency buying is read in."""

    reasons: str = "US-2CFR200.320"  # tender.procurementMethodRationaleClassifications: 2 CFR 200.320(c)
    declarations: str = "US-FEMA-DR"  # tender.additionalClassifications: a disaster declaration
    categories: str = "US-FEMA-PA"  # tender.additionalClassifications: a FEMA Public Assistance category
    items: str = "UNSPSC"  # the scheme of item classifications that needs' codes are in


# The lines of a federal reimbursement file's checklist, in order, and the document types
# (OCDS documentType codes, or the city's local codes) that show each is done.
CHECKLIST_LINES = ("competition", "cost_price_analysis", "outreach", "contract_clauses", "exclusion_check",
                   "conflict_of_interest", "signed_contract")
DEFAULT_DOCUMENTS = {
    "competition": ("bidders", "evaluationReports"),
    "cost_price_analysis": ("costPriceAnalysis",),
    "outreach": ("smallBusinessOutreach",),
    "contract_clauses": ("federalContractClauses",),
    "exclusion_check": ("debarments",),
    "conflict_of_interest": (),  # a line the city turns on by naming its document types
    "signed_contract": ("contractSigned",),
}

DEFAULT_NEEDS = (
    Need(N_("Debris removal (FEMA category A)"), ("A",), ("7612",), builtin=True),  # refuse disposal and treatment
    Need(N_("Emergency protective measures (FEMA category B)"), ("B",), builtin=True),
    Need(N_("Emergency meals"), (), ("9010", "5019"), builtin=True),  # restaurants and catering; prepared foods
    Need(N_("Bottled water and ice"), (), ("50202301", "50202302"), builtin=True),
    Need(N_("Generators"), (), ("261116",), builtin=True),  # power generators
    Need(N_("Fuel"), (), ("1510",), builtin=True),  # fuels
    Need(N_("Shelter operations"), (), ("931318",), builtin=True),  # disaster preparedness and relief services
    Need(N_("Permanent repairs (FEMA categories C to G)"), ("C", "D", "E", "F", "G"), standby=False, builtin=True),
)


@dataclass(frozen=True)
class EmergencySettings:
    season: Season = Season()
    threshold: Decimal = Decimal(250000)  # the simplified acquisition threshold, in the site's currency
    schemes: Schemes = Schemes()
    documents: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_DOCUMENTS))
    needs: tuple[Need, ...] = DEFAULT_NEEDS


def problems(data) -> list[tuple[list, str]]:
    """(path, message) for what the JSON Schema cannot say: days that do not exist."""
    season = data.get("season") if isinstance(data, dict) else None
    found = []
    for key in ("start", "end"):
        value = season.get(key) if isinstance(season, dict) else None
        if isinstance(value, str) and MONTH_DAY.match(value):  # the schema reports any other form
            try:
                month_day(value)
            except ValueError as exc:
                found.append((["emergency", "season", key], str(exc)))
    return found


def parse(data: dict | None) -> EmergencySettings:
    """The settings from the (schema-checked) `emergency` mapping; what is absent keeps its default."""
    data = data or {}
    season = data.get("season") or {}
    default = Season()
    schemes = {**Schemes().__dict__, **(data.get("schemes") or {})}
    needs = tuple(Need(n["name"], tuple(n.get("categories") or ()), tuple(n.get("codes") or ()),
                       n.get("standby", True)) for n in data["needs"]) if data.get("needs") else DEFAULT_NEEDS
    threshold = data.get("simplified_acquisition_threshold")
    return EmergencySettings(
        season=Season(season.get("name") or default.name, month_day(season["start"]) if season.get("start") else default.start,
                      month_day(season["end"]) if season.get("end") else default.end, builtin=not season.get("name")),
        threshold=Decimal(str(threshold)) if threshold is not None else EmergencySettings.threshold,
        schemes=Schemes(**schemes),
        documents={**DEFAULT_DOCUMENTS, **{k: tuple(v) for k, v in (data.get("documents") or {}).items()}},
        needs=needs,
    )
