"""The re-bid radar as an Atom feed and a subscribable calendar, for every contract coming up and
for each category, so a vendor can follow when the janitorial contract comes up again. A producer:
the view model in (site.radar), artifacts out; no files, no clock. Same inputs, same bytes.

- feeds/coming-up.atom and feeds/coming-up/category/<code>.atom: one entry per contract, its id a
  uuid5 of the process's ocid and the contract's id. A feed carries the FEED_ENTRIES contracts
  that end soonest (the most pressing), listed as the page lists them, the latest end first.
- calendars/coming-up.ics and calendars/coming-up/category/<code>.ics: one all-day event per
  contract, on the last day it may run (Contract.last_day, in the city's time zone), its UID a
  bare uuid5 of the ocid and the contract's id; DTSTAMP is when its process last changed.

The words are in the language the feed is built for (languages.Language), as the other feeds' are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from babel.dates import format_date
from icalendar import Event

from generator import routes
from generator.artifact import Artifact
from generator.labels import LABELS, N_
from generator.publish import formats
from generator.publish.languages import Language, default_language
from generator.publish.syndication import FEED_ENTRIES, Entry, atom_bytes, calendar_head, clean, line, uuid_of
from generator.site import holders, radar
from generator.site.assemble import Site

RENEWALS = {
    holders.NONE: N_("none"),
    holders.UNSTATED: N_("may be renewed; how many times is not published"),
    holders.UNKNOWN: N_("not published"),
}


def renewals_words(left: holders.RenewalsLeft, language: Language) -> str:
    if left.kind == holders.EXACT:
        return language.ngettext("%(n)s renewal left", "%(n)s renewals left", left.count) % {"n": left.count}
    if left.kind == holders.UP_TO:
        return language.ngettext("up to %(n)s renewal", "up to %(n)s renewals", left.count) % {"n": left.count}
    return language.gettext(RENEWALS[left.kind])


def _lines(site: Site, entry: radar.Entry, language: Language) -> list[str]:
    _, locale = language.gettext, language.locale
    held, process = entry.held, entry.process
    suppliers = ", ".join(s.name for s in held.suppliers)
    follow = "; ".join(f"{language.name_of(n.name)} ({_(LABELS['stage'][n.stage]) if n.stage in LABELS['stage'] else n.stage})"
                       if n.stage else language.name_of(n.name) for n in entry.follow_ons)
    found = [_("Held by: %(suppliers)s") % {"suppliers": suppliers or _("not published")},
             _("Value: %(value)s") % {"value": formats.money_text(held.value, locale) if held.value else _("not published")},
             _("Ends: %(date)s") % {"date": format_date(entry.ends, "long", locale=locale)}]
    if held.term_ends:
        found.append(_("Current term ends: %(date)s") % {"date": format_date(held.term_ends, "long", locale=locale)})
    found.append(_("Renewals left: %(renewals)s") % {"renewals": renewals_words(held.renewals, language)})
    found.append(_("Follow-on: %(processes)s") % {"processes": follow} if follow else _("Follow-on: none published yet"))
    if process.buyer:
        found.append(_("Department: %(name)s") % {"name": process.buyer.name})
    if entry.category:
        found.append(_("Category: %(name)s") % {"name": entry.category.name})
    found.append(_("Reference: %(ocid)s") % {"ocid": process.ocid})
    return [clean(x) for x in found]


def _key(entry: radar.Entry) -> tuple[str, str]:
    return (entry.process.ocid, entry.held.contract_id)


def radar_entry(site: Site, entry: radar.Entry, language: Language) -> Entry:
    _, locale = language.gettext, language.locale
    process = entry.process
    return Entry(
        id=uuid_of("radar", *_key(entry)).urn,
        title=_("%(name)s: ends %(date)s") % {"name": language.name_of(entry.held.name),
                                               "date": format_date(entry.ends, "long", locale=locale)},
        updated=process.last_updated or site.midnight, published=None, page=process.path,
        summary="\n".join(_lines(site, entry, language)), author=process.buyer.name if process.buyer else "",
        categories=tuple((c.code, c.name) for c in process.categories))


def _event(site: Site, entry: radar.Entry, language: Language) -> Event:
    _ = language.gettext
    process = entry.process
    stamp = (process.last_updated or site.midnight).astimezone(dt.UTC)
    url = site.settings.base_url.absolute(process.path) or ""
    day = entry.ends.date()
    description = "\n".join(_lines(site, entry, language)) + (
        "\n" + _("Details: %(url)s") % {"url": url} if url else "")
    return Event.new(
        uid=str(uuid_of("radar-end", *_key(entry))), stamp=stamp, last_modified=stamp,
        summary=_("Contract ends: %(name)s") % {"name": line(language.name_of(entry.held.name))},
        start=day, end=day + dt.timedelta(days=1), description=description, url=url or None,
        sequence=max(len(process.timeline) - 1, 0), status="CONFIRMED", transparency="TRANSPARENT")


def _calendar(site: Site, language: Language, path: str, name: str, about: str, page: str, entries) -> Artifact:
    ordered = sorted(entries, key=lambda e: (e.ends.date(), _key(e)))
    calendar = calendar_head(site, path, name, about, page, True, [e.ends.year for e in ordered])
    for entry in ordered:
        calendar.add_component(_event(site, entry, language))
    return Artifact(path, calendar.to_ical())


def _feed(site: Site, language: Language, path: str, title: str, page: str, fragment: str, entries) -> Artifact:
    soonest = set(map(_key, sorted(entries, key=lambda e: (e.ends, _key(e)))[:FEED_ENTRIES]))
    chosen = [radar_entry(site, e, language) for e in entries if _key(e) in soonest]
    return Artifact(path, atom_bytes(site, language, path, title, page, chosen, fragment))


def radar_artifacts(site: Site, language: Language | None = None) -> Iterator[Artifact]:
    """The feed and calendar of every contract coming up, then each category's, in `language`
    (the site's first when not given)."""
    language = language or default_language(site.settings)
    _ = language.gettext
    found = site.radar
    if found is None:
        return
    city = line(site.settings.city_name)
    page = routes.listing_path("coming-up")
    yield _feed(site, language, routes.radar_feed_path(), _("%(city)s: contracts coming up") % {"city": city}, page, "",
                found.entries)
    yield _calendar(site, language, routes.radar_calendar_path(), _("%(city)s: contracts coming up") % {"city": city},
                    language.ngettext("%(city)s: the day each city contract ends, in the next %(months)s month.",
                                      "%(city)s: the day each city contract ends, in the next %(months)s months.",
                                      found.months) % {"city": city, "months": found.months},
                    page, found.entries)
    size = site.settings.page_size
    for group in found.groups[radar.CATEGORY]:
        if not group.key:
            continue
        title = line(group.title or group.key)
        on = routes.listing_path("coming-up", found.page_of(radar.CATEGORY, group.key, size))
        name = _("%(city)s: contracts coming up, %(category)s") % {"city": city, "category": title}
        yield _feed(site, language, routes.radar_feed_path(radar.CATEGORY, group.key), name, on, f"#{group.anchor}",
                    group.entries)
        yield _calendar(site, language, routes.radar_calendar_path(radar.CATEGORY, group.key), name,
                        language.ngettext(
                            "%(city)s: the day each city contract for %(category)s ends, in the next %(months)s month.",
                            "%(city)s: the day each city contract for %(category)s ends, in the next %(months)s months.",
                            found.months) % {"city": city, "category": title, "months": found.months},
                        on, group.entries)
