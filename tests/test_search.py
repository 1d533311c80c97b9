"""Search: the documents lunr indexes, how they are split into shards, and the search page in
headless Chromium against the built demo."""

from __future__ import annotations

import datetime as dt
import gzip

import orjson
import pytest
from lunr.index import Index
from test_demo_site import soup

from generator import routes
from generator.publish import search
from generator.site.assemble import build_site

from conftest import REPO
from test_model import SETTINGS, TODAY, record, tender


def site_of(*compiled_by_ocid):
    return build_site([record(ocid, compiled) for ocid, compiled in compiled_by_ocid], SETTINGS, TODAY, ())


AWARDED = {"tender": tender(status="complete", end="2024-03-01T14:00:00-06:00"),
           "awards": [{"id": "a1", "status": "active", "date": "2024-04-02T10:00:00-05:00",
                       "value": {"amount": 1200, "currency": "USD"}, "suppliers": [{"id": "S", "name": "Acme Roofing"}]}],
           "parties": [{"id": "S", "name": "Acme Roofing", "roles": ["supplier"]}]}


def test_documents_go_to_the_shard_a_visitor_needs_first():
    site = site_of(("ocds-test01-open", {"tender": tender(title="Roof repair", description="Fix the library roof")}),
                   ("ocds-test01-old", AWARDED))
    docs = {d.ref: d for d in search.documents(site)}
    current = docs["ocds-test01-open"]
    assert current.shard == "current"
    assert current.fields["title"] == "Roof repair" and current.fields["body"] == "Fix the library roof"
    assert current.show[0] == "opportunity" and current.show[3] == "Open for bids"
    assert current.show[4] == "2026-11-20"  # the deadline
    old = docs["ocds-test01-old"]
    assert old.shard == "archive-2024"  # the award's year
    assert old.show[0] == "award" and old.show[4] == "2024-04-02" and old.show[5] == "$1,200"
    assert "Acme Roofing" in old.fields["org"]
    assert old.fields["body"] == ""  # the archive indexes no descriptions
    supplier = docs["supplier:S"]
    assert supplier.shard == "suppliers" and supplier.show[:2] == ("supplier", "Acme Roofing")


def test_an_empty_shard_is_an_index_that_finds_nothing():
    artifacts, shards = search.build_shards(site_of(("ocds-test01-open", {"tender": tender()})))
    suppliers = next(a for a in artifacts if a.path == "search/suppliers.json")
    assert Index.load(orjson.loads(suppliers.data)["index"]).search("anything") == []
    assert [s.documents for s in shards] == [2, 0]  # the process, and the glossary every site has


def test_guides_are_indexed_by_their_words():
    assert search.plain_text("<h2>Get &amp; stay</h2><p>certified <em>now</em></p>") == "Get & stay certified now"


def test_shards_are_valid_lunr_indexes_in_a_fixed_order():
    site = site_of(("ocds-test01-open", {"tender": tender(title="Janitorial services")}),
                   ("ocds-test01-old", AWARDED))
    artifacts, shards = search.build_shards(site)
    assert [s.name for s in shards] == ["current", "suppliers", "archive-2024"]
    by_path = {a.path: orjson.loads(a.data) for a in artifacts}
    current = by_path["search/current.json"]
    assert current["archive"] == ["search/archive-2024.json"]
    index = Index.load(current["index"])
    (hit,) = index.search("janitorial")
    assert current["docs"][int(hit["ref"], 36)][1] == "Janitorial services"
    # stems find other forms of a word; the words as written stay for one-typo matches
    assert index.search("janitorials")
    terms = {term for term, _ in current["index"]["invertedIndex"]}
    assert {"janitori", "janitorial"} <= terms
    archive = Index.load(by_path["search/archive-2024.json"]["index"])
    assert archive.search("acme")
    for shard, artifact in zip(shards, artifacts, strict=True):
        assert shard.size == len(artifact.data) and shard.gzipped == len(gzip.compress(artifact.data, mtime=0))
    again, _ = search.build_shards(site)
    assert [a.data for a in again] == [a.data for a in artifacts]  # deterministic


def test_the_demo_search_page_works_without_javascript_as_a_signpost(demo_site):
    page = soup(demo_site, "search/index.html")
    assert "Search needs JavaScript" in page.select_one("#search-needs-js").get_text()
    for target in ("opportunities/", "awards/", "suppliers/", "guides/"):
        assert any(a["href"].endswith(target) for a in page.select("#search-needs-js a"))
    assert (demo_site / "static" / "lunr.min.js").read_bytes() == (REPO / "node_modules/lunr/lunr.min.js").read_bytes()
    header = soup(demo_site, "index.html").select_one("form[role=search]")
    assert header["action"] == "search/" and header.select_one("input[name=q]")


NOW = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize("typed", ["Fencing", "fenc", "fencng"])
def test_typing_a_title_word_finds_that_opportunity_first_and_opens_it(open_at, served, typed):
    page = open_at(served + "search/", NOW)
    page.fill("#search-q", typed)
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    first = page.locator("#search-results li h2 a").first
    assert first.inner_text() == "Public Works Yard Security Fencing Replacement"
    assert "q=" + typed in page.url
    assert "result" in page.locator("#search-status").inner_text()
    first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Public Works Yard Security Fencing Replacement"
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert page.locator("#search-q").input_value() == typed
    assert page.errors == []


def test_a_shared_address_loads_with_filtered_results(open_at, served):
    page = open_at(served + "search/?q=paving&kind=award&archive=all", NOW)
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    kinds = page.locator("#search-results .badge").all_inner_texts()
    assert kinds and set(kinds) == {"Award"}
    assert page.locator("#search-kind").input_value() == "award"
    assert page.locator("#search-archive").input_value() == "all"
    page.fill("#search-q", "zzzqqq")
    page.wait_for_function("!document.getElementById('no-results').hidden")
    assert page.locator("#search-status").inner_text() == "No results for “zzzqqq”."
    assert page.locator("#no-results a").count() >= 3
    assert page.errors == []


def test_the_archive_is_fetched_only_when_asked_for_newest_years_first(browser, served, demo_site):
    errors: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[-1]) if r.url.endswith(".json") else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(served + "search/?q=paving", wait_until="load")
        page.wait_for_function("document.getElementById('search-status').textContent.includes('result')")
        page.wait_for_timeout(200)
        assert fetched == ["current.json", "suppliers.json"]
        page.select_option("#search-archive", "2")
        page.wait_for_function("document.querySelectorAll('#search-results .badge').length > 1")
        archive = orjson.loads((demo_site / "search/current.json").read_bytes())["archive"]
        assert fetched[2:] == [a.rsplit("/", 1)[-1] for a in archive[:2]]
        assert archive[0] == "search/archive-2026.json"
        assert "archive=2" in page.url
        assert errors == []
    finally:
        context.close()


def test_the_search_page_is_in_the_sitemap_and_links_resolve(demo_site):
    assert routes.listing_path("search") == "search/index.html"
    assert (demo_site / "search" / "current.json").is_file()
