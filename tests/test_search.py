"""Search: the documents lunr indexes, how they are split into shards, the references files, and
the search page without JavaScript (test_search_browser.py tries it in Chromium)."""

from __future__ import annotations

import gzip

import orjson
import pytest
from lunr.index import Index
from test_demo_site import soup

from generator import routes
from generator.publish import search
from generator.site.assemble import build_site

from conftest import REPO
from test_model import SETTINGS, TODAY, record, tender


def site_of(*compiled_by_ocid):
    return build_site([record(ocid, compiled) for ocid, compiled in compiled_by_ocid], SETTINGS, TODAY, ())


AWARDED = {"tender": tender(status="complete", end="2024-03-01T14:00:00-06:00"),
           "awards": [{"id": "a1", "status": "active", "date": "2024-04-02T10:00:00-05:00",
                       "value": {"amount": 1200, "currency": "USD"}, "suppliers": [{"id": "S", "name": "Acme Roofing"}]}],
           "parties": [{"id": "S", "name": "Acme Roofing", "roles": ["supplier"]}]}


def test_documents_go_to_the_shard_a_visitor_needs_first():
    site = site_of(("ocds-test01-open", {"tender": tender(title="Roof repair", description="Fix the library roof")}),
                   ("ocds-test01-old", AWARDED))
    docs = {d.ref: d for d in search.documents(site)}
    current = docs["ocds-test01-open"]
    assert current.shard == "current"
    assert current.fields["title"] == "Roof repair" and current.fields["body"] == "Fix the library roof"
    assert current.show[0] == "opportunity" and current.show[3] == "open"  # a code: the page labels it
    assert current.show[4] == "Nov 20, 2026"  # the deadline, as the pages write a date (date('medium'))
    old = docs["ocds-test01-old"]
    assert old.shard == "archive-2024"  # the award's year
    assert old.show[0] == "award" and old.show[4] == "Apr 2, 2024" and old.show[5] == "$1,200"
    assert "Acme Roofing" in old.fields["org"]
    assert old.fields["body"] == ""  # the archive indexes no descriptions
    supplier = docs["supplier:S"]
    assert supplier.shard == "suppliers" and supplier.show[:2] == ("supplier", "Acme Roofing")


def test_an_empty_shard_is_an_index_that_finds_nothing():
    artifacts, shards = search.build_shards(site_of(("ocds-test01-open", {"tender": tender()})))
    suppliers = next(a for a in artifacts if a.path == "search/suppliers.json")
    assert Index.load(orjson.loads(suppliers.data)["index"]).search("anything") == []
    assert [s.documents for s in shards] == [2, 0, 1]  # current (the process and the glossary), suppliers, references


@pytest.mark.parametrize("typed, expected", [
    ("ocds-aldrpt-2026-WU-0012", "ocds-aldrpt-2026-wu-0012"),
    ("  \u201cOCDS-aldrpt\u20132026-WU-0012\u201d ", "ocds-aldrpt-2026-wu-0012"),  # pasted with quotes and an en dash
    ("RFP  2024\t001", "rfp 2024 001"),
    ("\uff29\uff34\uff22-26-FD-006", "itb-26-fd-006"),  # full-width letters (NFKC)
    ("2024", ""), ("roofing", ""), ("a-1", ""),  # a year, a word, too short: not references
])
def test_a_reference_is_compared_as_the_browser_compares_it(typed, expected):
    assert search.reference(typed) == expected


def test_references_find_their_process_in_one_file_whatever_its_shard():
    awarded = {**AWARDED, "tender": {**AWARDED["tender"], "id": "ITB-24-PW-001"},
               "contracts": [{"id": "C-24-PW-001", "awardID": "a1"}]}
    shared = [(f"ocds-test01-s{n}", {"tender": tender(id="RFP-2026-07")}) for n in range(2)]
    common = [(f"ocds-test01-c{n}", {"tender": tender(id="BID-0001")}) for n in range(search.SHARED_REFERENCE + 1)]
    site = site_of(("ocds-test01-open", {"tender": tender(title="Janitorial services", id="ITB-26-GS-014")}),
                   ("ocds-test01-old", awarded), *shared, *common)
    artifacts, _ = search.build_shards(site)
    (refs,) = [orjson.loads(a.data) for a in artifacts if "references" in a.path]

    def found(typed):
        return [refs["docs"][n][1] for n in refs["refs"].get(search.reference(typed), [])]

    assert found("ocds-test01-open") == found(" itb-26-GS-014") == ["Janitorial services"]
    assert found("ITB-24-PW-001") == found("c-24-pw-001") == found("ocds-test01-old") == ["Work"]  # an archived award
    assert len(found("RFP-2026-07")) == 2  # two processes share a bid number: both are found
    assert found("BID-0001") == []  # held by more than SHARED_REFERENCE processes: a pattern, not a reference
    assert "roofing" not in refs["refs"] and "t" not in refs["refs"]


