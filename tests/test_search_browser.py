"""The search page in headless Chromium against the built demo: words, references, the archive's
count, dates. What a query should find is worked out from the demo's own index files with lunr.py
(the same clauses search.js sends), not from counts written down here."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse

import orjson
import pytest
from babel.dates import format_date
from lunr.index import Index
from lunr.query import Query
from lunr.stop_word_filter import WORDS as STOP_WORDS

from generator.publish import search_language

import gates
from conftest import REPO

NOW = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)
SETTLED = ("document.getElementById('search-status').textContent.includes('result') "
           "&& !document.getElementById('search-status').textContent.includes('…')")


def results(page) -> list[tuple[str, str]]:
    """The results shown: (title, address)."""
    links = page.locator("#search-results li h2 a")
    return [(links.nth(n).inner_text(), links.nth(n).get_attribute("href")) for n in range(links.count())]


def search_for(open_at, served, query: str, settle: str = SETTLED):
    page = open_at(served + "search/?" + query, NOW)
    page.wait_for_function(settle)
    page.wait_for_timeout(100)  # the count of past years may follow the results
    return page


@pytest.fixture(scope="module")
def shards(demo_site) -> dict[str, tuple[Index, list]]:
    """Every shard of the demo's index, loaded with lunr.py: name -> (index, docs)."""
    current = orjson.loads((demo_site / "search/current.json").read_bytes())
    names = ["search/current.json", "search/suppliers.json", *current["archive"]]
    loaded = {}
    for name in names:
        data = orjson.loads((demo_site / name).read_bytes())
        loaded[name] = Index.load(data["index"]), data["docs"]
    return loaded


def titles_matching(shard: tuple[Index, list], word: str) -> set[str]:
    """What search.js finds for one word in one shard: the word stemmed, as a prefix, one typo away."""
    index, docs = shard
    query = index.create_query()
    query.term(word, boost=10)
    query.term(word, use_pipeline=False, wildcard=Query.WILDCARD_TRAILING, boost=5)
    if len(word) >= 5:
        query.term(word, use_pipeline=False, edit_distance=1)
    return {docs[int(hit["ref"], 36)][1] for hit in index.query(query)}


def archive_only_words(shards) -> tuple[dict[str, int], dict[str, int]]:
    """Title words of past awards, with how many past results each finds: those that find nothing
    current, and those that find something current too."""
    archive = [s for name, s in shards.items() if "archive" in name]
    now = [s for name, s in shards.items() if "archive" not in name]
    words = sorted({w for _, docs in archive for doc in docs for w in re.findall(r"[a-z]{5,}", doc[1].lower())}
                   - set(STOP_WORDS))
    only, also = {}, {}
    for word in words:
        past = sum(len(titles_matching(s, word)) for s in archive)
        (also if any(titles_matching(s, word) for s in now) else only)[word] = past
    return only, also


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
    page = search_for(open_at, served, "q=paving&kind=award&archive=all")
    kinds = page.locator("#search-results .badge").all_inner_texts()
    assert kinds and set(kinds) == {"Award"}
    assert page.locator("#search-kind").input_value() == "award"
    assert page.locator("#search-archive").input_value() == "all"
    page.fill("#search-q", "zzzqqq")
    page.wait_for_function("!document.getElementById('no-results').hidden")
    assert page.locator("#search-status").inner_text() == "No results for “zzzqqq”."
    assert page.locator("#no-results a").count() >= 3
    assert page.errors == []


def test_every_word_must_match(open_at, served, shards):
    found = {}
    for query in ("lead", "service", "lead service"):
        page = search_for(open_at, served, f"q={query}&archive=all")
        found[query] = set(results(page))
        assert page.errors == []
    assert found["lead service"] == found["lead"] & found["service"]
    assert found["lead service"] and len(found["lead service"]) < len(found["lead"] | found["service"])
    expected = set()  # lunr.py over every shard, one word at a time, agrees
    for shard in shards.values():
        expected |= titles_matching(shard, "lead") & titles_matching(shard, "service")
    assert {title for title, _ in found["lead service"]} == expected
    for title, href in sorted(found["lead service"]):
        page.goto(href, wait_until="load")
        words = page.locator("main").inner_text().lower()
        assert "lead" in words and "servic" in words, title


@pytest.fixture(scope="module")
def references(demo_view) -> list[tuple[str, str]]:
    """(typed, title): an open bid's ocid, an archived award's ocid and a bid number typed loosely."""
    current = next(p for p in demo_view.processes if p.is_opportunity and p.tender_id)
    past = next(p for p in demo_view.processes if p.active_awards and not p.is_opportunity)
    return [(current.ocid, current.title), (past.ocid, past.title),
            (f"  {current.tender_id.lower()} ", current.title), (past.tender_id.upper(), past.title)]


