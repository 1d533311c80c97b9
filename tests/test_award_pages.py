"""Issue 6, item 1 on the demo: the awards list with its filters and orders as pre-built pages
(asserted on the parsed HTML), and static/awards.js combining them in headless Chromium.

Expected rows come from the view model's award lists (tested on their own in test_award_lists.py);
bidders and methods are also checked against the demo's raw OCDS files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.numbers import format_decimal
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from test_demo_site import soup
from test_feeds import demo  # noqa: F401 (the demo's view model, a fixture)
from test_opportunity_pages import all_pages, merged_tenders

from generator import pipeline, routes
from generator.inputs import folder
from generator.publish import figures, formats, jobs, pages
from generator.site.assemble import build_site
from generator.values import Money

import gates
from conftest import REPO
from test_model import SETTINGS, TODAY, record, tender

TZ = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 11, 16, 9, tzinfo=TZ)
PW = "alderport-public-works"
PR = "alderport-parks"
TR = "alderport-transportation"
ALL = 68  # awards in the demo (active awards in its raw files)
ITB = "Invitation to Bid"


TEMPLATES = folder.read_templates(folder.builtin_templates_dir().parent)


@pytest.fixture(scope="module")
def lists(demo):  # noqa: F811 (the fixture imported above)
    """The demo's award lists, from the view model."""
    return demo[0].award_lists


def dollars(money) -> str:
    return f"${money.amount:,.0f}" if money.amount == int(money.amount) else f"${money.amount:,.2f}"


def title(entry) -> str:
    return entry.award.title or entry.process.title


def resolve(page_path: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href)) + "/index.html"


def listed(site, first: str) -> list[str]:
    """The titles of every row of a list, over all its pages, in order."""
    return [tr.select_one("td a").get_text() for _, page in all_pages(site, first) for tr in page.select("main tbody tr")]


def every_list(lists):
    """(facet or None, sort, rows, first page path) for every award list."""
    for facet in (None, *(f for fs in lists.facets.values() for f in fs)):
        kind, key = (facet.kind, facet.key) if facet else ("", "")
        yield facet, "newest", facet.rows if facet else lists.newest, routes.award_list_path(kind, key)
        yield facet, "value", facet.by_value if facet else lists.by_value, routes.award_list_path(kind, key,
                                                                                                  by_value=True)


# --- pre-built pages -------------------------------------------------------------------------------

def test_every_filter_has_its_list_in_both_orders(demo_site, lists):
    seen = 0
    for _, sort, rows, first in every_list(lists):
        assert listed(demo_site, first) == [title(e) for e in rows], first
        page = soup(demo_site, first)
        order = "largest first" if sort == "value" else "newest first"
        heading = page.h1.get_text()
        assert page.select_one("#awards-lead").get_text().startswith(f"{heading}, {order}: {len(rows)} award")
        assert page.title.get_text().startswith(f"{heading}, {order} · ")
        seen += 1
    kinds = {k: len(fs) for k, fs in lists.facets.items()}
    assert kinds["department"] >= 10 and kinds["year"] == 4 and kinds["method"] >= 5 and kinds["value"] >= 3
    assert seen == 2 * (1 + sum(kinds.values()))


def test_headings_say_which_filter_is_shown(demo_site, lists):
    def h1(kind, key):
        return soup(demo_site, lists.facet_of(kind, key).path).h1.get_text()

    assert h1("department", PW) == "Awards by Department of Public Works"
    assert h1("year", "2025") == "Awards made in 2025"
    assert h1("method", ITB) == "Awards by procurement method: Invitation to Bid"
    assert h1("value", "over-1000000") == "Awards of $1,000,000 or more"
    assert h1("value", "25000-100000") == "Awards of $25,000 to $100,000"
    lead = soup(demo_site, lists.facet_of("department", PW).value_path).select_one("#awards-lead").get_text()
    assert lead.startswith("Awards by Department of Public Works, largest first: 12 awards.")


