"""The re-bid radar (site.radar): which contracts end within the next 18 months, in what order and
groups; its pages, its Atom feeds and calendars (read back with feedparser and icalendar)."""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from test_opportunities import PARKS, PW, SETTINGS, TODAY, awarded, local, opportunity, prior
from test_render import TEMPLATES

from generator import routes
from generator.publish import pages, radar_feeds
from generator.publish.syndication import NAMESPACE, PRODID, uuid_of
from generator.related import RENEWAL
from generator.site import radar
from generator.site.assemble import build_site

HORIZON = dt.date(2028, 5, 16)  # 18 months after 2026-11-16


def ending(end: str | None, max_extent: str | None = None, status: str = "active", contract_id: str = "c1",
           **more) -> dict:
    """A contract for award a1 ending on `end` (and may run until `max_extent`)."""
    period = {"startDate": "2025-01-01T00:00:00-06:00"}
    if end:
        period["endDate"] = end
    if max_extent:
        period["maxExtentDate"] = max_extent
    return {"id": contract_id, "awardID": "a1", "status": status, "period": period,
            "value": {"amount": 1000, "currency": "USD"}, **more}


def held(ocid: str, *contracts: dict, buyer: dict = PW, code: str = "72141100", **more):
    return awarded(ocid, "2025-01-10T09:00:00-06:00", {"id": "a1", "date": "2025-01-10T09:00:00-06:00"},
                   buyer=buyer, code=code, contracts=list(contracts), **more)


def site_of(records, **settings):
    return build_site(records, SETTINGS.with_overrides(**settings), TODAY, ())


def on_radar(records) -> list[tuple[str, str, dt.date]]:
    return [(e.process.ocid, e.held.contract_id, e.ends.date()) for e in site_of(records).radar.entries]


# --- which contracts, in what order -------------------------------------------------------------

def test_the_horizon_is_18_months_from_the_build_s_day_both_days_included():
    records = [
        held("ocds-aldrpt-1", ending("2028-05-16T23:59:00-05:00")),  # the last day in
        held("ocds-aldrpt-2", ending("2028-05-17T00:00:00-05:00")),  # the day after: out
        held("ocds-aldrpt-3", ending("2026-11-16T00:00:00-06:00")),  # ends today: in
        held("ocds-aldrpt-4", ending("2026-11-15T23:59:00-06:00")),  # ended yesterday: out
        held("ocds-aldrpt-5", ending("2028-05-17T03:00:00Z")),  # 10pm on the 16th in Chicago: in
        held("ocds-aldrpt-6", ending(None)),  # no end: out
    ]
    assert site_of(records).radar.horizon == HORIZON
    assert on_radar(records) == [("ocds-aldrpt-1", "c1", HORIZON), ("ocds-aldrpt-5", "c1", HORIZON),
                                 ("ocds-aldrpt-3", "c1", TODAY)]


def test_max_extent_wins_over_the_end_date():
    records = [
        # ends inside the horizon, but may run until after it: out
        held("ocds-aldrpt-1", ending("2027-01-31T23:59:00-06:00", "2029-01-31T23:59:00-06:00")),
        # its end date has passed (renewed since), its maximum extent is inside: in, on that day
        held("ocds-aldrpt-2", ending("2026-01-31T23:59:00-06:00", "2027-06-30T23:59:00-05:00")),
    ]
    assert on_radar(records) == [("ocds-aldrpt-2", "c1", dt.date(2027, 6, 30))]
    (entry,) = site_of(records).radar.entries
    assert entry.held.term_ends == local(2026, 1, 31, 23, 59) and entry.held.ends == local(2027, 6, 30, 23, 59)


def test_cancelled_and_terminated_contracts_and_cancelled_processes_are_left_out():
    inside = "2027-03-01T00:00:00-06:00"
    records = [
        held("ocds-aldrpt-1", ending(inside, status="cancelled", contract_id="c0"),
             ending(inside, status="terminated", contract_id="c1"),
             ending(inside, status="pending", contract_id="c2"),
             ending(inside, status="active", contract_id="c3")),
        awarded("ocds-aldrpt-2", "2025-01-10T09:00:00-06:00", {"id": "a1"},
                contracts=[ending(inside)]),
    ]
    # A process whose tender was cancelled holds nothing, whatever its contracts say.
    records[1].compiled["tender"]["status"] = "cancelled"
    assert on_radar(records) == [("ocds-aldrpt-1", "c2", dt.date(2027, 3, 1)), ("ocds-aldrpt-1", "c3", dt.date(2027, 3, 1))]


