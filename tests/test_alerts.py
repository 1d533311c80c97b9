"""Alerts without accounts (issue 17, part 6): the "Get alerts" page, and the `alerts` setting
through which a city's RSS-to-email service offers "Email me new bids like these"."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from test_render import TEMPLATES

from generator import pipeline, routes
from generator.errors import SettingsError
from generator.inputs import settings as site_settings
from generator.inputs.settings import EmailAlerts
from generator.publish import feeds, pages
from generator.site.assemble import build_site

import gates
from conftest import copy_source
from test_model import SETTINGS, TODAY, record, tender

MINIMAL = "city_name: Testville\npublisher:\n  name: Test City\nocid_prefix: ocds-abc123\n"
SERVICE = EmailAlerts("Testville News by Email", "https://news.example.com/subscribe?list=bids&url={feed}")
BASE = "https://city.example.gov/contracts/"
EMAIL = "Email me new bids like these"


# --- the setting ---------------------------------------------------------------------------------

def test_the_alerts_setting_is_read():
    text = MINIMAL + "alerts:\n  service: Testville News\n  subscribe_url: https://n.example/s?feed={feed}&x=1\n"
    alerts = site_settings.parse_settings(text).alerts
    assert alerts == EmailAlerts("Testville News", "https://n.example/s?feed={feed}&x=1")
    assert alerts.link("https://c.example/feeds/category/a b.atom?x=1&y=2") == \
        "https://n.example/s?feed=https%3A%2F%2Fc.example%2Ffeeds%2Fcategory%2Fa%20b.atom%3Fx%3D1%26y%3D2&x=1"
    assert site_settings.parse_settings(MINIMAL).alerts is None
    assert site_settings.parse_settings(MINIMAL + "alerts: null\n").alerts is None


@pytest.mark.parametrize("template", [
    "https://n.example/subscribe",  # no {feed}
    "ftp://n.example/s?feed={feed}",
    "javascript:alert('{feed}')",
    "n.example/s?feed={feed}",
    "https://{feed}/subscribe",  # the feed's address as the host
    "https://n.example/s?feed= {feed}",
])
def test_a_bad_link_template_is_reported_naming_the_setting_at_its_line(template):
    text = MINIMAL + f"alerts:\n  service: Testville News\n  subscribe_url: \"{template}\"\n"
    with pytest.raises(SettingsError) as caught:
        site_settings.parse_settings(text, "content/site.yml")
    (problem,) = caught.value.problems
    assert (problem.location.pointer, problem.location.line) == ("/alerts/subscribe_url", 7)
    assert "alerts.subscribe_url" in problem.message and "{feed}" in problem.message
    assert "content/site.yml:7: /alerts/subscribe_url: alerts.subscribe_url" in str(caught.value)


@pytest.mark.parametrize("alerts, pointer, words", [
    ("  subscribe_url: https://n.example/?u={feed}\n", "/alerts", "'service' is required"),
    ("  service: News\n", "/alerts", "'subscribe_url' is required"),
    ("  service: News\n  subscribe_url: https://n.example/?u={feed}\n  form: yes\n", "/alerts/form", "unknown key 'form'"),
])
def test_an_incomplete_alerts_setting_is_reported(alerts, pointer, words):
    with pytest.raises(SettingsError) as caught:
        site_settings.parse_settings(MINIMAL + "alerts:\n" + alerts)
    assert [(p.location.pointer, words in p.message) for p in caught.value.problems] == [(pointer, True)]


# --- the pages -----------------------------------------------------------------------------------

def bids():
    """Two open bids in two categories from two departments, and one for a third department."""
    def bid(ocid, code, name, buyer):
        return record(ocid, {"tender": tender(items=[{"id": "1", "classification": {
            "scheme": "UNSPSC", "id": code, "description": name}}]),
            "parties": [{"id": buyer, "name": f"Dept {buyer}", "roles": ["buyer"]}], "buyer": {"id": buyer}})
    return [bid("ocds-test01-1", "72000000", "Building", "PW"), bid("ocds-test01-2", "43000000", "Computers", "IT"),
            bid("ocds-test01-3", "72000000", "Building", "Parks/Rec")]


def rendered(settings):
    site = build_site(bids(), settings, TODAY, ())
    return site, {a.path: BeautifulSoup(a.data, "lxml") for a in pages.render_site(site, TEMPLATES)
                  if a.path.endswith(".html")}


def email_links(page):
    return [a for a in page.select("main a") if a.get_text() == EMAIL]


def test_the_alerts_page_offers_every_feed_and_calendar_per_category_and_department():
    site, html = rendered(SETTINGS.with_overrides(base_url=BASE))
    page = html[routes.listing_path("alerts")]
    hrefs = {a["href"] for a in page.select("main a")}
    written = {a.path for a in feeds.feed_artifacts(site)}
    here = posixpath.dirname(routes.listing_path("alerts"))
    expected = {routes.feed_path("opportunities"), routes.calendar_path(), routes.feed_path("awards")}
    for facet in site.lists.facets["category"]:
        expected |= {routes.feed_path("opportunities", "category", facet.key), routes.calendar_path("category", facet.key)}
        assert "webcal://city.example.gov/contracts/" + routes.calendar_path("category", facet.key) in hrefs
    for facet in site.lists.facets["department"]:
        expected.add(routes.feed_path("opportunities", "department", facet.key))
    assert len(expected) == 3 + 2 * 2 + 3
    linked = {posixpath.normpath(posixpath.join(here, h)) for h in hrefs if "://" not in h}
    assert expected <= linked and expected <= written
    names = [x.get_text() for x in page.select(".alert-name")]
    assert names == ["All open bids and forecasts", "Building", "Computers", "Dept IT", "Dept Parks/Rec", "Dept PW"]
    assert "Email" not in page.main.get_text()  # no service: nothing about email
    # every link names what it subscribes to, for a screen reader's list of links
    assert page.select_one(f'a[href$="{quote(routes.feed_path("opportunities", "department", "Parks/Rec"))}"]') \
        .get_text() == "Feed: Dept Parks/Rec"


def test_without_a_base_url_calendars_are_linked_as_files_only():
    _, html = rendered(SETTINGS)
    page = html[routes.listing_path("alerts")]
    assert not [a for a in page.select("main a") if a["href"].startswith("webcal:")]
    assert "Add Subscribed Calendar" in page.main.get_text()


def test_email_me_appears_on_every_list_with_a_feed_only_when_the_service_is_set():
    site, html = rendered(SETTINGS.with_overrides(base_url=BASE, alerts=SERVICE))

    def expected(feed):
        return SERVICE.subscribe_url.replace("{feed}", quote(BASE + feed, safe=""))

    lists = {routes.listing_path("opportunities"): routes.feed_path("opportunities"),
             routes.listing_path("newest"): routes.feed_path("opportunities"),
             routes.buyer_path("Parks/Rec"): routes.feed_path("opportunities", "department", "Parks/Rec")}
    for kind in ("category", "department"):
        for facet in site.lists.facets[kind]:
            lists[facet.path] = routes.feed_path("opportunities", kind, facet.key)
    for path, feed in lists.items():
        assert [a["href"] for a in email_links(html[path])] == [expected(feed)], path
    dept = expected(routes.feed_path("opportunities", "department", "Parks/Rec"))
    assert "url=https%3A%2F%2Fcity.example.gov%2Fcontracts%2Ffeeds%2Fdepartment%2Fparks-rec_" in dept
    assert "through Testville News by Email" in html[routes.listing_path("opportunities")].select_one(".subscribe").get_text()
    # lists without a feed of their own (method, value, closing soon) offer no email
    for facet in site.lists.facets["closing"] + site.lists.facets["method"]:
        assert email_links(html[facet.path]) == []
    alerts = html[routes.listing_path("alerts")]
    assert expected(routes.feed_path("opportunities", "category", "72000000")) in {a["href"] for a in alerts.select("a")}
    assert "Testville News by Email asks for your email address" in alerts.main.get_text()
    # not set, or no base URL to give the service the feed's full address: nothing about email
    for settings in (SETTINGS.with_overrides(base_url=BASE), SETTINGS.with_overrides(alerts=SERVICE)):
        _, html = rendered(settings)
        for path, page in html.items():
            assert EMAIL not in page.get_text() and "news.example.com" not in str(page), path


def test_a_build_without_base_url_warns_that_no_email_alerts_are_offered(tmp_path):
    source = copy_source(tmp_path)
    settings = pipeline.settings_for(source).with_overrides(alerts=SERVICE)
    report = pipeline.build(source, tmp_path / "site", settings.with_overrides(base_url=""), settings.today)
    (warning,) = [p for p in report.problems if p.code == "no-base-url"]
    assert "email alerts" in warning.message


# --- the demo, and a demo with a service --------------------------------------------------------

def test_the_demo_links_its_alerts_page_from_home_lists_and_footer(demo_site):
    alerts = "alerts/index.html"
    assert (demo_site / alerts).is_file()
    for page in ("index.html", "opportunities/index.html", "opportunities/past/index.html"):
        targets = {t for _, t, _ in gates._targets(demo_site, page, (demo_site / page).read_text("utf-8"))}
        assert alerts in targets, page
    links = gates._targets(demo_site, alerts, (demo_site / alerts).read_text("utf-8"))
    assert len([t for _, t, _ in links if t.startswith(("feeds/", "calendars/"))]) > 20
    assert [t for _, t, _ in links if not (demo_site / t).is_file()] == []
    assert "https://alderport.example.gov/contracts/alerts/" in (demo_site / "sitemap.xml").read_text("utf-8")


def test_a_city_with_an_email_service_gets_valid_pages_with_working_links(tmp_path):
    source = copy_source(tmp_path)
    settings = pipeline.settings_for(source).with_overrides(alerts=SERVICE)
    site = tmp_path / "site"
    pipeline.build(source, site, settings, settings.today)
    opportunities = BeautifulSoup((site / "opportunities/index.html").read_text("utf-8"), "lxml")
    assert [a["href"] for a in email_links(opportunities)] == [
        SERVICE.link("https://alderport.example.gov/contracts/feeds/opportunities.atom")]
    assert gates.broken_links(site) == []
    sample = tmp_path / "sample"
    department = next((site / "buyers").glob("*/index.html")).relative_to(site).as_posix()
    for page in ("alerts/index.html", "opportunities/index.html", department, "index.html"):
        (sample / page).parent.mkdir(parents=True, exist_ok=True)
        (sample / page).write_bytes((site / page).read_bytes())
    assert gates.vnu_errors(sample) == []


def test_the_alerts_page_offers_the_feed_and_calendar_of_contracts_that_end_soon(demo_site):
    alerts = "alerts/index.html"
    page = BeautifulSoup((demo_site / alerts).read_text("utf-8"), "html.parser")
    section = page.find("section", attrs={"aria-labelledby": "alerts-coming-up"})
    hrefs = [posixpath.normpath(posixpath.join("alerts", a["href"])) for a in section.find_all("a")
             if not a["href"].startswith(("http", "webcal"))]
    assert {routes.radar_feed_path(), routes.radar_calendar_path(), "opportunities/coming-up"} <= set(hrefs)
    assert all((demo_site / h).exists() for h in hrefs)
    assert any(a["href"].startswith("webcal://") and a["href"].endswith(routes.radar_calendar_path())
               for a in section.find_all("a")), "subscribable in one tap"