def test_largest_first_really_is_by_current_value(demo_site, lists):
    amounts = [float(tr.find_all("td")[3].contents[0].removeprefix("up to ").replace("$", "").replace(",", ""))
               for _, page in all_pages(demo_site, "awards/by-value/index.html")
               for tr in page.select("main tbody tr")]  # a framework agreement's by its ceiling ("up to")
    assert len(amounts) == len(lists.newest) and amounts == sorted(amounts, reverse=True)


def test_rows_show_suppliers_amount_date_method_and_bidders(demo_site, lists):
    tenders = merged_tenders()
    pages_ = all_pages(demo_site, "awards/index.html")
    assert len(pages_) == 2  # 50 awards a page
    for _, page in pages_:
        assert [th.get_text() for th in page.select("main thead th")] == [
            "What", "Department", "Awarded to", "Amount", "Date", "Method", "Bidders"]
    rows = [tr for _, page in pages_ for tr in page.select("main tbody tr")]
    assert len(rows) == len(lists.newest) == ALL
    amended = 0
    for tr, entry in zip(rows, lists.newest, strict=True):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        tender_data = tenders[entry.process.ocid]
        assert tr.find_all("td")[2].get_text() == ", ".join(s.name for s in entry.award.suppliers)  # "A, B"
        assert cells[5].startswith(tender_data["procurementMethodDetails"])  # plus how the winner is chosen
        assert cells[6] == str(tender_data["numberOfTenderers"])
        assert cells[4] == f"{entry.award.date:%b} {entry.award.date.day}, {entry.award.date.year}"
        assert tr["data-year"] == str(entry.award.date.year) and tr["data-method"] == entry.method
        assert tr["data-department"] == entry.process.buyer.key and tr["data-value"] == entry.band
        assert tr["data-suppliers"] == "\n".join(s.name.lower() for s in entry.award.suppliers)
        up_to = "up to " if entry.award.ceiling else ""  # a framework agreement's value is a ceiling
        if entry.awarded_at:
            amended += 1
            assert cells[3] == f"{up_to}{dollars(entry.value)} amended; awarded at {dollars(entry.awarded_at)}"
        else:
            assert cells[3] == up_to + dollars(entry.value)
    assert amended >= 3, "the demo has contracts amended after the award"


def render_awards(compiled_records) -> dict[str, str]:
    site = build_site(compiled_records, SETTINGS, TODAY, ())
    return {a.path: a.data.decode() for a in pages.render_site(site, TEMPLATES)}


@pytest.fixture(scope="module")
def odd_awards() -> dict[str, str]:
    """Awards missing what they can miss, another currency, an amended contract and a hostile name."""
    evil = '<script>alert("x")</script>'
    buyer = {"parties": [{"id": "B", "name": evil, "roles": ["buyer"]},
                         {"id": "S", "name": "Smith & Sons", "roles": ["supplier"]}], "buyer": {"id": "B", "name": evil}}
    supplier = [{"id": "S", "name": "Smith & Sons"}]
    return render_awards([
        record("ocds-test01-1", {**buyer, "tender": tender(status="complete", title="Bare"),
                                 "awards": [{"id": "a", "status": "active"}]}),
        record("ocds-test01-2", {**buyer, "tender": tender(status="complete", title="Euro", numberOfTenderers=3,
                                                           procurementMethod="open"),
                                 "awards": [{"id": "a", "status": "active", "date": "2026-01-05T10:00:00-06:00",
                                             "value": {"amount": 5000, "currency": "EUR"}, "suppliers": supplier}]}),
        record("ocds-test01-3", {**buyer, "tender": tender(status="complete", title="Amended", numberOfTenderers=0,
                                                           procurementMethod="direct"),
                                 "awards": [{"id": "a", "status": "active", "date": "2026-02-05T10:00:00-06:00",
                                             "value": {"amount": 1000, "currency": "USD"}, "suppliers": supplier}],
                                 "contracts": [{"id": "c", "awardID": "a", "status": "active",
                                                "value": {"amount": 1500, "currency": "USD"}}]}),
    ])


def cells_by_title(html: str) -> dict[str, list[str]]:
    page = BeautifulSoup(html, "lxml")
    return {tr.td.get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")][1:]
            for tr in page.select("main tbody tr")}