def test_newest_first_by_end_date_then_by_reference():
    records = [
        held("ocds-aldrpt-B", ending("2027-03-01T00:00:00-06:00")),
        held("ocds-aldrpt-A", ending("2027-03-01T00:00:00-06:00")),
        held("ocds-aldrpt-C", ending("2028-01-01T00:00:00-06:00")),
        held("ocds-aldrpt-D", ending("2026-12-01T00:00:00-06:00")),
    ]
    assert [o for o, _, _ in on_radar(records)] == ["ocds-aldrpt-C", "ocds-aldrpt-A", "ocds-aldrpt-B", "ocds-aldrpt-D"]


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2026, 11, 16), 18, dt.date(2028, 5, 16)),
    (dt.date(2026, 8, 31), 18, dt.date(2028, 2, 29)),  # a leap year's February
    (dt.date(2027, 8, 31), 18, dt.date(2029, 2, 28)),
    (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 31)),
])
def test_months_after(day, months, expected):
    assert radar.months_after(day, months) == expected


def test_grouped_by_category_and_by_department_in_title_order():
    inside = "2027-03-01T00:00:00-06:00"
    records = [
        held("ocds-aldrpt-1", ending(inside), code="72141100"),
        held("ocds-aldrpt-2", ending("2027-05-01T00:00:00-05:00"), code="43211500", buyer=PARKS),
        held("ocds-aldrpt-3", ending(inside), code="43211500"),
    ]
    records[1].compiled["tender"]["items"][0]["classification"]["description"] = "Computers"
    records[2].compiled["tender"]["items"][0]["classification"]["description"] = "Computers"
    found = site_of(records).radar
    assert [(g.key, g.title, [e.process.ocid for e in g.entries]) for g in found.groups[radar.CATEGORY]] == [
        ("43211500", "Computers", ["ocds-aldrpt-2", "ocds-aldrpt-3"]), ("72141100", "Paving", ["ocds-aldrpt-1"])]
    assert [(g.key, [e.process.ocid for e in g.entries]) for g in found.groups[radar.DEPARTMENT]] == [
        ("PARKS", ["ocds-aldrpt-2"]), ("PW", ["ocds-aldrpt-1", "ocds-aldrpt-3"])]
    assert [e.process.ocid for e in found.rows(radar.DEPARTMENT)] == ["ocds-aldrpt-2", "ocds-aldrpt-1", "ocds-aldrpt-3"]
    # A page of two rows: the second page continues the PW group.
    rows = found.rows(radar.DEPARTMENT)
    assert [(g.key, len(items), continued) for g, items, continued in found.sections(radar.DEPARTMENT, rows[2:])] == [
        ("PW", 1, True)]
    assert found.page_of(radar.DEPARTMENT, "PW", 2) == 1 and found.page_of(radar.CATEGORY, "72141100", 2) == 2


def test_follow_ons_planned_or_open_are_linked_to_their_contract():
    records = [
        held("ocds-aldrpt-1", ending("2027-03-01T00:00:00-06:00", contract_id="c1"),
             ending("2027-04-01T00:00:00-05:00", contract_id="c2",
                    relatedProcesses=[prior("ocds-aldrpt-F2", "renewalProcess")])),
        opportunity("ocds-aldrpt-F1", relatedProcesses=[prior("ocds-aldrpt-1")]),  # follows the whole process
        opportunity("ocds-aldrpt-F2", status="planned"),
    ]
    entries = {e.held.contract_id: e for e in site_of(records).radar.entries}
    assert [(n.ocid, n.stage) for n in entries["c1"].follow_ons] == [("ocds-aldrpt-F1", "open")]
    assert [(n.ocid, n.kind, n.stage) for n in entries["c2"].upcoming] == [
        ("ocds-aldrpt-F1", "follow-on", "open"), ("ocds-aldrpt-F2", RENEWAL, "forecast")]


# --- pages --------------------------------------------------------------------------------------

def rendered(site) -> dict[str, BeautifulSoup]:
    return {a.path: BeautifulSoup(a.data, "lxml") for a in pages.render_site(site, TEMPLATES)
            if a.path.endswith(".html")}


