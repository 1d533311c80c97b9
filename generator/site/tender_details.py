"""What a vendor needs from a tender, read from OCDS: dates to keep (pre-bid meetings, site visits),
questions and answers, lots, submission terms, certification goals, and what changed between the
notices of a process. Pure: compiled or released dicts in, frozen values out. Texts come cut to a
page's measure by the process's `texts.Clipper` (a new one when none is given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from zoneinfo import ZoneInfo

from generator.site.texts import Clipper
from generator.values import Money, address_line, dicts, money, parse_datetime, text

# Milestones a bidder attends (pre-bid meetings, site visits): OCDS milestoneType "engagement",
# or no type at all. Delivery, payment and reporting milestones belong to the contract.
BIDDER_MILESTONES = ("engagement", "")
PLANNED = ("planned", "planning")


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    type: str
    date: dt.datetime | None
    description: str


@dataclass(frozen=True)
class Enquiry:
    title: str
    question: str
    answer: str
    asked: dt.datetime | None
    answered: dt.datetime | None
    lot: str


@dataclass(frozen=True)
class Lot:
    id: str
    title: str
    description: str
    value: Money | None
    sme_suitable: bool


@dataclass(frozen=True)
class SubmissionTerms:
    electronic: str  # electronicSubmissionPolicy: required, allowed, notAllowed ("" when not published)
    deposits: str
    bid_validity_days: int | None
    multiple_bids: bool | None
    in_person_address: str
    in_person_rationale: str

    def __bool__(self) -> bool:
        return any((self.electronic, self.deposits, self.bid_validity_days is not None,
                    self.multiple_bids is not None, self.in_person_address, self.in_person_rationale))


@dataclass(frozen=True)
class Change:
    """One difference between two notices. `before` and `after` are datetimes, Money, codes or
    text depending on `kind`; `subject` names the thing changed (a document's title)."""

    kind: str
    before: object = None
    after: object = None
    subject: str = ""
    key: str = dataclass_field(default="", compare=False)  # a document's key (its id, else its title): bookkeeping


@dataclass(frozen=True)
class Goal:
    """A certification goal or set-aside: the id the data gives it in a certification scheme
    (e.g. SLBE) and its description (or the id, when there is none)."""

    code: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Amendment:
    """What one later notice (an addendum) changed."""

    date: dt.datetime | None
    release_id: str
    changes: tuple[Change, ...]


def address_text(address) -> str:
    if not isinstance(address, dict):
        return ""
    line = address_line(address)
    note = text(address.get("description"))
    return f"{note}: {line}" if note and line else note or line


PLANNING_TAGS = ("planning", "planningUpdate")


def planning_start(compiled: dict, releases: list[dict], tz: ZoneInfo) -> dt.datetime | None:
    """When planning began, as the data shows it: the earliest of its pre-procurement milestones
    (planning.milestones of type preProcurement: the date met, else the date due) and its planning
    releases' dates; None when it publishes neither."""
    planning = compiled.get("planning") if isinstance(compiled.get("planning"), dict) else {}
    dates = [parse_datetime(m.get("dateMet") or m.get("dueDate"), tz) for m in dicts(planning.get("milestones"))
             if text(m.get("type")) == "preProcurement"]
    dates += [parse_datetime(r.get("date"), tz) for r in releases
              if isinstance(r.get("tag"), list) and any(t in PLANNING_TAGS for t in r["tag"])]
    return min((d for d in dates if d), default=None)


def milestones(tender: dict, tz: ZoneInfo, clip: Clipper | None = None) -> tuple[Milestone, ...]:
    """The tender's milestones a bidder can attend, in date order."""
    clip = clip or Clipper()
    found = [Milestone(text(m.get("id")), clip.title(m.get("title")) or clip.title(m.get("id")), text(m.get("type")),
                       parse_datetime(m.get("dueDate"), tz), clip(m.get("description")))
             for m in dicts(tender.get("milestones")) if text(m.get("type")) in BIDDER_MILESTONES]
    return tuple(sorted(found, key=lambda m: (m.date is None, m.date.timestamp() if m.date else 0, m.id)))


def enquiries(tender: dict, tz: ZoneInfo, clip: Clipper | None = None) -> tuple[Enquiry, ...]:
    clip = clip or Clipper()
    return tuple(Enquiry(clip.title(e.get("title")), clip(e.get("description")), clip(e.get("answer")),
                         parse_datetime(e.get("date"), tz), parse_datetime(e.get("dateAnswered"), tz),
                         text(e.get("relatedLot")))
                 for e in dicts(tender.get("enquiries")))


def lots(tender: dict, clip: Clipper | None = None) -> tuple[Lot, ...]:
    clip = clip or Clipper()
    return tuple(Lot(text(x.get("id")), clip.title(x.get("title")) or clip.title(x.get("id")), clip(x.get("description")),
                     money(x.get("value")), _sme(x))
                 for x in dicts(tender.get("lots")))


def _sme(holder: dict) -> bool:
    suitability = holder.get("suitability")
    return bool(suitability.get("sme")) if isinstance(suitability, dict) else False


def sme_suitable(tender: dict) -> bool:
    """Suitable for small businesses: the tender says so, or every lot does."""
    lot_list = dicts(tender.get("lots"))
    return _sme(tender) or (bool(lot_list) and all(_sme(x) for x in lot_list))


def submission_terms(tender: dict, clip: Clipper | None = None) -> SubmissionTerms:
    clip = clip or Clipper()
    terms = tender.get("submissionTerms") if isinstance(tender.get("submissionTerms"), dict) else {}
    validity = terms.get("bidValidityPeriod") if isinstance(terms.get("bidValidityPeriod"), dict) else {}
    days = validity.get("durationInDays")
    paper = terms.get("nonElectronicSubmission") if isinstance(terms.get("nonElectronicSubmission"), dict) else {}
    multiple = terms.get("multipleBidsAllowed")
    return SubmissionTerms(
        electronic=text(terms.get("electronicSubmissionPolicy")),
        deposits=clip(terms.get("depositsGuarantees")),
        bid_validity_days=days if isinstance(days, int) and not isinstance(days, bool) else None,
        multiple_bids=multiple if isinstance(multiple, bool) else None,
        in_person_address=clip.title(address_text(paper.get("address"))),
        in_person_rationale=clip(paper.get("rationale")),
    )


def goals(tender: dict, schemes: tuple[str, ...], clip: Clipper | None = None) -> tuple[Goal, ...]:
    """Certification goals or set-asides: the items' additional classifications in one of the
    city's certification schemes (e.g. ALDERPORT-CERT SLBE), each once."""
    clip = clip or Clipper()
    found: dict[str, Goal] = {}
    for item in dicts(tender.get("items")):
        for cls in dicts(item.get("additionalClassifications")):
            if text(cls.get("scheme")) in schemes and (text(cls.get("description")) or text(cls.get("id"))):
                goal = Goal(clip.title(cls.get("id")), clip.title(cls.get("description")) or clip.title(cls.get("id")))
                found.setdefault(goal.text, goal)
    return tuple(found.values())


def delivery_place(tender: dict) -> str:
    """Where the work is done or goods delivered: the first item's first delivery address."""
    for item in dicts(tender.get("items")):
        for place in dicts(item.get("deliveryAddresses")):
            found = address_text(place)
            if found:
                return found
        if isinstance(item.get("deliveryLocation"), dict) and text(item["deliveryLocation"].get("description")):
            return text(item["deliveryLocation"]["description"])
    return ""


# --- what changed --------------------------------------------------------------------------

def _tender(release: dict) -> dict:
    return release.get("tender") if isinstance(release.get("tender"), dict) else {}


def _end(tender: dict, key: str, tz: ZoneInfo) -> dt.datetime | None:
    period = tender.get(key)
    return parse_datetime(period.get("endDate"), tz) if isinstance(period, dict) and "endDate" in period else None


def document_key(document: dict) -> str:
    """What matches a document across notices: its id, else its title."""
    return text(document.get("id")) or text(document.get("title"))


def _signature(document: dict) -> tuple[str, str]:
    """A document's file: a new url or a new modified date means the bidder must read it again."""
    return text(document.get("url")), text(document.get("dateModified")) or text(document.get("datePublished"))


# Plain text fields whose change a bidder must notice: (OCDS field, change kind).
TEXT_FIELDS = (("title", "title-changed"), ("description", "description-changed"),
               ("eligibilityCriteria", "eligibility-changed"),
               ("submissionMethodDetails", "submission-changed"))


def amendments(releases: list[dict], tz: ZoneInfo, clip: Clipper | None = None) -> tuple[Amendment, ...]:
    """The history of a tender's notices, newest first: for each release after the first that
    carries a tender, what it changed from the state the earlier releases had built up.

    Releases are read the way OCDS merges them: a field a release leaves out keeps its earlier
    value (in objects too: a value, a milestone, a document, a question), and documents,
    milestones, lots and questions are matched by id."""
    clip = clip or Clipper()
    state: dict[str, object] = {}
    value: dict = {}
    documents: dict[str, dict] = {}
    meeting: dict[str, dict] = {}
    lot_ids: set[str] = set()
    questions: dict[str, dict] = {}
    history = []
    seen_tender = False
    for release in releases:
        tender = _tender(release)
        if not tender:
            continue
        changes: list[Change] = []

        def compare(kind: str, key: str, value, changes=changes) -> None:
            if key in state and state[key] != value:  # texts are compared whole and shown cut
                before = clip.title(state[key]) if isinstance(state[key], str) else state[key]
                changes.append(Change(kind, before, clip.title(value) if isinstance(value, str) else value))
            state[key] = value

        if "tenderPeriod" in tender and isinstance(tender["tenderPeriod"], dict) and "endDate" in tender["tenderPeriod"]:
            compare("deadline-moved", "deadline", _end(tender, "tenderPeriod", tz))
        if isinstance(tender.get("enquiryPeriod"), dict) and "endDate" in tender["enquiryPeriod"]:
            compare("questions-moved", "questions", _end(tender, "enquiryPeriod", tz))
        if "value" in tender:
            value = {**value, **tender["value"]} if isinstance(tender["value"], dict) else {}
            compare("value-changed", "value", money(value))
        if "status" in tender:
            compare("status-changed", "status", text(tender.get("status")))
        for field, kind in TEXT_FIELDS:
            if field in tender:
                compare(kind, field, text(tender.get(field)))
        for m in dicts(tender.get("milestones")):
            key = text(m.get("id"))
            if text({**meeting.get(key, {}), **m}.get("type")) not in BIDDER_MILESTONES:
                continue
            merged = {**meeting.get(key, {}), **m}  # what a release leaves out keeps its value
            when, title = parse_datetime(merged.get("dueDate"), tz), clip.title(merged.get("title")) or clip.title(key)
            if key in meeting:
                was = parse_datetime(meeting[key].get("dueDate"), tz)
                if was != when:
                    changes.append(Change("meeting-moved", was, when, title))
            elif seen_tender:
                changes.append(Change("meeting-added", None, when, title))
            meeting[key] = merged
        for d in dicts(tender.get("documents")):
            key = document_key(d)
            merged = {**documents.get(key, {}), **d}
            title = clip.title(merged.get("title")) or clip.title(key)
            if key not in documents and seen_tender:
                changes.append(Change("document-added", subject=title, key=key))
            elif key in documents and _signature(documents[key]) != _signature(merged):
                changes.append(Change("document-updated", subject=title, key=key))
            documents[key] = merged
        for x in dicts(tender.get("lots")):
            if text(x.get("id")) not in lot_ids and seen_tender:
                changes.append(Change("lot-added", subject=clip.title(x.get("title")) or clip.title(x.get("id"))))
            lot_ids.add(text(x.get("id")))
        if "enquiries" in tender:
            answered = sum(1 for e in questions.values() if text(e.get("answer")))
            for n, e in enumerate(dicts(tender.get("enquiries"))):
                key = text(e.get("id")) or f"#{n}"
                questions[key] = {**questions.get(key, {}), **e}
            now_answered = sum(1 for e in questions.values() if text(e.get("answer")))
            if now_answered > answered:
                changes.append(Change("questions-answered", answered, now_answered))
        if seen_tender and changes:
            history.append(Amendment(parse_datetime(release.get("date"), tz), text(release.get("id")),
                                     tuple(changes)))
        # A plan is not a notice: the first notice after it is the baseline, not an addendum.
        seen_tender = seen_tender or state.get("status") not in PLANNED
    return tuple(reversed(history))
