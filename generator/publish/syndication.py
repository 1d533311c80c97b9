"""What every Atom feed and iCalendar file of the site shares: stable identifiers, text made safe
for XML and iCalendar, the feed document and the calendar's head. Pure; bytes out (the producers,
publish/feeds.py and publish/radar_feeds.py, make the artifacts).

- Every identifier is a name-based UUID (uuid5) of what it identifies, under NAMESPACE, so it is
  the same in every build and survives the site moving to another host.
- A feed's `updated` is its newest entry's; only an empty feed falls back to the build's day.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from icalendar import Calendar, Timezone, vDuration

from generator.publish.languages import Language
from generator.site.assemble import Site
from generator.values import safe_url

# Identifiers are uuid5 names under this namespace. Never change it: subscribers' calendars and
# feed readers know events and entries by these ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ocds-portal")
FEED_ENTRIES = 50  # newest entries per feed
REFRESH = dt.timedelta(hours=6)  # how often a subscribed calendar asks for changes
PRODID = "-//Open Contracting Portal//NONSGML ocds-portal//EN"  # the product that wrote the calendar
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 and iCalendar TEXT can't carry (C0 controls except tab and newline,
# surrogates, non-characters); untrusted OCDS text may hold them.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def uuid_of(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, json.dumps(parts, ensure_ascii=False))


def site_key(site: Site) -> str:
    """What tells this portal's feeds and calendars from another city's."""
    return site.settings.base_url.url or site.settings.city_name


def clean(value: str) -> str:
    return UNSAFE_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def line(value: str) -> str:
    return " ".join(clean(value).split())


def page_url(site: Site, from_path: str, path: str) -> str:
    """A link to a page: absolute with a base URL, else relative to the file that links."""
    return site.settings.base_url.link(path, from_path)


# --- calendars -----------------------------------------------------------------------------

def calendar_head(site: Site, path: str, name: str, about: str, page: str, subscribable: bool,
                  years: list[int]) -> Calendar:
    """A calendar at `path` mirroring the HTML page `page`, with the city's VTIMEZONE over `years`
    (always there, so even a calendar with no events holds the one component RFC 5545 requires)."""
    settings = site.settings
    base = settings.base_url
    calendar = Calendar.new(
        prodid=PRODID, calscale="GREGORIAN", method="PUBLISH", name=name, description=about,
        uid=str(uuid_of("calendar", site_key(site), path)), url=base.absolute(page),
        source=base.absolute(path) if subscribable else None,
        refresh_interval=REFRESH if subscribable else None)
    calendar.add("X-WR-TIMEZONE", settings.timezone)
    if subscribable:
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))  # the same, for Outlook
    years = years or [site.today.year]
    calendar.add_component(Timezone.from_tzid(settings.timezone, first_date=dt.date(min(years), 1, 1),
                                              last_date=dt.date(max(years) + 1, 1, 1)))
    return calendar


# --- Atom feeds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    published: dt.datetime | None
    page: str  # output path of the page the entry is about
    summary: str
    author: str
    categories: tuple[tuple[str, str], ...]  # (term, label)
    fragment: str = ""  # the part of the page it is about ("#id"), if not the whole page


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = clean(value)
    return element


def _stamp(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def atom_bytes(site: Site, language: Language, path: str, title: str, page: str, entries: list[Entry],
               page_fragment: str = "") -> bytes:
    """An Atom feed at `path` mirroring the HTML page `page` (at `page_fragment`), of at most
    FEED_ENTRIES entries."""
    settings = site.settings
    entries = entries[:FEED_ENTRIES]
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: language.code})
    _text(feed, "id", uuid_of("feed", site_key(site), path).urn)
    _text(feed, "title", line(title))
    _text(feed, "updated", _stamp(max((e.updated for e in entries), default=site.midnight)))
    author = ET.SubElement(feed, "author")
    _text(author, "name", settings.publisher_name)
    if safe_url(settings.publisher_uri):
        _text(author, "uri", settings.publisher_uri)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": page_url(site, path, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html",
                                 "href": page_url(site, path, page) + page_fragment})
    if safe_url(settings.license):
        ET.SubElement(feed, "link", {"rel": "license", "href": settings.license})
    for entry in entries:
        item = ET.SubElement(feed, "entry")
        _text(item, "id", entry.id)
        _text(item, "title", line(entry.title))
        _text(item, "updated", _stamp(entry.updated))
        if entry.published:
            _text(item, "published", _stamp(entry.published))
        if entry.author:
            _text(ET.SubElement(item, "author"), "name", entry.author)
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html",
                                     "href": page_url(site, path, entry.page) + entry.fragment})
        for term, label in entry.categories:
            ET.SubElement(item, "category", {"term": clean(term), "label": clean(label)})
        _text(item, "summary", entry.summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
