"""Compiled records → the view model that templates format. Pure: no files, no clock.

Every status, total and statistic is computed here, where it is tested; templates only format.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from generator import award_lists, routes, vendor
from generator import opportunities as vendor_lists
from generator.config import Settings
from generator.records import CompiledRecord
from generator.values import Money, address_line, dicts, mailto, money, parse_datetime, safe_url, sum_by_currency, text  # noqa: F401 (re-exported)

# Stages of a contracting process, in the order a vendor meets them.
FORECAST, OPEN, EVALUATION, AWARDED, CONTRACTED, CANCELLED, UNSUCCESSFUL = (
    "forecast", "open", "evaluation", "awarded", "contracted", "cancelled", "unsuccessful")
STAGES = (FORECAST, OPEN, EVALUATION, AWARDED, CONTRACTED, CANCELLED, UNSUCCESSFUL)
CLOSING_SOON_DAYS = 7
NEW_DAYS = 7  # an opportunity published this many days ago or less is "new"
HOME_LIST = 10  # rows in each list on the home page


@dataclass(frozen=True)
class OrgRef:
    key: str
    name: str
    path: str  # output path of the organisation's page ("" when it has none)


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    telephone: str = ""
    url: str = ""  # only http(s) URLs are kept
    address: str = ""

    @property
    def mailto(self) -> str:
        """A mailto: link for a plausible address, else "" (the address is then shown as text)."""
        return mailto(self.email)

    def __bool__(self) -> bool:
        return any((self.name, self.email, self.telephone, self.url, self.address))


@dataclass(frozen=True)
class Document:
    title: str
    url: str  # "" unless http(s)
    document_type: str
    format: str
    date_published: dt.datetime | None


@dataclass(frozen=True)
class Category:
    scheme: str
    code: str
    name: str


@dataclass(frozen=True)
class Award:
    id: str
    title: str
    status: str
    date: dt.datetime | None
    value: Money | None
    suppliers: tuple[OrgRef, ...]


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


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.datetime | None
    release_id: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Process:
    ocid: str
    path: str
    title: str
    description: str
    stage: str
    tender_status: str
    buyer: OrgRef | None
    categories: tuple[Category, ...]
    main_category: str
    method: str
    method_details: str
    value: Money | None
    tender_start: dt.datetime | None
    deadline: dt.datetime | None
    enquiry_end: dt.datetime | None
    days_left: int | None
    closing_soon: bool
    sme_suitable: bool
    submission_methods: tuple[str, ...]
    submission_details: str
    eligibility: str
    documents: tuple[Document, ...]
    awards: tuple[Award, ...]
    contracts: tuple[Contract, ...]
    timeline: tuple[TimelineEntry, ...]
    contact: Contact
    number_of_tenderers: int | None
    last_updated: dt.datetime | None
    notes: tuple[str, ...] = ()  # what the record lacks, as codes (labels.LABELS["note"])
    # What a vendor needs (see generator/vendor.py).
    published: dt.datetime | None = None  # when the notice (or, for a forecast, the plan) was first published
    is_new: bool = False  # an opportunity published within the last 7 days
    award_criteria: str = ""
    award_criteria_details: str = ""
    method_rationale: str = ""
    contract_start: dt.datetime | None = None
    contract_end: dt.datetime | None = None
    contract_days: int | None = None
    milestones: tuple[vendor.Milestone, ...] = ()
    enquiries: tuple[vendor.Enquiry, ...] = ()
    lots: tuple[vendor.Lot, ...] = ()
    terms: vendor.SubmissionTerms | None = None
    goals: tuple[str, ...] = ()  # certification goals or set-asides
    place: str = ""  # where the work is done or the goods delivered
    amendments: tuple[vendor.Amendment, ...] = ()  # what each later notice changed, newest first
    incumbent: Incumbent | None = None  # the latest award for the same department and category

    @property
    def is_opportunity(self) -> bool:
        return self.stage in (FORECAST, OPEN)

    @property
    def had_tender(self) -> bool:
        """A solicitation was published (it is past once no longer open)."""
        return self.tender_status not in ("", "planning", "planned")

    @property
    def active_awards(self) -> tuple[Award, ...]:
        return tuple(a for a in self.awards if a.status == "active")


@dataclass(frozen=True)
class Incumbent:
    """Who holds the city's most recent contract for the same department and category."""

    process_title: str
    process_path: str
    suppliers: tuple[OrgRef, ...]
    value: Money | None
    date: dt.datetime | None
    contract_end: dt.datetime | None


