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
from collections.abc import Iterator
from dataclasses import dataclass

from babel.dates import format_date
from icalendar import Event

from generator import routes
from generator.artifact import Artifact
from generator.publish import formats
from generator.publish.languages import Language, default_language
from generator.publish.syndication import FEED_ENTRIES, NAMESPACE, PRODID, REFRESH, atom_bytes, calendar_head
from generator.publish.syndication import Entry as _Entry
from generator.publish.syndication import clean as _clean
from generator.publish.syndication import line as _line
from generator.publish.syndication import uuid_of as _uuid
from generator.site.assemble import Site
from generator.site.awards import AwardRow
from generator.site.process import FORECAST, OPEN, Process

__all__ = ["FEED_ENTRIES", "NAMESPACE", "PRODID", "REFRESH", "atom_feed", "feed_artifacts"]
# A deadline is a moment, so it is an event of no length (DURATION:PT0S): calendar apps
# (Google, Outlook, Apple, Thunderbird) show it at its time without pretending it takes an hour,
# and as TRANSPARENT it does not mark the bidder busy. A meeting's notice gives only its start;
# an hour holds the time a pre-bid meeting and its walk-through usually take.
MEETING = dt.timedelta(hours=1)
DESCRIPTION_CHARS = 600  # of a process description quoted in a feed entry


def feed_artifacts(site: Site, language: Language | None = None) -> Iterator[Artifact]:
    """Every calendar and feed of the site, in `language` (the site's first when not given)."""
    language = language or default_language(site.settings)
    yield from calendar_artifacts(site, language)
    yield from atom_artifacts(site, language)


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


def process_events(process: Process, language: Language) -> list[_Event]:
    """One opportunity's dates, in date order: bid deadline, questions due, and its milestones (the
    dates on its page: pre-bid meetings, site visits). A meeting's description, which says where it
    is, is also its LOCATION."""
    _, locale = language.gettext, language.locale
    process = process.in_language(language.code)
    expected = process.stage == FORECAST
    title = _line(language.name_of(process.name))
    department = _("Department: %(name)s") % {"name": _line(process.buyer.name)} + "\n" if process.buyer else ""
    note = _("This opportunity is forecast: the date is expected and may change.") + "\n" if expected else ""
    reference = _("Reference: %(ocid)s") % {"ocid": process.ocid}
    events = []
    if process.deadline:
        events.append(_Event(
            (process.ocid, "deadline"),
            (_("Expected bid deadline: %(title)s") if expected else _("Bid deadline: %(title)s")) % {"title": title},
            process.deadline, dt.timedelta(0),
            note + _("Bids are due %(date)s.") % {"date": formats.datetime_text(process.deadline, locale)}
            + f"\n{department}{reference}"))
    if process.enquiry_end:
        events.append(_Event(
            (process.ocid, "questions"), _("Questions due: %(title)s") % {"title": title}, process.enquiry_end,
            dt.timedelta(0),
            note + _("Questions about this opportunity are due %(date)s.")
            % {"date": formats.datetime_text(process.enquiry_end, locale)} + f"\n{department}{reference}"))
    seen: set[str] = set()
    for index, milestone in enumerate(process.milestones):
        if milestone.date is None:
            continue
        key = milestone.id if milestone.id and milestone.id not in seen else f"#{index}"
        seen.add(key)
        about = _clean(milestone.description)
        events.append(_Event(
            (process.ocid, "milestone", key),
            _("%(event)s: %(title)s") % {"event": _line(milestone.title) or _("Meeting"), "title": title},
            milestone.date, MEETING, f"{note}{about + chr(10) if about else ''}{department}{reference}",
            location=_line(milestone.description) if milestone.type == "engagement" else "", busy=True))
    return sorted(events, key=lambda e: (e.start, e.key))