@pytest.mark.parametrize("which", range(4))
def test_an_exact_reference_finds_that_process_first_and_alone(open_at, served, references, which):
    typed, title = references[which]
    page = open_at(served + "search/", NOW)
    page.wait_for_function("document.getElementById('search-status').textContent !== 'Loading the search index…'")
    page.fill("#search-q", typed)
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('1 result')")
    assert [t for t, _ in results(page)] == [title]
    assert page.locator("#search-archive").input_value() == ""  # found though past awards are left out
    assert page.locator("#search-more").count() == 0
    page.locator("#search-results h2 a").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == title
    assert page.errors == []


def test_words_found_only_in_past_awards_say_so_with_a_link_that_includes_them(open_at, served, shards):
    only, _ = archive_only_words(shards)
    word, past = next(iter(only.items()))
    page = search_for(open_at, served, f"q={word}", "document.getElementById('search-more')")
    assert page.locator("#search-status").inner_text() == (
        f"No current results for “{word}”. {past} more in past awards")
    assert page.locator("#no-results").is_hidden()
    more = page.locator("#search-more")
    assert "archive=all" in more.get_attribute("href")
    more.click()
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert len(results(page)) == past
    assert "archive=all" in page.url and page.locator("#search-archive").input_value() == "all"
    assert page.locator("#search-more").count() == 0
    assert page.errors == []


def test_current_results_say_how_many_more_past_awards_hold(open_at, served, shards):
    _, also = archive_only_words(shards)
    word, past = next(iter(also.items()))
    page = search_for(open_at, served, f"q={word}", "document.getElementById('search-more')")
    shown = len(results(page))
    assert shown > 0
    assert page.locator("#search-more").inner_text() == f"{past} more in past awards"
    # the link also works without JavaScript's help: it is an address that includes every year
    page.goto(page.locator("#search-more").evaluate("a => a.href"), wait_until="load")
    page.wait_for_function(f"document.querySelectorAll('#search-results li').length === {shown + past}")
    assert page.locator("#search-archive").input_value() == "all"
    assert page.errors == []


def test_current_results_do_not_wait_for_the_archive_which_is_counted_newest_year_first(browser, served, demo_site):
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    held = []
    page.on("request", lambda r: fetched.append(r.url.rsplit("/", 1)[-1]) if r.url.endswith(".json") else None)
    page.route(re.compile(r".*/archive-[^/]*\.json$"), lambda route: held.append(route))
    try:
        page.goto(served + "search/?q=paving", wait_until="load")
        page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        archive = orjson.loads((demo_site / "search/current.json").read_bytes())["archive"]
        for _ in range(100):
            if len(held) < len(archive):
                page.wait_for_timeout(50)
        assert page.locator("#search-more").count() == 0  # not counted yet
        assert fetched == ["current.json", "suppliers.json", *(a.rsplit("/", 1)[-1] for a in archive)]  # all fit the budget
        assert archive[0] == "search/archive-2026.json"
        for route in held:
            route.continue_()
        page.wait_for_function("document.getElementById('search-more')")
        assert re.fullmatch(r"\d+ results? for “paving”\. \d+ more in past awards", page.locator("#search-status").inner_text())
    finally:
        context.close()


def test_result_dates_are_written_as_on_the_pages(open_at, served):
    page = search_for(open_at, served, "q=fencing")
    meta = page.locator("#search-results li .meta").first.inner_text()
    page.locator("#search-results li h2 a").first.click()
    page.wait_for_load_state("load")
    deadline = page.locator("main dd time[datetime]").first.get_attribute("datetime")
    assert f"Deadline {format_date(dt.datetime.fromisoformat(deadline), 'medium', locale='en')} " in meta
    assert not re.search(r"\d{4}-\d\d-\d\d", meta)
    page = search_for(open_at, served, "q=paving&kind=award&archive=all")
    meta = page.locator("#search-results li .meta").first.inner_text()
    date = re.search(r"Awarded (\w{3} \d{1,2}, \d{4})", meta).group(1)
    page.locator("#search-results li h2 a").first.click()
    page.wait_for_load_state("load")
    assert date in page.locator("main").inner_text()  # the award's date on its page, written the same way


@pytest.mark.parametrize("query", ["q=janitorial", "q=zzzqqq", "q=ocds-aldrpt-2026-WU-0012"])
def test_search_results_pass_axe(browser, served, query):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(served + "search/?" + query, wait_until="load")
        page.wait_for_function("!document.getElementById('search-status').textContent.includes('…')")
        page.wait_for_timeout(300)
        assert gates.axe_violations(page) == []
    finally:
        context.close()


