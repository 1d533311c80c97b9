"""The search index: lunr.py indexes built at build time, split into shards that lunr.js in the
browser loads only when it needs them. Pure: view model in, artifacts out.

Shards, each `{"index": <serialised lunr index>, "docs": {ref: [kind, title, path, status, date,
value, department]}}`, one set per language (the kind and status as codes, which the search page
labels in its language; the date and value as its pages write them):

- `search/current.json`: open bids and forecasts, departments and guides. It is all a visitor
  downloads before the first result for an opportunity, so it holds only what is current.
- `search/suppliers.json`: suppliers, fetched after the first results.
- `search/archive-<year>.json`: awards and closed solicitations by year (of the award, else the
  deadline, else the last update), searched when the visitor includes them; otherwise fetched
  after the results are shown, within a budget, to say how many more results they hold.
- `search/references-<n>.json`: exact references (ocid, the tender's, awards' and contracts'
  identifiers), normalised, split by a hash of the reference into files of about
  REFERENCES_PER_FILE; the browser fetches the one file a reference-like query needs
  (`{"refs": {reference: [doc, ...]}, "docs": [...]}`), so a process is found by its reference
  whichever shard holds it and whatever the visitor chose to include.

The current shard names the archive's shards with their document counts (the browser counts what
the archive would add to a search, within a budget) and the reference files.

Titles are boosted. Current documents index their description; archive documents index title,
department, suppliers, categories, ocid and tender id (descriptions of twenty years of awards
would make the archive many times larger for little gain: residents search it by supplier,
department and title).
"""

from __future__ import annotations

import gzip
import html
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import orjson
from babel import Locale

from generator import routes
from generator.artifact import Artifact
from generator.inputs.page_index import Entry
from generator.labels import N_
from generator.publish import formats
from generator.publish.languages import Language, default_language
from generator.publish.page_keys import digest_of
from generator.publish.search_index import serialized_index
from generator.publish.search_language import Analyzer, analyzer
from generator.site.assemble import Site
from generator.site.organizations import Organization
from generator.site.process import OPEN, Process
from generator.workers import in_order

# Two fields keep the index small (lunr stores a vector per field per document): the title,
# boosted, and everything else.
FIELDS = [("title", 10), ("text", 1)]
SCORE_DIGITS = 1  # of the serialised term weights (lunr.py writes 3): 12% smaller, same ranking in practice
KINDS = ("opportunity", "award", "supplier", "department", "guide")
CURRENT, SUPPLIERS, UNDATED = "current", "suppliers", "archive-undated"
REFERENCES = "references-"  # the references files' names: references-0, references-1, ...
REFERENCES_PER_FILE = 1000  # about 30 KB gzipped a file
SHARED_REFERENCE = 3  # an identifier held by more processes ("award-1", "1") is no reference to look up


@dataclass(frozen=True)
class Document:
    ref: str
    shard: str
    fields: dict[str, str]  # what lunr indexes
    show: tuple  # [kind, title, path, status, date, value, department]: what a result shows
    references: tuple[str, ...] = ()  # identifiers a visitor may type exactly (a process's)


@dataclass(frozen=True)
class Shard:
    name: str
    path: str
    documents: int
    size: int  # bytes
    gzipped: int  # bytes gzipped as a web server sends it (REPORTED_GZIP_LEVEL), for the build's report


# The level web servers gzip at as they send (Apache's default; nginx's is lower): the size a
# visitor downloads. Level 9 (gzip's default) took a fifth of the search index's time for a size
# within 5% of this.
REPORTED_GZIP_LEVEL = 6


# What the index holds of each kind of result, as words a visitor may type ("supplier",
# "proveedor"): the kind's label in the page's language (search.html labels the results with them).
KIND_WORDS = {"opportunity": N_("Opportunity"), "award": N_("Award"), "supplier": N_("Supplier"),
              "department": N_("Department"), "guide": N_("Guide")}


def _process_document(p: Process, language: Language) -> Document:
    locale, title = language.locale, language.name_of(p.name)
    awards = p.active_awards
    kind = "award" if awards else "opportunity"
    suppliers = [s.name for a in awards for s in a.suppliers]
    if p.is_opportunity:
        shard, date = CURRENT, p.deadline
    else:
        date = next((a.date for a in awards if a.date), None) or p.deadline or p.last_updated
        shard = f"archive-{date.year}" if date else UNDATED
    value = next((a.value for a in awards if a.value), None) if awards else p.value
    department = p.buyer.name if p.buyer else ""
    fields = {"title": title, "org": " ".join([department, *suppliers]),
              "category": " ".join(f"{c.name} {c.code}" for c in p.categories),
              "body": p.description if p.is_opportunity else "", "ocid": " ".join(dict.fromkeys(filter(None, (p.ocid, p.tender_id)))),
              # the agreement an order is placed under, and an agreement's orders: found by either's name
              "related": " ".join(dict.fromkeys(str(n.name) for n in (*p.relations.agreements, *p.relations.call_offs)))}
    show = (kind, title, _folder(p.path), p.stage, formats.date_text(date, locale),
            formats.money_text(value, locale) if value else "", department,
            # an open bid's deadline: past it, the visitor's clock shows it closed (search.js stage)
            p.deadline.isoformat() if p.stage == OPEN and p.deadline else "")
    references = (p.ocid, p.tender_id, *(a.id for a in p.awards), *(c.id for c in p.contracts),
                  *(n.link.identifier for n in p.relations.agreements if not n.in_data))  # a cooperative contract's number
    return Document(p.ocid, shard, fields, show, tuple(dict.fromkeys(r for r in map(reference, references) if r)))


