"""The search index made word by word (publish.search_index) is the index lunr.py makes: the same
postings, term numbers, weights and order, so lunr.js reads it the same. Checked against
lunr.py's own Builder on generated documents, in each of the site's ways of reading words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lunr import lunr
from lunr.index import Index

from generator.inputs import folder
from generator.publish import search_index, search_language

LIBRARIES = folder.browser_libraries()
FIELDS = [("title", 10), ("text", 1)]
LANGUAGES = ("en", "es", "fr")  # lunr's English steps; Spanish stop words and stemmer; neither

# Words that exercise every step: stop words in both languages, stems, accents, punctuation the
# trimmer takes off, hyphens and no-break spaces lunr splits on, and tabs and newlines.
WORDS = ["the", "and", "de", "la", "para", "servicios", "servicio", "limpieza", "licitación", "Licitacion",
         "vehículos", "running", "runs", "contracts", "contract", "(paving)", "road-works", "año", "Ñandú",
         "İstanbul", "ﬁle", "x", "2026", "ocds-a1b2-000001", "'quoted'", "e\u0301", "日本"]
SEPARATORS = [" ", "  ", "\t", "\n", "\xa0", "-", " - "]


def reference(documents: list[dict], code: str, digits: int) -> dict:
    """What lunr.py builds and serialises, with the weights rounded as the site rounds them."""
    builder = search_language.analyzer(code, LIBRARIES).builder()
    index = lunr(ref="ref", fields=[{"field_name": name, "boost": boost} for name, boost in FIELDS],
                 documents=documents, builder=builder).serialize()
    index["fieldVectors"] = [[key, [round(x, digits) if i % 2 else x for i, x in enumerate(vector)]]
                             for key, vector in index["fieldVectors"]]
    return index


def made(documents: list[dict], code: str, digits: int) -> dict:
    builder = search_language.analyzer(code, LIBRARIES).builder()
    return search_index.serialized_index(documents, "ref", FIELDS, builder.pipeline, builder.search_pipeline, digits)


text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=12).map(
    lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(st.tuples(text, text), min_size=1, max_size=8), code=st.sampled_from(LANGUAGES),
       digits=st.sampled_from([1, 3]))
def test_the_index_is_the_one_lunr_py_makes(titles, code, digits):
    documents = [{"ref": format(n, "x"), "title": title, "text": body} for n, (title, body) in enumerate(titles)]
    assert made(documents, code, digits) == reference(documents, code, digits)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_word_seen_again_gives_the_same_terms_and_weights(code):
    # The second document repeats the first's words: their terms come from memory, their weights
    # from the counts, and the index still loads and finds both.
    documents = [{"ref": "a", "title": "Servicios de limpieza", "text": "limpieza limpieza vehículos"},
                 {"ref": "b", "title": "Limpieza de calles", "text": "Servicios - servicios"}]
    built = made(documents, code, 3)
    assert built == reference(documents, code, 3)
    hits = Index.load(built).search("limpieza")
    assert {hit["ref"] for hit in hits} == {"a", "b"}


def test_no_documents_is_the_empty_index_lunr_js_loads():
    built = made([], "es", 1)
    assert built["fieldVectors"] == [] and built["invertedIndex"] == []
    assert built["version"] == "2.3.9" and built["fields"] == ["title", "text"]
    assert built["pipeline"] == ["stemmer-es", "foldAccents"]
    assert Index.load(built).search("limpieza") == []