def test_references_are_split_into_files_the_browser_finds_by_hash(monkeypatch):
    monkeypatch.setattr(search, "REFERENCES_PER_FILE", 2)
    site = site_of(*[(f"ocds-test01-{n:04}", {"tender": tender(id=f"ITB-26-{n:03}")}) for n in range(7)])
    artifacts, shards = search.build_shards(site)
    files = {a.path: orjson.loads(a.data) for a in artifacts if "references" in a.path}
    current = orjson.loads(next(a for a in artifacts if a.path == "search/current.json").data)
    assert current["references"] == [f"search/references-{n}.json" for n in range(7)] == list(files)
    for n in range(7):
        for typed in (f"ocds-test01-{n:04}", f"ITB-26-{n:03}"):
            ref = search.reference(typed)
            holder = files[current["references"][search.reference_file(ref, 7)]]
            assert holder["refs"][ref] and holder["docs"][holder["refs"][ref][0]][1] == "Work"
    assert search.reference_file("ocds-aldrpt-2026-wu-0012", 2**32) == 0x8F6DABBE  # FNV-1a, as search.js computes it


def test_guides_are_indexed_by_their_words():
    assert search.plain_text("<h2>Get &amp; stay</h2><p>certified <em>now</em></p>") == "Get & stay certified now"


def test_shards_are_valid_lunr_indexes_in_a_fixed_order():
    site = site_of(("ocds-test01-open", {"tender": tender(title="Janitorial services")}),
                   ("ocds-test01-old", AWARDED))
    artifacts, shards = search.build_shards(site)
    assert [s.name for s in shards] == ["current", "suppliers", "archive-2024", "references-0"]
    by_path = {a.path: orjson.loads(a.data) for a in artifacts}
    current = by_path["search/current.json"]
    assert current["archive"] == ["search/archive-2024.json"] and current["archiveDocs"] == [1]
    assert current["references"] == ["search/references-0.json"]
    index = Index.load(current["index"])
    (hit,) = index.search("janitorial")
    assert current["docs"][int(hit["ref"], 36)][1] == "Janitorial services"
    # stems find other forms of a word; the words as written stay for one-typo matches
    assert index.search("janitorials")
    terms = {term for term, _ in current["index"]["invertedIndex"]}
    assert {"janitori", "janitorial"} <= terms
    archive = Index.load(by_path["search/archive-2024.json"]["index"])
    assert archive.search("acme")
    for shard, artifact in zip(shards, artifacts, strict=True):
        assert shard.size == len(artifact.data) and shard.gzipped == len(gzip.compress(artifact.data, 6, mtime=0))
    again, _ = search.build_shards(site)
    assert [a.data for a in again] == [a.data for a in artifacts]  # deterministic


def test_the_demo_search_page_works_without_javascript_as_a_signpost(demo_site):
    page = soup(demo_site, "search/index.html")
    assert "Search needs JavaScript" in page.select_one("#search-needs-js").get_text()
    for target in ("opportunities/", "awards/", "suppliers/", "guides/"):
        assert any(a["href"].endswith(target) for a in page.select("#search-needs-js a"))
    assert (demo_site / "static" / "lunr.min.js").read_bytes() == (REPO / "node_modules/lunr/lunr.min.js").read_bytes()
    header = soup(demo_site, "index.html").select_one("form[role=search]")
    assert header["action"] == "search/" and header.select_one("input[name=q]")


def test_the_search_page_is_in_the_sitemap_and_links_resolve(demo_site):
    assert routes.listing_path("search") == "search/index.html"
    assert (demo_site / "search" / "current.json").is_file()


def test_a_shard_made_from_what_the_last_build_made_it_from_is_taken_from_the_last_site():
    from generator.artifact import Stamp
    from generator.inputs.page_index import Entry

    site = site_of(("ocds-test01-open", {"tender": tender(title="Janitorial services")}),
                   ("ocds-test01-old", AWARDED))
    built, shards = search.build_shards(site, base=b"base")
    assert search.build_shards(site)[0][0].key is None  # without a base, nothing is keyed
    keyed = {a.path: a for a in built if a.key is not None}
    assert set(keyed) == {s.path for s in shards if not s.name.startswith(search.REFERENCES)}
    kept = {a.path: Entry(*a.key, Stamp(len(a.data), 1, 2), gzipped=n)
            for n, a in enumerate(keyed.values(), 1)}
    again, again_shards = search.build_shards(site, base=b"base", kept=kept)
    for artifact, shard in zip(again, again_shards, strict=True):
        if artifact.path in kept:  # linked while its file has the stamp, else made as before
            assert artifact.previous == kept[artifact.path].stamp and artifact.key == keyed[artifact.path].key
            assert b"".join(artifact.chunks()) == keyed[artifact.path].data
            assert (shard.size, shard.gzipped) == (kept[artifact.path].stamp.size, kept[artifact.path].gzipped)
    # A changed award changes its year's shard (and the references), not the others.
    changed = site_of(("ocds-test01-open", {"tender": tender(title="Janitorial services")}),
                      ("ocds-test01-old", {**AWARDED, "tender": tender(title="Roof", status="complete",
                                                                        end="2024-03-01T14:00:00-06:00")}))
    now, _ = search.build_shards(changed, base=b"base", kept=kept)
    assert [a.path for a in now if a.previous is None] == ["search/archive-2024.json", "search/references-0.json"]
    assert search.build_shards(site, base=b"other", kept=kept)[0][0].previous is None  # other code or settings
