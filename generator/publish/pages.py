"""HTML pages, the sitemap and robots.txt through Jinja2. Pure: view model in, artifacts out.

Templates come from `load` as text (the city's own site_templates/ override the default theme
by name). Autoescape is on and undefined names fail loudly (StrictUndefined). Every visible
string goes through gettext; Babel formats dates, numbers and money for the site's language.
"""

from __future__ import annotations

import functools
import gettext
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jinja2
import markupsafe
from babel import Locale
from babel.numbers import format_decimal

from generator import labels, routes
from generator.artifact import Artifact
from generator.errors import TemplateProblem
from generator.publish import figures, formats, prose
from generator.publish.jobs import Job, page_jobs
from generator.site.assemble import Site
from generator.values import visible
from generator.workers import in_order

TEMPLATE_FOLDER = "site_templates"


def make_environment(templates: dict[str, str], locale_name: str, translations=None, terms=()) -> jinja2.Environment:
    """`terms`: the abbreviations the `prose` filter explains (site.words.Term)."""
    locale = Locale.parse(locale_name)  # parsed once: Babel re-parses a locale given as text on every call

    def source(name: str):
        if name not in templates:
            return None
        # The file name appears in error messages and tracebacks.
        return templates[name], f"{TEMPLATE_FOLDER}/{name}", lambda: True

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(source),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)
    env.filters.update(
        date=lambda d, fmt="long": formats.date_text(d, locale, fmt),
        month=lambda d: formats.month_text(d, locale),  # "December 2026"
        datetime=lambda d: formats.datetime_text(d, locale),
        isodate=lambda d: d.isoformat() if d else "",
        money=lambda m: formats.money_text(m, locale),
        percent=lambda p: formats.percent_text(p, locale),
        moneys=lambda ms: "; ".join(formats.money_text(m, locale) for m in ms),
        compact_moneys=lambda ms: "; ".join(formats.compact_money_text(m, locale) for m in ms),
        number=lambda n: format_decimal(n, locale=locale),
        format_name=formats.format_name,
        clause=formats.clause,
        lang_attr=_lang_attribute,
        filesize=lambda n: formats.file_size_text(n, locale),
        counted=formats.counted,  # a count the script recounts from the visitor's clock
        visible=lambda t: visible(t, 200),  # an identifier of untrusted data: invisible characters named
        wrap_points=formats.wrap_points,
    )
    # Babel is slow, and an award is shown in ten lists (all awards, its department's, year's,
    # method's and value band's, each newest and largest first): format each value once.
    for name in ("date", "money", "number"):
        env.filters[name] = _remembered(env.filters[name])
    env.globals["url"] = _url
    env.globals["count_attributes"] = _count_attributes
    env.globals["route"] = _route
    env.globals["label"] = functools.partial(labels.label, (translations or gettext.NullTranslations()).gettext)
    explain = prose.Explainer(terms, (translations or gettext.NullTranslations()).gettext)
    # The data's free text: links made, abbreviations explained once a page (the page's own set).
    env.filters["prose"] = jinja2.pass_context(lambda ctx, value: explain(value, ctx.get("explained", set())))
    return env


def _lang_attribute(tag: str) -> markupsafe.Markup:
    """` lang="uk"` for an element holding the data's text in another language than the site's
    (Process.lang), nothing for "" (the site's language)."""
    return markupsafe.Markup(' lang="%s"') % tag if tag else markupsafe.Markup("")


def _count_attributes(items=None, within=None) -> markupsafe.Markup:
    """` data-count="…"` for a count that static/opportunities.js recounts from the visitor's clock:
    of `items` (formats.counted), or of the page's own (opportunity_script's) when None; with
    `within`, ` data-within="N"`: only the open bids that close within N days."""
    markup = markupsafe.Markup(' data-count="%s"') % (formats.counted(items) if items is not None else "")
    return markup + markupsafe.Markup(' data-within="%s"') % within if within is not None else markup


