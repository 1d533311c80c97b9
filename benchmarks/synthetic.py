"""Deterministic synthetic OCDS 1.1 data for benchmarking the portal generator.

Writes a source folder shaped like a mid-size US city's 20 years of procurement data::

    OUT_DIR/content/site.yml        the repository's content/site.yml, retargeted at "Synthetic City"
    OUT_DIR/ocds_data/releases-NNNN.json   release packages of about ``files_of`` releases each

Processes are generated one at a time and written file by file, so memory stays flat whatever
``n_processes`` is. The same ``n_processes``, ``seed`` and ``today`` always give byte-identical
files: all randomness comes from one ``random.Random(seed)`` and nothing reads the clock.

The releases are valid against the OCDS 1.1.5 release schema patched with the ten extensions
listed in content/site.yml, and use only listed codes of the closed codelists.

Usage::

    python benchmarks/synthetic.py N OUT_DIR [--seed S] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

import orjson
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE_TEMPLATE = REPO_ROOT / "content" / "site.yml"

CITY = "Synthetic City"
OCID_PREFIX = "ocds-synth1"
DOMAIN = "synthetic-city.example.gov"
DOCS_URL = f"https://{DOMAIN}/procurement/documents"
PACKAGE_URL = f"https://{DOMAIN}/procurement/ocds"
FIRST_DAY = date(2007, 1, 1).toordinal()

# Stage of each contracting process, with its share of all processes. The history runs from
# 2007, so a city of 100,000 processes publishes about 5,000 a year; with bids open about a month
# and plans forecast about two months ahead, some 500 bids are open and 700 forecast at a time
# (earlier versions had 3% open and 2% forecast: 5,000 current opportunities, a six-month window).
STAGES = (
    ("forecast", 0.007),
    ("open", 0.005),
    ("evaluation", 0.005),
    ("awarded", 0.853),
    ("cancelled", 0.08),
    ("unsuccessful", 0.05),
)
AMENDED_SHARE = 0.10  # processes whose deadline is moved by a tenderAmendment release
CONTRACTED_SHARE = 0.85  # awarded processes that have a contract
SEPARATE_CONTRACT_SHARE = 0.05  # contracted processes whose contract comes in its own release

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

DEPARTMENTS = (
    "Public Works", "Parks and Recreation", "Police Department", "Fire Department",
    "Water Utility", "Transportation", "Public Library", "Health Department",
    "Housing and Community Development", "Finance Department", "Information Technology",
    "Human Resources", "Aviation Department", "Port Authority", "Planning and Zoning",
    "Building Inspection", "Sanitation", "Fleet Services", "Facilities Management",
    "City Attorney", "City Clerk", "Office of the Mayor", "City Council", "Municipal Court",
    "Emergency Management", "Animal Services", "Economic Development", "Convention Center",
    "Cultural Affairs", "Elections Office", "Environmental Services", "Stormwater Management",
    "Streets and Traffic", "Neighborhood Services", "Youth and Family Services",
    "Senior Services", "Workforce Development", "Solid Waste", "Energy Office",
    "Public Health Laboratory",
)

# UNSPSC class: (code, description, mainProcurementCategory, title nouns, median value USD)
CATEGORIES = (
    ("43211500", "Computers", "goods", ("Laptop Computers", "Desktop Computers", "Rugged Tablets"), 180_000),
    ("43232300", "Data management and query software", "goods", ("Records Management Software", "Database Licenses"), 250_000),
    ("43222600", "Network service equipment", "goods", ("Network Switches", "Wireless Access Points"), 300_000),
    ("44121600", "Desk supplies", "goods", ("Office Supplies", "Paper and Desk Supplies"), 60_000),
    ("25101500", "Passenger motor vehicles", "goods", ("Police Patrol Vehicles", "Fleet Sedans", "Hybrid SUVs"), 900_000),
    ("25101700", "Safety and rescue vehicles", "goods", ("Fire Engines", "Ambulances", "Aerial Ladder Trucks"), 1_400_000),
    ("46181500", "Safety apparel", "goods", ("Firefighter Turnout Gear", "High-Visibility Safety Apparel"), 120_000),
    ("46191600", "Fire suppression equipment", "goods", ("Fire Extinguishers", "Fire Hose and Nozzles"), 90_000),
    ("39111500", "Interior lighting fixtures and accessories", "goods", ("LED Lighting Fixtures", "Interior Lighting Retrofit Kits"), 150_000),
    ("30111500", "Concrete and mortars", "goods", ("Ready-Mix Concrete", "Asphalt and Concrete Materials"), 400_000),
    ("15101500", "Petroleum and distillates", "goods", ("Unleaded Gasoline and Diesel Fuel", "Bulk Fuel Delivery"), 1_100_000),
    ("26111700", "Batteries and cells", "goods", ("Vehicle Batteries", "Radio Batteries"), 50_000),
    ("47121700", "Waste containers and accessories", "goods", ("Refuse Carts", "Recycling Containers"), 350_000),
    ("72141100", "Highway and road construction services", "works", ("Street Resurfacing", "Sidewalk Reconstruction", "Bridge Deck Repair"), 2_200_000),
    ("72102900", "Facility maintenance and repair services", "works", ("Roof Replacement", "Building Renovation", "Restroom Renovation"), 800_000),
    ("72151500", "Electrical systems services", "works", ("Traffic Signal Upgrades", "Electrical Service Upgrade"), 600_000),
    ("72151200", "Heating and air conditioning services", "works", ("HVAC Replacement", "Boiler Replacement", "Chiller Upgrade"), 700_000),
    ("83101500", "Water and sewer utilities", "works", ("Water Main Replacement", "Sanitary Sewer Rehabilitation", "Lift Station Upgrade"), 2_800_000),
    ("70111700", "Parks and gardens and orchards", "works", ("Playground Replacement", "Park Trail Improvements", "Athletic Field Lighting"), 500_000),
    ("76111500", "General building and office cleaning services", "services", ("Janitorial Services", "Window Cleaning Services"), 450_000),
    ("76121500", "Refuse collection and disposal", "services", ("Refuse Collection Services", "Bulk Item Collection"), 3_000_000),
    ("78181500", "Vehicle maintenance and repair services", "services", ("Fleet Maintenance Services", "Towing Services"), 350_000),
    ("80101500", "Business and corporate management consultation services", "services", ("Management Consulting Services", "Organizational Assessment"), 200_000),
    ("81101500", "Civil engineering", "services", ("Civil Engineering Design Services", "Stormwater Engineering Services"), 650_000),
    ("81111500", "Software or hardware engineering", "services", ("Website Redesign", "Software Development Services", "Permitting System Implementation"), 500_000),
    ("84111500", "Financial accounting", "services", ("Independent Audit Services", "Actuarial Services"), 250_000),
    ("92121500", "Guard services", "services", ("Security Guard Services", "Parking Enforcement Services"), 700_000),
    ("82121500", "Printing", "services", ("Printing Services", "Ballot Printing"), 100_000),
    ("80111600", "Temporary personnel services", "services", ("Temporary Staffing Services", "Seasonal Staffing"), 300_000),
    ("86101700", "Vocational training", "services", ("Workforce Training Services", "Employee Safety Training"), 150_000),
)

PLACES = (
    "Maple Avenue", "Oak Street", "Harbor Boulevard", "Lincoln Park", "Riverside Drive",
    "Central Library", "City Hall", "Main Street", "Elm Street", "Union Station",
    "Northside Community Center", "Fire Station 7", "Police Headquarters", "Cedar Lane",
    "Eastgate Pool", "Westwood Recreation Center", "Municipal Airport", "Water Treatment Plant",
    "Jefferson Avenue", "Lakeshore Drive", "Pine Street", "Washington Square",
)
TITLE_PREFIXES = {
    "goods": ("Supply and Delivery of", "Purchase of", "Term Contract for", "Replacement", "Citywide"),
    "works": ("", "Construction of", "Phase 2", "Emergency", "Design-Build"),
    "services": ("Citywide", "On-Call", "Annual", "Multi-Year", "As-Needed"),
}
TITLE_SUFFIXES = {
    "goods": ("for {dept}", "for {dept}", "", ""),
    "works": ("at {place}", "on {place}", "near {place}", "at {place}"),
    "services": ("for {dept}", "for {dept} Facilities", "", ""),
}
DESCRIPTIONS = (
    "The {dept} is seeking qualified firms to provide {noun} for fiscal year {year}. {extra}",
    "{city} invites sealed bids for {noun}. Work and deliveries are coordinated by the {dept}. {extra}",
    "Solicitation for {noun} to replace aging equipment and reduce maintenance costs. {extra}",
    "The {dept} requires {noun} under a contract of up to five years with renewal options. {extra}",
)
EXTRAS = (
    "A pre-bid conference will be held virtually.",
    "Local and small businesses are encouraged to respond.",
    "Prevailing wage requirements apply.",
    "Bidders must hold all required state licenses.",
    "Questions must be submitted in writing before the enquiry deadline.",
    "Minority and women-owned business participation goals apply.",
    "",
)

SUPPLIER_STEMS = (
    "Summit", "Keystone", "Harbor", "Prairie", "Lakeside", "Ironwood", "Bluewater", "Redstone",
    "Granite", "Northstar", "Pioneer", "Liberty", "Evergreen", "Cardinal", "Riverbend",
    "Frontier", "Heritage", "Meridian", "Patriot", "Silverline", "Oakridge", "Beacon",
    "Cornerstone", "Midwest", "Sterling", "Atlas", "Horizon", "Anderson", "Martinez", "Nguyen",
    "Johnson", "Okafor", "Kowalski", "Ramirez", "Thompson", "Whitfield", "Castillo", "Brennan",
)
SUPPLIER_TRADES = {
    "goods": ("Supply", "Equipment", "Distributors", "Products", "Industrial", "Technologies"),
    "works": ("Construction", "Paving", "Contractors", "Builders", "Mechanical", "Electric"),
    "services": ("Services", "Consulting", "Solutions", "Maintenance", "Staffing", "Partners"),
}
LEGAL_FORMS = ("LLC", "Inc.", "Co.", "Corporation", "Group", "& Sons", "LLP")
TOWNS = ((CITY, "IL"), (CITY, "IL"), (CITY, "IL"), ("Fairview", "IL"), ("Greenfield", "IL"),
         ("Springdale", "IL"), ("Millbrook", "IL"), ("Riverton", "IL"), ("Westfield", "IN"),
         ("Chicago", "IL"), ("Indianapolis", "IN"), ("Milwaukee", "WI"), ("Columbus", "OH"))
STREETS = ("Industrial Parkway", "Commerce Drive", "Market Street", "2nd Avenue", "Depot Road",
           "Enterprise Way", "Harbor Road", "Route 9", "Mill Street", "Technology Drive")

# partyScale codelist (closed) with US-flavoured weights.
SCALES = (("micro", 10), ("small", 25), ("medium", 20), ("sme", 15), ("large", 28), ("selfEmployed", 2))
CERTIFICATIONS = (
    ("MBE", "Minority Business Enterprise"),
    ("WBE", "Women Business Enterprise"),
    ("VOSB", "Veteran-Owned Small Business"),
    ("SLBE", "Small Local Business Enterprise"),
)


class Method(NamedTuple):
    code: str  # procurementMethod (closed codelist)
    weight: int  # share of processes
    prefix: str  # solicitation number prefix
    details: str  # procurementMethodDetails
    bidder_counts: tuple[int, ...]
    bidder_weights: tuple[int, ...]


METHODS = tuple(Method(*row) for row in (
    ("open", 55, "IFB", "Invitation for Bids", (1, 2, 3, 4, 5, 6, 7, 8), (8, 14, 20, 18, 14, 10, 8, 8)),
    ("open", 20, "RFP", "Request for Proposals", (1, 2, 3, 4, 5, 6), (6, 14, 24, 24, 18, 14)),
    ("selective", 10, "RFQ", "Request for Qualifications (prequalified firms)", (2, 3, 4, 5), (20, 35, 30, 15)),
    ("limited", 10, "EMR", "Emergency Procurement", (1, 2, 3), (50, 30, 20)),
    ("direct", 5, "SS", "Sole Source", (1,), (1,)),
))


# --------------------------------------------------------------------------------------------
# Dates: ISO 8601 in America/Chicago (US daylight saving rules in force since 2007)
# --------------------------------------------------------------------------------------------

_DST_CACHE: dict[int, tuple[int, int]] = {}


def _dst_bounds(year: int) -> tuple[int, int]:
    """Ordinals of the first day of daylight saving time and of standard time in ``year``."""
    if year not in _DST_CACHE:
        march = date(year, 3, 1).toordinal()
        november = date(year, 11, 1).toordinal()
        second_sunday_march = march + (6 - date.fromordinal(march).weekday()) % 7 + 7
        first_sunday_november = november + (6 - date.fromordinal(november).weekday()) % 7
        _DST_CACHE[year] = (second_sunday_march, first_sunday_november)
    return _DST_CACHE[year]


def stamp(day: int, minute: int) -> str:
    """Format day ordinal ``day`` at ``minute`` past local midnight as an ISO 8601 date-time."""
    d = date.fromordinal(day)
    start, end = _dst_bounds(d.year)
    offset = "-05:00" if start <= day < end else "-06:00"
    return f"{d.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00{offset}"


# --------------------------------------------------------------------------------------------
# The city's organizations and categories, built once per run
# --------------------------------------------------------------------------------------------


@dataclass
class Category:
    code: str
    description: str
    kind: str  # mainProcurementCategory
    nouns: tuple[str, ...]
    median: int
    suppliers: list[int] = field(default_factory=list)
    cum_weights: list[float] = field(default_factory=list)

    @property
    def classification(self) -> dict:
        return {"scheme": "UNSPSC", "id": self.code, "description": self.description}


@dataclass
class Catalog:
    """Buyers, suppliers and categories; party dicts are shared between releases (read-only)."""

    buyers: list[dict]
    suppliers: list[dict]
    categories: list[Category]
    procurement_office: dict


def _slug(text: str) -> str:
    return re.sub("[^a-z0-9]+", "-", text.lower()).strip("-")


def _address(rng: random.Random, town: tuple[str, str] = TOWNS[0]) -> dict:
    return {
        "streetAddress": f"{rng.randint(10, 9800)} {rng.choice(STREETS)}",
        "locality": town[0],
        "region": town[1],
        "postalCode": f"6{rng.randint(1000, 2999):04d}",
        "countryName": "United States",
    }


def _buyer(rng: random.Random, name: str) -> dict:
    slug = _slug(name)
    return {
        "id": f"synth-city-{slug}",
        "name": f"{CITY} {name}",
        "address": _address(rng),
        "contactPoint": {
            "name": f"Purchasing Coordinator, {name}",
            "email": f"purchasing.{slug}@{DOMAIN}",
            "telephone": f"+1-555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}",
        },
    }


def _supplier_name(rng: random.Random, kind: str, used_names: set[str]) -> str:
    """A company name not used yet, e.g. "Summit Paving LLC" or "Harbor Granite Supply Inc."."""
    for attempt in range(20):
        stems = rng.sample(SUPPLIER_STEMS, 1 if attempt < 3 else 2)
        name = " ".join([*stems, rng.choice(SUPPLIER_TRADES[kind]), rng.choice(LEGAL_FORMS)])
        if name not in used_names:
            break
    else:
        name = f"{name} {len(used_names)}"
    used_names.add(name)
    return name


def _supplier(rng: random.Random, index: int, kind: str, used_names: set[str]) -> dict:
    name = _supplier_name(rng, kind, used_names)
    ein = f"{10 + index % 89:02d}-{(index * 7919 + 1_000_003) % 10_000_000:07d}"
    details: dict = {"scale": rng.choices([s for s, _ in SCALES], [w for _, w in SCALES])[0]}
    if rng.random() < 0.25:
        certs = rng.sample(CERTIFICATIONS, rng.choice((1, 1, 1, 2)))
        details["classifications"] = [
            {"scheme": "CITY-CERT", "id": code, "description": text} for code, text in certs
        ]
    slug = _slug(name)[:40]
    return {
        "id": f"US-EIN-{ein}",
        "name": name,
        "identifier": {"scheme": "US-EIN", "id": ein, "legalName": name},
        "address": _address(rng, rng.choice(TOWNS)),
        "contactPoint": {"name": "Contracts Manager", "email": f"bids@{slug}.example.com"},
        "details": details,
    }


def build_catalog(rng: random.Random, n_suppliers: int = 2000) -> Catalog:
    """Create the departments, suppliers and categories; each supplier serves 1-2 categories."""
    categories = [Category(*row) for row in CATEGORIES]
    buyers = [_buyer(rng, name) for name in DEPARTMENTS]
    office = _buyer(rng, "Office of Procurement")
    suppliers, used_names = [], set()
    for index in range(n_suppliers):
        primary = rng.choice(categories)
        suppliers.append(_supplier(rng, index, primary.kind, used_names))
        served = [primary]
        if rng.random() < 0.3:
            other = rng.choice([c for c in categories if c.kind == primary.kind])
            if other is not primary:
                served.append(other)
        for category in served:
            category.suppliers.append(index)
    for category in categories:  # a few suppliers win most work: Zipf-like weights
        total = 0.0
        for rank in range(len(category.suppliers)):
            total += 1.0 / (rank + 1) ** 0.8
            category.cum_weights.append(total)
    return Catalog(buyers, suppliers, categories, office)


# --------------------------------------------------------------------------------------------
# One contracting process
# --------------------------------------------------------------------------------------------


def _ref(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


def _with_roles(party: dict, roles: list[str]) -> dict:
    return {**party, "roles": roles}


def _money(amount: float) -> dict:
    return {"amount": round(amount, 2), "currency": "USD"}


@dataclass
class Timeline:
    """Day ordinals of a process's events (None when the event does not happen)."""

    publish: int
    tender_end: int
    amend: int | None = None
    original_end: int | None = None
    award: int | None = None
    award_release: int | None = None
    signed: int | None = None
    contract_release: int | None = None
    closed: int | None = None  # cancellation or unsuccessful-update release


