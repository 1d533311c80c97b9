"""Calendars and Atom feeds, read back with the parsers calendar apps and feed readers use
(icalendar, feedparser) and checked field by field; Atom also against RFC 4287's RELAX NG grammar."""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from icalendar import Calendar
from lxml import etree

from generator import routes
from generator.publish import feeds
from generator.site.assemble import build_site
from generator.site.process import FORECAST, OPEN

from test_model import SETTINGS, TODAY, record, tender

CHICAGO = ZoneInfo("America/Chicago")
MOVED = "ocds-aldrpt-2026-PW-0020"  # the demo's bid whose deadline an addendum moved
ATOM = "{http://www.w3.org/2005/Atom}"
RNG = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "fixtures" / "atom" / "rfc4287.rng")))


@pytest.fixture(scope="module")
def demo(demo_view):
    """The demo's view model and its calendars and feeds, by path."""
    return demo_view, {a.path: a.data for a in feeds.feed_artifacts(demo_view)}


def ics(files, path) -> Calendar:
    return Calendar.from_ical(files[path])


def events_by_summary(calendar: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in calendar.events}


def atom(files, path):
    parsed = feedparser.parse(files[path])
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def has_dates(process) -> bool:
    return bool(process.deadline or process.enquiry_end or any(m.date for m in process.milestones))


def site_of(*processes, **settings):
    """A small site: (ocid, compiled, releases) per process."""
    return build_site([record(*p) for p in processes], SETTINGS.with_overrides(**settings), TODAY, ())


def artifacts(site) -> dict[str, bytes]:
    found = {a.path: a.data for a in feeds.feed_artifacts(site)}
    assert len(found) == len(list(feeds.feed_artifacts(site))), "no path is written twice"
    return found


# --- calendars -----------------------------------------------------------------------------------

def test_the_moved_deadline_its_questions_and_its_pre_bid_meeting(demo):
    site, files = demo
    process = next(p for p in site.processes if p.ocid == MOVED)
    raw = files[routes.process_calendar_path(MOVED)].decode()
    calendar = ics(files, routes.process_calendar_path(MOVED))
    title = "North Alderport Storm Sewer Rehabilitation (CIPP Lining)"
    page = "https://alderport.example.gov/contracts/" + process.path.removesuffix("index.html")

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == feeds.PRODID
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert calendar.calendar_name == f"{title} (City of Alderport)" == str(calendar["X-WR-CALNAME"])
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Chicago"]
    assert calendar.get_missing_tzids() == set()
    assert str(calendar["URL"]) == page

    events = events_by_summary(calendar)
    assert list(events) == [f"Pre-bid meeting: {title}", f"Questions due: {title}", f"Bid deadline: {title}"]
    meeting, questions, deadline = events.values()

    assert deadline.start == dt.datetime(2026, 12, 3, 14, 0, tzinfo=CHICAGO)
    assert deadline.start.tzinfo.key == "America/Chicago"
    assert "DTSTART;TZID=America/Chicago:20261203T140000" in raw.splitlines()
    assert deadline.duration == dt.timedelta(0)
    assert str(deadline["TRANSP"]) == "TRANSPARENT"
    assert str(deadline["STATUS"]) == "CONFIRMED"
    assert "Bids are due Thursday, December 3, 2026" in str(deadline["DESCRIPTION"])

    assert questions.start == dt.datetime(2026, 11, 25, 17, 0, tzinfo=CHICAGO)
    assert questions.start.tzinfo.key == "America/Chicago"

    assert meeting.start == dt.datetime(2026, 10, 28, 10, 0, tzinfo=CHICAGO)
    assert meeting.start.utcoffset() == dt.timedelta(hours=-5)  # daylight saving time then
    assert meeting.duration == feeds.MEETING
    assert str(meeting["TRANSP"]) == "OPAQUE"
    assert "2400 Industrial Parkway, Training Room A" in str(meeting["LOCATION"])

    for event in (meeting, questions, deadline):
        assert str(event["URL"]) == page
        assert page in str(event["DESCRIPTION"])
        assert MOVED in str(event["DESCRIPTION"])
        # DTSTAMP and LAST-MODIFIED: when the data last changed (the addendum), not the build time.
        assert event.stamp == dt.datetime(2026, 11, 13, 21, 0, tzinfo=dt.UTC)
        assert event.last_modified == event.stamp
        assert event["SEQUENCE"] == 1  # one notice after the first
    assert len({str(e["UID"]) for e in (meeting, questions, deadline)}) == 3