def test_what_is_not_published_says_so(odd_awards):
    rows = cells_by_title(odd_awards["awards/index.html"])
    evil = '<script>alert("x")</script>'
    # department, awarded to, amount, date, method, bidders
    assert rows["Bare"] == [evil, "Not published", "Not published", "Not published", "Not published", "Not published"]
    assert rows["Euro"] == [evil, "Smith & Sons", "€5,000", "Jan 5, 2026", "Open to all bidders", "3"]
    assert rows["Amended"] == [evil, "Smith & Sons", "$1,500 amended; awarded at $1,000", "Feb 5, 2026",
                               "Direct award: no competition", "0"]


def test_hostile_names_are_escaped_on_every_award_list(odd_awards):
    pages = {p: html for p, html in odd_awards.items() if p.startswith("awards/")}
    assert len(pages) == 2 * (1 + 1 + 1 + 2 + 1)  # all; the department; 2026; open and direct; under $25,000
    for path, html in pages.items():
        assert "<script>alert" not in html, path
    heading = BeautifulSoup(odd_awards[routes.award_list_path("department", "B")], "lxml").h1.get_text()
    assert heading == 'Awards by <script>alert("x")</script>'


def test_no_awards_no_filters():
    pages = render_awards([])
    page = BeautifulSoup(pages["awards/index.html"], "lxml")
    assert "No awards have been published yet." in page.main.get_text()
    assert not page.select("nav.award-filters, #award-filters, script[src$='awards.js']")
    assert sorted(p for p in pages if p.startswith("awards/")) == ["awards/by-value/index.html", "awards/index.html"]


def test_filter_links_work_without_javascript(demo_site, lists):
    for first, sort in (("awards/index.html", "newest"), ("awards/by-value/index.html", "value")):
        page = soup(demo_site, first)
        nav = page.select_one("nav.award-filters")
        assert nav.h2.get_text() == "Filter awards"
        everything = nav.select_one("a[data-all]")
        assert (everything.get_text(), everything["aria-current"], resolve(first, everything["href"])) == (
            "All awards", "page", first)
        for kind, facets in lists.facets.items():
            links = nav.select(f'ul[data-kind="{kind}"] a')
            assert [a["data-key"] for a in links] == [f.key for f in facets]
            for a, facet in zip(links, facets, strict=True):
                target = resolve(first, a["href"])
                assert target == (facet.value_path if sort == "value" else facet.path)  # the same order
                assert a.find_next_sibling("span").get_text() == f"({len(facet.rows)})"
                listing = soup(demo_site, target)
                assert listing.select_one(f'nav.award-filters a[aria-current="page"][data-key="{facet.key}"]')
                assert len(listing.select("main tbody tr")) == len(facet.rows)  # all on one page in the demo
                assert not listing.select_one("nav.award-filters a[data-all][aria-current]")
        suppliers = nav.find("a", string="Every supplier has its own page of awards")
        assert resolve(first, suppliers["href"]) == "suppliers/index.html" and (demo_site / "suppliers/index.html").is_file()
        sort_links = page.select(".sort-links a")
        assert [a.get_text() for a in sort_links] == ["Newest first", "Largest first"]
        assert [a.get("aria-current") for a in sort_links] == (["page", None] if sort == "newest" else [None, "page"])
        assert [resolve(first, a["href"]) for a in sort_links] == ["awards/index.html", "awards/by-value/index.html"]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """The demo with five awards a page, combining at most two pages, so lists span pages and
    long lists are refused."""
    output = tmp_path_factory.mktemp("award-pages") / "site"
    settings = dataclasses.replace(pipeline.settings_for(REPO), page_size=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "COMBINE_AT_MOST", 2)
        pipeline.build(REPO, output, settings, settings.today)
    return output


def test_later_pages_are_small_and_point_back_to_the_filters(small_site, lists):
    pw = lists.facet_of("department", PW)
    second = routes.award_list_path("department", PW, 2, by_value=True)
    page = soup(small_site, second)
    assert not page.select("nav.award-filters, #award-filters, script[src$='awards.js']")
    back = page.find("a", string="Filter awards (on the first page of this list)")
    assert resolve(second, back["href"]) == pw.value_path
    assert [a.get("aria-current") for a in page.select(".sort-links a")] == [None, "true"]
    assert [tr.td.get_text() for tr in page.select("main tbody tr")] == [title(e) for e in pw.by_value[5:10]]
    assert page.select_one("#award-rows")  # the script finds the rows of later pages by this id


