"""The pipeline, as straight-line code: inputs → checking → records → site → publish → write.

Only `inputs` reads and only `write` writes. The clock is read by `cli` and comes in as the
day to build for; `BuildContext` decides "today" and the worker count once. Problems come back
as values; errors stop a build before anything is written.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import functools
import gc
import itertools
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import records, workers, write
from generator.artifact import Artifact
from generator.checking import host, relations, rules, validate
from generator.checking.policy import Policy, leave_out, notes_by_process
from generator.context import BuildContext
from generator.errors import Location, SettingsError, warning
from generator.inputs import compile_cache, folder, page_index, schema_kit, spreadsheets, validation_cache
from generator.inputs.settings import Settings
from generator.publish import bulk, feeds, page_keys, pages, radar_feeds, search, streams
from generator.publish.languages import Language, languages_of
from generator.report import BuildFailed, Report
from generator.routes import SiteURL
from generator.site.assemble import Site, build_site, count_checks
from generator.site.guides import parse_guides


def settings_for(source: Path, base_url: str | None = None, today: dt.date | None = None) -> Settings:
    """Settings from site.yml with the command line's overrides, checked like the file's own."""
    try:
        url = SiteURL.parse(base_url) if base_url is not None else None
    except ValueError as exc:
        raise SettingsError(f"--base-url: {exc}.", hint="Give the full address the site is served from, "
                            "e.g. https://example.github.io/contracts/") from None
    return folder.read_settings(source).with_overrides(base_url=url, today=today)


def context_for(settings: Settings, clock_today: dt.date | None) -> BuildContext:
    return BuildContext.of(settings, clock_today, workers=os.cpu_count() or 1)


def check(source: Path, settings: Settings, progress=None, engine: str = "rs",
          today: dt.date | None = None) -> tuple[folder.Inputs, Report]:
    """Load and validate; write nothing. `engine` picks the JSON Schema validator ("rs" or the
    reference "python"); both report the same problems. Without a day (`today` or the settings'),
    no date is called future."""
    inputs, report, _ = _check(source, settings, context_for(settings, today), progress, engine)
    return inputs, report


def _check(source: Path, settings: Settings, context: BuildContext, progress=None, engine: str = "rs",
           keep_releases: bool = True, spool: write.Spool | None = None
           ) -> tuple[folder.Inputs, Report, list[records.CompiledRecord]]:
    """Read, validate and compile every process (a process that can't be compiled is a problem
    check must report too, so check and build agree); the compiled records go on to the model.
    Without `keep_releases` (a build), the releases as read are let go as they are compiled: the
    compiled records hold their own copies (the compile workers send them back), and holding
    both doubled the memory of the releases at the end of compiling. With a `spool`, the compiled
    records keep their bytes there, not in memory."""
    started = time.perf_counter()
    inputs = folder.read_inputs(source, settings, progress)
    report = Report(problems=list(inputs.problems), kit_origin=inputs.kit_origin)
    lap = report.lap("load", started, time.perf_counter())
    checker = rules.Checker(settings.ocid_prefixes, context.today, settings.timezone)
    validators = validate.make_validators(inputs.kit, engine, settings.local_codes, checker)
    report.problems.extend(_check_files_cached(inputs, validators, settings, engine, context, report))
    report.problems.extend(validate.check_duplicates(folder.iter_releases(inputs.data_files)))
    groups = records.group_by_ocid(folder.iter_releases(inputs.data_files))
    report.counts |= {"files": len(inputs.data_files), "releases": sum(len(f.releases) for f in inputs.data_files)}
    if not keep_releases:
        for data_file in inputs.data_files:  # `groups` holds them now, until each is compiled
            data_file.releases = []
    # A whole process's checks run as it is compiled, on its releases unpacked once for both.
    currencies, links = [], []
    lap = report.lap("validate", lap, time.perf_counter())
    compiled, problems = records.compile_all(
        groups, records.make_merger(inputs.kit.release_schema), progress, pack=True, workers=context.workers,
        also=((_currencies, currencies), (relations.links_of, links)),
        consumed=None if keep_releases else _every(TRIM_EVERY, _give_back_memory),
        keep=spool.keep if spool is not None else None,
        cache=records.ChunkCache(compile_cache.salt(inputs.kit.release_schema), compile_cache.read,
                                 compile_cache.store) if spool is not None else None)
    if spool is not None:
        compile_cache.prune()
    report.problems.extend(currencies + relations.problems_of(links, groups) + parse_guides(inputs.guides)[1])
    del groups
    report.problems.extend(problems)
    report.problems = spreadsheets.locate(folder.locate_lines(source, report.problems), inputs.data_files)
    report.lap("compile", lap, time.perf_counter())
    report.seconds = time.perf_counter() - started
    return inputs, report, compiled


def _currencies(_: str, releases) -> list:
    return rules.currencies(releases)


def _check_files_cached(inputs: folder.Inputs, validators, settings: Settings, engine: str, context: BuildContext,
                        report: Report):
    """Check each file, reusing the cached problems of files whose bytes and context are unchanged."""
    key = validation_cache.context_key(settings, inputs.kit, context.today, engine)
    keys = {f.path: validation_cache.file_key(f.digest, key) for f in inputs.data_files}
    cached = {f.path: validation_cache.read(keys[f.path]) for f in inputs.data_files}
    todo = [f for f in inputs.data_files if cached[f.path] is None]
    fresh = validate.check_files(todo, validators, settings, inputs.kit, workers=context.workers)
    by_file: dict[str, list] = {f.path: [] for f in todo}
    for problem in fresh:
        by_file.setdefault(problem.location.file, []).append(problem)
    for data_file in todo:
        validation_cache.store(keys[data_file.path], by_file[data_file.path])
    report.counts["files from cache"] = len(inputs.data_files) - len(todo)
    return [p for f in inputs.data_files for p in (cached[f.path] if cached[f.path] is not None else by_file[f.path])]


def model(inputs: folder.Inputs, compiled: list[records.CompiledRecord], settings: Settings, context: BuildContext,
          report: Report, left_out: tuple[str, ...], kept_views: bool | None = None) -> Site:
    """The view model of the compiled processes, from which `_leave_out` took the `left_out` ones;
    the data-quality notes of the rest come from the report's problems. `kept_views` (a build's):
    the processes' views are kept between builds (inputs.compile_cache), True when this build
    keeps its pages' digests (site.assemble.process_views)."""
    started = time.perf_counter()
    guides, _ = parse_guides(inputs.guides)  # their problems were reported by check()
    views = None if kept_views is None else records.ChunkCache(
        compile_cache.view_salt(context.today.isoformat(), settings.timezone, settings.certification_schemes,
                                settings.languages),
        functools.partial(compile_cache.read, kind=compile_cache.VIEWS),
        functools.partial(compile_cache.store_pickled, kind=compile_cache.VIEWS))
    site = build_site(compiled, settings, context.today, guides, count_checks(report.problems), left_out,
                      notes_by_process(report.problems), inputs.kit.titles.get("itemClassificationScheme", {}),
                      views, bool(kept_views))
    report.lap("model", started, time.perf_counter())
    return site