def test_every_opportunity_with_a_date_has_a_calendar_and_nothing_else_does(demo):
    site, files = demo
    written = {p for p in files if p.startswith(routes.PROCESSES + "/")}
    assert written == {routes.process_calendar_path(p.ocid) for p in site.opportunities if has_dates(p)}
    assert any(p.stage == FORECAST for p in site.opportunities if has_dates(p))
    for process in site.opportunities:
        if has_dates(process):
            calendar = ics(files, routes.process_calendar_path(process.ocid))
            starts = [e.start for e in calendar.events]
            expected = [process.deadline, process.enquiry_end, *(m.date for m in process.milestones)]
            assert sorted(starts) == sorted(d for d in expected if d) == starts


def test_a_forecast_deadline_is_marked_as_expected(demo):
    site, files = demo
    forecast = next(p for p in site.forecasts if p.deadline)
    events = events_by_summary(ics(files, routes.process_calendar_path(forecast.ocid)))
    deadline = events[f"Expected bid deadline: {forecast.title}"]
    assert deadline.start == forecast.deadline
    assert str(deadline["STATUS"]) == "TENTATIVE"
    assert "forecast" in str(deadline["DESCRIPTION"])


def test_the_calendar_of_open_deadlines_holds_every_open_bid_s_dates(demo):
    site, files = demo
    calendar = ics(files, routes.calendar_path())
    assert calendar.calendar_name == "City of Alderport: open bid deadlines"
    assert calendar.refresh_interval == feeds.REFRESH
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    assert str(calendar["SOURCE"]) == "https://alderport.example.gov/contracts/calendars/open-deadlines.ics"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Chicago"
    uids = [str(e["UID"]) for e in calendar.events]
    # The same event has the same UID here as in the bid's own file, so apps don't show it twice.
    expected = [str(e["UID"]) for p in site.open_now if has_dates(p)
                for e in ics(files, routes.process_calendar_path(p.ocid)).events]
    assert sorted(uids) == sorted(expected) and len(set(uids)) == len(uids)
    starts = [e.start for e in calendar.events]
    assert starts == sorted(starts)
    deadlines = [e for e in calendar.events if str(e["SUMMARY"]).startswith("Bid deadline: ")]
    assert len(deadlines) == len(site.open_now)
    assert not any("Expected" in str(e["SUMMARY"]) for e in calendar.events)


def test_one_calendar_per_category_of_its_open_bids(demo):
    site, files = demo
    facets = site.lists.facets["category"]
    assert {p for p in files if p.startswith("calendars/category/")} == {
        routes.calendar_path("category", f.key) for f in facets}
    for facet in facets:
        calendar = ics(files, routes.calendar_path("category", facet.key))
        assert facet.title in calendar.calendar_name
        deadlines = sorted(e.start for e in calendar.events if str(e["SUMMARY"]).startswith("Bid deadline: "))
        assert deadlines == sorted(p.deadline for p in facet.items if p.stage == OPEN)


def test_every_calendar_is_well_formed(demo):
    _, files = demo
    for path, data in files.items():
        if not path.endswith(".ics"):
            continue
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), path
        assert all(len(line) <= 75 for line in data.split(b"\r\n")), path  # folded at 75 octets
        calendar = Calendar.from_ical(data)
        assert calendar.get_missing_tzids() == set(), path
        assert calendar.timezones, path
        for event in calendar.events:
            assert {"UID", "DTSTAMP", "DTSTART", "DURATION", "SUMMARY"} <= set(event), path
            assert event.start.tzinfo.key == "America/Chicago"
            assert str(event.stamp.tzinfo) == "UTC"


def test_uids_are_the_same_in_every_build_and_name_the_event():
    first = site_of(("ocds-test01-1", {"tender": tender()}))
    moved = site_of(("ocds-test01-1", {"tender": tender(end="2026-11-27T14:00:00-06:00")}),
                    base_url="https://city.example/contracts/")
    one, two = (ics(artifacts(s), routes.process_calendar_path("ocds-test01-1")) for s in (first, moved))
    [before], [after] = one.events, two.events
    assert after.start != before.start
    assert str(after["UID"]) == str(before["UID"]) == str(uuid.uuid5(feeds.NAMESPACE, '["event", "ocds-test01-1", "deadline"]'))


def test_two_builds_give_the_same_bytes(demo):
    site, files = demo
    assert {a.path: a.data for a in feeds.feed_artifacts(site)} == files