@dataclass
class Process:
    """Everything decided about one contracting process before its releases are written."""

    ocid: str
    stage: str
    tender_id: str
    title: str
    description: str
    category: Category
    buyer: dict
    procuring_entity: dict
    method: Method
    value: float
    times: Timeline


class ProcessFactory:
    """Turns a process number into that process's releases, using one shared RNG."""

    def __init__(self, rng: random.Random, catalog: Catalog, today: date):
        self.rng = rng
        self.catalog = catalog
        self.today = today.toordinal()
        self.serials: dict[int, int] = {}  # next serial number per year
        self.stage_names = [name for name, _ in STAGES]
        self.stage_weights = [share for _, share in STAGES]

    # -- dates ---------------------------------------------------------------------------

    def _past_anchor(self) -> int:
        """A day before today, skewed to recent years (more is published as time goes on)."""
        earliest = FIRST_DAY + 200
        return earliest + int((self.today - earliest) * self.rng.random() ** 0.8)

    def _window(self, end: int, publish: int | None = None) -> Timeline:
        """Tender window ending on ``end``; maybe amended to move the deadline to ``end``."""
        rng = self.rng
        if publish is None:
            publish = end - rng.randint(21, 45)
        times = Timeline(publish=publish, tender_end=end)
        if rng.random() < AMENDED_SHARE:
            original_end = end - rng.randint(7, 14)
            last = min(original_end - 1, self.today)
            if last >= publish + 1:
                times.original_end = original_end
                times.amend = rng.randint(publish + 1, last)
        return times

    def _timeline(self, stage: str) -> Timeline:
        rng, today = self.rng, self.today
        if stage == "forecast":  # published recently; tender_end holds the planned start
            planned = today - rng.randint(1, 90)
            return Timeline(publish=planned, tender_end=today + rng.randint(30, 180))
        if stage == "open":
            return self._window(today + rng.randint(3, 40), publish=today - rng.randint(0, 30))
        if stage == "evaluation":
            return self._window(today - rng.randint(1, 45))
        anchor = self._past_anchor()
        if stage == "awarded":
            return self._awarded_timeline(anchor)
        times = self._window(anchor - rng.randint(1, 60))
        times.closed = anchor
        return times

    def _awarded_timeline(self, last: int) -> Timeline:
        rng = self.rng
        contracted = rng.random() < CONTRACTED_SHARE
        separate = contracted and rng.random() < SEPARATE_CONTRACT_SHARE
        award = last - rng.randint(5, 30) if contracted else last
        times = self._window(award - rng.randint(14, 75))
        times.award = award
        times.award_release = award if separate or not contracted else last
        if contracted:
            times.signed = last
            times.contract_release = last if separate else None
        return times

    # -- identity and text ---------------------------------------------------------------

    def _serial(self, year: int) -> int:
        self.serials[year] = self.serials.get(year, 0) + 1
        return self.serials[year]

    def _title(self, category: Category, dept: str) -> str:
        rng = self.rng
        prefix = rng.choice(TITLE_PREFIXES[category.kind])
        suffix = rng.choice(TITLE_SUFFIXES[category.kind]).format(dept=dept, place=rng.choice(PLACES))
        return " ".join(part for part in (prefix, rng.choice(category.nouns), suffix) if part)

    def _description(self, category: Category, dept: str, year: int) -> str:
        rng = self.rng
        template = rng.choice(DESCRIPTIONS)
        noun = rng.choice(category.nouns).lower()
        return template.format(dept=dept, noun=noun, city=CITY, year=year, extra=rng.choice(EXTRAS)).strip()

    def new_process(self) -> Process:
        rng = self.rng
        stage = rng.choices(self.stage_names, self.stage_weights)[0]
        times = self._timeline(stage)
        year = date.fromordinal(times.publish).year
        serial = self._serial(year)
        category = rng.choice(self.catalog.categories)
        buyer_index = rng.randrange(len(self.catalog.buyers))
        buyer = self.catalog.buyers[buyer_index]
        central = rng.random() < 0.6
        method = rng.choices(METHODS, [m.weight for m in METHODS])[0]
        dept = DEPARTMENTS[buyer_index]
        return Process(
            ocid=f"{OCID_PREFIX}-{year}-{serial:06d}",
            stage=stage,
            tender_id=f"{method.prefix}-{year}-{serial:04d}",
            title=self._title(category, dept),
            description=self._description(category, dept, year),
            category=category,
            buyer=buyer,
            procuring_entity=self.catalog.procurement_office if central else buyer,
            method=method,
            value=category.median * rng.lognormvariate(0.0, 0.9),
            times=times,
        )

    # -- release parts -------------------------------------------------------------------

    def _stamp(self, day: int) -> str:
        """``day`` at a random time within working hours."""
        return stamp(day, self.rng.randint(8 * 60, 16 * 60 + 59))

    def _document(self, p: Process, doc_id: str, doc_type: str, title: str, day: int) -> dict:
        return {
            "id": doc_id,
            "documentType": doc_type,
            "title": title,
            "url": f"{DOCS_URL}/{p.ocid}/{doc_id}.pdf",
            "datePublished": stamp(day, 9 * 60),
            "format": "application/pdf",
            "language": "en",
        }

    def _buyer_parties(self, p: Process) -> list[dict]:
        if p.procuring_entity is p.buyer:
            return [_with_roles(p.buyer, ["buyer", "procuringEntity"])]
        return [_with_roles(p.buyer, ["buyer"]), _with_roles(p.procuring_entity, ["procuringEntity"])]

    def _items(self, p: Process) -> list[dict]:
        rng = self.rng
        unit = {"goods": "Each", "works": "Lump sum", "services": "Year"}[p.category.kind]
        nouns = rng.sample(p.category.nouns, min(rng.choice((1, 1, 1, 2, 3)), len(p.category.nouns)))
        return [
            {
                "id": str(n),
                "description": noun,
                "classification": p.category.classification,
                "quantity": rng.randint(1, 50) if unit == "Each" else 1,
                "unit": {"name": unit},
            }
            for n, noun in enumerate(nouns, 1)
        ]

    def _tender(self, p: Process, status: str) -> dict:
        rng, t = self.rng, p.times
        end = t.original_end or t.tender_end
        published = t.publish
        tender = {
            "id": p.tender_id,
            "title": p.title,
            "description": p.description,
            "status": status,
            "procuringEntity": _ref(p.procuring_entity),
            "items": self._items(p),
            "value": _money(p.value),
            "procurementMethod": p.method.code,
            "procurementMethodDetails": p.method.details,
            "mainProcurementCategory": p.category.kind,
            "submissionMethod": ["electronicSubmission"] if published > FIRST_DAY + 2000 else ["written"],
            "tenderPeriod": {"startDate": self._stamp(published), "endDate": stamp(end, 14 * 60)},
            "enquiryPeriod": {
                "startDate": self._stamp(published),
                "endDate": stamp(published + (end - published) * 2 // 3, 17 * 60),
            },
            "documents": [
                self._document(p, "notice", "tenderNotice", f"Notice: {p.title}", published),
                self._document(p, "bid-documents", "biddingDocuments", "Bid documents", published),
                self._document(p, "specifications", "technicalSpecifications", "Technical specifications", published),
            ],
        }
        if p.category.kind == "works":
            tender["submissionTerms"] = {"depositsGuarantees": "5% bid bond required; performance and payment bonds"}
        if rng.random() < 0.15:
            tender["suitability"] = {"sme": True}
        return tender

    def _planned_tender(self, p: Process) -> dict:
        return {
            "id": p.tender_id,
            "title": p.title,
            "description": p.description,
            "status": "planned",
            "procuringEntity": _ref(p.procuring_entity),
            "items": self._items(p),
            "value": _money(p.value),
            "procurementMethod": p.method.code,
            "mainProcurementCategory": p.category.kind,
            "tenderPeriod": {"startDate": stamp(p.times.tender_end, 9 * 60)},
            "documents": [
                self._document(p, "forecast", "plannedProcurementNotice", f"Forecast: {p.title}", p.times.publish)
            ],
        }

    def _release(self, p: Process, kind: str, day: int, tags: list[str], parties: list[dict]) -> dict:
        """A release's common fields; it is dated after the working-hours events it reports."""
        return {
            "ocid": p.ocid,
            "id": f"{p.ocid}-{kind}",
            "date": stamp(day, self.rng.randint(17 * 60, 18 * 60 + 59)),
            "tag": tags,
            "initiationType": "tender",
            "parties": parties,
            "buyer": _ref(p.buyer),
        }

    # -- releases ------------------------------------------------------------------------

    def planning_release(self, p: Process) -> dict:
        release = self._release(p, "planning", p.times.publish, ["planning"], self._buyer_parties(p))
        release["planning"] = {
            "rationale": f"Included in the {CITY} procurement forecast.",
            "budget": {"description": "Capital and operating budget", "amount": _money(p.value)},
        }
        release["tender"] = self._planned_tender(p)
        return release

    def tender_release(self, p: Process) -> dict:
        release = self._release(p, "tender", p.times.publish, ["tender"], self._buyer_parties(p))
        release["tender"] = self._tender(p, "active")
        return release

    def amendment_release(self, p: Process) -> dict:
        t = p.times
        release = self._release(p, "amendment-1", t.amend, ["tenderAmendment"], self._buyer_parties(p))
        release["tender"] = {
            "id": p.tender_id,
            "title": p.title,
            "status": "active",
            "tenderPeriod": {"startDate": self._stamp(t.publish), "endDate": stamp(t.tender_end, 14 * 60)},
            "amendments": [
                {
                    "id": "1",
                    "date": self._stamp(t.amend),
                    "rationale": "Bid due date extended to answer vendor questions.",
                    "description": f"Addendum 1: the bid due date moves to {date.fromordinal(t.tender_end).isoformat()}.",
                    "amendsReleaseID": f"{p.ocid}-tender",
                    "releaseID": f"{p.ocid}-amendment-1",
                }
            ],
            "enquiries": [
                {
                    "id": "1",
                    "date": self._stamp(t.amend - 1),
                    "title": "Request for deadline extension",
                    "answer": "The due date has been extended; see Addendum 1.",
                    "dateAnswered": self._stamp(t.amend),
                }
            ],
            "documents": [self._document(p, "addendum-1", "clarifications", "Addendum 1", t.amend)],
        }
        return release

    def closing_release(self, p: Process) -> dict:
        """The release that ends a cancelled or unsuccessful process."""
        if p.stage == "cancelled":
            kind, tags, doc = "cancellation", ["tenderCancellation"], ("cancellationDetails", "Notice of cancellation")
        else:
            kind, tags, doc = "update", ["tenderUpdate"], ("evaluationReports", "No responsive bids received")
        release = self._release(p, kind, p.times.closed, tags, self._buyer_parties(p))
        release["tender"] = {
            "id": p.tender_id,
            "status": p.stage,
            "documents": [self._document(p, kind, doc[0], doc[1], p.times.closed)],
        }
        if p.stage == "unsuccessful":
            release["bids"] = {"statistics": [{"id": "1", "measure": "bids", "value": self.rng.randint(0, 2)}]}
        return release

    def _bidders(self, p: Process) -> list[int]:
        """Distinct suppliers that bid, the first being the winner."""
        rng, cat = self.rng, p.category
        wanted = min(rng.choices(p.method.bidder_counts, p.method.bidder_weights)[0], len(cat.suppliers))
        chosen: list[int] = []
        while len(chosen) < wanted:
            index = rng.choices(cat.suppliers, cum_weights=cat.cum_weights)[0]
            if index not in chosen:
                chosen.append(index)
        return chosen

    def _contract(self, p: Process, amount: float) -> dict:
        rng, t = self.rng, p.times
        start = t.signed + rng.randint(0, 14)
        return {
            "id": f"{p.tender_id}-C1",
            "awardID": f"{p.tender_id}-A1",
            "title": p.title,
            "status": "active",
            "period": {"startDate": stamp(start, 0), "endDate": stamp(start + 365 * rng.randint(1, 5) - 1, 23 * 60 + 59)},
            "value": _money(amount),
            "dateSigned": self._stamp(t.signed),
            "documents": [self._document(p, "contract", "contractSigned", "Executed contract", t.signed)],
        }

    def award_release(self, p: Process) -> tuple[dict, dict | None]:
        """The award release, and the contract (already in it unless it needs its own release)."""
        rng, t = self.rng, p.times
        bidders = self._bidders(p)
        winner = self.catalog.suppliers[bidders[0]]
        parties = self._buyer_parties(p) + [_with_roles(winner, ["tenderer", "supplier"])]
        parties += [_with_roles(self.catalog.suppliers[i], ["tenderer"]) for i in bidders[1:]]
        amount = p.value * rng.uniform(0.75, 1.1)
        contract = self._contract(p, amount) if t.signed else None
        together = contract is not None and t.contract_release is None
        tags = ["award", "contract"] if together else ["award"]
        release = self._release(p, "award", t.award_release, tags, parties)
        release["tender"] = {
            "id": p.tender_id,
            "status": "complete",
            "numberOfTenderers": len(bidders),
            "tenderers": [_ref(self.catalog.suppliers[i]) for i in bidders],
        }
        release["awards"] = [
            {
                "id": f"{p.tender_id}-A1",
                "title": p.title,
                "status": "active",
                "date": self._stamp(t.award),
                "value": _money(amount),
                "suppliers": [_ref(winner)],
                "documents": [
                    self._document(p, "award-notice", "awardNotice", "Notice of award", t.award),
                    self._document(p, "bid-tabulation", "bidders", "Bid tabulation", t.award),
                ],
            }
        ]
        if together:
            release["contracts"] = [contract]
        if rng.random() < 0.6:
            release["bids"] = {"statistics": [{"id": "1", "measure": "bids", "value": len(bidders)}]}
        return release, (None if together else contract)

    def contract_release(self, p: Process, contract: dict) -> dict:
        release = self._release(p, "contract", p.times.contract_release, ["contract"], self._buyer_parties(p))
        release["contracts"] = [contract]
        return release

    def releases(self, p: Process) -> list[dict]:
        """All releases of one process, oldest first."""
        if p.stage == "forecast":
            return [self.planning_release(p)]
        out = [self.tender_release(p)]
        if p.times.amend is not None and (p.times.closed is None or p.times.amend < p.times.closed):
            out.append(self.amendment_release(p))
        if p.stage in ("cancelled", "unsuccessful"):
            out.append(self.closing_release(p))
        elif p.stage == "awarded":
            award, contract = self.award_release(p)
            out.append(award)
            if contract is not None:
                out.append(self.contract_release(p, contract))
        return out


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def load_site_template(path: Path = SITE_TEMPLATE) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def write_site(out_dir: Path, template: dict, today: date) -> dict:
    """Write OUT_DIR/content/site.yml: the template retargeted at the synthetic city."""
    site = dict(template)
    site["city_name"] = CITY
    site["ocid_prefix"] = OCID_PREFIX
    site["today"] = today
    site["local_codes"] = {"itemClassificationScheme": ["CITY-CERT"]}  # the synthetic city's certification scheme
    path = out_dir / "content" / "site.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(site, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return site


def _first_language(text):
    """A site.yml text, given as one text or one per language ({en: ..., es: ...}): the first."""
    return next(iter(text.values())) if isinstance(text, dict) else text


def package_header(site: dict, today: date) -> dict:
    """The fields of every release package except ``uri`` and ``releases``."""
    return {
        "version": "1.1",
        "publishedDate": stamp(today.toordinal(), 6 * 60),
        "publisher": {"name": _first_language(site["publisher"]["name"])},
        "license": site["license"],
        "publicationPolicy": site["publication_policy"],
        "extensions": list(site["extensions"]),
    }


def write_package(data_dir: Path, number: int, header: dict, releases: list[dict]) -> int:
    """Write one release package; returns its size in bytes."""
    name = f"releases-{number:04d}.json"
    package = {"uri": f"{PACKAGE_URL}/{name}", **header, "releases": releases}
    payload = orjson.dumps(package)
    (data_dir / name).write_bytes(payload)
    return len(payload)


def clear_packages(data_dir: Path) -> None:
    """Remove packages left by an earlier run, so a smaller run leaves no stale files."""
    for old in data_dir.glob("releases-*.json"):
        old.unlink()


def generate(
    n_processes: int,
    out_dir: Path,
    *,
    seed: int = 1,
    today: date = date(2026, 11, 16),
    files_of: int = 2000,
) -> dict:
    """Write ``n_processes`` synthetic contracting processes under ``out_dir``; return counts."""
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    site = write_site(out_dir, load_site_template(), today)
    header = package_header(site, today)
    data_dir = out_dir / "ocds_data"
    data_dir.mkdir(parents=True, exist_ok=True)
    clear_packages(data_dir)

    factory = ProcessFactory(rng, build_catalog(rng), today)
    counts = {"processes": n_processes, "releases": 0, "files": 0, "bytes": 0}
    counts["stages"] = dict.fromkeys(factory.stage_names, 0)
    batch: list[dict] = []
    for _ in range(n_processes):
        process = factory.new_process()
        counts["stages"][process.stage] += 1
        batch.extend(factory.releases(process))
        if len(batch) >= files_of:
            counts["files"] += 1
            counts["bytes"] += write_package(data_dir, counts["files"], header, batch)
            counts["releases"] += len(batch)
            batch = []
    if batch or counts["files"] == 0:
        counts["files"] += 1
        counts["bytes"] += write_package(data_dir, counts["files"], header, batch)
        counts["releases"] += len(batch)
    return counts


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of contracting processes")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="source folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 16),
                        help="the build's 'today', YYYY-MM-DD (default: 2026-11-16)")
    parser.add_argument("--files-of", type=int, default=2000, help="releases per package file")
    args = parser.parse_args(argv)
    if args.n < 0 or args.files_of < 1:
        parser.error("N must be >= 0 and --files-of >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.n, args.out_dir, seed=args.seed, today=args.today, files_of=args.files_of)
    elapsed = time.perf_counter() - started
    print(
        f"{counts['processes']} processes, {counts['releases']} releases in {counts['files']} files, "
        f"{counts['bytes'] / 2**20:.1f} MiB, {elapsed:.1f} s -> {args.out_dir}"
    )
    print("stages: " + ", ".join(f"{k} {v}" for k, v in counts["stages"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