def _leave_out(compiled: list[records.CompiledRecord], report: Report) -> tuple[str, ...]:
    """Take the processes the report's problems leave out (checking.policy) out of `compiled`, in
    place: they get neither pages nor bulk data. Returns their ocids."""
    left_out = leave_out(report.problems)
    if left_out:
        gone = set(left_out)
        compiled[:] = [r for r in compiled if r.ocid not in gone]
    return left_out


def site_of(source: Path, settings: Settings, today: dt.date | None = None) -> Site:
    """The view model of a portal's folder, as a build makes it (for tests and tools)."""
    context = context_for(settings, today)
    inputs, report, compiled = _check(source, settings, context)
    return model(inputs, compiled, settings, context, report, _leave_out(compiled, report))


def build(source: Path, output: Path, settings: Settings, default_today: dt.date, progress=None,
          policy: Policy | None = None) -> Report:
    """Build the site. The garbage collector is paused while millions of long-lived objects are
    made (its passes over them cost more than the work itself), then they are frozen out of its
    sight, which also spares forked render workers from copying them. The compiled records keep
    their bytes in a spool (write.Spool), not in memory beside the view model."""
    gc.disable()
    try:
        with write.Spool() as spool:
            return _build(source, output, settings, context_for(settings, default_today), progress,
                          policy or Policy(), spool)
    finally:
        gc.unfreeze()
        gc.enable()


