"""Words a first-time bidder understands: links and abbreviations in the data's free text, the
glossary, where to submit, certification programs, guide placeholders, and the opportunity page's
first screen (issue 17, parts 2 and 3)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from test_demo_site import soup

from generator import routes
from generator.inputs.parsing import GuideFile
from generator.inputs.settings import CertificationProgram
from generator.labels import as_words
from generator.publish.prose import Explainer
from generator.site import words
from generator.site.guides import parse_guide
from generator.site.tender_details import Goal
from generator.values import tel, web_addresses

SLBE = words.Term("SLBE", "Small Local Business Enterprise", "Local small firms.")
UNSPSC = words.Term("UNSPSC", "United Nations Standard Products and Services Code", ours=True)


def explain(text, seen=None, terms=(SLBE, UNSPSC)):
    return str(Explainer(terms)(text, set() if seen is None else seen))


def test_web_addresses_in_free_text_become_links_and_nothing_else_does():
    html = explain('Submit at https://city.example/ebid. See (http://a.example/x_(1)), '
                   'javascript:alert(1) <script>x</script> ftp://files.example/a mailto:a@b.example')
    links = [a["href"] for a in BeautifulSoup(html, "lxml").find_all("a")]
    assert links == ["https://city.example/ebid", "http://a.example/x_(1)"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:alert(1)" in html and "ftp://files.example/a" in html  # as text
    # an address cannot break out of its attribute
    html = explain('https://x.example/"onmouseover="alert(1)')
    assert BeautifulSoup(html, "lxml").a.attrs == {"href": "https://x.example/"}


def test_an_abbreviation_is_written_out_where_a_page_first_uses_it():
    seen: set[str] = set()
    first = explain("Certified SLBE firms get a preference.", seen)
    again = explain("An SLBE must apply; SLBE-2 and XSLBE are not it.", seen)
    assert first == ('Certified <abbr title="Small Local Business Enterprise">SLBE</abbr> '
                     '(Small Local Business Enterprise) firms get a preference.')
    assert again.count("<abbr") == 1 and "(Small Local" not in again
    # not written out twice when the text already does
    assert "(Small Local" not in explain("Small Local Business Enterprise (SLBE) firms")


def test_terms_come_from_the_citys_programs_the_schemes_used_and_common_words():
    from generator import pipeline

    from conftest import REPO
    settings = pipeline.settings_for(REPO)
    found = words.terms(settings, ["UNSPSC", "CITY-LOCAL"], {"UNSPSC": "United Nations Standard Products and "
                                                              "Services Code", "CPV": "Common Procurement Vocabulary"})
    shorts = [t.short for t in found]
    assert shorts[:len(settings.certification_programs)] == [p.abbreviation for p in settings.certification_programs]
    assert "UNSPSC" in shorts and "CPV" not in shorts and "CITY-LOCAL" not in shorts  # only schemes used and named
    assert {"RFP", "ITB"} <= set(shorts) and len(shorts) == len(set(shorts))


def test_a_goal_finds_the_citys_program_by_code_abbreviation_or_name():
    programs = (CertificationProgram("SLBE", "Small Local Business Enterprise", "x", codes=("LOCAL-SB",)),
                CertificationProgram("WBE", "Women-owned Business Enterprise", "y"))
    assert words.program_of(Goal("LOCAL-SB", "Local small business"), programs).abbreviation == "SLBE"
    assert words.program_of(Goal("", "women-owned business enterprise"), programs).abbreviation == "WBE"
    assert words.program_of(Goal("WBE", "Whatever"), programs).abbreviation == "WBE"
    assert words.program_of(Goal("MBE", "Minority-owned"), programs) is None


@pytest.mark.parametrize("urls, methods, electronic, expected", [
    (("https://a.example/bid",), (), "", ("https://a.example/bid",)),  # the notice's own address first
    ((), (), "", ("https://city.example/ebid",)),
    ((), ("electronicSubmission",), "", ("https://city.example/ebid",)),
    ((), ("written",), "", ()),  # paper only: no online link
    ((), (), "notAllowed", ()),
])
def test_where_to_submit_falls_back_to_the_citys_e_bidding_system(urls, methods, electronic, expected):
    assert words.submit_links(urls, methods, electronic, "https://city.example/ebid") == expected
    assert words.submit_links(urls, methods, electronic, "") == urls


def test_telephone_and_address_helpers():
    assert tel("+1-555-0142") == "tel:+15550142"
    assert tel("(555) 010-2020 ext. 204") == "tel:5550102020;ext=204"
    assert tel("call the front desk") == "" and tel("12") == ""
    assert web_addresses("See https://a.example/x. And https://a.example/x, again") == ("https://a.example/x",)
    assert as_words("bestValueToGovernment") == "Best value to government"


def test_a_guide_block_with_template_text_is_left_out_with_a_warning_naming_its_line():
    text = ("---\ntitle: Certification\n---\nIntro.\n\n> **[[ city_name ]]:** The city fills in its program.\n\n"
            "Call us. TODO: add the number\n\n```\n{{ example }}\n```\n\nThe end.\n")
    guide, problems = parse_guide(GuideFile("content/certified.md", text))
    assert [(p.code, p.location.file, p.location.line, p.severity) for p in problems] == [
        ("guide-placeholder", "content/certified.md", 6, "warning"),
        ("guide-placeholder", "content/certified.md", 8, "warning")]
    assert "[[ city_name ]]" in problems[0].message
    assert "fills in" not in guide.html and "TODO" not in guide.html
    assert "Intro." in guide.html and "The end." in guide.html and "{{ example }}" in guide.html  # code is kept


def test_no_placeholder_ships_in_the_demo_guides(demo_site):
    from generator.site.guides import PLACEHOLDER
    for page in (demo_site / "guides").rglob("index.html"):
        text = BeautifulSoup(page.read_text("utf-8"), "lxml").main.get_text()
        assert not PLACEHOLDER.search(text), page
        assert "fills in its own" not in text


def glance(page):
    return {d.get_text(strip=True): d.find_next_sibling("dd") for d in page.select(".key-facts dt")}


def test_most_open_bids_link_where_to_submit(demo_view):
    linked = [p for p in demo_view.open_now if demo_view.submit_links(p)]
    assert len(linked) > len(demo_view.open_now) / 2


def test_every_open_bid_answers_the_bidders_questions_first(demo_site, demo_view):
    for process in demo_view.open_now:
        page = soup(demo_site, process.path)
        facts = glance(page)
        assert list(facts)[:2] == ["Submission deadline", "How to submit"], process.ocid
        links = [a["href"] for a in facts["How to submit"].select("a")]
        assert links == list(demo_view.submit_links(process)), process.ocid
        assert links or process.submission_methods, process.ocid  # paper only: says how, without a link
        assert "Who to ask" in facts and "Who can bid" in facts
        assert facts["Who to ask"].select("a[href^='mailto:']")
        registration = demo_view.settings.vendor_registration
        assert facts["Who can bid"].select_one(f"a[href='{registration.url}']")
        # the method sentence never claims equal treatment next to a stated preference
        who = page.select_one("#who").find_parent("section").get_text(" ")
        assert "evaluated the same way" not in who


def test_abbreviations_are_explained_on_first_use_and_listed_in_the_glossary(demo_site, demo_view):
    slbe = next(p for p in demo_view.open_now if "SLBE" in p.award_criteria_details + p.eligibility)
    main = soup(demo_site, slbe.path).main
    abbrs = main.select("abbr[title]")
    assert {"SLBE", "UNSPSC"} <= {a.get_text() for a in abbrs}
    first = next(a for a in abbrs if a.get_text() == "SLBE")
    assert first.next_sibling.startswith(" (Small Local Business Enterprise)")
    assert main.get_text().count("(Small Local Business Enterprise)") == 1
    glossary = soup(demo_site, routes.guide_path("glossary"))
    terms = {d.abbr.get_text(): d.get_text() for d in glossary.select("dl.glossary dt")}
    assert "Small Local Business Enterprise" in terms["SLBE"]
    assert "United Nations Standard Products and Services Code" in terms["UNSPSC"]


def test_addenda_timeline_and_what_changed_say_things_in_words(demo_site, demo_view):
    with_addendum = [p for p in demo_view.processes if any(d.addendum for d in p.documents)]
    assert with_addendum
    for process in with_addendum:
        page = soup(demo_site, process.path)
        for d in process.documents:
            if d.addendum:
                item = next(li for li in page.select("ul.documents li") if d.title in li.get_text())
                assert "(Addendum" in item.get_text()
    release_ids = {e.release_id for p in demo_view.processes for e in p.timeline if e.release_id}
    raw = re.compile(r"“(active|complete|cancelled|unsuccessful|planned|planning|withdrawn)”")
    for process in demo_view.processes:
        main = soup(demo_site, process.path).main
        timeline = main.select_one("ul.timeline").get_text(" ")
        assert not any(r in timeline for r in release_ids if len(r) > 3), process.ocid
        assert not raw.search(main.get_text()), process.ocid


def test_forecasts_show_the_expected_month_not_a_time(demo_site, demo_view):
    forecast = next(p for p in demo_view.forecasts if p.deadline)
    dd = glance(soup(demo_site, forecast.path))["Expected deadline"]
    assert dd.time["datetime"] == forecast.deadline.strftime("%Y-%m")
    assert dd.get_text(" ", strip=True) == f"{forecast.deadline:%B %Y} (expected)"