@dataclass(frozen=True)
class AwardRow:
    """One active award, with the process it belongs to, for award lists."""

    process: Process
    award: Award


@dataclass(frozen=True)
class Organization:
    key: str
    name: str
    path: str
    roles: tuple[str, ...]
    scale: str
    certifications: tuple[str, ...]
    contact: Contact
    processes: tuple[Process, ...]
    awards: tuple[AwardRow, ...]
    totals: tuple[Money, ...]  # awarded value per currency, never mixed
    open_bids: tuple[Process, ...] = ()  # a department's bids open now, soonest deadline first

    @property
    def first_open_bids(self) -> tuple[Process, ...]:
        """The soonest-closing of a department's open bids, for its page (the rest are a link away)."""
        return self.open_bids[:HOME_LIST]


@dataclass(frozen=True)
class Guide:
    name: str
    path: str
    title: str
    summary: str
    order: int
    html: str


@dataclass(frozen=True)
class KeyNumbers:
    open: int
    closing_soon: int
    forecasts: int
    processes: int
    awards: int
    awarded: tuple[Money, ...]
    suppliers: int
    buyers: int


@dataclass(frozen=True)
class CheckCount:
    code: str
    severity: str
    count: int
    example: str  # the first problem's message


@dataclass(frozen=True)
class Site:
    settings: Settings
    today: dt.date
    processes: tuple[Process, ...]  # sorted by ocid
    opportunities: tuple[Process, ...]  # forecasts and open bids, by deadline
    open_now: tuple[Process, ...]
    closing_soon: tuple[Process, ...]
    open_later: tuple[Process, ...]  # open, closing after the next 7 days
    home_open_later: tuple[Process, ...]  # the first of those, for the home page
    home_closing_soon: tuple[Process, ...]  # the first bids closing soon, for the home page
    forecasts: tuple[Process, ...]
    awards: tuple[AwardRow, ...]  # newest first
    recent_awards: tuple[AwardRow, ...]  # the newest, for the home page
    suppliers: tuple[Organization, ...]
    buyers: tuple[Organization, ...]
    guides: tuple[Guide, ...]
    numbers: KeyNumbers
    stage_counts: dict[str, int] = field(default_factory=dict)
    checks: tuple[CheckCount, ...] = ()  # problems found in the data, by check
    note_counts: tuple[tuple[str, int], ...] = ()  # processes with each completeness note
    left_out: tuple[str, ...] = ()  # ocids not published because of errors (build --keep-going)
    lists: vendor_lists.Opportunities | None = None  # filtered and sorted opportunity lists, past ones
    award_lists: award_lists.AwardLists | None = None  # filtered and sorted award lists


def contact_of(party: dict | None) -> Contact:
    if not isinstance(party, dict):
        return Contact()
    point = party.get("contactPoint") if isinstance(party.get("contactPoint"), dict) else {}
    return Contact(text(point.get("name")), text(point.get("email")), text(point.get("telephone")),
                   safe_url(point.get("url")), address_line(party.get("address")))


def org_key(reference) -> str:
    """A party's id within its process (OCDS party ids are only unique within a process)."""
    if not isinstance(reference, dict):
        return ""
    return text(reference.get("id")) or text(reference.get("name"))


def city_key(party: dict) -> str:
    """An organisation's key across processes: its registered identifier when it has one
    (scheme-id, e.g. US-EIN-12-3456789), else its party id."""
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    scheme, number = text(identifier.get("scheme")), text(identifier.get("id"))
    return f"{scheme}-{number}" if scheme and number else org_key(party)