def test_untrusted_text_is_escaped_and_folded():
    title = 'Pipes, valves; and <script>alert("x")</script> & co\x07\nsecond line ' + "é" * 60
    site = site_of(("ocds-test01-1", {"tender": tender(title=title, milestones=[
        {"id": "m", "title": "Site visit", "type": "engagement", "dueDate": "2026-11-18T09:00:00-06:00",
         "description": "Meet at gate 3, Harbor Road; bring ID"}])}))
    files = artifacts(site)
    calendar = ics(files, routes.process_calendar_path("ocds-test01-1"))
    clean = 'Pipes, valves; and <script>alert("x")</script> & co second line ' + "é" * 60
    assert f"Bid deadline: {clean}" in events_by_summary(calendar)
    assert "Pipes\\, valves\\; and" in files[routes.process_calendar_path("ocds-test01-1")].decode()
    visit = events_by_summary(calendar)[f"Site visit: {clean}"]
    assert str(visit["LOCATION"]) == "Meet at gate 3, Harbor Road; bring ID"
    entry = atom(files, routes.feed_path("opportunities")).entries[0]
    assert entry.title == clean
    assert b"<script>" not in files[routes.feed_path("opportunities")]


def test_a_city_in_utc_and_a_site_with_nothing_open():
    site = site_of(timezone="UTC")
    files = artifacts(site)
    calendar = ics(files, routes.calendar_path())
    assert calendar.events == [] and [tz.tz_name for tz in calendar.timezones] == ["UTC"]
    feed = atom(files, routes.feed_path("opportunities"))
    assert feed.entries == [] and feed.feed.updated == "2026-11-16T00:00:00+00:00"  # the build's day
    assert set(files) == {routes.calendar_path(), routes.feed_path("opportunities"), routes.feed_path("awards")}


# --- Atom feeds ----------------------------------------------------------------------------------

def check_rfc4287(path: str, data: bytes) -> etree._Element:
    """The grammar of RFC 4287 Appendix B, and the two rules it states in Schematron."""
    root = etree.fromstring(data)
    assert RNG.validate(root), (path, RNG.error_log)
    entries = root.findall(f"{ATOM}entry")
    assert root.find(f"{ATOM}author") is not None or all(e.find(f"{ATOM}author") is not None for e in entries)
    for entry in entries:
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None or entry.find(f"{ATOM}content") is not None
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids)), path
    for value in [root.findtext(f"{ATOM}id"), *ids]:
        assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)
    updated = [dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in entries]
    if updated:  # the feed changed when its newest entry did
        assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == max(updated)
    return root


def test_every_feed_is_valid_atom(demo):
    _, files = demo
    feeds_written = [p for p in files if p.endswith(".atom")]
    assert feeds_written
    for path in feeds_written:
        check_rfc4287(path, files[path])
        parsed = atom(files, path)
        assert parsed.version == "atom10"
        assert len(parsed.entries) <= feeds.FEED_ENTRIES
        assert parsed.feed.author == "City of Alderport, Office of Procurement"
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["self"] == routes.SiteURL.parse("https://alderport.example.gov/contracts/").absolute(path)


def test_the_feed_of_new_opportunities(demo):
    site, files = demo
    parsed = atom(files, routes.feed_path("opportunities"))
    feed = parsed.feed
    assert feed.title == "City of Alderport: new contracting opportunities"
    assert feed.id == "urn:uuid:" + str(uuid.uuid5(feeds.NAMESPACE, '["feed", "https://alderport.example.gov/contracts/", '
                                                                     '"feeds/opportunities.atom"]'))
    links = {link.rel: (link.href, link.type) for link in feed.links}
    assert links["alternate"] == ("https://alderport.example.gov/contracts/opportunities/", "text/html")
    assert links["self"][1] == "application/atom+xml"
    newest = sorted(site.opportunities, key=lambda p: (-p.published.timestamp(), p.ocid))
    assert len(parsed.entries) == len(site.opportunities)
    for process, entry in zip(newest, parsed.entries, strict=True):
        assert entry.id == uuid.uuid5(feeds.NAMESPACE, f'["opportunity", "{process.ocid}"]').urn
        assert entry.title == (f"Forecast: {process.title}" if process.stage == FORECAST else process.title)
        assert entry.link == "https://alderport.example.gov/contracts/" + process.path.removesuffix("index.html")
        assert dt.datetime.fromisoformat(entry.published) == process.published
        assert dt.datetime.fromisoformat(entry.updated) == process.last_updated
        assert entry.author == process.buyer.name
        assert [t.term for t in entry.tags] == [c.code for c in process.categories]
        assert process.ocid in entry.summary
        assert ("Estimated value: $" in entry.summary) == (process.value is not None)
    moved = next(e for e, p in zip(parsed.entries, newest, strict=True) if p.ocid == MOVED)
    assert "Bids due: Thursday, December 3, 2026, 2:00\u202fPM CST" in moved.summary


