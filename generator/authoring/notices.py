"""Notices staff fill in: `portal new opportunity|addendum|award|contract` as commented YAML releases.

Pure: templates, settings, the data's releases and "now" come in; the file's path and text go
out (`cli` reads and writes). A template holds blanks, the value `FILL IN`, for what only the
buyer knows; the checks report any blank left (validate.py), so an unfinished notice never goes
live. Optional parts are commented out with a `#` at the start of each line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jinja2
import yaml
from babel import Locale

from generator.checking.fields import BLANK
from generator.errors import PortalError, json_pointer
from generator.inputs.parsing import SourceRelease
from generator.inputs.settings import Settings
from generator.inputs.yaml_text import compose_yaml
from generator.publish import formats
from generator.site.parties import contact_of
from generator.values import dicts, money, parse_datetime, text

KINDS = ("opportunity", "addendum", "award", "contract")
DATA_DIR = "ocds_data"
MAX_LISTED = 40  # departments or bidders listed in a template's notes


@dataclass(frozen=True)
class Notice:
    kind: str
    ocid: str
    path: str  # relative to the portal's folder
    text: str

    @property
    def blanks(self) -> list[Blank]:
        return blanks(self.text)


@dataclass(frozen=True)
class Blank:
    pointer: str  # where the value goes, e.g. /tender/title
    line: int  # 1-based
    start: int  # the blank's 0-based columns on its line (quotes included)
    end: int


@dataclass(frozen=True)
class Survey:
    """What the data already holds that a new notice needs: each process's releases, and the
    departments (buyer parties) with their latest details."""

    processes: dict[str, list[SourceRelease]]
    departments: dict[str, dict]


def survey(releases) -> Survey:
    processes: dict[str, list[SourceRelease]] = {}
    departments: dict[str, tuple[str, dict]] = {}
    for release in releases:
        data = release.data
        ocid = data.get("ocid") if isinstance(data, dict) else None
        if not isinstance(ocid, str) or not ocid:
            continue
        processes.setdefault(ocid, []).append(release)
        date = str(data.get("date") or "")
        for party in dicts(data.get("parties")):
            key = text(party.get("id"))
            if key and "buyer" in (party.get("roles") or []) and date >= departments.get(key, ("", {}))[0]:
                departments[key] = (date, party)
    return Survey(processes, {key: party for key, (_, party) in sorted(departments.items())})


def quote(value) -> str:
    """A YAML scalar: text in double quotes (JSON's escapes are YAML's), numbers and booleans bare."""
    return json.dumps(value, ensure_ascii=False)


def _comment(value) -> str:
    """Untrusted text on one comment line."""
    return " ".join(str(value).split())


def environment(templates: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = quote
    env.filters["comment"] = _comment
    return env


def _file_part(value: str) -> str:
    """A safe file-name part from an ocid or id (which may hold /, .., spaces or any letter)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-") or "process"


def unused_name(base: str, taken) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def next_ocid(prefix: str, year: int, taken) -> str:
    """The next free `<prefix>-<year>-NNNN`."""
    pattern = re.compile(re.escape(f"{prefix}-{year}-") + r"(\d+)$")
    numbers = [int(m.group(1)) for m in map(pattern.match, taken) if m]
    return unused_name(f"{prefix}-{year}-{max(numbers, default=0) + 1:04d}", taken)


def _local(ocid: str, prefix: str) -> str:
    return _file_part(ocid[len(prefix) + 1:] if ocid.startswith(prefix + "-") else ocid)


def _at(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)


