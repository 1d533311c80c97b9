"""What a visitor can subscribe to, as the "Get alerts" page lists it: for every opportunities, each
category and each department, its Atom feed, its calendar of deadlines (when it has one) and, with
the city's email service (setting `alerts`), the link that sends its new bids by email. Pure.

Which lists have a feed or a calendar is decided in `routes` (FEED_FACETS, CALENDAR_FACETS), where
the feeds and calendars themselves are written from (publish/feeds.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import routes
from generator.site.assemble import Site
from generator.site.opportunity_lists import FACET_KINDS, Facet


@dataclass(frozen=True)
class Subscription:
    facet: Facet | None  # None: every opportunity
    feed: str  # output path of its Atom feed, or ""
    calendar: str  # output path of its calendar of open deadlines, or ""
    webcal: str  # the calendar's address as webcal://, which phones and Outlook subscribe to in one tap; "" without base URL
    email: str  # the city's email service's link for its feed, or ""


@dataclass(frozen=True)
class Group:
    kind: str  # "" (everything), or a facet kind: "category", "department"
    items: tuple[Subscription, ...]


def webcal(site: Site, path: str) -> str:
    """The webcal:// address of a calendar (calendar apps subscribe to it rather than import it once)."""
    url = site.settings.base_url.absolute(path)
    return "webcal://" + url.split("://", 1)[1] if url else ""


def _subscription(site: Site, facet: Facet | None, feed: str, calendar: str) -> Subscription:
    return Subscription(facet, feed, calendar, webcal(site, calendar) if calendar else "", site.settings.email_alert(feed))


def groups(site: Site) -> tuple[Group, ...]:
    """Everything first, then each kind of list that has a feed or a calendar, in the filters' order."""
    found = [Group("", (_subscription(site, None, routes.feed_path("opportunities"), routes.calendar_path()),))]
    facets = site.lists.facets if site.lists else {}
    for kind in FACET_KINDS:
        feeds, calendars = kind in routes.FEED_FACETS, kind in routes.CALENDAR_FACETS
        if (feeds or calendars) and facets.get(kind):
            found.append(Group(kind, tuple(
                _subscription(site, f, routes.feed_path("opportunities", kind, f.key) if feeds else "",
                              routes.calendar_path(kind, f.key) if calendars else "")
                for f in facets[kind])))
    return tuple(found)


def coming_up(site: Site) -> Subscription:
    """The re-bid radar's feed and calendar of contract ends (each category has its own on the radar's page)."""
    return _subscription(site, None, routes.radar_feed_path(), routes.radar_calendar_path())
