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


@pytest.mark.parametrize("given, expected", [
    # Two yearly periods fit between the end date and maxExtentDate (with a leap day): 2 of 3 left.
    (contract(END, local(2029, 1, 31, 23, 59), maximum=3, days=365), RenewalsLeft(EXACT, 2)),
    # The period as a start and an end date (a year less a day) counts the same.
    (contract(END, local(2029, 1, 31, 23, 59), maximum=3, start=local(2027, 2, 1), stop=local(2028, 1, 31)),
     RenewalsLeft(EXACT, 2)),
    # A day short of a second period is still one period and some slack, not two.
    (contract(END, local(2028, 1, 31), maximum=3, days=365), RenewalsLeft(EXACT, 1)),
    (contract(END, local(2028, 11, 30), maximum=3, days=365), RenewalsLeft(EXACT, 1)),
    # Monthly renewals: 30-day periods over two calendar months of 31 and 28 days.
    (contract(local(2027, 1, 1), local(2027, 3, 1), maximum=6, days=30), RenewalsLeft(EXACT, 2)),
    # More periods fit than the maximum allows: how many were used is unknown, at most the maximum.
    (contract(END, local(2031, 1, 31), maximum=2, days=365), RenewalsLeft(UP_TO, 2)),
    # No maximum published: the dates bound it.
    (contract(END, local(2029, 1, 31, 23, 59), days=365), RenewalsLeft(UP_TO, 2)),
    # No period length: up to the maximum; none at all: may be renewed, number unknown.
    (contract(END, local(2029, 1, 31), maximum=3), RenewalsLeft(UP_TO, 3)),
    (contract(END, None, maximum=1, days=365), RenewalsLeft(UP_TO, 1)),
    (contract(END, None), RenewalsLeft(UNSTATED)),
    # At its latest end already, or maxExtentDate before the end date: none left.
    (contract(END, END, maximum=3, days=365), RenewalsLeft(NONE)),
    (contract(END, local(2026, 1, 31), maximum=3, days=365), RenewalsLeft(NONE)),
    (contract(END, local(2027, 6, 30), maximum=3, days=365), RenewalsLeft(NONE)),  # less than a period
    # No renewals: hasRenewal false, or maximumRenewals 0; nothing published: unknown.
    (contract(END, renewal=False, renewable=False), RenewalsLeft(NONE)),
    (contract(END, local(2029, 1, 31), maximum=0, days=365), RenewalsLeft(NONE)),
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
         "renewal": {"maximumRenewals": 2, "period": {"durationInDays": 365}}}])]
    (process,) = build_site(records, SETTINGS, TODAY, ()).processes
    assert [renewals_left(c) for c in process.contracts] == [RenewalsLeft(NONE), RenewalsLeft(EXACT, 1)]


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
             "hasRenewal": True, "renewal": {"maximumRenewals": 3, "period": {"durationInDays": 365}}}]),
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

