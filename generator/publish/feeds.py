"""Calendars (iCalendar, RFC 5545) and Atom feeds (RFC 4287) of opportunities and awards.

A producer: the view model in, `Artifact`s out; no files, no clock. Same inputs, same bytes:

- Every identifier is a name-based UUID (uuid5) of what it identifies, so it is the same in every
  build: an event's UID comes from its process's ocid and what the event is (deadline, questions,
  or a milestone's id), an entry's id from the ocid (and the award's id). Event UIDs are bare
  UUIDs, as RFC 7986 section 5.3 recommends, so they also survive the site moving to another host.
- Every timestamp comes from the data: an event's DTSTAMP and LAST-MODIFIED are when its process
  last changed, its SEQUENCE counts the notices after the first; a feed's `updated` is its
  newest entry's. Only an empty feed falls back to the build's day (`site.today`).

Written here (paths from `routes`):

- processes/<slug>/calendar.ics: the dates of each opportunity (open bids and forecasts) that
  has at least one: bid deadline, questions due, pre-bid meetings and other milestones.
- calendars/open-deadlines.ics and calendars/category/<code>.ics (one per category facet): the
  same events for every bid open now, to subscribe to.
- feeds/opportunities.atom, feeds/category/<code>.atom and feeds/department/<key>.atom (one per
  category and department facet): opportunities, newest first; feeds/awards.atom: awards.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date
from icalendar import Calendar, Event, Timezone, vDuration

from generator import routes
from generator.artifact import Artifact
from generator.publish import formats
from generator.site.assemble import Site
from generator.site.awards import AwardRow
from generator.site.process import FORECAST, OPEN, Process
from generator.values import safe_url

# Identifiers are uuid5 names under this namespace. Never change it: subscribers' calendars and
# feed readers know events and entries by these ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ocds-portal")
FEED_ENTRIES = 50  # newest entries per feed
REFRESH = dt.timedelta(hours=6)  # how often a subscribed calendar asks for changes
# A deadline is a moment, so it is an event of no length (DURATION:PT0S): calendar apps
# (Google, Outlook, Apple, Thunderbird) show it at its time without pretending it takes an hour,
# and as TRANSPARENT it does not mark the bidder busy. A meeting's notice gives only its start;
# an hour holds the time a pre-bid meeting and its walk-through usually take.
MEETING = dt.timedelta(hours=1)
DESCRIPTION_CHARS = 600  # of a process description quoted in a feed entry
PRODID = "-//Open Contracting Portal//NONSGML ocds-portal//EN"  # the product that wrote the calendar
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 and iCalendar TEXT can't carry (C0 controls except tab and newline,
# surrogates, non-characters); untrusted OCDS text may hold them.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def feed_artifacts(site: Site) -> Iterator[Artifact]:
    """Every calendar and feed of the site."""
    yield from calendar_artifacts(site)
    yield from atom_artifacts(site)


def _uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, json.dumps(parts, ensure_ascii=False))


def _site_key(site: Site) -> str:
    """What tells this portal's feeds and calendars from another city's."""
    return site.settings.base_url.url or site.settings.city_name


def _clean(value: str) -> str:
    return UNSAFE_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _line(value: str) -> str:
    return " ".join(_clean(value).split())


def _page_url(site: Site, from_path: str, path: str) -> str:
    """A link to a page: absolute with a base URL, else relative to the file that links."""
    return site.settings.base_url.link(path, from_path)


# --- calendars -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Event:
    key: tuple[str, ...]  # what the UID is made from
    summary: str
    start: dt.datetime
    duration: dt.timedelta
    description: str
    location: str = ""
    busy: bool = False


def process_events(process: Process, locale: Locale) -> list[_Event]:
    """One opportunity's dates, in date order: bid deadline, questions due, and its milestones (the
    dates on its page: pre-bid meetings, site visits). A meeting's description, which says where it
    is, is also its LOCATION."""
    expected = process.stage == FORECAST
    title = _line(process.title)
    department = f"Department: {_line(process.buyer.name)}\n" if process.buyer else ""
    note = "This opportunity is forecast: the date is expected and may change.\n" if expected else ""
    events = []
    if process.deadline:
        events.append(_Event(
            (process.ocid, "deadline"), f"{'Expected bid deadline' if expected else 'Bid deadline'}: {title}",
            process.deadline, dt.timedelta(0),
            f"{note}Bids are due {formats.datetime_text(process.deadline, locale)}.\n{department}Reference: {process.ocid}"))
    if process.enquiry_end:
        events.append(_Event(
            (process.ocid, "questions"), f"Questions due: {title}", process.enquiry_end, dt.timedelta(0),
            f"{note}Questions about this opportunity are due {formats.datetime_text(process.enquiry_end, locale)}.\n"
            f"{department}Reference: {process.ocid}"))
    seen: set[str] = set()
    for index, milestone in enumerate(process.milestones):
        if milestone.date is None:
            continue
        key = milestone.id if milestone.id and milestone.id not in seen else f"#{index}"
        seen.add(key)
        about = _clean(milestone.description)
        events.append(_Event(
            (process.ocid, "milestone", key), f"{_line(milestone.title) or 'Meeting'}: {title}",
            milestone.date, MEETING,
            f"{note}{about + chr(10) if about else ''}{department}Reference: {process.ocid}",
            location=_line(milestone.description) if milestone.type == "engagement" else "", busy=True))
    return sorted(events, key=lambda e: (e.start, e.key))


def _event(site: Site, process: Process, event: _Event) -> Event:
    stamp = (process.last_updated or site.midnight).astimezone(dt.UTC)
    url = site.settings.base_url.absolute(process.path) or ""
    description = event.description + (f"\nDetails and documents: {url}" if url else "")
    item = Event.new(
        uid=str(_uuid("event", *event.key)), stamp=stamp, last_modified=stamp, summary=event.summary,
        start=event.start, description=description, location=event.location or None, url=url or None,
        sequence=max(len(process.timeline) - 1, 0),
        status="TENTATIVE" if process.stage == FORECAST else "CONFIRMED",
        transparency="OPAQUE" if event.busy else "TRANSPARENT")
    item.DURATION = event.duration
    return item


def _calendar(site: Site, path: str, name: str, about: str, page: str, processes, subscribable: bool) -> Artifact:
    settings = site.settings
    base = settings.base_url
    calendar = Calendar.new(
        prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", name=name, description=about, uid=str(_uuid("calendar", _site_key(site), path)),
        url=base.absolute(page),
        source=base.absolute(path) if subscribable else None,
        refresh_interval=REFRESH if subscribable else None)
    calendar.add("X-WR-TIMEZONE", settings.timezone)
    if subscribable:
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))  # the same, for Outlook
    events = sorted(((p, e) for p in processes for e in process_events(p, formats.site_locale(site.settings))), key=lambda pe: (pe[1].start, pe[1].key))
    years = [e.start.year for _, e in events] or [site.today.year]
    # The city's VTIMEZONE, covering the years of the events (always there, so even a calendar
    # with no events holds the one component RFC 5545 requires).
    calendar.add_component(Timezone.from_tzid(settings.timezone, first_date=dt.date(min(years), 1, 1),
                                              last_date=dt.date(max(years) + 1, 1, 1)))
    for process, event in events:
        calendar.add_component(_event(site, process, event))
    return Artifact(path, calendar.to_ical())


def calendar_artifacts(site: Site) -> Iterator[Artifact]:
    locale = formats.site_locale(site.settings)
    city = _line(site.settings.city_name)
    for process in site.opportunities:
        if process_events(process, locale):
            title = _line(process.title)
            yield _calendar(site, routes.process_calendar_path(process.ocid), f"{title} ({city})",
                            f"Dates to keep for {title}, from the {city} contracting portal.",
                            process.path, (process,), subscribable=False)
    yield _calendar(site, routes.calendar_path(), f"{city}: open bid deadlines",
                    f"{city}: deadlines, questions due and pre-bid meetings of every bid open now.",
                    routes.listing_path("opportunities"), site.open_now, subscribable=True)
    for kind, facet in _facets(site, routes.CALENDAR_FACETS):
        title = _line(facet.title or facet.key)
        yield _calendar(site, routes.calendar_path(kind, facet.key), f"{city}: open bid deadlines, {title}",
                        f"{city}: deadlines, questions due and pre-bid meetings of the open bids for {title}.",
                        facet.path, tuple(p for p in facet.items if p.stage == OPEN), subscribable=True)


def _facets(site: Site, kinds: tuple[str, ...]):
    """The opportunity filters of these kinds that have their own calendar or feed (the pages of
    the others link to none)."""
    facets = site.lists.facets if site.lists else {}
    return [(kind, facet) for kind in kinds for facet in facets.get(kind, ())]


# --- Atom feeds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    updated: dt.datetime
    published: dt.datetime | None
    page: str  # output path of the page the entry is about
    summary: str
    author: str
    categories: tuple[tuple[str, str], ...]  # (term, label)


def _excerpt(value: str) -> str:
    value = _clean(value).strip()
    if len(value) <= DESCRIPTION_CHARS:
        return value
    return value[:DESCRIPTION_CHARS].rsplit(None, 1)[0].rstrip(".,;:") + "…"


def opportunity_entry(site: Site, process: Process) -> _Entry:
    locale = formats.site_locale(site.settings)
    lines = [f"Department: {process.buyer.name}" if process.buyer else ""]
    if process.deadline:
        lines.append(f"Bids expected in: {formats.month_text(process.deadline, locale)}" if process.stage == FORECAST
                     else f"Bids due: {formats.datetime_text(process.deadline, locale)}")
    if process.enquiry_end:
        lines.append(f"Questions due: {formats.datetime_text(process.enquiry_end, locale)}")
    if process.value:
        lines.append(f"Estimated value: {formats.money_text(process.value, locale)}")
    lines += [*_relation_lines(process), f"Reference: {process.ocid}", "", _excerpt(process.description)]
    return _Entry(
        id=_uuid("opportunity", process.ocid).urn,
        title=f"Forecast: {process.title}" if process.stage == FORECAST else process.title,
        updated=process.last_updated or process.published or site.midnight, published=process.published,
        page=process.path, summary="\n".join(lines).strip(), author=process.buyer.name if process.buyer else "",
        categories=tuple((c.code, c.name) for c in process.categories))


def award_entry(site: Site, row: AwardRow) -> _Entry:
    locale = formats.site_locale(site.settings)
    process, award = row.process, row.award
    suppliers = ", ".join(s.name for s in award.suppliers)
    value = formats.money_text(award.value, locale) if award.value else ""
    lines = [f"Department: {process.buyer.name}" if process.buyer else "",
             f"Awarded to: {suppliers}" if suppliers else "",
             (f"Value: up to {value} (the agreement's ceiling; money is spent as orders are placed)"
              if process.framework else f"Value: {value}") if value else "",
             f"Award date: {format_date(award.date, 'long', locale=locale)}" if award.date else "",
             *_relation_lines(process), f"Reference: {process.ocid}"]
    when = award.date or process.last_updated or site.midnight
    return _Entry(
        id=_uuid("award", process.ocid, award.id).urn,
        title=f"{process.title}: awarded to {suppliers}" if suppliers else f"{process.title}: awarded",
        updated=when, published=award.date, page=process.path,
        summary="\n".join(x for x in lines if x), author=process.buyer.name if process.buyer else "",
        categories=tuple((c.code, c.name) for c in process.categories))


def _relation_lines(process: Process) -> list[str]:
    """What a feed reader should know of a process's links: the agreement an order is placed under,
    an agreement's orders, the contract a tender renews or replaces."""
    r = process.relations
    lines = ["Sets up a framework agreement: a list of approved firms that orders are then placed with"
             if process.framework else ""]
    lines += [f"Ordered under: {n.name}" + (f" ({n.link.identifier})" if not n.in_data and n.link.identifier
                                            and n.link.identifier not in str(n.name) else "")
              for n in r.agreements]
    lines += [f"Follows: {n.name}" for n in r.prior]
    if r.call_offs:
        lines.append(f"Orders placed under it: {len(r.call_offs)}")
    return [x for x in lines if x]