# --- the script ------------------------------------------------------------------------------------

def shown(page) -> list[str]:
    return page.eval_on_selector_all("#award-rows > tr:not([hidden])", "rows => rows.map(r => r.querySelector('a').textContent)")


def submit_and_wait(page):
    page.evaluate("document.getElementById('award-status').textContent = ''")
    page.click("#award-filters button[type=submit]")
    page.wait_for_function("document.getElementById('award-status').textContent.startsWith('Showing')")


def test_two_filters_show_exactly_the_awards_matching_both(served, open_at, lists):
    page = open_at(served + "awards/", NOW)
    assert page.locator("#award-filters").is_visible() and not page.locator("nav.award-filters").is_visible()
    assert page.locator("#award-department option").count() == 1 + len(lists.facets["department"])
    page.select_option("#award-department", PW)
    page.select_option("#award-year", "2026")
    submit_and_wait(page)
    expected = [title(e) for e in lists.facet_of("department", PW).rows if e.year == "2026"]
    assert len(expected) == 8 and shown(page) == expected
    assert page.locator("#award-status").inner_text() == f"Showing 8 of {ALL} awards."
    assert page.locator("h1").inner_text() == "Awards matching your filters"
    assert page.locator("#awards-lead").inner_text() == (
        f"Department: Department of Public Works; Year: 2026, newest first. Showing 8 of {ALL} awards.")
    assert page.url.endswith("/awards/?department=alderport-public-works&year=2026")
    assert page.title().startswith("Awards matching your filters · ")
    assert page.locator(".sort-links").is_hidden()  # they would lead to the whole list of a filter
    assert page.errors == []


@pytest.mark.parametrize("chosen", [
    {"department": PW, "value": "over-1000000"},
    {"department": "alderport-airport", "year": "2024"},  # none
    {"department": "alderport-it", "method": "Request for Proposals", "year": "2026"},
    {"year": "2025", "value": "100000-1000000"},
    {"method": ITB, "value": "over-1000000", "department": "alderport-fleet"},
])
def test_every_filter_counts_whichever_list_is_loaded(served, open_at, lists, chosen):
    """Rows come from the smallest chosen list, so each filter is checked on the others' lists."""
    page = open_at(served + "awards/", NOW)
    for kind, key in chosen.items():
        page.select_option(f"#award-{kind}", key)
    submit_and_wait(page)
    expected = [title(e) for e in lists.newest
                if all((e.process.buyer.key if kind == "department" else getattr(e, {"value": "band"}.get(kind, kind)))
                       == key for kind, key in chosen.items())]
    assert shown(page) == expected
    assert page.locator("#award-status").inner_text() == f"Showing {len(expected)} of {ALL} awards."
    assert page.errors == []


def test_a_shared_address_opens_filtered_and_sorted(served, open_at, lists):
    page = open_at(served + "awards/?method=Invitation+to+Bid&value=over-1000000&sort=value", NOW)
    page.wait_for_function("document.getElementById('award-status').textContent.startsWith('Showing')")
    expected = [title(e) for e in lists.facet_of("value", "over-1000000").by_value if e.method == ITB]
    assert len(expected) >= 3 and shown(page) == expected  # largest first
    assert page.locator("#award-method").input_value() == ITB
    assert page.locator("#award-value").input_value() == "over-1000000"
    assert page.locator("#award-sort").input_value() == "value"
    page.reload(wait_until="load")
    page.wait_for_function("document.getElementById('award-status').textContent.startsWith('Showing')")
    assert shown(page) == expected
    assert page.errors == []