@dataclass(frozen=True)
class PartyIndex:
    """The parties of one process: party id → (city-wide key, roles)."""

    parties: dict[str, dict]

    @classmethod
    def of(cls, compiled: dict) -> PartyIndex:
        return cls({org_key(p): p for p in compiled.get("parties") or [] if isinstance(p, dict) and org_key(p)})

    def ref(self, reference, role: str, path_of) -> OrgRef | None:
        """An organisation reference; it links to the organisation's page only when that page
        exists, i.e. when the referenced party is listed with the role."""
        local = org_key(reference)
        if not local:
            return None
        party = self.parties.get(local)
        key = city_key(party) if party else local
        has_page = party is not None and role in (party.get("roles") or [])
        return OrgRef(key, text(reference.get("name")) or text((party or {}).get("name")) or local,
                      path_of(key) if has_page else "")


# --- one process ---------------------------------------------------------------------

def classify(compiled: dict, deadline: dt.datetime | None, today: dt.date, tags: frozenset[str] = frozenset()) -> str:
    """The process's stage. `tags` are the tags of all its releases (a compiled release's own
    tag is always "compiled")."""
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    status = text(tender.get("status"))
    if status == "cancelled":
        return CANCELLED
    if status in ("unsuccessful", "withdrawn"):
        return UNSUCCESSFUL
    contracts = [c for c in compiled.get("contracts") or [] if isinstance(c, dict)]
    if any(text(c.get("status")) not in ("cancelled",) for c in contracts):
        return CONTRACTED
    if any(isinstance(a, dict) and a.get("status") == "active" for a in compiled.get("awards") or []):
        return AWARDED
    if status in ("planning", "planned") or (not tender and ("planning" in tags or "planning" in compiled)):
        return FORECAST
    if status == "active" and deadline is not None and deadline.date() >= today:
        return OPEN
    return EVALUATION


