#!/usr/bin/env python3
"""Write the demo city's OCDS data (the fictional City of Alderport) under ocds_data/.

Run from anywhere:  .venv/bin/python scripts/make_demo_city.py

The output is deterministic: a fixed random seed (one stream per contracting process), no clock
reads, and every date computed from TODAY, the demo's pinned day (content/site.yml `today`).
Running the script twice gives byte-identical files. It deletes the .json/.jsonl/.yaml/.yml files
under ocds_data/ and writes them again in a mix of the formats the build reads:

  ocds_data/<department>/<year>.json      release packages, one per department and year
  ocds_data/airport/records.json          a record package with embedded releases
  ocds_data/water-utility/releases.jsonl  JSON Lines, one release per line
  ocds_data/<department>/*.yaml           single releases, as a staff member would write them
  ocds_data/parks-and-recreation/register.xlsx  a department's register kept in a spreadsheet
                                                (`portal new spreadsheet`'s workbook, filled in)

Every release is written to exactly one file.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from generator import pipeline
from generator.authoring import spreadsheet
from generator.inputs import folder

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ocds_data"
SITE = yaml.safe_load((ROOT / "content" / "site.yml").read_text("utf-8"))

TODAY = date(2026, 11, 16)  # the demo's fixed "today" (a Monday); never read the clock
SEED = 20261116
PREFIX = SITE["ocid_prefix"]  # ocds-aldrpt


def in_english(value):
    """A site.yml text, given as one text or one per language ({en: ..., es: ...})."""
    return value["en"] if isinstance(value, dict) else value


CURRENCY = "USD"
WEB = "https://alderport.example.gov"
EBID = f"{WEB}/procurement/ebid"
REGION, COUNTRY = "WI", "United States"
GENERATED_SUFFIXES = {".json", ".jsonl", ".yaml", ".yml", ".xlsx"}
# The title and description in Spanish of every current opportunity (open or forecast on TODAY),
# published as OCDS language variants ("title_es", "description_es").
SPANISH = json.loads((ROOT / "scripts" / "demo_city_es.json").read_text("utf-8"))


# --- dates (America/Chicago, computed without a time-zone database) ------------------------

def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def iso(d: date, hh: int = 9, mm: int = 0) -> str:
    """ISO 8601 local time with the Central offset (CDT -05:00 from the 2nd Sunday of March to the 1st of November)."""
    dst = _nth_sunday(d.year, 3, 2) <= d < _nth_sunday(d.year, 11, 1)
    return f"{d.isoformat()}T{hh:02d}:{mm:02d}:00{'-05:00' if dst else '-06:00'}"


def parse(s: str) -> datetime:
    return datetime.fromisoformat(s)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def _observed(d: date) -> date:
    return d - timedelta(days=1) if d.weekday() == 5 else d + timedelta(days=1) if d.weekday() == 6 else d


def _last_monday(year: int, month: int) -> date:
    d = date(year, month + 1, 1) - timedelta(days=1)
    return d - timedelta(days=d.weekday())


def is_holiday(d: date) -> bool:
    """City Hall closures: New Year's Day, Memorial Day, Independence Day, Labor Day, Thanksgiving and the day
    after, Christmas."""
    y = d.year
    thanksgiving = date(y, 11, 1) + timedelta(days=(3 - date(y, 11, 1).weekday()) % 7 + 21)
    return d in {_observed(date(y, 1, 1)), _last_monday(y, 5), _observed(date(y, 7, 4)),
                 date(y, 9, 1) + timedelta(days=(7 - date(y, 9, 1).weekday()) % 7), thanksgiving,
                 thanksgiving + timedelta(days=1), _observed(date(y, 12, 25)), _observed(date(y + 1, 1, 1))}


def back(d: date) -> date:
    """The nearest business day on or before d."""
    while d.weekday() >= 5 or is_holiday(d):
        d -= timedelta(days=1)
    return d


def fwd(d: date) -> date:
    """The nearest business day on or after d."""
    while d.weekday() >= 5 or is_holiday(d):
        d += timedelta(days=1)
    return d


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise ValueError(d)


def human(d: date, hh: int | None = None) -> str:
    text = f"{d.strftime('%B')} {d.day}, {d.year}"
    if hh is not None:
        text += f" at {hh - 12 if hh > 12 else hh}:00 {'p.m.' if hh >= 12 else 'a.m.'}"
    return text


def money(x: float) -> int | float:
    x = round(x) if x >= 100_000 else round(x, 2)
    return int(x) if x == int(x) else x


def value(x: float) -> dict:
    return {"amount": money(x), "currency": CURRENCY}


# --- organisations ---------------------------------------------------------------------------

def address(street: str, locality: str = "Alderport", postal: str = "53590", region: str = REGION) -> dict:
    return {"streetAddress": street, "locality": locality, "region": region, "postalCode": postal,
            "countryName": COUNTRY}


# code: (folder, party id, name, contact name, email user, phone, street)
DEPARTMENTS = {
    "PW": ("public-works", "alderport-public-works", "Department of Public Works",
           "Gregory Okafor, Contracts Administrator", "pw.contracts", "+1-555-0110", "2400 Industrial Parkway"),
    "PR": ("parks-and-recreation", "alderport-parks", "Parks and Recreation Department",
           "Lena Marsh, Business Services Manager", "parks.contracts", "+1-555-0111", "55 Lakefront Drive"),
    "PD": ("police", "alderport-police", "Police Department",
           "Sgt. Marcus Bell, Fiscal and Logistics Unit", "pd.logistics", "+1-555-0112", "300 Harbor Square"),
    "FD": ("fire", "alderport-fire", "Fire Department",
           "Angela Ruiz, Deputy Chief of Support Services", "fire.support", "+1-555-0113", "410 Mill Street"),
    "WU": ("water-utility", "alderport-water", "Water Utility",
           "Priya Raman, Utility Procurement Specialist", "water.procurement", "+1-555-0114",
           "1200 Riverside Avenue"),
    "LIB": ("library", "alderport-library", "Alderport Public Library",
            "Thomas Nguyen, Library Business Manager", "library.admin", "+1-555-0115", "20 Commons Street"),
    "IT": ("information-technology", "alderport-it", "Department of Information Technology",
           "Rachel Kim, IT Contracts Manager", "it.contracts", "+1-555-0116", "100 Harbor Square, 4th Floor"),
    "TR": ("transportation", "alderport-transportation", "Department of Transportation",
           "Samuel Ortiz, Capital Projects Coordinator", "dot.projects", "+1-555-0117",
           "2400 Industrial Parkway, Building B"),
    "HLT": ("health", "alderport-health", "Health Department",
            "Dr. Nadia Haddad, Deputy Health Director", "health.admin", "+1-555-0118", "75 Elm Street"),
    "HSG": ("housing", "alderport-housing", "Housing and Community Development Department",
            "Kevin Brooks, Grants and Contracts Manager", "housing", "+1-555-0119", "100 Harbor Square, Room 330"),
    "FIN": ("finance", "alderport-finance", "Finance Department",
            "Laura Chen, Deputy Finance Director", "finance", "+1-555-0120", "100 Harbor Square, Room 220"),
    "AIR": ("airport", "alderport-airport", "Alderport Regional Airport",
            "Monica Feld, Airport Business Manager", "airport.business", "+1-555-0121",
            "1 Airport Terminal Drive"),
    "PLN": ("planning", "alderport-planning", "Planning and Development Department",
            "Jorge Alvarez, Principal Planner", "planning", "+1-555-0122", "100 Harbor Square, Room 300"),
    "FLT": ("fleet-services", "alderport-fleet", "Fleet Services Division",
            "Derek Holm, Fleet Manager", "fleet", "+1-555-0123", "2450 Industrial Parkway"),
}
# Departments that run their own solicitations (enterprise funds); the others go through Procurement.
SELF_PROCURING = {"WU", "AIR"}
PROCUREMENT_ID = "alderport-procurement"

CERTS = {
    "MBE": "Minority-owned business enterprise",
    "WBE": "Women-owned business enterprise",
    "VOSB": "Veteran-owned small business",
    "SLBE": "Small local business enterprise",
    "DBE": "Disadvantaged business enterprise (US DOT)",
}

# key: (name, street, locality, postal, region, scale, certifications, phone, email domain, trades)
SUPPLIERS = {
    "bayside-paving": ("Bayside Paving Co.", "1840 Quarry Road", "Alderport", "53592", REGION, "medium",
                       ["SLBE"], "+1-555-0151", "baysidepaving", ["paving", "civil"]),
    "harborline-construction": ("Harborline Construction Inc.", "900 Commerce Drive", "Port Ellis", "53610",
                                REGION, "large", [], "+1-555-0152", "harborline", ["building", "civil", "paving"]),
    "ridgeway-civil": ("Ridgeway Civil Contractors LLC", "412 Ridgeway Avenue", "Alderport", "53591", REGION,
                       "medium", ["MBE", "DBE"], "+1-555-0153", "ridgewaycivil",
                       ["civil", "water", "paving", "debris"]),
    "lakeshore-concrete": ("Lakeshore Concrete & Masonry", "77 Dock Street", "Alderport", "53590", REGION,
                           "small", ["WBE", "SLBE"], "+1-555-0154", "lakeshoreconcrete",
                           ["civil", "building", "specialty"]),
    "summit-roofing": ("Summit Roofing & Sheet Metal", "2215 Foundry Lane", "Millbrook", "53602", REGION,
                       "small", ["VOSB", "SLBE"], "+1-555-0155", "summitroofing", ["roofing", "specialty"]),
    "brightline-electric": ("Brightline Electric LLC", "58 Volta Street", "Alderport", "53593", REGION, "small",
                            ["MBE", "SLBE"], "+1-555-0157", "brightline", ["electrical", "traffic", "specialty"]),
    "northgate-janitorial": ("Northgate Janitorial LLC", "615 Northgate Boulevard", "Alderport", "53594", REGION,
                             "small", ["WBE", "SLBE"], "+1-555-0158", "northgatejanitorial", ["janitorial"]),
    "crystal-clear": ("Crystal Clear Facility Services", "240 Market Street, Suite 5", "Alderport", "53590",
                      REGION, "medium", ["MBE"], "+1-555-0159", "crystalclearfs", ["janitorial"]),
    "proshine": ("ProShine Building Maintenance Corp.", "1500 Lake Avenue", "Port Ellis", "53610", REGION,
                 "large", [], "+1-555-0160", "proshine", ["janitorial", "supplies"]),
    "harbor-supply": ("Harbor Supply Company", "330 Wharf Road", "Alderport", "53590", REGION, "medium",
                      ["SLBE"], "+1-555-0161", "harborsupply", ["supplies", "safety", "water", "tires", "signs"]),
    "midwest-safety": ("Midwest Safety & Fire Equipment Inc.", "8800 Enterprise Way", "Fairhaven", "53620",
                       REGION, "medium", ["VOSB"], "+1-555-0162", "midwestsafety",
                       ["safety", "medical", "apparel"]),
    "lakeview-data": ("Lakeview Data Systems LLC", "121 Harbor Square, Suite 400", "Alderport", "53590", REGION,
                      "small", ["MBE"], "+1-555-0163", "lakeviewdata", ["it", "network", "software"]),
    "meridian-civic": ("Meridian Civic Software Inc.", "500 Nicollet Mall, Suite 1200", "Minneapolis", "55402",
                       "MN", "large", [], "+1-555-0164", "meridiancivic", ["software"]),
    "aldertech": ("AlderTech Solutions", "19 Beacon Street", "Alderport", "53590", REGION, "micro",
                  ["VOSB", "SLBE"], "+1-555-0165", "aldertech", ["it", "network"]),
    "granite-network": ("Granite Network Services Inc.", "4400 Technology Drive", "Cedar Crossing", "53615",
                        REGION, "medium", [], "+1-555-0166", "granitenet", ["network", "it", "software"]),
    "lakeland-fleet": ("Lakeland Fleet & Truck Center", "6200 Highway 41", "Fairhaven", "53620", REGION,
                       "large", [], "+1-555-0167", "lakelandfleet", ["vehicles", "equipment", "tires"]),
    "great-lakes-emergency": ("Great Lakes Emergency Vehicles Inc.", "2700 Apparatus Court", "Port Ellis",
                              "53611", REGION, "medium", [], "+1-555-0168", "glev",
                              ["vehicles", "fleetrepair"]),
    "whitfield-ames": ("Whitfield & Ames Consulting Group", "250 Commons Street, Suite 3", "Alderport", "53590",
                       REGION, "medium", ["WBE"], "+1-555-0170", "whitfieldames", ["consulting", "finance"]),
    "strand-engineering": ("Strand Engineering Associates", "1010 Bridge Street", "Millbrook", "53602", REGION,
                           "medium", [], "+1-555-0171", "strandeng", ["engineering", "environmental", "water"]),
    "harper-finch": ("Harper Finch Municipal Advisors", "16 Lighthouse Lane", "Alderport", "53590", REGION,
                     "small", ["WBE", "MBE"], "+1-555-0172", "harperfinch", ["consulting", "finance"]),
    "osprey-environmental": ("Osprey Environmental Services LLC", "740 Marsh Road", "Cedar Crossing", "53616",
                             REGION, "small", ["VOSB"], "+1-555-0173", "ospreyenv", ["environmental"]),
    "greenway-landscape": ("Greenway Landscape Services", "3300 Orchard Road", "Alderport", "53595", REGION,
                           "small", ["MBE", "SLBE"], "+1-555-0174", "greenwaylandscape", ["landscape"]),
    "timberline-tree": ("Timberline Tree Care LLC", "12 Birch Court", "Millbrook", "53603", REGION, "micro",
                        ["VOSB", "SLBE"], "+1-555-0175", "timberlinetree", ["landscape", "debris"]),
    "harbor-table": ("Harbor Table Catering", "41 Pier Street", "Alderport", "53590", REGION, "micro",
                     ["WBE", "SLBE"], "+1-555-0176", "harbortable", ["catering"]),
    "bluewater-catering": ("Bluewater Events & Catering", "1900 Shore Drive", "Fairhaven", "53621", REGION,
                           "small", [], "+1-555-0177", "bluewaterevents", ["catering"]),
    "portside-print": ("Portside Print & Sign", "95 Canal Street", "Alderport", "53590", REGION, "micro",
                       ["WBE", "SLBE"], "+1-555-0178", "portsideprint", ["print", "signs"]),
    "calder-voss": ("Calder & Voss CPAs LLP", "600 Harbor Square, Suite 900", "Alderport", "53590", REGION,
                    "medium", [], "+1-555-0179", "caldervoss", ["finance", "consulting"]),
    "northstar-health": ("Northstar Community Health Partners", "230 Elm Street", "Alderport", "53590", REGION,
                         "medium", [], "+1-555-0180", "northstarhealth", ["health", "social"]),
    "riverbend-pipe": ("Riverbend Pipe & Valve Supply", "5100 River Road", "Port Ellis", "53612", REGION,
                       "medium", [], "+1-555-0181", "riverbendpipe", ["water", "meters"]),
    "aquachem": ("AquaChem Treatment Solutions Inc.", "7400 Industrial Court", "Fairhaven", "53620", REGION,
                 "medium", ["DBE"], "+1-555-0182", "aquachem", ["chemicals", "water"]),
    "lakeside-books": ("Lakeside Book & Media Distributors", "2000 Distribution Parkway", "Columbus", "43219",
                       "OH", "large", [], "+1-555-0183", "lakesidebooks", ["books"]),
    "beacon-fuels": ("Beacon Fuels & Lubricants Inc.", "1200 Terminal Road", "Port Ellis", "53612", REGION,
                     "large", [], "+1-555-0184", "beaconfuels", ["fuel"]),
    "cornerstone-traffic": ("Cornerstone Traffic Systems Inc.", "3900 Signal Hill Road", "Cedar Crossing",
                            "53616", REGION, "medium", ["DBE"], "+1-555-0186", "cornerstonetraffic",
                            ["traffic", "electrical", "signs"]),
    "northshore-petroleum": ("Northshore Petroleum Distributors", "450 Tank Farm Road", "Port Ellis", "53612",
                             REGION, "large", [], "+1-555-0187", "northshorepetro", ["fuel"]),
    "harbor-light": ("Harbor Light Shelter Services", "18 Mission Street", "Alderport", "53590", REGION,
                     "small", [], "+1-555-0185", "harborlight", ["social", "health"]),
    "brightwater-civil": ("Brightwater Civil Engineers LLC", "31 Beacon Street, Suite 2", "Alderport", "53590",
                          REGION, "small", ["WBE", "SLBE"], "+1-555-0188", "brightwatercivil", ["engineering"]),
    "keel-marsh": ("Keel & Marsh Engineering Group", "2100 University Avenue", "Madison", "53726", REGION,
                   "medium", [], "+1-555-0189", "keelmarsh", ["engineering", "environmental"]),
    "tallgrass-transport": ("Tallgrass Transportation Engineering Inc.", "840 Prairie Street", "Cedar Crossing",
                            "53616", REGION, "small", ["DBE"], "+1-555-0190", "tallgrasste",
                            ["engineering", "traffic"]),
    "northwoods-recovery": ("Northwoods Disaster Recovery LLC", "5900 County Road K", "Wausau", "54401", REGION,
                            "medium", [], "+1-555-0191", "northwoodsdr", ["debris"]),
    "midstate-power": ("Midstate Power Rental Inc.", "1450 Generator Way", "Fairhaven", "53620", REGION, "medium",
                       [], "+1-555-0192", "midstatepower", ["generators", "equipment"]),
    "great-lakes-pump": ("Great Lakes Pump & Dewatering Co.", "77 Sump Road", "Port Ellis", "53612", REGION,
                         "small", ["VOSB"], "+1-555-0193", "glpump", ["pumps", "water"]),
}
# Suppliers added for the performance page (issue 19): first-time winners in each year and bigger bid
# pools. The processes written before them never draw them as bidders, so their bids stay as they were.
EARLIER_SUPPLIERS = frozenset(SUPPLIERS)
SUPPLIERS.update({
    "equal-access": ("Equal Access Housing Consultants", "48 Canal Street, Suite 2", "Alderport", "53590", REGION,
                     "micro", ["WBE", "MBE"], "+1-555-0194", "equalaccesshousing", ["consulting", "legal"]),
    "pier-street-promo": ("Pier Street Promotions", "63 Pier Street", "Alderport", "53590", REGION, "micro",
                          ["WBE", "SLBE"], "+1-555-0195", "pierstreetpromo", ["promo", "print"]),
    "oak-and-ash": ("Oak & Ash Arborists LLC", "7 Linden Court", "Alderport", "53595", REGION, "micro",
                    ["MBE", "SLBE"], "+1-555-0196", "oakandash", ["landscape", "debris"]),
    "bridgeway-health": ("Bridgeway Health Educators", "310 Elm Street", "Alderport", "53590", REGION, "sme",
                         ["WBE"], "+1-555-0197", "bridgewayhealth", ["health", "training"]),
    "lakeside-coatings": ("Lakeside Coatings & Painting", "1120 Foundry Lane", "Alderport", "53591", REGION,
                          "micro", ["VOSB", "SLBE"], "+1-555-0198", "lakesidecoatings", ["painting", "specialty"]),
    "badger-rescue": ("Badger Rescue Equipment LLC", "2600 Apparatus Court", "Port Ellis", "53611", REGION,
                      "small", ["VOSB"], "+1-555-0199", "badgerrescue", ["rescue"]),
    "prairie-computer": ("Prairie Computer Supply Inc.", "900 West Beltline Highway", "Madison", "53713", REGION,
                         "large", [], "+1-555-0200", "prairiecomputer", ["it", "supplies"]),
    "northern-airfield": ("Northern Airfield Equipment Co.", "1800 Airport Road", "Green Bay", "54313", REGION,
                          "medium", [], "+1-555-0201", "northernairfield", ["airfield", "equipment"]),
    "cedar-asphalt": ("Cedar Crossing Asphalt & Excavating", "5150 County Road J", "Cedar Crossing", "53616",
                      REGION, "sme", ["DBE"], "+1-555-0202", "cedarasphalt", ["paving", "civil"]),
    "millrace-excavating": ("Millrace Excavating Inc.", "220 Millrace Road", "Alderport", "53593", REGION, "small",
                            ["MBE", "SLBE"], "+1-555-0203", "millraceexc", ["civil", "water"]),
    "harbor-digital": ("Harbor Digital Services LLC", "19 Beacon Street, Suite 6", "Alderport", "53590", REGION,
                       "micro", ["MBE", "SLBE"], "+1-555-0204", "harbordigital", ["it", "network", "training"]),
    "harbor-legal": ("Harbor Legal Aid Collaborative", "14 Mission Street", "Alderport", "53590", REGION, "small",
                     [], "+1-555-0205", "harborlegalaid", ["legal", "social"]),
})
SME_SCALES = ("micro", "small", "medium", "sme")

SUPPLIER_CONTACTS = [
    "Dana Kowalski", "Luis Herrera", "Grace Lindqvist", "Omar Siddiqui", "Beth Andersen", "Tyrone Jackson",
    "Mei Lin Zhou", "Patrick Doyle", "Rosa Delgado", "Ken Yamamoto", "Alicia Brennan", "Victor Adeyemi",
    "Hannah Schultz", "Carlos Mendoza", "Janelle Price", "Raj Patel", "Emily Novak", "Frank DeLuca",
    "Sofia Petrov", "Marcus Reed", "Olivia Chen", "Tom Halvorsen", "Naomi Fischer", "Andre Williams",
    "Heather O'Malley", "Samir Haddad", "Karen Voss", "Diego Alvarado", "Lydia Marsh", "Ben Torvik",
    "Amara Okoye", "Julia Rinaldi", "Nathan Cole", "Ingrid Larsen", "Paul Whitaker", "Teresa Quinn",
    "Walter Nakamura", "Ruth Abernathy", "Jonah Weiss", "Kira Svensson", "Luke Ferraro",
    "Maya Robinson", "Eli Gustafson", "Fatima Noor", "Greta Lindholm", "Curtis Boyd", "Rebecca Sauer",
    "Hector Ramos", "Ivy Thompson", "Jamal Greene", "Linnea Berg", "Tariq Malik", "Wendy Ostrowski",
]


def dept_party(code: str) -> dict:
    _folder, pid, name, contact, email, phone, street = DEPARTMENTS[code]
    postal = "53590" if "Harbor Square" in street else "53591"
    return {"name": name, "id": pid, "address": address(street, postal=postal),
            "contactPoint": {"name": contact, "email": f"{email}@alderport.example.gov", "telephone": phone,
                             "url": f"{WEB}/{DEPARTMENTS[code][0]}"}}


def procurement_party() -> dict:
    return {"name": "Office of Procurement", "id": PROCUREMENT_ID,
            "address": address("100 Harbor Square, Room 210"),
            "contactPoint": {"name": "Alderport Office of Procurement",
                             "email": "procurement@alderport.example.gov", "telephone": "+1-555-0142",
                             "url": f"{WEB}/procurement"}}


def supplier_party(key: str) -> dict:
    name, street, locality, postal, region, scale, certs, phone, domain, _trades = SUPPLIERS[key]
    contact = SUPPLIER_CONTACTS[list(SUPPLIERS).index(key)]
    party = {"name": name, "id": key, "address": address(street, locality, postal, region),
             "contactPoint": {"name": contact, "email": f"bids@{domain}.example.com", "telephone": phone,
                              "url": f"https://www.{domain}.example.com"}}
    details: dict = {"scale": scale}
    if certs:
        details["classifications"] = [{"scheme": "ALDERPORT-CERT", "id": c, "description": CERTS[c],
                                       "uri": f"{WEB}/procurement/certification/{c.lower()}"} for c in certs]
    party["details"] = details
    return party


ORGS: dict[str, dict] = {PROCUREMENT_ID: procurement_party()}
ORGS.update({DEPARTMENTS[c][1]: dept_party(c) for c in DEPARTMENTS})
ORGS.update({k: supplier_party(k) for k in SUPPLIERS})
# The federal agency that reimburses disaster costs (a funder of emergency purchases).
FEMA_ID = "us-fema"
ORGS[FEMA_ID] = {"name": "Federal Emergency Management Agency", "id": FEMA_ID,
                 "address": address("536 South Clark Street, 6th Floor", "Chicago", "60605", "IL"),
                 "contactPoint": {"name": "FEMA Region 5, Public Assistance", "url": "https://www.fema.gov"}}


def ref(pid: str) -> dict:
    return {"id": pid, "name": ORGS[pid]["name"]}


# --- categories and units ------------------------------------------------------------------------

UNSPSC = {
    "72000000": "Building and facility construction and maintenance services",
    "72100000": "Building and facility maintenance and repair services",
    "72120000": "Nonresidential building construction services",
    "72140000": "Heavy construction services",
    "72150000": "Specialized trade construction and maintenance services",
    "76110000": "Cleaning and janitorial services",
    "76120000": "Refuse disposal and treatment",
    "47130000": "Cleaning and janitorial supplies",
    "47100000": "Water and wastewater treatment supply and disposal",
    "43230000": "Software",
    "43210000": "Computer equipment and accessories",
    "43220000": "Data voice or multimedia network equipment or platforms and accessories",
    "81110000": "Computer services",
    "81100000": "Professional engineering services",
    "80100000": "Management advisory services",
    "84110000": "Accounting and bookkeeping services",
    "84120000": "Banking and investment",
    "82120000": "Reproduction services",
    "25100000": "Motor vehicles",
    "25170000": "Transportation components and systems",
    "22100000": "Heavy construction machinery and equipment",
    "78180000": "Transportation repair or maintenance services",
    "15100000": "Fuels",
    "77100000": "Environmental management",
    "70110000": "Horticulture",
    "90100000": "Restaurants and catering",
    "46180000": "Personal safety and protection",
    "46170000": "Security surveillance and detection",
    "42170000": "Emergency and field medical services products",
    "51000000": "Drugs and pharmaceutical products",
    "53100000": "Clothing",
    "55100000": "Printed media",
    "55120000": "Signage and accessories",
    "39110000": "Lighting fixtures and accessories",
    "40140000": "Fluid and gas distribution",
    "41110000": "Measuring and observing and testing instruments",
    "85100000": "Comprehensive health services",
    "93140000": "Community and social services",
    "12350000": "Compounds and mixtures",
    "76121500": "Refuse collection and disposal",
    "90101600": "Banquet and catering services",
    "26111600": "Power generators",
    "40151500": "Pumps",
}

# UN/CEFACT Recommendation 20 codes
UNITS = {"EA": "each", "LS": "lump sum", "MON": "month", "ANN": "year", "HUR": "hour", "STN": "short ton",
         "GLL": "US gallon", "FOT": "foot", "YDK": "square yard", "YDQ": "cubic yard", "DAY": "day"}

METHODS = {
    "ITB": dict(method="open", details="Invitation to Bid", prefix="ITB", criteria="priceOnly",
                criteria_details="Award to the lowest responsive and responsible bidder. Certified SLBE bidders "
                                 "receive a 5% evaluation preference."),
    "RFP": dict(method="open", details="Request for Proposals", prefix="RFP", criteria="ratedCriteria",
                criteria_details="Proposals are scored out of 100 points: technical approach (40), qualifications "
                                 "and experience (30), price (20) and small or local business participation (10)."),
    "RFQ": dict(method="selective", details="Request for Qualifications", prefix="RFQ", criteria="qualityOnly",
                criteria_details="Qualifications-based selection: firms are ranked on qualifications, relevant "
                                 "experience and approach, and fees are negotiated with the top-ranked firm."),
    "QUOTE": dict(method="limited", details="Request for Quotations (informal, three quotes)", prefix="RFQT",
                  criteria="priceOnly", criteria_details="Purchase order to the lowest acceptable quotation."),
    "SOLE": dict(method="direct", details="Sole Source", prefix="SS", criteria="singleBidOnly",
                 criteria_details="Single source: no competitive evaluation."),
    # A task order under a framework agreement (the city's own or a standby contract): the next firm in the
    # rotation, or the standby contractor, gets a notice to proceed; no competition at this stage.
    "CALLOFF": dict(method="direct", details="Task order under framework agreement (rotation)", prefix="TO",
                    criteria="singleBidOnly",
                    criteria_details="Assigned to the next firm in the rotation at the agreement's rates."),
    # A task order competed among the firms of a framework agreement (a mini-competition).
    "MINI": dict(method="selective", details="Task order mini-competition under framework agreement", prefix="TO",
                 criteria="ratedCriteria",
                 criteria_details="Task order proposals from the firms on the agreement are scored on approach "
                                  "and staffing (60 points) and fee (40 points)."),
    "EMERG": dict(method="direct", details="Emergency purchase", prefix="EP", criteria="singleBidOnly",
                  criteria_details="Emergency purchase: no competitive evaluation. Rates were checked against "
                                   "the supplier's published rates and recent City purchases."),
    # A purchase at or under the City's $10,000 micro-purchase limit (2 CFR 200.320(a)(1)): no quotations.
    "MICRO": dict(method="direct", details="Micro-purchase (under $10,000)", prefix="MP", criteria="priceOnly",
                  criteria_details="Bought from a supplier whose price the buyer judged reasonable; no quotations "
                                   "are needed at or under the micro-purchase limit."),
    "COOP": dict(method="direct", details="Cooperative Purchasing Agreement", prefix="COOP",
                 criteria="singleBidOnly",
                 criteria_details="Purchase from an existing cooperative contract that was competitively awarded "
                                  "by the lead agency."),
}

SUBMISSION_DETAILS = {
    "electronicSubmission": f"Submit through the Alderport eBid portal ({EBID}) before the deadline. The portal "
                            "rejects late submissions automatically; allow time for uploads.",
    "inPerson": "Deliver sealed bids to the Office of Procurement, 100 Harbor Square, Room 210, Alderport, before "
                "the deadline. Bids are opened and read aloud publicly in Room 215 right after the deadline.",
    "written": "Email quotations to procurement@alderport.example.gov with the solicitation number in the "
               "subject line.",
    "direct": "Vendors who believe they can meet this requirement may send a written capability statement to "
              "procurement@alderport.example.gov before the end of the notice period.",
}

ELIGIBILITY = {
    "works": "Bidders must hold a current City of Alderport contractor license for the applicable trade, be "
             "registered as a City vendor, and meet the insurance requirements in the bid documents. State "
             "prevailing wage rates apply.",
    "goods": "Bidders must be manufacturers or authorized dealers for the products offered and provide the "
             "manufacturer's standard warranty. A W-9 and certificate of insurance are required before award.",
    "services": "Respondents must have at least three years of experience providing comparable services to public "
                "agencies, supply three references, and meet the City's insurance requirements ($1,000,000 "
                "general liability per occurrence).",
}
SME_NOTE = (" This solicitation is suitable for small businesses; certified SLBE firms receive a 5% evaluation "
            "preference.")

PREBID_PLACE = {
    "PW": "Public Works Operations Center, 2400 Industrial Parkway, Training Room A",
    "PR": "Parks Administration Building, 55 Lakefront Drive, Conference Room",
    "PD": "Police Headquarters, 300 Harbor Square, Community Room",
    "FD": "Fire Administration, 410 Mill Street, Classroom 2",
    "WU": "Water Utility Administration Building, 1200 Riverside Avenue, Board Room",
    "LIB": "Central Library, 20 Commons Street, Meeting Room B",
    "IT": "City Hall, 100 Harbor Square, Room 215, and online by video conference",
    "TR": "Public Works Operations Center, 2400 Industrial Parkway, Training Room A",
    "HLT": "Health Department, 75 Elm Street, Room 101, and online by video conference",
    "HSG": "City Hall, 100 Harbor Square, Room 215",
    "FIN": "City Hall, 100 Harbor Square, Room 215, and online by video conference",
    "AIR": "Airport Administration Offices, 1 Airport Terminal Drive, Second Floor Conference Room",
    "PLN": "City Hall, 100 Harbor Square, Room 300",
    "FLT": "Fleet Maintenance Facility, 2450 Industrial Parkway, Shop Office",
}


def P(**kw) -> dict:
    return kw


# A cooperative contract held by another agency (relatedProcesses: relationship, scheme, identifier, title, uri)
GLCPC_BOOKS = ("framework", "GLCPC", "GLCPC-2024-117", "GLCPC contract GLCPC-2024-117: library books, media and "
               "processing services (Great Lakes Cooperative Purchasing Consortium)",
               "https://www.glcpc.example.org/contracts/GLCPC-2024-117")
# A disaster declaration and the FEMA Public Assistance categories of work (tender.additionalClassifications)
STORM = ("US-FEMA-DR", "DR-4912-WI", "Wisconsin Severe Storms, Straight-line Winds, and Flooding (incident period "
         "June 17–20, 2026)")
FEMA_A = ("US-FEMA-PA", "A", "Debris removal")
FEMA_B = ("US-FEMA-PA", "B", "Emergency protective measures")
# The documents of a federal reimbursement file: (suffix, documentType, title)
OUTREACH = ("outreach", "smallBusinessOutreach", "Outreach to small, minority- and women-owned firms "
            "(2 CFR 200.321)")
COST_ANALYSIS = ("cost-price-analysis", "costPriceAnalysis", "Independent cost estimate and price analysis")
EVALUATION = ("evaluation-report", "evaluationReports", "Evaluation report")
FEDERAL_CLAUSES = ("federal-clauses", "federalContractClauses", "Federal contract provisions (2 CFR 200.327 and "
                   "Appendix II)")
STANDBY = ("Standby contract: the contractor mobilizes only when the City issues a written notice to proceed after a "
           "disaster or emergency. No work or payment is guaranteed; rates are fixed for the term.")

# --- the catalog: ~70 contracting processes --------------------------------------------------------
# items: (description, UNSPSC code, quantity, unit code[, lot id])
# stages: forecast | open | evaluation | awarded | contracted | cancelled | unsuccessful
# open: close = days from today to the deadline; moved_from = the original deadline (days from today);
#   posted = days since the notice was posted (default: a week or more); goals = certification goals
# evaluation/awarded/contracted/unsuccessful: ago = days since the deadline
# contracted: months = contract length; amend, impl, term ("completed" | "early")

CATALOG = [
    # ---------------- Public Works ----------------
    P(key="pw-resurfacing", dept="PW", stage="contracted", method="ITB", mpc="works", value=4_850_000,
      title="2026 Street Resurfacing Program",
      desc="Mill and overlay of approximately 14 lane-miles of residential and collector streets, with curb and "
           "gutter repairs, ADA curb ramp upgrades and pavement markings. Work is scheduled between April and "
           "November and is divided into three construction packages by neighborhood.",
      items=[("Hot-mix asphalt surface course, furnished and installed", "72140000", 18500, "STN"),
             ("Concrete curb and gutter replacement", "72140000", 6200, "FOT"),
             ("ADA-compliant concrete curb ramps", "72140000", 96, "EA")],
      plan=(95, "2026 street list approved", "The Council approved the streets in the 2026 resurfacing program "
                                             "with the Capital Improvement Program."),
      trades=["paving"], winner="bayside-paving", ago=250, months=20, submit="inPerson",
      site=("Westside and Harbor Heights neighborhoods", "53592",
            "Street list in Appendix A of the bid documents"),
      amend=[(0.062, 0, "Change Order 1: additional ADA curb ramps",
              "Adds 42 ADA curb ramps at intersections identified in the 2026 ADA transition plan update.")],
      impl=True),
    P(key="pw-rock-salt", dept="PW", stage="contracted", method="ITB", mpc="goods", value=612_000,
      title="Rock Salt for Snow and Ice Control, 2024–25 Season",
      desc="Supply and delivery of bulk sodium chloride rock salt to the City's two salt domes for the 2024–25 "
           "winter season. Deliveries are made within 72 hours of each order, with a seasonal minimum of 5,000 "
           "tons.",
      items=[("Bulk rock salt (sodium chloride), delivered", "12350000", 8000, "STN")],
      trades=["supplies", "chemicals"], winner="harbor-supply", ago=760, months=8, term="completed", impl=True),
    P(key="pw-parking-structure", dept="PW", stage="awarded", method="ITB", mpc="works", value=1_240_000,
      title="Harbor Square Parking Structure Concrete Repairs",
      desc="Structural concrete repairs, expansion joint replacement and traffic-bearing membrane on levels 2 "
           "through 5 of the Harbor Square parking structure. The structure must stay partly open throughout "
           "construction, following the phasing plan in the bid documents.",
      items=[("Concrete deck and beam repairs", "72150000", 1, "LS"),
             ("Traffic-bearing waterproof membrane", "72150000", 9600, "YDK")],
      trades=["civil", "specialty"], winner="lakeshore-concrete", ago=45, submit="inPerson"),
    P(key="pw-sidewalk", dept="PW", stage="evaluation", method="ITB", mpc="works", value=640_000, sme=True,
      title="Sidewalk Gap Infill and ADA Curb Ramp Program",
      desc="Construction of new sidewalk segments to close gaps near schools and transit stops, and "
           "replacement of non-compliant curb ramps. Work is sized for small contractors and packaged as "
           "unit-price work orders.",
      items=[("New 5-foot concrete sidewalk", "72140000", 11800, "FOT"),
             ("ADA curb ramp replacement", "72140000", 60, "EA")],
      trades=["civil", "paving"], ago=9),
    P(key="pw-storm-sewer", dept="PW", stage="open", method="ITB", mpc="works", value=2_900_000,
      title="North Alderport Storm Sewer Rehabilitation (CIPP Lining)",
      desc="Rehabilitation of about 21,000 feet of 12- to 48-inch storm sewer by cured-in-place pipe lining, "
           "with manhole rehabilitation and pre- and post-lining video inspection. The work is in the North "
           "Alderport basin and includes traffic control and bypass pumping.",
      items=[("Cured-in-place pipe lining, 12 to 48 inch", "72140000", 21000, "FOT"),
             ("Manhole rehabilitation", "72140000", 85, "EA")],
      close=17, moved_from=3, terms=True, submit="electronicSubmission",
      site=("North Alderport drainage basin", "53594", "Sewer segments listed in the bid schedule"),
      enq=[("Bypass pumping", "Will the City allow night work for bypass pumping on Lakeview Avenue?",
            "Yes. Night work is allowed on Lakeview Avenue between 8 p.m. and 5 a.m. with a City-approved "
            "noise plan; see Addendum 1, Section 01 14 00."),
           ("Pre-lining video", "Are the existing CCTV inspection videos available to bidders?",
            "Yes. The 2025 inspection videos can be downloaded from the eBid portal under Reference Files.")]),
    P(key="pw-fence", dept="PW", stage="open", method="ITB", mpc="works", value=185_000, sme=True,
      title="Public Works Yard Security Fencing Replacement",
      desc="Removal of the existing chain-link fence and installation of 2,400 feet of 8-foot ornamental "
           "steel security fence with two motorized slide gates at the Public Works Operations Center.",
      items=[("Ornamental steel security fence, 8 ft", "72150000", 2400, "FOT"),
             ("Motorized cantilever slide gate", "72150000", 2, "EA")],
      close=2, submit="electronicSubmission", goals=["SLBE"],
      site=("2400 Industrial Parkway", "53591", "Public Works Operations Center perimeter")),
    P(key="pw-bridge-inspection", dept="PW", stage="forecast", method="RFQ", mpc="services", value=900_000,
      title="Bridge Inspection and Load Rating Services, 2027–2029",
      desc="Routine, fracture-critical and underwater inspections of the City's 38 bridges and culverts, with "
           "load ratings for structures flagged in the 2025 inspection cycle. The City expects to select one "
           "engineering firm for a three-year contract.",
      items=[("Bridge inspection and load rating services", "81100000", 3, "ANN")],
      opens_in=45, budget="FY2027 Capital Improvement Program, Bridge Maintenance (CIP 27-BR-01)"),
    P(key="pw-hvac", dept="PW", stage="cancelled", method="ITB", mpc="works", value=420_000,
      title="Municipal Services Center HVAC Controls Upgrade",
      desc="Replacement of the pneumatic HVAC controls at the Municipal Services Center with a direct digital "
           "control system integrated into the City's building automation platform.",
      items=[("Direct digital HVAC controls, furnished and installed", "72150000", 1, "LS")],
      reason="The work will be included in the Municipal Services Center energy-savings performance contract "
             "now being procured; this solicitation is cancelled and will not be re-issued."),
    P(key="pw-janitorial", dept="PW", stage="contracted", method="ITB", mpc="services", value=1_560_000, sme=True,
      title="Janitorial Services for City Facilities",
      desc="Nightly janitorial services for City facilities, grouped into three lots so that small firms can "
           "bid on part of the work. Contractors furnish all labor, equipment and consumable supplies. The "
           "contract term is two years with up to three one-year renewals.",
      lots=[("LOT-1", "City Hall and Harbor Square offices", "About 148,000 square feet, cleaned five nights a "
             "week.", 0.42),
            ("LOT-2", "Police and fire facilities", "Police Headquarters and six fire stations, cleaned seven "
             "nights a week.", 0.36),
            ("LOT-3", "Libraries and community centers", "The Central Library, two branches and three community "
             "centers.", 0.22)],
      items=[("Janitorial services, City Hall and Harbor Square offices", "76110000", 24, "MON", "LOT-1"),
             ("Janitorial services, police and fire facilities", "76110000", 24, "MON", "LOT-2"),
             ("Janitorial services, libraries and community centers", "76110000", 24, "MON", "LOT-3"),
             ("Consumable restroom and cleaning supplies", "47130000", 1, "LS", "LOT-1")],
      trades=["janitorial"], lot_winners={"LOT-1": "crystal-clear", "LOT-2": "proshine",
                                          "LOT-3": "northgate-janitorial"},
      ago=150, months=24, renew=(3, 12, "Up to three one-year renewals at the City's option, with prices "
                                        "adjusted by no more than the Midwest CPI.")),

    # ---------------- Parks and Recreation ----------------
    P(key="pr-grounds", dept="PR", stage="open", method="ITB", mpc="services", value=1_050_000, sme=True,
      title="Park Grounds Maintenance Services",
      desc="Mowing, trimming, litter pick-up and seasonal bed maintenance for 62 City parks, split into three "
           "geographic lots. Bidders may bid on one, two or all three lots; no firm will be awarded more than "
           "two lots.",
      lots=[("LOT-1", "North District parks", "24 parks north of the Alder River, about 310 acres.", 0.38),
            ("LOT-2", "South District parks", "27 parks south of the Alder River, about 280 acres.", 0.35),
            ("LOT-3", "Lakefront and downtown parks", "11 high-use parks including Lakefront Park and Harbor "
             "Commons.", 0.27)],
      items=[("Grounds maintenance, North District", "70110000", 3, "ANN", "LOT-1"),
             ("Grounds maintenance, South District", "70110000", 3, "ANN", "LOT-2"),
             ("Grounds maintenance, lakefront and downtown parks", "70110000", 3, "ANN", "LOT-3")],
      close=24, submit="electronicSubmission", starts=date(2027, 4, 1),
      related=[("prior", "ocid", "pr-grounds-2024", "Park Grounds Maintenance Services, 2024–2026")],
      enq=[("Equipment", "May a contractor use battery-powered equipment only?",
            "Yes. Battery-powered equipment is encouraged and meets all requirements of the specifications.",
            "LOT-3"),
           ("Lot limits", "Can a bidder submit prices for all three lots if only two can be awarded?",
            "Yes. Bid on all lots you are interested in; the City will award no more than two lots to one firm.",
            None)]),
    P(key="pr-playground", dept="PR", stage="contracted", method="ITB", mpc="works", value=780_000,
      title="Riverside Park Playground Replacement",
      desc="Removal of the 1998 playground and installation of an inclusive playground with poured-in-place "
           "rubber surfacing, shade structures and accessible routes. The project is funded by a state "
           "recreation grant and must be complete before Memorial Day.",
      items=[("Playground equipment, furnished and installed", "72000000", 1, "LS"),
             ("Poured-in-place rubber safety surfacing", "72000000", 1450, "YDK")],
      trades=["building", "civil", "specialty"], winner="lakeshore-concrete", ago=230, months=10,
      reaward=("harborline-construction", "The apparent low bidder did not provide the required performance and "
                                          "payment bonds within 10 days of the notice of award."),
      site=("Riverside Park, 800 River Road", "53593", "Playground area west of the pavilion"),
      amend=[(0.041, 2, "Change Order 1: drainage under the playground",
              "Adds an underdrain system after unsuitable soils were found under the play area, and extends "
              "the completion date by two months.")]),
    P(key="pr-pool-chemicals", dept="PR", stage="forecast", method="ITB", mpc="goods", value=95_000,
      title="Aquatic Center Pool Chemicals, 2027 Season",
      desc="Supply of sodium hypochlorite, muriatic acid and related pool chemicals for the Alderport Aquatic "
           "Center and two neighborhood pools for the 2027 season.",
      items=[("Sodium hypochlorite, 12.5%, bulk delivery", "47100000", 14000, "GLL"),
             ("Muriatic acid, 31.45%", "47100000", 2200, "GLL")],
      opens_in=60, budget="FY2027 Operating Budget, Aquatics Division", sme=True),
    P(key="pr-camp-catering", dept="PR", stage="awarded", method="RFP", mpc="services", value=160_000, sme=True,
      title="Summer Camp Meals and Snacks",
      desc="Daily breakfast, lunch and afternoon snacks for about 420 children at seven summer camp sites over "
           "ten weeks. Menus must meet USDA Summer Food Service Program meal patterns.",
      items=[("Camp meals (breakfast and lunch)", "90100000", 58800, "EA"),
             ("Afternoon snacks", "90100000", 29400, "EA")],
      trades=["catering"], winner="harbor-table", ago=38),
    P(key="pr-tree-care", dept="PR", stage="contracted", method="ITB", mpc="services", value=340_000,
      title="Tree Trimming and Removal Services",
      desc="On-call pruning, removal and stump grinding for street and park trees, including 24-hour emergency "
           "response after storms. Work orders are priced from the unit rates in the bid schedule.",
      items=[("Tree pruning, by diameter class", "70110000", 1, "LS"),
             ("Tree removal and stump grinding", "70110000", 1, "LS")],
      trades=["landscape"], winner="timberline-tree", ago=300, months=36, impl=True),
    P(key="pr-marina", dept="PR", stage="unsuccessful", method="ITB", mpc="works", value=1_600_000,
      title="Marina Dock Replacement, Phase 2",
      desc="Replacement of the B and C floating dock systems at the municipal marina, including utilities, "
           "pile guides and gangways.",
      items=[("Floating dock system, furnished and installed", "72000000", 1, "LS")],
      trades=["building", "civil"], nbids=2, ago=40, submit="inPerson",
      reason="Both bids exceeded the available grant and local funding by more than 30%. All bids were "
             "rejected; the project will be redesigned and re-bid in 2027."),

    # ---------------- Police ----------------
    P(key="pd-bodycams", dept="PD", stage="awarded", method="RFP", mpc="goods", value=2_400_000,
      title="Body-Worn Cameras and Digital Evidence Management System",
      desc="Five-year subscription for 260 body-worn cameras, in-car video for 90 patrol vehicles and a "
           "cloud-based digital evidence management system. The price includes docking hardware, training and "
           "two hardware refreshes.",
      items=[("Body-worn camera subscription", "46170000", 260, "EA"),
             ("In-car video system", "46170000", 90, "EA"),
             ("Digital evidence management software subscription", "43230000", 5, "ANN")],
      trades=["software", "it"], winner="meridian-civic", ago=60),
    P(key="pd-range", dept="PD", stage="cancelled", method="ITB", mpc="services", value=120_000,
      title="Police Firing Range Lead Abatement and Cleaning",
      desc="Lead dust abatement, bullet trap cleaning and air-quality testing at the Police Department's indoor "
           "firing range.",
      items=[("Lead abatement and range cleaning", "77100000", 1, "LS")],
      reason="The Police Department will move firearms training to the County's regional training range in "
             "2027, so the City range will close and the work is no longer needed."),
    P(key="pd-uniforms", dept="PD", stage="open", method="ITB", mpc="goods", value=240_000, sme=True,
      title="Police Uniforms and Duty Gear",
      desc="Supply of Class A and Class B uniforms, outerwear and duty gear for sworn officers and "
           "community service officers, with on-site fitting and alterations. The contract is for two years "
           "with two optional one-year renewals.",
      items=[("Uniform shirts and trousers", "53100000", 2400, "EA"),
             ("Outerwear (jackets and rain gear)", "53100000", 380, "EA"),
             ("Duty belts and accessories", "46180000", 300, "EA")],
      close=3, submit="electronicSubmission",
      enq=[("Alterations", "Must alterations be done on site, or can garments be shipped?",
            "On-site fitting is required twice a year; alterations may be done off site with a 10-business-day "
            "turnaround.", None),
           ("Brand equivalents", "Will the City accept equivalent fabrics to the listed brand?",
            "Yes. Submit the fabric data sheet with your bid; equivalents are evaluated under Section 4.2.",
            None)]),
    P(key="pd-rms-support", dept="PD", stage="contracted", method="SOLE", mpc="services", value=185_000,
      title="Police Records Management System Support and Maintenance",
      desc="Annual software support, hosting and upgrades for the Police Department's records management "
           "system. Only the system's developer can provide licensed support and source-code updates.",
      items=[("Records management system support and maintenance", "81110000", 1, "ANN")],
      trades=["software"], winner="meridian-civic", ago=120, months=12,
      renew=(4, 12, "Renewable each year for up to four more years while the City uses the system."),
      rationale="The records management system is proprietary. Only the original developer holds the source "
                "code and can provide licensed support, security patches and state reporting updates."),
    P(key="pd-range-hvac", dept="PD", stage="forecast", method="ITB", mpc="works", value=310_000,
      title="Training Academy Ventilation Upgrade",
      desc="Replacement of the classroom and gym ventilation units at the Police Training Academy with "
           "high-efficiency units and energy recovery.",
      items=[("Ventilation units, furnished and installed", "72150000", 1, "LS")],
      opens_in=80, budget="FY2027 Capital Improvement Program, Public Safety Facilities (CIP 27-PS-04)"),

    # ---------------- Fire ----------------
    P(key="fd-station4", dept="FD", stage="contracted", method="RFQ", mpc="works", value=11_200_000,
      title="Fire Station 4 Replacement, Construction Manager at Risk",
      desc="Construction manager at risk for the replacement of Fire Station 4 with a three-bay, 14,500-square-"
           "foot station built to LEED Silver. Pre-construction services are followed by a guaranteed maximum "
           "price for construction.",
      items=[("Pre-construction services", "72120000", 1, "LS"),
             ("Construction of Fire Station 4 (guaranteed maximum price)", "72120000", 1, "LS")],
      plan=(240, "Site and program approved", "The Council approved the site, the space program and the "
                                              "construction manager at risk method."),
      trades=["building"], winner="harborline-construction", ago=420, months=26, terms=True,
      site=("1150 Cedar Avenue", "53594", "Site of the existing Fire Station 4"),
      amend=[(0.035, 0, "Change Order 1: unsuitable soils",
              "Removal and replacement of unsuitable soils found under the apparatus bay slab."),
             (0.018, 2, "Change Order 2: emergency generator upsizing",
              "Upsizes the emergency generator to serve the regional emergency operations backup room, and "
              "extends substantial completion by two months.")],
      impl=True),
    P(key="fd-scba", dept="FD", stage="awarded", method="ITB", mpc="goods", value=1_100_000,
      title="Self-Contained Breathing Apparatus Replacement",
      desc="Replacement of 140 self-contained breathing apparatus, 280 cylinders and 200 face pieces meeting "
           "NFPA 1981 (2019 edition), with fit testing and maintenance technician training.",
      items=[("SCBA units, NFPA 1981", "46180000", 140, "EA"),
             ("Carbon-fiber air cylinders", "46180000", 280, "EA"),
             ("Face pieces", "46180000", 200, "EA")],
      trades=["safety"], winner="midwest-safety", ago=52),
    P(key="fd-apparatus-maint", dept="FD", stage="open", method="ITB", mpc="services", value=350_000,
      title="Fire Apparatus Preventive Maintenance and Repair",
      desc="Preventive maintenance, annual pump testing and repairs for 28 fire engines, ladder trucks and "
           "ambulances. Technicians must hold EVT certification, and emergency repairs require a four-hour "
           "response.",
      items=[("Preventive maintenance and pump testing", "78180000", 28, "EA"),
             ("Repair labor, EVT-certified technician", "78180000", 2400, "HUR")],
      close=31, moved_from=17, submit="electronicSubmission"),
    P(key="fd-ems-supplies", dept="FD", stage="evaluation", method="ITB", mpc="goods", value=310_000,
      title="Emergency Medical Supplies and Pharmaceuticals",
      desc="Two-year supply of disposable EMS supplies and pharmaceuticals for the Fire Department's ten "
           "advanced life support units, in two lots. Deliveries are to the EMS supply room at Fire "
           "Administration within two business days of an order.",
      lots=[("LOT-1", "Medical and airway supplies", "Disposable medical, airway and trauma supplies.", 0.62),
            ("LOT-2", "Pharmaceuticals", "Medications carried on ALS units under the medical director's "
             "protocols.", 0.38)],
      items=[("Disposable medical and airway supplies", "42170000", 1, "LS", "LOT-1"),
             ("ALS pharmaceuticals", "51000000", 1, "LS", "LOT-2")],
      trades=["medical", "safety"], ago=14,
      enq=[("Controlled substances", "Are controlled substances included in Lot 2?",
            "No. Controlled substances are purchased separately by the medical director.", "LOT-2")]),
    P(key="fd-tower", dept="FD", stage="unsuccessful", method="ITB", mpc="works", value=145_000,
      title="Fire Training Tower Structural Repairs",
      desc="Repair of spalled concrete, replacement of anchor points and repainting of the five-story fire "
           "training tower.",
      items=[("Concrete repairs and anchor replacement", "72150000", 1, "LS")],
      trades=["specialty"], nbids=0, ago=33, sme=True,
      reason="No bids were received. The Fire Department will ask for informal quotations from qualified "
             "contractors."),

    # ---------------- Water Utility (JSON Lines) ----------------
    P(key="wu-elm-main", dept="WU", stage="contracted", method="ITB", mpc="works", value=3_600_000,
      title="Water Main Replacement, Elm Street and Garfield Avenue",
      desc="Replacement of about 7,800 feet of 1920s cast-iron water main with 8- and 12-inch ductile iron pipe, "
           "including services, hydrants and full street restoration. Temporary water service is required "
           "for all customers during construction.",
      items=[("Ductile iron water main, 8 and 12 inch", "72140000", 7800, "FOT"),
             ("Water service reconnections", "72140000", 164, "EA"),
             ("Fire hydrant assemblies", "40140000", 22, "EA")],
      plan=(210, "Design completed", "The Utility's engineers completed the plans and the state approved the "
                                      "water main extension permit."),
      trades=["civil", "water"], winner="ridgeway-civil", ago=330, months=18, submit="inPerson",
      site=("Elm Street (3rd to 11th Avenue) and Garfield Avenue", "53590", "Project limits in drawing C-001"),
      amend=[(0.074, 1, "Change Order 1: lead service lines found",
              "Replaces 38 lead customer-side service lines found during construction under the Lead Service "
              "Line Replacement Program, and extends the contract by one month.")],
      impl=True),
    P(key="wu-chemicals", dept="WU", stage="contracted", method="ITB", mpc="goods", value=540_000,
      title="Water Treatment Chemicals: Sodium Hypochlorite and Fluoride",
      desc="Annual supply of bulk sodium hypochlorite and fluorosilicic acid for the Lakeview Water Treatment "
           "Plant. All chemicals must be certified to NSF/ANSI/CAN Standard 60.",
      items=[("Sodium hypochlorite, 12.5%, bulk", "47100000", 210000, "GLL"),
             ("Fluorosilicic acid, 23%", "47100000", 18000, "GLL")],
      trades=["chemicals", "water"], winner="aquachem", ago=200, months=12,
      renew=(3, 12, "Up to three one-year renewals by mutual agreement; unit prices may change by the producer "
                    "price index for industrial chemicals.")),
    P(key="wu-lead-lines", dept="WU", stage="open", method="ITB", mpc="works", value=5_200_000,
      title="Lead Service Line Replacement, Contract 3",
      desc="Replacement of about 650 lead service lines, both the utility-owned and customer-owned portions, "
           "in the Old Harbor and Millrace neighborhoods. The contract is funded in part by a state revolving "
           "fund loan, so DBE good-faith-effort and American Iron and Steel requirements apply.",
      items=[("Lead service line replacement, full length", "72140000", 650, "EA"),
             ("Restoration of lawns, walks and pavement", "72140000", 1, "LS")],
      close=4, moved_from=-3, terms=True, submit="electronicSubmission",
      site=("Old Harbor and Millrace neighborhoods", "53590", "Addresses listed in Appendix B"),
      enq=[("Customer access", "Who schedules access to the inside of homes?",
            "The Water Utility's outreach team schedules access and provides signed owner consent forms to the "
            "contractor two weeks ahead.", None),
           ("Bid bond", "Is a bid bond required, or will a cashier's check be accepted?",
            "Either a bid bond or a cashier's check for 5% of the bid amount is accepted.", None)]),
    P(key="wu-ami", dept="WU", stage="awarded", method="RFP", mpc="goods", value=2_800_000,
      title="Advanced Metering Infrastructure Meter Supply",
      desc="Supply of 18,000 ultrasonic water meters with integrated AMI radios, the fixed-network collectors "
           "and head-end software, with installation support and a 20-year battery warranty.",
      items=[("Ultrasonic water meters with AMI radio", "41110000", 18000, "EA"),
             ("Fixed-network data collectors", "41110000", 14, "EA"),
             ("AMI head-end software subscription", "43230000", 5, "ANN")],
      trades=["meters", "water", "software"], winner="riverbend-pipe", ago=70),
    P(key="wu-digesters", dept="WU", stage="forecast", method="ITB", mpc="services", value=400_000,
      title="Wastewater Treatment Plant Digester Cleaning",
      desc="Removal and disposal of grit and solids from two anaerobic digesters at the Harbor Wastewater "
           "Treatment Plant, with inspection of the digester covers and mixing systems.",
      items=[("Digester cleaning and solids disposal", "77100000", 2, "EA")],
      opens_in=35, budget="FY2027 Sewer Enterprise Fund, Treatment Plant Maintenance"),
    P(key="wu-pipe-valves", dept="WU", stage="evaluation", method="ITB", mpc="goods", value=260_000,
      title="Pipe, Valves and Hydrant Repair Parts",
      desc="Two-year supply of ductile iron pipe, gate valves, repair clamps and hydrant parts for the "
           "Water Utility's distribution crews, delivered to the utility warehouse.",
      items=[("Gate valves, 4 to 12 inch", "40140000", 120, "EA"),
             ("Repair clamps and couplings", "40140000", 600, "EA"),
             ("Hydrant repair parts", "40140000", 1, "LS")],
      trades=["water"], ago=21),

    # ---------------- Library ----------------
    P(key="lib-ils", dept="LIB", stage="forecast", method="RFP", mpc="services", value=450_000, yaml=True,
      title="Integrated Library System Replacement",
      desc="Replacement of the library's integrated library system (catalog, circulation, acquisitions and "
           "patron accounts) with a hosted system. The Library plans to release a Request for Proposals early "
           "next year.",
      items=[("Hosted integrated library system, implementation and five-year subscription", "43230000", 1,
              "LS")],
      opens_in=70, budget="FY2027 Library Technology Fund"),
    P(key="lib-books", dept="LIB", stage="contracted", method="COOP", mpc="goods", value=600_000,
      title="Library Books and Media",
      desc="Purchase of print books, audiobooks and DVDs with cataloging and processing, using a cooperative "
           "contract competitively awarded by the Great Lakes Cooperative Purchasing Consortium.",
      items=[("Print books with cataloging and processing", "55100000", 1, "LS"),
             ("Audiobooks and DVDs", "55100000", 1, "LS")],
      trades=["books"], winner="lakeside-books", ago=280, months=24,
      rationale="The purchase uses Great Lakes Cooperative Purchasing Consortium contract GLCPC-2024-117, which "
                "was competitively solicited and gives the City the discount of a large library network.",
      related=[GLCPC_BOOKS]),
    P(key="lib-roof", dept="LIB", stage="open", method="ITB", mpc="works", value=1_350_000,
      title="Central Library Roof Replacement",
      desc="Tear-off and replacement of about 42,000 square feet of low-slope roofing at the Central Library "
           "with a fully adhered PVC membrane, tapered insulation and new roof drains. The library stays open "
           "during the work.",
      items=[("PVC roofing membrane system with tapered insulation", "72150000", 4670, "YDK"),
             ("Roof drain replacement", "72150000", 18, "EA")],
      close=22, terms=True, submit="inPerson",
      site=("20 Commons Street", "53590", "Central Library")),
    P(key="lib-bookmobile", dept="LIB", stage="cancelled", method="ITB", mpc="goods", value=285_000,
      title="Bookmobile Vehicle",
      desc="Purchase of a 30-foot bookmobile on a medium-duty chassis with shelving, a wheelchair lift and "
           "solar power for outreach to senior centers and schools.",
      items=[("Bookmobile, 30 ft, with shelving and wheelchair lift", "25100000", 1, "EA")],
      reason="The state library grant that was to fund the bookmobile was withdrawn. The solicitation is "
             "cancelled; the Library may re-issue it if other funding is found."),

    # ---------------- Information Technology ----------------
    P(key="it-erp", dept="IT", stage="contracted", method="RFP", mpc="services", value=6_800_000,
      title="Enterprise Resource Planning System and Implementation Services",
      desc="A cloud enterprise resource planning system for finance, procurement, payroll and human resources, "
           "with implementation, data conversion and training. The system replaces the City's 2003 financial "
           "system and several stand-alone databases.",
      items=[("ERP software subscription", "43230000", 7, "ANN"),
             ("Implementation and data conversion services", "81110000", 1, "LS")],
      plan=(330, "Needs assessment completed", "A consultant's needs assessment documented the requirements "
                                               "of 14 departments and the cost of the current systems."),
      trades=["software", "it"], winner="meridian-civic", ago=520, months=84,
      amend=[(0.052, 0, "Amendment 1: utility billing module",
              "Adds the utility billing module and its data conversion, moved from a separate project.")],
      impl=True),
    P(key="it-network", dept="IT", stage="open", method="ITB", mpc="goods", value=720_000,
      title="Network Switch and Wireless Access Point Refresh",
      desc="Replacement of 180 access-layer switches and 420 wireless access points at 34 City sites, with "
           "five years of hardware support. Installation is by City staff.",
      items=[("48-port PoE access switches", "43220000", 180, "EA"),
             ("Wi-Fi 6E wireless access points", "43220000", 420, "EA")],
      close=1, submit="electronicSubmission"),
    P(key="it-soc", dept="IT", stage="awarded", method="RFP", mpc="services", value=900_000,
      title="Managed Security Operations Center Services",
      desc="Around-the-clock security monitoring, threat detection and incident response for the City's "
           "network, servers and cloud services. The provider must be able to respond on site within four "
           "hours of a critical incident.",
      items=[("Managed security operations center services", "81110000", 36, "MON")],
      trades=["it", "network"], winner="granite-network", ago=55),
    P(key="it-licensing", dept="IT", stage="evaluation", method="RFP", mpc="goods", value=1_200_000,
      title="Productivity Software Licensing Reseller",
      desc="A licensing reseller for the City's office productivity and email subscriptions (about 2,100 "
           "users), including license management and quarterly true-ups.",
      items=[("Productivity software subscriptions", "43230000", 2100, "EA")],
      trades=["software", "it"], ago=6),
    P(key="it-helpdesk", dept="IT", stage="open", method="RFP", mpc="services", value=300_000, sme=True,
      title="Help Desk Overflow and Desktop Support Services",
      desc="On-call technicians to supplement the City's IT help desk during peaks and device refresh "
           "projects, billed at hourly rates. The City expects to use about 4,000 hours a year.",
      items=[("Desktop support technician hours", "81110000", 4000, "HUR")],
      close=15, submit="electronicSubmission",
      enq=[("Remote work", "Can some of the support be provided remotely?",
            "Yes. Tier 1 remote support is allowed; device deployments require on-site technicians.", None),
           ("Background checks", "Are background checks required for technicians?",
            "Yes. All technicians must pass a criminal justice background check before working at Police "
            "facilities.", None)]),
    P(key="it-laptops", dept="IT", stage="contracted", method="ITB", mpc="goods", value=480_000,
      title="Laptop and Desktop Computers, FY2025",
      desc="Purchase of 350 laptops and 120 desktop computers with docking stations and four-year warranties "
           "for the annual device refresh.",
      items=[("Business laptops with docking stations", "43210000", 350, "EA"),
             ("Desktop computers", "43210000", 120, "EA")],
      trades=["it", "network"], winner="lakeview-data", ago=560, months=6, term="completed", impl=True),

    # ---------------- Transportation ----------------
    P(key="tr-signals", dept="TR", stage="contracted", method="ITB", mpc="services", value=1_400_000,
      title="Traffic Signal Maintenance and Emergency Repair Services",
      desc="Preventive maintenance of 212 signalized intersections and 24-hour emergency repair of knockdowns "
           "and outages. The contractor must respond to emergencies within one hour.",
      items=[("Traffic signal preventive maintenance", "72150000", 36, "MON"),
             ("Emergency repair labor and equipment", "72150000", 1, "LS")],
      trades=["traffic", "electrical"], winner="brightline-electric", ago=380, months=36,
      amend=[(0.11, 0, "Amendment 1: new signals on Harbor Boulevard",
              "Adds maintenance of 14 new signalized intersections built under the Harbor Boulevard project.")]),
    P(key="tr-harbor-blvd", dept="TR", stage="open", method="ITB", mpc="works", value=9_700_000,
      title="Harbor Boulevard Complete Streets Reconstruction",
      desc="Full reconstruction of 1.3 miles of Harbor Boulevard with protected bike lanes, wider sidewalks, "
           "new traffic signals, storm sewer and street lighting. The project is funded partly by a federal "
           "grant, so federal contract provisions and the DBE goal of 12% apply.",
      items=[("Roadway reconstruction", "72140000", 1, "LS"),
             ("Traffic signals and street lighting", "72150000", 1, "LS"),
             ("Storm sewer", "72140000", 6800, "FOT")],
      plan=(180, "Federal grant agreement signed", "The federal grant agreement was signed and the "
                                                   "environmental review completed."),
      close=37, moved_from=23, terms=True, submit="electronicSubmission", goals=["DBE"],
      site=("Harbor Boulevard, Lake Street to Ferry Road", "53590", "Project limits on plan sheet 1"),
      enq=[("DBE goal", "Can DBE trucking count toward the 12% goal?",
            "Yes, subject to the trucking credit rules in the federal DBE provisions in Appendix D.", None),
           ("Staging area", "Is a staging area available near the project?",
            "Yes. The City-owned lot at 400 Ferry Road may be used for staging; see Addendum 1.", None)]),
    P(key="tr-bus-shelters", dept="TR", stage="forecast", method="ITB", mpc="works", value=620_000,
      title="Bus Shelter Replacement Program",
      desc="Replacement of 40 bus shelters with accessible concrete pads, solar lighting and real-time arrival "
           "displays along the City's five frequent bus routes.",
      items=[("Bus shelters with solar lighting, furnished and installed", "72000000", 40, "EA")],
      opens_in=95, budget="FY2027 Transit Capital Grant (federal share 80%)"),
    P(key="tr-markings", dept="TR", stage="awarded", method="ITB", mpc="services", value=520_000,
      title="Pavement Marking and Crosswalk Striping Program",
      desc="Annual long-line striping and thermoplastic crosswalk, stop bar and symbol markings citywide, "
           "priced by unit rates.",
      items=[("Long-line pavement striping", "72140000", 1_250_000, "FOT"),
             ("Thermoplastic crosswalks and symbols", "72140000", 1, "LS")],
      trades=["paving", "traffic"], winner="bayside-paving", ago=30),
    P(key="tr-streetlights", dept="TR", stage="evaluation", method="ITB", mpc="works", value=2_100_000,
      title="LED Streetlight Conversion, Phase 2",
      desc="Conversion of about 5,600 cobra-head streetlights to LED fixtures with networked lighting "
           "controls, and removal and recycling of the old fixtures.",
      items=[("LED cobra-head fixtures with network controls", "39110000", 5600, "EA"),
             ("Installation labor", "72150000", 1, "LS")],
      trades=["electrical", "traffic"], ago=4),
    P(key="tr-signs", dept="TR", stage="contracted", method="QUOTE", mpc="goods", value=90_000, sme=True,
      title="Traffic Signs and Sign Blanks",
      desc="Supply of aluminum sign blanks and finished regulatory and warning signs with high-intensity "
           "reflective sheeting for the sign shop.",
      items=[("Finished regulatory and warning signs", "55120000", 1200, "EA"),
             ("Aluminum sign blanks", "55120000", 2500, "EA")],
      trades=["signs", "print"], winner="portside-print", ago=330, months=24, submit="written",
      term="early"),

    # ---------------- Health ----------------
    P(key="hlt-needs", dept="HLT", stage="forecast", method="RFP", mpc="services", value=150_000, yaml=True,
      title="Community Health Needs Assessment 2027",
      desc="A community health needs assessment with surveys, focus groups and analysis of local health data, "
           "leading to the 2028–2032 Community Health Improvement Plan.",
      items=[("Community health needs assessment", "80100000", 1, "LS")],
      opens_in=40, budget="FY2027 Public Health Infrastructure Grant", sme=True),
    P(key="hlt-vaccination", dept="HLT", stage="contracted", method="RFP", mpc="services", value=380_000,
      title="Mobile Vaccination Clinic Staffing",
      desc="Nurses and medical assistants to staff the Health Department's mobile vaccination clinic at "
           "schools, senior centers and community events, up to five days a week.",
      items=[("Registered nurse hours", "85100000", 5200, "HUR"),
             ("Medical assistant hours", "85100000", 5200, "HUR")],
      trades=["health"], winner="northstar-health", ago=260, months=24),
    P(key="hlt-mosquito", dept="HLT", stage="open", method="ITB", mpc="services", value=95_000, sme=True,
      title="Mosquito Surveillance and Larvicide Services",
      desc="Weekly mosquito trapping and West Nile virus testing from May through September, and larvicide "
           "treatment of catch basins and standing water on public property.",
      items=[("Mosquito surveillance and testing", "77100000", 1, "LS"),
             ("Catch basin larvicide treatment", "77100000", 9000, "EA")],
      close=4, submit="electronicSubmission"),
    P(key="hlt-lims", dept="HLT", stage="cancelled", method="RFP", mpc="services", value=260_000,
      title="Public Health Laboratory Information System",
      desc="A laboratory information management system for the public health laboratory, with electronic "
           "reporting to the state.",
      items=[("Laboratory information management system", "43230000", 1, "LS")],
      reason="The state health department now offers its laboratory information system to local health "
             "departments at no cost. The City will use the state system."),

    # ---------------- Housing and Community Development ----------------
    P(key="hsg-roofing-pool", dept="HSG", stage="open", method="RFQ", mpc="works", value=500_000, sme=True,
      yaml=True, title="Home Repair Program Roofing Contractor Pool",
      desc="Qualified roofing contractors for roof replacements on owner-occupied homes in the City's Home "
           "Repair Program, which is funded by federal community development block grants. Qualified firms join "
           "a two-year pool and receive individual jobs by rotation.",
      items=[("Residential roof replacement jobs", "72150000", 40, "EA")],
      close=29, posted=2, submit="electronicSubmission",
      framework=dict(method="withoutReopeningCompetition", maximumParticipants=6,
                     description="Up to six qualified roofing contractors join the pool for two years. Each job is "
                                 "offered to the next firm in the rotation at the price the program's estimator "
                                 "sets; a firm that declines moves to the end of the list.")),
    P(key="hsg-shelter", dept="HSG", stage="contracted", method="RFP", mpc="services", value=720_000,
      title="Emergency Shelter Operations, Winter Overflow",
      desc="Operation of a 60-bed winter overflow shelter from November through April, with meals, case "
           "management and coordinated entry into housing programs.",
      items=[("Overflow shelter operations", "93140000", 6, "MON")],
      trades=["social"], winner="harbor-light", ago=75, months=6),
    P(key="hsg-market-study", dept="HSG", stage="evaluation", method="RFP", mpc="services", value=85_000,
      title="Affordable Housing Market Study",
      desc="A housing market study and five-year housing needs projection to support the Consolidated Plan "
           "and the City's affordable housing incentives.",
      items=[("Housing market study", "80100000", 1, "LS")],
      trades=["consulting"], ago=26, sme=True),
    P(key="hsg-lead-inspections", dept="HSG", stage="contracted", method="RFP", mpc="services", value=240_000,
      sme=True, title="Lead Hazard Inspections and Risk Assessments",
      desc="Lead-based paint inspections, risk assessments and clearance testing for homes enrolled in the "
           "Lead Hazard Control grant program.",
      items=[("Lead inspection and risk assessment", "77100000", 300, "EA"),
             ("Clearance testing", "77100000", 300, "EA")],
      trades=["environmental"], winner="osprey-environmental", ago=210, months=24, impl=True),

    # ---------------- Finance ----------------
    P(key="fin-audit", dept="FIN", stage="contracted", method="RFP", mpc="services", value=650_000,
      title="External Audit Services, FY2025–FY2029",
      desc="Annual audit of the City's financial statements, the single audit of federal awards and related "
           "agreed-upon procedures for fiscal years 2025 through 2029.",
      items=[("Annual financial and single audit", "84110000", 5, "ANN")],
      trades=["finance"], winner="calder-voss", ago=470, months=60),
    P(key="fin-banking", dept="FIN", stage="open", method="RFP", mpc="services", value=200_000,
      title="Banking and Merchant Card Services",
      desc="Depository banking, lockbox, positive pay and merchant card processing for all City departments "
           "for five years. Proposers must be qualified public depositories under state law.",
      items=[("Banking and merchant card services", "84120000", 5, "ANN")],
      close=44, posted=5, submit="electronicSubmission"),
    P(key="fin-billprint", dept="FIN", stage="unsuccessful", method="ITB", mpc="services", value=310_000,
      title="Utility Bill Printing and Mailing Services",
      desc="Printing, inserting and mailing of about 45,000 monthly utility bills and notices, with electronic "
           "billing integration.",
      items=[("Bill printing and mailing", "82120000", 540000, "EA")],
      trades=["print"], nbids=1, ago=60,
      reason="The only bid received was non-responsive because it did not include the required data security "
             "certification. The City will re-issue the solicitation with a longer bid period."),

    # ---------------- Airport (record package) ----------------
    P(key="air-janitorial", dept="AIR", stage="contracted", method="ITB", mpc="services", value=1_900_000,
      title="Terminal Janitorial Services",
      desc="Janitorial services for the passenger terminal, concourses and airport administration offices "
           "from 4 a.m. to midnight every day, including restroom attendants and contractor-furnished "
           "supplies.",
      items=[("Terminal janitorial services", "76110000", 36, "MON"),
             ("Restroom paper and cleaning supplies", "47130000", 1, "LS")],
      trades=["janitorial"], winner="crystal-clear", ago=400, months=36,
      amend=[(0.068, 0, "Amendment 1: Concourse B expansion",
              "Adds cleaning of the new 18,000-square-foot Concourse B holdroom expansion.")],
      impl=True),
    P(key="air-runway", dept="AIR", stage="awarded", method="ITB", mpc="works", value=11_400_000,
      title="Runway 14-32 Rehabilitation",
      desc="Mill and overlay of Runway 14-32 with new edge lighting, signage and markings, built in phases at "
           "night to keep the airport open. The project is funded by the FAA Airport Improvement Program.",
      items=[("Runway pavement rehabilitation", "72140000", 1, "LS"),
             ("Runway edge lights and signs", "39110000", 1, "LS")],
      plan=(45, "FAA grant pre-application accepted", "The FAA accepted the Airport Improvement Program "
                                                      "pre-application for the runway rehabilitation."),
      trades=["paving", "civil"], winner="harborline-construction", ago=85, terms=True, submit="inPerson",
      site=("Alderport Regional Airport, Runway 14-32", "53596", "Airside; escort required")),
    P(key="air-arff", dept="AIR", stage="open", method="ITB", mpc="goods", value=1_150_000,
      title="Aircraft Rescue and Firefighting Vehicle",
      desc="One 1,500-gallon aircraft rescue and firefighting vehicle meeting FAA Advisory Circular "
           "150/5220-10, with training and a two-year warranty.",
      items=[("ARFF vehicle, 1,500 gallon", "25100000", 1, "EA")],
      close=8, submit="electronicSubmission",
      enq=[("Delivery", "Is a delivery date later than 540 days after award acceptable?",
            "Yes, up to 600 days, but state the delivery time in your bid; it is not a scored factor.", None)]),
    P(key="air-parking", dept="AIR", stage="forecast", method="RFP", mpc="goods", value=1_800_000,
      title="Parking Revenue Control System Replacement",
      desc="Replacement of the airport's parking access and revenue control equipment with license plate "
           "recognition, pay-on-foot stations and online reservations.",
      items=[("Parking revenue control system", "43230000", 1, "LS")],
      opens_in=110, budget="Airport Enterprise Fund, FY2027 Capital Budget"),
    P(key="air-mowing", dept="AIR", stage="contracted", method="QUOTE", mpc="services", value=120_000,
      title="Airfield Mowing Services, 2025 Season",
      desc="Mowing of about 600 acres of airfield turf from April through October 2025, following the "
           "airport's wildlife hazard management plan.",
      items=[("Airfield mowing", "70110000", 7, "MON")],
      trades=["landscape"], winner="greenway-landscape", ago=620, months=7, submit="written",
      term="completed", impl=True),

    # ---------------- Planning and Development ----------------
    P(key="pln-comp-plan", dept="PLN", stage="forecast", method="RFP", mpc="services", value=600_000,
      yaml=True, title="Comprehensive Plan Update: Alderport 2045",
      desc="A full update of the City's comprehensive plan, with a community engagement program, land use and "
           "housing analysis, and a new future land use map.",
      items=[("Comprehensive plan consulting services", "80100000", 1, "LS")],
      opens_in=30, budget="FY2027 General Fund, Planning Division"),
    P(key="pln-historic", dept="PLN", stage="contracted", method="RFP", mpc="services", value=95_000, sme=True,
      title="Historic Resources Survey: Old Harbor District",
      desc="An intensive-level survey of about 420 buildings in the Old Harbor district, with state inventory "
           "forms and a recommendation on National Register eligibility.",
      items=[("Historic resources survey", "80100000", 1, "LS")],
      trades=["consulting"], winner="harper-finch", ago=180, months=12),
    P(key="pln-permitting", dept="PLN", stage="evaluation", method="RFP", mpc="services", value=850_000,
      title="Permitting and Plan Review Software",
      desc="A hosted permitting, inspections and electronic plan review system with an online portal for "
           "applicants, to replace the current permit tracking database.",
      items=[("Permitting software subscription and implementation", "43230000", 1, "LS")],
      trades=["software", "it"], ago=35),

    # ---------------- Fleet Services ----------------
    P(key="flt-patrol", dept="FLT", stage="contracted", method="COOP", mpc="goods", value=1_380_000,
      title="Police Patrol Vehicles, 2026 Model Year",
      desc="Purchase of 24 hybrid police pursuit utility vehicles with upfitting (lights, sirens, partitions "
           "and consoles) through a cooperative contract.",
      items=[("Hybrid police pursuit utility vehicle, upfitted", "25100000", 24, "EA")],
      trades=["vehicles"], winner="lakeland-fleet", ago=190, months=12,
      rationale="Purchased from Great Lakes Cooperative Purchasing Consortium contract GLCPC-2025-031 for "
                "police vehicles, which was competitively bid and gives lower prices than a City bid.",
      related=[("framework", "GLCPC", "GLCPC-2025-031", "GLCPC contract GLCPC-2025-031: law enforcement vehicles "
                "and upfitting (Great Lakes Cooperative Purchasing Consortium)",
                "https://www.glcpc.example.org/contracts/GLCPC-2025-031")]),
    P(key="flt-heavy", dept="FLT", stage="awarded", method="ITB", mpc="goods", value=2_600_000,
      title="Heavy Equipment and Trucks, FY2027",
      desc="Purchase of replacement heavy equipment for Public Works and Parks, in three lots. Bidders may bid "
           "on any lot; prices must include delivery, training and a five-year powertrain warranty.",
      lots=[("LOT-1", "Tandem-axle dump trucks with plows", "Four tandem-axle dump trucks with plows and wing "
             "plows.", 0.52),
            ("LOT-2", "Backhoe loaders", "Three backhoe loaders with extendable dippers.", 0.27),
            ("LOT-3", "Regenerative air street sweeper", "One regenerative air street sweeper.", 0.21)],
      items=[("Tandem-axle dump truck with plow package", "25100000", 4, "EA", "LOT-1"),
             ("Backhoe loader", "22100000", 3, "EA", "LOT-2"),
             ("Regenerative air street sweeper", "22100000", 1, "EA", "LOT-3")],
      trades=["vehicles", "equipment"], lot_winners={"LOT-1": "lakeland-fleet",
                                                     "LOT-2": "lakeland-fleet",
                                                     "LOT-3": "great-lakes-emergency"},
      pending_lots=["LOT-3"], ago=42),
    P(key="flt-fuel", dept="FLT", stage="contracted", method="ITB", mpc="goods", value=2_200_000,
      title="Fuel Supply: Unleaded Gasoline and Ultra-Low Sulfur Diesel",
      desc="Delivery of unleaded gasoline and ultra-low sulfur diesel to six City fueling sites, priced at the "
           "daily rack price plus a fixed margin. Winter-blend diesel is required from November through "
           "March.",
      items=[("Unleaded gasoline, delivered", "15100000", 420000, "GLL"),
             ("Ultra-low sulfur diesel, delivered", "15100000", 380000, "GLL")],
      trades=["fuel"], winner="beacon-fuels", ago=310, months=24, impl=True, nbids=2,
      renew=(1, 12, "One optional one-year renewal at the same fixed margin over the rack price.")),
    P(key="flt-tires", dept="FLT", stage="open", method="ITB", mpc="goods", value=340_000,
      title="Tires and Tire Repair Services",
      desc="Supply of passenger, light truck and heavy equipment tires, with mounting, road service and tire "
           "recycling for the City fleet of about 900 vehicles.",
      items=[("Tires, passenger and light truck", "25170000", 1400, "EA"),
             ("Tires, heavy truck and equipment", "25170000", 300, "EA"),
             ("Tire repair and road service", "78180000", 1, "LS")],
      close=2, submit="electronicSubmission", sme=True),
]

# Processes added for frameworks, cooperative and emergency buying and renewals (issue 18). They are
# numbered after the catalog above, so its processes keep their ocids.
# framework = tender.techniques.frameworkAgreement; firms = the agreement's suppliers (one award);
# related = relatedProcesses (scheme "ocid" names a catalog key); competitive = tender.competitive of a
# call-off; bidders = who may bid in a mini-competition; renew = (maximum renewals, months each, text);
# renewed = renewals exercised; rates = contract unit rates by item; classify = tender.additionalClassifications;
# exception = the 2 CFR 200.320(c) reason; funder = FEMA funds it; file_docs / contract_docs = federal file;
# followon = (key, relationship) of the process that replaces the contract; fast = awarded the same day.
LINKED = [
    # A city framework agreement with four firms and two task orders under it
    P(key="pw-oncall-eng", dept="PW", stage="contracted", method="RFQ", mpc="services", value=4_500_000,
      title="On-Call Engineering Services, 2026–2029",
      desc="Master agreements with up to five engineering firms for civil, stormwater, transportation and "
           "structural design on call. Task orders under $150,000 go to the firms in rotation; larger task "
           "orders are competed among the firms. Other public agencies in Harbor County may order under the "
           "agreements.",
      items=[("On-call engineering task orders", "81100000", 1, "LS")],
      trades=["engineering"], firms=["strand-engineering", "brightwater-civil", "keel-marsh", "tallgrass-transport"],
      nbids=6, ago=330, months=36,
      framework=dict(method="withAndWithoutReopeningCompetition", minimumParticipants=3, maximumParticipants=5,
                     buyerCategories="Other public agencies in Harbor County (the county, school districts and "
                                     "municipalities) may order under these agreements at the same rates.",
                     ceiling=True,
                     description="Task orders under $150,000 are assigned to the firms in rotation; larger task "
                                 "orders are competed among all firms on the agreement."),
      renew=(2, 12, "Up to two one-year renewals at the City's option."),
      contract_note="Master agreements between the City of Alderport and each of the four firms, at the rates "
                    "in Exhibit B. The value is the ceiling for all task orders together."),
    P(key="pw-to-culvert", dept="PW", stage="contracted", method="CALLOFF", mpc="services", value=86_400,
      title="Task Order 3: Mill Creek Road Culvert Replacement Design",
      desc="Survey, hydraulic analysis and final design for replacing the failing 72-inch corrugated metal culvert "
           "under Mill Creek Road, with permitting support.",
      items=[("Culvert replacement design and permitting", "81100000", 1, "LS")],
      winner="brightwater-civil", ago=170, months=8, competitive=False,
      related=[("framework", "ocid", "pw-oncall-eng", "On-Call Engineering Services, 2026–2029")],
      rationale="Task order assigned to Brightwater Civil Engineers, the next firm in the rotation under the "
                "City's on-call engineering agreements."),
    P(key="tr-to-corridor", dept="TR", stage="contracted", method="MINI", mpc="services", value=214_000,
      title="Task Order 5: Lakeview Avenue Corridor Safety Study",
      desc="Crash analysis, traffic counts, a road safety audit and concept designs for 2.1 miles of Lakeview "
           "Avenue, with two public meetings. Competed among the firms on the City's on-call engineering "
           "agreements.",
      items=[("Corridor safety study and concept design", "81100000", 1, "LS")],
      winner="tallgrass-transport", bidders=["tallgrass-transport", "strand-engineering", "keel-marsh"],
      ago=70, months=9, competitive=True,
      eligibility="Open only to the firms on the City's on-call engineering agreements.",
      related=[("framework", "ocid", "pw-oncall-eng", "On-Call Engineering Services, 2026–2029")]),
    # A second department buying under the library's cooperative contract
    P(key="hlt-books", dept="HLT", stage="contracted", method="COOP", mpc="goods", value=42_000,
      title="Children's Books for the Clinic Early Literacy Program",
      desc="New board and picture books that nurses give to children at well-child and WIC clinic visits, "
           "bought through the cooperative contract the Library uses.",
      items=[("Children's board and picture books", "55100000", 9000, "EA")],
      trades=["books"], winner="lakeside-books", ago=120, months=12,
      rationale="Bought under Great Lakes Cooperative Purchasing Consortium contract GLCPC-2024-117, which was "
                "competitively solicited; its discount is lower than the City could get on its own.",
      related=[GLCPC_BOOKS]),
    # Standby emergency contracts
    P(key="pw-debris", dept="PW", stage="contracted", method="ITB", mpc="services", value=3_800_000,
      title="Standby Disaster Debris Removal Services",
      desc="A standby contract for clearing, collecting and hauling storm debris from City streets and rights of "
           "way after a disaster, and for operating the temporary debris management site at Harbor Landfill. "
           "The contractor must mobilize within 24 hours of a notice to proceed.",
      items=[("Vegetative debris: collect and haul to the debris management site, per cubic yard", "76121500",
              250000, "YDQ"),
             ("Construction and demolition debris: collect and haul to landfill, per cubic yard", "76121500",
              40000, "YDQ"),
             ("Hazardous hanging limbs: remove, per tree", "76121500", 2000, "EA"),
             ("Debris management site: reduce by grinding, per cubic yard", "76121500", 250000, "YDQ")],
      rates=[9.85, 11.40, 95.00, 2.65],
      trades=["debris"], winner="northwoods-recovery", ago=550, months=36, classify=[FEMA_A],
      framework=dict(method="withoutReopeningCompetition", maximumParticipants=1, description=STANDBY),
      renew=(2, 12, "Up to two one-year renewals at the same rates."),
      file_docs=[OUTREACH, COST_ANALYSIS, EVALUATION], contract_docs=[FEDERAL_CLAUSES],
      contract_note="Standby contract with Northwoods Disaster Recovery LLC at the unit rates in the bid "
                    "schedule. The value is a not-to-exceed estimate for one major storm; work is paid only "
                    "under task orders."),
    P(key="pw-debris-to1", dept="PW", stage="contracted", method="CALLOFF", mpc="services", value=1_072_470,
      title="Storm Debris Removal, June 2026 Severe Storms (Task Order 1)",
      desc="Activation of the standby debris removal contract after the June 17–20 storms: collection of "
           "vegetative and construction debris citywide, removal of hanging limbs and grinding at the debris "
           "management site.",
      items=[("Vegetative debris: collect and haul to the debris management site, per cubic yard", "76121500",
              96400, "YDQ"),
             ("Construction and demolition debris: collect and haul to landfill, per cubic yard", "76121500",
              8200, "YDQ"),
             ("Hazardous hanging limbs: remove, per tree", "76121500", 310, "EA")],
      rates=[9.85, 11.40, 95.00],
      winner="northwoods-recovery", ago=147, months=2, fast=True, competitive=False, term="completed",
      details="Notice to proceed under standby contract",
      criteria_details="Work ordered at the unit rates of the standby contract.",
      rationale="Notice to proceed under the City's standby disaster debris removal contract, which was "
                "competitively bid in 2025.",
      related=[("framework", "ocid", "pw-debris", "Standby Disaster Debris Removal Services")],
      classify=[STORM, FEMA_A], funder=True),
    P(key="hlt-emergency-meals", dept="HLT", stage="contracted", method="RFP", mpc="services", value=940_000,
      title="Standby Emergency Meal Services for Shelters",
      desc="A standby contract for hot and shelf-stable meals delivered to emergency shelters, warming and "
           "cooling centers and points of distribution, starting within 12 hours of a notice to proceed and "
           "for up to 6,000 meals a day.",
      items=[("Hot meals delivered to shelters, per meal", "90101600", 60000, "EA"),
             ("Shelf-stable emergency meals, per meal", "90101600", 24000, "EA")],
      rates=[12.50, 7.95],
      trades=["catering"], winner="bluewater-catering", ago=230, months=24, classify=[FEMA_B],
      framework=dict(method="withoutReopeningCompetition", maximumParticipants=1, description=STANDBY),
      renew=(2, 12, "Up to two one-year renewals at the City's option."),
      file_docs=[OUTREACH, EVALUATION], contract_docs=[FEDERAL_CLAUSES],
      contract_note="Standby contract with Bluewater Events & Catering at the meal rates in Exhibit A. The value "
                    "is a not-to-exceed estimate; meals are paid only when ordered."),
    P(key="flt-generators", dept="FLT", stage="contracted", method="ITB", mpc="goods", value=96_000,
      title="Standby Emergency Generator Rental",
      desc="Towable diesel generators on call for pump stations, shelters and traffic signals during power "
           "outages, delivered and connected within eight hours of a call, with fuel service.",
      items=[("Towable diesel generator, 60 kW, per generator per day (up to 10 units for 14 days)",
              "26111600", 140, "DAY"),
             ("Towable diesel generator, 150 kW, per generator per day (up to 6 units for 14 days)",
              "26111600", 84, "DAY"),
             ("Delivery, connection and pickup, per generator", "26111600", 16, "EA")],
      rates=[295.00, 520.00, 450.00],
      trades=["generators", "equipment", "vehicles"], winner="midstate-power", ago=976, months=12,
      classify=[FEMA_B],
      framework=dict(method="withoutReopeningCompetition", maximumParticipants=1, description=STANDBY),
      renew=(2, 12, "Up to two one-year renewals at the same rates."), renewed=2,
      expires_before=date(2027, 6, 1), file_docs=[COST_ANALYSIS]),
    # An emergency purchase without competition
    P(key="wu-emergency-pumping", dept="WU", stage="contracted", method="EMERG", mpc="services", value=186_500,
      title="Emergency Bypass Pumping, Lift Station 3",
      desc="Rental, setup and round-the-clock operation of two 12-inch diesel bypass pumps after floodwater "
           "disabled Lift Station 3 on June 18, 2026, to prevent sewage backups into homes on Riverside Avenue.",
      items=[("Bypass pumps, 12-inch diesel, with discharge piping, per pump per day", "40151500", 60, "DAY"),
             ("Mobilization, setup and 24-hour pump watch", "40151500", 1, "LS")],
      rates=[2450.00, 39500.00],
      winner="great-lakes-pump", ago=150, months=1, fast=True, term="completed",
      rationale="Floodwater disabled Lift Station 3 during the June 2026 storms. Sewage would have backed up into "
                "about 140 homes within hours, so the Utility Director declared an emergency under City Code "
                "section 2-412 and hired the nearest available firm with the pumps on hand.",
      exception=("emergency", "Public exigency or emergency"), classify=[STORM, FEMA_B], funder=True,
      file_docs=[COST_ANALYSIS, ("exclusion-check", "debarments", "SAM.gov exclusion check")]),
    # Contracts ending within 18 months: one whose replacement is already out to bid, one still renewable
    P(key="pr-grounds-2024", dept="PR", stage="contracted", method="ITB", mpc="services", value=690_000,
      title="Park Grounds Maintenance Services, 2024–2026",
      desc="Mowing, trimming, litter pick-up and seasonal bed maintenance for 62 City parks under one "
           "citywide contract, for two years with one optional one-year renewal.",
      items=[("Grounds maintenance, all City parks", "70110000", 2, "ANN")],
      trades=["landscape"], winner="greenway-landscape", ago=1019, months=24, sme=True,
      renew=(1, 12, "One optional one-year renewal."), renewed=1,
      followon=("pr-grounds", "replacementProcess")),
    P(key="wu-janitorial", dept="WU", stage="contracted", method="ITB", mpc="services", value=310_000, sme=True,
      title="Janitorial Services, Water Utility Facilities",
      desc="Janitorial services five nights a week for the Water Utility administration building, the Lakeview "
           "Water Treatment Plant and the Harbor Wastewater Treatment Plant offices and labs.",
      items=[("Janitorial services, Water Utility facilities", "76110000", 36, "MON")],
      trades=["janitorial"], winner="northgate-janitorial", ago=1384, months=36, impl=True,
      renew=(2, 12, "Up to two one-year renewals at the City's option."), renewed=1),
]
CATALOG.extend(LINKED)

# Processes added for the procurement performance page (issue 19), numbered after those above so every
# earlier process keeps its ocid: awards since 2023 (trends by year, first-time winners), planning dates,
# signature delays (sign = days from award to signature; unsigned = none published), estimates (none, or
# in another currency), bid counts from 1 to 8, micro-purchases, and one or two processes behind each red
# flag with the reason in their own text. plan = (days before the notice, title, description) of a
# pre-procurement milestone met; plan_release = days from a planning release to the notice; length = the
# tender period in days; award_note = added to the award's description.
MICRO = ("micro-purchase", "Micro-purchase (2 CFR 200.320(a)(1))")
PERFORMANCE = [
    # ---------------- 2023 ----------------
    P(key="pw-salt-2023", dept="PW", stage="contracted", method="ITB", mpc="goods", value=575_000,
      title="Rock Salt for Snow and Ice Control, 2023–24 Season",
      desc="Supply and delivery of bulk sodium chloride rock salt to the City's two salt domes for the 2023–24 "
           "winter season, within 72 hours of each order.",
      items=[("Bulk rock salt (sodium chloride), delivered", "12350000", 7600, "STN")],
      trades=["supplies", "chemicals"], winner="harbor-supply", nbids=3, ago=1200, months=8, sign=12,
      term="completed"),
    P(key="it-firewall-2023", dept="IT", stage="contracted", method="ITB", mpc="goods", value=210_000,
      title="Next-Generation Firewall Replacement",
      desc="Replacement of the City's two data center firewalls and 30 branch firewalls, with three years of "
           "threat-prevention subscriptions. Installation is by City staff.",
      items=[("Data center firewall pair with subscriptions", "43220000", 1, "LS"),
             ("Branch firewalls with subscriptions", "43220000", 30, "EA")],
      trades=["network"], winner="granite-network", nbids=3, ago=1250, months=6, sign=5, no_estimate=True,
      term="completed"),
    P(key="pr-restrooms-2023", dept="PR", stage="contracted", method="ITB", mpc="works", value=265_000,
      title="Lakefront Park Restroom Building Renovation",
      desc="Renovation of the 1970s restroom building at Lakefront Park: new accessible fixtures and "
           "partitions, a family restroom, a new roof and LED lighting.",
      items=[("Restroom building renovation", "72100000", 1, "LS")],
      trades=["building", "specialty"], winner="summit-roofing", nbids=4, ago=1150, months=8, sign=28,
      term="completed", site=("Lakefront Park, 1 Lakefront Drive", "53590", "Restroom building by the beach"),
      plan=(150, "Design completed and construction funds approved",
            "The architect's construction documents were accepted and the Council appropriated the park bond "
            "funds.")),
    P(key="hsg-fair-housing-2023", dept="HSG", stage="contracted", method="RFP", mpc="services", value=120_000,
      sme=True, title="Fair Housing Testing and Education Services, 2024–2025",
      desc="Paired testing of rental housing for discrimination, fair housing workshops for landlords and "
           "tenants, and intake of complaints, as the City's federal housing grants require.",
      items=[("Fair housing testing and education", "93140000", 2, "ANN")],
      trades=["consulting"], winner="equal-access", nbids=3, ago=1100, months=24, sign=41, term="completed",
      plan=(90, "Analysis of impediments to fair housing adopted",
            "The Council adopted the 2023 analysis of impediments, which sets the testing and outreach goals.")),
    P(key="lib-prizes-2023", dept="LIB", stage="contracted", method="MICRO", mpc="goods", value=6_480,
      title="Summer Reading Program Prizes, 2023",
      desc="Reading logs, bookmarks, tote bags and finisher prizes for about 2,400 children in the 2023 summer "
           "reading program.",
      items=[("Summer reading prizes and printed logs", "55100000", 1, "LS")],
      winner="pier-street-promo", ago=1180, months=3, sign=4, term="completed",
      rationale="A small purchase under the City's $10,000 micro-purchase limit, bought from a local certified "
                "firm after the Library compared its price with the 2022 order.",
      exception=MICRO),
    # ---------------- 2024 ----------------
    P(key="hlt-chw-2024", dept="HLT", stage="contracted", method="RFP", mpc="services", value=140_000,
      sme=True, title="Community Health Worker Training Program",
      desc="A certificate course for 40 community health workers, with field mentoring, taught in English, "
           "Spanish and Hmong.",
      items=[("Community health worker training", "85100000", 40, "EA")],
      trades=["health"], winner="bridgeway-health", nbids=3, ago=1000, months=24, sign=35, term="completed"),
    P(key="tr-speed-humps-2024", dept="TR", stage="contracted", method="ITB", mpc="works", value=310_000,
      title="Speed Hump Installation, 2024",
      desc="Asphalt speed humps and speed tables on 26 residential streets chosen through the neighborhood "
           "traffic calming program, with signs and markings.",
      items=[("Asphalt speed humps and speed tables", "72140000", 64, "EA")],
      trades=["paving", "civil"], winner="ridgeway-civil", nbids=6, ago=830, months=6, sign=9,
      no_estimate=True, term="completed"),
    P(key="pr-ash-trees-2024", dept="PR", stage="contracted", method="ITB", mpc="services", value=230_000,
      sme=True, title="Emerald Ash Borer Tree Removal and Replanting",
      desc="Removal of about 380 infested ash trees along streets and in parks, stump grinding and planting "
           "of replacement trees of mixed species.",
      items=[("Ash tree removal and stump grinding", "70110000", 380, "EA"),
             ("Replacement trees, planted", "70110000", 380, "EA")],
      trades=["landscape", "debris"], winner="oak-and-ash", nbids=6, ago=900, months=18, sign=22,
      term="completed",
      plan=(120, "Ash tree inventory completed",
            "The forestry inventory found 380 ash trees with borer damage that must come down within two "
            "years.")),
    P(key="wu-hydrant-paint-2024", dept="WU", stage="contracted", method="QUOTE", mpc="services", value=9_850,
      title="Fire Hydrant Painting, 2024",
      desc="Surface preparation and repainting of 220 fire hydrants in the Old Harbor pressure zone.",
      items=[("Hydrant repainting", "72150000", 220, "EA")],
      trades=["painting", "specialty"], winner="lakeside-coatings", ago=780, months=3, sign=6,
      submit="written", term="completed"),
    P(key="fin-checks-2024", dept="FIN", stage="contracted", method="MICRO", mpc="goods", value=3_275,
      title="Check Stock and Notary Supplies",
      desc="Secure check stock for accounts payable and payroll, and notary stamps and journals for the "
           "Finance Department.",
      items=[("Secure check stock", "55120000", 20000, "EA")],
      winner="portside-print", ago=700, months=2, sign=3, term="completed",
      rationale="A small purchase under the City's $10,000 micro-purchase limit from the printer that holds the "
                "City's check template.",
      exception=MICRO),
    # ---------------- 2025 ----------------
    P(key="lib-computers-2025", dept="LIB", stage="contracted", method="ITB", mpc="goods", value=260_000,
      title="Public Computers and Printers for Library Branches",
      desc="Replacement of 140 public computers, 12 print release stations and 10 printers at the Central "
           "Library and two branches, with four-year warranties.",
      items=[("Public computers", "43210000", 140, "EA"), ("Printers and print release stations", "43210000",
                                                             22, "EA")],
      trades=["it", "network", "software", "supplies"], winner="prairie-computer", nbids=7, ago=600, months=3,
      sign=17, term="completed", plan_release=75, budget="FY2025 Library Technology Fund"),
    P(key="pr-hoops-2025", dept="PR", stage="contracted", method="MICRO", mpc="goods", value=8_940,
      title="Replacement Basketball Backboards and Hoops",
      desc="Six vandal-resistant steel backboards, rims and nets for three neighborhood park courts.",
      items=[("Steel backboards with rims and nets", "46180000", 6, "EA")],
      winner="harbor-supply", ago=520, months=2, sign=3, term="completed",
      rationale="A small purchase under the City's $10,000 micro-purchase limit; the price matched the state "
                "contract price for the same backboards.",
      exception=MICRO),
    P(key="pw-salt-dome-2025", dept="PW", stage="unsuccessful", method="ITB", mpc="works", value=96_000,
      title="Salt Dome Roof Repair",
      desc="Replacement of the shingles and damaged decking on the 120-foot salt dome at the Public Works "
           "Operations Center, before salt deliveries for the winter start in October.",
      items=[("Salt dome re-roofing", "72150000", 1, "LS")],
      trades=["roofing"], nbids=0, ago=470,
      reason="No bids were received: roofing contractors were booked for the summer. The City re-bids the work "
             "at once with the same specifications."),
    P(key="pw-salt-dome-rebid-2025", dept="PW", stage="contracted", method="ITB", mpc="works", value=104_000,
      title="Salt Dome Roof Repair (Re-bid)",
      desc="Replacement of the shingles and damaged decking on the 120-foot salt dome at the Public Works "
           "Operations Center. This is a re-bid of the August 2025 invitation, which drew no bids. The "
           "specifications are unchanged and firms had already seen them, so the bid period is 10 days instead "
           "of the usual three weeks, to finish the roof before salt deliveries start in October.",
      items=[("Salt dome re-roofing", "72150000", 1, "LS")],
      trades=["roofing", "specialty"], winner="summit-roofing", nbids=2, length=10, ago=440, months=3, sign=7,
      term="completed", related=[("unsuccessfulProcess", "ocid", "pw-salt-dome-2025", "Salt Dome Roof Repair")]),
    P(key="pr-seawall-2025", dept="PR", stage="contracted", method="ITB", mpc="works", value=880_000,
      title="Lakefront Promenade Seawall Repair",
      desc="Repair of 420 feet of the Lakefront Promenade seawall: new steel sheet piling in front of the failed "
           "sections, tiebacks, a concrete cap and promenade railing.",
      items=[("Steel sheet pile seawall with tiebacks", "72140000", 420, "FOT"),
             ("Concrete cap and railing", "72140000", 420, "FOT")],
      trades=["civil", "specialty"], winner="ridgeway-civil", nbids=4, ago=480, months=9, sign=19,
      plan_release=160, budget="FY2025 Capital Improvement Program, Lakefront Infrastructure (CIP 25-PK-02)",
      site=("Lakefront Promenade", "53590", "Between the marina and Harbor Commons"),
      amend=[(0.34, 2, "Change Order 1: unforeseen soil conditions",
              "Borings during construction found soft organic soils behind 180 feet of the wall that the "
              "geotechnical survey had not shown. That section needs helical anchors instead of the designed "
              "tiebacks, and the completion date moves by two months.")],
      term="completed"),
    P(key="fd-rescue-tools-2025", dept="FD", stage="contracted", method="ITB", mpc="goods", value=168_000,
      title="Battery-Powered Hydraulic Rescue Tools",
      desc="Six sets of battery-powered spreaders, cutters and rams for engine and ladder companies. The tools "
           "must use the same battery platform as the 14 sets bought in 2019, so that batteries and chargers "
           "work on every apparatus; the manufacturer sells and services that platform in Wisconsin only "
           "through one authorized dealer. The invitation was open to all bidders to confirm that no other "
           "firm could supply it.",
      items=[("Battery-powered rescue tool set (spreader, cutter, ram)", "46180000", 6, "EA")],
      trades=["rescue"], winner="badger-rescue", nbids=1, ago=400, months=4, sign=14, term="completed",
      award_note="Only one bid was received, from the manufacturer's authorized dealer for Wisconsin; its price "
                 "was checked against the dealer's 2025 prices to other fire departments.",
      plan=(75, "Tool compatibility review completed",
            "The review found that only tools on the 2019 battery platform can share batteries and chargers with "
            "the tools already on the apparatus.")),
    P(key="air-friction-2025", dept="AIR", stage="contracted", method="ITB", mpc="goods", value=205_000,
      est_in=("EUR", 188_000), title="Runway Friction Tester",
      desc="A continuous friction measuring device for runway condition reports in winter, towed or "
           "vehicle-mounted, meeting FAA Advisory Circular 150/5320-12. The estimate is the manufacturer's 2025 "
           "list price in euros; bids are in US dollars.",
      items=[("Continuous friction measuring equipment", "41110000", 1, "EA")],
      trades=["airfield", "vehicles", "equipment"], winner="northern-airfield", nbids=3, ago=430, months=4,
      sign=58, term="completed",
      plan=(60, "Airport Improvement Program grant offer accepted",
            "The FAA grant offer covering 90% of the cost was accepted by the Airport Commission.")),
    # ---------------- 2026 ----------------
    P(key="pd-cad-interface-2026", dept="PD", stage="contracted", method="SOLE", mpc="services", value=74_500,
      title="Computer-Aided Dispatch Interface Maintenance",
      desc="Annual maintenance of the interface between the computer-aided dispatch system and the Police "
           "records management system, including updates for new state incident codes.",
      items=[("Dispatch interface maintenance", "81110000", 1, "ANN")],
      winner="meridian-civic", ago=300, months=12, sign=11,
      rationale="The interface is part of Meridian Civic Software's proprietary records management system; only "
                "the developer holds the source code and can change and support it."),
    P(key="pd-field-reports-2026", dept="PD", stage="contracted", method="SOLE", mpc="goods", value=48_000,
      title="Mobile Field Reporting Module Licenses",
      desc="Licenses for the mobile field reporting module of the Police records management system for 120 "
           "patrol laptops, so officers can file reports from their vehicles.",
      items=[("Mobile field reporting licenses", "43230000", 120, "EA")],
      winner="meridian-civic", ago=70, months=12, sign=8,
      rationale="The module is an add-on to Meridian Civic Software's proprietary records management system and "
                "is sold only by its developer."),
    P(key="it-training-2026", dept="IT", stage="contracted", method="RFP", mpc="services", value=64_000,
      sme=True, title="Cybersecurity Awareness Training",
      desc="Online security awareness courses and simulated phishing campaigns for about 2,100 City employees "
           "for two years, with reports by department.",
      items=[("Security awareness training subscription", "81110000", 2, "ANN")],
      trades=["training", "it"], winner="harbor-digital", nbids=5, ago=200, months=24, unsigned=True),
    P(key="tr-traffic-calming-2026", dept="TR", stage="contracted", method="ITB", mpc="works", value=420_000,
      sme=True, title="Neighborhood Traffic Calming, 2026",
      desc="Speed tables, curb extensions and raised crosswalks on 18 streets chosen through the neighborhood "
           "traffic calming program, with signs and markings.",
      items=[("Speed tables and raised crosswalks", "72140000", 40, "EA"),
             ("Concrete curb extensions", "72140000", 22, "EA")],
      trades=["civil", "paving", "specialty"], winner="cedar-asphalt", nbids=8, ago=150, months=8, sign=26,
      plan_release=120, budget="FY2026 Capital Improvement Program, Traffic Safety (CIP 26-TS-01)", impl=True),
    P(key="hsg-legal-2026", dept="HSG", stage="contracted", method="RFP", mpc="services", value=180_000,
      title="Eviction Prevention Legal Services",
      desc="Legal advice and court representation for low-income tenants facing eviction, with a help desk at "
           "the county courthouse two days a week.",
      items=[("Eviction prevention legal services", "93140000", 12, "MON")],
      trades=["legal", "social"], winner="harbor-legal", nbids=3, ago=90, months=12, unsigned=True),
    P(key="hlt-loggers-2026", dept="HLT", stage="contracted", method="MICRO", mpc="goods", value=7_350,
      title="Vaccine Refrigerator Temperature Data Loggers",
      desc="Digital data loggers with calibrated probes and alarms for the 14 vaccine refrigerators and freezers "
           "in the Health Department's clinics.",
      items=[("Digital temperature data loggers with probes", "41110000", 14, "EA")],
      winner="midwest-safety", ago=150, months=1, sign=5, term="completed",
      rationale="A small purchase under the City's $10,000 micro-purchase limit; the loggers are the model the "
                "state immunization program requires.",
      exception=MICRO),
]
for _spec in PERFORMANCE:
    _spec["issue19"] = True  # may draw the suppliers added for issue 19 as bidders
CATALOG.extend(PERFORMANCE)

# Where the non-package formats go.
RECORD_PACKAGE_DEPTS = {"AIR"}
JSONL_DEPTS = {"WU"}
SPREADSHEET_DEPTS = {"PR"}  # every process of the department, in one workbook (not its YAML notices)
SPREADSHEET = "register.xlsx"


# --- building one contracting process -------------------------------------------------------------

class Process:
    def __init__(self, spec: dict):
        self.s = spec
        self.key = spec["key"]
        self.dept = spec["dept"]
        self.rng = random.Random(f"{SEED}:{self.key}")
        self.m = METHODS[spec["method"]]
        self.direct = self.m["method"] == "direct"
        self.buyer_id = DEPARTMENTS[self.dept][1]
        self.pe_id = self.buyer_id if self.dept in SELF_PROCURING else PROCUREMENT_ID
        self.plan_dates()

    def r(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    # -- timeline --
    def plan_dates(self) -> None:
        s, st = self.s, self.s["stage"]
        self.moved_old = None
        if st == "forecast":
            self.first = back(days(-self.r(4, 70)))
            self.start = fwd(days(s["opens_in"]))
            self.end = fwd(self.start + timedelta(days=self.r(28, 42) if s["method"] in ("RFP", "RFQ")
                                                  else self.r(21, 30)))
            return
        length = 10 if self.direct else (self.r(28, 42) if s["method"] in ("RFP", "RFQ") else
                                         self.r(12, 16) if s["method"] == "MINI" else self.r(21, 32))
        if s.get("fast"):  # an emergency purchase or a standby contract's activation: same day
            length = 0
        if s["method"] == "QUOTE":
            length = self.r(10, 14)
        if "length" in s:  # a set tender period (a short re-bid)
            length = s["length"]
        if st == "open":
            self.end = fwd(days(s["close"]))
            if "moved_from" in s:
                self.moved_old = fwd(days(s["moved_from"])) if s["moved_from"] > 0 else back(days(s["moved_from"]))
                self.start = back(self.moved_old - timedelta(days=length))
            else:
                self.start = back(self.end - timedelta(days=length))
            if "posted" in s:  # posted a few days ago: a "new" opportunity
                self.start = days(-s["posted"])
            else:  # an open solicitation has been posted for at least a week
                self.start = min(self.start, back(days(-self.r(7, 16))))
        elif st == "cancelled":
            self.start = back(days(-self.r(25, 80)))
            self.end = fwd(self.start + timedelta(days=length))
        else:
            self.end = back(days(-s["ago"]))
            self.start = back(self.end - timedelta(days=length))
        self.first = self.start
        if s.get("plan_release"):  # a planning release this many days before the notice
            self.first = back(self.start - timedelta(days=s["plan_release"]))

    # -- helpers --
    def url(self, slug: str) -> str:
        return f"{WEB}/procurement/solicitations/{self.tender_id.lower()}/{slug}.pdf"

    def doc(self, suffix: str, doc_type: str, title: str, when: str, description: str | None = None,
            **extra) -> dict:
        d = {"id": f"{self.tender_id}-{suffix}", "documentType": doc_type, "title": title}
        if description:
            d["description"] = description
        d.update({"url": self.url(suffix), "datePublished": when, "format": "application/pdf", "language": "en"})
        d.update(extra)
        return d

    def est(self) -> float:
        return self.s["value"]

    # -- the releases --
    def build(self, ocid: str, tender_id: str) -> list[dict]:
        self.ocid, self.tender_id = ocid, tender_id
        self.releases: list[dict] = []
        self.state: dict = {}
        self.bids: dict | None = None
        self.bid_values: dict = {}
        self.awards: list[dict] = []
        self.contracts: list[dict] = []
        self.planning: dict | None = self.planning_block()
        self.related = [self.relation(n, *r) for n, r in enumerate(self.s.get("related", []), 1)]
        getattr(self, "stage_" + self.s["stage"])()
        if self.s.get("followon"):
            self.announce_followon()
        return self.releases

    def planning_block(self) -> dict | None:
        """planning: a pre-procurement milestone met before the notice (plan) and the budget line."""
        s = self.s
        if not (s.get("plan") or s.get("plan_release")):
            return None
        planning: dict = {}
        if s.get("budget"):
            planning["budget"] = {"id": f"BUD-{self.tender_id}", "description": s["budget"],
                                  "amount": value(round(self.est() * 1.1, -3))}
        if s.get("plan"):
            before, title, description = s["plan"]
            d = back(self.start - timedelta(days=before))
            planning["milestones"] = [{"id": f"{self.tender_id}-PP1", "title": title, "type": "preProcurement",
                                       "description": description, "dueDate": iso(d, 17), "dateMet": iso(d, 17),
                                       "status": "met"}]
        return planning

    @staticmethod
    def relation(n: int, relationship: str, scheme: str, identifier: str, title: str, uri: str | None = None) -> dict:
        """A relatedProcesses entry: scheme "ocid" names another catalog process by its key."""
        rp = {"id": str(n), "relationship": [relationship], "title": title, "scheme": scheme,
              "identifier": OCIDS[identifier] if scheme == "ocid" else identifier}
        if uri:
            rp["uri"] = uri
        return rp

    def announce_followon(self) -> None:
        """The day the follow-on solicitation opens, the old contract points to it (contractUpdate)."""
        key, relationship = self.s["followon"]
        new = PROCS[key]
        assert parse(self.releases[-1]["date"]).date() < new.start <= TODAY, self.key
        for c in self.contracts:
            c["relatedProcesses"] = [self.relation(1, relationship, "ocid", key, new.s["title"])]
        self.emit("contractUpdate", iso(new.start, 12))

    def emit(self, tag: str, when: str) -> str:
        assert parse(when).date() <= TODAY, (self.key, tag, when)  # a release records what has happened
        n = len(self.releases) + 1
        rid = f"{self.ocid}-{n:02d}-{tag}"
        rel = {"ocid": self.ocid, "id": rid, "date": when, "language": "en", "tag": [tag],
               "initiationType": "tender", "parties": [], "buyer": ref(self.buyer_id)}
        if self.planning:
            rel["planning"] = copy.deepcopy(self.planning)
        tender = copy.deepcopy(self.state)
        for m in tender.get("milestones", []):
            due = parse(m["dueDate"])
            if due <= parse(when):
                m["status"] = "met"
                m["dateMet"] = m["dueDate"]
            else:
                m["status"] = "scheduled"
        rel["tender"] = tender
        if self.bids:
            rel["bids"] = copy.deepcopy(self.bids)
        if self.awards:
            rel["awards"] = copy.deepcopy(self.awards)
        if self.contracts:
            rel["contracts"] = copy.deepcopy(self.contracts)
        rel["parties"] = parties_for(rel, [FEMA_ID] if self.s.get("funder") else [])
        if self.related:
            rel["relatedProcesses"] = copy.deepcopy(self.related)
        self.releases.append(rel)
        return rid

    def base_tender(self, status: str) -> dict:
        s, m = self.s, self.m
        t: dict = {"id": self.tender_id, "title": s["title"], "description": s["desc"], "status": status,
                   "procuringEntity": ref(self.pe_id)}
        if s["key"] in SPANISH:  # OCDS language variants, which the Spanish pages show
            t["title_es"], t["description_es"] = SPANISH[s["key"]]["title"], SPANISH[s["key"]]["desc"]
        lots = s.get("lots")
        t["items"] = []
        for i, it in enumerate(s["items"], 1):
            desc, code, qty, unit = it[:4]
            item = {"id": str(i), "description": desc,
                    "classification": {"scheme": "UNSPSC", "id": code, "description": UNSPSC[code]},
                    "quantity": qty, "unit": {"scheme": "UNCEFACT", "id": unit, "name": UNITS[unit]}}
            if len(it) > 4:
                item["relatedLot"] = it[4]
            if i == 1 and s.get("goals"):  # the city's certification goals or set-asides
                item["additionalClassifications"] = [{"scheme": "ALDERPORT-CERT", "id": c, "description": CERTS[c]}
                                                     for c in s["goals"]]
            if i == 1 and s.get("site"):
                street, postal, note = s["site"]
                item["deliveryAddresses"] = [dict(address(street, postal=postal), description=note)]
            t["items"].append(item)
        if s.get("est_in"):  # an estimate in another currency (a manufacturer's list price)
            currency, amount = s["est_in"]
            t["value"] = {"amount": amount, "currency": currency}
        elif not s.get("no_estimate"):
            t["value"] = value(self.est())
        t["procurementMethod"] = m["method"]
        t["procurementMethodDetails"] = s.get("details", m["details"])
        if self.direct:
            t["procurementMethodRationale"] = s["rationale"]
        if s.get("exception"):  # why 2 CFR 200.320(c) allows buying without competition
            code, text = s["exception"]
            t["procurementMethodRationaleClassifications"] = [{"scheme": "US-2CFR200.320", "id": code,
                                                               "description": text}]
        if "competitive" in s:  # a call-off under a framework agreement
            t["competitive"] = s["competitive"]
        if s.get("classify"):  # disaster declaration and FEMA Public Assistance category
            t["additionalClassifications"] = [{"scheme": sch, "id": cid, "description": d}
                                              for sch, cid, d in s["classify"]]
        t["mainProcurementCategory"] = s["mpc"]
        t["awardCriteria"] = m["criteria"]
        t["awardCriteriaDetails"] = s.get("criteria_details", m["criteria_details"])
        submit = "written" if self.direct else s.get("submit", "electronicSubmission")
        t["submissionMethod"] = [submit]
        t["submissionMethodDetails"] = SUBMISSION_DETAILS["direct" if self.direct else submit]
        t["tenderPeriod"] = {"startDate": iso(self.start, 9), "endDate": iso(self.end, 14)}
        if not self.direct and s["stage"] != "forecast":
            t["enquiryPeriod"] = {"startDate": iso(self.start, 9),
                                  "endDate": iso(back(self.end - timedelta(days=7)), 17)}
        t["hasEnquiries"] = False
        elig = s.get("eligibility", ELIGIBILITY[s["mpc"]])
        if s.get("sme"):
            elig += SME_NOTE
        t["eligibilityCriteria"] = elig
        cstart = s.get("starts") or fwd(self.end + timedelta(days=60 if s["mpc"] == "works" else 45))
        months = s.get("months", 12 if s["mpc"] == "goods" else 24)
        t["contractPeriod"] = {"startDate": iso(cstart, 0), "endDate": iso(add_months(cstart, months), 0)}
        if s.get("renew"):
            most, each, text = s["renew"]
            t["hasRenewal"] = True
            t["renewal"] = {"description": text, "maximumRenewals": most}
        if s.get("framework"):
            t["techniques"] = self.techniques(t["contractPeriod"])
        if s.get("sme"):
            t["suitability"] = {"sme": True}
        if s.get("terms"):
            t["submissionTerms"] = self.submission_terms()
        if lots:
            t["lots"] = [{"id": lid, "title": ltitle, "description": ldesc,
                          "value": value(round(self.est() * share, -2)), "status": status,
                          **({"suitability": {"sme": True}} if s.get("sme") else {})}
                         for lid, ltitle, ldesc, share in lots]
            t["value"] = value(sum(lot["value"]["amount"] for lot in t["lots"]))
            t["lotDetails"] = {"maximumLotsBidPerSupplier": len(lots),
                               "maximumLotsAwardedPerSupplier": len(lots) if len(lots) < 3 else 2}
        return t

    def techniques(self, period: dict) -> dict:
        """A framework agreement (a pool of firms, an on-call list or a standby contract)."""
        f = self.s["framework"]
        fa: dict = {"method": f["method"]}
        for key in ("minimumParticipants", "maximumParticipants", "buyerCategories"):
            if key in f:
                fa[key] = f[key]
        if f.get("ceiling"):
            fa["value"] = value(self.est())
        fa["period"] = copy.deepcopy(period)
        fa["description"] = f["description"]
        return {"hasFrameworkAgreement": True, "frameworkAgreement": fa}

    def submission_terms(self) -> dict:
        terms = {"electronicSubmissionPolicy": "required" if self.s.get("submit") != "inPerson" else "notAllowed",
                 "languages": ["en"], "bidValidityPeriod": {"durationInDays": 90},
                 "depositsGuarantees": "Bid bond or cashier's check for 5% of the bid amount. The successful bidder "
                                       "furnishes 100% performance and payment bonds before the contract is "
                                       "signed.",
                 "multipleBidsAllowed": False}
        if self.s.get("submit") == "inPerson":
            terms["nonElectronicSubmission"] = {
                "rationale": "Sealed bids are opened and read aloud at a public bid opening.",
                "address": dict(address("100 Harbor Square, Room 210"), description="Office of Procurement")}
        return terms

    def tender_documents(self, when: str) -> list[dict]:
        s, m = self.s, self.m
        docs = []
        if self.direct:
            kind, why = {"SOLE": ("Notice of intent to sole source", "Sole source justification"),
                         "COOP": ("Notice of cooperative purchase",
                                  "Sole source and cooperative purchase justification"),
                         "CALLOFF": ("Task order", "Task order scope and fee"),
                         "EMERG": ("Notice of emergency purchase", "Emergency purchase justification"),
                         "MICRO": ("Record of micro-purchase", "Price reasonableness note")}[s["method"]]
            docs.append(self.doc("notice", "tenderNotice", f"{kind}: {s['title']}", when))
            docs.append(self.doc("justification", "biddingDocuments", why, when))
            return docs
        docs.append(self.doc("notice", "tenderNotice", f"{m['details']}: {s['title']}", when,
                             "The public notice as advertised in the Alderport Ledger and on the eBid portal."))
        word = {"ITB": "Bid documents", "RFP": "Request for Proposals document",
                "RFQ": "Request for Qualifications document", "QUOTE": "Request for quotations",
                "MINI": "Task order request for proposals"}[s["method"]]
        docs.append(self.doc("solicitation", "biddingDocuments", word, when,
                             "Instructions, forms, terms and conditions and the price schedule."))
        if s["method"] == "RFQ":
            docs.append(self.doc("scope", "technicalSpecifications", "Scope of work and submittal requirements",
                                 when))
        elif s["mpc"] == "works":
            docs.append(self.doc("plans", "technicalSpecifications", "Plans and technical specifications", when,
                                 accessDetails="Full-size plan sets can be viewed at the Public Works plan room, "
                                               "2400 Industrial Parkway, weekdays 8 a.m. to 4 p.m. Electronic "
                                               "plan sets require free registration on the eBid portal.",
                                 accessDetailsURL=EBID))
        elif s["mpc"] == "goods":
            docs.append(self.doc("specs", "technicalSpecifications", "Technical specifications", when))
        else:
            docs.append(self.doc("scope", "technicalSpecifications", "Scope of services", when))
        if s["method"] in ("RFP", "RFQ"):
            docs.append(self.doc("evaluation", "evaluationCriteria", "Evaluation criteria and scoring", when))
        if s["mpc"] != "goods":
            docs.append(self.doc("contract", "contractDraft", "Sample contract", when))
        return docs

    def prebid(self) -> list[dict]:
        if self.direct or self.s["method"] in ("QUOTE", "MINI"):
            return []
        d = fwd(self.start + timedelta(days=7))
        if self.moved_old is None and d >= self.end - timedelta(days=5):
            d = fwd(self.start + timedelta(days=3))
        site_visit = " A site walk-through follows the meeting." if self.s.get("site") else ""
        return [{"id": "prebid-1", "title": "Pre-bid meeting", "type": "engagement",
                 "description": f"Non-mandatory pre-bid meeting at {PREBID_PLACE[self.dept]}.{site_visit}",
                 "dueDate": iso(d, 10), "status": "scheduled"}]

    def open_tender(self) -> str:
        """The first release: the notice."""
        forecast = self.plan_release() if self.s.get("plan_release") else []
        t = self.base_tender("active")
        when = iso(self.start, 9)
        t["documents"] = forecast + self.tender_documents(when)
        milestones = self.prebid()
        if milestones:
            t["milestones"] = milestones
        if self.moved_old:
            t["tenderPeriod"]["endDate"] = iso(self.moved_old, 14)
            t["enquiryPeriod"]["endDate"] = iso(back(self.moved_old - timedelta(days=7)), 17)
        self.state = t
        return self.emit("tender", when)

    def plan_release(self) -> list[dict]:
        """The planning release before the notice (tag planning); returns its forecast document."""
        t = self.base_tender("planned")
        for key in ("hasEnquiries", "enquiryPeriod"):
            t.pop(key, None)
        when = iso(self.first, 10)
        t["documents"] = [self.doc("forecast", "plannedProcurementNotice",
                                   f"Procurement forecast: {self.s['title']}", when,
                                   "Advance notice so that firms can plan; the solicitation itself will be "
                                   "posted on the eBid portal.")]
        self.state = t
        self.emit("planning", when)
        return t["documents"]

    def addendum(self, first_id: str) -> str | None:
        """Addendum 1: answers to questions and/or a moved deadline."""
        s, t = self.s, self.state
        enq = s.get("enq")
        if not enq and not self.moved_old and not s.get("addendum"):
            return None
        latest = min(self.moved_old or self.end, TODAY) - timedelta(days=2)
        d = back(latest - timedelta(days=self.r(0, 3)))
        if d <= self.start + timedelta(days=4):
            d = fwd(self.start + timedelta(days=5))
        assert self.start < d <= TODAY and d < (self.moved_old or self.end), (self.key, d)
        when = iso(d, 15)
        nrel = len(self.releases) + 1
        rid = f"{self.ocid}-{nrel:02d}-tenderAmendment"
        changes = []
        if enq:
            t["enquiries"] = []
            for i, e in enumerate(enq, 1):
                title, question, answer = e[:3]
                asked = back(d - timedelta(days=self.r(3, 6)))
                if asked <= self.start:
                    asked = self.start + timedelta(days=1)
                entry = {"id": f"Q{i}", "date": iso(asked, 11), "title": title, "description": question,
                         "answer": answer, "dateAnswered": iso(d, 14)}
                if len(e) > 3 and e[3]:
                    entry["relatedLot"] = e[3]
                t["enquiries"].append(entry)
            t["hasEnquiries"] = True
            changes.append(f"answers {len(enq)} question{'s' if len(enq) > 1 else ''} from prospective bidders")
        if self.moved_old:
            t["tenderPeriod"]["endDate"] = iso(self.end, 14)
            t["enquiryPeriod"]["endDate"] = iso(back(self.end - timedelta(days=7)), 17)
            changes.insert(0, f"moves the due date from {human(self.moved_old, 14)} to {human(self.end, 14)}")
            rationale = ("Deadline extended to give bidders time to price the revised scope and the answers to "
                         "questions raised at the pre-bid meeting.")
        else:
            rationale = "Clarifications in response to questions from prospective bidders."
        description = "Addendum 1 " + " and ".join(changes) + "."
        t.setdefault("amendments", []).append({"id": f"{self.tender_id}-ADD1", "date": when,
                                               "rationale": rationale, "description": description,
                                               "amendsReleaseID": first_id, "releaseID": rid})
        t["documents"].append(self.doc("addendum-1", "biddingDocuments", "Addendum 1", when, description))
        if enq:
            t["documents"].append(self.doc("questions-and-answers", "clarifications",
                                           "Questions and answers", when))
        return self.emit("tenderAmendment", when)

    # -- bids --
    def choose_tenderers(self) -> list[str]:
        s = self.s
        winners = []
        if s.get("lot_winners"):
            for w in s["lot_winners"].values():
                if w not in winners:
                    winners.append(w)
        elif s.get("firms"):  # a framework agreement with several firms
            winners.extend(s["firms"])
        elif s.get("winner"):
            winners.append(s["winner"])
        if s.get("reaward"):
            winners.insert(0, s["reaward"][0])
        if self.direct:
            return winners
        if s.get("bidders"):  # a mini-competition: only the agreement's firms may bid
            chosen = list(s["bidders"])
            self.rng.shuffle(chosen)
            return chosen
        pool = [k for k, v in SUPPLIERS.items() if set(v[9]) & set(s.get("trades", [])) and k not in winners
                and (s.get("issue19") or k in EARLIER_SUPPLIERS)]
        want = s.get("nbids", self.r(3, 5) if s["method"] != "QUOTE" else 3)
        others = self.rng.sample(pool, max(0, min(len(pool), want - len(winners))))
        chosen = winners + others
        if s.get("nbids") is not None:
            chosen = chosen[:s["nbids"]]
        self.rng.shuffle(chosen)
        return chosen

    def make_bids(self, tenderers: list[str], evaluated: bool) -> None:
        """Bid tabulation (ITB/quotes) or just statistics (RFP/RFQ)."""
        s = self.s
        t = self.state
        t["numberOfTenderers"] = len(tenderers)
        if tenderers:
            t["tenderers"] = [ref(k) for k in tenderers]
        if not tenderers:
            self.bids = {"statistics": [{"id": "bids", "measure": "bids", "value": 0}]}
            return
        lots = [lot[0] for lot in s.get("lots", [])] or [None]
        winners = s.get("lot_winners") or {None: s.get("winner")}
        fresh = not self.bid_values
        details = []
        stats = []
        show_details = s["method"] in ("ITB", "QUOTE") and not self.direct
        nb = 0
        for lot in lots:
            share = next((x[3] for x in s.get("lots", []) if x[0] == lot), 1.0)
            base = self.est() * share
            win = winners.get(lot)
            win_amount = base * self.rng.uniform(0.86, 1.03)
            if s["stage"] == "unsuccessful" and tenderers:
                win_amount = base * self.rng.uniform(1.3, 1.45)
            lot_bids = []
            for k in tenderers:
                if not fresh:
                    amount = self.bid_values[(lot, k)]
                elif k == win:
                    amount = win_amount
                elif s.get("reaward") and k == s["reaward"][0]:
                    amount = win_amount * 0.97
                else:
                    amount = win_amount * self.rng.uniform(1.03, 1.32)
                lot_bids.append((k, money(amount)))
            for k, amount in lot_bids:
                self.bid_values[(lot, k)] = amount
            valid = [b for b in lot_bids]
            disq = []
            if len(lot_bids) >= 4 and s["method"] == "ITB":
                worst = max(lot_bids, key=lambda b: b[1])
                disq = [worst]
                valid = [b for b in lot_bids if b is not worst]
            if show_details:
                for k, amount in lot_bids:
                    nb += 1
                    bid = {"id": f"{self.tender_id}-B{nb:02d}", "date": iso(self.end, 13, 10 + nb * 3 % 45),
                           "status": ("disqualified" if (k, amount) in disq else "valid") if evaluated else "pending",
                           "tenderers": [ref(k)], "value": value(amount)}
                    if lot:
                        bid["relatedLots"] = [lot]
                    details.append(bid)
            prefix = f"{lot}-" if lot else ""
            sme = sum(1 for k, _ in lot_bids if SUPPLIERS[k][5] in SME_SCALES)
            lot_stats = [("bids", len(lot_bids)), ("smeBids", sme)]
            if evaluated:
                lot_stats.insert(1, ("validBids", len(valid)))
                if s["method"] in ("ITB", "QUOTE"):
                    lot_stats.append(("lowestValidBidValue", min(a for _, a in valid)))
            for measure, v in lot_stats:
                st = {"id": f"{prefix}{measure}", "measure": measure, "value": v}
                if measure.endswith("Value"):
                    st["currency"] = CURRENCY
                if lot:
                    st["relatedLot"] = lot
                stats.append(st)
        self.bids = {"statistics": stats}
        if details:
            self.bids["details"] = details

    def bid_ids_for(self, supplier: str, lot) -> list[str]:
        if not self.bids or "details" not in self.bids:
            return []
        return [b["id"] for b in self.bids["details"]
                if b["tenderers"][0]["id"] == supplier and (lot is None or b.get("relatedLots") == [lot])]

    def opening(self, evaluated: bool = False) -> None:
        """Bid opening: who bid (tenderUpdate), released the afternoon of the deadline."""
        tenderers = self.choose_tenderers()
        self.make_bids(tenderers, evaluated)
        when = iso(self.end, 16)
        if self.s["method"] in ("ITB", "QUOTE"):
            self.state["documents"].append(self.doc("bid-tabulation", "bidders", "Bid tabulation", when,
                                                    "Bids as read aloud at the bid opening, before evaluation."))
        self.emit("tenderUpdate", when)

    def evaluate_bids(self) -> None:
        """Mark bids valid/disqualified and add valid-bid statistics (done when the award is made)."""
        self.make_bids([x["id"] for x in self.state.get("tenderers", [])], True)

    # -- awards and contracts --
    def award_records(self, award_day: date) -> list[dict]:
        s = self.s
        awards = []
        when = iso(award_day, 10)
        lots = s.get("lots")
        if s.get("firms"):  # one award naming every firm on the agreement; its value is the ceiling
            names = [ORGS[k]["name"].rstrip(".") for k in s["firms"]]
            return [{"id": f"{self.tender_id}-A1", "title": f"{s['title']}: approved firms",
                     "description": f"Framework agreement with {len(names)} firms: {', '.join(names[:-1])} and "
                                    f"{names[-1]}. The value is the ceiling shared by all task orders, not an "
                                    "amount to be paid.",
                     "status": "active", "date": when, "value": value(self.est()),
                     "suppliers": [ref(k) for k in s["firms"]],
                     "documents": [self.doc("award-1", "awardNotice", "Notice of award", when)]}]
        pairs = [(lot[0], lot[1], s["lot_winners"][lot[0]]) for lot in lots] if lots else [(None, s["title"],
                                                                                             s["winner"])]
        for n, (lot, title, supplier) in enumerate(pairs, 1):
            amount = self.bid_values.get((lot, supplier))
            if amount is None and s.get("fast"):  # ordered at the quoted or contract rates
                amount = money(self.est())
            if amount is None:
                amount = money(self.est() * self.rng.uniform(0.9, 1.0))
            pending = lot in s.get("pending_lots", [])
            a = {"id": f"{self.tender_id}-A{n}", "title": title if not lot else f"{s['title']}: {title}",
                 "description": ("Recommended for award; pending City Council approval on "
                                 f"{human(fwd(award_day + timedelta(days=14)))}.") if pending else
                                f"Award to {ORGS[supplier]['name'].rstrip('.')}." +
                                (f" {s['award_note']}" if s.get("award_note") else ""),
                 "status": "pending" if pending else "active", "date": when, "value": value(amount),
                 "suppliers": [ref(supplier)]}
            if lot:
                a["relatedLots"] = [lot]
            bid_ids = self.bid_ids_for(supplier, lot)
            if bid_ids:
                a["relatedBids"] = bid_ids
            a["documents"] = [self.doc(f"award-{n}", "awardNotice", "Notice of award" if not pending else
                                       "Recommendation of award", when)]
            awards.append(a)
        return awards

    def do_award(self, award_day: date) -> str:
        s = self.s
        self.evaluate_bids()
        if s.get("reaward"):
            first_sup, reason = s["reaward"]
            first_day = back(award_day - timedelta(days=self.r(18, 25)))
            self.state["status"] = "complete"
            first = {"id": f"{self.tender_id}-A0", "title": s["title"],
                     "description": f"Award to {ORGS[first_sup]['name'].rstrip('.')}.", "status": "active",
                     "date": iso(first_day, 10), "value": value(self.bid_values[(None, first_sup)]),
                     "suppliers": [ref(first_sup)], "relatedBids": self.bid_ids_for(first_sup, None)}
            self.awards = [first]
            self.emit("award", iso(first_day, 10))
            first["status"] = "cancelled"
            first["description"] = f"Award cancelled. {reason}"
            if not first["relatedBids"]:
                del first["relatedBids"]
        self.state["status"] = "complete"
        for lot in self.state.get("lots", []):
            lot["status"] = "active" if lot["id"] in s.get("pending_lots", []) else "complete"
        self.awards = self.awards + self.award_records(award_day)
        return self.emit("awardUpdate" if s.get("reaward") else "award", iso(award_day, 10))

    def do_contracts(self, signed: date, cstart: date) -> str:
        s = self.s
        months = s["months"]
        n = 0
        for a in self.awards:
            if a["status"] != "active":
                continue
            n += 1
            sups = [x["id"] for x in a["suppliers"]]
            sup = sups[0]
            cid = f"C-{signed.year % 100:02d}-{self.dept}-{self.seq:03d}{'' if len(self.awards) == 1 else '-' + str(n)}"
            who = ORGS[sup]["name"].rstrip(".")
            if len(sups) > 1:
                who = ", ".join(ORGS[k]["name"].rstrip(".") for k in sups[:-1]) + " and " + \
                    ORGS[sups[-1]]["name"].rstrip(".")
            c = {"id": cid, "awardID": a["id"], "title": a["title"],
                 "description": s.get("contract_note", f"Contract between the City of Alderport and {who}."),
                 "status": "active",
                 "period": {"startDate": iso(cstart, 0),
                            "endDate": iso(add_months(cstart, months) - timedelta(days=1), 23, 59)},
                 "value": copy.deepcopy(a["value"]), "dateSigned": iso(signed, 11)}
            if s.get("unsigned"):  # the contract is published without its signature date
                del c["dateSigned"]
            if a.get("relatedBids"):
                c["relatedBids"] = list(a["relatedBids"])
            c["documents"] = [{"id": f"{cid}-signed", "documentType": "contractSigned",
                               "title": "Executed contract", "url": f"{WEB}/procurement/contracts/{cid.lower()}.pdf",
                               "datePublished": iso(signed, 16), "format": "application/pdf", "language": "en"}]
            if s["mpc"] == "works" or self.est() >= 1_000_000:
                c["signatories"] = [ref(self.buyer_id)] + [ref(k) for k in sups]
            if s.get("rates"):  # a standby or unit-price contract: capacity and rates
                c["items"] = copy.deepcopy(self.state["items"])
                for item, rate in zip(c["items"], s["rates"], strict=True):
                    item["unit"]["value"] = value(rate)
            if s.get("renew"):
                most, each, text = s["renew"]
                end = parse(c["period"]["endDate"]).date()
                last = add_months(end + timedelta(days=1), each * most) - timedelta(days=1)
                c["period"]["maxExtentDate"] = iso(last, 23, 59)
                c["hasRenewal"] = True
                c["renewal"] = {"description": text, "maximumRenewals": most,
                                "period": {"startDate": iso(end + timedelta(days=1), 0), "endDate": iso(last, 23, 59)}}
            for suffix, doc_type, title in s.get("contract_docs", []):
                c["documents"].append({"id": f"{cid}-{suffix}", "documentType": doc_type, "title": title,
                                       "url": f"{WEB}/procurement/contracts/{cid.lower()}-{suffix}.pdf",
                                       "datePublished": iso(signed, 16), "format": "application/pdf",
                                       "language": "en"})
            self.contracts.append(c)
        return self.emit("contract", iso(signed, 16))

    def amendment_release(self, d: date, pct: float, extend: int, rationale: str, description: str,
                          prev_id: str) -> str:
        c = self.contracts[0]
        nrel = len(self.releases) + 1
        rid = f"{self.ocid}-{nrel:02d}-contractAmendment"
        old = c["value"]["amount"]
        new = money(old * (1 + pct))
        c["value"]["amount"] = new
        if extend:
            end = parse(c["period"]["endDate"]).date()
            c["period"]["endDate"] = iso(add_months(end, extend), 23, 59)
        n = len(c.get("amendments", [])) + 1
        c.setdefault("amendments", []).append({
            "id": f"{c['id']}-AM{n}", "date": iso(d, 11), "rationale": rationale,
            "description": f"{description} Contract value changes from ${old:,.2f} to ${new:,.2f}.",
            "amendsReleaseID": prev_id, "releaseID": rid})
        c["documents"].append({"id": f"{c['id']}-amendment-{n}", "documentType": "contractSigned",
                               "title": f"Contract amendment {n}",
                               "url": f"{WEB}/procurement/contracts/{c['id'].lower()}-amendment-{n}.pdf",
                               "datePublished": iso(d, 11), "format": "application/pdf", "language": "en"})
        return self.emit("contractAmendment", iso(d, 11))

    def renew(self, n: int, prev_id: str) -> str:
        """The City exercises renewal n: a contract amendment about six weeks before the term ends."""
        most, each, _text = self.s["renew"]
        c = self.contracts[0]
        end = parse(c["period"]["endDate"]).date()
        d = back(end - timedelta(days=42))
        assert d < TODAY - timedelta(days=3), (self.key, n)
        yearly = self.s["value"] * each / self.s["months"]
        left = most - n
        return self.amendment_release(
            d, yearly / c["value"]["amount"], each, f"Renewal {n} of {most} exercised.",
            f"The City renews the contract for {each} months at the same rates; "
            f"{'no renewals remain' if not left else f'{left} renewal' + ('s remain' if left > 1 else ' remains')}.",
            prev_id)

    def payments(self, c: dict, upto: date, share: float, final: bool = False) -> None:
        payee = self.supplier_of(c)
        start = parse(c["period"]["startDate"]).date()
        total = c["value"]["amount"] * share
        dates = []
        d = start + timedelta(days=30)
        while d < upto:
            dates.append(back(d))
            d += timedelta(days=30 if parse(c["period"]["endDate"]).date() - start < timedelta(days=400) else 61)
        if not dates:
            dates = [back(upto - timedelta(days=1))]
        dates = dates[-8:]
        weights = [self.rng.uniform(0.6, 1.4) for _ in dates]
        amounts = [round(total * w / sum(weights), 2) for w in weights]
        if final:
            amounts[-1] = round(c["value"]["amount"] - sum(amounts[:-1]), 2)
        tx = []
        for i, (d, amt) in enumerate(zip(dates, amounts, strict=False), 1):
            tid = f"{c['id']}-P{i:02d}"
            tx.append({"id": tid, "source": f"{WEB}/finance/open-checkbook", "date": iso(d, 12),
                       "value": {"amount": int(amt) if amt == int(amt) else amt, "currency": CURRENCY},
                       "payer": ref(self.buyer_id), "payee": ref(payee),
                       "uri": f"{WEB}/finance/open-checkbook/payments/{tid.lower()}"})
        c.setdefault("implementation", {})["transactions"] = tx

    def supplier_of(self, c: dict) -> str:
        return next(a for a in self.awards if a["id"] == c["awardID"])["suppliers"][0]["id"]

    def implementation_release(self, d: date, final: bool = False) -> str:
        for c in self.contracts:
            share = 1.0 if final else self.rng.uniform(0.3, 0.65)
            self.payments(c, d, share, final)
        tag = "contractTermination" if final else "implementation"
        return self.emit(tag, iso(d, 12))

    # -- stages --
    def stage_forecast(self) -> None:
        s = self.s
        t = self.base_tender("planned")
        when = iso(self.first, 10)
        t["documents"] = [self.doc("forecast", "plannedProcurementNotice", f"Procurement forecast: {s['title']}",
                                   when, "Advance notice so that firms can plan; the solicitation itself will "
                                         "be posted on the eBid portal.")]
        del t["hasEnquiries"]
        self.planning = {"rationale": f"Funded in the {s['budget']}. The solicitation is expected to open in "
                                      f"{self.start.strftime('%B')} {self.start.year}.",
                         "budget": {"id": f"BUD-{self.tender_id}", "description": s["budget"],
                                    "amount": value(round(self.est() * 1.1, -3))}}
        self.state = t
        self.emit("planning", when)

    def stage_open(self) -> None:
        first = self.open_tender()
        self.addendum(first)

    def stage_evaluation(self) -> None:
        first = self.open_tender()
        self.addendum(first)
        self.opening()

    def stage_awarded(self) -> None:
        first = self.open_tender()
        self.addendum(first)
        if not self.direct:
            self.opening()
        award_day = back(self.end + timedelta(days=self.r(18, 30)))
        award_day = min(award_day, back(days(-2)))
        self.do_award(award_day)

    def stage_contracted(self) -> None:
        s = self.s
        first = self.open_tender()
        self.addendum(first)
        if not self.direct:
            self.opening()
        else:
            self.make_bids(self.choose_tenderers(), True)
        award_day = back(self.end + timedelta(days=self.r(18, 35) if not s.get("reaward") else 45))
        if s.get("fast"):
            award_day = self.end
        for suffix, doc_type, title in s.get("file_docs", []):  # the procurement file, published with the award
            self.state["documents"].append(self.doc(suffix, doc_type, title, iso(award_day, 10)))
        self.do_award(award_day)
        if "sign" in s:  # a set delay from award to signature (at least that many days)
            signed = fwd(award_day + timedelta(days=s["sign"]))
        else:
            signed = back(award_day + timedelta(days=self.r(10, 21)))
        cstart = fwd(signed + timedelta(days=self.r(3, 12)))
        if s.get("fast"):
            signed = cstart = award_day
        last = self.do_contracts(signed, cstart)
        for n in range(1, s.get("renewed", 0) + 1):
            last = self.renew(n, last)
        cend = parse(self.contracts[0]["period"]["endDate"]).date()
        horizon = min(TODAY - timedelta(days=3), cend)
        for i, (pct, extend, rationale, description) in enumerate(s.get("amend", []), 1):
            frac = i / (len(s["amend"]) + 1.5)
            d = back(cstart + timedelta(days=int((horizon - cstart).days * frac)))
            last = self.amendment_release(d, pct, extend, rationale, description, last)
        term = s.get("term")
        if term == "completed":
            cend = parse(self.contracts[0]["period"]["endDate"]).date()
            assert cend < TODAY - timedelta(days=20), self.key
            for c in self.contracts:
                c["status"] = "terminated"
                c.setdefault("implementation", {})["documents"] = [{
                    "id": f"{c['id']}-completion", "documentType": "completionCertificate",
                    "title": "Final acceptance and completion", "url": f"{WEB}/procurement/contracts/"
                    f"{c['id'].lower()}-completion.pdf", "datePublished": iso(back(cend + timedelta(days=14)), 10),
                    "format": "application/pdf", "language": "en"}]
            self.implementation_release(back(cend + timedelta(days=14)), final=True)
        elif term == "early":
            d = back(cstart + timedelta(days=int((TODAY - cstart).days * 0.7)))
            c = self.contracts[0]
            c["status"] = "terminated"
            c["period"]["endDate"] = iso(d, 23, 59)
            self.payments(c, d, 0.55)
            paid = round(sum(tx["value"]["amount"] for tx in c["implementation"]["transactions"]), 2)
            old = c["value"]["amount"]
            c["value"] = value(paid)
            nrel = len(self.releases) + 1
            c["amendments"] = [{"id": f"{c['id']}-AM1", "date": iso(d, 11),
                                "rationale": "Terminated by mutual agreement: the supplier stopped carrying "
                                             "high-intensity sign sheeting and could not fill orders.",
                                "description": f"The contract ends on {human(d)}. The contract value is reduced "
                                               f"from ${old:,.2f} to the ${paid:,.2f} already invoiced; the "
                                               "remaining need will be re-solicited.",
                                "amendsReleaseID": last, "releaseID": f"{self.ocid}-{nrel:02d}-contractTermination"}]
            self.emit("contractTermination", iso(d, 15))
        elif s.get("impl"):
            d = back(TODAY - timedelta(days=self.r(3, 12)))
            self.implementation_release(d)

    def stage_cancelled(self) -> None:
        s = self.s
        self.open_tender()
        d = back(min(self.end, TODAY) - timedelta(days=self.r(2, 6)))
        if d <= self.start + timedelta(days=3):
            d = fwd(self.start + timedelta(days=4))
        t = self.state
        t["status"] = "cancelled"
        t["documents"].append(self.doc("cancellation", "cancellationDetails", "Notice of cancellation",
                                       iso(d, 14), s["reason"]))
        self.emit("tenderCancellation", iso(d, 14))

    def stage_unsuccessful(self) -> None:
        s = self.s
        self.open_tender()
        self.opening()
        d = back(self.end + timedelta(days=self.r(7, 14)))
        self.evaluate_bids()
        t = self.state
        t["status"] = "unsuccessful"
        if t.get("numberOfTenderers"):
            t["documents"].append(self.doc("rejection", "evaluationReports", "Recommendation to reject all bids",
                                           iso(d, 14), s["reason"]))
        else:
            t["documents"].append(self.doc("no-bids", "cancellationDetails", "Notice: no bids received",
                                           iso(d, 14), s["reason"]))
        self.emit("tenderUpdate", iso(d, 14))


ROLE_ORDER = ["buyer", "procuringEntity", "payer", "funder", "tenderer", "supplier", "payee"]


def parties_for(rel: dict, funders: list[str]) -> list[dict]:
    roles: dict[str, list[str]] = {}

    def add(r: dict | None, role: str) -> None:
        if r:
            roles.setdefault(r["id"], [])
            if role not in roles[r["id"]]:
                roles[r["id"]].append(role)

    add(rel["buyer"], "buyer")
    t = rel.get("tender", {})
    add(t.get("procuringEntity"), "procuringEntity")
    for r in t.get("tenderers", []):
        add(r, "tenderer")
    for b in rel.get("bids", {}).get("details", []):
        for r in b["tenderers"]:
            add(r, "tenderer")
    for a in rel.get("awards", []):
        for r in a["suppliers"]:
            add(r, "supplier")
    for c in rel.get("contracts", []):
        for tx in c.get("implementation", {}).get("transactions", []):
            add(tx.get("payer"), "payer")
            add(tx.get("payee"), "payee")
    for pid in funders:
        add(ref(pid), "funder")
    parties = []
    for pid, rs in roles.items():
        party = copy.deepcopy(ORGS[pid])
        party["roles"] = sorted(rs, key=ROLE_ORDER.index)
        # keep a readable key order: name, id, roles, then the rest
        ordered = {"name": party.pop("name"), "id": party.pop("id"), "roles": party.pop("roles")}
        ordered.update(party)
        parties.append(ordered)
    return parties


# --- assembling everything ---------------------------------------------------------------------------

# Every process's ocid and Process by catalog key, for the relations between processes.
OCIDS: dict[str, str] = {}
PROCS: dict[str, Process] = {}


def build_all() -> list[tuple[Process, list[dict]]]:
    procs = [Process(spec) for spec in CATALOG]
    keys = [p.key for p in procs]
    assert len(keys) == len(set(keys)), "duplicate catalog keys"
    # number processes per department and year, in order of first release
    counters: dict[tuple[str, int], int] = {}
    numbering_rng = random.Random(f"{SEED}:numbering")
    for p in sorted(procs[:len(CATALOG) - len(LINKED) - len(PERFORMANCE)], key=lambda p: (p.first, p.key)):
        k = (p.dept, p.first.year)
        if k not in counters:
            counters[k] = numbering_rng.randint(2, 9)
        else:
            counters[k] += numbering_rng.randint(1, 4)
        p.seq = counters[k]
    # the processes added later take the next free number after those opened before them, one batch
    # after the other, so the earlier processes keep the ocids people already cite
    first_added = len(CATALOG) - len(LINKED) - len(PERFORMANCE)
    taken = {(p.dept, p.first.year, p.seq) for p in procs[:first_added]}
    earlier = sorted(procs[:first_added], key=lambda p: (p.first, p.key))
    for batch in (procs[first_added:first_added + len(LINKED)], procs[first_added + len(LINKED):]):
        for p in sorted(batch, key=lambda p: (p.first, p.key)):
            seq = max([q.seq for q in earlier
                       if (q.dept, q.first.year) == (p.dept, p.first.year) and q.first <= p.first],
                      default=numbering_rng.randint(2, 9) - 1) + 1
            while (p.dept, p.first.year, seq) in taken:
                seq += 1
            p.seq = seq
            taken.add((p.dept, p.first.year, seq))
            earlier.append(p)
    for p in procs:
        OCIDS[p.key] = f"{PREFIX}-{p.first.year}-{p.dept}-{p.seq:04d}"
        PROCS[p.key] = p
    out = []
    for p in procs:
        yy = p.first.year
        tender_id = f"{p.m['prefix']}-{yy % 100:02d}-{p.dept}-{p.seq:03d}"
        out.append((p, p.build(OCIDS[p.key], tender_id)))
    check_relations(out)
    return out


def check_relations(built: list[tuple[Process, list[dict]]]) -> None:
    """Call-offs are dated inside their agreement's contract period; a standby contract that must be
    flagged expires before the next storm season with no renewals left."""
    final = {rels[0]["ocid"]: rels[-1] for _, rels in built}
    for p, rels in built:
        for rp in rels[-1].get("relatedProcesses", []):
            if rp["scheme"] != "ocid" or rp["relationship"] != ["framework"]:
                continue
            agreement = final[rp["identifier"]]["contracts"][0]["period"]
            signed = parse(rels[-1]["contracts"][0]["dateSigned"])
            assert parse(agreement["startDate"]) <= signed <= parse(agreement["endDate"]), p.key
        if p.s.get("expires_before"):
            c = rels[-1]["contracts"][0]
            assert c["period"]["endDate"] == c["period"]["maxExtentDate"], p.key
            assert parse(c["period"]["endDate"]).date() < p.s["expires_before"], p.key


def dump_json(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def package_meta(rel_path: str, releases: list[dict]) -> dict:
    published = max((r["date"] for r in releases), key=parse)
    return {"uri": f"{SITE['base_url']}data/{rel_path}", "version": "1.1", "publishedDate": published,
            "publisher": {"name": in_english(SITE["publisher"]["name"]), "uri": SITE["publisher"]["uri"]},
            "license": SITE["license"], "publicationPolicy": SITE["publication_policy"],
            "extensions": list(SITE["extensions"])}


YAML_HEADER = """\
# {title}
# Entered by hand by {dept} staff ({contact}).
# One OCDS release per file. Dates are Central Time; amounts are US dollars.
"""


def dump_yaml(rel: dict, proc: Process) -> str:
    body = yaml.safe_dump(rel, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    lines = []
    for line in body.splitlines():
        if line == "parties:":
            lines.append("# Everyone named below, with their roles in this process.")
        elif line == "tender:":
            lines.append("# The solicitation as planned or posted; check the eBid portal for the documents.")
        elif line == "planning:":
            lines.append("# Budget line from the adopted budget (estimate, not a commitment).")
        lines.append(line)
    d = DEPARTMENTS[proc.dept]
    header = YAML_HEADER.format(title=rel["tender"]["title"], dept=d[2], contact=d[3].split(",")[0])
    return header + "\n".join(lines) + "\n"


def spreadsheet_releases() -> list[dict]:
    """The releases the demo keeps in spreadsheets, as JSON: what the round-trip test compares with."""
    return sorted((r for proc, releases in build_all() if proc.dept in SPREADSHEET_DEPTS and not proc.s.get("yaml")
                   for r in releases), key=lambda r: (r["ocid"], parse(r["date"])))


def workbook(releases: list[dict]) -> bytes:
    """The department's workbook: `portal new spreadsheet`'s template holding its releases."""
    settings = pipeline.settings_for(ROOT)
    kit, _ = folder.read_kit(settings, ROOT)
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=ZoneInfo(settings.timezone))
    return spreadsheet.workbook(kit.release_schema, settings, now, releases)


def write_all() -> dict:
    built = build_all()
    if OUT.exists():
        for path in sorted(OUT.rglob("*"), reverse=True):
            if path.is_file() and path.suffix in GENERATED_SUFFIXES:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    OUT.mkdir(exist_ok=True)
    files: dict[str, str] = {}
    packages: dict[str, list[dict]] = {}
    records: dict[str, list[tuple[str, list[dict]]]] = {}
    jsonl: dict[str, list[dict]] = {}
    sheets: dict[str, list[dict]] = {}
    for proc, releases in built:
        folder = DEPARTMENTS[proc.dept][0]
        if proc.s.get("yaml"):
            assert len(releases) == 1, proc.key
            name = f"{folder}/{releases[0]['ocid'].removeprefix(PREFIX + '-')}.yaml"
            files[name] = dump_yaml(releases[0], proc)
        elif proc.dept in RECORD_PACKAGE_DEPTS:
            records.setdefault(f"{folder}/records.json", []).append((releases[0]["ocid"], releases))
        elif proc.dept in JSONL_DEPTS:
            jsonl.setdefault(f"{folder}/releases.jsonl", []).extend(releases)
        elif proc.dept in SPREADSHEET_DEPTS:
            sheets.setdefault(f"{folder}/{SPREADSHEET}", []).extend(releases)
        else:
            year = releases[0]["ocid"].split("-")[2]
            packages.setdefault(f"{folder}/{year}.json", []).extend(releases)
    for name, releases in packages.items():
        releases.sort(key=lambda r: (r["ocid"], parse(r["date"])))
        files[name] = dump_json({**package_meta(name, releases), "releases": releases})
    for name, recs in records.items():
        recs.sort()
        all_releases = [r for _, rels in recs for r in rels]
        files[name] = dump_json({**package_meta(name, all_releases),
                                 "records": [{"ocid": ocid, "releases": rels} for ocid, rels in recs]})
    for name, releases in jsonl.items():
        releases.sort(key=lambda r: (parse(r["date"]), r["ocid"]))
        files[name] = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in releases)
    for name, releases in sheets.items():
        releases.sort(key=lambda r: (r["ocid"], parse(r["date"])))
        files[name] = workbook(releases)
    for name in sorted(files):
        path = OUT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(files[name], bytes):
            path.write_bytes(files[name])
        else:
            path.write_text(files[name], encoding="utf-8", newline="\n")
    return {"processes": len(built), "releases": sum(len(r) for _, r in built), "files": len(files)}


if __name__ == "__main__":
    summary = write_all()
    print(f"Wrote {summary['files']} files with {summary['releases']} releases for "
          f"{summary['processes']} contracting processes to {OUT.relative_to(ROOT)}/")
