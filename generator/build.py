"""The pipeline, as straight-line code: load → validate → compile → model → render → write.

Only `load` reads and only `write` writes; the clock is read by the caller and passed in as
`default_today`. Problems come back as values; errors stop the build before anything is written.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import bulk, checks, feeds, load, records, render, schema_kit, search, validate, validation_cache, write
from generator.config import Settings
from generator.errors import Location, PortalError, Problem, SettingsError, warning
from generator.guides import parse_guides
from generator.model import Site, build_site, count_checks


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    kit_origin: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    left_out: tuple[str, ...] = ()  # processes not published (build --keep-going)
    shards: list = field(default_factory=list)  # search.Shard: the search index files and their sizes
    downloads: tuple = ()  # bulk.Download: the bulk data files, their sizes and counts

    def lap(self, stage: str, started: float) -> float:
        """Record the seconds since `started` against `stage`; return now."""
        now = time.perf_counter()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - started, 3)
        return now

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass(frozen=True)
class Policy:
    """What stops a build: errors always, unless keep_going; warnings too when strict."""

    strict: bool = False
    keep_going: bool = False


class BuildFailed(PortalError):
    """The data has errors; nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s) in the data; the site was not changed.",
                         hint="Fix the errors listed above, then build again.")
        self.report = report


def settings_for(source: Path, base_url: str | None = None, today: dt.date | None = None) -> Settings:
    """Settings from site.yml with the command line's overrides, checked like the file's own."""
    if base_url is not None and not re.match(r"^https?://[^\s/]+", base_url):
        raise SettingsError(f"--base-url {base_url!r} is not a web address.",
                            hint="Give the full address the site is served from, e.g. https://example.github.io/contracts/")
    return load.read_settings(source).with_overrides(base_url=base_url, today=today)


def check(source: Path, settings: Settings, progress=None, engine: str = "rs",
          today: dt.date | None = None) -> tuple[load.Inputs, Report]:
    """Load and validate; write nothing. `engine` picks the JSON Schema validator ("rs" or the
    reference "python"); both report the same problems."""
    started = time.perf_counter()
    inputs = load.read_inputs(source, settings, progress)
    report = Report(problems=list(inputs.problems), kit_origin=inputs.kit_origin)
    lap = report.lap("load", started)
    today = settings.today or today
    checker = checks.Checker(settings.ocid_prefix, today or dt.date.max - dt.timedelta(days=1), settings.timezone)
    validators = validate.make_validators(inputs.kit, engine, settings.local_codes, checker)
    report.problems.extend(_check_files_cached(inputs, validators, settings, engine, today, report))
    report.problems.extend(validate.check_duplicates(load.iter_releases(inputs.data_files)))
    for releases in records.group_by_ocid(load.iter_releases(inputs.data_files)).values():
        report.problems.extend(checks.currencies(releases))
    report.problems.extend(parse_guides(inputs.guides)[1])
    report.problems = load.locate_lines(source, report.problems)
    report.counts |= {"files": len(inputs.data_files),
                     "releases": sum(len(f.releases) for f in inputs.data_files)}
    report.lap("validate", lap)
    report.seconds = time.perf_counter() - started
    return inputs, report


def leave_out(inputs: load.Inputs, errors: list[Problem]) -> tuple[str, ...]:
    """For --keep-going: drop every process an error names, and every release of a file whose
    error names no process. Returns the ocids left out."""
    bad_ocids = {p.location.ocid for p in errors if p.location.ocid}
    bad_files = {p.location.file for p in errors if not p.location.ocid and p.location.file}
    left_out = set(bad_ocids)
    for data_file in inputs.data_files:
        kept = []
        for release in data_file.releases:
            ocid = release.data.get("ocid") if isinstance(release.data, dict) else None
            if data_file.path in bad_files or ocid in bad_ocids or not isinstance(ocid, str):
                if isinstance(ocid, str):
                    left_out.add(ocid)
                continue
            kept.append(release)
        data_file.releases = kept
    return tuple(sorted(left_out))


def _check_files_cached(inputs: load.Inputs, validators, settings: Settings, engine: str, today, report: Report):
    """Check each file, reusing the cached problems of files whose bytes and context are unchanged."""
    context = validation_cache.context_key(settings, inputs.kit, today, engine)
    keys = {f.path: validation_cache.file_key(f.digest, context) for f in inputs.data_files}
    cached = {f.path: validation_cache.read(keys[f.path]) for f in inputs.data_files}
    todo = [f for f in inputs.data_files if cached[f.path] is None]
    fresh = validate.check_files(todo, validators, settings, inputs.kit, workers=os.cpu_count() or 1)
    by_file: dict[str, list[Problem]] = {f.path: [] for f in todo}
    for problem in fresh:
        by_file.setdefault(problem.location.file, []).append(problem)
    for data_file in todo:
        validation_cache.store(keys[data_file.path], by_file[data_file.path])
    report.counts["files from cache"] = len(inputs.data_files) - len(todo)
    return [p for f in inputs.data_files for p in (cached[f.path] if cached[f.path] is not None else by_file[f.path])]