def build_process(record: CompiledRecord, today: dt.date, tz: ZoneInfo, schemes: tuple[str, ...] = ()) -> Process:
    c = record.compiled
    tender = c.get("tender") if isinstance(c.get("tender"), dict) else {}
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    enquiry = tender.get("enquiryPeriod") if isinstance(tender.get("enquiryPeriod"), dict) else {}
    deadline = parse_datetime(period.get("endDate"), tz)
    tags = frozenset(text(t) for r in record.releases for t in r.get("tag") or [] if isinstance(t, str))
    stage = classify(c, deadline, today, tags)
    days_left = (deadline.date() - today).days if deadline else None
    parties = PartyIndex.of(c)
    buyer_ref = c.get("buyer") if isinstance(c.get("buyer"), dict) else tender.get("procuringEntity")
    buyer = parties.ref(buyer_ref, "buyer", routes.buyer_path)
    contact = contact_of(parties.parties.get(org_key(buyer_ref)) if buyer_ref else None)
    dates = [parse_datetime(r.get("date"), tz) for r in record.releases]
    contract_period = tender.get("contractPeriod") if isinstance(tender.get("contractPeriod"), dict) else {}
    contract_start = parse_datetime(contract_period.get("startDate"), tz)
    contract_end = parse_datetime(contract_period.get("endDate"), tz)
    duration = contract_period.get("durationInDays")
    first = next((d for d in dates if d), None)
    published = first if stage == FORECAST else next(
        (d for d, r in zip(dates, record.releases, strict=False) if d and "tender" in (r.get("tag") or [])),
        parse_datetime(period.get("startDate"), tz) or first)
    return Process(
        ocid=record.ocid,
        path=routes.process_path(record.ocid),
        title=text(tender.get("title")) or text(c.get("title")) or record.ocid,
        description=text(tender.get("description")) or text(c.get("description")),
        stage=stage,
        tender_status=text(tender.get("status")),
        buyer=buyer,
        categories=_categories(tender),
        main_category=text(tender.get("mainProcurementCategory")),
        method=text(tender.get("procurementMethod")),
        method_details=text(tender.get("procurementMethodDetails")),
        value=money(tender.get("value")),
        tender_start=parse_datetime(period.get("startDate"), tz),
        deadline=deadline,
        enquiry_end=parse_datetime(enquiry.get("endDate"), tz),
        days_left=days_left,
        closing_soon=stage == OPEN and days_left is not None and days_left <= CLOSING_SOON_DAYS,
        sme_suitable=vendor.sme_suitable(tender),
        submission_methods=tuple(text(m) for m in tender.get("submissionMethod") or [] if text(m)),
        submission_details=text(tender.get("submissionMethodDetails")),
        eligibility=text(tender.get("eligibilityCriteria")),
        documents=_documents(tender.get("documents"), tz),
        awards=tuple(_award(a, tz, parties) for a in c.get("awards") or [] if isinstance(a, dict)),
        contracts=tuple(_contract(x, tz) for x in c.get("contracts") or [] if isinstance(x, dict)),
        timeline=tuple(TimelineEntry(d, text(r.get("id")), tuple(text(t) for t in r.get("tag") or [] if text(t)))
                       for d, r in zip(dates, record.releases, strict=False)),
        contact=contact,
        number_of_tenderers=tender.get("numberOfTenderers") if isinstance(tender.get("numberOfTenderers"), int) else None,
        last_updated=max((d for d in dates if d), default=None),
        notes=_notes(tender, c, deadline, contact),
        published=published,
        is_new=stage in (FORECAST, OPEN) and published is not None and 0 <= (today - published.date()).days < NEW_DAYS,
        award_criteria=text(tender.get("awardCriteria")),
        award_criteria_details=text(tender.get("awardCriteriaDetails")),
        method_rationale=text(tender.get("procurementMethodRationale")),
        contract_start=contract_start,
        contract_end=contract_end,
        contract_days=duration if isinstance(duration, int) and not isinstance(duration, bool) else (
            (contract_end - contract_start).days if contract_start and contract_end else None),
        milestones=vendor.milestones(tender, tz),
        enquiries=vendor.enquiries(tender, tz),
        lots=vendor.lots(tender),
        terms=vendor.submission_terms(tender) or None,
        goals=vendor.goals(tender, schemes),
        place=vendor.delivery_place(tender),
        amendments=vendor.amendments(record.releases, tz),
    )


def _notes(tender: dict, compiled: dict, deadline, contact: Contact) -> tuple[str, ...]:
    """What a reader should know is missing from the record."""
    notes = []
    if tender and deadline is None and text(tender.get("status")) in ("planned", "active", ""):
        notes.append("no-deadline")
    if tender and not tender.get("documents"):
        notes.append("no-documents")
    if not contact:
        notes.append("no-contact")
    awards = [a for a in compiled.get("awards") or [] if isinstance(a, dict) and a.get("status") == "active"]
    if any(money(a.get("value")) is None for a in awards):
        notes.append("award-no-value")
    if any(isinstance(x, dict) and money(x.get("value")) is None for x in compiled.get("contracts") or []):
        notes.append("contract-no-value")
    return tuple(notes)


def _categories(tender: dict) -> tuple[Category, ...]:
    seen = {}
    for item in tender.get("items") or []:
        cls = item.get("classification") if isinstance(item, dict) else None
        if isinstance(cls, dict) and text(cls.get("id")):
            key = (text(cls.get("scheme")), text(cls.get("id")))
            seen.setdefault(key, Category(key[0], key[1], text(cls.get("description")) or key[1]))
    return tuple(seen.values())


def _documents(documents, tz) -> tuple[Document, ...]:
    return tuple(Document(text(d.get("title")) or text(d.get("id")) or "Document", safe_url(d.get("url")),
                          text(d.get("documentType")), text(d.get("format")),
                          parse_datetime(d.get("datePublished"), tz))
                 for d in documents or [] if isinstance(d, dict))


