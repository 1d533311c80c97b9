"""One contracting process: its compiled release read into the values its page shows. Pure.

The stage (forecast, open, under evaluation, awarded, contracted, cancelled), deadlines and days
left, awards with their value now, contracts, documents, the timeline and what the record lacks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from generator import routes
from generator.errors import Problem
from generator.inputs.localized import pick
from generator.records import CompiledRecord
from generator.related import Link, links
from generator.site import agreements, contracts, holders, outcomes, tender_details
from generator.site.contracts import Award, Contract
from generator.site.parties import Contact, OrgRef, PartyIndex, contact_of, org_key
from generator.site.relations import NO_RELATIONS, Relations
from generator.site.texts import Clipper, Name, award_names, process_name, text_lang, variants
from generator.values import Money, dicts, listed, money, parse_datetime, safe_url, text, web_addresses

# Stages of a contracting process, in the order a vendor meets them. A forecast whose planned date
# has long passed with no news since is "lapsed": no longer current, never counted as coming up.
FORECAST, OPEN, EVALUATION, AWARDED, CONTRACTED, CANCELLED, UNSUCCESSFUL, LAPSED = (
    "forecast", "open", "evaluation", "awarded", "contracted", "cancelled", "unsuccessful", "lapsed")
STAGES = (FORECAST, OPEN, EVALUATION, AWARDED, CONTRACTED, CANCELLED, UNSUCCESSFUL, LAPSED)
LAPSED_AFTER_DAYS = 90  # a forecast lapses this many days after its planned date, when nothing was published since
LAPSED_UNDATED_DAYS = 365  # a forecast without a planned date lapses this many days after its last release
CLOSING_SOON_DAYS = 7
NEW_DAYS = 7  # an opportunity published this many days ago or less is "new"


@dataclass(frozen=True)
class Document:
    title: str
    url: str  # "" unless http(s)
    document_type: str
    format: str
    date_published: dt.datetime | None
    description: str = ""
    addendum: bool = False  # published after the first notice: a change to the bid documents


@dataclass(frozen=True)
class Category:
    scheme: str
    code: str
    name: str
    count: int = 1  # how many of the tender's items have this classification


QUALITY_SHOWN = 10  # data-quality notes listed on a process's page


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
    # What a vendor needs (see generator/tender_details.py).
    published: dt.datetime | None = None  # when the notice (or, for a forecast, the plan) was first published
    is_new: bool = False  # an opportunity published within the last 7 days
    award_criteria: str = ""
    award_criteria_details: str = ""
    method_rationale: str = ""
    contract_start: dt.datetime | None = None
    contract_end: dt.datetime | None = None
    contract_days: int | None = None
    milestones: tuple[tender_details.Milestone, ...] = ()
    enquiries: tuple[tender_details.Enquiry, ...] = ()
    lots: tuple[tender_details.Lot, ...] = ()
    terms: tender_details.SubmissionTerms | None = None
    goals: tuple[tender_details.Goal, ...] = ()  # certification goals or set-asides
    submit_urls: tuple[str, ...] = ()  # the web addresses in submissionMethodDetails
    place: str = ""  # where the work is done or the goods delivered
    amendments: tuple[tender_details.Amendment, ...] = ()  # what each later notice changed, newest first
    incumbents: tuple[holders.Incumbent, ...] = ()  # the contracts it renews or replaces, as the data links them
    # `title` is str(name); pages show `name` (its language marked), feeds, calendars and search
    # write it in their language (publish.languages.Language.name_of).
    name: Name | None = None  # default: Name(title)
    lang: str = ""  # BCP 47 tag of the release's text when it is not the site's language, else ""
    description_variants: tuple[tuple[str, str], ...] = ()  # (tag, text): "description_es" and the like
    description_lang: str | None = None  # the description's tag when it is a variant (in_language)
    shortened: bool = False  # a text of the data was cut on the page (the full text is in the record)
    planned: dt.datetime | None = None  # a lapsed forecast's planned date (when it has one)
    quality: tuple[Problem, ...] = ()  # problems in its data that did not keep it off the site (checking.policy)
    reason: str = ""  # why it was cancelled or ended with no award, when published (outcomes.reason)
    tender_id: str = ""  # the city's own number for the tender ("ITB-26-FD-006"), which vendors search by
    links: tuple[Link, ...] = ()  # the related processes its data names (related.links)
    relations: Relations = NO_RELATIONS  # its relations in both directions (site.relations.graph)
    framework: agreements.FrameworkTerms | None = None  # it sets up a framework agreement or pool
    competitive: bool | None = None  # tender.competitive: whether a call-off was competed (None: not said)
    additional: tuple[agreements.Classification, ...] = ()  # tender.additionalClassifications
    rationales: tuple[agreements.Classification, ...] = ()  # tender.procurementMethodRationaleClassifications
    funders: tuple[str, ...] = ()  # the names of parties with the role funder
    similar: tuple[holders.Similar, ...] = ()  # without incumbents: similar past contracts (a guess, labelled so)
    buying: str = ""  # how it was bought (site.buying.way): framework, cooperative, call-off, emergency or the method
    document_types: tuple[str, ...] = ()  # documentType codes of its planning, tender and award documents
    emergency: object = None  # site.emergency.Facts: emergency buying and the federal file (set by build_site)
    planning_start: dt.datetime | None = None  # when planning began (tender_details.planning_start)
    flags: tuple = ()  # site.flags.Flag: the red flags it raises, questions to ask (set by build_site)

    @property
    def quality_shown(self) -> tuple[Problem, ...]:
        """The data-quality notes a page lists (errors first); the rest are counted."""
        return self.quality[:QUALITY_SHOWN]

    @property
    def quality_more(self) -> int:
        return max(len(self.quality) - QUALITY_SHOWN, 0)

    def __post_init__(self):
        if self.name is None:
            object.__setattr__(self, "name", Name(self.title))

    def in_language(self, code: str) -> Process:
        """The process as a page, feed or index in language `code` shows it: its title and
        description in that language where the data publishes them (OCDS language variants),
        else as they are. The same object when nothing changes."""
        name = self.name.in_language(code)
        found = pick(self.description_variants, code)
        if name is self.name and not found:
            return self
        described = {"description": found[1], "description_lang": found[0]} if found else {}
        return replace(self, name=name, title=str(name), description_variants=(), **described)

    @property
    def description_language(self) -> str:
        """The tag of the description's language ("" for the site's first)."""
        return self.lang if self.description_lang is None else self.description_lang

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


def classify(compiled: dict, deadline: dt.datetime | None, today: dt.date, tags: frozenset[str] = frozenset()) -> str:
    """The process's stage. `tags` are the tags of all its releases (a compiled release's own
    tag is always "compiled")."""
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    status = text(tender.get("status"))
    if status == "cancelled":
        return CANCELLED
    if status in ("unsuccessful", "withdrawn"):
        return UNSUCCESSFUL
    contracts = [c for c in listed(compiled.get("contracts")) if isinstance(c, dict)]
    if any(text(c.get("status")) not in ("cancelled",) for c in contracts):
        return CONTRACTED
    if any(isinstance(a, dict) and a.get("status") == "active" for a in listed(compiled.get("awards"))):
        return AWARDED
    if status in ("planning", "planned") or (not tender and ("planning" in tags or "planning" in compiled)):
        return FORECAST
    if status == "active" and deadline is not None and deadline.date() >= today:
        return OPEN
    return EVALUATION


def lapsed(planned: dt.datetime | None, last_updated: dt.datetime | None, today: dt.date) -> bool:
    """A forecast is no longer current when its planned date and its latest release are both more
    than LAPSED_AFTER_DAYS before the build's day (or, with no planned date, its latest release
    more than LAPSED_UNDATED_DAYS)."""
    if planned is not None:
        latest = max(planned, last_updated) if last_updated else planned
        return (today - latest.date()).days > LAPSED_AFTER_DAYS
    return last_updated is not None and (today - last_updated.date()).days > LAPSED_UNDATED_DAYS


def build_process(record: CompiledRecord, today: dt.date, tz: ZoneInfo, schemes: tuple[str, ...] = (),
                  languages: tuple[str, ...] = ("en",)) -> Process:
    """`languages` are the site's: the release's text is marked when it is in another than the first,
    and its title and description are also read in each of them (OCDS language variants)."""
    c = record.compiled
    releases = record.releases  # decoded once
    tender = c.get("tender") if isinstance(c.get("tender"), dict) else {}
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    enquiry = tender.get("enquiryPeriod") if isinstance(tender.get("enquiryPeriod"), dict) else {}
    deadline = parse_datetime(period.get("endDate"), tz)
    tags = frozenset(text(t) for r in releases for t in listed(r.get("tag")) if isinstance(t, str))
    dates = [parse_datetime(r.get("date"), tz) for r in releases]
    last_updated = max((d for d in dates if d), default=None)
    planned = max((d for d in (deadline, parse_datetime(period.get("startDate"), tz)) if d), default=None)
    stage = classify(c, deadline, today, tags)
    if stage == FORECAST and lapsed(planned, last_updated, today):
        stage = LAPSED
    lang = text_lang(c.get("language"), languages[0])
    wanted = tuple(dict.fromkeys(code.split("-")[0].lower() for code in languages))
    name = process_name(c, record.ocid, lang, wanted)
    clip = Clipper()
    days_left = (deadline.date() - today).days if deadline else None
    parties = PartyIndex.of(c)
    buyer_ref = c.get("buyer") if isinstance(c.get("buyer"), dict) else tender.get("procuringEntity")
    buyer = parties.ref(buyer_ref, "buyer", routes.buyer_path)
    contact = contact_of(parties.parties.get(org_key(buyer_ref)) if buyer_ref else None)
    contract_period = tender.get("contractPeriod") if isinstance(tender.get("contractPeriod"), dict) else {}
    contract_start = parse_datetime(contract_period.get("startDate"), tz)
    contract_end = parse_datetime(contract_period.get("endDate"), tz)
    duration = contract_period.get("durationInDays")
    first = next((d for d in dates if d), None)
    deals = tuple(contracts.contract(x, tz, clip) for x in dicts(c.get("contracts")))
    awards = dicts(c.get("awards"))
    named_awards = tuple(contracts.award(a, n, tz, parties) for a, n in
                         zip(awards, award_names(awards, tender, name, record.ocid), strict=True))
    amendments = tender_details.amendments(releases, tz, clip)
    published = first if stage in (FORECAST, LAPSED) else next(
        (d for d, r in zip(dates, releases, strict=False) if d and "tender" in listed(r.get("tag"))),
        parse_datetime(period.get("startDate"), tz) or first)
    return Process(
        ocid=record.ocid,
        path=routes.process_path(record.ocid),
        title=str(name),
        name=name,
        lang=lang,
        planned=planned if stage == LAPSED else None,
        description=clip(text(tender.get("description")) or text(c.get("description"))),
        description_variants=tuple((tag, clip(value)) for tag, value in variants(
            tender if text(tender.get("description")) else c, "description", wanted)),
        stage=stage,
        tender_status=text(tender.get("status")),
        tender_id=text(tender.get("id")),
        buyer=buyer,
        categories=_categories(tender, clip),
        main_category=text(tender.get("mainProcurementCategory")),
        method=text(tender.get("procurementMethod")),
        method_details=clip.title(tender.get("procurementMethodDetails")),
        value=money(tender.get("value")),
        tender_start=parse_datetime(period.get("startDate"), tz),
        deadline=deadline,
        enquiry_end=parse_datetime(enquiry.get("endDate"), tz),
        days_left=days_left,
        closing_soon=stage == OPEN and days_left is not None and days_left <= CLOSING_SOON_DAYS,
        sme_suitable=tender_details.sme_suitable(tender),
        submission_methods=tuple(text(m) for m in listed(tender.get("submissionMethod")) if text(m)),
        submission_details=clip(tender.get("submissionMethodDetails")),
        eligibility=clip(tender.get("eligibilityCriteria")),
        documents=_documents(tender.get("documents"), tz, clip, amendments, deadline),
        awards=contracts.with_values_now(named_awards, deals),
        contracts=contracts.named_contracts(deals, named_awards, name),
        timeline=tuple(TimelineEntry(d, text(r.get("id")), tuple(text(t) for t in listed(r.get("tag")) if text(t)))
                       for d, r in zip(dates, releases, strict=False)),
        contact=contact,
        number_of_tenderers=outcomes.bidders(c),
        reason=outcomes.reason(c, clip) if stage in (CANCELLED, UNSUCCESSFUL) else "",
        last_updated=last_updated,
        notes=_notes(tender, c, deadline, contact),
        published=published,
        is_new=stage in (FORECAST, OPEN) and published is not None and 0 <= (today - published.date()).days < NEW_DAYS,
        award_criteria=text(tender.get("awardCriteria")),
        award_criteria_details=clip(tender.get("awardCriteriaDetails")),
        method_rationale=clip(tender.get("procurementMethodRationale")),
        contract_start=contract_start,
        contract_end=contract_end,
        contract_days=duration if isinstance(duration, int) and not isinstance(duration, bool) else (
            (contract_end - contract_start).days if contract_start and contract_end else None),
        milestones=tender_details.milestones(tender, tz, clip),
        enquiries=tender_details.enquiries(tender, tz, clip),
        lots=tender_details.lots(tender, clip),
        terms=tender_details.submission_terms(tender, clip) or None,
        goals=tender_details.goals(tender, schemes, clip),
        place=clip(tender_details.delivery_place(tender)),
        amendments=amendments,
        submit_urls=web_addresses(tender.get("submissionMethodDetails")),
        links=links(c, record.ocid),
        framework=agreements.framework(tender, tz, clip),
        competitive=tender.get("competitive") if isinstance(tender.get("competitive"), bool) else None,
        additional=agreements.classifications(tender.get("additionalClassifications"), clip),
        rationales=agreements.classifications(tender.get("procurementMethodRationaleClassifications"), clip),
        funders=agreements.roles_of(c, "funder"),
        document_types=agreements.process_document_types(c),
        planning_start=tender_details.planning_start(c, releases, tz),
        shortened=clip.cut or name.cut or any(a.name.cut for a in named_awards),
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
    awards = [a for a in listed(compiled.get("awards")) if isinstance(a, dict) and a.get("status") == "active"]
    if any(money(a.get("value")) is None for a in awards):
        notes.append("award-no-value")
    if any(isinstance(x, dict) and money(x.get("value")) is None for x in listed(compiled.get("contracts"))):
        notes.append("contract-no-value")
    return tuple(notes)


def _categories(tender: dict, clip: Clipper) -> tuple[Category, ...]:
    """The items' classifications, each once (in the order first met), with how many items have it."""
    seen: dict[tuple[str, str], Category] = {}
    for item in dicts(tender.get("items")):
        cls = item.get("classification") if isinstance(item.get("classification"), dict) else {}
        if text(cls.get("id")):
            key = (clip.title(cls.get("scheme")).upper(), clip.title(cls.get("id")))
            known = seen.get(key)
            seen[key] = replace(known, count=known.count + 1) if known else Category(
                key[0], key[1], clip.title(cls.get("description")) or key[1])
    return tuple(seen.values())


# Documents of what happened after the deadline: published late, but no change to what bidders do.
RESULT_DOCUMENTS = ("bidders", "evaluationReports", "awardNotice", "contractNotice", "contractSigned", "winningBid",
                    "shortlistedFirms", "completionCertificate", "cancellationDetails")


def _documents(documents, tz, clip: Clipper, amendments=(), deadline=None) -> tuple[Document, ...]:
    """The tender's documents; those a later notice added while bids were open are addenda."""
    added = {c.key for a in amendments if not (deadline and a.date and a.date > deadline)
             for c in a.changes if c.kind == "document-added"}
    return tuple(Document(clip.title(d.get("title")) or clip.title(d.get("id")) or "Document", safe_url(d.get("url")),
                          text(d.get("documentType")), text(d.get("format")),
                          parse_datetime(d.get("datePublished"), tz), clip(d.get("description")),
                          tender_details.document_key(d) in added
                          and text(d.get("documentType")) not in RESULT_DOCUMENTS)
                 for d in listed(documents) if isinstance(d, dict))
