"""Pages made again only when what they are made from changes (publish.page_keys, inputs.page_index):
a build over the previous one's output gives the same bytes as a build from nothing, whatever
changed, and rewrites only the files whose bytes change."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.inputs import page_index
from generator.publish import page_keys, pages, streams

from conftest import REPO, copy_source

TODAY = dt.date(2026, 11, 16)
EDITED = Path("ocds_data") / "fire" / "2026.json"


def _build(source: Path, output: Path, today: dt.date = TODAY):
    settings = pipeline.settings_for(source, today=today)
    return pipeline.build(source, output, settings, today)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*.html")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo's data and settings, built twice: the previous build each test starts from. The
    first, into a new folder, keys no page (there is no previous site to take them from)."""
    root = tmp_path_factory.mktemp("cache")
    source = copy_source(root)
    first = _build(source, root / "site")
    assert first.counts["pages reused"] == 0 and page_index.read(root / "site") == {}
    report = _build(source, root / "site")
    assert report.counts["pages reused"] == 0 and page_index.read(root / "site")
    return source, root / "site", report


def _after(built, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the built source and of its site (hard links: the same files, as a build leaves
    them), with the site's page index, for a test to change and build again."""
    source, site, _ = built
    shutil.copytree(source, tmp_path / "src")
    shutil.copytree(site, tmp_path / "site", copy_function=os.link)
    location = page_index.location(tmp_path / "site")
    location.write_bytes(page_index.encode(page_index.read(site)))
    shutil.copyfile(page_index.segments_location(site), page_index.segments_location(tmp_path / "site"))
    return tmp_path / "src", tmp_path / "site"


def test_a_build_over_an_unchanged_site_makes_no_page_again(built, tmp_path):
    source, site = _after(built, tmp_path)
    before, inodes = _files(site), _inodes(site)
    kept = page_index.read(site)
    report = _build(source, site)
    assert len(kept) > report.counts["processes"]  # every process's page, in each language, and the guides
    shards = [path for path in kept if path.removeprefix("es/").startswith("search/")]
    assert len(shards) >= 4 and report.counts["search shards reused"] == len(shards)
    assert report.counts["pages reused"] == len(kept) - len(shards)
    assert _files(site) == before
    unchanged = [path for path, inode in _inodes(site).items() if inode == inodes[path]]
    assert len(unchanged) == len(inodes)  # not one page written: every one linked from the previous site


def _retitle(source: Path) -> str:
    path = source / EDITED
    data = json.loads(path.read_text(encoding="utf-8"))
    release = data["releases"][-1]
    release["tender"]["title"] = "Hose and nozzle replacement (renamed)"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return release["ocid"]


def _retheme(source: Path) -> None:
    folder = source / "site_templates"
    folder.mkdir(exist_ok=True)
    text = (REPO / "site_templates" / "_macros.html").read_text(encoding="utf-8")
    (folder / "_macros.html").write_text(text.replace("{% macro ", "{# edited #}{% macro ", 1), encoding="utf-8")
    base = (REPO / "site_templates" / "base.html").read_text(encoding="utf-8")
    assert "</footer>" in base
    (folder / "base.html").write_text(base.replace("</footer>", "<p>Edited theme.</p></footer>"), encoding="utf-8")


def _rename_city(source: Path) -> None:
    settings = source / "content" / "site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("City of Alderport", "City of New Alderport", 1), encoding="utf-8")


def _drop_file(source: Path) -> None:
    (source / EDITED).unlink()


EDITS = {"a release's title": (_retitle, TODAY), "the day": (lambda _: None, TODAY + dt.timedelta(days=40)),
         "a template": (_retheme, TODAY), "a setting": (_rename_city, TODAY), "a file gone": (_drop_file, TODAY)}


@pytest.mark.parametrize("edit", EDITS)
def test_a_build_over_the_previous_site_equals_a_build_from_nothing(built, tmp_path, edit):
    change, today = EDITS[edit]
    source, site = _after(built, tmp_path)
    change(source)
    warm = _build(source, site, today)
    cold = _build(source, tmp_path / "fresh", today)  # a new folder: every page made, none keyed
    assert cold.counts["pages reused"] == 0 and page_index.read(tmp_path / "fresh") == {}
    assert _files(site) == _files(tmp_path / "fresh")
    if edit == "a release's title":  # most pages are as they were; the process's and its lists' are new
        assert 0 < warm.counts["pages reused"] < len(page_index.read(built[1]))
        shards = [path for path in page_index.read(built[1]) if path.removeprefix("es/").startswith("search/")]
        assert 0 < warm.counts["search shards reused"] < len(shards)  # not the process's year's
    if edit in ("a release's title", "the day", "a template"):  # most segments of the gzipped files are too
        assert warm.counts["segments reused"] > 0 and cold.counts["segments reused"] == 0
    if edit in ("the day", "a template", "a setting"):  # every page shows them
        assert warm.counts["pages reused"] <= (0 if edit != "a setting" else warm.pages_by_language["es"])


def test_one_changed_release_rewrites_only_the_pages_that_change(built, tmp_path):
    source, site = _after(built, tmp_path)
    ocid = _retitle(source)
    before, inodes = _files(site), _inodes(site)
    _build(source, site)
    after = _inodes(site)
    rewritten = {path for path, inode in after.items() if inodes.get(path) != inode}
    changed = {path for path, data in _files(site).items() if path.endswith(".html") and before.get(path) != data}
    assert rewritten == changed
    page = next(path for path in changed if path.startswith("processes/") and ocid.lower() in path.lower())
    assert "renamed" in (site / page).read_text(encoding="utf-8")


def test_a_retitled_award_makes_again_only_the_list_pages_that_show_it(built, tmp_path):
    """An award is a row of ten lists in each language and of its suppliers' pages; only the pages
    it is on are made again, the others (its facets' other pages, the lists it is not in) are
    taken from the previous site."""
    source, site = _after(built, tmp_path)
    kept, before = page_index.read(site), _files(site)
    path = source / "ocds_data" / "finance" / "2025.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    release = data["releases"][-1]  # the process's latest: its award is in the lists
    assert release["awards"][0]["status"] == "active"
    release["awards"][0]["title"] = release["tender"]["title"] = "External audit services (renamed)"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    _build(source, site)
    now, after = page_index.read(site), _files(site)
    lists = [path for path in now if path.removeprefix("es/").startswith(("awards/", "suppliers/"))
             and not path.removeprefix("es/").startswith(("suppliers/index", "suppliers/page/"))]  # a list of them
    assert lists and all(path in kept for path in lists)  # every list page is keyed
    made_again = {path for path in lists if now[path].key != kept[path].key}
    shows = {path for path in lists if b"ocds-aldrpt-2025-fin-0003" in after[path]}
    changed = {path for path in lists if before[path] != after[path]}
    assert {path.removeprefix("es/").split("/")[0] for path in shows} == {"awards", "suppliers"}
    assert made_again == shows == changed and len(shows) < len(lists) / 10


def test_a_page_changed_by_hand_is_made_again(built, tmp_path):
    source, site = _after(built, tmp_path)
    kept = page_index.read(site)
    page = site / next(path for path in sorted(kept) if path.startswith("processes/"))
    original = page.read_bytes()
    page.unlink()
    page.write_bytes(original.replace(b"</main>", b"<p>Edited by hand.</p></main>"))
    report = _build(source, site)
    assert page.read_bytes() == original
    assert report.counts["pages reused"] + report.counts["search shards reused"] == len(kept) - 1


def _segments(site: Path) -> dict:
    return {path: segments for path, (_, segments) in page_index.kept_segments(site, streams.COMPRESSOR).files.items()}


def test_the_bulk_files_segments_are_taken_from_the_previous_site_while_it_is_unchanged(built, tmp_path):
    source, site = _after(built, tmp_path)
    segments = _segments(site)
    assert "data/ocds-release-package.json.gz" in segments and "data/csv/awards.csv" in segments
    assert len(segments) == sum(1 for p in site.rglob("*.gz")) + sum(
        1 for p in (site / "data" / "csv").glob("*.csv") if p.name != "data-dictionary.csv")
    before = _files(site)
    report = _build(source, site)
    assert report.counts["segments reused"] == sum(map(len, segments.values()))  # all but none compressed again
    assert _files(site) == before
    # A file changed by hand is compressed anew (its stamp is not the one kept), not read from.
    package = site / "data" / "ocds-release-package.json.gz"
    original = package.read_bytes()
    package.unlink()
    package.write_bytes(original[:-8] + b"\0" * 8)
    report = _build(source, site)
    assert report.counts["segments reused"] == sum(map(len, segments.values())) - len(
        segments["data/ocds-release-package.json.gz"])
    assert _files(site) == before


def test_a_damaged_segment_index_costs_only_time(built, tmp_path):
    source, site = _after(built, tmp_path)
    before = _files(site)
    page_index.segments_location(site).write_bytes(page_index.SEGMENTS_FORMAT + b"\x00not marshal")
    report = _build(source, site)
    assert report.counts["segments reused"] == 0 and _files(site) == before
    assert _segments(site)  # and the build keeps a good one


def test_a_damaged_index_costs_only_time(built, tmp_path):
    source, site = _after(built, tmp_path)
    before = _files(site)
    page_index.location(site).write_bytes(page_index.FORMAT + b"\x00not marshal")
    assert page_index.read(site) == {}
    report = _build(source, site)
    assert report.counts["pages reused"] == 0
    assert _files(site) == before
    assert page_index.read(site)  # and the build keeps a good one


def test_the_view_model_read_through_a_method_or_property_is_noted(demo_view):
    from generator.publish import rendering

    here = rendering.Here()
    reads = page_keys.SiteReads(demo_view, here)
    process = demo_view.processes[0]
    reads.agreement(process)
    assert here.reads == {"agreements"}
    here.reads = set()
    assert reads.noted_listed == demo_view.noted_listed
    assert here.reads == {"published_with_notes"}
    here.reads = set()
    assert reads.today == demo_view.today and here.reads == {"today"}
    with pytest.raises(AttributeError):
        reads.today = TODAY


def test_a_row_made_once_notes_what_it_read_on_every_page_it_is_on(demo_view):
    """Rows made once (rendering.once) and taken by later pages: those pages read what the row
    read too, or a change to it would leave them stale."""
    templates = {"row.html": "{% macro row(item) %}{{ item }} {{ site.today }}{% endmacro %}",
                 "page.html": '{% from "row.html" import row %}{{ once(row, item) }}'}
    renderer = pages.Renderer(demo_view, templates, code=b"code")
    item = object()
    renderer.page("page.html", "a.html", item=item)
    assert "today" in renderer.env.page.reads
    renderer.page("page.html", "b.html", item=item)  # the row, taken as made
    assert "today" in renderer.env.page.reads


def test_what_a_macro_library_reads_outside_its_macros_is_read_by_every_page(demo_view):
    templates = {"lib.html": "{% set city = site.settings.city_name %}{% macro m() %}{{ city }}{% endmacro %}",
                 "page.html": '{% from "lib.html" import m %}{{ m() }}'}
    renderer = pages.Renderer(demo_view, templates, code=b"code")
    assert renderer.module_reads == {"settings"}


def test_digests_tell_values_apart():
    digest = page_keys.digest_of
    assert digest((1, "a")) == digest((1, "a"))
    assert digest((1, "a")) != digest([1, "a"]) != digest((1, "b"))
    assert digest(dt.date(2026, 1, 2)) != digest(dt.date(2026, 2, 1))
    with pytest.raises(page_keys.Undigestible):
        digest(lambda: None)
    keys = page_keys.PageKeys(b"base", None)
    assert keys.context({"items": ("a", "b")}) != keys.context({"items": ("ab",)})
    assert keys.context({"items": ("a",)}) != keys.context({"items": "a"})
    assert keys.context({"f": lambda: None}) is None  # never kept: made on every build
    assert page_keys.PageKeys(None, None).context({}) is None


def test_a_library_imported_by_a_name_not_written_out_is_still_noted(demo_view):
    templates = {"lib.html": "{% set city = site.today %}{% macro m() %}{{ city }}{% endmacro %}",
                 "page.html": "{%- from which import m -%}{{ m() }}"}
    assert pages.Renderer(demo_view, templates, code=b"code").module_reads == {"today"}


def test_indexes_of_folders_not_built_for_a_month_are_removed(tmp_path):
    from generator import write

    kept, old, recent = tmp_path / "kept", tmp_path / "old", tmp_path / "recent"
    for folder in (old, recent):
        write.keep_page_index(folder, {})
    stale = os.path.getmtime(page_index.location(old)) - (write.INDEX_KEPT_DAYS + 1) * 24 * 3600
    os.utime(page_index.location(old), (stale, stale))
    write.keep_page_index(kept, {})
    assert not page_index.location(old).exists()
    assert page_index.location(recent).exists() and page_index.location(kept).exists()


def test_pages_made_by_other_versions_of_the_rendering_libraries_are_made_again(monkeypatch):
    import importlib.metadata

    page_index.code_salt.cache_clear()
    ours = page_index.code_salt()
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0" if name == "babel" else real(name))
    page_index.code_salt.cache_clear()
    try:
        assert page_index.code_salt() != ours  # new CLDR data may write a date or an amount otherwise
    finally:
        monkeypatch.undo()
        page_index.code_salt.cache_clear()
    assert page_index.code_salt() == ours


def test_processes_digested_before_the_workers_fork_give_the_same_keys_without_digesting_again(demo_view, monkeypatch):
    from babel import Locale

    from generator.publish import figures, jobs

    keys = page_keys.PageKeys(b"base", demo_view)
    words = figures.Words(Locale.parse("en"), lambda text: text)
    listed = [job for job in jobs.page_jobs(demo_view, words) if job.kept and job.template != "guide.html"]
    assert {job.template for job in listed} == {"process.html", "awards.html", "organization.html", "past.html",
                                                "processes.html", "organizations.html", "opportunities.html",
                                                "coming-up.html"}
    try:
        page_keys.forget()
        unprimed = [keys.context(job.context) for job in listed]
        page_keys.prime(demo_view.processes, workers=2)
        digested = []
        digest_of = page_keys.digest_of
        monkeypatch.setattr(page_keys, "digest_of", lambda value: digested.append(value) or digest_of(value))
        assert [keys.context(job.context) for job in listed] == unprimed
        assert not any(type(value) is type(demo_view.processes[0]) for value in digested)  # each taken as primed
    finally:
        page_keys.forget()


def _small_pages(tmp_path: Path) -> tuple[Path, Path]:
    """The demo with five rows a page (lists of several pages), built twice: the second keys every
    kept page."""
    source = copy_source(tmp_path)
    settings_file = source / "content" / "site.yml"
    settings_file.write_text(settings_file.read_text(encoding="utf-8") + "page_size: 5\n", encoding="utf-8")
    site = tmp_path / "site"
    _build(source, site)
    _build(source, site)
    return source, site


def _retitle_process(source: Path, ocid: str, title: str) -> bool:
    """Give the process `ocid` another title, in the release package that holds it; False when its
    releases are in a record package."""
    [path] = [p for p in sorted((source / "ocds_data").rglob("*.json")) if ocid in p.read_text(encoding="utf-8")]
    data = json.loads(path.read_text(encoding="utf-8"))
    if "releases" not in data:
        return False
    for release in data["releases"]:
        if release["ocid"] == ocid and "tender" in release:
            release["tender"]["title"] = title
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return True


def test_a_retitled_award_makes_again_only_its_page_of_the_processes_list_and_no_opportunity_page(tmp_path):
    """The list of every process, the suppliers' and the departments' lists and the opportunity
    lists are made again only when what they show changes: a process that is no opportunity,
    retitled, makes again its page of the processes list, and of the opportunity lists only the
    first pages (their filters count the lists)."""
    source, site = _small_pages(tmp_path)
    view = pipeline.site_of(source, pipeline.settings_for(source, today=TODAY), TODAY)
    next(p.ocid for p in view.processes if p.stage == "awarded" and p.ocid not in view.agreements
         and _retitle_process(source, p.ocid, "Renamed awarded purchase"))
    kept, before = page_index.read(site), _files(site)
    _build(source, site)
    now, after = page_index.read(site), _files(site)
    listed = [path for path in now if path.removeprefix("es/").startswith(("processes/index", "processes/page/"))]
    opportunities = [path for path in now if path.removeprefix("es/").startswith("opportunities/")
                     and "/past/" not in path and not path.startswith(("opportunities/past", "es/opportunities/past"))]
    assert len(listed) > 20 and len(opportunities) > 20 and all(path in kept for path in listed + opportunities)
    made_again = {path for path in listed if now[path].key != kept[path].key}
    shows = {path for path in listed if b"Renamed awarded purchase" in after[path]}
    assert made_again == shows == {path for path in listed if before[path] != after[path]} and len(shows) == 2
    again = {path for path in opportunities if now[path].key != kept[path].key}  # but the first page of each order,
    assert len(again) <= 6 and all("lists" in now[path].reads for path in again)  # whose filters count every list
    assert {path for path in now if path.removeprefix("es/").startswith(("suppliers/index", "suppliers/page/"))} <= set(kept)


def test_a_retitled_past_opportunity_makes_again_only_the_past_pages_that_show_it(tmp_path):
    """Past opportunities are listed a page at a time; a page gets what tells its own processes
    apart, so a changed process makes again only the past pages it is on (in each language)."""
    source, site = _small_pages(tmp_path)
    past = pipeline.site_of(source, pipeline.settings_for(source, today=TODAY), TODAY).lists.past
    assert len(past) > 15  # several pages of them
    assert _retitle_process(source, past[len(past) // 2].ocid, "Renamed past solicitation")
    kept, before = page_index.read(site), _files(site)
    _build(source, site)
    now, after = page_index.read(site), _files(site)
    pages = [path for path in now if path.removeprefix("es/").startswith("opportunities/past/")]
    assert len(pages) > 6 and all(path in kept for path in pages)  # every past page is keyed
    made_again = {path for path in pages if now[path].key != kept[path].key}
    shows = {path for path in pages if b"Renamed past solicitation" in after[path]}
    changed = {path for path in pages if before[path] != after[path]}
    assert made_again == shows == changed and 0 < len(shows) <= 2