def small_site(**settings):
    records = [
        held("ocds-aldrpt-1", ending("2027-01-31T23:59:00-06:00", "2028-01-31T23:59:00-06:00",
                                     hasRenewal=True, renewal={"maximumRenewals": 1, "period": {"startDate": "2027-02-01T00:00:00-06:00"}})),
        held("ocds-aldrpt-2", ending("2027-05-01T00:00:00-05:00"), code="43211500", buyer=PARKS,
             supplier=("BYTE", "Byte Computers")),
        held("ocds-aldrpt-3", ending("2027-03-01T00:00:00-06:00")),
        opportunity("ocds-aldrpt-F3", relatedProcesses=[prior("ocds-aldrpt-3")]),
    ]
    records[1].compiled["tender"]["items"][0]["classification"]["description"] = "Computers"
    return site_of(records, **settings)


def test_the_page_groups_by_category_and_says_its_order():
    site = small_site()
    page = rendered(site)[routes.listing_path("coming-up")]
    assert page.h1.get_text() == "Coming up later: contracts that end soon"
    assert "the contract that ends latest comes first" in page.main.get_text()
    assert "from November 16, 2026 to May 16, 2028" in page.main.get_text()
    assert [h.get_text(strip=True) for h in page.select("main section h2")] == ["Computers", "Paving"]
    paving = page.select_one("#category-72141100").find_parent("section")
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in paving.select("tbody tr")]
    assert rows == [
        ["Paving ocds-aldrpt-1 Public Works", "Acme Paving", "$1,000", "Jan 31, 2028 current term ends Jan 31, 2027",
         "1 renewal left", "None published yet"],
        ["Paving ocds-aldrpt-3 Public Works", "Acme Paving", "$1,000", "Mar 1, 2027", "Not published",
         "Work Open for bids"]]
    follow = paving.select("tbody tr")[1].select_one("td:last-child a")
    assert follow["href"] == routes.relative_url(routes.listing_path("coming-up"), routes.process_path("ocds-aldrpt-F3"))
    feeds = [a["href"] for a in paving.select(".subscribe a")]
    assert feeds == [routes.relative_url(routes.listing_path("coming-up"), routes.radar_feed_path("category", "72141100")),
                     routes.relative_url(routes.listing_path("coming-up"), routes.radar_calendar_path("category", "72141100"))]
    current = page.select_one(".sort-links a[aria-current=page]")
    assert current.get_text() == "category"


def test_the_department_view_and_pages_of_groups():
    site = small_site(page_size=2)
    found = rendered(site)
    first = found[routes.listing_path("coming-up-by-department")]
    second = found[routes.listing_path("coming-up-by-department", 2)]
    assert first.select_one(".sort-links a[aria-current=page]").get_text() == "department"
    assert [h.get_text(" ", strip=True) for h in first.select("main section h2")] == ["Parks", "Public Works"]
    assert [h.get_text(" ", strip=True) for h in second.select("main section h2")] == ["Public Works (continued)"]
    # The list of groups links each to the page and place it begins.
    assert [a["href"] for a in first.select("nav.radar-groups a")] == ["#department-parks_" + routes.slug("PARKS")[6:],
                                                                        "#department-pw_" + routes.slug("PW")[3:]]
    assert [td.get_text(strip=True) for td in second.select("tbody td:first-child small")] == ["Paving"]


def test_an_empty_radar_says_so():
    page = rendered(site_of([opportunity("ocds-aldrpt-O1")]))[routes.listing_path("coming-up")]
    assert "No city contract ends in the next 18 months" in page.main.get_text()
    assert page.select("main table") == []


# --- feeds and calendars ------------------------------------------------------------------------

def files_of(site) -> dict[str, bytes]:
    found = {a.path: a.data for a in radar_feeds.radar_artifacts(site)}
    assert len(found) == len(list(radar_feeds.radar_artifacts(site)))
    return found


def test_the_feed_of_contracts_coming_up():
    site = small_site(base_url="https://city.example/contracts/")
    parsed = feedparser.parse(files_of(site)[routes.radar_feed_path()])
    assert not parsed.bozo
    assert parsed.feed.title == "Alderport: contracts coming up"
    titles = [e.title for e in parsed.entries]
    assert titles == ["Paving ocds-aldrpt-1: ends January 31, 2028", "Paving ocds-aldrpt-2: ends May 1, 2027",
                      "Paving ocds-aldrpt-3: ends March 1, 2027"]
    first = parsed.entries[0]
    assert first.id == uuid.uuid5(NAMESPACE, '["radar", "ocds-aldrpt-1", "c1"]').urn
    assert first.link == "https://city.example/contracts/" + routes.process_path("ocds-aldrpt-1").removesuffix("index.html")
    assert "Held by: Acme Paving\nValue: $1,000\nEnds: January 31, 2028\nCurrent term ends: January 31, 2027\n" \
           "Renewals left: 1 renewal left\nFollow-on: none published yet\nDepartment: Public Works" in first.summary
    third = parsed.entries[2]
    assert "Follow-on: Work (Open for bids)" in third.summary