def _newest_first(process: Process):
    return (-(process.published.timestamp() if process.published else float("-inf")), process.ocid)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(value)
    return element


def _stamp(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def atom_feed(site: Site, path: str, title: str, page: str, entries: list[_Entry]) -> Artifact:
    """An Atom feed at `path` mirroring the HTML page `page`, of at most FEED_ENTRIES entries."""
    settings = site.settings
    entries = entries[:FEED_ENTRIES]
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: formats.site_language(site.settings)})
    _text(feed, "id", _uuid("feed", _site_key(site), path).urn)
    _text(feed, "title", _line(title))
    _text(feed, "updated", _stamp(max((e.updated for e in entries), default=site.midnight)))
    author = ET.SubElement(feed, "author")
    _text(author, "name", settings.publisher_name)
    if safe_url(settings.publisher_uri):
        _text(author, "uri", settings.publisher_uri)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": _page_url(site, path, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": _page_url(site, path, page)})
    if safe_url(settings.license):
        ET.SubElement(feed, "link", {"rel": "license", "href": settings.license})
    for entry in entries:
        item = ET.SubElement(feed, "entry")
        _text(item, "id", entry.id)
        _text(item, "title", _line(entry.title))
        _text(item, "updated", _stamp(entry.updated))
        if entry.published:
            _text(item, "published", _stamp(entry.published))
        if entry.author:
            _text(ET.SubElement(item, "author"), "name", entry.author)
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html",
                                     "href": _page_url(site, path, entry.page)})
        for term, label in entry.categories:
            ET.SubElement(item, "category", {"term": _clean(term), "label": _clean(label)})
        _text(item, "summary", entry.summary)
    ET.indent(feed)
    return Artifact(path, ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n")


def atom_artifacts(site: Site) -> Iterator[Artifact]:
    city = site.settings.city_name
    newest = sorted(site.opportunities, key=_newest_first)
    yield atom_feed(site, routes.feed_path("opportunities"), f"{city}: new contracting opportunities",
                    routes.listing_path("opportunities"), [opportunity_entry(site, p) for p in newest[:FEED_ENTRIES]])
    for kind, facet in _facets(site, routes.FEED_FACETS):
        items = sorted(facet.items, key=_newest_first)[:FEED_ENTRIES]
        about = {"category": "in ", "department": "from "}.get(kind, "") + _line(facet.title or facet.key)
        yield atom_feed(site, routes.feed_path("opportunities", kind, facet.key),
                        f"{city}: new contracting opportunities {about}", facet.path,
                        [opportunity_entry(site, p) for p in items])
    yield atom_feed(site, routes.feed_path("awards"), f"{city}: contract awards", routes.listing_path("awards"),
                    [award_entry(site, row) for row in site.awards[:FEED_ENTRIES]])
