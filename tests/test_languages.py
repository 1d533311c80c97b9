"""One build, every language: the first at the root, each other under its folder (es/), with the
same paths inside it; lang on every page, hreflang alternates that point at each other, a switcher
that keeps the page, the sitemap's alternates, the shared files written once."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import icalendar
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from generator import pipeline, routes
from generator.inputs import catalogues
from generator.inputs.parsing import GuideFile
from generator.site.guides import in_language, parse_guide

REPO = Path(__file__).resolve().parent.parent


def pages_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "lxml")


def resolve(page: str, href: str) -> str:
    """The output path a relative link from `page` leads to (a folder's index.html)."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
    return target + "/index.html" if href.endswith("/") or href in ("", "./") else target


def test_the_demo_is_built_in_english_and_spanish(demo_site):
    english = {p for p in pages_of(demo_site) if not p.startswith("es/")}
    spanish = pages_of(demo_site / "es")
    assert english - {"404.html"} == spanish, "every page but the 404 page is in both languages"
    assert len(spanish) > 300


def test_every_page_says_its_language_and_links_to_itself_in_the_other(demo_site):
    for path in sorted(pages_of(demo_site / "es"))[::7]:
        for page, lang in ((path, "en"), ("es/" + path, "es")):
            html = soup(demo_site, page)
            assert html.html["lang"] == lang, page
            links = {a["hreflang"]: resolve(page, a["href"]) for a in html.select('link[rel=alternate][hreflang]')}
            assert links == {"en": path, "es": "es/" + path}, page
            switcher = html.select_one("nav.languages")
            other = "es" if lang == "en" else "en"
            link = switcher.select_one(f'a[hreflang="{other}"]')
            assert resolve(page, link["href"]) == links[other], f"{page}: the switcher keeps the page"
            assert [a["hreflang"] for a in switcher.select("a")] == [other], "it offers the other language"


def test_shared_files_are_written_once_and_linked_from_both_languages(demo_site):
    assert not (demo_site / "es" / "static").exists()
    assert (demo_site / "es" / "data" / "index.html").is_file(), "the data page is in both languages"
    assert not [p for p in (demo_site / "es" / "data").rglob("*") if p.is_file() and p.name != "index.html"]
    assert not list((demo_site / "es" / "processes").rglob("record.json"))
    page = "es/opportunities/index.html"
    css = soup(demo_site, page).select_one('link[rel=stylesheet]')["href"]
    assert resolve(page, css) == "static/site.css"
    data = soup(demo_site, "es/data/index.html")
    downloads = [a["href"] for a in data.select("a[href]") if a["href"].endswith(".json.gz")]
    assert downloads and all((demo_site / resolve("es/data/index.html", h)).is_file() for h in downloads)
    assert all(not resolve("es/data/index.html", h).startswith("es/") for h in downloads)


def test_feeds_calendars_and_search_exist_in_each_language(demo_site):
    for name in ("feeds/opportunities.atom", "feeds/awards.atom", "calendars/open-deadlines.ics",
                 "search/current.json"):
        assert (demo_site / name).is_file() and (demo_site / "es" / name).is_file(), name
    feed = feedparser.parse((demo_site / "es" / "feeds" / "opportunities.atom").read_bytes())
    assert not feed.bozo and feed.entries
    assert all("/contracts/es/" in e.link for e in feed.entries), "a Spanish feed links to the Spanish pages"


def _english_labels() -> set[str]:
    """The labels that open a line of a feed or calendar in English ("Bids due:"), from the
    catalogue's message ids, less those Spanish writes the same way."""
    with open(REPO / "generator/locales/es/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    return {m.id.split(":")[0] + ":" for m in catalogue if isinstance(m.id, str)
            if re.match(r"^[A-Z][A-Za-z ]+: %\(", m.id) and m.string.split(":")[0] != m.id.split(":")[0]}


def test_spanish_feeds_and_calendars_parse_and_speak_spanish(demo_site):
    english = _english_labels()
    assert {"Bids due:", "Department:", "Reference:"} <= english
    feeds = sorted((demo_site / "es" / "feeds").rglob("*.atom"))
    calendars = sorted((demo_site / "es" / "calendars").rglob("*.ics")) + sorted(
        (demo_site / "es" / "processes").glob("*/calendar.ics"))
    assert len(feeds) > 3 and len(calendars) > 3
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, path
        assert feed.feed.get("language") == "es" or "xml:lang=\"es\"" in path.read_text("utf-8"), path
        lines = [line for e in feed.entries for line in e.get("summary", "").splitlines()]
        assert not [x for x in lines if x.split(":")[0] + ":" in english], path
    spanish = 0
    for path in calendars:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        for event in calendar.walk("VEVENT"):
            text = str(event.get("DESCRIPTION", "")).splitlines() + [str(event["SUMMARY"])]
            assert not [x for x in text if x.split(":")[0] + ":" in english], (path, text)
            spanish += any(x.startswith(("Fecha límite", "Referencia:", "Termina el contrato:")) for x in text)
    assert spanish, "the Spanish calendars' events are written in Spanish"
    summary = feedparser.parse((demo_site / "es/feeds/opportunities.atom").read_bytes()).entries[0].summary
    assert "Referencia:" in summary


def test_the_sitemap_lists_both_languages_with_their_alternates(demo_site):
    xml = BeautifulSoup((demo_site / "sitemap.xml").read_text("utf-8"), "xml")
    entries = xml.find_all("url")
    locs = [u.loc.text for u in entries]
    assert any("/contracts/es/opportunities/" == urlsplit(x).path for x in locs)
    for entry in entries:
        alternates = {a["hreflang"]: a["href"] for a in entry.find_all("link")}
        assert set(alternates) == {"en", "es"} and entry.loc.text in alternates.values()
        assert alternates["es"].replace("/contracts/es/", "/contracts/", 1) == alternates["en"]


def test_a_translated_guide_replaces_the_original_and_a_missing_one_falls_back():
    english = [parse_guide(GuideFile(f"content/{n}.md", f"---\ntitle: {n} in English\norder: {o}\n---\nText.\n"))[0]
               for n, o in (("bidding", 1), ("certified", 2))]
    spanish = parse_guide(GuideFile("content/es/bidding.md", "---\ntitle: Cómo licitar\norder: 9\n---\nTexto.\n"))[0]
    assert spanish.language == "es" and english[0].language == ""
    shown = in_language(tuple(english), (spanish,), "es")
    assert [g.title for g in shown] == ["Cómo licitar", "certified in English"]
    assert [g.fallback for g in shown] == [False, True]
    assert shown[0].path == english[0].path and shown[0].order == 1


def test_the_spanish_guide_page_says_when_it_is_shown_in_english(demo_site):
    for path in sorted((demo_site / "es" / "guides").glob("*/index.html")):
        page = soup(demo_site, path.relative_to(demo_site).as_posix())
        article = page.select_one("article.guide")
        if article.get("lang") == "en":
            assert page.select_one(".status-note"), path
        else:
            assert "lang" not in article.attrs and not page.select_one("main .status-note"), path


def test_a_language_is_refused_without_a_catalogue_and_accepted_with_one():
    assert catalogues.available()[0] == "en" and "es" in catalogues.available()
    assert catalogues.catalogue_name("es-MX") == "es" and catalogues.catalogue_name("en-US") is None
    assert catalogues.catalogue_name("tlh") == ""
    with pytest.raises(LookupError):
        catalogues.read_translations("tlh")


def test_in_language_keeps_shared_files_at_the_root():
    assert routes.in_language("awards/index.html", "es/") == "es/awards/index.html"
    assert routes.in_language("data/index.html", "es/") == "es/data/index.html"
    for shared in ("static/site.css", "data/ocds-release-package.json.gz", "processes/x/record.json", "sitemap.xml"):
        assert routes.in_language(shared, "es/") == shared
    assert routes.in_language("awards/index.html", "") == "awards/index.html"
    base = routes.SiteURL.parse("https://city.example/c").in_language("es/")
    assert base.absolute("awards/index.html") == "https://city.example/c/es/awards/"
    assert base.absolute("static/site.css") == "https://city.example/c/static/site.css"


def test_the_message_catalogue_is_up_to_date_with_the_code():
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "messages.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_settings_language_list_builds_one_language_without_a_switcher(tmp_path):
    from conftest import copy_source

    source = copy_source(tmp_path, with_data=False)
    yml = source / "content" / "site.yml"
    yml.write_text(yml.read_text("utf-8").replace("languages: [en, es]", "languages: [en]"), "utf-8")
    settings = pipeline.settings_for(source)
    pipeline.build(source, tmp_path / "out", settings, settings.today)
    assert not (tmp_path / "out" / "es").exists()
    page = soup(tmp_path / "out", "index.html")
    assert not page.select("nav.languages") and not page.select("link[hreflang]")


def test_a_spanish_todo_is_a_word_not_a_placeholder():
    text = "---\ntitle: Guía\n---\nTodo proveedor puede licitar.\n\nTODO: escribir esto.\n"
    guide, problems = parse_guide(GuideFile("content/es/guia.md", text))
    assert "Todo proveedor puede licitar." in guide.html
    assert "escribir" not in guide.html and [p.code for p in problems] == ["guide-placeholder"]


PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|\{[a-z_]+\}")


@pytest.mark.parametrize("language", catalogues.available()[1:])
def test_every_catalogue_is_complete_and_keeps_the_placeholders(language):
    """No untranslated or fuzzy message (each is listed), and each translation has the message's
    placeholders, which the pages fill in."""
    with open(catalogues._root() / catalogues.catalogue_name(language) / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    with open(REPO / "generator" / "locales" / "messages.pot", "rb") as f:
        template = read_po(f)
    missing = [m.id for m in template if m.id and catalogue.get(m.id, context=m.context) is None]
    untranslated = [m.id for m in catalogue if m.id and (m.fuzzy or not m.string or not all(m.string))]
    assert not missing and not untranslated, f"to translate in {language}: {missing + untranslated}"
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        pairs = zip(m.id, m.string, strict=False) if isinstance(m.id, tuple) else [(m.id, m.string)]
        wrong += [m.id for source, text in pairs if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))]
    assert not wrong, f"placeholders changed in {language}: {wrong}"