def test_one_feed_and_calendar_per_category_with_only_its_contracts():
    site = small_site(base_url="https://city.example/contracts/")
    files = files_of(site)
    assert sorted(files) == sorted([
        routes.radar_feed_path(), routes.radar_calendar_path(),
        routes.radar_feed_path("category", "43211500"), routes.radar_calendar_path("category", "43211500"),
        routes.radar_feed_path("category", "72141100"), routes.radar_calendar_path("category", "72141100")])
    parsed = feedparser.parse(files[routes.radar_feed_path("category", "72141100")])
    assert [e.id for e in parsed.entries] == [uuid_of("radar", f"ocds-aldrpt-{n}", "c1").urn for n in (1, 3)]
    assert parsed.feed.link == "https://city.example/contracts/opportunities/coming-up/#category-72141100"
    calendar = Calendar.from_ical(files[routes.radar_calendar_path("category", "43211500")])
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Contract ends: Paving ocds-aldrpt-2"]


def test_the_calendar_has_one_all_day_event_per_contract_end():
    site = small_site(base_url="https://city.example/contracts/")
    raw = files_of(site)[routes.radar_calendar_path()]
    calendar = Calendar.from_ical(raw)
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["SOURCE"]) == "https://city.example/contracts/calendars/coming-up.ics"
    events = calendar.events
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [
        (dt.date(2027, 3, 1), dt.date(2027, 3, 2)), (dt.date(2027, 5, 1), dt.date(2027, 5, 2)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 1))]
    assert all(type(e.decoded("DTSTART")) is dt.date for e in events)  # all-day: a DATE, no time
    assert [str(e["UID"]) for e in events] == [str(uuid_of("radar-end", f"ocds-aldrpt-{n}", "c1")) for n in (3, 2, 1)]
    assert [str(e["TRANSP"]) for e in events] == ["TRANSPARENT"] * 3
    assert "Renewals left: 1 renewal left" in str(events[2]["DESCRIPTION"])
    assert raw == files_of(small_site(base_url="https://city.example/contracts/"))[routes.radar_calendar_path()]


def test_a_feed_keeps_the_contracts_ending_soonest(monkeypatch):
    monkeypatch.setattr(radar_feeds, "FEED_ENTRIES", 2)
    parsed = feedparser.parse(files_of(small_site())[routes.radar_feed_path()])
    assert [e.title.split(":")[0] for e in parsed.entries] == ["Paving ocds-aldrpt-2", "Paving ocds-aldrpt-3"]


# --- on the demo --------------------------------------------------------------------------------

def merged(base: dict, later: dict) -> dict:
    """`later`'s fields over `base`'s, objects merged field by field (as a compiled release is)."""
    out = dict(base)
    for key, value in later.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def demo_contracts_ending() -> list[tuple[dt.date, str, str]]:
    """(last day, ocid, contract id) of the demo's contracts that end within the next 18 months,
    read from the files, independently of the generator."""
    from test_demo_site import raw_releases

    contracts: dict[tuple[str, str], dict] = {}
    tender_status: dict[str, str] = {}
    for release in sorted(raw_releases(), key=lambda r: dt.datetime.fromisoformat(r["date"])):
        if "status" in release.get("tender", {}):
            tender_status[release["ocid"]] = release["tender"]["status"]
        for c in release.get("contracts", []):
            key = (release["ocid"], c["id"])
            contracts[key] = merged(contracts.get(key, {}), c)
    found = []
    for (ocid, cid), c in contracts.items():
        period = c.get("period", {})
        last = period.get("maxExtentDate") or period.get("endDate")
        if not last or c.get("status") in ("cancelled", "terminated") or tender_status.get(ocid) in (
                "cancelled", "unsuccessful", "withdrawn"):
            continue
        day = dt.datetime.fromisoformat(last).astimezone(local(2026, 1, 1).tzinfo).date()
        if TODAY <= day <= HORIZON:
            found.append((day, ocid, cid))
    return found