def test_one_filter_opens_its_prebuilt_list(served, open_at, lists):
    page = open_at(served + "awards/", NOW)
    page.select_option("#award-year", "2025")
    page.select_option("#award-sort", "value")
    with page.expect_navigation():
        page.click("#award-filters button[type=submit]")
    assert page.url == served + "awards/year/2025/by-value/"
    assert shown(page) == [title(e) for e in lists.facet_of("year", "2025").by_value]
    # there, the form starts from that list: its year is chosen, the order is largest first
    assert page.locator("#award-year").input_value() == "2025"
    assert page.locator("#award-sort").input_value() == "value"
    assert page.errors == []


def test_a_filter_page_remembers_only_what_differs_from_its_own_list(served, open_at, lists):
    page = open_at(served + "awards/year/2026/", NOW)
    page.select_option("#award-method", ITB)
    submit_and_wait(page)
    expected = [title(e) for e in lists.facet_of("year", "2026").rows if e.method == ITB]
    assert shown(page) == expected
    assert page.url.endswith("/awards/year/2026/?method=Invitation+to+Bid")
    # a cleared year is remembered too, or reloading would bring the page's own year back
    page.select_option("#award-year", "")
    page.select_option("#award-value", "over-1000000")
    submit_and_wait(page)
    expected = [title(e) for e in lists.facet_of("value", "over-1000000").rows if e.method == ITB]
    assert shown(page) == expected
    assert page.url.endswith("/awards/year/2026/?year=&method=Invitation+to+Bid&value=over-1000000")
    page.reload(wait_until="load")
    page.wait_for_function("document.getElementById('award-status').textContent.startsWith('Showing')")
    assert shown(page) == expected and page.locator("#award-year").input_value() == ""
    assert page.errors == []


def test_supplier_name_narrows_the_list(served, open_at, lists):
    page = open_at(served + "awards/", NOW)
    page.fill("#award-supplier", "  Lakeshore ")
    submit_and_wait(page)
    expected = [title(e) for e in lists.newest if any("lakeshore" in s.name.lower() for s in e.award.suppliers)]
    assert len(expected) == 2 and shown(page) == expected
    assert "supplier=Lakeshore" in page.url
    assert page.errors == []


def test_combined_filters_reach_every_page_of_the_smallest_list(small_site, open_at, lists):
    with gates.serve(small_site) as base:
        page = open_at(base + "awards/", NOW)
        assert page.locator("#award-rows > tr").count() == 5
        page.select_option("#award-department", PR)  # 8 awards: 2 pages
        page.select_option("#award-year", "2024")  # 7 awards: 2 pages
        submit_and_wait(page)
        rows = lists.facet_of("department", PR).rows
        expected = [title(e) for e in rows if e.year == "2024"]
        assert shown(page) == expected and page.locator("#award-rows > tr").count() == 2
        assert page.locator(".pager").is_hidden()
        # the last row came from the department's second page; its link still leads to its process
        last = max(i for i, e in enumerate(rows) if e.year == "2024")
        assert last >= 5
        row = page.locator("#award-rows > tr").last
        assert row.locator("a").first.inner_text() == expected[-1]
        row.locator("a").first.click()
        page.wait_for_load_state("load")
        assert rows[last].process.title in page.locator("h1").inner_text()
        assert page.errors == []


def test_a_list_too_long_to_load_is_not_loaded(small_site, open_at, lists):
    with gates.serve(small_site) as base:
        page = open_at(base + "awards/", NOW)
        requested = []
        page.on("request", lambda r: requested.append(r.url) if "/awards/" in r.url else None)
        page.fill("#award-supplier", "bayside")  # every award: 14 pages of 5
        page.click("#award-filters button[type=submit]")
        page.wait_for_function("document.getElementById('award-status').textContent !== ''")
        assert page.locator("#award-status").inner_text() == (
            f"That would mean loading {-(-ALL // 5)} pages of awards. Choose a department or a year first, "
            "so that fewer pages need loading.")
        assert requested == [] and page.locator("#award-rows > tr").count() == 5
        # a year and a method still leave 7 pages (the 34 awards of an invitation to bid): the smallest
        # list is offered instead
        page.select_option("#award-year", "2026")
        page.select_option("#award-method", ITB)
        page.click("#award-filters button[type=submit]")
        page.wait_for_function("document.querySelector('#award-status a') !== null")
        link = page.locator("#award-status a")
        assert link.inner_text() == "Open the list “Invitation to Bid” and browse it page by page."
        assert requested == []
        link.click()
        page.wait_for_load_state("load")
        assert page.url == base + routes.relative_url("index.html", lists.facet_of("method", ITB).path)
        # a department and a name: 2 pages, loaded and combined
        page.goto(base + "awards/", wait_until="load")
        page.select_option("#award-department", TR)  # 6 awards
        page.fill("#award-supplier", "bayside")
        submit_and_wait(page)
        expected = [title(e) for e in lists.facet_of("department", TR).rows
                    if any(s.name == "Bayside Paving Co." for s in e.award.suppliers)]
        assert expected and shown(page) == expected
        assert page.errors == []


