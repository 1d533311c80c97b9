"""One pool for everything made from the view model (pipeline.Outputs): pages, feeds and search of
every language, written by the workers that make them."""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator import pipeline
from generator.context import BuildContext
from generator.inputs import folder
from generator.publish import pages
from generator.publish.languages import languages_of

from conftest import REPO


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(tmp_path: Path, name: str, workers: int, monkeypatch) -> tuple[Path, object]:
    monkeypatch.setattr(pipeline, "context_for", lambda settings, today: BuildContext.of(settings, today, workers))
    settings = pipeline.settings_for(REPO)
    output = tmp_path / name
    return output, pipeline.build(REPO, output, settings, settings.today)


def test_the_site_made_by_two_workers_is_the_site_made_by_one(tmp_path, monkeypatch):
    made_in = []
    make = pipeline.Outputs.make
    monkeypatch.setattr(pipeline.Outputs, "make", lambda self, task: made_in.append(os.getpid()) or make(self, task))
    one, one_report = _build(tmp_path, "one", 1, monkeypatch)
    assert set(made_in) == {os.getpid()}
    made_in.clear()
    monkeypatch.setattr(pipeline, "RENDER_IN_WORKERS_FROM", 0)
    two, two_report = _build(tmp_path, "two", 2, monkeypatch)
    assert made_in == [], "with two workers every task is made in a worker, not here"
    assert _tree(one) == _tree(two)
    assert one_report.pages_by_language == two_report.pages_by_language and sum(
        two_report.pages_by_language.values()) == len([p for p in _tree(two) if p.endswith(".html")])
    assert one_report.shards == two_report.shards and one_report.shards
    assert {k for k in two_report.timings if k.startswith("search index")} == {
        "search index (in render and write)", "search index (es) (in render and write)"}
    assert one_report.counts["outputs"] == two_report.counts["outputs"] == len(_tree(two)) - 1  # not the marker


def test_every_page_feed_and_index_is_one_task_and_the_longest_go_first(demo_view, monkeypatch):
    settings = demo_view.settings
    inputs = folder.read_inputs(REPO, settings)
    languages = languages_of(settings, inputs.translations)
    made = pipeline.Outputs(demo_view, inputs.templates, languages, None, inputs.static)
    tasks = made.tasks()
    kinds = [t.kind for t in tasks]
    n = len(languages)
    assert kinds[:2 * n + 1] == [pipeline.SEARCH] * n + [pipeline.SITEMAP] + [pipeline.FEEDS] * n
    assert set(kinds[2 * n + 1:]) == {pipeline.PAGES}
    # the sitemap, made while the pages are: every page of the first language, the data page among them
    sitemap = {a.path: a.data.decode() for a in made.make(tasks[n]).artifacts}
    assert set(sitemap) == {"sitemap.xml", "robots.txt"}
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap["sitemap.xml"])
    base = settings.base_url.absolute("index.html")
    html = [j.path for j in made.work[0][0] if j.path.endswith(".html") and j.path != "404.html"] + ["data/index.html"]
    assert len(listed) == len(html) * n and base in listed and settings.base_url.absolute("data/index.html") in listed
    for language in range(n):
        jobs, _ = made.work[language]
        covered = [i for t in tasks if t.kind == pipeline.PAGES and t.language == language for i in range(*t.bounds)]
        assert covered == list(range(len(jobs))), "each page job in exactly one chunk, in order"
        rendered = [a.path for t in tasks if t.kind == pipeline.PAGES and t.language == language
                    for a in made.make(t).artifacts]
        assert rendered == [languages[language].path(j.path) for j in jobs]
        # the award lists are one chunk, so one worker makes each award's row once for all of them
        lists = [i for i, j in enumerate(jobs) if j.template in pages.ROWS_SHARED]
        holding = [t for t in tasks if t.kind == pipeline.PAGES and t.language == language
                   and set(range(*t.bounds)) & set(lists)]
        assert len(lists) > 1 and len(holding) == 1 and set(range(*holding[0].bounds)) == set(lists)
        rows = made.renderers[language].env.page.rows
        rows.clear()
        assert list(made.make(holding[0]).artifacts) and not rows, "the lists' rows are let go after them"
    # a chunk's pages are made CHUNK at a time, each batch written before the next is made
    renderer, made_pages = made.renderers[0], []
    page = renderer.page
    renderer.page = lambda *a, **k: made_pages.append(a[1]) or page(*a, **k)
    monkeypatch.setattr(pages, "CHUNK", 2)
    artifacts = made.make(next(t for t in tasks if t.kind == pipeline.PAGES and t.bounds[1] - t.bounds[0] > 2)).artifacts
    assert made_pages == [] and next(iter(artifacts)) and len(made_pages) == 2
    assert made.page_count == sum(len(jobs) for jobs, _ in made.work) > pages.CHUNK
