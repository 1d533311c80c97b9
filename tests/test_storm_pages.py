"""The demo's "Ready for the next storm" page and its emergency buying, on the parsed HTML, against
the demo's data read independently of the generator."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from decimal import Decimal

import pytest
from babel.dates import format_date
from test_demo_site import latest_by_ocid, soup

from generator import routes
from generator.inputs.emergency_settings import DEFAULT_NEEDS

import gates

STORM = routes.listing_path("storm-ready")


def by_title(title: str) -> dict:
    return next(r for r in latest_by_ocid().values() if r.get("tender", {}).get("title") == title)


def long_date(iso: str) -> str:
    return format_date(dt.datetime.fromisoformat(iso), "long", locale="en")


def text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True)).replace(" ,", ",").replace(" .", ".")


def target(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href)).rstrip("/") + "/index.html"


def need_line(page, name: str) -> str:
    return next(text(li) for li in page.select("ul.needs > li") if text(li).startswith(name + ":"))


def article(page, title: str):
    return next(a for a in page.select("article.standby") if text(a.h3) == title)


def test_the_home_page_links_to_the_storm_page_which_links_the_vendors_guide(demo_site):
    home = soup(demo_site, "index.html")
    assert [a for a in home.select("main a") if target("index.html", a["href"]) == STORM]
    page = soup(demo_site, STORM)
    (guide,) = [a for a in page.select("main a") if "emergency list" in a.get_text()]
    assert target(STORM, guide["href"]) == routes.guide_path("emergency-list")
    assert (demo_site / routes.guide_path("emergency-list")).is_file()


def test_each_need_says_in_plain_words_whether_it_is_ready_for_the_next_season(demo_site):
    page = soup(demo_site, STORM)
    debris = by_title("Standby Disaster Debris Removal Services")
    end = long_date(debris["contracts"][0]["period"]["endDate"])
    assert need_line(page, "Debris removal (FEMA category A)") == (
        f"Debris removal (FEMA category A): Ready. Standby Disaster Debris Removal Services runs until {end}.")
    generators = by_title("Standby Emergency Generator Rental")["contracts"][0]["period"]
    assert generators["endDate"][:10] < "2027-06-01" and generators["endDate"] == generators["maxExtentDate"]
    assert need_line(page, "Generators") == (
        f"Generators: Not ready. Standby Emergency Generator Rental ends {long_date(generators['endDate'])}, "
        "before the season starts, and cannot be renewed past it.")
    assert need_line(page, "Shelter operations") == "Shelter operations: Not ready. No standby contract is in place."
    assert need_line(page, "Emergency meals").startswith("Emergency meals: Ready. Standby Emergency Meal Services")
    assert "The next hurricane season runs from June 1, 2027 to November 30, 2027." in text(page.select_one("main"))
    gaps = [li for li in page.select("ul.needs > li") if "Not ready." in text(li)]
    assert f"{len(gaps)} needs are not ready." in text(page.select_one("#needs").find_parent("section"))


def test_a_standby_contract_shows_supplier_capacity_rates_expiry_and_last_activation(demo_site):
    page = soup(demo_site, STORM)
    debris = by_title("Standby Disaster Debris Removal Services")
    c = debris["contracts"][0]
    box = article(page, "Standby Disaster Debris Removal Services")
    facts = {text(d.dt): text(d.dd) for d in box.select("dl.facts > div")}
    supplier = next(p["name"] for p in debris["parties"] if "supplier" in p["roles"])
    assert facts["Supplier"] == supplier
    assert facts["Runs until"] == (f"{long_date(c['period']['endDate'])} may be renewed until "
                                   f"{long_date(c['period']['maxExtentDate'])}")
    # no renewal used yet: its renewals' period starts after its end date (the rule of site.holders)
    assert c["renewal"]["period"]["startDate"] > c["period"]["endDate"]
    assert facts["Renewals left"] == f"{c['renewal']['maximumRenewals']} renewals left"
    assert facts["FEMA category of work"] == "Category A: Debris removal"
    rows = [[text(td) for td in tr.select("td")] for tr in box.select("tbody tr")]
    assert rows == [[i["description"], f"{i['quantity']:,}", i["unit"]["name"], f"${Decimal(str(i['unit']['value']['amount'])):,.2f}"
                     .replace(".00", "")] for i in c["items"]]
    order = by_title("Storm Debris Removal, June 2026 Severe Storms (Task Order 1)")
    (link,) = [a for a in box.select("dl a") if "Task Order 1" in a.get_text()]
    assert target(STORM, link["href"]) == routes.process_path(order["ocid"])
    assert facts["Last activation"].endswith(f"{long_date(order['awards'][0]['date'])} 1 order under it in all")


def test_each_standby_contract_shows_its_federal_file_present_and_missing(demo_site):
    page = soup(demo_site, STORM)
    checks = {name: {text(li).split(".")[0] for li in article(page, name).select("ul.checklist > li")}
              for name in ("Standby Disaster Debris Removal Services", "Standby Emergency Meal Services for Shelters")}
    assert "In the data: Cost or price analysis" in checks["Standby Disaster Debris Removal Services"]
    assert "Missing: Cost or price analysis" in checks["Standby Emergency Meal Services for Shelters"]
    assert "In the data: Outreach to small, minority- and women-owned firms" in checks[
        "Standby Emergency Meal Services for Shelters"]


def test_the_default_codes_match_every_standby_contract_of_the_demo(demo_view):
    """The default needs' UNSPSC prefixes (not only their FEMA categories) find the demo's standby
    contracts, as they would a real city's."""
    standby = [s for s in demo_view.readiness.contracts]
    assert len(standby) >= 3
    for s in standby:
        codes = [i.classification for i in s.items] + [c.code for c in s.process.categories]
        assert any(code.startswith(prefix) for need in DEFAULT_NEEDS for prefix in need.codes for code in codes), s.name