def _build(source: Path, output: Path, settings: Settings, context: BuildContext, progress, policy: Policy,
           spool: write.Spool) -> Report:
    started = time.perf_counter()
    schema = schema_kit.explicit_dir(settings.schema_dir, source)
    write.check_output_folder(source, output, [schema] if schema else [])
    inputs, report, compiled = _check(source, settings, context, progress, keep_releases=False, spool=spool)
    if why := policy.stops(report.problems):
        raise BuildFailed(report, why)
    left_out = _leave_out(compiled, report)
    _give_back_memory()  # the releases as read, let go as they were compiled
    # The bulk downloads need only the compiled records: a worker writes them ahead, beside the
    # view model being made here, into a folder the site then adopts, reusing the segments of the
    # previous site's files (compressed bytes, a table's rows) where they are made the same.
    segments = page_index.kept_segments(output, streams.COMPRESSOR)
    with write.side_folder(output) as ahead, workers.in_background(
            _write_bulk, (compiled, settings, context.today, ahead, output, segments), context.workers) as bulk_written:
        site = model(inputs, compiled, settings, context, report, left_out, page_index.has_site(output))
        report.left_out = site.left_out
        if not settings.base_url:
            report.problems.append(warning(
                "no-base-url", "No base_url is set, so sitemap.xml (which needs full addresses) was not written, "
                "calendar events carry no link to their opportunity's page and the data packages' uri is a "
                "placeholder (urn:ocds-portal:...)" + (
                    "; and no list offers email alerts (the alerts setting), as the service needs each feed's "
                    "full address." if settings.alerts else "."),
                Location("content/site.yml"), "Set base_url in content/site.yml or pass --base-url."))
        if why := policy.stops(report.problems):  # --strict: the warning above counts too
            raise BuildFailed(report, why)
        lap = time.perf_counter()
        # Pages need only the view model; the bulk worker has its own copy of the compiled records
        # (what the spool does not hold of them), so this process lets them go before forking the
        # render workers, which then inherit only what is live.
        compiled.clear()
        _give_back_memory()
        gc.freeze()
        gc.enable()  # rendering makes short-lived cycles (Jinja contexts) that need collecting
        def fits_host(written: write.Written) -> None:  # before the site is swapped in: --strict keeps the old one
            report.problems.extend(host.fits(settings.host, written))
            if why := policy.stops(report.problems):
                raise BuildFailed(report, why)
        made_from: dict[str, page_index.Entry] = {}
        made_segments: dict[str, tuple] = {}
        try:
            written = write.write_site(_artifacts(site, bulk_written, inputs, context, report, progress, ahead,
                                                  output, page_index.read(output), made_from, made_segments),
                                       output, fits_host, adopt=ahead)
        finally:
            page_keys.forget()
        write.keep_page_index(output, made_from, (streams.COMPRESSOR, made_segments) if segments is not None else None)
    report.lap("render and write", lap, time.perf_counter())
    report.counts.update(processes=len(site.processes), pages=sum(report.pages_by_language.values()),
                         **written.counts)
    report.counts["processes with notes"] = len(site.published_with_notes)
    report.seconds = time.perf_counter() - started
    return report


TRIM_EVERY = 10  # compiled chunks; malloc_trim walks the whole heap, so not after every one


def _every(n: int, function: Callable[[], None]) -> Callable[[], None]:
    """`function`, called on every n-th call only."""
    calls = itertools.count(1)
    return lambda: None if next(calls) % n else function()