def _event(site: Site, process: Process, event: _Event, language: Language) -> Event:
    stamp = (process.last_updated or site.midnight).astimezone(dt.UTC)
    url = site.settings.base_url.absolute(process.path) or ""
    description = event.description + ("\n" + language.gettext("Details and documents: %(url)s") % {"url": url}
                                       if url else "")
    item = Event.new(
        uid=str(_uuid("event", *event.key)), stamp=stamp, last_modified=stamp, summary=event.summary,
        start=event.start, description=description, location=event.location or None, url=url or None,
        sequence=max(len(process.timeline) - 1, 0),
        status="TENTATIVE" if process.stage == FORECAST else "CONFIRMED",
        transparency="OPAQUE" if event.busy else "TRANSPARENT")
    item.DURATION = event.duration
    return item


def _calendar(site: Site, language: Language, path: str, name: str, about: str, page: str, processes,
              subscribable: bool) -> Artifact:
    events = sorted(((p, e) for p in processes for e in process_events(p, language)),
                    key=lambda pe: (pe[1].start, pe[1].key))
    calendar = calendar_head(site, path, name, about, page, subscribable, [e.start.year for _, e in events])
    for process, event in events:
        calendar.add_component(_event(site, process, event, language))
    return Artifact(path, calendar.to_ical())


def calendar_artifacts(site: Site, language: Language) -> Iterator[Artifact]:
    _ = language.gettext
    city = _line(site.settings.city_name)
    for process in site.opportunities:
        if process_events(process, language):
            title = _line(language.name_of(process.name))
            yield _calendar(site, language, routes.process_calendar_path(process.ocid),
                            _("%(title)s (%(city)s)") % {"title": title, "city": city},
                            _("Dates to keep for %(title)s, from the contracting portal of %(city)s.")
                            % {"title": title, "city": formats.sentence_name(city, language.locale.language)}, process.path, (process,), subscribable=False)
    yield _calendar(site, language, routes.calendar_path(), _("%(city)s: open bid deadlines") % {"city": city},
                    _("%(city)s: deadlines, questions due and pre-bid meetings of every bid open now.") % {"city": city},
                    routes.listing_path("opportunities"), site.open_now, subscribable=True)
    for kind, facet in _facets(site, routes.CALENDAR_FACETS):
        title = _line(facet.title or facet.key)
        words = {"city": city, "title": title}
        yield _calendar(site, language, routes.calendar_path(kind, facet.key),
                        _("%(city)s: open bid deadlines, %(title)s") % words,
                        _("%(city)s: deadlines, questions due and pre-bid meetings of the open bids for %(title)s.")
                        % words, facet.path, tuple(p for p in facet.items if p.stage == OPEN), subscribable=True)


def _facets(site: Site, kinds: tuple[str, ...]):
    """The opportunity filters of these kinds that have their own calendar or feed (the pages of
    the others link to none)."""
    facets = site.lists.facets if site.lists else {}
    return [(kind, facet) for kind in kinds for facet in facets.get(kind, ())]


# --- Atom feeds ----------------------------------------------------------------------------

def _excerpt(value: str) -> str:
    value = _clean(value).strip()
    if len(value) <= DESCRIPTION_CHARS:
        return value
    return value[:DESCRIPTION_CHARS].rsplit(None, 1)[0].rstrip(".,;:") + "…"


def opportunity_entry(site: Site, process: Process, language: Language) -> _Entry:
    _, locale = language.gettext, language.locale
    process = process.in_language(language.code)
    lines = [_("Department: %(name)s") % {"name": process.buyer.name} if process.buyer else ""]
    if process.deadline:
        lines.append(_("Bids expected in: %(month)s") % {"month": formats.month_text(process.deadline, locale)}
                     if process.stage == FORECAST
                     else _("Bids due: %(date)s") % {"date": formats.datetime_text(process.deadline, locale)})
    if process.enquiry_end:
        lines.append(_("Questions due: %(date)s") % {"date": formats.datetime_text(process.enquiry_end, locale)})
    if process.value:
        lines.append(_("Estimated value: %(value)s") % {"value": formats.money_text(process.value, locale)})
    lines += [*_relation_lines(process, language), _("Reference: %(ocid)s") % {"ocid": process.ocid}, "",
              _excerpt(process.description)]
    return _Entry(
        id=_uuid("opportunity", process.ocid).urn,
        title=_("Forecast: %(title)s") % {"title": language.name_of(process.name)} if process.stage == FORECAST
        else language.name_of(process.name),
        updated=process.last_updated or process.published or site.midnight, published=process.published,
        page=process.path, summary="\n".join(lines).strip(), author=process.buyer.name if process.buyer else "",
        categories=tuple((c.code, c.name) for c in process.categories))