def test_the_demo_radar_lists_every_contract_ending_within_18_months(demo_site):
    expected = demo_contracts_ending()
    assert expected
    page = BeautifulSoup((demo_site / routes.listing_path("coming-up")).read_text("utf-8"), "lxml")
    rows = page.select("main section tbody tr")
    assert len(rows) == len(expected)
    links = {a["href"] for a in page.select("main section tbody tr td:first-child > a")}
    assert links == {routes.relative_url(routes.listing_path("coming-up"), routes.process_path(o)) for _, o, _ in expected}
    # Within each group, the latest end first.
    for section in page.select("main section"):
        days = [dt.date.fromisoformat(t["datetime"][:10]) for t in section.select("tbody td.date > time")]
        assert days == sorted(days, reverse=True)
    by_department = BeautifulSoup((demo_site / routes.listing_path("coming-up-by-department")).read_text("utf-8"), "lxml")
    assert len(by_department.select("main section tbody tr")) == len(expected)


def test_the_demo_links_to_the_radar_and_lists_it_in_the_sitemap(demo_site):
    for path in (routes.listing_path("home"), routes.listing_path("opportunities")):
        page = BeautifulSoup((demo_site / path).read_text("utf-8"), "lxml")
        link = next(a for a in page.select("main a") if a.get_text().startswith("Coming up later"))
        assert link["href"] == routes.relative_url(path, routes.listing_path("coming-up"))
    sitemap = (demo_site / "sitemap.xml").read_text("utf-8")
    for kind in ("coming-up", "coming-up-by-department"):
        assert f"https://alderport.example.gov/contracts/{routes.listing_path(kind).removesuffix('index.html')}<" in sitemap


def test_the_demo_writes_the_feeds_and_calendars_its_radar_links_to(demo_site):
    path = routes.listing_path("coming-up")
    page = BeautifulSoup((demo_site / path).read_text("utf-8"), "lxml")
    targets = [a["href"] for a in page.select("main a[type='application/atom+xml'], main a[type='text/calendar']")]
    assert len(targets) >= 4
    for href in targets:
        target = demo_site / posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
        data = target.read_bytes()
        if href.endswith(".atom"):
            assert not feedparser.parse(data).bozo
        else:
            assert Calendar.from_ical(data).events


def test_an_order_under_an_agreement_says_so():
    records = [held("ocds-aldrpt-1", ending("2027-03-01T00:00:00-06:00"))]
    records[0].compiled["relatedProcesses"] = [{"id": "1", "relationship": ["framework"], "scheme": "SOURCEWELL",
                                                "identifier": "030421-XYZ", "title": "Sourcewell paving"}]
    page = rendered(site_of(records))[routes.listing_path("coming-up")]
    assert page.select_one("tbody td small").get_text() == "Ordered under Sourcewell paving"


def test_the_demo_radar_shows_the_open_follow_on_and_counts_renewals_left(demo_site):
    page = BeautifulSoup((demo_site / routes.listing_path("coming-up")).read_text("utf-8"), "lxml")
    rows = {tr.select_one("td > a").get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in page.select("main section tbody tr")}
    # The grounds maintenance contract is replaced by a tender open now, linked, with its badge.
    grounds = next(r for name, r in rows.items() if name.startswith("Park Grounds Maintenance Services, 2024"))
    assert grounds[4] == "None" and grounds[5] == "Park Grounds Maintenance Services Open for bids"
    # Two one-year renewals from April 2026, the first used: the end date is April 2, 2027, and it
    # may run until April 2, 2028 with the one renewal left.
    janitorial = rows["Janitorial Services, Water Utility Facilities"]
    assert janitorial[3] == "Apr 2, 2028 current term ends Apr 2, 2027" and janitorial[4] == "1 renewal left"


def test_the_demo_janitorial_contract_in_its_category_s_calendar_and_feed(demo_site):
    """A vendor follows when the janitorial contract comes up again."""
    section = next(s for s in BeautifulSoup((demo_site / routes.listing_path("coming-up")).read_text("utf-8"),
                                            "lxml").select("main section") if "janitorial" in s.h2.get_text())
    code = section.h2["id"].removeprefix("category-")
    calendar = Calendar.from_ical((demo_site / routes.radar_calendar_path("category", code)).read_bytes())
    (event,) = calendar.events
    assert str(event["SUMMARY"]) == "Contract ends: Janitorial Services, Water Utility Facilities"
    assert event.decoded("DTSTART") == dt.date(2028, 4, 2) and event.decoded("DTEND") == dt.date(2028, 4, 3)
    parsed = feedparser.parse((demo_site / routes.radar_feed_path("category", code)).read_bytes())
    assert [e.title for e in parsed.entries] == ["Janitorial Services, Water Utility Facilities: ends April 2, 2028"]
    assert "Renewals left: 1 renewal left" in parsed.entries[0].summary
