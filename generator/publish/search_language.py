"""How the search index reads words in each language: the same steps in lunr.py, which builds the
index, and lunr.js, which reads the visitor's query (static/search.js). Pure.

Indexing: trim punctuation, drop the language's stop words, keep each word as written and as its
stem (the stem finds "servicio" for "servicios"; the word as written keeps a typo one edit away
from it), then fold accents off both ("licitacion" finds "licitación"). The query's words are folded
in the browser before they are stemmed, so the index's search pipeline is the stemmer then the fold.

The stemmers are lunr.py's language support (NLTK's Snowball stemmers, registered as
"stemmer-<code>") and, in the browser, lunr-languages' (the same Snowball algorithms, registered
under the same names). The stop words are read from the lunr-languages file the browser loads, so
the two lists cannot drift. A language with neither (no pinned lunr-languages file) is indexed
without stemming or stop words: accents are still folded, and typos and prefixes still match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import lunr.languages  # noqa: F401 - registers lunr.py's "stemmer-<code>" functions (with NLTK)
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stop_word_filter import generate_stop_word_filter, stop_word_filter
from lunr.trimmer import trimmer

# The lunr-languages scripts (in the site's static/, pinned in inputs.folder.BROWSER_LIBRARIES)
# a language's search page loads after lunr.js, in order.
SCRIPTS = {"es": ("lunr.stemmer.support.min.js", "lunr.es.min.js")}
STOP_WORDS = re.compile(r"""generateStopWordFilter\((["'])(.*?)\1\.split\(\s*(["'])\s\3\s*\)""", re.S)
FOLD = "foldAccents"


def fold(text: str) -> str:
    """`text` without its accents and other combining marks ("licitación" → "licitacion"), as
    search.js `fold` writes it: NFD, then every mark (Unicode category M) dropped. ASCII has no
    marks and NFD leaves it as it is, so most words (a seventh of the index's time) skip both."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M"))


def fold_accents(token, i=None, tokens=None):
    return token.update(lambda text, metadata=None: fold(text))


Pipeline.register_function(fold_accents, FOLD)


@dataclass(frozen=True)
class Analyzer:
    code: str  # the language's primary subtag: "en", "es"
    stop_words: frozenset[str] | None  # None: lunr's English list
    stemmer: str  # the registered name of its stemmer, "" for none

    def builder(self) -> Builder:
        built = Builder()
        stems = Pipeline.registered_functions[self.stemmer] if self.stemmer else None
        steps = [trimmer]
        if self.stop_words is None:
            steps.append(stop_word_filter)
        elif self.stop_words:
            steps.append(_stop_word_filter(self.stop_words, self.code))
        if stems:
            steps.append(_word_and_stem(stems, self.code))
        steps.append(fold_accents)
        built.pipeline.add(*steps)
        built.search_pipeline.add(*([stems] if stems else []), fold_accents)
        return built


@cache
def _stop_word_filter(words: frozenset[str], code: str):
    """lunr.py's filter of these stop words, registered once (as "stopWordFilter-<code>")."""
    return generate_stop_word_filter(sorted(words), language=code)


REMEMBERED_WORDS = 1 << 18


@cache
def _word_and_stem(stems, code: str):
    """Each word as written and as its stem (the stem finds "servicio" for "servicios"; the word
    as written keeps a typo one edit away from it)."""
    remembered: dict[str, str] = {}  # a word's stem: Snowball's stemming was most of the index's time

    def word_and_stem(token, i, tokens):
        word = str(token)
        stem = remembered.get(word)
        if stem is None:
            stem = str(stems(token.clone(), i, tokens))
            if len(remembered) < REMEMBERED_WORDS:
                remembered[word] = stem
        return [token, token.clone(lambda _, __: stem)] if stem != word else token
    Pipeline.register_function(word_and_stem, f"wordAndStem-{code}")
    return word_and_stem


def analyzer(language: str, libraries: dict[str, bytes]) -> Analyzer:
    """How the index of a site in `language` (a tag: "es", "es-MX") reads words, given the site's
    browser libraries (name → bytes), whose lunr-languages file holds the language's stop words."""
    code = language.split("-")[0].lower()
    if code == "en":
        return Analyzer("en", None, "stemmer")
    scripts = SCRIPTS.get(code, ())
    words = stop_words(libraries.get(scripts[-1], b"")) if scripts else frozenset()
    stemmer = f"stemmer-{code}"
    return Analyzer(code, words, stemmer if words and stemmer in Pipeline.registered_functions else "")


def stop_words(script: bytes) -> frozenset[str]:
    """The stop words a lunr-languages script gives lunr.generateStopWordFilter ("" if none)."""
    found = STOP_WORDS.search(script.decode("utf-8", "replace"))
    return frozenset(found.group(2).split()) if found else frozenset()


def scripts(language: str) -> tuple[str, ...]:
    """The lunr-languages scripts a search page in `language` loads after lunr.js, in order."""
    return SCRIPTS.get(language.split("-")[0].lower(), ())
