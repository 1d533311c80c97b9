"""A serialised lunr index, as lunr.py's `lunr(...).serialize()` writes it, made without lunr.py's
per-word bookkeeping. Pure.

lunr.py (the reference, and what the browser's lunr.js reads) makes a Token object for every word
of every document, passes it through every step of the pipeline, then builds each field's
vector by sorted insertion and a token set it never serialises: most of the search index's build
time for a big city. Here the same steps give the same bytes, faster:

- words are split where lunr.py's Tokenizer splits them (lowercased, on whitespace, no-break
  space and hyphen);
- each distinct word goes through the pipeline once: the pipeline's steps (trimmer, stop words,
  stemmer, accent folding) read a word alone, never its neighbours, so a word always gives the
  same terms;
- postings, term numbers, BM25 weights (lunr's k1 1.2 and b 0.75, with its idf that counts a
  document once per field holding the term) and their rounding are lunr.py's, in its order.

tests/test_search_index.py checks the output against lunr.py's on generated documents.
"""

from __future__ import annotations

import math
import re

from lunr import __TARGET_JS_VERSION__
from lunr.pipeline import Pipeline
from lunr.token import Token

SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")  # lunr.tokenizer.SEPARATOR_CHARS
K1, B = 1.2, 0.75  # lunr.Builder's defaults
WEIGHT_DIGITS = 3  # lunr.Builder rounds each weight to 3 digits
REMEMBERED_WORDS = 1 << 19
NO_METADATA: dict = {}  # what a posting holds of a document (no metadata is whitelisted); shared, never changed


def serialized_index(documents: list[dict], ref: str, fields: list[tuple[str, float]], pipeline: Pipeline,
                     search_pipeline: Pipeline, digits: int = WEIGHT_DIGITS) -> dict:
    """`lunr(ref, fields, documents, builder=...).serialize()` for a builder with these pipelines,
    with the weights rounded to `digits` (lunr.py's 3, or fewer). `fields`: (name, boost), in
    order; each document's field values are text (None for none)."""
    terms_of: dict[tuple[str, str], list[str]] = {}
    postings: dict[str, dict] = {}  # term → {field: {ref: {}}, ..., "_index": n}
    frequencies: list[tuple[str, str, int, dict[str, int]]] = []  # field, "field/ref", length, term counts
    names = [name for name, _ in fields]
    length_sums = dict.fromkeys(names, 0)
    for document in documents:
        doc_ref = str(document[ref])
        for name in names:
            counts: dict[str, int] = {}
            length = 0
            value = document[name]
            for word in SEPARATORS.split(str(value).lower()) if value is not None else ():
                if not word:
                    continue
                terms = terms_of.get((name, word))
                if terms is None:
                    terms = [str(t) for t in pipeline.run([Token(word, {})], name)]
                    if len(terms_of) < REMEMBERED_WORDS:
                        terms_of[name, word] = terms
                for term in terms:
                    length += 1
                    if term in counts:
                        counts[term] += 1
                        continue
                    counts[term] = 1
                    posting = postings.get(term)
                    if posting is None:
                        posting = postings[term] = {field: {} for field in names}
                        posting["_index"] = len(postings) - 1
                    posting[name][doc_ref] = NO_METADATA
            frequencies.append((name, f"{name}/{doc_ref}", length, counts))
            length_sums[name] += length
    average = {name: length_sums[name] / len(documents) for name in names} if documents else {}
    boosts = dict(fields)
    idf: dict[str, float] = {}
    vectors = []
    for name, key, length, counts in frequencies:
        elements = []
        norm = K1 * (1 - B + B * (length / average[name])) if counts else 0.0  # lunr divides only for a term
        for term, tf in counts.items():
            posting = postings[term]
            if term not in idf:
                idf[term] = _idf(posting, names, len(documents))
            score = idf[term] * ((K1 + 1) * tf) / (norm + tf) * boosts[name]
            elements.append((posting["_index"], round(score, WEIGHT_DIGITS)))
        elements.sort()
        vectors.append([key, [x for index, score in elements
                              for x in (index, score if digits == WEIGHT_DIGITS else round(score, digits))]])
    return {"version": __TARGET_JS_VERSION__, "fields": names, "fieldVectors": vectors,
            "invertedIndex": [[term, postings[term]] for term in sorted(postings)],
            "pipeline": search_pipeline.serialize()}


def _idf(posting: dict, names: list[str], documents: int) -> float:
    """lunr.idf: a document holding the term in two fields counts twice."""
    holding = sum(len(posting[name]) for name in names)
    return math.log(1 + abs((documents - holding + 0.5) / (holding + 0.5)))
