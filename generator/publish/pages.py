"""HTML pages, the sitemap and robots.txt through Jinja2. Pure: view model in, artifacts out.

Templates come from `load` as text (the city's own site_templates/ override the default theme
by name). Autoescape is on and undefined names fail loudly (StrictUndefined). Every visible
string goes through gettext; Babel formats dates, numbers and money for the site's language.
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import itertools
import math
import operator
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import jinja2
import markupsafe
from babel import Locale
from babel.numbers import format_decimal

from generator import labels, routes
from generator.artifact import Artifact
from generator.errors import TemplateProblem
from generator.inputs import page_index
from generator.publish import figures, formats, page_keys, prose, rendering, search_language
from generator.publish.jobs import Job, page_jobs
from generator.publish.languages import Language, alternates, default_language, plural_forms
from generator.site.assemble import Site
from generator.values import visible
from generator.workers import in_order

TEMPLATE_FOLDER = "site_templates"


def make_environment(templates: dict[str, str], locale_name: str, translations=None, terms=(),
                     bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """`terms`: the abbreviations the `prose` filter explains (site.words.Term). `bytecode_cache`
    (inputs.template_cache) keeps compiled templates between environments and builds: every
    environment that shares it must be made here, alike."""
    locale = Locale.parse(locale_name)  # parsed once: Babel re-parses a locale given as text on every call

    def source(name: str):
        if name not in templates:
            return None
        # The file name appears in error messages and tracebacks.
        return templates[name], f"{TEMPLATE_FOLDER}/{name}", lambda: True

    translations = translations or gettext.NullTranslations()
    salt = rendering.translations_salt(translations)
    if bytecode_cache is not None and salt is not None:
        bytecode_cache = rendering.SaltedCache(bytecode_cache, salt)
    env = rendering.Environment(
        loader=jinja2.FunctionLoader(source),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
    )
    env.template_class = rendering.Template
    env.page = rendering.Here()  # type: ignore[attr-defined]  # the page being rendered (render sets it)
    env.install_gettext_translations(translations, newstyle=True)
    formatted = _formatted_gettext(translations.gettext)
    env.globals["gettext"] = env.globals["_"] = _remembered_gettext(formatted)
    if salt is not None:  # texts without variables written into the compiled templates
        env.translate = formatted  # type: ignore[attr-defined]
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
        data_lang=lambda tag: tag,
        in_sentence=lambda name: formats.sentence_name(name, locale.language),  # "the City of Springfield"
        localized=lambda x: x,  # a Process or Name as the page's language shows it (Renderer sets it)
        language_name=lambda tag: tag,
        filesize=lambda n: formats.file_size_text(n, locale),
        counted=formats.counted,  # a count the script recounts from the visitor's clock
        visible=lambda t: visible(t, 200),  # an identifier of untrusted data: invisible characters named
        wrap_points=formats.wrap_points,
    )
    # Babel is slow, and an award is shown in ten lists (all awards, its department's, year's,
    # method's and value band's, each newest and largest first): format each value once. The
    # city's contact address is wrapped on every page: once, too.
    for name in ("date", "money", "number", "wrap_points"):
        env.filters[name] = formats.remembered(env.filters[name])
    env.globals["language_prefix"] = ""  # the folder of the page's language (Renderer sets it)
    env.globals["plurals"] = functools.partial(plural_forms, Language(
        locale_name, "", locale, translations, locale_name))
    env.globals.update(url=rendering.url, count_attributes=_count_attributes, route=rendering.route, once=rendering.once,
                       label=functools.partial(labels.label, translations.gettext))
    explain = prose.Explainer(terms, translations.gettext)
    # The data's free text: links made, abbreviations explained once a page (the page's own set).
    # pass_context, though it reads only the page: Jinja runs a filter over a constant ("SLBE"|prose)
    # once while compiling, which would explain it for whichever page was being rendered then.
    env.filters["prose"] = jinja2.pass_context(lambda _context, value: explain(value, env.page.explained))
    return env


def render(env: jinja2.Environment, template: str, path: str, **context) -> str:
    """`template` rendered as the page at output path `path` (in the first language's folders)."""
    env.page.path, env.page.explained, env.page.reads = path, set(), set()  # type: ignore[attr-defined]
    return env.get_template(template).render(**context)


def data_language(tag: str, default: str, page: str) -> str:
    """The `lang` to mark the data's text with on a page in language `page`: the text's language
    (Process.lang, "" for the site's first language, `default`) when it is not the page's, else ""."""
    tag = tag or default
    return "" if tag.split("-")[0].lower() == page.split("-")[0].lower() else tag


def _lang_attribute(tag: str, default: str = "", page: str = "") -> markupsafe.Markup:
    """` lang="uk"` for an element holding the data's text in another language than the page's
    (data_language), nothing otherwise."""
    tag = data_language(tag, default or page, page)
    return markupsafe.Markup(' lang="%s"') % tag if tag else markupsafe.Markup("")


def _count_attributes(items=None, within=None) -> markupsafe.Markup:
    """` data-count="…"` for a count that static/opportunities.js recounts from the visitor's clock:
    of `items` (formats.counted), or of the page's own (opportunity_script's) when None; with
    `within`, ` data-within="N"`: only the open bids that close within N days."""
    markup = markupsafe.Markup(' data-count="%s"') % (formats.counted(items) if items is not None else "")
    return markup + markupsafe.Markup(' data-within="%s"') % within if within is not None else markup


REMEMBERED_TEXTS = 4096  # the site's own texts are about 1,300; more would be data passed to _()


def _formatted_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """What Jinja's newstyle gettext (jinja2.ext._make_new_gettext, which `_()` and {% trans %}
    call) gives for a text: its translation, Markup when autoescaping, formatted with its variables."""
    def formatted(string: str, autoescape: bool, variables=None):
        text = translate(string)
        return (markupsafe.Markup(text) if autoescape else text) % (variables or {})
    return formatted


def _remembered_gettext(formatted: Callable[..., str]):
    """Newstyle gettext (`formatted`, _formatted_gettext) with the result of a text without
    variables remembered: the same few hundred texts are asked for on every page (those the
    templates don't write out whole, which the environment writes in: rendering.Environment), and
    their translation, escaping and formatting were most of a page's gettext time. Installed as
    both `gettext` and `_` (Jinja's `_` looks `gettext` up on every call)."""
    without_variables = formats.remembered(formatted, REMEMBERED_TEXTS)

    @jinja2.pass_context
    def translated(context, string: str, **variables):
        if variables:
            return formatted(string, context.eval_ctx.autoescape, variables)
        return without_variables(string, context.eval_ctx.autoescape)
    return translated


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


@dataclass(frozen=True, slots=True)
class Alternate:
    """The page being rendered in one of the site's languages: for hreflang and the language switcher."""
    code: str  # the language tag (hreflang, lang)
    name: str  # the language's name in itself
    url: str  # the link from this page (the switcher, hreflang; the sitemap gives the full addresses)
    current: bool  # the page's own language


class Renderer:
    """One language's Jinja environment (templates compiled once) and what every page gets.

    `language` (languages.Language) gives the words, the formats and the folder its pages are
    written under; `languages` are all of the site's, for the links to this page in each."""

    def __init__(self, site: Site, templates: dict[str, str], language: Language | None = None,
                 languages: tuple[Language, ...] = (), bytecode_cache: jinja2.BytecodeCache | None = None,
                 code: bytes | None = None):
        self.language = language or default_language(site.settings)
        self.languages = languages or (self.language,)
        self.site = self.language.site(site)
        locale = self.language.locale
        self.env = make_environment(templates, str(locale), self.language.translations, terms=self.site.terms,
                                    bytecode_cache=bytecode_cache)
        self.env.globals["language_prefix"] = self.language.prefix
        # With the code's digest (pages are keyed), the templates read the view model through
        # `reads`, which notes what each page reads; without, they read it directly.
        self.reads = page_keys.SiteReads(self.site, self.env.page) if code is not None else self.site
        self.env.globals["site"] = self.reads  # for the macros, imported without the page's context
        self.env.globals["search_scripts"] = search_language.scripts(self.language.code)
        self.env.globals["plurals"] = functools.partial(plural_forms, self.language)
        default = site.settings.languages[0] if site.settings.languages else "en"
        self.env.filters["lang_attr"] = functools.partial(_lang_attribute, default=default, page=self.language.code)
        self.env.filters["data_lang"] = functools.partial(data_language, default=default, page=self.language.code)
        self.env.filters["localized"] = operator.methodcaller("in_language", self.language.code)
        self.env.filters["language_name"] = functools.partial(formats.language_name, locale=locale)
        compile_templates(self.env, templates)
        self.lang = self.language.code
        self.words = figures.Words(locale, self.language.gettext)
        self.env.globals["value_table"] = functools.partial(figures.value_table, self.words)
        self.navigation = functools.lru_cache(maxsize=64)(lambda path: _navigation(self.site.settings, path))
        self.module_reads = page_keys.module_reads(self.env, templates) if code is not None else frozenset()
        self.keys = page_keys.PageKeys(page_keys.base_of(
            code, templates, self.language, self.languages, self.site.settings, self.site.terms), self.site)

    def alternates(self, path: str) -> list[Alternate]:
        """This page in each of the site's languages (one entry: no switcher, no hreflang)."""
        here = self.language.path(path)
        return [Alternate(other.code, other.name, routes.relative_url(here, there), other == self.language)
                for other, there in alternates(self.languages, path)] if len(self.languages) > 1 else []

    def page(self, template: str, path: str, **context) -> Artifact:
        if "process" in context:  # its title and description in the page's language, where the data has them
            context["process"] = context["process"].in_language(self.language.code)
        try:
            html = render(self.env, template, path, site=self.reads, page_path=path, lang=self.lang,
                          alternates=self.alternates(path), navigation=self.navigation(path), **context)
        except jinja2.TemplateError as exc:
            raise TemplateProblem(f"{_template_line(exc)}: {exc} (while rendering {path})",
                                  hint="Check the names the template uses against the default theme's "
                                       "templates.") from None
        return Artifact(self.language.path(path), html.encode("utf-8"))


def render_site(site: Site, templates: dict[str, str], workers: int = 1) -> Iterator[Artifact]:
    """Every page of the site's first language, in a fixed order: for tests and tools (a build
    renders every language's pages, feeds and search through pipeline.Outputs).

    With several workers, chunks of pages are rendered in forked processes that share the view
    model copy-on-write; chunks come back in order, so the output is the same as with one worker.
    """
    r = Renderer(site, templates)
    jobs, chunks = page_work(r)
    if len(jobs) < PARALLEL_FROM:
        workers = 1
    for written in in_order(_render_chunk, chunks, (r, jobs), workers):
        yield from written


CHUNK = 250
PARALLEL_FROM = 2000


def page_work(r: Renderer) -> tuple[list[Job], list[tuple[int, int]]]:
    """The language's page jobs (all but the data page: data_job) and the bounds of the chunks
    they are rendered in. The award lists, one after another, are one chunk: a worker then makes
    each award's row once for all the lists it is in (rendering.once), where chunks shared out
    among the workers had every worker make every row."""
    jobs = list(page_jobs(r.site, r.words))
    size = max(min(CHUNK, len(jobs) // CHUNKS_AT_LEAST), 1)  # a small site in enough chunks to share out
    bounds = []
    for together, run in itertools.groupby(range(len(jobs)), key=lambda i: jobs[i].template in ROWS_SHARED):
        run = list(run)
        start, stop = run[0], run[-1] + 1  # a run of jobs is contiguous
        step = stop - start if together else size
        bounds += [(i, min(i + step, stop)) for i in range(start, stop, step)]
    return jobs, bounds


ROWS_SHARED = frozenset({"awards.html"})  # templates whose pages share most of their rows (rendering.once)


CHUNKS_AT_LEAST = 16


def _render_chunk(shared: tuple[Renderer, list[Job]], bounds: tuple[int, int]) -> list[Artifact]:
    return render_chunk(*shared, bounds)


def render_chunk(r: Renderer, jobs: list[Job], bounds: tuple[int, int],
                 kept: Mapping[str, page_index.Entry] | None = None) -> list[Artifact]:
    """The chunk's pages. With `kept` (what the previous build made each page from, by output path),
    a page of one thing (Job.kept) made from the same inputs is not made again but taken from the
    previous site (write), and each such page says what it was made from, for the next build
    (Artifact.key)."""
    return [_made(r, job, kept) for job in jobs[bounds[0]:bounds[1]]]


def _made(r: Renderer, job: Job, kept: Mapping[str, page_index.Entry] | None) -> Artifact:
    if not job.template:
        return Artifact(r.language.path(job.path), job.context["data"])
    if kept is None or not job.kept:
        return r.page(job.template, job.path, **job.context)
    path = r.language.path(job.path)
    context = r.keys.context(job.context)
    entry = kept.get(path)
    if entry is not None and r.keys.key(job.template, job.path, context, entry.reads) == entry.key:
        return Artifact(path, previous=entry.stamp, key=(entry.key, entry.reads),
                        stream=lambda: (r.page(job.template, job.path, **job.context).data,))
    made = r.page(job.template, job.path, **job.context)
    reads = tuple(sorted(r.env.page.reads | r.module_reads))
    key = r.keys.key(job.template, job.path, context, reads)
    return made if key is None else dataclasses.replace(made, key=(key, reads))


def render_pages(r: Renderer, jobs: list[Job], bounds: tuple[int, int],
                 kept: Mapping[str, page_index.Entry] | None = None) -> Iterator[Artifact]:
    """A chunk's pages (render_chunk), made CHUNK at a time, each batch handed out (to be written)
    before the next is made: a big city's award lists are one chunk of hundreds of MiB. Pages made
    back to back, not one between each two writes, take 4% less CPU (measured at 10,000 processes)."""
    for start in range(*bounds, CHUNK):
        yield from render_chunk(r, jobs, (start, min(start + CHUNK, bounds[1])), kept)
    if bounds[0] < bounds[1] and jobs[bounds[0]].template in ROWS_SHARED:
        r.env.page.rows.clear()  # no other page has these rows: the worker need not keep them


def page_paths(paths: list[str]) -> list[str]:
    return sorted(p for p in paths if p.endswith(".html") and p != routes.NOT_FOUND)


SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the protocol allows


def render_sitemap(site: Site, templates: dict[str, str], paths: list[str], renderer: Renderer | None = None,
                   languages: tuple[Language, ...] = ()) -> Iterator[Artifact]:
    """sitemap.xml lists every page (and nothing else) in every language, each with its
    alternates in the others (xhtml:link); robots.txt points to it.

    Sitemaps need absolute URLs, so without a base URL only robots.txt is written. Past 50,000
    URLs, sitemap.xml becomes an index of sitemap-1.xml, sitemap-2.xml, ..., made one at a time
    (with their addresses), as they are written: a big city's are hundreds of MiB in memory.
    """
    env = renderer.env if renderer else make_environment(templates, "en")  # no words: only addresses
    base = site.settings.base_url
    if not base:  # sitemaps need full addresses: without a base URL there are none to give
        yield Artifact(routes.ROBOTS, env.get_template("robots.txt").render(sitemap="").encode("utf-8"))
        return
    languages = languages or (default_language(site.settings),)
    lastmod = site.today.isoformat()
    entries = ((p, language) for p in paths for language in languages)
    files = max(math.ceil(len(paths) * len(languages) / SITEMAP_LIMIT), 1)
    names = [routes.SITEMAP] if files == 1 else [f"sitemap-{n}.xml" for n in range(1, files + 1)]
    for name in names:
        urls = [(base.absolute(language.path(p)), [(other.code, base.absolute(other.path(p))) for other in languages]
                 if len(languages) > 1 else []) for p, language in itertools.islice(entries, SITEMAP_LIMIT)]
        yield Artifact(name, env.get_template("sitemap.xml").render(urls=urls, lastmod=lastmod).encode("utf-8"))
    if files > 1:
        yield Artifact(routes.SITEMAP, env.get_template("sitemap-index.xml").render(
            sitemaps=[base.absolute(n) for n in names], lastmod=lastmod).encode("utf-8"))
    yield Artifact(routes.ROBOTS, env.get_template("robots.txt").render(sitemap=base.absolute(routes.SITEMAP)).encode(
        "utf-8"))


def data_job(site: Site, catalogue) -> Job:
    """The data page (data/): every bulk download with its size and checksum, how to open it, and
    the CSV tables' dictionary. Rendered once the downloads are written, as their sizes and
    checksums are only known then; `catalogue` is what the bulk stage describes them with."""
    base = site.settings.base_url
    return Job("data.html", routes.listing_path("data"),
               {"catalogue": catalogue, "absolute": lambda path: base.absolute(path) or path})


def data_page(site: Site, templates: dict[str, str], catalogue, renderer: Renderer | None = None) -> Artifact:
    """The data page alone (data_job), for tests and tools."""
    job = data_job(site, catalogue)
    return (renderer or Renderer(site, templates)).page(job.template, job.path, **job.context)


def static_artifacts(static: dict[str, bytes]) -> list[Artifact]:
    return [Artifact(routes.static_path(name), data) for name, data in sorted(static.items())]