def _award(a: dict, tz, parties: PartyIndex) -> Award:
    suppliers = tuple(ref for ref in (parties.ref(s, "supplier", routes.supplier_path) for s in a.get("suppliers") or [])
                      if ref is not None)
    return Award(text(a.get("id")), text(a.get("title")), text(a.get("status")),
                 parse_datetime(a.get("date"), tz), money(a.get("value")), suppliers)


def _contract(x: dict, tz) -> Contract:
    period = x.get("period") if isinstance(x.get("period"), dict) else {}
    return Contract(text(x.get("id")), text(x.get("title")), text(x.get("status")),
                    parse_datetime(period.get("startDate"), tz), parse_datetime(period.get("endDate"), tz),
                    money(x.get("value")), parse_datetime(x.get("dateSigned"), tz),
                    len([m for m in x.get("amendments") or [] if isinstance(m, dict)]), text(x.get("awardID")))


# --- organisations ---------------------------------------------------------------------

def _organizations(records, processes: dict[str, Process], role: str, path_of) -> tuple[Organization, ...]:
    """Organisations with `role` in any process, keyed city-wide (see `city_key`); name and
    details come from the process updated most recently."""
    latest: dict[str, tuple[tuple, dict]] = {}
    involved: dict[str, list[Process]] = defaultdict(list)
    for record in records:
        process = processes[record.ocid]
        when = (process.last_updated.timestamp() if process.last_updated else 0.0, process.ocid)
        for party in record.compiled.get("parties") or []:
            if isinstance(party, dict) and role in (party.get("roles") or []) and org_key(party):
                key = city_key(party)
                if key not in latest or when >= latest[key][0]:
                    latest[key] = (when, party)
                involved[key].append(process)
    award_rows: dict[str, list[AwardRow]] = defaultdict(list)
    for process in processes.values():
        for award in process.active_awards:
            keys = [s.key for s in award.suppliers] if role == "supplier" else [process.buyer.key] if process.buyer else []
            for key in dict.fromkeys(keys):
                award_rows[key].append(AwardRow(process, award))
    orgs = []
    for key in sorted(latest, key=lambda k: (text(latest[k][1].get("name")).lower(), k)):
        party = latest[key][1]
        details = party.get("details") if isinstance(party.get("details"), dict) else {}
        certifications = tuple(
            text(c.get("description")) or text(c.get("id"))
            for c in details.get("classifications") or [] if isinstance(c, dict) and (c.get("description") or c.get("id")))
        rows = tuple(sorted(award_rows[key], key=_award_sort_key))
        mine = tuple(sorted(involved[key], key=lambda p: p.ocid))
        orgs.append(Organization(
            key=key, name=text(party.get("name")) or key, path=path_of(key),
            roles=tuple(sorted({text(r) for r in party.get("roles") or [] if text(r)})),
            scale=text(details.get("scale")), certifications=certifications, contact=contact_of(party),
            processes=mine, awards=rows, totals=sum_by_currency(r.award.value for r in rows),
            open_bids=tuple(sorted((p for p in mine if p.stage == OPEN), key=_deadline_key)) if role == "buyer" else ()))
    return tuple(orgs)


def _award_sort_key(row: AwardRow):
    date = row.award.date
    return (-(date.timestamp()) if date else 0.0, row.process.ocid, row.award.id)


def _deadline_key(process: Process):
    return (process.deadline is None, process.deadline.timestamp() if process.deadline else 0.0, process.ocid)


# --- the site ----------------------------------------------------------------------------