def reference(value: str) -> str:
    """An identifier as the browser compares it (search.js `reference`): NFKC, lower case, dashes
    as "-", spaces collapsed, quotes around it dropped; "" unless it could only be a reference (at
    least five characters with a digit: not a word, not a year)."""
    value = unicodedata.normalize("NFKC", value).lower()
    value = " ".join(DASHES.sub("-", value).split()).strip(QUOTES).strip()
    return value if len(value) >= 5 and DIGIT.search(value) else ""


DASHES = re.compile("[\u2010-\u2015\u2212]")
DIGIT = re.compile("[0-9]")  # ASCII digits only, as search.js tests them
QUOTES = "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb"


def reference_file(value: str, files: int) -> int:
    """Which references file holds a normalised reference: FNV-1a (32 bits) of its UTF-8, modulo
    the number of files (search.js computes the same)."""
    h = 0x811C9DC5
    for byte in value.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % files


def _reference_files(docs: list[Document]) -> list[tuple[bytes, int]]:
    """The references files (at least one): each reference with the results it finds."""
    holders: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        for r in d.references:
            holders[r].append(d)
    kept = {r: found for r, found in holders.items() if len(found) <= SHARED_REFERENCE}
    files = [({}, {}) for _ in range(max(1, math.ceil(len(kept) / REFERENCES_PER_FILE)))]
    for r in sorted(kept):
        refs, positions = files[reference_file(r, len(files))]
        refs[r] = [positions.setdefault(d.ref, len(positions)) for d in kept[r]]
    by_ref = {d.ref: d for d in docs}
    return [(orjson.dumps({"refs": refs, "docs": [by_ref[ref].show for ref in positions]}), len(positions))
            for refs, positions in files]


def _folder(path: str) -> str:
    """A page's address as links write it: its folder ("processes/x/"), not ".../index.html"."""
    return path.removesuffix("index.html")


def _org_document(org: Organization, kind: str, locale: Locale) -> Document:
    totals = "; ".join(formats.money_text(m, locale) for m in org.totals)
    fields = {"title": org.name, "org": "", "category": " ".join(org.certifications), "body": "", "ocid": org.key}
    return Document(f"{kind}:{org.key}", CURRENT if kind == "department" else SUPPLIERS, fields,
                    (kind, org.name, _folder(org.path), org.scale, "", totals, ""))


def documents(site: Site, language: Language | None = None) -> list[Document]:
    """Every result, in `language` (the site's first when not given): its formats, and the data's
    texts in it where the data publishes them."""
    language = language or default_language(site.settings)
    locale = language.locale
    docs = [_process_document(p.in_language(language.code), language) for p in site.processes]
    docs += [_org_document(o, "department", locale) for o in site.buyers]
    docs += [_org_document(o, "supplier", locale) for o in site.suppliers]
    docs += [Document(f"guide:{g.name}", CURRENT,
                      {"title": g.title, "org": "", "category": "", "body": f"{g.summary} {plain_text(g.html)}",
                       "ocid": ""},
                      ("guide", g.title, _folder(g.path), "", "", "", "")) for g in site.guides]
    return docs


TAG = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """A guide's words without its HTML (the guide was sanitised when it was read)."""
    return " ".join(html.unescape(TAG.sub(" ", markup)).split())