def test_an_emergency_purchase_says_its_reason_declaration_and_funder(demo_site):
    pumping = by_title("Emergency Bypass Pumping, Lift Station 3")
    section = soup(demo_site, routes.process_path(pumping["ocid"])).select_one("section[aria-labelledby=emergency]")
    words = text(section)
    assert "Bought without competition." in words
    assert "Public exigency or emergency: the need could not wait for a public solicitation" in words
    declaration = next(c for c in pumping["tender"]["additionalClassifications"] if c["scheme"] == "US-FEMA-DR")
    assert f"Disaster declaration {declaration['id']} {declaration['description']}" in words
    assert "Paid for by Federal Emergency Management Agency" in words
    assert "is not above the simplified acquisition threshold of $250,000, so it is not required" in words


def test_an_order_under_a_standby_contract_is_never_called_a_purchase_without_competition(demo_site):
    order = by_title("Storm Debris Removal, June 2026 Severe Storms (Task Order 1)")
    standby = by_title("Standby Disaster Debris Removal Services")
    page = routes.process_path(order["ocid"])
    section = soup(demo_site, page).select_one("section[aria-labelledby=emergency]")
    assert "without competition" not in text(section.p) and "Ordered under an agreement" in text(section.p)
    assert target(page, section.p.a["href"]) == routes.process_path(standby["ocid"])
    assert "In the agreement’s file: Competition" in text(section.select_one("ul.checklist"))



@pytest.mark.parametrize("title", ["Standby Disaster Debris Removal Services", "Emergency Bypass Pumping, Lift Station 3",
                                   "Storm Debris Removal, June 2026 Severe Storms (Task Order 1)"])
@pytest.mark.parametrize("width", [1280, 320])
def test_pages_with_emergency_buying_pass_axe_and_reflow(title, width, served, browser):
    """A standby contract, an emergency purchase and an order under a standby contract: the
    emergency section and its checklist pass axe and fit a 320-pixel phone."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.clock.set_fixed_time(gates.DEMO_NOON)
        page.goto(served + routes.process_path(by_title(title)["ocid"]).removesuffix("index.html"), wait_until="load")
        assert page.locator("#emergency").is_visible()
        assert gates.axe_violations(page) == []
        assert gates.sideways(page) == []
    finally:
        context.close()