def build_site(records: list[CompiledRecord], settings: Settings, today: dt.date, guides: tuple[Guide, ...],
               checks: tuple[CheckCount, ...] = (), left_out: tuple[str, ...] = ()) -> Site:
    tz = ZoneInfo(settings.timezone)
    processes = _with_incumbents({r.ocid: build_process(r, today, tz, settings.certification_schemes)
                                  for r in records})
    ordered = tuple(processes[o] for o in sorted(processes))
    open_now = tuple(sorted((p for p in ordered if p.stage == OPEN), key=_deadline_key))
    forecasts = tuple(sorted((p for p in ordered if p.stage == FORECAST), key=_deadline_key))
    awards = tuple(sorted((AwardRow(p, a) for p in ordered for a in p.active_awards), key=_award_sort_key))
    suppliers = _organizations(records, processes, "supplier", routes.supplier_path)
    buyers = _organizations(records, processes, "buyer", routes.buyer_path)
    counts = Counter(p.stage for p in ordered)
    opportunities = tuple(sorted(open_now + forecasts, key=_deadline_key))
    closing = tuple(p for p in open_now if p.closing_soon)
    open_later = tuple(p for p in open_now if not p.closing_soon)
    return Site(
        settings=settings, today=today, processes=ordered,
        opportunities=opportunities,
        lists=vendor_lists.build(opportunities, ordered, settings.currency),
        open_now=open_now, closing_soon=closing, open_later=open_later, home_open_later=open_later[:HOME_LIST],
        home_closing_soon=closing[:HOME_LIST],
        forecasts=forecasts, awards=awards, recent_awards=awards[:HOME_LIST],
        award_lists=award_lists.build(awards, settings.currency),
        suppliers=suppliers, buyers=buyers,
        guides=tuple(sorted(guides, key=lambda g: (g.order, g.title))),
        numbers=KeyNumbers(open=len(open_now), closing_soon=len(closing), forecasts=len(forecasts),
                           processes=len(ordered), awards=len(awards),
                           awarded=sum_by_currency(r.award.value for r in awards),
                           suppliers=len(suppliers), buyers=len(buyers)),
        stage_counts={stage: counts.get(stage, 0) for stage in STAGES},
        checks=checks,
        note_counts=tuple(sorted(Counter(n for p in ordered for n in p.notes).items())),
        left_out=left_out,
    )


def current_value(process: Process, award: Award) -> Money | None:
    """What an award is worth now: its contract's value (after amendments) when a contract for
    it publishes one, else the award's value."""
    contract = next((c for c in process.contracts if c.award_id and c.award_id == award.id and c.value), None)
    return contract.value if contract else award.value


def _with_incumbents(processes: dict[str, Process]) -> dict[str, Process]:
    """Give each opportunity the city's most recent active award for the same department and
    main category (the first item's classification) from another process."""
    latest: dict[tuple[str, str], tuple] = {}
    for p in processes.values():
        if p.buyer and p.categories and not p.is_opportunity:
            key = (p.buyer.key, p.categories[0].code)
            for a in p.active_awards:
                rank = (a.date.timestamp() if a.date else float("-inf"), p.ocid, a.id)
                if key not in latest or rank > latest[key][0]:
                    latest[key] = (rank, p, a)
    for ocid, p in processes.items():
        hit = latest.get((p.buyer.key, p.categories[0].code)) if p.is_opportunity and p.buyer and p.categories else None
        if hit and hit[1].ocid != ocid:
            _, held, award = hit
            contract = next((c for c in held.contracts if c.award_id == award.id), None)
            processes[ocid] = replace(p, incumbent=Incumbent(
                held.title, held.path, award.suppliers, current_value(held, award),
                award.date, contract.end if contract else None))
    return processes


def count_checks(problems) -> tuple[CheckCount, ...]:
    """Problems by check, errors first, then the most frequent."""
    counts: dict[tuple[str, str], list] = {}
    for p in problems:
        entry = counts.setdefault((p.code, p.severity.value), [0, p.message])
        entry[0] += 1
    return tuple(sorted((CheckCount(code, severity, n, example) for (code, severity), (n, example) in counts.items()),
                        key=lambda c: (c.severity != "error", -c.count, c.code)))


def paginate(items: tuple, size: int) -> list[tuple]:
    """Split a listing into pages; an empty listing still has one (empty) page."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [()]
