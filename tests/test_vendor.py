"""vendor: the tender details a vendor needs, and what each later notice of a process changed.

Releases are hand-built; expected values are exact, datetimes in the city's time zone
(America/Chicago: UTC-6 in winter, UTC-5 in summer).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator import records
from generator.inputs.folder import SourceRelease
from generator.inputs.settings import Settings
from generator.site import tender_details
from generator.site.assemble import build_site
from generator.site.tender_details import Amendment, Change, Enquiry, Lot, Milestone, SubmissionTerms
from generator.values import Money

from conftest import release

TZ = ZoneInfo("America/Chicago")
TODAY = dt.date(2026, 11, 16)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def usd(amount) -> Money:
    return Money(Decimal(str(amount)), "USD")


def shown(changes) -> list[tuple]:
    """Changes with datetimes as ISO text, so a wrong offset (not just a wrong instant) fails."""
    def iso(value):
        return value.isoformat() if isinstance(value, dt.datetime) else value
    return [(c.kind, iso(c.before), iso(c.after), c.subject) for c in changes]


TENDER = {
    "id": "t1", "status": "active", "title": "Road salt", "description": "Rock salt for winter",
    "eligibilityCriteria": "Licensed in the state", "submissionMethodDetails": "Upload to the bid portal",
    "value": {"amount": 250000, "currency": "USD"},
    "tenderPeriod": {"startDate": "2026-11-01T09:00:00-06:00", "endDate": "2026-11-20T17:00:00-06:00"},
    "enquiryPeriod": {"endDate": "2026-11-13T17:00:00-06:00"},
    "milestones": [{"id": "m1", "title": "Pre-bid meeting", "type": "engagement",
                    "dueDate": "2026-11-05T10:00:00-06:00"}],
    "documents": [{"id": "d1", "title": "Specifications", "url": "https://city.example/specs.pdf",
                   "datePublished": "2026-11-01T09:00:00-06:00"}],
    "lots": [{"id": "L1", "title": "North yard"}],
    "enquiries": [{"id": "q1", "description": "Bagged or bulk?"}, {"id": "q2", "description": "Delivery hours?"}],
}


def notice(rid: str, date: str, tag="tenderAmendment", **tender) -> dict:
    """A later release that repeats only the tender fields it gives (plus the tender id)."""
    return release(id=rid, date=date, tag=[tag], tender={"id": "t1", **tender})


FIRST = release(id="1", date="2026-11-01T09:00:00-06:00", tender=TENDER)


def history(*later: dict) -> tuple[Amendment, ...]:
    return tender_details.amendments([FIRST, *later], TZ)


# --- what changed: each kind ----------------------------------------------------------------

def test_a_first_release_never_produces_changes():
    assert tender_details.amendments([FIRST], TZ) == ()
    assert tender_details.amendments([], TZ) == ()
    # Even when it is not the first release of the process: the planning release has no tender.
    planning = {key: value for key, value in release(id="0", date="2026-10-01T09:00:00-05:00", tag=["planning"],
                                                     planning={"rationale": "Winter supplies"}).items()
                if key != "tender"}
    assert tender_details.amendments([planning, FIRST], TZ) == ()


def test_an_identical_later_release_is_no_amendment():
    assert history(release(id="2", date="2026-11-02T09:00:00-06:00", tag=["tenderUpdate"], tender=TENDER)) == ()


def test_deadline_moved():
    (amendment,) = history(notice("2", "2026-11-10T09:00:00-06:00",
                                  tenderPeriod={"endDate": "2026-11-27T17:00:00-06:00"}))
    assert amendment == Amendment(local(2026, 11, 10, 9), "2", (
        Change("deadline-moved", local(2026, 11, 20, 17), local(2026, 11, 27, 17)),))
    assert shown(amendment.changes) == [
        ("deadline-moved", "2026-11-20T17:00:00-06:00", "2026-11-27T17:00:00-06:00", "")]
    assert amendment.date.isoformat() == "2026-11-10T09:00:00-06:00"


def test_a_deadline_given_in_utc_is_shown_in_the_city_time_zone():
    (amendment,) = history(notice("2", "2026-11-10T15:00:00Z", tenderPeriod={"endDate": "2026-11-27T23:00:00Z"}))
    (change,) = amendment.changes
    assert change.after.isoformat() == "2026-11-27T17:00:00-06:00"
    assert change.after.tzinfo == TZ and change.after.tzinfo.key == "America/Chicago"
    assert amendment.date.isoformat() == "2026-11-10T09:00:00-06:00"


def test_a_summer_deadline_with_an_offset_is_shown_in_central_daylight_time():
    first = release(id="1", date="2026-06-01T09:00:00-05:00",
                    tender={"id": "t1", "tenderPeriod": {"endDate": "2026-06-20T17:00:00-05:00"}})
    later = notice("2", "2026-06-10T09:00:00-05:00", tenderPeriod={"endDate": "2026-07-01T20:00:00+00:00"})
    (amendment,) = tender_details.amendments([first, later], TZ)
    assert shown(amendment.changes) == [
        ("deadline-moved", "2026-06-20T17:00:00-05:00", "2026-07-01T15:00:00-05:00", "")]


def test_the_same_deadline_written_with_another_offset_is_not_a_change():
    assert history(notice("2", "2026-11-10T09:00:00-06:00", tenderPeriod={"endDate": "2026-11-20T23:00:00Z"})) == ()


def test_a_release_that_omits_the_tender_period_keeps_the_deadline():
    retitled = notice("2", "2026-11-05T09:00:00-06:00", title="Road salt 2026-27")  # no tenderPeriod at all
    started = notice("3", "2026-11-06T09:00:00-06:00", tenderPeriod={"startDate": "2026-11-02T09:00:00-06:00"})
    moved = notice("4", "2026-11-07T09:00:00-06:00", tenderPeriod={"endDate": "2026-11-24T17:00:00-06:00"})
    amendments = history(retitled, started, moved)
    assert [a.release_id for a in amendments] == ["4", "2"]  # "3" changed nothing a bidder sees
    assert shown(amendments[0].changes) == [
        ("deadline-moved", "2026-11-20T17:00:00-06:00", "2026-11-24T17:00:00-06:00", "")]
    assert shown(amendments[1].changes) == [("title-changed", "Road salt", "Road salt 2026-27", "")]


def test_a_deadline_first_given_later_is_not_a_move():
    first = release(id="1", date="2026-11-01T09:00:00-06:00", tender={"id": "t1", "title": "Road salt"})
    later = notice("2", "2026-11-02T09:00:00-06:00", tenderPeriod={"endDate": "2026-11-20T17:00:00-06:00"})
    assert tender_details.amendments([first, later], TZ) == ()


def test_questions_moved():
    (amendment,) = history(notice("2", "2026-11-10T09:00:00-06:00",
                                  enquiryPeriod={"endDate": "2026-11-16T12:00:00-06:00"}))
    assert shown(amendment.changes) == [
        ("questions-moved", "2026-11-13T17:00:00-06:00", "2026-11-16T12:00:00-06:00", "")]


def test_value_changed():
    (amendment,) = history(notice("2", "2026-11-10T09:00:00-06:00", value={"amount": 275000.5, "currency": "USD"}))
    assert amendment.changes == (Change("value-changed", usd(250000), Money(Decimal("275000.5"), "USD")),)


def test_a_currency_change_is_a_value_change():
    (amendment,) = history(notice("2", "2026-11-10T09:00:00-06:00", value={"amount": 250000, "currency": "CAD"}))
    assert amendment.changes == (Change("value-changed", usd(250000), Money(Decimal(250000), "CAD")),)


def test_the_same_value_written_as_a_float_is_not_a_change():
    assert history(notice("2", "2026-11-10T09:00:00-06:00", value={"amount": 250000.0, "currency": "USD"})) == ()


def test_a_value_that_gives_only_the_amount_keeps_its_currency():
    # OCDS merges objects field by field: the currency the first notice gave still holds.
    (amendment,) = history(notice("2", "2026-11-10T09:00:00-06:00", value={"amount": 300000}))
    assert amendment.changes == (Change("value-changed", usd(250000), usd(300000)),)


def test_status_changed():
    (amendment,) = history(notice("2", "2026-11-12T09:00:00-06:00", tag="tenderCancellation", status="cancelled"))
    assert amendment == Amendment(local(2026, 11, 12, 9), "2", (Change("status-changed", "active", "cancelled"),))


@pytest.mark.parametrize("field, kind, before", [
    ("title", "title-changed", "Road salt"),
    ("description", "description-changed", "Rock salt for winter"),
    ("eligibilityCriteria", "eligibility-changed", "Licensed in the state"),
    ("submissionMethodDetails", "submission-changed", "Upload to the bid portal"),
])
def test_text_changes(field, kind, before):
    (amendment,) = history(notice("2", "2026-11-10T09:00:00-06:00", **{field: "  New wording  "}))
    assert amendment.changes == (Change(kind, before, "New wording"),)  # compared as trimmed text


def test_text_that_differs_only_in_surrounding_space_is_not_a_change():
    assert history(notice("2", "2026-11-10T09:00:00-06:00", title=" Road salt ")) == ()


def test_meeting_moved():
    (amendment,) = history(notice("2", "2026-11-03T09:00:00-06:00", milestones=[
        {"id": "m1", "title": "Pre-bid meeting", "dueDate": "2026-11-06T14:00:00-06:00"}]))
    assert shown(amendment.changes) == [
        ("meeting-moved", "2026-11-05T10:00:00-06:00", "2026-11-06T14:00:00-06:00", "Pre-bid meeting")]


def test_a_meeting_without_a_title_is_named_by_its_id():
    added = notice("2", "2026-11-03T09:00:00-06:00", milestones=[{"id": "m2", "dueDate": "2026-11-07T14:00:00Z"}])
    moved = notice("3", "2026-11-04T09:00:00-06:00", milestones=[{"id": "m2", "dueDate": "2026-11-07T20:00:00Z"}])
    assert [shown(a.changes) for a in history(added, moved)] == [
        [("meeting-moved", "2026-11-07T08:00:00-06:00", "2026-11-07T14:00:00-06:00", "m2")],
        [("meeting-added", None, "2026-11-07T08:00:00-06:00", "m2")],
    ]


def test_meeting_added():
    (amendment,) = history(notice("2", "2026-11-03T09:00:00-06:00", milestones=[
        {"id": "m1", "title": "Pre-bid meeting", "dueDate": "2026-11-05T10:00:00-06:00"},
        {"id": "m2", "title": "Site visit", "type": "engagement", "dueDate": "2026-11-07T08:30:00-06:00"}]))
    assert shown(amendment.changes) == [("meeting-added", None, "2026-11-07T08:30:00-06:00", "Site visit")]


def test_a_meeting_repeated_without_its_date_keeps_the_date():
    # A milestone matched by id: the date the release leaves out keeps its earlier value.
    renamed = notice("2", "2026-11-03T09:00:00-06:00", milestones=[{"id": "m1", "title": "Pre-bid conference"}])
    assert history(renamed) == ()
    moved = notice("3", "2026-11-04T09:00:00-06:00", milestones=[{"id": "m1", "dueDate": "2026-11-06T10:00:00-06:00"}])
    (amendment,) = history(renamed, moved)
    assert shown(amendment.changes) == [
        ("meeting-moved", "2026-11-05T10:00:00-06:00", "2026-11-06T10:00:00-06:00", "Pre-bid conference")]


def test_document_added():
    (amendment,) = history(notice("2", "2026-11-08T09:00:00-06:00", documents=[
        {"id": "d2", "title": "Addendum 1", "url": "https://city.example/add1.pdf",
         "datePublished": "2026-11-08T09:00:00-06:00"}]))
    assert amendment.changes == (Change("document-added", subject="Addendum 1"),)


def test_a_document_is_matched_by_id_and_a_new_url_is_an_update():
    (amendment,) = history(notice("2", "2026-11-08T09:00:00-06:00", documents=[
        {"id": "d1", "title": "Specifications (revised)", "url": "https://city.example/specs-v2.pdf",
         "datePublished": "2026-11-01T09:00:00-06:00"}]))
    assert amendment.changes == (Change("document-updated", subject="Specifications (revised)"),)


def test_a_document_with_a_new_modified_date_is_an_update():
    (amendment,) = history(notice("2", "2026-11-08T09:00:00-06:00", documents=[
        {"id": "d1", "title": "Specifications", "url": "https://city.example/specs.pdf",
         "datePublished": "2026-11-01T09:00:00-06:00", "dateModified": "2026-11-08T09:00:00-06:00"}]))
    assert amendment.changes == (Change("document-updated", subject="Specifications"),)


def test_a_document_with_a_new_id_is_added_even_with_a_known_title():
    (amendment,) = history(notice("2", "2026-11-08T09:00:00-06:00", documents=[
        {"id": "d9", "title": "Specifications", "url": "https://city.example/specs.pdf"}]))
    assert amendment.changes == (Change("document-added", subject="Specifications"),)


def test_a_document_repeated_with_only_its_title_is_not_updated():
    # Matched by id, the url and date the release leaves out keep their values; a new title alone is no new file.
    assert history(notice("2", "2026-11-08T09:00:00-06:00", documents=[{"id": "d1", "title": "Specs"}])) == ()


def test_lot_added():
    (amendment,) = history(notice("2", "2026-11-08T09:00:00-06:00", lots=[
        {"id": "L1", "title": "North yard"}, {"id": "L2", "title": "South yard"}, {"id": "L3"}]))
    assert amendment.changes == (Change("lot-added", subject="South yard"), Change("lot-added", subject="L3"))


def test_questions_answered():
    one = notice("2", "2026-11-09T09:00:00-06:00", tag="tenderUpdate", enquiries=[
        {"id": "q1", "description": "Bagged or bulk?", "answer": "Bulk."},
        {"id": "q2", "description": "Delivery hours?"}])
    both = notice("3", "2026-11-11T09:00:00-06:00", tag="tenderUpdate", enquiries=[
        {"id": "q1", "description": "Bagged or bulk?", "answer": "Bulk."},
        {"id": "q2", "description": "Delivery hours?", "answer": "7am to 3pm."}])
    silent = notice("4", "2026-11-12T09:00:00-06:00", title="Road salt")  # no enquiries: nothing answered
    assert history(one, both, silent) == (
        Amendment(local(2026, 11, 11, 9), "3", (Change("questions-answered", 1, 2),)),
        Amendment(local(2026, 11, 9, 9), "2", (Change("questions-answered", 0, 1),)),
    )


def test_questions_are_matched_by_id_across_releases():
    # Each release lists only its new question; the merged record holds both answers.
    one = notice("2", "2026-11-09T09:00:00-06:00", enquiries=[{"id": "q1", "answer": "Bulk."}])
    other = notice("3", "2026-11-11T09:00:00-06:00", enquiries=[{"id": "q2", "answer": "7am to 3pm."}])
    assert [a.changes for a in history(one, other)] == [
        (Change("questions-answered", 1, 2),), (Change("questions-answered", 0, 1),)]


def test_changes_of_one_release_in_a_fixed_order():
    everything = notice(
        "2", "2026-11-10T09:00:00-06:00",
        tenderPeriod={"endDate": "2026-11-27T17:00:00-06:00"}, enquiryPeriod={"endDate": "2026-11-20T12:00:00-06:00"},
        value={"amount": 260000, "currency": "USD"}, status="active", title="Road salt and sand",
        description="Rock salt and sand", eligibilityCriteria="Licensed", submissionMethodDetails="Paper only",
        milestones=[{"id": "m1", "title": "Pre-bid meeting", "dueDate": "2026-11-06T10:00:00-06:00"},
                    {"id": "m2", "title": "Site visit", "dueDate": "2026-11-09T10:00:00-06:00"}],
        documents=[{"id": "d1", "title": "Specifications", "url": "https://city.example/specs-v2.pdf"},
                   {"id": "d2", "title": "Addendum 1", "url": "https://city.example/add1.pdf"}],
        lots=[{"id": "L2", "title": "Sand"}],
        enquiries=[{"id": "q1", "answer": "Bulk."}])
    (amendment,) = history(everything)
    assert shown(amendment.changes) == [
        ("deadline-moved", "2026-11-20T17:00:00-06:00", "2026-11-27T17:00:00-06:00", ""),
        ("questions-moved", "2026-11-13T17:00:00-06:00", "2026-11-20T12:00:00-06:00", ""),
        ("value-changed", usd(250000), usd(260000), ""),
        ("title-changed", "Road salt", "Road salt and sand", ""),
        ("description-changed", "Rock salt for winter", "Rock salt and sand", ""),
        ("eligibility-changed", "Licensed in the state", "Licensed", ""),
        ("submission-changed", "Upload to the bid portal", "Paper only", ""),
        ("meeting-moved", "2026-11-05T10:00:00-06:00", "2026-11-06T10:00:00-06:00", "Pre-bid meeting"),
        ("meeting-added", None, "2026-11-09T10:00:00-06:00", "Site visit"),
        ("document-updated", None, None, "Specifications"),
        ("document-added", None, None, "Addendum 1"),
        ("lot-added", None, None, "Sand"),
        ("questions-answered", 0, 1, ""),
    ]


def test_amendments_are_newest_first_and_compare_with_the_state_built_so_far():
    second = notice("2", "2026-11-05T09:00:00-06:00", tenderPeriod={"endDate": "2026-11-24T17:00:00-06:00"})
    third = notice("3", "2026-11-09T09:00:00-06:00", tenderPeriod={"endDate": "2026-12-01T17:00:00-06:00"})
    fourth = notice("4", "2026-11-12T09:00:00-06:00", title="Road salt (rebid)")
    amendments = history(second, third, fourth)
    assert [(a.release_id, a.date.isoformat()) for a in amendments] == [
        ("4", "2026-11-12T09:00:00-06:00"), ("3", "2026-11-09T09:00:00-06:00"), ("2", "2026-11-05T09:00:00-06:00")]
    assert shown(amendments[1].changes) == [
        ("deadline-moved", "2026-11-24T17:00:00-06:00", "2026-12-01T17:00:00-06:00", "")]


def test_releases_without_a_tender_are_ignored():
    award = release(id="award", date="2026-11-25T09:00:00-06:00", tag=["award"],
                    awards=[{"id": "a1", "status": "active"}])
    del award["tender"]
    empty = release(id="empty", date="2026-11-26T09:00:00-06:00", tag=["tenderUpdate"], tender={})
    not_object = release(id="odd", date="2026-11-27T09:00:00-06:00", tag=["tenderUpdate"], tender=["x"])
    moved = notice("5", "2026-11-28T09:00:00-06:00", tenderPeriod={"endDate": "2026-12-04T17:00:00-06:00"})
    amendments = history(award, empty, not_object, moved)
    assert [a.release_id for a in amendments] == ["5"]
    assert shown(amendments[0].changes) == [
        ("deadline-moved", "2026-11-20T17:00:00-06:00", "2026-12-04T17:00:00-06:00", "")]


def test_a_release_without_a_date_still_counts():
    undated = notice("2", "", title="Road salt (rebid)")
    (amendment,) = history(undated)
    assert amendment.date is None and amendment.release_id == "2"


# --- tender details -------------------------------------------------------------------------

@pytest.mark.parametrize("address, expected", [
    ({"streetAddress": "100 Harbor Sq", "locality": "Alderport", "region": "IL", "postalCode": "60601"},
     "100 Harbor Sq, Alderport, IL, 60601"),
    ({"locality": " Alderport ", "postalCode": "60601"}, "Alderport, 60601"),
    ({"description": "City Hall, Room 210"}, "City Hall, Room 210"),
    ({"description": "Loading dock", "streetAddress": "5 Salt Rd"}, "Loading dock: 5 Salt Rd"),
    ({"description": "", "streetAddress": 12, "countryName": "US"}, ""),
    ("100 Harbor Sq", ""),
    (None, ""),
])
def test_address_text(address, expected):
    assert tender_details.address_text(address) == expected


def test_milestones_in_date_order_with_undated_last():
    tender = {"milestones": [
        {"id": "m3", "title": "Undated"},
        {"id": "m2", "type": "engagement", "dueDate": "2026-11-05T16:00:00Z", "description": "Room 210"},
        {"id": "m1", "title": "Pre-bid meeting", "type": "engagement", "dueDate": "2026-11-05T10:00:00-06:00"},
        {"id": "m0", "title": "Earlier", "dueDate": "2026-11-04T10:00:00-06:00"},
        "not an object",
    ]}
    found = tender_details.milestones(tender, TZ)
    assert found == (
        Milestone("m0", "Earlier", "", local(2026, 11, 4, 10), ""),
        # same instant: ties go by id
        Milestone("m1", "Pre-bid meeting", "engagement", local(2026, 11, 5, 10), ""),
        Milestone("m2", "m2", "engagement", local(2026, 11, 5, 10), "Room 210"),
        Milestone("m3", "Undated", "", None, ""),
    )
    assert found[2].date.isoformat() == "2026-11-05T10:00:00-06:00"
    assert tender_details.milestones({}, TZ) == () and tender_details.milestones({"milestones": "x"}, TZ) == ()


def test_enquiries():
    tender = {"enquiries": [
        {"id": "q1", "title": "Bags", "description": "Bagged or bulk?", "answer": "Bulk.",
         "date": "2026-11-03T15:00:00Z", "dateAnswered": "2026-11-04T09:00:00-06:00", "relatedLot": "L1"},
        {"id": "q2", "description": "Delivery hours?"},
        42,
    ]}
    assert tender_details.enquiries(tender, TZ) == (
        Enquiry("Bags", "Bagged or bulk?", "Bulk.", local(2026, 11, 3, 9), local(2026, 11, 4, 9), "L1"),
        Enquiry("", "Delivery hours?", "", None, None, ""),
    )


def test_lots():
    tender = {"lots": [
        {"id": "L1", "title": "North yard", "description": "2,000 tons", "value": {"amount": 80000, "currency": "USD"},
         "suitability": {"sme": True}},
        {"id": "L2", "value": {"amount": "80000", "currency": "USD"}, "suitability": "yes"},
    ]}
    assert tender_details.lots(tender) == (
        Lot("L1", "North yard", "2,000 tons", usd(80000), True),
        Lot("L2", "L2", "", None, False),
    )


@pytest.mark.parametrize("tender, expected", [
    ({"suitability": {"sme": True}}, True),
    ({"suitability": {"sme": False}, "lots": [{"id": "1", "suitability": {"sme": True}},
                                              {"id": "2", "suitability": {"sme": True}}]}, True),
    ({"lots": [{"id": "1", "suitability": {"sme": True}}, {"id": "2"}]}, False),
    ({"lots": []}, False),
    ({}, False),
    ({"suitability": True}, False),
])
def test_sme_suitable(tender, expected):
    assert tender_details.sme_suitable(tender) is expected


def test_submission_terms():
    tender = {"submissionTerms": {
        "electronicSubmissionPolicy": "allowed", "depositsGuarantees": "5% bid bond",
        "bidValidityPeriod": {"durationInDays": 90}, "multipleBidsAllowed": False,
        "nonElectronicSubmission": {"address": {"streetAddress": "100 Harbor Sq", "locality": "Alderport"},
                                    "rationale": "Sealed samples"}}}
    terms = tender_details.submission_terms(tender)
    assert terms == SubmissionTerms("allowed", "5% bid bond", 90, False, "100 Harbor Sq, Alderport", "Sealed samples")
    assert bool(terms)


def test_submission_terms_ignore_values_of_the_wrong_type():
    terms = tender_details.submission_terms({"submissionTerms": {"bidValidityPeriod": {"durationInDays": True},
                                                         "multipleBidsAllowed": "yes", "electronicSubmissionPolicy": 1}})
    assert terms == SubmissionTerms("", "", None, None, "", "")
    assert not terms
    assert tender_details.submission_terms({"submissionTerms": {"bidValidityPeriod": {"durationInDays": "90"}}}) \
        .bid_validity_days is None
    assert tender_details.submission_terms({}) == SubmissionTerms("", "", None, None, "", "")


def test_submission_terms_count_when_only_multiple_bids_is_known():
    assert bool(tender_details.submission_terms({"submissionTerms": {"multipleBidsAllowed": False}}))
    assert bool(tender_details.submission_terms({"submissionTerms": {"bidValidityPeriod": {"durationInDays": 0}}}))


def test_goals_only_from_the_city_schemes_and_once_each():
    tender = {"items": [
        {"id": "1", "additionalClassifications": [
            {"scheme": "ALDERPORT-CERT", "id": "SLBE", "description": "Small local business"},
            {"scheme": "UNSPSC", "id": "12352300", "description": "Salt"},
            {"scheme": "ALDERPORT-CERT", "id": "MBE"}]},
        {"id": "2", "additionalClassifications": [
            {"scheme": "ALDERPORT-CERT", "id": "SLBE", "description": "Small local business"},
            {"scheme": "STATE-DBE", "id": "DBE", "description": "Disadvantaged business"},
            {"scheme": "ALDERPORT-CERT"}]},
    ]}
    goals = tender_details.goals(tender, ("ALDERPORT-CERT",))
    assert [g.text for g in goals] == ["Small local business", "MBE"]
    assert [g.code for g in goals] == ["SLBE", "MBE"]
    assert [g.text for g in tender_details.goals(tender, ("ALDERPORT-CERT", "STATE-DBE"))] == [
        "Small local business", "MBE", "Disadvantaged business"]
    assert tender_details.goals(tender, ()) == ()


@pytest.mark.parametrize("items, expected", [
    ([{"id": "1", "deliveryAddresses": [{"countryName": "US"}, {"streetAddress": "5 Salt Rd", "locality": "Alderport"}]},
      {"id": "2", "deliveryAddresses": [{"streetAddress": "9 Other St"}]}], "5 Salt Rd, Alderport"),
    ([{"id": "1", "deliveryLocation": {"description": "North yard"}}], "North yard"),
    ([{"id": "1"}, {"id": "2", "deliveryAddresses": [{"locality": "Alderport"}]}], "Alderport"),
    ([{"id": "1", "deliveryLocation": {"geometry": {}}}], ""),
    ([], ""),
])
def test_delivery_place(items, expected):
    assert tender_details.delivery_place({"items": items}) == expected


# --- the same details through the view model ------------------------------------------------

@pytest.fixture(scope="module")
def merger(demo_kit):
    return records.make_merger(demo_kit.release_schema)


def site_of(releases, merger, **settings):
    sources = [SourceRelease(r, "ocds_data/a.json", f"/releases/{i}", i) for i, r in enumerate(releases)]
    compiled, problems = records.compile_all(records.group_by_ocid(sources), merger)
    assert problems == []
    base = Settings(city_name="Alderport", ocid_prefixes=("ocds-aldrpt",), publisher_name="Alderport",
                    timezone="America/Chicago")
    return build_site(compiled, base.with_overrides(**settings), TODAY, ())


def test_process_details_come_from_the_merged_record(merger):
    tender = {**TENDER, "contractPeriod": {"startDate": "2027-01-01T00:00:00-06:00", "endDate": "2027-12-31T00:00:00-06:00"},
              "items": [{"id": "1", "classification": {"scheme": "UNSPSC", "id": "12352300"},
                         "additionalClassifications": [
                             {"scheme": "ALDERPORT-CERT", "id": "SLBE", "description": "Small local business"},
                             {"scheme": "OTHER", "id": "X", "description": "Elsewhere"}]},
                        {"id": "2", "additionalClassifications": [
                            {"scheme": "ALDERPORT-CERT", "id": "SLBE", "description": "Small local business"}]}]}
    first = release(id="1", date="2026-11-01T09:00:00-06:00", tender=tender)
    moved = notice("2", "2026-11-10T09:00:00-06:00", tenderPeriod={"endDate": "2026-11-27T17:00:00-06:00"})
    answered = notice("3", "2026-11-12T09:00:00-06:00", tag="tenderUpdate",
                      enquiries=[{"id": "q1", "answer": "Bulk."}])
    site = site_of([answered, first, moved], merger, certification_schemes=("ALDERPORT-CERT",))
    (process,) = site.processes
    assert [g.text for g in process.goals] == ["Small local business"]
    assert (process.contract_start.isoformat(), process.contract_end.isoformat(), process.contract_days) == (
        "2027-01-01T00:00:00-06:00", "2027-12-31T00:00:00-06:00", 364)
    assert process.deadline.isoformat() == "2026-11-27T17:00:00-06:00"
    assert [(a.release_id, [c.kind for c in a.changes]) for a in process.amendments] == [
        ("3", ["questions-answered"]), ("2", ["deadline-moved"])]
    # The merged record keeps both questions, one answered: what the history says.
    assert [(e.question, e.answer) for e in process.enquiries] == [("Bagged or bulk?", "Bulk."), ("Delivery hours?", "")]
    assert process.published.isoformat() == "2026-11-01T09:00:00-06:00"


def test_a_published_contract_duration_wins_over_the_dates(merger):
    tender = {**TENDER, "contractPeriod": {"startDate": "2027-01-01T00:00:00-06:00",
                                           "endDate": "2027-12-31T00:00:00-06:00", "durationInDays": 365}}
    (process,) = site_of([release(id="1", date="2026-11-01T09:00:00-06:00", tender=tender)], merger).processes
    assert process.contract_days == 365
    assert process.goals == ()  # no schemes configured: no goals


def test_the_history_agrees_with_the_merged_record(merger):
    # Later notices repeat only what they change; ocdsmerge keeps the rest, and so must the history.
    partial = notice("2", "2026-11-08T09:00:00-06:00", value={"amount": 300000},
                     milestones=[{"id": "m1", "title": "Pre-bid conference"}],
                     documents=[{"id": "d1", "title": "Specifications v2"}],
                     enquiries=[{"id": "q1", "answer": "Bulk."}])
    other = notice("3", "2026-11-09T09:00:00-06:00", enquiries=[{"id": "q2", "answer": "7am to 3pm."}])
    (process,) = site_of([FIRST, partial, other], merger).processes
    assert process.value == usd(300000)
    assert [(m.title, m.date) for m in process.milestones] == [("Pre-bid conference", local(2026, 11, 5, 10))]
    assert [(d.title, d.url) for d in process.documents] == [("Specifications v2", "https://city.example/specs.pdf")]
    assert [e.answer for e in process.enquiries] == ["Bulk.", "7am to 3pm."]
    assert [(a.release_id, a.changes) for a in process.amendments] == [
        ("3", (Change("questions-answered", 1, 2),)),
        ("2", (Change("value-changed", usd(250000), usd(300000)), Change("questions-answered", 0, 1))),
    ]


# --- review fixes: plans are not addenda, only bidders' milestones, rationale-only terms ---

def test_a_planned_tender_is_not_the_baseline_the_first_notice_is():
    plan = release(id="0", date="2026-10-01T09:00:00-05:00", tag=["planning"],
                   tender={"id": "t1", "status": "planned", "title": "Road salt",
                           "documents": [{"id": "f", "title": "Forecast", "url": "https://city.example/f.pdf"}]})
    assert tender_details.amendments([plan, FIRST], TZ) == ()
    moved = notice("2", "2026-11-10T09:00:00-06:00",
                   tenderPeriod={"startDate": "2026-11-01T09:00:00-06:00", "endDate": "2026-11-24T17:00:00-06:00"})
    (only,) = tender_details.amendments([plan, FIRST, moved], TZ)
    assert shown(only.changes) == [("deadline-moved", "2026-11-20T17:00:00-06:00", "2026-11-24T17:00:00-06:00", "")]


def test_contract_milestones_are_not_bidder_dates_nor_changes():
    tender = {"milestones": [{"id": "d", "title": "Delivery", "type": "delivery", "dueDate": "2027-01-05T10:00:00-06:00"},
                             {"id": "m", "title": "Site visit", "type": "engagement", "dueDate": "2026-11-05T10:00:00-06:00"}]}
    assert [m.id for m in tender_details.milestones(tender, TZ)] == ["m"]
    later = notice("2", "2026-11-10T09:00:00-06:00", milestones=[
        {"id": "d2", "title": "Delivery", "type": "delivery", "dueDate": "2027-02-05T10:00:00-06:00"}])
    assert history(later) == ()


def test_submission_terms_count_when_only_the_paper_rationale_is_known():
    terms = tender_details.submission_terms({"submissionTerms": {"nonElectronicSubmission": {"rationale": "Sealed bids"}}})
    assert terms and terms.in_person_rationale == "Sealed bids"