def test_the_filters_pass_axe_with_and_without_javascript(served, open_at):
    page = open_at(served + "awards/department/alderport-public-works/", NOW)
    page.select_option("#award-year", "2026")
    page.select_option("#award-value", "over-1000000")
    submit_and_wait(page)
    assert gates.axe_violations(page) == []
    # the links shown without JavaScript, in the same page
    page.evaluate("document.getElementById('award-filter-links').hidden = false")
    assert gates.axe_violations(page) == []
    assert page.errors == []


def test_the_award_table_serves_supplier_and_department_pages_too(demo, lists):  # noqa: F811 (a fixture)
    """Organisation pages reuse the table without the column that would repeat the organisation."""
    pw = lists.facet_of("department", PW)
    env = pages.make_environment({**TEMPLATES, "t.html": (
        '{% from "_awards.html" import award_table %}'
        '{{ award_table(rows, "Awards", show_department=False, show_suppliers=False) }}')}, "en")
    env.globals["site"] = demo[0]
    html = pages.render(env, "t.html", "buyers/x/index.html", rows=pw.rows)
    page = BeautifulSoup(html, "lxml")
    assert [th.get_text() for th in page.select("thead th")] == ["What", "Amount", "Date", "Method", "Bidders"]
    assert [tr.td.get_text() for tr in page.select("tbody tr")] == [title(e) for e in pw.rows]
    assert not page.select("tbody#award-rows, tr[data-department]")  # filter data only where a script reads it
    assert page.select_one("tbody a")["href"] == "../../" + routes.relative_url("index.html", pw.rows[0].process.path)


def test_remembered_formats_tell_equal_values_apart():
    """Amounts and dates are formatted once (an award is in ten lists), but equal values that read
    differently are not mixed up."""
    env = pages.make_environment({}, "en")
    utc = dt.datetime(2026, 1, 1, 3, 0, tzinfo=dt.UTC)
    assert env.filters["date"](utc, "medium") == "Jan 1, 2026"
    assert env.filters["date"](utc.astimezone(TZ), "medium") == "Dec 31, 2025"  # the same instant
    assert env.filters["number"](Decimal(1)) == "1" and env.filters["number"](Decimal("1.5")) == "1.5"
    assert env.filters["money"](Money(Decimal("5.5"), "USD")) == "$5.50"
    assert env.filters["money"](Money(Decimal("5.50"), "EUR")) == "€5.50"


_AMOUNTS = st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-10**9, max_value=10**9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.tuples(st.just("money"), _AMOUNTS, st.sampled_from(["USD", "EUR", "JPY"])),
                          st.tuples(st.just("number"), st.one_of(st.integers(-10**7, 10**7), _AMOUNTS))), max_size=40),
       st.sampled_from(["en", "es", "fr"]))
def test_the_value_tables_remembered_numbers_read_as_babel_writes_them(calls, language):
    """figures.Words remembers what it formatted (an organization's value tables repeat counts and
    amounts), never giving a value another's text: the same amount in two currencies, 1 and 1.0,
    5.5 and 5.50, asked for again and again in any order, read as Babel writes each."""
    locale = Locale.parse(language)
    words = figures.Words(locale)
    for _ in range(2):  # the second time, from what it remembers
        for kind, value, *currency in calls:
            if kind == "money":
                assert words.money(value, *currency) == formats.money_text(Money(value, *currency), locale)
            else:
                assert words.number(value) == format_decimal(value, locale=locale)