def model(inputs: load.Inputs, settings: Settings, today: dt.date, report: Report, progress=None,
          left_out: tuple[str, ...] = ()) -> tuple[Site, list[records.CompiledRecord]]:
    """The view model, and the compiled records it was made from (for the bulk downloads)."""
    started = time.perf_counter()
    merger = records.make_merger(inputs.kit.release_schema)
    groups = records.group_by_ocid(load.iter_releases(inputs.data_files))
    compiled, problems = records.compile_all(groups, merger, progress)
    report.problems.extend(problems)
    lap = report.lap("compile", started)
    guides, _ = parse_guides(inputs.guides)  # their problems were reported by check()
    site = build_site(compiled, settings, today, guides, count_checks(report.problems), left_out)
    report.lap("model", lap)
    return site, compiled


def build(source: Path, output: Path, settings: Settings, default_today: dt.date, progress=None,
          policy: Policy = Policy()) -> Report:
    """Build the site. The garbage collector is paused while millions of long-lived objects are
    made (its passes over them cost more than the work itself), then they are frozen out of its
    sight, which also spares forked render workers from copying them."""
    gc.disable()
    try:
        return _build(source, output, settings, default_today, progress, policy)
    finally:
        gc.unfreeze()
        gc.enable()


def _build(source: Path, output: Path, settings: Settings, default_today: dt.date, progress, policy: Policy) -> Report:
    started = time.perf_counter()
    schema = schema_kit.explicit_dir(settings.schema_dir, source)
    write.check_output_folder(source, output, [schema] if schema else [])
    today = settings.today or default_today
    inputs, report = check(source, settings, progress, today=today)
    if policy.strict and report.warnings and not policy.keep_going:
        raise BuildFailed(report)
    left_out: tuple[str, ...] = ()
    if report.errors:
        if not policy.keep_going:
            raise BuildFailed(report)
        left_out = leave_out(inputs, report.errors)
        report.left_out = left_out
    site, compiled = model(inputs, settings, today, report, progress, left_out)
    if not settings.base_url:
        report.problems.append(warning(
            "no-base-url", "No base_url is set, so sitemap.xml (which needs full addresses) was not written, "
            "calendar events carry no link to their opportunity's page and the data packages' uri is a "
            "placeholder (urn:ocds-portal:...).",
            Location("content/site.yml"), "Set base_url in content/site.yml or pass --base-url."))
    if report.errors and not policy.keep_going:
        raise BuildFailed(report)
    gc.freeze()
    gc.enable()  # rendering makes short-lived cycles (Jinja contexts) that need collecting
    lap = time.perf_counter()
    paths: list[str] = []

    def artifacts():
        """Pages stream from render to write, so page bytes are never all in memory at once.

        The bulk downloads come first, while the compiled records are alive anyway; then the
        records are let go (pages need only the view model), before rendering forks its workers.
        The data page comes after the pages: it shows the downloads' sizes and checksums, known
        once they are written."""
        started = time.perf_counter()
        data = bulk.BulkData(compiled, settings, today)
        yield from data.artifacts()
        catalogue = data.catalogue()
        report.downloads = catalogue.downloads
        compiled.clear()
        report.timings["bulk data (in render and write)"] = round(time.perf_counter() - started, 3)
        for artifact in render.render_site(site, inputs.templates, progress, workers=os.cpu_count() or 1):
            paths.append(artifact.path)
            yield artifact
        page = render.data_page(site, inputs.templates, catalogue)
        paths.append(page.path)
        yield page
        yield from render.render_sitemap(site, inputs.templates, render.page_paths(paths))
        yield from feeds.feed_artifacts(site)
        started = time.perf_counter()
        shards, report.shards = search.build_shards(site, workers=os.cpu_count() or 1)
        report.timings["search index (in render and write)"] = round(time.perf_counter() - started, 3)
        yield from shards
        yield from render.static_artifacts(inputs.static)

    stats = write.write_site(artifacts(), output)
    report.lap("render and write", lap)
    report.counts.update(processes=len(site.processes), pages=sum(p.endswith(".html") for p in paths), **stats)
    report.seconds = time.perf_counter() - started
    return report