def award_entry(site: Site, row: AwardRow, language: Language) -> _Entry:
    _, locale = language.gettext, language.locale
    process, award = row.process.in_language(language.code), row.award
    suppliers = ", ".join(s.name for s in award.suppliers)
    value = formats.money_text(award.value, locale) if award.value else ""
    lines = [_("Department: %(name)s") % {"name": process.buyer.name} if process.buyer else "",
             _("Awarded to: %(suppliers)s") % {"suppliers": suppliers} if suppliers else "",
             (_("Value: up to %(value)s (the agreement's ceiling; money is spent as orders are placed)")
              if process.framework else _("Value: %(value)s")) % {"value": value} if value else "",
             _("Award date: %(date)s") % {"date": format_date(award.date, "long", locale=locale)} if award.date else "",
             *_relation_lines(process, language), _("Reference: %(ocid)s") % {"ocid": process.ocid}]
    when = award.date or process.last_updated or site.midnight
    return _Entry(
        id=_uuid("award", process.ocid, award.id).urn,
        title=(_("%(title)s: awarded to %(suppliers)s") if suppliers else _("%(title)s: awarded"))
        % {"title": language.name_of(process.name), "suppliers": suppliers},
        updated=when, published=award.date, page=process.path,
        summary="\n".join(x for x in lines if x), author=process.buyer.name if process.buyer else "",
        categories=tuple((c.code, c.name) for c in process.categories))


def _relation_lines(process: Process, language: Language) -> list[str]:
    """What a feed reader should know of a process's links: the agreement an order is placed under,
    an agreement's orders, the contract a tender renews or replaces."""
    _ = language.gettext
    r = process.relations
    lines = [_("Sets up a framework agreement: a list of approved firms that orders are then placed with")
             if process.framework else ""]
    lines += [_("Ordered under: %(name)s") % {"name": language.name_of(n.name)}
              + (f" ({n.link.identifier})" if not n.in_data and n.link.identifier
                 and n.link.identifier not in str(n.name) else "")
              for n in r.agreements]
    lines += [_("Follows: %(name)s") % {"name": language.name_of(n.name)} for n in r.prior]
    if r.call_offs:
        lines.append(_("Orders placed under it: %(n)s") % {"n": len(r.call_offs)})
    return [x for x in lines if x]


def _newest_first(process: Process):
    return (-(process.published.timestamp() if process.published else float("-inf")), process.ocid)


def atom_feed(site: Site, language: Language, path: str, title: str, page: str, entries: list[_Entry]) -> Artifact:
    """An Atom feed at `path` mirroring the HTML page `page`, of at most FEED_ENTRIES entries."""
    return Artifact(path, atom_bytes(site, language, path, title, page, entries))


def atom_artifacts(site: Site, language: Language) -> Iterator[Artifact]:
    _ = language.gettext
    city = site.settings.city_name
    newest = sorted(site.opportunities, key=_newest_first)
    yield atom_feed(site, language, routes.feed_path("opportunities"), _("%(city)s: new contracting opportunities") % {"city": city},
                    routes.listing_path("opportunities"),
                    [opportunity_entry(site, p, language) for p in newest[:FEED_ENTRIES]])
    about = {"category": _("%(city)s: new contracting opportunities in %(title)s"),
             "department": _("%(city)s: new contracting opportunities from %(title)s")}
    for kind, facet in _facets(site, routes.FEED_FACETS):
        items = sorted(facet.items, key=_newest_first)[:FEED_ENTRIES]
        title = about[kind] % {"city": city, "title": _line(facet.title or facet.key)}  # routes.FEED_FACETS
        yield atom_feed(site, language, routes.feed_path("opportunities", kind, facet.key), title, facet.path,
                        [opportunity_entry(site, p, language) for p in items])
    yield atom_feed(site, language, routes.feed_path("awards"), _("%(city)s: contract awards") % {"city": city},
                    routes.listing_path("awards"),
                    [award_entry(site, row, language) for row in site.awards[:FEED_ENTRIES]])