def test_a_large_archive_is_counted_only_for_its_last_two_years(open_at, served, demo_site, shards):
    """Past the budget (search.js COUNT_BUDGET documents), the count covers the last 2 years and
    says so; its link includes those years."""
    current = orjson.loads((demo_site / "search/current.json").read_bytes())
    assert len(current["archive"]) >= 3
    newest = [shards[name] for name in current["archive"][:2]]
    only, _ = archive_only_words(shards)
    word = next(w for w in only if any(titles_matching(s, w) for s in newest))
    recent = sum(len(titles_matching(s, word)) for s in newest)
    page = open_at(served + "search/", NOW)
    page.route("**/search/current.json", lambda route: route.fulfill(
        content_type="application/json", body=orjson.dumps(current | {"archiveDocs": [6000] * len(current["archive"])})))
    page.goto(served + f"search/?q={word}", wait_until="load")
    page.wait_for_function("document.getElementById('search-more')")
    more = page.locator("#search-more")
    assert more.inner_text() == f"{recent} more in past awards of the last 2 years"
    more.click()
    page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert len(results(page)) == recent and "archive=2" in page.url
    assert page.errors == []


@pytest.fixture(scope="module")
def small_reference_files(tmp_path_factory):
    """The demo built with references split into many files, served: the browser must pick the
    same file the build put each reference in."""
    from generator import pipeline
    from generator.publish import search

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "REFERENCES_PER_FILE", 16)
        output = tmp_path_factory.mktemp("refs") / "site"
        settings = pipeline.settings_for(REPO)
        pipeline.build(REPO, output, settings, settings.today)
    with gates.serve(output) as base:
        yield output, base


def test_references_split_into_many_files_are_found_in_the_right_one(open_at, small_reference_files, demo_view):
    site, base = small_reference_files
    files = orjson.loads((site / "search/current.json").read_bytes())["references"]
    assert len(files) >= 8
    page = open_at(base + "search/", NOW)
    page.wait_for_function("document.getElementById('search-status').textContent !== 'Loading the search index…'")
    for process in demo_view.processes[::7]:
        for typed in filter(None, (process.ocid, process.tender_id)):
            page.fill("#search-q", typed)
            page.wait_for_function("q => document.getElementById('search-status').textContent === `1 result for “${q}”.`",
                                   arg=typed)
            assert [t for t, _ in results(page)] == [process.title], typed
    assert page.errors == []


def test_a_bid_whose_deadline_has_passed_is_not_shown_open_in_results(demo_view, open_at, served):
    """The visitor's clock decides, as on every other page: a month after the build, an open bid
    found by its reference shows as closed, and the "Open for bids" filter leaves it out."""
    bid = max(demo_view.open_now, key=lambda p: p.deadline)
    later = bid.deadline + dt.timedelta(days=30)
    for when, expected in ((NOW, "Open for bids"), (later, "Closed")):
        page = open_at(served + "search/?q=" + bid.ocid, when)
        page.wait_for_function(SETTLED)
        meta = page.locator("#search-results li .meta").first.inner_text()
        assert expected in meta and ("Open for bids" in meta) == (expected == "Open for bids"), (when, meta)
    # an exact reference ignores the filters; found by its title's words, the filter applies
    query = urllib.parse.urlencode({"q": bid.title, "status": "open"})
    for when, listed in ((NOW, True), (later, False)):
        page = open_at(served + "search/?" + query, when)
        page.wait_for_function("document.getElementById('search-status').textContent.length > 0 "
                               "&& !document.getElementById('search-status').textContent.includes('…')")
        assert any(title == bid.title for title, _ in results(page)) == listed, when


def _spanish_words(demo_site) -> tuple[str, str, str]:
    """An open opportunity's Spanish title (the demo publishes title_es), with one of its accented
    words and one long plain word, picked from the Spanish index rather than written down here."""
    docs = orjson.loads((demo_site / "es/search/current.json").read_bytes())["docs"]
    for doc in docs:
        if doc[0] != "opportunity" or doc[3] != "open":
            continue
        words = re.findall(r"\w+", doc[1])
        accented = [w for w in words if len(w) >= 7 and w != search_language.fold(w)]
        plain = [w for w in words if len(w) >= 9 and w == search_language.fold(w) and w.islower()]
        if accented and plain:
            return doc[1], accented[0], plain[0]
    raise AssertionError("the demo has an open opportunity with a Spanish title")


@pytest.mark.parametrize("how", ["word", "without accents", "one letter off"])
def test_spanish_search_finds_an_opportunity_by_its_spanish_words(how, demo_site, open_at, served):
    title, accented, plain = _spanish_words(demo_site)
    query = {"word": accented.lower(), "without accents": search_language.fold(accented).lower(),
             "one letter off": plain[:3] + plain[4:]}[how]
    page = open_at(served + "es/search/?" + urllib.parse.urlencode({"q": query}), NOW)
    page.wait_for_function(SETTLED)
    assert title in [t for t, _ in results(page)], (how, query)
    meta = page.locator("#search-results li .meta").first.inner_text()
    assert "Opportunity" not in meta and "Oportunidad" in meta, meta  # the kind in the page's words
    assert page.locator("html").get_attribute("lang") == "es"