def test_one_feed_per_category_and_per_department(demo):
    site, files = demo
    for kind in ("category", "department"):
        facets = site.lists.facets[kind]
        assert {p for p in files if p.startswith(f"feeds/{kind}/")} == {
            routes.feed_path("opportunities", kind, f.key) for f in facets}
        for facet in facets:
            parsed = atom(files, routes.feed_path("opportunities", kind, facet.key))
            assert facet.title in parsed.feed.title
            links = {link.rel: link.href for link in parsed.feed.links}
            assert links["alternate"] == site.settings.base_url.absolute(facet.path)
            ocids = {p.ocid for p in facet.items}
            assert {e.id for e in parsed.entries} == {uuid.uuid5(feeds.NAMESPACE, f'["opportunity", "{o}"]').urn
                                                        for o in ocids}
    everything = {e.id for e in atom(files, routes.feed_path("opportunities")).entries}
    some = atom(files, routes.feed_path("opportunities", "category", site.lists.facets["category"][0].key))
    assert {e.id for e in some.entries} <= everything  # an entry keeps its id in every feed


def test_the_feed_of_awards(demo):
    site, files = demo
    parsed = atom(files, routes.feed_path("awards"))
    assert parsed.feed.title == "City of Alderport: contract awards"
    assert {link.rel: link.href for link in parsed.feed.links}["alternate"] == \
        "https://alderport.example.gov/contracts/awards/"
    rows = site.awards[:feeds.FEED_ENTRIES]
    assert len(parsed.entries) == len(rows) > 0
    for row, entry in zip(rows, parsed.entries, strict=True):
        assert entry.id == uuid.uuid5(feeds.NAMESPACE, f'["award", "{row.process.ocid}", "{row.award.id}"]').urn
        suppliers = ", ".join(s.name for s in row.award.suppliers)
        assert entry.title == f"{row.process.title}: awarded to {suppliers}"
        assert dt.datetime.fromisoformat(entry.updated) == row.award.date
        assert entry.link.endswith(row.process.path.removesuffix("index.html"))
        assert f"Awarded to: {suppliers}" in entry.summary
    updated = [dt.datetime.fromisoformat(e.updated) for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)


def test_without_a_base_url_links_are_relative_to_the_feed(demo):
    site, _ = demo
    files = artifacts(dataclasses.replace(site, settings=site.settings.with_overrides(base_url="")))
    served = "https://city.example/sub/"  # wherever the site is served, links resolve from the feed
    for path in (routes.feed_path("opportunities"), routes.feed_path("awards"),
                 routes.feed_path("opportunities", "department", site.lists.facets["department"][0].key)):
        check_rfc4287(path, files[path])
        parsed = feedparser.parse(files[path], response_headers={
            "content-location": served + path, "content-type": "application/atom+xml"})
        assert not parsed.bozo
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["self"] == served + path
        for entry in parsed.entries:
            target = urlsplit(entry.link).path.removeprefix("/sub/")
            assert target.startswith("processes/") and target.endswith("/")
            assert posixpath.join(target, "index.html") in {p.path for p in site.processes}
        raw = etree.fromstring(files[path])
        assert all(not urlsplit(link.get("href")).scheme for link in raw.iter(f"{ATOM}link")
                   if link.get("rel") != "license")
    calendar = ics(files, routes.process_calendar_path(MOVED))
    assert all("URL" not in e for e in calendar.events)  # a calendar's URL must be absolute
    assert "SOURCE" not in ics(files, routes.calendar_path())


def test_the_build_writes_calendars_and_feeds_the_pages_link_to(demo_site):
    for path in (routes.calendar_path(), routes.feed_path("opportunities"), routes.feed_path("awards"),
                 routes.process_calendar_path(MOVED)):
        assert (demo_site / path).is_file(), path
    assert Calendar.from_ical((demo_site / routes.process_calendar_path(MOVED)).read_bytes()).events
