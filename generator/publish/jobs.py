"""Every page the site has, as jobs: a template, its output path and what it gets. Pure.

`pages` renders the jobs; this module only lists them, so adding a page kind means adding its
job here (and its route in `routes`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator import routes
from generator.publish import figures, flag_table, performance_figures, subscriptions
from generator.site import radar
from generator.site.assemble import Site


@dataclass(frozen=True, slots=True)
class Job:
    """One page to render: its template, its output path and what the template gets; or, without a
    template, a file whose bytes are already made (the CSV behind a chart), in `context["data"]`.
    `kept`: a page made again only when what it is made from changes (publish.page_keys): a page
    of one thing (a process, a guide), or of a list whose rows are the view model's shared objects
    (processes, awards, organizations, opportunities, contracts coming up), which page_keys digests
    once each (a row, an organization from their parts). Other pages (the home page, the
    dashboards, the guides' list) are made on every build: a page of many things of its own
    digests in about the time it is made."""

    template: str | None
    path: str
    context: dict
    kept: bool = False


def listing(site: Site, template: str, path_of: Callable[[int], str], items: tuple, page_size: int = 0,
            kept: bool = False, each: Callable[[tuple], dict] | None = None, **context) -> Iterator[Job]:
    """One page per `page_size` items (default: the site's); `path_of(n)` is the output path of page n.
    `each`: what a page gets from its own items (a kept page reads only what it shows)."""
    pages = paginate(items, page_size or site.settings.page_size)
    for number, chunk in enumerate(pages, 1):
        pager = {
            "number": number, "count": len(pages), "total": len(items),
            "previous": path_of(number - 1) if number > 1 else "",
            "next": path_of(number + 1) if number < len(pages) else "",
            "path_of": path_of,
        }
        yield Job(template, path_of(number), {"items": chunk, "pager": pager, **context,
                                              **(each(chunk) if each else {})}, kept)




def paginate(items: tuple, size: int) -> list[tuple]:
    """Split a listing into pages; an empty listing still has one (empty) page."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [()]



def csv_jobs(figs: tuple[figures.Figure, ...]) -> Iterator[Job]:
    """The CSV of each figure's numbers, beside the page that shows it."""
    for f in figs:
        yield Job(None, f.csv_path, {"data": f.csv_bytes()})


def page_jobs(site: Site, words: figures.Words) -> Iterator[Job]:
    yield Job("home.html", routes.listing_path("home"), {"feed": routes.feed_path("opportunities"),
                                                         "closing_path": routes.opportunity_facet_path("closing", "7")})
    yield from opportunity_jobs(site)
    yield from radar_jobs(site)
    yield from award_jobs(site)
    for kind, items, extra in (("processes", site.processes, {}),
                               ("suppliers", site.suppliers, {"role": "supplier"}),
                               ("buyers", site.buyers, {"role": "buyer"})):
        template = "organizations.html" if kind in ("suppliers", "buyers") else f"{kind}.html"
        yield from listing(site, template, functools.partial(routes.listing_path, kind), items, kept=True, **extra)
    yield Job("guides.html", routes.listing_path("guides"), {})
    yield Job("search.html", routes.listing_path("search"), {  # the suppliers' and departments' sizes it labels
        "scales": sorted({o.scale for o in (*site.suppliers, *site.buyers) if o.scale})})
    yield Job("alerts.html", routes.listing_path("alerts"), {"groups": subscriptions.groups(site),
                                                         "coming_up": subscriptions.coming_up(site)})
    sections = performance_figures.sections(site.performance, words, routes.performance_file)
    # The data-quality page links each field to the figures that need it: their pages, by id.
    anchors = {s.id: routes.listing_path(s.page) for s in sections} | {
        f.id: routes.listing_path(s.page) for s in sections for f in s.figures} | {
        "flags": routes.listing_path("performance-flags")}
    yield Job("data-quality.html", routes.listing_path("quality"), {"anchors": anchors})
    yield Job("shared-contracts.html", routes.listing_path("shared-contracts"), {"agreements": site.shared_agreements})
    yield Job("storm-ready.html", routes.listing_path("storm-ready"), {})
    figs = figures.dashboard_figures(site.dashboard, words, routes.spending_file)
    yield Job("spending.html", routes.listing_path("spending"), {"board": site.dashboard, "figures": figs})
    yield from csv_jobs(figs)
    for part in (performance_figures.MAIN, performance_figures.BUSINESSES):
        shown = tuple(s for s in sections if s.page == part)
        yield Job("performance.html", routes.listing_path(part), {
            "sections": shown, "part": part, "notes": {f.note for s in shown for f in s.figures}})
    yield Job("performance-flags.html", routes.listing_path("performance-flags"), {"part": "performance-flags"})
    yield from csv_jobs(tuple(f for s in sections for f in s.figures))
    yield Job(None, routes.performance_file("flags"), {"data": flag_table.flag_csv(
        site.flags, words._, lambda path: site.settings.base_url.absolute(path) or path)})
    for guide in site.guides:
        yield Job("guide.html", guide.path, {"guide": guide}, kept=True)
    # An organisation's page lists its awards (supplier) or its processes (department), paginated.
    for org in site.suppliers:
        yield from listing(site, "organization.html", functools.partial(routes.supplier_path, org.key), org.awards,
                             kept=True, org=org, role="supplier", feed="", opportunities_path="", figures=(),
                             awards_path="", profile=org.profile)
    for org in site.buyers:
        facet = site.lists.facet_of("department", org.key)
        profile = org.profile
        figs = figures.department_figures(profile, words, functools.partial(routes.buyer_file, org.key))
        yield from listing(site, "organization.html", functools.partial(routes.buyer_path, org.key), org.processes,
                             kept=True, org=org, role="buyer", opportunities_path=facet.path if facet else "",
                             feed=routes.feed_path("opportunities", "department", org.key) if facet else "",
                             profile=profile, figures=figs,
                             awards_path=routes.award_list_path("department", org.key) if org.awards else "")
        yield from csv_jobs(figs)
    for process in site.processes:
        yield Job("process.html", process.path, {"process": process,
                                                 "calendar": routes.process_calendar_path(process.ocid),
                                                 "record": routes.process_record_path(process.ocid)}, kept=True)
    if not site.settings.base_url.prefix:  # servers answer every missing address with the root's
        yield Job("404.html", routes.NOT_FOUND, {"root": site.settings.base_url.path})


CARDS_PER_PAGE = 25  # opportunity cards are several times a table row's size: fewer per page


def opportunity_jobs(site: Site) -> Iterator[Job]:
    """The opportunities list (soonest deadline first), sorted by newest and by value, one pre-built
    list per filter (facet), and past opportunities."""
    lists = site.lists
    everything = {"feed": routes.feed_path("opportunities"), "calendar": routes.calendar_path(), "facet": None}
    cards = min(site.settings.page_size, CARDS_PER_PAGE)
    for sort, kind, items in (("deadline", "opportunities", site.opportunities), ("newest", "newest", lists.newest),
                              ("value", "by-value", lists.by_value)):
        yield from listing(site, "opportunities.html", functools.partial(routes.listing_path, kind), items,
                             page_size=cards, kept=True, sort=sort, **everything)
    yield Job("browse.html", routes.listing_path("browse"), {})
    for kind, facets in lists.facets.items():
        for facet in facets:
            links = {"feed": routes.feed_path("opportunities", kind, facet.key) if kind in routes.FEED_FACETS else "",
                     "calendar": routes.calendar_path(kind, facet.key) if kind in routes.CALENDAR_FACETS else ""}
            yield from listing(site, "opportunities.html", functools.partial(routes.opportunity_facet_path, kind, facet.key),
                                 facet.items, page_size=cards, kept=True, sort="deadline", facet=facet, **links)
    # A past page gets what tells its own processes apart, not the whole list's: a changed process
    # makes again the pages it is on (publish.page_keys), not every past page.
    apart = lists.past_told_apart
    yield from listing(site, "past.html", functools.partial(routes.listing_path, "past"), lists.past, kept=True,
                       each=lambda chunk: {"told_apart": {p.ocid: apart[p.ocid] for p in chunk if p.ocid in apart}})


# The award script combines filters by loading every page of the smallest list chosen, up to this
# many pages (3,000 awards at 50 a page: an average department of a city of 100,000 processes).
COMBINE_AT_MOST = 60


def award_jobs(site: Site) -> Iterator[Job]:
    """Every award, newest first and largest first, and each filter's (facet's) awards in both
    orders: small tables of the site's page size, so that filtering works without JavaScript."""
    lists = site.award_lists
    # What the script on a list's first page needs to find the other lists' pages.
    paging = {"page": routes.PAGE, "by_value": routes.BY_VALUE, "per_page": site.settings.page_size,
              "max_pages": COMBINE_AT_MOST}
    all_orders = {"newest": routes.award_list_path(), "value": routes.award_list_path(by_value=True)}
    filters = lists.filters
    # A page gets its facet as a filter link (name, count), not with its rows: a changed award
    # changes the pages it is on, not every page of its facets (publish.page_keys).
    links = {(link.kind, link.key): link for kind_links in filters.facets.values() for link in kind_links}
    for facet in (None, *(f for facets in lists.facets.values() for f in facets)):
        kind, key = (facet.kind, facet.key) if facet else ("", "")
        orders = {"newest": routes.award_list_path(kind, key), "value": routes.award_list_path(kind, key, by_value=True)}
        for sort, items in (("newest", facet.rows if facet else lists.newest),
                            ("value", facet.by_value if facet else lists.by_value)):
            yield from listing(site, "awards.html", functools.partial(routes.award_list_path, kind, key,
                                                                  by_value=sort == "value"),
                               items, kept=True, facet=links[kind, key] if facet else None, sort=sort, orders=orders,
                               all_orders=all_orders, paging=paging, filters=filters,
                               feed="" if facet else routes.feed_path("awards"))


def radar_jobs(site: Site) -> Iterator[Job]:
    """The contracts coming up (the re-bid radar), grouped by category, and the same by department."""
    if site.radar is None:
        return
    for grouping, kind in ((radar.CATEGORY, "coming-up"), (radar.DEPARTMENT, "coming-up-by-department")):
        yield from listing(site, "coming-up.html", functools.partial(routes.listing_path, kind),
                           site.radar.rows(grouping), kept=True, radar=site.radar, grouping=grouping)