def _ref(n: int) -> str:
    """A document's reference in its shard: its position, in base 36 (short: refs repeat in
    every vector and posting)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _build_shard(_, item: tuple[str, list[Document], dict, Analyzer, dict]) -> tuple[str, bytes]:
    """One shard: the index, and what each result shows (`docs[parseInt(ref, 36)]`); the current
    shard also names the archive's shards (newest year first, with their document counts) and the
    references files."""
    name, docs, more, reads, kinds = item
    data = {"index": _index(docs, reads, kinds), "docs": [d.show for d in docs]}
    return name, orjson.dumps(data | more)


def _index(docs: list[Document], reads: Analyzer, kinds: dict[str, str]) -> dict:
    builder = reads.builder()  # its pipelines: lunr.py's steps, which search_index runs word by word
    return serialized_index([
        {"ref": _ref(n), "title": d.fields["title"],  # the kind ("supplier") is searchable, and no text is empty
         "text": " ".join([kinds[d.show[0]], *(d.fields[k] for k in ("org", "category", "body", "ocid", "related")
                                                if d.fields.get(k))])}
        for n, d in enumerate(docs)], "ref", FIELDS, builder.pipeline, builder.search_pipeline, SCORE_DIGITS)


def shard_order(names) -> list[str]:
    """current, suppliers, then the archive newest year first."""
    archive = sorted((n for n in names if n.startswith("archive-") and n != UNDATED), reverse=True)
    archive += [UNDATED] if UNDATED in names else []
    return [n for n in (CURRENT, SUPPLIERS) if n in names] + archive


def build_shards(site: Site, workers: int = 1, language: Language | None = None,
                 libraries: dict[str, bytes] | None = None, base: bytes | None = None,
                 kept: Mapping[str, Entry] | None = None) -> tuple[list[Artifact], list[Shard]]:
    """Every shard (current and suppliers always exist, even empty) and the references files, in
    `language` (the site's first when not given): its dates and money, its kinds' words, and its
    stemming and stop words (search_language; the stop words from `libraries`, the site's browser
    libraries). Shards are built in forked workers when there are several: lunr.py takes most of
    a minute for 100,000 documents.

    With `base` (page_keys.base_of: the digest of the code, settings and language every page is
    made from), each shard's index carries the digest of what it is made from (Artifact.key); one
    whose digest is the one the previous build made it from (`kept`, by output path) is not built
    again but taken from the previous site (write): a changed process changes its year's shard."""
    language = language or default_language(site.settings)
    reads = analyzer(language.code, libraries or {})
    kinds = {kind: language.gettext(word) for kind, word in KIND_WORDS.items()}
    groups: dict[str, list[Document]] = defaultdict(list, {CURRENT: [], SUPPLIERS: []})
    every = documents(site, language)
    for doc in every:
        groups[doc.shard].append(doc)
    names = shard_order(groups)
    archive = [n for n in names if n.startswith("archive-")]
    references = _reference_files(every)
    reference_names = [f"{REFERENCES}{n}" for n in range(len(references))]
    about = {"archive": [routes.search_shard_path(n) for n in archive], "archiveDocs": [len(groups[n]) for n in archive],
             "references": [routes.search_shard_path(n) for n in reference_names]}
    items = [(name, groups[name], about if name == CURRENT else {}, reads, kinds) for name in names]
    keys = _keys(items, base, libraries or {})
    previous = [_previous(kept, language.path(routes.search_shard_path(name)), key) for (name, *_), key in
                zip(items, keys, strict=True)]
    todo = [item for item, entry in zip(items, previous, strict=True) if entry is None]
    if sum(len(item[1]) for item in todo) < PARALLEL_FROM:
        workers = 1
    made = iter(in_order(_build_shard, todo, None, workers))
    artifacts, shards = [], []
    for item, key, entry in zip(items, keys, previous, strict=True):
        name, path = item[0], routes.search_shard_path(item[0])
        if entry is None:
            data = next(made)[1]
            artifacts.append(Artifact(path, data, key=(key, ()) if key else None))
            shards.append(_shard(name, len(item[1]), data))
        else:  # made from what the previous build's was: linked from the previous site, or else made again
            artifacts.append(Artifact(path, previous=entry.stamp, key=(key, ()),
                                      stream=lambda item=item: (_build_shard(None, item)[1],)))
            shards.append(Shard(name, path, len(item[1]), entry.stamp.size, entry.gzipped))
    for name, (data, count) in zip(reference_names, references, strict=True):
        artifacts.append(Artifact(routes.search_shard_path(name), data))
        shards.append(_shard(name, count, data))
    return artifacts, shards


def _shard(name: str, documents: int, data: bytes) -> Shard:
    return Shard(name, routes.search_shard_path(name), documents, len(data),
                 len(gzip.compress(data, compresslevel=REPORTED_GZIP_LEVEL, mtime=0)))


def _keys(items: list[tuple], base: bytes | None, libraries: dict[str, bytes]) -> list[bytes | None]:
    """Each shard's digest: of the pages' base, the browser libraries (the stop words) and the
    shard's name, documents, links to the others and kinds' words; None without `base`."""
    if base is None:
        return [None] * len(items)
    salt = digest_of((base, sorted(libraries.items())))
    return [digest_of((salt, name, [(d.ref, d.fields, d.show) for d in docs], more, kinds))
            for name, docs, more, _, kinds in items]


def _previous(kept: Mapping[str, Entry] | None, path: str, key: bytes | None) -> Entry | None:
    """What the previous build made the shard at `path` from, when it is what it is made from now."""
    entry = kept.get(path) if kept and key else None
    return entry if entry is not None and entry.key == key else None


PARALLEL_FROM = 5000