def _english_messages() -> tuple[set[str], list[re.Pattern]]:
    """The English catalogue's messages that Spanish writes otherwise: whole texts, and patterns
    for those with placeholders ("Bids due %(date)s")."""
    with open(REPO / "generator/locales/es/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    whole, patterns = set(), []
    for m in catalogue:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for english in ids:
            if not english or english in strings:
                continue
            parts = re.split(r"%\([a-z_]+\)s|\{[a-z_]+\}|%s", english)
            if len(parts) == 1:
                whole.add(" ".join(english.split()))
            elif sum(len(p.strip()) for p in parts) >= 12 and all(len(p.strip()) >= 4 or not p.strip() for p in parts):
                patterns.append(re.compile(r"(?:^|\b)" + r".+?".join(re.escape(p) for p in parts) + r"(?:\b|$)"))
    return whole, patterns


def _spanish_texts(page: BeautifulSoup) -> list[str]:
    """What a Spanish page says in its own words: its text and the attributes people hear or see,
    less the data's text marked as another language (lang="en")."""
    for other in page.select("[lang]:not(html)"):
        if not other["lang"].startswith("es"):
            other.decompose()
    for hidden in page.select("script, style, code, pre"):
        hidden.decompose()
    texts = [" ".join(s.split()) for s in page.stripped_strings]
    texts += [" ".join(el[a].split()) for a in ("aria-label", "placeholder", "title", "alt")
              for el in page.select(f"[{a}]")]
    texts += [v for el in page.select("[data-kinds], [data-stages]") for k, v in el.attrs.items()
              if k.startswith("data-") and isinstance(v, str) and not v.startswith(("{", "[", ".", "/"))]
    return [t for t in texts if t]


def test_no_english_words_of_the_site_are_left_on_spanish_pages(demo_site):
    import gates
    whole, patterns = _english_messages()
    assert "Open for bids" in whole and patterns
    left = {}
    for kind, path in gates.page_kinds(demo_site).items():
        if "?" in path or path == "404.html":
            continue
        texts = _spanish_texts(soup(demo_site, "es/" + path))
        found = [t for t in texts if t in whole or any(p.search(t) for p in patterns)]
        if found:
            left[kind] = found[:5]
    assert left == {}


def test_a_script_gets_a_message_for_every_plural_category_of_the_language():
    from types import SimpleNamespace

    from generator.publish.languages import languages_of, plural_examples, plural_forms
    spanish = languages_of(SimpleNamespace(languages=("en", "es"), timezone="America/Chicago"),
                           {"es": catalogues.read_translations("es")})[1]
    forms = json.loads(plural_forms(spanish, "closes in %(n)s day", "closes in %(n)s days", n="{n}"))
    assert forms["one"] == "cierra en {n} día" and forms["other"] == "cierra en {n} días"
    assert set(forms) == set(plural_examples(spanish.locale)) >= {"one", "other"}
    from babel import Locale
    assert set(plural_examples(Locale("pl"))) == {"one", "few", "many", "other"}  # Intl.PluralRules' categories
