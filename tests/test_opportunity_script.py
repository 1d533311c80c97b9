"""static/opportunities.js in headless Chromium: countdowns from the visitor's clock, and filters
and sorting that combine, live in the address and reach every page of a long list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator import pipeline, routes

import gates
from conftest import REPO

TZ = ZoneInfo("America/Chicago")
MOVED = "ocds-aldrpt-2026-PW-0020"  # open; deadline Thursday 3 December 2026, 2:00 PM Central


@pytest.fixture(scope="module")
def small_pages_site(tmp_path_factory):
    """The demo with five cards per page, so the opportunities list spans several pages."""
    output = tmp_path_factory.mktemp("paged") / "site"
    settings = dataclasses.replace(pipeline.settings_for(REPO), page_size=5)
    pipeline.build(REPO, output, settings, settings.today)
    with gates.serve(output) as base:
        yield base


def central(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(("now", "expected"), [
    (central(2026, 11, 16, 12), "closes in 17 days"),
    (central(2026, 12, 2, 23, 59), "closes in 1 day"),
    (central(2026, 12, 3, 0, 1), "closes today"),
    (central(2026, 12, 3, 13, 59), "closes today"),
    # 2 December, 11 PM in Chicago is already 3 December in UTC: the day is the city's
    (dt.datetime(2026, 12, 3, 5, 30, tzinfo=dt.UTC), "closes in 1 day"),
])
def test_countdown_counts_days_in_the_citys_time_zone(served, open_at, now, expected):
    page = open_at(served + routes.relative_url("index.html", routes.process_path(MOVED)), now)
    assert page.locator(".key-facts .days-left").inner_text() == expected
    assert page.errors == []


@pytest.mark.parametrize(("now", "expected"), [
    (central(2026, 11, 30, 12), "cierra en 3 días"),
    (central(2026, 12, 2, 23, 59), "cierra en 1 día"),
    (central(2026, 12, 3, 0, 1), "cierra hoy"),
])
def test_the_spanish_countdown_takes_its_words_and_plural_rule_from_the_page(served, open_at, now, expected):
    page = open_at(served + "es/" + routes.relative_url("index.html", routes.process_path(MOVED)), now)
    assert page.locator(".key-facts .days-left").inner_text() == expected
    assert page.errors == []


def test_the_spanish_filter_count_is_worded_in_spanish(served, open_at):
    page = open_at(served + "es/opportunities/", central(2026, 11, 16, 12))
    page.check("#filter-sme")
    page.wait_for_function("document.getElementById('filter-status').textContent.length > 0")
    status = page.locator("#filter-status").inner_text()
    assert status.startswith("Se muestran ") and status.endswith(" oportunidades."), status
    assert page.errors == []


def test_a_passed_deadline_moves_the_bid_out_of_the_list(served, open_at):
    page = open_at(served + "opportunities/", central(2026, 12, 3, 14, 1))
    card = page.locator("ol.cards > li", has_text="North Alderport Storm Sewer")
    assert card.locator(".days-left").inner_text() == "Closed"
    assert "is-closed" in card.get_attribute("class") and card.is_hidden()
    gone = page.locator(".closed-since a", has_text="North Alderport Storm Sewer")
    assert gone.is_visible() and gone.get_attribute("href").endswith(routes.process_path(MOVED).removesuffix("index.html"))
    note = page.locator("#status-note").inner_text()
    assert "December 3, 2026" in note and "on your device" in note
    assert page.errors == []


def test_filters_leave_closed_bids_out(small_pages_site, open_at, demo_view):
    """Cards brought in from the other pages of a long list are judged by the visitor's clock too."""
    now = central(2026, 12, 16, 9)
    page = open_at(small_pages_site + "opportunities/", now)
    page.check("#filter-sme")
    page.wait_for_function("document.querySelector('.pager').hidden")
    still = [p for p in demo_view.opportunities if p.stage != "open" or p.deadline >= now]
    assert page.locator("#filter-status").inner_text().endswith(f"of {len(still)} opportunities.")
    titles = {c["title"] for c in visible_cards(page)}
    assert titles == {p.title for p in still if p.sme_suitable}
    closed = page.eval_on_selector_all(".closed-since li", "items => items.map(i => i.textContent)")
    assert sorted(closed) == sorted(p.title for p in demo_view.opportunities if p not in still)
    assert page.errors == []


def visible_cards(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#opportunity-list > li:not([hidden])",
        "cards => cards.map(c => ({...c.dataset, title: c.querySelector('h2').textContent}))")


def test_filters_combine_and_live_in_the_address(served, open_at):
    page = open_at(served + "opportunities/", central(2026, 11, 16, 9))
    assert page.locator("#opportunity-filters").is_visible()
    total = page.locator("#opportunity-list > li").count()
    page.select_option("#filter-method", "Invitation to Bid")
    method_only = visible_cards(page)
    assert method_only and all(c["method"] == "Invitation to Bid" for c in method_only)
    page.check("#filter-sme")
    both = visible_cards(page)
    assert both and all(c["sme"] == "yes" and c["method"] == "Invitation to Bid" for c in both)
    assert len(both) < len(method_only)
    assert page.locator("#filter-status").inner_text() == f"Showing {len(both)} of {total} opportunities."
    assert "method=Invitation+to+Bid" in page.url and "sme=yes" in page.url
    page.click("button[type=reset]")
    page.wait_for_function("document.querySelectorAll('#opportunity-list > li[hidden]').length === 0")
    assert page.errors == []


def test_a_shared_address_opens_filtered_and_sorted(served, open_at):
    page = open_at(served + "opportunities/?closing=7&sort=value", central(2026, 11, 16, 9))
    cards = visible_cards(page)
    assert cards, "some demo bids close within 7 days"
    for card in cards:
        left = (dt.datetime.fromisoformat(card["deadline"]).astimezone(TZ).date() - dt.date(2026, 11, 16)).days
        assert card["stage"] == "open" and 0 <= left <= 7
    values = [float(c["value"]) for c in cards if c["value"]]
    assert values == sorted(values, reverse=True)
    assert page.locator("#filter-sort").input_value() == "value"
    assert page.errors == []


def test_filters_reach_every_page_of_a_long_list(small_pages_site, open_at):
    page = open_at(small_pages_site + "opportunities/", central(2026, 11, 16, 9))
    assert page.locator("#opportunity-list > li").count() == 5
    page.select_option("#filter-department", "alderport-public-works")
    page.wait_for_function("document.querySelector('.pager').hidden")
    cards = visible_cards(page)
    assert len(cards) == 3 and all(c["department"] == "alderport-public-works" for c in cards)
    assert page.locator("#opportunity-list > li").count() == 24  # every opportunity, each once
    # a card brought in from another page still links to the right place
    page.locator("#opportunity-list > li:not([hidden]) h2 a").last.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == cards[-1]["title"]
    assert page.errors == []
