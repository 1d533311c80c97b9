"""Who holds a contract and how many renewals it has left (site.holders), and how an opportunity's
page shows who holds the work now (only from links) or similar past contracts (a guess, labelled)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from test_opportunities import PW, SETTINGS, TODAY, awarded, local, opportunity, prior
from test_render import TEMPLATES

from generator import routes
from generator.publish import pages
from generator.site import agreements
from generator.site.assemble import build_site
from generator.site.contracts import Contract
from generator.site.holders import EXACT, NONE, UNKNOWN, UNSTATED, UP_TO, RenewalsLeft, renewals_left
from generator.values import Money


def contract(end=None, latest=None, maximum=None, days=None, start=None, stop=None, renewable=True,
             renewal=True) -> Contract:
    terms = agreements.Renewal(None, maximum, agreements.Period(start, stop, None, days)) if renewal else None
    return Contract("c", "", "active", None, end, Money(Decimal(1), "USD"), None, 0, max_extent=latest,
                    renewal=terms, renewable=renewable)


END = local(2027, 1, 31, 23, 59)


AHEAD = local(2027, 2, 1)  # a renewal period that starts the day after the end date


@pytest.mark.parametrize("given, expected", [
    # The period over which it can be renewed is still ahead: no renewal used yet, all left.
    (contract(END, local(2030, 1, 31, 23, 59), maximum=3, start=AHEAD, stop=local(2030, 1, 31)), RenewalsLeft(EXACT, 3)),
    (contract(END, None, maximum=2, start=AHEAD), RenewalsLeft(EXACT, 2)),
    # It has begun (the end date moved into it), or its start is not published: at most the maximum.
    (contract(END, local(2029, 1, 31), maximum=3, start=local(2026, 2, 1)), RenewalsLeft(UP_TO, 3)),
    (contract(END, local(2029, 1, 31), maximum=3, start=local(2027, 1, 31)), RenewalsLeft(UP_TO, 3)),
    (contract(END, local(2029, 1, 31), maximum=3, days=365), RenewalsLeft(UP_TO, 3)),
    (contract(END, None, maximum=1), RenewalsLeft(UP_TO, 1)),
    # Inside the renewal period: equal renewals that fit until maxExtentDate (two one-year
    # renewals from April 2026, the first used: one left), when a whole number of them fits.
    (contract(local(2027, 4, 2, 23, 59), local(2028, 4, 2, 23, 59), maximum=2, start=local(2026, 4, 3),
              stop=local(2028, 4, 2, 23, 59)), RenewalsLeft(EXACT, 1)),
    (contract(local(2027, 3, 31), local(2027, 6, 30), maximum=6, start=local(2027, 1, 1), stop=local(2027, 6, 30)),
     RenewalsLeft(EXACT, 3)),  # monthly, months of 30 and 31 days
    (contract(local(2028, 4, 2), None, maximum=2, start=local(2026, 4, 3), stop=local(2028, 4, 2)),
     RenewalsLeft(NONE)),  # at the period's end
    (contract(local(2026, 10, 2), local(2028, 4, 2), maximum=2, start=local(2026, 4, 3), stop=local(2028, 4, 2)),
     RenewalsLeft(UP_TO, 2)),  # a year and a half: not a whole number of renewals
    # No maximum published: may be renewed, the number unknown.
    (contract(END, local(2029, 1, 31), start=AHEAD), RenewalsLeft(UNSTATED)),
    # At its latest end already (or maxExtentDate before the end date): none left, whatever else it says.
    (contract(END, END, maximum=3, start=AHEAD), RenewalsLeft(NONE)),
    (contract(END, local(2027, 1, 31), maximum=3), RenewalsLeft(NONE)),
    (contract(END, local(2026, 1, 31)), RenewalsLeft(NONE)),
    # No renewals: hasRenewal false, or maximumRenewals 0; nothing published: unknown.
    (contract(END, renewal=False, renewable=False), RenewalsLeft(NONE)),
    (contract(END, local(2029, 1, 31), maximum=0, start=AHEAD), RenewalsLeft(NONE)),
    (contract(END, renewal=False, renewable=None), RenewalsLeft(UNKNOWN)),
])
def test_renewals_left(given, expected):
    assert renewals_left(given) == expected


def test_renewals_are_read_from_the_data():
    records = [awarded("ocds-aldrpt-A1", "2025-01-20T09:00:00-06:00", {"id": "a1"}, contracts=[
        {"id": "c1", "awardID": "a1", "status": "active", "hasRenewal": False,
         "period": {"endDate": "2027-01-31T23:59:00-06:00"}},
        {"id": "c2", "awardID": "a1", "status": "active", "hasRenewal": True,
         "period": {"endDate": "2027-01-31T23:59:00-06:00", "maxExtentDate": "2028-01-31T23:59:00-06:00"},
         "renewal": {"maximumRenewals": 2, "period": {"startDate": "2027-02-01T00:00:00-06:00"}}},
        {"id": "c3", "awardID": "a1", "status": "active",
         "period": {"endDate": "2027-01-31T23:59:00-06:00", "maxExtentDate": "2028-01-31T23:59:00-06:00"},
         "renewal": {"maximumRenewals": 2, "period": {"durationInDays": 730}}}])]
    (process,) = build_site(records, SETTINGS, TODAY, ()).processes
    assert [renewals_left(c) for c in process.contracts] == [RenewalsLeft(NONE), RenewalsLeft(EXACT, 2),
                                                            RenewalsLeft(UP_TO, 2)]


def rendered(records) -> dict[str, BeautifulSoup]:
    site = build_site(records, SETTINGS, TODAY, ())
    return {a.path: BeautifulSoup(a.data, "lxml") for a in pages.render_site(site, TEMPLATES)
            if a.path.startswith("processes/")}


def section_text(page: BeautifulSoup, heading: str) -> str:
    found = page.select_one(f"#{heading}")
    return found.find_parent("section").get_text(" ", strip=True) if found else ""


def test_the_page_says_who_holds_it_now_from_the_link():
    records = [
        opportunity("ocds-aldrpt-O1", relatedProcesses=[prior("ocds-aldrpt-A1", "prior")]),
        awarded("ocds-aldrpt-A1", "2025-01-20T09:00:00-06:00", {"id": "a1"}, contracts=[
            {"id": "c1", "awardID": "a1", "status": "active", "value": {"amount": 65000, "currency": "USD"},
             "period": {"endDate": "2027-01-31T23:59:00-06:00", "maxExtentDate": "2029-01-31T23:59:00-06:00"},
             "hasRenewal": True, "renewal": {"maximumRenewals": 2, "period": {"startDate": "2027-02-01T00:00:00-06:00",
                                                                              "endDate": "2029-01-31T23:59:00-06:00"}}}]),
    ]
    page = rendered(records)[routes.process_path("ocds-aldrpt-O1")]
    text = section_text(page, "incumbent")
    assert page.select_one("#incumbent").get_text() == "Who holds it now"
    assert "This opportunity follows Paving ocds-aldrpt-A1 ." in text
    for fact in ("Held by Acme Paving", "Value $65,000", "Current term ends Jan 31, 2027",
                 "May run until Jan 31, 2029", "Renewals left 2 renewals left"):
        assert fact in text, (fact, text)
    link = page.select_one("#incumbent").find_parent("section").select_one("p a")
    assert link["href"] == routes.relative_url(routes.process_path("ocds-aldrpt-O1"), routes.process_path("ocds-aldrpt-A1"))
    assert page.select_one("#similar") is None


def test_the_page_shows_similar_past_contracts_as_a_guess_never_as_who_holds_it():
    records = [
        opportunity("ocds-aldrpt-O1"),
        awarded("ocds-aldrpt-A1", "2026-01-15T09:00:00-06:00",
                {"id": "a1", "date": "2026-01-15T09:00:00-06:00", "value": {"amount": 90000, "currency": "USD"}}),
    ]
    pages_by_path = rendered(records)
    page = pages_by_path[routes.process_path("ocds-aldrpt-O1")]
    assert page.select_one("#incumbent") is None
    assert "Who holds it now" not in page.get_text()
    text = section_text(page, "similar")
    assert text.startswith("Similar past contracts A guess, not who holds this work")
    assert "Paving ocds-aldrpt-A1 : awarded to Acme Paving , $90,000, on Jan 15, 2026." in text
    # A past process shows neither.
    past = pages_by_path[routes.process_path("ocds-aldrpt-A1")]
    assert past.select_one("#similar") is None and past.select_one("#incumbent") is None


def test_nothing_without_a_link_or_a_similar_contract():
    records = [opportunity("ocds-aldrpt-O1"),
               awarded("ocds-aldrpt-A1", "2026-01-15T09:00:00-06:00", {"id": "a1"}, code="43211500")]
    page = rendered(records)[routes.process_path("ocds-aldrpt-O1")]
    assert page.select_one("#similar") is None and page.select_one("#incumbent") is None
    assert PW["name"] in page.get_text()