def _remembered(format_value: Callable[..., str], limit: int = 1 << 17) -> Callable[..., str]:
    """`format_value` with its results remembered by the value's type and text, not by equality:
    equal values may read differently (1 and 1.0, one instant in two time zones)."""
    results: dict[tuple, str] = {}

    def remembered(value, *args):
        key = (type(value), str(value), args)
        if key not in results:
            if len(results) >= limit:
                results.clear()
            results[key] = format_value(value, *args)
        return results[key]
    return remembered


@jinja2.pass_context
def _url(context, target: str) -> str:
    """Relative link from the page being rendered to an output path."""
    return routes.relative_url(context["page_path"], target)


@jinja2.pass_context
def _route(context, kind: str, *args, root: str | None = None, **kwargs) -> str:
    """Link from the page being rendered to the output path of the route named `kind`
    (routes.ROUTES): route('listing', 'opportunities'), route('static', 'site.css'). With `root`
    (the site's base path, on the 404 page, which a server returns at any depth) the link is
    absolute from it instead. Routes are looked up on every call."""
    target = routes.path(kind, *args, **kwargs)
    return routes.rooted_url(root, target) if root is not None else routes.relative_url(context["page_path"], target)


@dataclass(frozen=True, slots=True)
class NavLink:
    title: str
    target: str  # an output path, or an external http(s) URL
    external: bool
    current: str  # "page" on the page itself, "" elsewhere (also on its sub-pages)
    section: bool  # the page is this item's page or one of its sub-pages


def _navigation(settings, path: str) -> list[NavLink]:
    links = []
    for item in settings.navigation:
        if item.url:
            links.append(NavLink(item.title, item.url, True, "", False))
            continue
        target = routes.listing_path(item.page)
        folder = target.rsplit("/", 1)[0] + "/" if "/" in target else ""
        links.append(NavLink(item.title, target, False, "page" if path == target else "",
                             path == target or bool(folder) and path.startswith(folder)))
    return links


def compile_templates(env: jinja2.Environment, templates: dict[str, str]) -> None:
    """Compile every template up front, so a syntax error is reported with its file and line."""
    for name in sorted(templates):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(f"{TEMPLATE_FOLDER}/{name}:{exc.lineno}: {exc.message}",
                                  hint="Fix the template tag on that line (a missing {% endif %} or %}?).") from None


def _template_line(exc: BaseException) -> str:
    """'site_templates/x.html:12' for the innermost template frame of a rendering error."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(TEMPLATE_FOLDER + "/")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else TEMPLATE_FOLDER


class Renderer:
    """The build's one Jinja environment (templates compiled once) and what every page gets."""

    def __init__(self, site: Site, templates: dict[str, str]):
        self.site = site
        locale = formats.site_locale(site.settings)
        self.env = make_environment(templates, str(locale), terms=site.terms)
        compile_templates(self.env, templates)
        self.lang = formats.site_language(site.settings)
        self.words = figures.Words(locale)
        self.env.globals["value_table"] = functools.partial(figures.value_table, self.words)
        self.navigation = functools.lru_cache(maxsize=64)(lambda path: _navigation(site.settings, path))

    def page(self, template: str, path: str, **context) -> Artifact:
        try:
            html = self.env.get_template(template).render(site=self.site, page_path=path,
                                                           lang=self.lang, explained=set(),
                                                           navigation=self.navigation(path), **context)
        except jinja2.TemplateError as exc:
            raise TemplateProblem(f"{_template_line(exc)}: {exc} (while rendering {path})",
                                  hint="Check the names the template uses against the default theme's "
                                       "templates.") from None
        return Artifact(path, html.encode("utf-8"))

