"""HTML pages, the sitemap and robots.txt through Jinja2. Pure: view model in, artifacts out.

Templates come from `load` as text (the city's own site_templates/ override the default theme
by name). Autoescape is on and undefined names fail loudly (StrictUndefined). Every visible
string goes through gettext; Babel formats dates, numbers and money for the site's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Callable, Iterator

import jinja2
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

from generator import routes
from generator.model import Money, Site, paginate
from generator.write import Artifact


def make_environment(templates: dict[str, str], locale_name: str, translations=None) -> jinja2.Environment:
    locale = Locale.parse(locale_name)  # parsed once: Babel re-parses a locale given as text on every call
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)
    env.filters.update(
        date=lambda d, fmt="long": format_date(d, fmt, locale=locale) if d else "",
        datetime=lambda d: _datetime(d, locale),
        isodate=lambda d: d.isoformat() if d else "",
        money=lambda m: _money(m, locale),
        moneys=lambda ms: "; ".join(_money(m, locale) for m in ms),
        number=lambda n: format_decimal(n, locale=locale),
    )
    env.globals["url"] = _url
    return env


def _datetime(value: dt.datetime | None, locale: Locale) -> str:
    """A deadline as readers expect it: weekday, date, time and the city's time zone."""
    if value is None:
        return ""
    return (f"{format_date(value, 'full', locale=locale)}, "
            f"{format_time(value, 'short', tzinfo=value.tzinfo, locale=locale)} {value.tzname()}")


def _money(value: Money | None, locale: Locale) -> str:
    if value is None:
        return ""
    whole = float(value.amount).is_integer()
    return format_currency(value.amount, value.currency, locale=locale, currency_digits=not whole,
                           format="¤#,##0" if whole else None)


@jinja2.pass_context
def _url(context, target: str) -> str:
    """Relative link from the page being rendered to an output path."""
    return routes.relative_url(context["page_path"], target)


class Renderer:
    def __init__(self, site: Site, templates: dict[str, str]):
        self.site = site
        locale = (site.settings.languages or ("en",))[0].replace("-", "_")
        self.env = make_environment(templates, locale)
        self.locale = locale

    def page(self, template: str, path: str, **context) -> Artifact:
        html = self.env.get_template(template).render(site=self.site, page_path=path, lang=self.locale.split("_")[0],
                                                       **context)
        return Artifact(path, html.encode("utf-8"))

    def listing(self, template: str, path_of: Callable[[int], str], items: tuple, **context) -> Iterator[Artifact]:
        """One page per `page_size` items; `path_of(n)` is the output path of page n."""
        pages = paginate(items, self.site.settings.page_size)
        for number, chunk in enumerate(pages, 1):
            pager = {
                "number": number, "count": len(pages), "total": len(items),
                "previous": path_of(number - 1) if number > 1 else "",
                "next": path_of(number + 1) if number < len(pages) else "",
            }
            yield self.page(template, path_of(number), items=chunk, pager=pager, **context)


def render_site(site: Site, templates: dict[str, str], progress=None) -> Iterator[Artifact]:
    r = Renderer(site, templates)
    yield r.page("home.html", routes.listing_path("home"))
    for kind, items, extra in (("opportunities", site.opportunities, {}), ("processes", site.processes, {}),
                               ("awards", site.awards, {}), ("suppliers", site.suppliers, {"role": "supplier"}),
                               ("buyers", site.buyers, {"role": "buyer"})):
        template = "organizations.html" if kind in ("suppliers", "buyers") else f"{kind}.html"
        yield from r.listing(template, functools.partial(routes.listing_path, kind), items, **extra)
    yield r.page("guides.html", routes.listing_path("guides"))
    for guide in site.guides:
        yield r.page("guide.html", guide.path, guide=guide)
    # An organisation's page lists its awards (supplier) or its processes (department), paginated.
    for org in site.suppliers:
        yield from r.listing("organization.html", functools.partial(routes.supplier_path, org.key), org.awards,
                             org=org, role="supplier", open_bids=())
    for org in site.buyers:
        yield from r.listing("organization.html", functools.partial(routes.buyer_path, org.key), org.processes,
                             org=org, role="buyer",
                             open_bids=tuple(p for p in site.open_now if p.buyer and p.buyer.key == org.key))
    total = len(site.processes)
    for n, process in enumerate(site.processes, 1):
        yield r.page("process.html", process.path, process=process)
        if progress and (n % 1000 == 0 or n == total):
            progress("pages rendered", n, total)
    yield r.page("404.html", routes.NOT_FOUND, root=routes.base_path(site.settings.base_url))


def page_paths(artifacts: list[Artifact]) -> list[str]:
    return sorted(a.path for a in artifacts if a.path.endswith(".html") and a.path != routes.NOT_FOUND)


def render_sitemap(site: Site, templates: dict[str, str], paths: list[str]) -> list[Artifact]:
    """sitemap.xml lists every page (and nothing else); robots.txt points to it."""
    env = make_environment(templates, "en")
    base = site.settings.base_url or "/"
    urls = [routes.absolute_url(base, p) for p in paths]
    sitemap = env.get_template("sitemap.xml").render(urls=urls, lastmod=site.today.isoformat())
    robots = env.get_template("robots.txt").render(sitemap=routes.absolute_url(base, routes.SITEMAP))
    return [Artifact(routes.SITEMAP, sitemap.encode("utf-8")), Artifact(routes.ROBOTS, robots.encode("utf-8"))]


def static_artifacts(static: dict[str, bytes]) -> list[Artifact]:
    return [Artifact(routes.static_path(name), data) for name, data in sorted(static.items())]
