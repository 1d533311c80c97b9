"""How the search index reads words in each language (publish.search_language): Spanish stems
and stop words, accents folded, and the same steps in lunr.js (checked in Node against the very
scripts the site ships)."""

from __future__ import annotations

import json
import re
import subprocess
from types import SimpleNamespace

import orjson
import pytest
from lunr.index import Index

from generator.inputs import folder
from generator.publish import search, search_language
from generator.publish.languages import languages_of

from conftest import REPO

LIBRARIES = folder.browser_libraries()


def test_fold_drops_accents_and_other_marks_only():
    assert search_language.fold("Licitación pública, año, pingüino") == "Licitacion publica, ano, pinguino"
    assert search_language.fold("Ŝtato Ørsted 東京") == "Stato Ørsted 東京"  # a letter of its own stays


@pytest.mark.parametrize("text", ["plain ascii", "tabs\tand\x00controls~", "", "licitación", "Ñandú", "e\u0301",
                                  "İstanbul", "ﬁle", "Ωmega", "日本", "a\u20ddb"])
def test_fold_takes_no_shortcut_that_changes_a_word(text):
    import unicodedata

    def reference(t):  # search.js fold: NFD, every mark dropped
        return "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.category(c).startswith("M"))
    assert search_language.fold(text) == reference(text)


def test_spanish_reads_its_stop_words_from_the_script_the_browser_loads():
    spanish = search_language.analyzer("es-MX", LIBRARIES)
    assert spanish.stemmer == "stemmer-es"
    assert {"de", "la", "para", "está"} <= spanish.stop_words and "licitación" not in spanish.stop_words
    assert search_language.scripts("es") == ("lunr.stemmer.support.min.js", "lunr.es.min.js")
    assert set(search_language.scripts("es")) <= set(folder.BROWSER_LIBRARIES)


def test_a_language_without_a_stemmer_still_folds_accents():
    french = search_language.analyzer("fr", LIBRARIES)  # no lunr-languages file pinned for it
    assert french.stemmer == "" and french.stop_words == frozenset()
    assert french.builder().search_pipeline.serialize() == ["foldAccents"]
    assert search_language.scripts("fr") == ()


def spanish_index(*titles: str) -> Index:
    spanish = search_language.analyzer("es", LIBRARIES)
    built = search._index([search.Document(str(n), "current", {"title": t}, ("opportunity",))
                           for n, t in enumerate(titles)], spanish, {"opportunity": "Oportunidad"})
    return Index.load(built)


@pytest.mark.parametrize("query", ["licitación", "licitacion", "licitaciones", "LICITACIÓN"])
def test_a_spanish_word_is_found_with_or_without_its_accent_and_in_the_plural(query):
    index = spanish_index("Licitación de servicios de limpieza", "Compra de vehículos")
    assert [hit["ref"] for hit in index.search(search_language.fold(query.lower()))] == ["0"]


def test_spanish_stop_words_are_not_indexed():
    index = spanish_index("Servicios de limpieza para la biblioteca")
    assert "de" not in index.inverted_index and "la" not in index.inverted_index
    assert "limpieza" in index.inverted_index and "bibliotec" in index.inverted_index  # word and stem


def test_the_spanish_shards_label_nothing_and_index_the_kind_in_spanish(tmp_path):
    from test_search import AWARDED, site_of
    site = site_of(("ocds-test01-old", AWARDED))
    spanish = languages_of(SimpleNamespace(languages=("en", "es"), timezone="America/Chicago"),
                           {"es": _catalogue("es")})[1]
    artifacts, _ = search.build_shards(site, language=spanish, libraries=LIBRARIES)
    shard = orjson.loads(next(a.data for a in artifacts if a.path.endswith("/suppliers.json")))
    index = Index.load(shard["index"])
    assert index.search("proveedor"), "a visitor finds suppliers by the Spanish word for them"
    assert shard["docs"][0][0] == "supplier"  # the kind as a code, labelled by the page
    current = orjson.loads(next(a.data for a in artifacts if a.path.endswith("archive-2024.json")))
    assert current["docs"][0][3] == "awarded" and current["docs"][0][4] == "2 abr 2024" and current["docs"][0][5] == "$1,200"  # es_US


def _catalogue(code: str):
    from generator.inputs import catalogues
    return catalogues.read_translations(code)


NODE_STEMS = """
const lunr = require(process.argv[1] + '/lunr/lunr.js');
require(process.argv[1] + '/lunr-languages/lunr.stemmer.support.js')(lunr);
require(process.argv[1] + '/lunr-languages/lunr.es.js')(lunr);
const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(words.map(w => lunr.es.stemmer(new lunr.Token(w)).toString())));
"""


def test_the_browser_stems_spanish_as_the_index_does():
    """Every word of the Spanish guides: lunr-languages' stemmer (the browser) and lunr.py's (the
    build) agree, so a query's stem meets the index's."""
    from lunr.pipeline import Pipeline
    from lunr.token import Token
    words = sorted({w.lower() for guide in (REPO / "content" / "es").glob("*.md")
                    for w in re.findall(r"[^\W\d_]{3,}", guide.read_text("utf-8"))})
    assert len(words) > 500
    done = subprocess.run(["node", "-e", NODE_STEMS, str(REPO / "node_modules")], input=json.dumps(words),
                          capture_output=True, text=True, check=True)
    browser = json.loads(done.stdout)
    stem = Pipeline.registered_functions["stemmer-es"]
    build = [str(stem(Token(w))) for w in words]
    differ = [(w, b, p) for w, b, p in zip(words, browser, build, strict=True) if b != p]
    assert differ == []


def test_demo_spanish_search_page_loads_the_spanish_scripts(demo_site):
    html = (demo_site / "es" / "search" / "index.html").read_text("utf-8")
    scripts = search_language.scripts("es")
    assert all(f"static/{s}" in html for s in scripts)
    assert html.index("lunr.min.js") < html.index(scripts[0]) < html.index(scripts[1]) < html.index("search.js")
    assert all((demo_site / "static" / s).is_file() for s in scripts)
    assert "lunr.es.min.js" not in (demo_site / "search" / "index.html").read_text("utf-8")