def example_dates(now: dt.datetime, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """A deadline four weeks ahead at 2 PM and questions due ten days before it: shown in a
    template's notes, and given to the example opportunity."""
    deadline = _at(now.date() + dt.timedelta(days=28), 14, tz)
    return deadline, deadline - dt.timedelta(days=10)


def _offset(moment: dt.datetime) -> str:
    return moment.isoformat()[-6:]


def _base_context(settings: Settings, now: dt.datetime) -> dict:
    deadline, questions = example_dates(now, ZoneInfo(settings.timezone))
    return {"city_name": settings.city_name, "timezone": settings.timezone, "currency": settings.currency,
            "date": now.isoformat(), "offset": _offset(deadline), "deadline_example": deadline.isoformat(),
            "questions_example": questions.isoformat()}


def _fields(schema: dict, definition: str, *path: str) -> set[str]:
    """The fields the release schema (with the declared extensions) gives an object, e.g. a
    Tender's, or an Organization's `details` (partyScale and organizationClassification add to it)."""
    node = (schema.get("definitions") or {}).get(definition) or {}
    for key in path:
        node = node.get("properties", {}).get(key) or {}
    return set(node.get("properties", {}))


def new_notice(kind: str, templates: dict[str, str], settings: Settings, release_schema: dict, now: dt.datetime,
               data: Survey, compiled: dict | None = None, ocid: str | None = None, buyer: str | None = None) -> Notice:
    """The notice's file: `compiled` is the process's compiled release (for an addendum or an award)."""
    context = _base_context(settings, now)
    prefix = settings.ocid_prefix
    if kind == "opportunity":
        if not ocid and not prefix:
            raise PortalError("content/site.yml sets no ocid_prefix, so a new process can't be given an ocid.",
                              hint="Pass the new process's ocid with --ocid, or set the city's registered "
                                   "ocid_prefix in content/site.yml.")
        ocid = ocid or next_ocid(prefix, now.year, data.processes)
        if ocid in data.processes:
            raise PortalError(f"The data already holds a process with ocid {ocid}.",
                              hint="An opportunity starts a new process: leave out --ocid to get a new one, or "
                                   "use `portal new addendum` to change that one.")
        if buyer is not None and buyer not in data.departments:
            raise PortalError(f"No department with the id {buyer!r} is in the data.",
                              hint="Use one of: " + (", ".join(list(data.departments)[:MAX_LISTED]) or "(none yet)")
                                   + "; or leave out --buyer and fill in the department.")
        release_id = f"{ocid}-tender"
        folder = f"{DATA_DIR}/{now.year}"
        context |= {"buyer": _department(data.departments[buyer]) if buyer else None,
                    "departments": [(key, text(p.get("name"))) for key, p in data.departments.items()][:MAX_LISTED],
                    "sme_extension": "suitability" in _fields(release_schema, "Tender"),
                    "lots_extension": "lots" in _fields(release_schema, "Tender")}
    else:
        if not ocid or compiled is None:
            raise PortalError(f"`portal new {kind}` needs the ocid of the process it belongs to.",
                              hint="Give it with --ocid (`portal check` lists none; each opportunity's page shows "
                                   "its ocid).")
        sources = data.processes[ocid]
        taken = {text(s.data.get("id")) for s in sources}
        tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
        title = text(tender.get("title")) or ocid
        tender_id = text(tender.get("id")) or _local(ocid, prefix)
        folder = sources[0].file.rsplit("/", 1)[0] if "/" in sources[0].file else DATA_DIR
        context |= {"title": title, "tender_id": tender_id}
        if kind == "addendum":
            number = 1 + max(len(dicts(tender.get("amendments"))),
                             sum("tenderAmendment" in (s.data.get("tag") or []) for s in sources))
            release_id = unused_name(f"{ocid}-addendum-{number}", taken)
            documents = {text(d.get("id")) for d in dicts(tender.get("documents"))}
            context |= {"number": number, "document_id": unused_name(f"{tender_id}-addendum-{number}", documents),
                        "changes": _changes(tender, settings)}
        elif kind == "award":
            release_id = unused_name(f"{ocid}-award", taken)
            awards = {text(a.get("id")) for a in dicts(compiled.get("awards"))}
            value = tender.get("value") if isinstance(tender.get("value"), dict) else {}
            parties = {text(p.get("id")): text(p.get("name")) for p in dicts(compiled.get("parties"))}
            tenderers = [(text(t.get("id")), text(t.get("name")) or parties.get(text(t.get("id")), ""))
                         for t in dicts(tender.get("tenderers")) if text(t.get("id"))]
            details = _fields(release_schema, "Organization", "details")
            context |= {"award_id": unused_name(f"{tender_id}-award-1", awards),
                        "currency": text(value.get("currency")) or settings.currency,
                        "tenderers": tenderers[:MAX_LISTED],
                        "scale_extension": "scale" in details,
                        "classification_extension": "classifications" in details,
                        "certification_schemes": list(settings.certification_schemes)}
        elif kind == "contract":
            release_id = unused_name(f"{ocid}-contract", taken)
            context |= _contract_context(ocid, compiled, settings)
        else:
            raise PortalError(f"There is no notice of kind {kind!r}.", hint="Use one of: " + ", ".join(KINDS))
    context |= {"ocid": ocid, "release_id": release_id}
    rendered = environment(templates).get_template(f"{kind}.yaml").render(context)
    # The file is named after the release: <ocid without the prefix>-tender|addendum-N|award.yaml
    name = f"{_local(ocid, prefix)}-{_file_part(release_id[len(ocid) + 1:])}"
    return Notice(kind, ocid, f"{folder}/{name}.yaml", rendered)


def _contract_context(ocid: str, compiled: dict, settings: Settings) -> dict:
    """The awards a contract may carry out: those without a contract yet (all, when each has one);
    with one, the contract takes its id, title and value."""
    awards = [a for a in dicts(compiled.get("awards")) if text(a.get("id")) and text(a.get("status")) != "cancelled"]
    if not awards:
        raise PortalError(f"The process {ocid} has no award yet, and a contract carries out an award.",
                          hint=f"Publish the award first: `portal new award --ocid {ocid}`.")
    contracted = {text(c.get("awardID")) for c in dicts(compiled.get("contracts"))}
    awards = [a for a in awards if text(a.get("id")) not in contracted] or awards
    locale = Locale.parse(settings.languages[0].replace("-", "_"))
    listed = []
    for award in awards[:MAX_LISTED]:
        value = money(award.get("value"))
        listed.append({"id": text(award.get("id")), "title": text(award.get("title")),
                       "suppliers": ", ".join(text(s.get("name")) or text(s.get("id"))
                                              for s in dicts(award.get("suppliers"))) or "no supplier named",
                       "amount": formats.money_text(value, locale) if value else "no amount published",
                       "value": {"amount": format(value.amount, "f"), "currency": value.currency} if value else None})
    one = listed[0] if len(awards) == 1 else None
    ids = {text(c.get("id")) for c in dicts(compiled.get("contracts"))}
    base = f"{one['id']}-contract" if one else f"{ocid}-contract-{len(ids) + 1}"
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    return {"awards": listed, "award": one, "contract_id": unused_name(base, ids),
            "title": (one and one["title"]) or text(tender.get("title")) or ocid}


def _department(party: dict) -> dict:
    address = party.get("address") if isinstance(party.get("address"), dict) else {}
    return {"id": text(party.get("id")), "name": text(party.get("name")),
            "address": {k: text(v) for k, v in address.items() if text(v)}, "contact": contact_of(party)}


def _changes(tender: dict, settings: Settings) -> list[dict]:
    """What an addendum usually changes, each with its value now and the lines to uncomment."""
    tz = ZoneInfo(settings.timezone)
    locale = Locale.parse(settings.languages[0].replace("-", "_"))
    changes = []
    for label, field in (("the deadline for bids", "tenderPeriod"), ("the last day for questions", "enquiryPeriod")):
        period = tender.get(field) if isinstance(tender.get(field), dict) else {}
        current = text(period.get("endDate"))
        moment = parse_datetime(current, tz)
        changes.append({"label": label, "now": formats.datetime_text(moment, locale) if moment else "not published",
                        "lines": [f"{field}:", f"  endDate: {quote(current or BLANK)}"]})
    now = money(tender.get("value"))
    changes.append({"label": "the estimated value", "now": formats.money_text(now, locale) if now else "not published",
                    "lines": ["value:", f"  amount: {now.amount if now else BLANK}",
                              f"  currency: {quote(now.currency if now else settings.currency)}"]})
    return changes


# --- blanks -----------------------------------------------------------------------------

def blanks(yaml_text: str) -> list[Blank]:
    """Every value still `FILL IN`, with its JSON pointer and place in the text."""
    found: list[Blank] = []

    def visit(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                visit(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                visit(item, (*path, index))
        elif isinstance(node, yaml.ScalarNode) and node.value == BLANK:
            if node.start_mark.line == node.end_mark.line:
                found.append(Blank(json_pointer(path), node.start_mark.line + 1, node.start_mark.column,
                                   node.end_mark.column))

    visit(compose_yaml(yaml_text), ())
    return found


def fill(yaml_text: str, answers: dict[str, object]) -> str:
    """The text with the blanks at the given pointers replaced by values; comments and layout
    stay as they were. Blanks without an answer are left."""
    lines = yaml_text.split("\n")
    for blank in sorted(blanks(yaml_text), key=lambda b: (b.line, -b.start)):
        if blank.pointer in answers:
            line = lines[blank.line - 1]
            lines[blank.line - 1] = line[:blank.start] + quote(answers[blank.pointer]) + line[blank.end:]
    return "\n".join(lines)


# A commented-out line of YAML in a template: "#" then the line's own indentation (in steps of
# two) and a key or list item. Notes are "# " and words, so they never match.
COMMENTED_YAML = re.compile(r"^(\s*)#((?:  )*(?:- )?[A-Za-z_][A-Za-z0-9_]*:(?: |$).*)$")


def uncomment(yaml_text: str) -> str:
    """The text with every optional part switched on (as staff do by removing the `#`s)."""
    return "\n".join(COMMENTED_YAML.sub(r"\1\2", line) for line in yaml_text.split("\n"))


def example_answers(settings: Settings, now: dt.datetime) -> dict[str, object]:
    """Answers for every blank of an opportunity: the example a new city starts with."""
    tz = ZoneInfo(settings.timezone)
    deadline, questions = example_dates(now, tz)
    meeting = _at(now.date() + dt.timedelta(days=10), 10, tz)
    return {
        "/parties/0/id": "public-works", "/parties/0/name": "Department of Public Works",
        "/parties/0/contactPoint/name": "Office of Procurement",
        "/parties/0/contactPoint/email": "procurement@example.gov",
        "/parties/0/contactPoint/telephone": "+1-555-0100",
        "/buyer/id": "public-works", "/buyer/name": "Department of Public Works",
        "/tender/id": f"ITB-{now:%y}-001",
        "/tender/title": "Janitorial services for City Hall (example)",
        "/tender/description": "Nightly cleaning of City Hall's three floors (about 42,000 square feet), "
                               "five nights a week, for two years with two optional one-year renewals. "
                               "This is an example made by `portal init`: replace it with a real opportunity.",
        "/tender/procurementMethodDetails": "Invitation to Bid",
        "/tender/mainProcurementCategory": "services",
        "/tender/awardCriteria": "priceOnly",
        "/tender/awardCriteriaDetails": "Lowest responsive, responsible bid.",
        "/tender/submissionMethodDetails": "Email your bid as one PDF to procurement@example.gov before the "
                                           "deadline; late bids are not opened.",
        "/tender/eligibilityCriteria": "Two years of commercial cleaning experience, three references, and "
                                       "general liability insurance of $1,000,000 per occurrence.",
        "/tender/tenderPeriod/endDate": deadline.isoformat(),
        "/tender/enquiryPeriod/endDate": questions.isoformat(),
        "/tender/value/amount": 180000,
        "/tender/items/0/description": "Janitorial services",
        "/tender/items/0/classification/id": "76111500",
        "/tender/items/0/classification/description": "General building and office cleaning and maintenance services",
        "/tender/suitability/sme": True,
        "/tender/documents/0/title": f"Invitation to Bid ITB-{now:%y}-001",
        "/tender/documents/0/url": "https://example.gov/procurement/itb-001.pdf",
        "/tender/milestones/0/dueDate": meeting.isoformat(),
        "/tender/milestones/0/description": "City Hall, Room 210. Attending is recommended, not required.",
        "/tender/lots/0/title": "City Hall",
        "/tender/lots/0/description": "Nightly cleaning of City Hall's three floors.",
        "/tender/lots/0/value/amount": 180000,
        "/tender/lots/0/suitability/sme": True,
        "/tender/contractPeriod/startDate": (deadline + dt.timedelta(days=45)).isoformat(),
        "/tender/contractPeriod/endDate": (deadline + dt.timedelta(days=45 + 730)).isoformat(),
    }