def _give_back_memory() -> None:
    """Return the memory freed so far to the system. glibc keeps freed memory for reuse, and
    what is freed between objects that stay (the releases' bytes among the records and the view
    model) is never returned on its own, so forked workers would inherit it too. A no-op where
    the C library has no malloc_trim (musl, macOS)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _write_bulk(shared) -> tuple[list, object, float, dict, int]:
    """The bulk downloads written into the folder `ahead` (write.write_files); returns them as
    written artifacts, their catalogue (sizes and checksums, for the data page), the seconds, each
    gzipped file's and CSV table's stamp and segments (for the next build; none without `kept`, the
    previous site's segments) and how many segments were taken from the previous site."""
    compiled, settings, today, ahead, output, kept = shared
    started = time.perf_counter()
    data = bulk.BulkData(compiled, settings, today, kept, page_index.code_salt() if kept is not None else b"")
    try:
        files = write.write_files(ahead, output, data.artifacts())
    finally:
        if kept is not None:
            kept.close()
    segments = {a.path: (a.written[2], data.segments[a.path]) for a in files if a.path in data.segments}
    return (files, data.catalogue(), round(time.perf_counter() - started, 3), segments,
            kept.reused if kept is not None else 0)


def _artifacts(site: Site, bulk_written, inputs: folder.Inputs, context: BuildContext, report: Report,
               progress, ahead: write.Stage, output: Path, kept: Mapping[str, page_index.Entry] | None,
               made_from: dict[str, page_index.Entry], made_segments: dict[str, tuple]):
    """Every language's pages, feeds, calendars and search, made by the workers, which write them
    into `ahead` (the staging folder) as they go, so page bytes never travel back to this process;
    meanwhile the bulk worker may still be writing the downloads. Then the downloads (`bulk_written`
    waits for them) and each language's data page, which shows their sizes and checksums. The
    sitemap is a task of the pool: every page's path is known from the jobs before any is made.
    `kept`: what the previous build made each page from (inputs.page_index; None: no previous site,
    no page keyed); a page made from the same inputs is hard-linked from the previous site.
    `made_from` gets what each page now is, `made_segments` the gzipped files' segments."""
    languages = languages_of(site.settings, inputs.translations)
    made = Outputs(site, inputs.templates, languages, inputs.template_cache, inputs.static, kept,
                   page_index.code_salt() if kept is not None else None)
    tasks = made.tasks()
    processes = context.workers if made.page_count >= RENDER_IN_WORKERS_FROM else 1
    if kept is not None:  # pages are keyed: their processes' digests, made once for every worker
        page_keys.prime(site.processes, processes)
    for language in languages:
        report.pages_by_language[language.code] = 0
    report.counts["pages reused"] = report.counts["search shards reused"] = 0
    for task, (written, shards, seconds) in zip(tasks, workers.in_order(_make_and_write, tasks, (made, ahead, output),
                                                                processes), strict=True):
        language = languages[task.language]
        if task.kind == SEARCH:
            if not language.prefix:
                report.shards = shards
            report.timings[f"search index{' (' + language.code + ')' if language.prefix else ''} "
                           "(in render and write)"] = seconds
        before = report.pages_by_language[language.code]
        done = report.pages_by_language[language.code] = before + sum(1 for a in written if a.path.endswith(".html"))
        if task.kind == PAGES:
            if progress and (done // 1000 > before // 1000 or task.bounds[1] == len(made.work[task.language][0])):
                progress("pages written" + (f" ({language.code})" if language.prefix else ""), done,
                         made.html_pages[task.language])
        gzipped = {language.path(shard.path): shard.gzipped for shard in shards}  # a search task's
        for artifact in written:
            if artifact.key is not None:
                made_from[artifact.path] = entry = page_index.Entry(*artifact.key, artifact.written[2],
                                                                    gzipped.get(artifact.path, 0))
                if kept and kept.get(artifact.path) == entry:  # the same inputs, the same file: not made again
                    report.counts["search shards reused" if task.kind == SEARCH else "pages reused"] += 1
        yield from written
    bulk_files, catalogue, seconds, segments, reused = bulk_written()
    made_segments.update(segments)
    report.counts["segments reused"] = reused
    report.downloads = catalogue.downloads
    report.timings["bulk data (beside model)"] = seconds
    yield from bulk_files
    for n, language in enumerate(languages):
        job = pages.data_job(made.renderers[n].site, catalogue)
        report.pages_by_language[language.code] += 1
        yield made.renderers[n].page(job.template, job.path, **job.context)
    yield from pages.static_artifacts(inputs.static)


RENDER_IN_WORKERS_FROM = 200  # page jobs in all; below this, starting workers costs more than it saves


def _make_and_write(shared, task: Task) -> tuple[list, list, float]:
    """One task's artifacts, written into the staging folder by the worker that made them; returns
    them as written (path and size), with a search task's shards and seconds."""
    made, ahead, output = shared
    result = made.make(task)
    return write.write_files(ahead, output, result.artifacts), result.shards, result.seconds


# --- what the view model publishes: one list of tasks for one pool of workers ---------------------
# Each language's pages (in chunks), its calendars and feeds, and its search index, made by the
# workers, which write what they make into the staging folder themselves, so page bytes never
# travel back to this process. One list for all of it keeps both cores busy to the end: a
# language's pages, then its feeds on one core, then its search index, language after language,
# left one core idle for a third of the time.

PAGES, FEEDS, SEARCH, SITEMAP = "pages", "feeds", "search", "sitemap"


@dataclass(frozen=True, slots=True)
class Task:
    kind: str  # PAGES, FEEDS, SEARCH or SITEMAP
    language: int  # its index in Outputs.languages
    bounds: tuple[int, int] = (0, 0)  # of a chunk of the language's page jobs


@dataclass(frozen=True, slots=True)
class Made:
    """What a task made: its artifacts (a page chunk's made a batch at a time, as they are
    written), and for the search index its shards and seconds."""
    artifacts: Iterable[Artifact]
    shards: list = dataclasses.field(default_factory=list)
    seconds: float = 0.0


class Outputs:
    """The site's renderers (one Jinja environment a language) and page jobs, made once, before
    the workers are forked, so every worker shares them. `kept`: what the previous build made each
    page from (inputs.page_index); `code`: the code's digest (pages are keyed only with it)."""

    def __init__(self, site: Site, templates: dict[str, str], languages: tuple[Language, ...],
                 template_cache=None, libraries: dict[str, bytes] | None = None,
                 kept: Mapping[str, page_index.Entry] | None = None, code: bytes | None = None):
        self.site, self.templates, self.languages = site, templates, languages
        self.kept = kept
        self.renderers = [pages.Renderer(site, templates, language, languages, template_cache, code)
                          for language in languages]
        self.work = [pages.page_work(r) for r in self.renderers]
        self.html_pages = [sum(1 for job in jobs if job.path.endswith(".html")) for jobs, _ in self.work]
        self.libraries = libraries or {}

    @property
    def page_count(self) -> int:
        return sum(len(jobs) for jobs, _ in self.work)

    def tasks(self) -> list[Task]:
        """Longest first, so no worker is left with a long task at the end while the others wait:
        each language's search index, the sitemap (every page in every language: seconds for a big
        city, which the build's last step spent alone on one core), each language's feeds and
        calendars, then the pages, each language's in chunks of a fraction of a second."""
        every = range(len(self.languages))
        return [*(Task(SEARCH, n) for n in every), Task(SITEMAP, 0), *(Task(FEEDS, n) for n in every),
                *(Task(PAGES, n, bounds) for n in every for bounds in self.work[n][1])]

    def make(self, task: Task) -> Made:
        renderer, language = self.renderers[task.language], self.languages[task.language]
        if task.kind == PAGES:
            return Made(pages.render_pages(renderer, self.work[task.language][0], task.bounds, self.kept))
        if task.kind == SITEMAP:  # every page of the first language (and its data page), in every language
            jobs = self.work[0][0]
            paths = pages.page_paths([job.path for job in jobs] + [pages.data_job(self.site, None).path])
            return Made(pages.render_sitemap(self.site, self.templates, paths, languages=self.languages))
        local = renderer.site  # links into the language's folder
        if task.kind == FEEDS:
            made = itertools.chain(feeds.feed_artifacts(local, language), radar_feeds.radar_artifacts(local, language))
            return Made([dataclasses.replace(a, path=language.path(a.path)) for a in made])
        started = time.perf_counter()
        shards, counts = search.build_shards(local, language=language, libraries=self.libraries,
                                             base=renderer.keys.base, kept=self.kept)
        return Made([dataclasses.replace(a, path=language.path(a.path)) for a in shards], counts,
                    round(time.perf_counter() - started, 3))
