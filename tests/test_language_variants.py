"""The data in two languages: OCDS language variants ("title_es", "description_es-MX") shown on the
pages, feeds and search of their language; elsewhere the original, marked with its language and,
on the process page, a visible "(in English)"."""

from __future__ import annotations

import json

import feedparser
import orjson
from bs4 import BeautifulSoup

from generator import pipeline
from generator.site.texts import Name, language_tag, pick, variants

from conftest import copy_source, release

SPANISH = {"title": "Roof repair at the library", "title_es": "Reparación del techo de la biblioteca",
           "description": "Replace the roof.", "description_es-MX": "Reemplazar el techo."}


def test_variants_are_read_by_tag_and_checked():
    tender = {"title": "Roof", "title_es": "Techo", "title_es-MX": "Techo (MX)", "title_fr": "Toit",
              "title_xx-bogus-": "no", "title_es-US": "", "titleDetails": "not a variant"}
    assert variants(tender, "title", ("es",)) == (("es", "Techo"), ("es-MX", "Techo (MX)"))
    assert variants(tender, "title", ()) == ()
    assert language_tag("es_mx") == "es-MX"


def test_a_page_takes_the_exact_tag_else_the_same_language():
    found = (("es", "Techo"), ("es-MX", "Techo (MX)"))
    assert pick(found, "es-MX") == ("es-MX", "Techo (MX)")
    assert pick(found, "es") == ("es", "Techo") and pick(found, "es-AR") == ("es", "Techo")
    assert pick(found, "fr") is None and pick((), "es") is None
    only_regional = (("es-MX", "Techo (MX)"),)
    assert pick(only_regional, "es") == ("es-MX", "Techo (MX)")


def test_a_name_in_a_language_carries_its_tag_and_an_untranslated_one_is_itself():
    name = Name("Roof", variants=(("es", "Techo"),))
    assert name.in_language("es") == Name("Techo", "es")
    assert name.in_language("en") is name


def build(tmp_path, *releases):
    source = copy_source(tmp_path, with_data=False)
    (source / "ocds_data").mkdir()
    (source / "ocds_data" / "releases.json").write_text(json.dumps(
        {"uri": "https://example.com/p.json", "publishedDate": "2026-11-01T09:00:00Z", "version": "1.1",
         "publisher": {"name": "City"}, "releases": list(releases)}), "utf-8")
    settings = pipeline.settings_for(source)
    out = tmp_path / "out"
    pipeline.build(source, out, settings, settings.today)
    return out


def page(out, ocid: str, prefix: str = "") -> BeautifulSoup:
    folder = next((out / prefix / "processes").glob(ocid.lower() + "*"))
    return BeautifulSoup((folder / "index.html").read_text("utf-8"), "lxml")


def test_spanish_pages_feeds_and_search_show_the_variants_and_mark_the_rest(tmp_path):
    deadline = {"tenderPeriod": {"startDate": "2026-11-01T09:00:00-06:00", "endDate": "2027-06-01T14:00:00-05:00"}}
    translated = release(ocid="ocds-aldrpt-X-1", tender={"id": "t1", "status": "active", **SPANISH, **deadline})
    english = release(ocid="ocds-aldrpt-X-2", tender={"id": "t2", "status": "active", "title": "Snow plowing",
                                                      "description": "Plow the streets.", **deadline})
    untitled = release(ocid="ocds-aldrpt-X-3", tender={"id": "ocds-aldrpt-X-3", "status": "active", **deadline})
    out = build(tmp_path, translated, english, untitled)

    es = page(out, "ocds-aldrpt-X-1", "es")
    assert es.h1.get_text(" ", strip=True) == SPANISH["title_es"]
    assert "Reemplazar el techo." in es.select_one("#what").find_parent("section").get_text()
    assert not es.select("h1 [lang]") and not es.select(".in-language")

    en = page(out, "ocds-aldrpt-X-1")  # the English page keeps the original
    assert en.h1.get_text(" ", strip=True) == SPANISH["title"] and not en.select(".in-language")

    fallback = page(out, "ocds-aldrpt-X-2", "es")
    assert fallback.select_one("h1 [lang=en]").get_text() == "Snow plowing"
    assert fallback.select_one("h1 .in-language").get_text() == "(en inglés)"
    what = fallback.select_one("#what").find_parent("section")
    assert what.select_one("[lang=en]").get_text() == "Plow the streets." and "(en inglés)" in what.get_text()

    listing = BeautifulSoup((out / "es" / "opportunities" / "index.html").read_text("utf-8"), "lxml")
    titles = {a.get_text(strip=True): a for a in listing.select("main a[href*='processes/']")}
    assert SPANISH["title_es"] in titles and "Snow plowing" in titles
    assert titles["Snow plowing"].find(attrs={"lang": "en"}) or titles["Snow plowing"].find_parent(attrs={"lang": "en"})

    feed = feedparser.parse((out / "es" / "feeds" / "opportunities.atom").read_bytes())
    assert {e.title for e in feed.entries} == {SPANISH["title_es"], "Snow plowing",
                                               "Proceso de contratación ocds-aldrpt-X-3"}
    assert any("Reemplazar el techo." in e.summary for e in feed.entries)
    english_feed = feedparser.parse((out / "feeds" / "opportunities.atom").read_bytes())
    assert {e.title for e in english_feed.entries} == {SPANISH["title"], "Snow plowing",
                                                       "Contracting process ocds-aldrpt-X-3"}

    shard = orjson.loads((out / "es" / "search" / "current.json").read_bytes())
    assert {SPANISH["title_es"], "Proceso de contratación ocds-aldrpt-X-3"} <= {doc[1] for doc in shard["docs"]}
    english_shard = orjson.loads((out / "search" / "current.json").read_bytes())
    assert SPANISH["title"] in [doc[1] for doc in english_shard["docs"]]