def render_site(site: Site, templates: dict[str, str], progress=None, workers: int = 1,
                renderer: Renderer | None = None) -> Iterator[Artifact]:
    """Every page, in a fixed order.

    With several workers, chunks of pages are rendered in forked processes that share the view
    model copy-on-write; chunks come back in order, so the output is the same as with one worker.
    """
    r = renderer or Renderer(site, templates)
    jobs = list(page_jobs(site, r.words))
    chunks = [(i, min(i + CHUNK, len(jobs))) for i in range(0, len(jobs), CHUNK)]
    if len(jobs) < PARALLEL_FROM:
        workers = 1
    yield from _with_progress(in_order(_render_chunk, chunks, (r, jobs), workers), chunks, progress)


CHUNK = 250
PARALLEL_FROM = 2000


def _render_chunk(shared: tuple[Renderer, list[Job]], bounds: tuple[int, int]) -> list[Artifact]:
    r, jobs = shared
    return [r.page(job.template, job.path, **job.context) if job.template else Artifact(job.path, job.context["data"])
            for job in jobs[bounds[0]:bounds[1]]]


def _with_progress(results, chunks, progress) -> Iterator[Artifact]:
    total = chunks[-1][1] if chunks else 0
    for (_, stop), pages in zip(chunks, results, strict=False):
        yield from pages
        if progress and (stop % 1000 < CHUNK or stop == total):
            progress("pages written", stop, total)


def page_paths(paths: list[str]) -> list[str]:
    return sorted(p for p in paths if p.endswith(".html") and p != routes.NOT_FOUND)


SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the protocol allows


def render_sitemap(site: Site, templates: dict[str, str], paths: list[str],
                   renderer: Renderer | None = None) -> list[Artifact]:
    """sitemap.xml lists every page (and nothing else); robots.txt points to it.

    Sitemaps need absolute URLs, so without a base URL only robots.txt is written. Past 50,000
    pages, sitemap.xml becomes an index of sitemap-1.xml, sitemap-2.xml, ...
    """
    env = (renderer or Renderer(site, templates)).env
    base = site.settings.base_url
    if not base:  # sitemaps need full addresses: without a base URL there are none to give
        return [Artifact(routes.ROBOTS, env.get_template("robots.txt").render(sitemap="").encode("utf-8"))]
    urls = [base.absolute(p) for p in paths]
    lastmod = site.today.isoformat()
    chunks = [urls[i:i + SITEMAP_LIMIT] for i in range(0, len(urls), SITEMAP_LIMIT)] or [[]]
    artifacts = []
    if len(chunks) == 1:
        artifacts.append(Artifact(routes.SITEMAP, env.get_template("sitemap.xml").render(
            urls=chunks[0], lastmod=lastmod).encode("utf-8")))
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
        for name, chunk in zip(names, chunks, strict=True):
            artifacts.append(Artifact(name, env.get_template("sitemap.xml").render(
                urls=chunk, lastmod=lastmod).encode("utf-8")))
        artifacts.append(Artifact(routes.SITEMAP, env.get_template("sitemap-index.xml").render(
            sitemaps=[base.absolute(n) for n in names], lastmod=lastmod).encode("utf-8")))
    robots = env.get_template("robots.txt").render(sitemap=base.absolute(routes.SITEMAP))
    return [*artifacts, Artifact(routes.ROBOTS, robots.encode("utf-8"))]


def data_page(site: Site, templates: dict[str, str], catalogue, renderer: Renderer | None = None) -> Artifact:
    """The data page (data/): every bulk download with its size and checksum, how to open it, and
    the CSV tables' dictionary. Rendered once the downloads are written, as their sizes and
    checksums are only known then; `catalogue` is what the bulk stage describes them with."""
    base = site.settings.base_url
    return (renderer or Renderer(site, templates)).page("data.html", routes.listing_path("data"), catalogue=catalogue,
                                          absolute=lambda path: base.absolute(path) or path)


def static_artifacts(static: dict[str, bytes]) -> list[Artifact]:
    return [Artifact(routes.static_path(name), data) for name, data in sorted(static.items())]
