"""Red flags on pages: a process's page says which questions its data raises, with the definition
and a link to it; the performance page defines each kind, counts and lists the processes raising it,
each linked to its page; the CSV holds every flag. On hand-made processes and on the demo."""

from __future__ import annotations

import csv
import io
import posixpath

import pytest
from bs4 import BeautifulSoup
from test_flags import amended, direct, proc, usd

from generator import routes
from generator.inputs import folder
from generator.publish import flag_table, pages
from generator.site import flags
from generator.site.assemble import build_site

from test_model import SETTINGS, TODAY

TEMPLATES = folder.read_templates(folder.builtin_templates_dir().parent)
PERFORMANCE = routes.listing_path("performance-flags")


@pytest.fixture(scope="module")
def built():
    records = [proc("single", bidders=1), amended("grown", usd(1000), usd(1500)),
               *(direct(f"d{n}", f"2025-0{n}-10T10:00:00-05:00") for n in (4, 5, 6)),
               *(proc(f"many{n:03}", bidders=1) for n in range(flags.LISTED + 2))]
    site = build_site(records, SETTINGS, TODAY, ())
    renderer = pages.Renderer(site, TEMPLATES)

    def page(template, path, **context):
        return BeautifulSoup(renderer.page(template, path, **context).data.decode(), "lxml")

    return site, page


def process_page(built, ocid):
    site, page = built
    p = next(p for p in site.processes if p.ocid == f"ocds-test01-{ocid}")
    return page("process.html", p.path, process=p, calendar="", record=""), p


def resolve(from_path, href):
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), href))


def test_a_process_page_asks_its_question_with_the_definition_and_a_link_to_the_list(built):
    html, p = process_page(built, "single")
    section = html.select_one('section[aria-labelledby="flags"]')
    assert section.h2.get_text() == "Questions this data raises"
    text = section.get_text(" ", strip=True)
    assert "Only one bid was received although the procedure was open to all." in text
    assert "a question, not a finding" in text and "Cardinal indicator R018" in text
    link = section.select_one('a[href$="#flag-single-bid"]')
    assert resolve(p.path, link["href"].split("#")[0]) + "/index.html" == PERFORMANCE


def test_a_large_amendment_states_both_values_and_the_increase(built):
    html, _ = process_page(built, "grown")
    text = html.select_one('section[aria-labelledby="flags"]').get_text(" ", strip=True)
    assert "is now worth $1,500, 50% more than the $1,000 awarded." in text
    assert "more than 25% above the value of its award" in text


def test_a_repeated_purchase_names_the_others_with_links(built):
    html, p = process_page(built, "d5")
    section = html.select_one('section[aria-labelledby="flags"]')
    assert "Parks bought from One Co without competition 3 times between" in section.get_text(" ", strip=True)
    others = [resolve(p.path, a["href"]) for a in section.select("li > a")]
    assert [o.split("/")[-1].split("_")[0] for o in others] == ["ocds-test01-d4", "ocds-test01-d6"]


def test_a_process_without_flags_has_no_section(built):
    site, page = built
    quiet = build_site([proc("two", bidders=2)], SETTINGS, TODAY, ()).processes[0]
    assert page("process.html", quiet.path, process=quiet, calendar="", record="").select_one("#flags") is None


def test_the_performance_page_defines_counts_and_lists_each_kind(built):
    site, page = built
    html = page("performance-flags.html", PERFORMANCE, part="performance-flags")
    kinds = {s["id"]: s for s in html.select("#flags section[id^=flag-]")}
    assert list(kinds) == ["flag-single-bid", "flag-short-period", "flag-large-amendment", "flag-repeated-direct-awards"]
    single = kinds["flag-single-bid"]
    said = single.get_text(" ", strip=True)
    assert f"{flags.LISTED + 3} of the {flags.LISTED + 3} processes checked raise this question." in said
    assert "1 more could not be checked: its data lacks the number of bids." in said  # "grown" publishes none
    rows = single.select("tbody tr")
    assert len(rows) == flags.LISTED and "And 3 more, listed in the CSV." in single.get_text(" ", strip=True)
    first = rows[0].select_one("th a")["href"]
    assert resolve(PERFORMANCE, first).startswith("processes/ocds-test01-")
    assert "None of the" in kinds["flag-short-period"].get_text(" ", strip=True)
    repeated = kinds["flag-repeated-direct-awards"]
    assert len(repeated.select("tbody tr")) == 3 and "within 365 days" in repeated.get_text(" ", strip=True)
    download = html.select_one('#flags a[download]')["href"]
    assert resolve(PERFORMANCE, download) == routes.performance_file("flags")


def test_the_csv_holds_every_flag_with_its_facts(built):
    site, _ = built
    data = flag_table.flag_csv(site.flags, str, lambda path: path).decode()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == len(site.flags) == flags.LISTED + 3 + 1 + 3
    grown = next(r for r in rows if r["Flag"] == "large-amendment")
    assert (grown["Award value"], grown["Value now"], grown["Currency"], grown["Increase (%)"]) == ("1000", "1500", "USD", "50.0")
    d4 = next(r for r in rows if r["Process ID (ocid)"] == "ocds-test01-d4")
    assert (d4["Purchases in the run"], d4["First purchase"], d4["Last purchase"], d4["Supplier"]) == (
        "3", "2025-04-10", "2025-06-10", "One Co")


def test_on_the_demo_each_flag_links_to_its_process_and_each_process_page_shows_its_flags(demo_site, demo_view):
    performance = BeautifulSoup((demo_site / PERFORMANCE).read_text("utf-8"), "lxml")
    listed = {resolve(PERFORMANCE, a["href"]) + "/index.html" for a in performance.select("#flags tbody th a")}
    assert (demo_site / routes.performance_file("flags")).is_file()
    assert {f.path for k in demo_view.flag_kinds for f in k.shown} == listed
    flagged = [p for p in demo_view.processes if p.flags]
    assert flagged, "the demo raises at least one flag"
    for p in flagged:
        html = BeautifulSoup((demo_site / p.path).read_text("utf-8"), "lxml")
        assert len(html.select('section[aria-labelledby="flags"] ul.flags > li')) == len(p.flags)
        for f in p.flags:
            assert html.select_one(f'section[aria-labelledby="flags"] a[href$="#{f.anchor}"]')
