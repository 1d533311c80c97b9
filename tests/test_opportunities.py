"""opportunities: the facets, sorted lists and past solicitations a vendor browses; and, through
the view model, which opportunities are new and who holds the city's current contract (only when
the data links the processes; else similar past contracts, a guess)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator import routes
from generator.inputs.settings import Settings
from generator.records import CompiledRecord
from generator.related import FOLLOW_ON, RENEWAL, REPLACEMENT
from generator.site import holders, opportunity_lists
from generator.site.assemble import build_site
from generator.site.contracts import Award
from generator.site.opportunity_lists import CATEGORY, CLOSING, DEPARTMENT, FACET_KINDS, METHOD, SME, VALUE, Facet
from generator.site.parties import Contact, OrgRef
from generator.site.process import AWARDED, CANCELLED, EVALUATION, FORECAST, OPEN, Category, Process
from generator.site.texts import Name
from generator.values import Money

TZ = ZoneInfo("America/Chicago")
TODAY = dt.date(2026, 11, 16)
SETTINGS = Settings(city_name="Alderport", ocid_prefixes=("ocds-aldrpt",), publisher_name="Alderport",
                    timezone="America/Chicago", currency="USD")


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def usd(amount) -> Money:
    return Money(Decimal(str(amount)), "USD")


def proc(ocid: str, stage: str = OPEN, tender_status: str = "active", buyer: tuple[str, str] | None = None,
         category: tuple[str, str] | None = None, method: str = "open", method_details: str = "",
         value: Money | None = None, deadline: dt.datetime | None = None, days_left: int | None = None,
         published: dt.datetime | None = None, sme: bool = False, **more) -> Process:
    """A hand-built process with only what the listings read."""
    return dataclasses.replace(Process(
        ocid=ocid, path=routes.process_path(ocid), title=ocid, description="", stage=stage,
        tender_status=tender_status,
        buyer=OrgRef(buyer[0], buyer[1], routes.buyer_path(buyer[0])) if buyer else None,
        categories=(Category("UNSPSC", category[0], category[1]),) if category else (),
        main_category="", method=method, method_details=method_details, value=value, tender_start=None,
        deadline=deadline, enquiry_end=None, days_left=days_left, closing_soon=False, sme_suitable=sme,
        submission_methods=(), submission_details="", eligibility="", documents=(), awards=(), contracts=(),
        timeline=(), contact=Contact(), number_of_tenderers=None, last_updated=None, published=published), **more)


def ocids(items) -> list[str]:
    return [p.ocid for p in items]


def facet_rows(result, kind) -> list[tuple]:
    return [(f.key, f.title, ocids(f.items)) for f in result.facets[kind]]


# --- facets ---------------------------------------------------------------------------------

def test_facets_group_by_first_category_department_and_method_in_title_order():
    items = (
        proc("o-1", buyer=("PW", "Public Works"), category=("72141100", "paving")),
        proc("o-2", buyer=("parks", "Parks and Recreation"), category=("43211500", "Computers"),
             method="selective", method_details="Invitation to Bid",
             categories=(Category("UNSPSC", "43211500", "Computers"), Category("UNSPSC", "72141100", "paving"))),
        proc("o-3", buyer=("PW", "Public Works (renamed)"), category=("30111500", "Asphalt")),
        proc("o-4", buyer=("zz", "public works"), category=("72141100", "Paving again")),
        proc("o-5", method="", method_details=""),
    )
    result = opportunity_lists.build(items, (), "USD")
    # o-2's second category does not put it in "paving"; titles sort case-insensitively.
    assert facet_rows(result, CATEGORY) == [
        ("30111500", "Asphalt", ["o-3"]), ("43211500", "Computers", ["o-2"]), ("72141100", "paving", ["o-1", "o-4"])]
    # The first name seen titles a department; equal titles go by key.
    assert facet_rows(result, DEPARTMENT) == [
        ("parks", "Parks and Recreation", ["o-2"]), ("PW", "Public Works", ["o-1", "o-3"]),
        ("zz", "public works", ["o-4"])]
    # The city's own method name wins over the code; a process with neither is in no method facet.
    assert facet_rows(result, METHOD) == [("Invitation to Bid", "Invitation to Bid", ["o-2"]),
                                          ("open", "open", ["o-1", "o-3", "o-4"])]
    assert list(result.facets) == list(FACET_KINDS)
    assert result.facets[SME] == () and result.facets[VALUE] == () and result.facets[CLOSING] == ()


def test_facet_items_keep_the_given_order_and_facets_have_their_pages():
    items = tuple(proc(f"o-{n}", category=("72141100", "Paving"), sme=True) for n in (3, 1, 2))
    result = opportunity_lists.build(items, (), "USD")
    (paving,) = result.facets[CATEGORY]
    assert ocids(paving.items) == ["o-3", "o-1", "o-2"]  # soonest deadline first, as given
    assert paving.path == "opportunities/category/72141100/index.html" == routes.opportunity_facet_path(
        CATEGORY, "72141100")
    assert paving.low is None and paving.high is None
    (sme,) = result.facets[SME]
    assert (sme.key, sme.title, sme.path, ocids(sme.items)) == (
        "yes", "", "opportunities/sme/yes/index.html", ["o-3", "o-1", "o-2"])


def test_a_key_that_is_not_a_clean_slug_gets_a_safe_page():
    result = opportunity_lists.build((proc("o-1", method_details="Invitation to Bid"),), (), "USD")
    (facet,) = result.facets[METHOD]
    assert facet.slug == routes.slug("Invitation to Bid") and facet.slug.startswith("invitation-to-bid_")
    assert facet.path == f"opportunities/method/{facet.slug}/index.html"


def test_facet_of():
    result = opportunity_lists.build((proc("o-1", category=("72141100", "Paving")),), (), "USD")
    assert result.facet_of(CATEGORY, "72141100").items[0].ocid == "o-1"
    assert result.facet_of(CATEGORY, "00000000") is None
    assert result.facet_of("nonsense", "72141100") is None


@pytest.mark.parametrize("value, band", [
    (usd(0), "under-25000"),
    (usd("24999.99"), "under-25000"),
    (usd(25000), "25000-100000"),
    (usd("25000.00"), "25000-100000"),
    (usd("99999.99"), "25000-100000"),
    (usd(100000), "100000-1000000"),
    (usd(999999), "100000-1000000"),
    (usd(1000000), "over-1000000"),
    (usd(2 ** 70), "over-1000000"),
    (Money(Decimal(50000), "EUR"), ""),
    (None, ""),
])
def test_value_band(value, band):
    assert opportunity_lists.value_band(proc("o-1", value=value), "USD") == band


def test_value_facets_in_band_order_with_their_bounds():
    items = (proc("o-big", value=usd(1000000)), proc("o-25k", value=usd(25000)), proc("o-eur", value=Money(
        Decimal(30000), "EUR")), proc("o-small", value=usd("24999.99")), proc("o-none"), proc("o-26k", value=usd(26000)))
    result = opportunity_lists.build(items, (), "USD")
    assert [(f.key, ocids(f.items), f.low, f.high, f.title) for f in result.facets[VALUE]] == [
        ("under-25000", ["o-small"], None, usd(25000), ""),
        ("25000-100000", ["o-25k", "o-26k"], usd(25000), usd(100000), ""),
        ("over-1000000", ["o-big"], usd(1000000), None, ""),  # no empty band in between
    ]
    assert all(f.low is None or f.low.currency == "USD" for f in result.facets[VALUE])


def test_value_bands_are_in_the_site_currency():
    items = (proc("o-eur", value=Money(Decimal(30000), "EUR")), proc("o-usd", value=usd(30000)))
    (band,) = opportunity_lists.build(items, (), "EUR").facets[VALUE]
    assert (band.key, ocids(band.items), band.low, band.high) == (
        "25000-100000", ["o-eur"], Money(Decimal(25000), "EUR"), Money(Decimal(100000), "EUR"))


@pytest.mark.parametrize("stage, days_left, within", [
    (OPEN, 0, (7, 14, 30)),
    (OPEN, 7, (7, 14, 30)),
    (OPEN, 8, (14, 30)),
    (OPEN, 14, (14, 30)),
    (OPEN, 15, (30,)),
    (OPEN, 30, (30,)),
    (OPEN, 31, ()),
    (OPEN, None, ()),
    (FORECAST, 3, ()),
])
def test_closing_within(stage, days_left, within):
    assert opportunity_lists.closing_within(proc("o-1", stage=stage, days_left=days_left)) == within


def test_closing_facets_count_and_order_by_days():
    items = (proc("o-0", days_left=0), proc("o-7", days_left=7), proc("o-8", days_left=8), proc("o-20", days_left=20),
             proc("o-40", days_left=40), proc("f-1", stage=FORECAST, tender_status="planned", days_left=2))
    result = opportunity_lists.build(items, (), "USD")
    # 7, 14, 30 by number (as text "14" < "30" < "7").
    assert [(f.key, ocids(f.items)) for f in result.facets[CLOSING]] == [
        ("7", ["o-0", "o-7"]), ("14", ["o-0", "o-7", "o-8"]), ("30", ["o-0", "o-7", "o-8", "o-20"])]
    assert result.facet_of(CLOSING, "14").path == "opportunities/closing/14/index.html"


# --- sorted lists -----------------------------------------------------------------------------

def test_newest_first_with_ties_by_ocid_and_undated_last():
    items = (proc("o-b", published=local(2026, 11, 10, 9)), proc("o-undated"),
             proc("o-a", published=local(2026, 11, 10, 9)), proc("o-c", published=local(2026, 11, 14, 8)),
             proc("o-d", published=local(2026, 11, 10, 8)),
             proc("o-e", published=dt.datetime(2026, 11, 10, 16, 0, tzinfo=dt.UTC)))  # = 10:00 Chicago
    assert ocids(opportunity_lists.build(items, (), "USD").newest) == ["o-c", "o-e", "o-a", "o-b", "o-d", "o-undated"]


def test_by_value_site_currency_first_then_others_then_none():
    items = (proc("o-none-b"), proc("o-eur", value=Money(Decimal(900), "EUR")), proc("o-small", value=usd(10)),
             proc("o-big-b", value=usd(500000)), proc("o-cad", value=Money(Decimal(10 ** 7), "CAD")),
             proc("o-big-a", value=usd("500000.00")), proc("o-none-a"), proc("o-eur-big", value=Money(Decimal(901), "EUR")),
             proc("o-mid", value=usd("499999.99")))
    assert ocids(opportunity_lists.build(items, (), "USD").by_value) == [
        "o-big-a", "o-big-b", "o-mid", "o-small", "o-cad", "o-eur-big", "o-eur", "o-none-a", "o-none-b"]


def test_past_solicitations_latest_deadline_first():
    candidates = (
        proc("p-open", deadline=local(2026, 12, 1, 17)),
        proc("p-forecast", stage=FORECAST, tender_status="planned", deadline=local(2027, 1, 1, 17)),
        proc("p-eval", stage=EVALUATION, deadline=local(2026, 11, 10, 17)),
        proc("p-awarded", stage=AWARDED, tender_status="complete", deadline=local(2026, 9, 1, 17)),
        proc("p-cancelled", stage=CANCELLED, tender_status="cancelled", deadline=local(2026, 11, 12, 17)),
        proc("p-tie-b", stage=EVALUATION, deadline=local(2026, 10, 1, 17)),
        proc("p-tie-a", stage=EVALUATION, deadline=local(2026, 10, 1, 17)),
        proc("p-undated", stage=EVALUATION, tender_status="complete"),
        # never a solicitation: awarded straight from planning (a direct award with no tender) or only planned
        proc("p-no-tender", stage=AWARDED, tender_status="", deadline=local(2026, 11, 14, 17)),
        proc("p-planning", stage=CANCELLED, tender_status="planning", deadline=local(2026, 11, 14, 17)),
        proc("p-planned", stage=AWARDED, tender_status="planned", deadline=local(2026, 11, 14, 17)),
    )
    result = opportunity_lists.build((), candidates, "USD")
    assert ocids(result.past) == ["p-cancelled", "p-eval", "p-tie-a", "p-tie-b", "p-awarded", "p-undated"]
    assert result.newest == () and result.by_value == ()
    assert all(facets == () for facets in result.facets.values())


# --- through the view model: published, new, incumbents, the lists ---------------------------

def one_release(ocid: str, date: str, tender: dict | None = None, tag: str = "tender", **more) -> CompiledRecord:
    data = {"ocid": ocid, "id": f"{ocid}-1", "date": date, "tag": [tag], **more}
    if tender is not None:
        data["tender"] = tender
    return CompiledRecord(ocid, (data,), {**data, "tag": ["compiled"]}, ("ocds_data/a.json",))


def open_tender(end: str = "2026-12-01T17:00:00-06:00", status: str = "active", code: str = "72141100", **more) -> dict:
    return {"id": "t", "status": status, "title": "Work", "tenderPeriod": {"endDate": end},
            "items": [{"id": "1", "classification": {"scheme": "UNSPSC", "id": code, "description": "Paving"}}], **more}


@pytest.mark.parametrize("date, stage, is_new", [
    ("2026-11-16T08:00:00-06:00", OPEN, True),  # today
    ("2026-11-10T09:00:00-06:00", OPEN, True),  # 6 days ago
    ("2026-11-09T23:59:00-06:00", OPEN, False),  # 7 days ago
    ("2026-11-10T03:00:00Z", OPEN, False),  # 9pm on the 9th in Chicago: 7 days ago
    ("2026-11-12T09:00:00-06:00", FORECAST, True),
    ("2026-11-09T09:00:00-06:00", FORECAST, False),
    ("2026-11-20T09:00:00-06:00", OPEN, False),  # dated in the future
])
def test_an_opportunity_is_new_for_six_days_after_it_is_published(date, stage, is_new):
    status = "planned" if stage == FORECAST else "active"
    site = build_site([one_release("ocds-aldrpt-1", date, open_tender(status=status))], SETTINGS, TODAY, ())
    (process,) = site.processes
    assert process.stage == stage
    assert process.published == dt.datetime.fromisoformat(date).astimezone(TZ)
    assert process.is_new is is_new


def test_a_closed_solicitation_is_never_new():
    record = one_release("ocds-aldrpt-1", "2026-11-14T09:00:00-06:00", open_tender(end="2026-11-15T17:00:00-06:00"))
    (process,) = build_site([record], SETTINGS, TODAY, ()).processes
    assert process.stage == EVALUATION and process.is_new is False


def test_published_is_the_first_tender_notice_not_the_plan():
    plan = {"ocid": "ocds-aldrpt-1", "id": "p", "date": "2026-09-01T09:00:00-05:00", "tag": ["planning"],
            "planning": {"rationale": "Repave"}}
    notice = {"ocid": "ocds-aldrpt-1", "id": "t", "date": "2026-11-12T09:00:00-06:00", "tag": ["tender"],
              "tender": open_tender()}
    amended = {**notice, "id": "t2", "date": "2026-11-13T09:00:00-06:00", "tag": ["tenderAmendment"]}
    record = CompiledRecord("ocds-aldrpt-1", (plan, notice, amended), {**plan, **amended, "tag": ["compiled"]}, ("a",))
    (process,) = build_site([record], SETTINGS, TODAY, ()).processes
    assert process.published.isoformat() == "2026-11-12T09:00:00-06:00" and process.is_new


PW = {"id": "PW", "name": "Public Works", "roles": ["buyer"]}
PARKS = {"id": "PARKS", "name": "Parks", "roles": ["buyer"]}


def awarded(ocid: str, date: str, award: dict, buyer: dict = PW, code: str = "72141100",
            contracts: list | None = None, supplier: tuple[str, str] = ("ACME", "Acme Paving")) -> CompiledRecord:
    parties = [buyer, {"id": supplier[0], "name": supplier[1], "roles": ["supplier"]}]
    award = {"status": "active", "suppliers": [{"id": supplier[0], "name": supplier[1]}], **award}
    more = {"contracts": contracts} if contracts else {}
    return one_release(ocid, date, open_tender(end="2025-01-10T17:00:00-06:00", status="complete", code=code,
                                               title=f"Paving {ocid}"),
                       tag="award", parties=parties, buyer={"id": buyer["id"], "name": buyer["name"]},
                       awards=[award], **more)


def opportunity(ocid: str, buyer: dict = PW, code: str = "72141100", status: str = "active", **more) -> CompiledRecord:
    return one_release(ocid, "2026-11-10T09:00:00-06:00", open_tender(status=status, code=code), parties=[buyer],
                       buyer={"id": buyer["id"], "name": buyer["name"]}, **more)


def prior(ocid: str, relationship: str = "prior", **more) -> dict:
    return {"id": "1", "relationship": [relationship], "scheme": "ocid", "identifier": ocid, **more}


def built(records) -> dict[str, Process]:
    return {p.ocid: p for p in build_site(records, SETTINGS, TODAY, ()).processes}


RENEWABLE = {"id": "c1", "awardID": "a1", "status": "active", "value": {"amount": 65000, "currency": "USD"},
             "period": {"startDate": "2025-02-01T00:00:00-06:00", "endDate": "2027-01-31T23:59:00-06:00",
                        "maxExtentDate": "2029-01-31T23:59:00-06:00"},
             "hasRenewal": True, "renewal": {"maximumRenewals": 2, "period": {"startDate": "2027-02-01T00:00:00-06:00"}}}


def test_who_holds_it_now_comes_from_the_link_to_the_prior_contract():
    """The new tender names the contract it replaces (relatedProcesses prior): its holder, value,
    end date and renewals left; a process of the same department and code that the data does not
    link is never named, however recent."""
    records = [
        opportunity("ocds-aldrpt-O1", relatedProcesses=[prior("ocds-aldrpt-A1")]),
        awarded("ocds-aldrpt-A1", "2025-01-20T09:00:00-06:00",
                {"id": "a1", "date": "2025-01-20T09:00:00-06:00", "value": {"amount": 50000, "currency": "USD"}},
                contracts=[{"id": "c0", "awardID": "a1", "status": "cancelled"}, RENEWABLE]),
        awarded("ocds-aldrpt-A2", "2026-10-01T09:00:00-05:00", {"id": "a2", "date": "2026-10-01T09:00:00-05:00"},
                supplier=("BOLT", "Bolt Paving")),  # later, same department and code: not linked
    ]
    found = built(records)
    (held,) = found["ocds-aldrpt-O1"].incumbents
    assert (held.kind, held.process_path, str(held.process_name)) == (
        FOLLOW_ON, routes.process_path("ocds-aldrpt-A1"), "Paving ocds-aldrpt-A1")
    assert held.holdings == (holders.Holding(
        Name("Paving ocds-aldrpt-A1"), (OrgRef("ACME", "Acme Paving", routes.supplier_path("ACME")),),
        usd(65000), local(2029, 1, 31, 23, 59), local(2027, 1, 31, 23, 59), holders.RenewalsLeft(holders.EXACT, 2),
        "c1"),)
    assert found["ocds-aldrpt-O1"].similar == ()
    assert all(p.incumbents == () for ocid, p in found.items() if ocid != "ocds-aldrpt-O1")


def test_the_old_contract_may_state_the_link_renewal_or_replacement():
    records = [
        opportunity("ocds-aldrpt-O1"), opportunity("ocds-aldrpt-O2", status="planned"),
        awarded("ocds-aldrpt-A1", "2025-01-20T09:00:00-06:00", {"id": "a1", "date": "2025-01-20T09:00:00-06:00"},
                contracts=[{**RENEWABLE, "relatedProcesses": [prior("ocds-aldrpt-O1", "renewalProcess")]}]),
        awarded("ocds-aldrpt-A2", "2025-01-20T09:00:00-06:00", {"id": "a2", "date": "2025-01-20T09:00:00-06:00"},
                contracts=[{"id": "c2", "awardID": "a2", "period": {"endDate": "2027-03-01T00:00:00-06:00"},
                            "relatedProcesses": [prior("ocds-aldrpt-O2", "replacementProcess")]}]),
    ]
    found = built(records)
    assert [(i.kind, i.process_path) for i in found["ocds-aldrpt-O1"].incumbents] == [
        (RENEWAL, routes.process_path("ocds-aldrpt-A1"))]
    (held,) = found["ocds-aldrpt-O2"].incumbents  # a forecast too
    assert held.kind == REPLACEMENT
    assert [(h.value, h.ends, h.term_ends, h.renewals.kind) for h in held.holdings] == [
        (None, local(2027, 3, 1), None, holders.UNKNOWN)]


def test_a_prior_process_outside_the_data_is_named_without_a_page():
    records = [opportunity("ocds-aldrpt-O1", relatedProcesses=[
        prior("ocds-aldrpt-GONE", title="Paving 2019"),
        {"id": "2", "relationship": ["prior"], "scheme": "SOURCEWELL", "identifier": "030421-XYZ",
         "title": "Sourcewell paving", "uri": "https://example.org/030421"}])]
    held = built(records)["ocds-aldrpt-O1"].incumbents
    assert [(i.process_path, i.process_name.text, i.uri, i.holdings) for i in held] == [
        ("", "Sourcewell paving", "https://example.org/030421", ()), ("", "Paving 2019", "", ())]


def test_a_prior_process_without_contracts_shows_its_active_awards():
    records = [
        opportunity("ocds-aldrpt-O1", relatedProcesses=[prior("ocds-aldrpt-A1")]),
        awarded("ocds-aldrpt-A1", "2025-01-20T09:00:00-06:00",
                {"id": "a1", "date": "2025-01-20T09:00:00-06:00", "value": {"amount": 50000, "currency": "USD"}}),
    ]
    (held,) = built(records)["ocds-aldrpt-O1"].incumbents
    assert [(h.suppliers[0].name, h.value, h.ends, h.renewals.kind) for h in held.holdings] == [
        ("Acme Paving", usd(50000), None, holders.UNKNOWN)]


def award_on(date: str, n: int) -> dict:
    return {"id": f"a{n}", "date": date, "value": {"amount": n, "currency": "USD"}}


def test_without_a_link_only_similar_past_contracts_of_the_same_department_and_unspsc_class():
    """The same class is the first 6 digits of the first UNSPSC item: 72141100 and 72141105 are
    alike; 72141100 and 72142000 are not (same family). Newest award first, at most 3."""
    records = [
        opportunity("ocds-aldrpt-O1"),
        awarded("ocds-aldrpt-A1", "2025-01-01T09:00:00-06:00", award_on("2025-01-01T09:00:00-06:00", 1)),
        awarded("ocds-aldrpt-A2", "2026-01-01T09:00:00-06:00", award_on("2026-01-01T09:00:00-06:00", 2),
                code="72141105"),
        awarded("ocds-aldrpt-A3", "2026-02-01T09:00:00-06:00", award_on("2026-02-01T09:00:00-06:00", 3)),
        awarded("ocds-aldrpt-A4", "2024-02-01T09:00:00-06:00", award_on("2024-02-01T09:00:00-06:00", 4),
                contracts=[{"id": "c4", "awardID": "a4", "period": {"endDate": "2027-02-01T00:00:00-06:00"}}]),
        awarded("ocds-aldrpt-A5", "2024-01-01T09:00:00-06:00", award_on("2024-01-01T09:00:00-06:00", 5)),  # 4th
        awarded("ocds-aldrpt-X1", "2026-09-01T09:00:00-05:00", award_on("2026-09-01T09:00:00-05:00", 6),
                code="72142000"),  # same family, another class
        awarded("ocds-aldrpt-X2", "2026-09-01T09:00:00-05:00", award_on("2026-09-01T09:00:00-05:00", 7),
                buyer=PARKS),  # another department
    ]
    found = built(records)
    similar = found["ocds-aldrpt-O1"].similar
    assert [(s.process_path, s.value) for s in similar] == [
        (routes.process_path("ocds-aldrpt-A3"), usd(3)), (routes.process_path("ocds-aldrpt-A2"), usd(2)),
        (routes.process_path("ocds-aldrpt-A1"), usd(1))]
    assert found["ocds-aldrpt-O1"].incumbents == ()
    assert all(p.similar == () for ocid, p in found.items() if ocid != "ocds-aldrpt-O1")


def test_no_similar_contracts_for_a_code_that_names_no_class_or_another_scheme():
    """72150000 is a family code (class digits 00): a family is too broad to call contracts similar."""
    records = [
        opportunity("ocds-aldrpt-O1", code="72150000"),
        awarded("ocds-aldrpt-A1", "2026-01-01T09:00:00-06:00", award_on("2026-01-01T09:00:00-06:00", 1),
                code="72150000"),
        awarded("ocds-aldrpt-A2", "2026-01-01T09:00:00-06:00", award_on("2026-01-01T09:00:00-06:00", 2),
                code="72151500"),
    ]
    assert built(records)["ocds-aldrpt-O1"].similar == ()


def test_a_link_wins_over_similar_contracts():
    records = [
        opportunity("ocds-aldrpt-O1", relatedProcesses=[prior("ocds-aldrpt-A1")]),
        awarded("ocds-aldrpt-A1", "2025-01-01T09:00:00-06:00", award_on("2025-01-01T09:00:00-06:00", 1),
                code="43211500"),
        awarded("ocds-aldrpt-A2", "2026-01-01T09:00:00-06:00", award_on("2026-01-01T09:00:00-06:00", 2)),
    ]
    found = built(records)["ocds-aldrpt-O1"]
    assert [i.process_path for i in found.incumbents] == [routes.process_path("ocds-aldrpt-A1")]
    assert found.similar == ()


def test_an_opportunity_is_never_its_own_similar_contract():
    """(Built by hand: `classify` never makes a process with an active award an opportunity.)"""
    own = Award("a-own", "", "active", local(2026, 11, 1), usd(1), ())
    other = Award("a-other", "", "active", local(2026, 1, 1), usd(2), ())
    processes = {
        "o-1": proc("o-1", buyer=("PW", "Public Works"), category=("72141100", "Paving"), awards=(own,)),
        "p-1": proc("p-1", stage=AWARDED, buyer=("PW", "Public Works"), category=("72141100", "Paving"),
                    awards=(other,)),
    }
    found = holders.with_incumbents(dict(processes))
    assert [s.value for s in found["o-1"].similar] == [usd(2)]


def test_site_lists_are_built_from_the_opportunities_and_all_processes():
    records = [
        opportunity("ocds-aldrpt-O1"),
        one_release("ocds-aldrpt-O2", "2026-11-12T09:00:00-06:00",
                    open_tender(end="2026-11-20T17:00:00-06:00", value={"amount": 25000, "currency": "USD"})),
        one_release("ocds-aldrpt-P1", "2026-10-01T09:00:00-05:00", open_tender(end="2026-11-01T17:00:00-05:00")),
        one_release("ocds-aldrpt-P2", "2026-10-01T09:00:00-05:00",
                    open_tender(end="2026-11-05T17:00:00-06:00", status="cancelled")),
        one_release("ocds-aldrpt-D1", "2026-10-01T09:00:00-05:00", tag="award",
                    awards=[{"id": "a", "status": "active"}]),  # no tender: never a solicitation
    ]
    site = build_site(records, SETTINGS, TODAY, ())
    lists = site.lists
    assert ocids(site.opportunities) == ["ocds-aldrpt-O2", "ocds-aldrpt-O1"]
    assert ocids(lists.newest) == ["ocds-aldrpt-O2", "ocds-aldrpt-O1"]
    assert ocids(lists.by_value) == ["ocds-aldrpt-O2", "ocds-aldrpt-O1"]
    assert ocids(lists.past) == ["ocds-aldrpt-P2", "ocds-aldrpt-P1"]
    assert [(f.key, ocids(f.items)) for f in lists.facets[CLOSING]] == [
        ("7", ["ocds-aldrpt-O2"]), ("14", ["ocds-aldrpt-O2"]), ("30", ["ocds-aldrpt-O2", "ocds-aldrpt-O1"])]
    assert lists.facet_of(VALUE, "25000-100000") == Facet(
        VALUE, "25000-100000", "", "opportunities/value/25000-100000/index.html", (site.processes[2],),
        usd(25000), usd(100000))
    assert site.processes[2].ocid == "ocds-aldrpt-O2"
    assert dataclasses.is_dataclass(lists) and lists.facet_of(DEPARTMENT, "PW").title == "Public Works"
