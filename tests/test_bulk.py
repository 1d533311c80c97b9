"""Bulk data (issue 7): OCDS packages valid against the 1.1.5 schemas with the city's extensions,
records that OCDS Kit compiles the same way, CSV tables that match their dictionary, checksums
that `sha256sum -c` accepts, an index of every download, byte-stable gzip, and per-process
record packages linked from their pages."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import io
import json
import posixpath
import shutil
import subprocess
import urllib.parse
import zlib
from pathlib import Path

import ocdskit.combine
import orjson
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline, routes
from generator.checking import validate
from generator.checking.schema_index import SchemaIndex
from generator.inputs import folder, schema_kit
from generator.publish import bulk, flat_tables, pages, streams
from generator.records import CompiledRecord

from conftest import REPO
from test_model import SETTINGS, TODAY

# --- unit tests of the pure stage -------------------------------------------------------------

EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json"
UNIT_SETTINGS = dataclasses.replace(SETTINGS, base_url="https://city.example.gov/contracts/",
                                    publisher_uri="https://city.example.gov", publisher_scheme="US-EIN",
                                    publisher_uid="12-3456789", license="https://opendatacommons.org/licenses/pddl/1-0/",
                                    extensions=(EXTENSION,))


def rel(ocid: str, n: int, date: str, **fields) -> dict:
    return {"ocid": ocid, "id": f"{ocid}-{n}", "date": date, "tag": ["tender"], "initiationType": "tender", **fields}


def compiled_record(ocid: str, releases: list[dict], compiled: dict) -> CompiledRecord:
    return CompiledRecord(ocid, tuple(releases), {"ocid": ocid, "id": f"{ocid}-compiled", "tag": ["compiled"],
                                                  "date": releases[-1]["date"], **compiled}, ("f.json",))


AWARDED = compiled_record(
    "ocds-test01-A", [rel("ocds-test01-A", 1, "2024-12-31T23:00:00-06:00"), rel("ocds-test01-A", 2, "2025-03-01T10:00:00-06:00")],
    {"tender": {"id": "T-1", "title": "Road salt", "status": "complete", "submissionMethod": ["electronicSubmission", "inPerson"],
                "value": {"amount": 1250.5, "currency": "USD"}, "suitability": {"sme": True},
                "lots": [{"id": "L1", "title": "North"}, {"id": "L2", "title": "South"}]},
     "awards": [{"id": "AW-1", "status": "active", "value": {"amount": 1000, "currency": "USD"}, "relatedLots": ["L1"],
                 "suppliers": [{"id": "S1", "name": "Salt Co"}, {"id": "S2", "name": "Grit Inc"}]},
                {"id": "AW-2", "status": "active", "suppliers": [{"id": "S1", "name": "Salt Co"}]}],
     "parties": [{"id": "S1", "name": "Salt Co", "roles": ["supplier", "tenderer"],
                  "details": {"scale": "sme", "classifications": [{"scheme": "CITY", "id": "MBE"},
                                                                  {"scheme": "CITY", "id": "WBE"}]}}]})
OPEN = compiled_record("ocds-test01-B", [rel("ocds-test01-B", 1, "2026-11-02T09:00:00-06:00")],
                       {"tender": {"id": "T-2", "title": "Paving", "status": "active"}})
RECORDS = [AWARDED, OPEN]


def written(data: bulk.BulkData) -> dict[str, bytes]:
    """Every artifact's bytes, consumed in order as `write` consumes them."""
    return {a.path: b"".join(a.chunks()) for a in data.artifacts()}


def package(files: dict[str, bytes], name: str) -> dict:
    return json.loads(gzip.decompress(files[routes.data_path(name)]))


def table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[routes.data_path(f"csv/{name}.csv")].decode("utf-8"))))


def test_release_package_holds_every_release_with_the_sites_package_metadata():
    files = written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    releases = package(files, bulk.RELEASE_PACKAGE)
    assert [r["id"] for r in releases["releases"]] == ["ocds-test01-A-1", "ocds-test01-A-2", "ocds-test01-B-1"]
    assert releases["uri"] == "https://city.example.gov/contracts/data/ocds-release-package.json.gz"
    assert releases["publisher"] == {"name": "Testville", "scheme": "US-EIN", "uid": "12-3456789",
                                     "uri": "https://city.example.gov"}
    assert releases["license"] == UNIT_SETTINGS.license and "publicationPolicy" not in releases
    assert releases["extensions"] == [EXTENSION] and releases["version"] == "1.1"
    assert releases["publishedDate"] == "2026-11-16T00:00:00-06:00"  # today, midnight in Chicago
    records = package(files, bulk.RECORD_PACKAGE)
    assert [r["ocid"] for r in records["records"]] == ["ocds-test01-A", "ocds-test01-B"]
    assert records["records"][0]["releases"] == [  # linked releases, into the release package
        {"url": f"{releases['uri']}#ocds-test01-A-1", "date": "2024-12-31T23:00:00-06:00", "tag": ["tender"]},
        {"url": f"{releases['uri']}#ocds-test01-A-2", "date": "2025-03-01T10:00:00-06:00", "tag": ["tender"]}]
    assert records["records"][0]["compiledRelease"] == AWARDED.compiled
    assert records["packages"] == [releases["uri"]]


def test_a_linked_release_escapes_what_a_uri_fragment_cannot_hold():
    link = bulk.linked_release({"id": "2026/05 amendment #2", "date": "2026-05-01T00:00:00Z"}, "https://x.gov/r.json.gz")
    assert link == {"url": "https://x.gov/r.json.gz#2026/05%20amendment%20%232", "date": "2026-05-01T00:00:00Z"}


def test_files_by_year_follow_the_date_as_published():
    files = written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    # 2024-12-31T23:00-06:00 is 2025 in UTC, but the city published it as 2024
    assert [r["id"] for r in package(files, "releases/2024.json.gz")["releases"]] == ["ocds-test01-A-1"]
    assert [r["id"] for r in package(files, "releases/2025.json.gz")["releases"]] == ["ocds-test01-A-2"]
    lines = gzip.decompress(files[routes.data_path("compiled-releases/2026.jsonl.gz")]).decode().splitlines()
    assert [json.loads(line)["ocid"] for line in lines] == ["ocds-test01-B"]
    assert routes.data_path("compiled-releases/2024.jsonl.gz") not in files  # A's latest release is from 2025


def test_tables_have_one_row_per_object_and_the_ids_to_join_them():
    files = written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    assert [(r["ocid"], r["award_id"], r["id"]) for r in table(files, "award_suppliers")] == [
        ("ocds-test01-A", "AW-1", "S1"), ("ocds-test01-A", "AW-1", "S2"), ("ocds-test01-A", "AW-2", "S1")]
    assert [(r["tender_id"], r["id"]) for r in table(files, "lots")] == [("T-1", "L1"), ("T-1", "L2")]
    tenders = table(files, "tenders")
    assert [t["id"] for t in tenders] == ["T-1", "T-2"]
    assert tenders[0]["submission_method"] == "electronicSubmission;inPerson"
    assert (tenders[0]["value_amount"], tenders[0]["sme_suitable"], tenders[1]["sme_suitable"]) == ("1250.5", "true", "")
    party = table(files, "parties")[0]
    assert (party["roles"], party["scale"], party["classifications"]) == ("supplier;tenderer", "sme", "MBE;WBE")
    assert [a["related_lots"] for a in table(files, "awards")] == ["L1", ""]
    assert table(files, "contracts") == []
    assert len(table(files, "processes")) == 2


# Releases made of the tables' own keys at any depth (and of others), so that a key a table's rows
# hang from appears where it gives rows, where it gives none (a list of text, a value) and nowhere.
_KEYS = sorted({step for t in flat_tables.TABLES for step in t.objects.split("/") if step} | {"id", "x", "lot"})
_NODES = st.recursive(
    st.none() | st.text(max_size=3) | st.integers(-5, 5) | st.sampled_from(_KEYS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _NODES, max_size=5))
def test_a_table_skips_a_release_only_where_it_has_no_rows(compiled):
    """could_have_rows reads the bytes to skip decoding a release no table row comes from: it
    must never skip one that gives rows."""
    compiled_json = orjson.dumps(compiled)
    for table in flat_tables.TABLES:
        if not flat_tables.could_have_rows(table)(compiled_json):
            assert list(flat_tables.rows(table, compiled)) == [], table.name


def test_every_dictionary_column_is_an_ocds_field_of_the_extended_schema(demo_source):
    kit, _ = folder.read_kit(folder.read_settings(demo_source), demo_source)
    index = SchemaIndex(kit.release_schema, kit.codelists)
    for table_name, column, path, description in flat_tables.dictionary_rows():
        pattern: tuple[str, ...] = ()
        for step in path.split("/"):
            pattern = (*pattern, step)
            assert index.node(pattern), f"{table_name}.{column}: {path} is not a field of the release schema"
            if "items" in index.node(pattern) and step != path.rsplit("/", 1)[-1]:
                pattern = (*pattern, "*")
        assert description
    for t in flat_tables.TABLES:
        assert len(set(t.header)) == len(t.header) and t.header[0] == "ocid"


def test_a_process_record_is_dated_by_its_latest_release_and_sits_beside_its_page():
    files = written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    path = routes.process_record_path("ocds-test01-A")
    assert posixpath.dirname(path) == posixpath.dirname(routes.process_path("ocds-test01-A"))
    record = json.loads(files[path])
    assert record["publishedDate"] == "2025-03-01T10:00:00-06:00"
    assert record["uri"] == UNIT_SETTINGS.base_url.absolute(path)
    yearly = [UNIT_SETTINGS.base_url.absolute(routes.data_path(f"releases/{year}.json.gz")) for year in ("2024", "2025")]
    assert record["packages"] == yearly, "the packages its releases link into, in the order of its releases"
    assert record["records"] == [{"ocid": "ocds-test01-A", "releases": [
        {"url": f"{yearly[0]}#ocds-test01-A-1", "date": "2024-12-31T23:00:00-06:00", "tag": ["tender"]},
        {"url": f"{yearly[1]}#ocds-test01-A-2", "date": "2025-03-01T10:00:00-06:00", "tag": ["tender"]}],
        "compiledRelease": AWARDED.compiled}], "by default, its releases are links: the site holds each once"
    for link, release in zip(record["records"][0]["releases"], AWARDED.releases, strict=True):
        year = link["url"].split("/")[-1].split(".")[0]
        found = package(files, f"releases/{year}.json.gz")["releases"]
        assert release in found and link["url"].endswith("#" + release["id"]), "each link leads to its release"
    assert "packages" not in json.loads(files[routes.process_record_path("ocds-test01-B")]) or json.loads(
        files[routes.process_record_path("ocds-test01-B")])["packages"] == [yearly[1].replace("2025", "2026")]


def test_a_city_that_hosts_elsewhere_may_keep_each_process_releases_in_full_in_its_record():
    full = dataclasses.replace(UNIT_SETTINGS, process_records="full")
    files = written(bulk.BulkData(RECORDS, full, TODAY))
    record = json.loads(files[routes.process_record_path("ocds-test01-A")])
    assert "packages" not in record and record["records"] == [
        {"ocid": "ocds-test01-A", "releases": list(AWARDED.releases), "compiledRelease": AWARDED.compiled}]
    linked = written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    assert {k: v for k, v in files.items() if "record.json" not in k and not k.endswith(("downloads.json", "SUMS"))} \
        == {k: v for k, v in linked.items() if "record.json" not in k and not k.endswith(("downloads.json", "SUMS"))}
    says = [json.loads(f[routes.data_path(bulk.INDEX)])["processRecords"]["description"] for f in (linked, files)]
    assert "link into the release package of its year" in says[0] and "in full" in says[1]


def test_index_and_checksums_are_refused_before_the_streams_are_written():
    data = bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY)
    with pytest.raises(RuntimeError, match="before all its bytes were written"):
        for _ in data.artifacts():
            pass  # the streams are never consumed
    with pytest.raises(RuntimeError):
        data.catalogue()


def test_checksums_sizes_and_counts_are_those_of_the_bytes_written():
    data = bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY)
    files = written(data)
    catalogue = data.catalogue()
    for d in catalogue.downloads:
        assert (d.size, d.sha256) == (len(files[d.path]), hashlib.sha256(files[d.path]).hexdigest()), d.name
    counts = {d.name: d.count for d in catalogue.downloads}
    assert counts[bulk.RELEASE_PACKAGE] == 3 and counts[bulk.RECORD_PACKAGE] == 2
    assert counts["csv/award_suppliers.csv"] == 3 and counts["releases/2025.json.gz"] == 1
    sums = files[routes.data_path(bulk.CHECKSUMS)].decode().splitlines()
    assert sums == sorted(sums, key=lambda line: line.split("  ")[1])
    assert {line.split("  ")[1] for line in sums} == {d.name for d in catalogue.downloads} - {bulk.CHECKSUMS}


def test_bulk_output_is_deterministic_and_gzip_carries_no_name_or_time():
    first = written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    assert first == written(bulk.BulkData(RECORDS, UNIT_SETTINGS, TODAY))
    data = first[routes.data_path(bulk.RELEASE_PACKAGE)]
    assert data[:4] == b"\x1f\x8b\x08\x00"  # gzip, deflate, no flags: no file name
    assert data[4:8] == b"\x00\x00\x00\x00"  # mtime 0


def _one_member(data: bytes) -> bytes:
    """What a gzip file of one member holds (a reader that stops after the first member, as some
    do, reads it all)."""
    reader = zlib.decompressobj(zlib.MAX_WBITS | 16)
    content = reader.decompress(data)
    assert reader.eof and reader.unused_data == b""
    return content


PIECES = [b"{\"id\": %d, \"title\": \"Road salt %d\"}" % (n, n * 7919 % 1000) * (1 + n % 50) for n in range(30000)]


def test_gzip_stream_is_one_member_that_round_trips():
    chunks = list(streams.gzipped(PIECES))
    assert len(chunks) > 3  # several segments, one gzip member
    assert _one_member(b"".join(chunks)) == b"".join(PIECES)
    assert chunks == list(streams.gzipped(PIECES))
    assert _one_member(b"".join(streams.gzipped([]))) == b""


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=3000), max_size=200))
def test_gzip_of_any_pieces_gives_them_back(pieces):
    assert _one_member(b"".join(streams.gzipped(pieces))) == b"".join(pieces)


def test_a_segment_kept_from_the_last_build_gives_the_same_file_and_is_not_compressed_again(monkeypatch):
    made: list[streams.Segment] = []
    first = b"".join(streams.gzipped(PIECES, lambda _: None, made))
    assert first == b"".join(streams.gzipped(PIECES))  # taking digests changes nothing
    assert len(made) > 3 and made[0].offset == len(streams.GZIP_HEADER)
    kept = {s.digest: (first[s.offset:s.offset + s.length], 0) for s in made}
    segments = list(streams.segments(PIECES))
    assert [s.digest for s in made] == [streams.segment_digest(s) for s in segments]
    assert [zlib.decompress(kept[s.digest][0] + streams.GZIP_END, -zlib.MAX_WBITS) for s in made] == segments

    def compress(segment):
        raise AssertionError("a kept segment was compressed again")

    monkeypatch.setattr(streams, "_deflated", compress)
    again: list[streams.Segment] = []
    assert b"".join(streams.gzipped(PIECES, kept.get, again)) == first
    assert again == made


def test_a_changed_piece_changes_its_segment_and_not_the_ones_after_it():
    digests = [streams.segment_digest(s) for s in streams.segments(PIECES)]
    for n in (1, 5000, 17000, 29999):
        changed = [*PIECES[:n], PIECES[n] + b" (amended)", *PIECES[n + 1:]]
        now = [streams.segment_digest(s) for s in streams.segments(changed)]
        assert len(set(now) - set(digests)) <= 2 and len(set(digests) - set(now)) <= 2
        assert len(now) >= len(digests) - 1


def test_without_a_base_url_packages_still_have_a_valid_uri(kit_validators):
    settings = dataclasses.replace(UNIT_SETTINGS, base_url="")
    files = written(bulk.BulkData(RECORDS, settings, TODAY))
    releases = package(files, bulk.RELEASE_PACKAGE)
    assert releases["uri"] == "urn:ocds-portal:ocds-test01:data/ocds-release-package.json.gz"
    assert kit_validators["release"].errors(releases) == []
    assert "url" not in json.loads(files[routes.data_path(bulk.INDEX)])["files"][0]


def test_no_processes_give_tables_and_an_index_but_no_empty_packages():
    data = bulk.BulkData([], UNIT_SETTINGS, TODAY)
    files = written(data)
    assert routes.data_path(bulk.RELEASE_PACKAGE) not in files  # a package needs one release at least
    assert files[routes.data_path("csv/awards.csv")].decode().splitlines() == [
        ",".join(flat_tables.TABLES[3].header)]
    assert data.catalogue().record_example == ""


# --- the demo site ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit_validators(demo_kit):
    """The package schemas, with the release schema patched by the city's extensions, as the
    validate stage builds it (schema_kit), validated by the reference engine (jsonschema)."""
    kit = demo_kit
    registry = schema_kit.registry(kit)
    return {"release": validate.Engine(kit.release_package_schema, "python", registry),
            "record": validate.Engine(kit.record_package_schema, "python", registry), "kit": kit}


def data(site: Path, name: str) -> bytes:
    return (site / routes.data_path(name)).read_bytes()


def json_of(site: Path, name: str):
    raw = data(site, name)
    return json.loads(gzip.decompress(raw) if name.endswith(".gz") else raw)


@pytest.fixture(scope="module")
def index(demo_site) -> dict:
    return json_of(demo_site, bulk.INDEX)


def test_every_package_of_the_demo_is_valid_ocds(demo_site, index, kit_validators):
    packages = [f["path"] for f in index["files"] if f["path"].endswith(".json.gz")]
    assert len(packages) >= 4
    for name in packages:
        found = json_of(demo_site, name)
        kind = "release" if "releases" in found else "record"
        assert kit_validators[kind].errors(found) == [], name
    records = sorted(demo_site.glob("processes/*/record.json"))
    assert len(records) == index["processRecords"]["count"] > 0
    for path in records:
        assert kit_validators["record"].errors(json.loads(path.read_bytes())) == [], path


def test_the_validators_use_the_extended_release_schema(demo_site, kit_validators):
    """A closed codelist of an extension (partyScale) is enforced: the schema has the patches."""
    found = json_of(demo_site, bulk.RELEASE_PACKAGE)
    release = next(r for r in found["releases"] if any("details" in p for p in r.get("parties", [])))
    party = next(p for p in release["parties"] if "details" in p)
    party["details"]["scale"] = "enormous"
    del found["publishedDate"]
    keywords = {e.keyword for e in kit_validators["release"].errors(found)}
    assert {"enum", "required"} <= keywords


def test_ocdskit_compiles_the_release_package_into_the_record_packages_compiled_releases(demo_site, kit_validators):
    releases = json_of(demo_site, bulk.RELEASE_PACKAGE)
    records = json_of(demo_site, bulk.RECORD_PACKAGE)
    compiled = list(ocdskit.combine.merge([releases], schema=kit_validators["kit"].release_schema))
    assert len(compiled) == len(records["records"]) > 0
    assert {c["ocid"]: c for c in compiled} == {r["ocid"]: r["compiledRelease"] for r in records["records"]}
    by_ocid: dict[str, list] = {}
    for release in releases["releases"]:  # each record links its releases, in date order
        by_ocid.setdefault(release["ocid"], []).append((f"{releases['uri']}#{release['id']}", release["date"]))
    assert by_ocid == {r["ocid"]: [(link["url"], link["date"]) for link in r["releases"]] for r in records["records"]}


def test_files_by_year_split_the_whole_without_loss(demo_site, index):
    everything = json_of(demo_site, bulk.RELEASE_PACKAGE)["releases"]
    years = [f for f in index["files"] if f["path"].startswith("releases/")]
    by_year = [r for f in years for r in json_of(demo_site, f["path"])["releases"]]
    assert sorted(r["id"] for r in by_year) == sorted(r["id"] for r in everything)
    assert all(r["date"].startswith(f["year"]) for f in years for r in json_of(demo_site, f["path"])["releases"])
    compiled = {r["ocid"]: r["compiledRelease"] for r in json_of(demo_site, bulk.RECORD_PACKAGE)["records"]}
    lines = [json.loads(line) for f in index["files"] if f["path"].startswith("compiled-releases/")
             for line in gzip.decompress(data(demo_site, f["path"])).decode().splitlines()]
    assert {c["ocid"]: c for c in lines} == compiled and len(lines) == len(compiled)


def test_csv_tables_match_the_data_dictionary(demo_site, index):
    dictionary = list(csv.DictReader(io.StringIO(data(demo_site, bulk.DICTIONARY).decode("utf-8"))))
    assert len(dictionary) == sum(len(t.columns) for t in flat_tables.TABLES)
    counts = {f["path"]: f["count"] for f in index["files"]}
    compiled = [r["compiledRelease"] for r in json_of(demo_site, bulk.RECORD_PACKAGE)["records"]]
    expected = {"processes": len(compiled), "tenders": sum("tender" in c for c in compiled),
                "awards": sum(len(c.get("awards", [])) for c in compiled),
                "award_suppliers": sum(len(a.get("suppliers", [])) for c in compiled for a in c.get("awards", [])),
                "contracts": sum(len(c.get("contracts", [])) for c in compiled),
                "parties": sum(len(c.get("parties", [])) for c in compiled),
                "lots": sum(len(c.get("tender", {}).get("lots", [])) for c in compiled),
                "related_processes": sum(len(c.get("relatedProcesses", [])) for c in compiled),
                "contract_related_processes": sum(len(x.get("relatedProcesses", [])) for c in compiled
                                                  for x in c.get("contracts", []))}
    for t in flat_tables.TABLES:
        with (demo_site / routes.data_path(f"csv/{t.name}.csv")).open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = list(reader)
        assert header == [d["column"] for d in dictionary if d["table"] == t.name]
        assert len(rows) == counts[f"csv/{t.name}.csv"] == expected[t.name] and rows, t.name
        assert all(len(row) == len(header) for row in rows)
    assert {d["ocds_path"] for d in dictionary if d["table"] == "awards" and d["column"] == "value_amount"} == {
        "awards/value/amount"}


def test_sha256sums_verify_against_the_written_files(demo_site):
    folder = demo_site / routes.LISTINGS["data"]
    lines = data(demo_site, bulk.CHECKSUMS).decode().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {bulk.CHECKSUMS, "index.html"}
    sha256sum = shutil.which("sha256sum")
    assert sha256sum, "coreutils' sha256sum is on every machine that runs these tests"
    result = subprocess.run([sha256sum, "--strict", "-c", bulk.CHECKSUMS], cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len(lines)


def test_the_index_lists_every_download_with_its_size_and_checksum(demo_site, index):
    folder = demo_site / routes.LISTINGS["data"]
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {f["path"] for f in index["files"]} == on_disk - {bulk.CHECKSUMS, bulk.INDEX, "index.html"}
    for f in index["files"]:
        raw = (folder / f["path"]).read_bytes()
        assert (f["bytes"], f["sha256"]) == (len(raw), hashlib.sha256(raw).hexdigest()), f["path"]
        assert f["url"] == pipeline.settings_for(REPO).base_url.absolute(routes.data_path(f["path"]))
        assert f["description"] and f["mediaType"] in (bulk.JSON, bulk.JSON_LINES, bulk.CSV)
    releases = next(f for f in index["files"] if f["path"] == bulk.RELEASE_PACKAGE)
    assert releases["count"] == len(json_of(demo_site, bulk.RELEASE_PACKAGE)["releases"])
    assert releases["compression"] == "gzip" and releases["countOf"] == "releases"
    assert index["publishedDate"] == "2026-11-16T00:00:00-06:00"
    example = index["processRecords"]["example"]
    assert (demo_site / example["path"]).is_file()
    assert example["path"] == index["processRecords"]["path"].replace("{slug}", routes.slug(example["ocid"]))


def test_a_second_build_is_byte_identical(demo_site, tmp_path):
    settings = pipeline.settings_for(REPO)
    again = tmp_path / "again"
    pipeline.build(REPO, again, settings, settings.today)
    folder = routes.LISTINGS["data"]
    first = {p.relative_to(demo_site).as_posix(): p.read_bytes() for p in (demo_site / folder).rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in (again / folder).rglob("*") if p.is_file()}
    assert first == second and any(p.endswith(".gz") for p in first)
    records = sorted(p.relative_to(demo_site).as_posix() for p in demo_site.glob("processes/*/record.json"))
    assert all((demo_site / p).read_bytes() == (again / p).read_bytes() for p in records)


def test_a_process_page_links_its_record_and_the_link_resolves(demo_site):
    page_path = routes.process_path("ocds-aldrpt-2026-PW-0004")
    soup = BeautifulSoup((demo_site / page_path).read_text("utf-8"), "lxml")
    link = soup.find("a", string=lambda s: s and "OCDS record, JSON" in s)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), link["href"]))
    assert target == routes.process_record_path("ocds-aldrpt-2026-PW-0004")
    record = json.loads((demo_site / target).read_bytes())
    assert [r["ocid"] for r in record["records"]] == ["ocds-aldrpt-2026-PW-0004"]
    assert len(record["records"][0]["releases"]) >= 2  # tender, award...


def test_every_release_a_process_record_links_to_is_in_the_package_it_names(demo_site, index):
    by_url = {f["url"]: f["path"] for f in index["files"] if f["path"].startswith("releases/")}
    records = sorted(demo_site.glob("processes/*/record.json"))
    packages = {url: {r["id"]: r for r in json_of(demo_site, path)["releases"]} for url, path in by_url.items()}
    links = 0
    for path in records:
        package_ = json.loads(path.read_bytes())
        [record] = package_["records"]
        assert set(package_["packages"]) <= set(by_url), path
        for link in record["releases"]:
            url, _, fragment = link["url"].partition("#")
            release = packages[url][urllib.parse.unquote(fragment)]
            assert (release["ocid"], release["date"], release.get("tag")) == (record["ocid"], link["date"], link.get("tag"))
            links += 1
    assert links == index["files"][0]["count"] == sum(len(p) for p in packages.values()), "every release, once"


def test_the_data_page_describes_every_download(demo_site, index):
    page_path = routes.listing_path("data")
    soup = BeautifulSoup((demo_site / page_path).read_text("utf-8"), "lxml")
    links = {posixpath.normpath(posixpath.join(posixpath.dirname(page_path), a["href"])) for a in soup.select("main a[href]")
             if not a["href"].startswith(("http", "#"))}
    for f in index["files"]:
        assert routes.data_path(f["path"]) in links, f["path"]
        assert f["sha256"] in soup.get_text(), f["path"]
    assert {routes.data_path(bulk.INDEX), routes.data_path(bulk.CHECKSUMS)} <= links
    text = soup.main.get_text(" ", strip=True)
    assert "356 releases" in text and "104 records" in text  # counted in the raw files
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in text and "open-data-policy" in text
    assert "sha256sum -c SHA256SUMS" in text and "ocdskit compile" in text and "jq" in text
    for t in flat_tables.TABLES:  # the dictionary, table by table
        caption = soup.find("caption", string=f"Columns of {t.name}.csv")
        assert [c.get_text() for c in caption.find_parent("table").select("tbody tr td:first-child code")] == t.header
    footer = soup.select_one("footer").find("a", string="Download the data")
    assert posixpath.normpath(posixpath.join(posixpath.dirname(page_path), footer["href"])) == "data"


def test_navigation_can_link_the_data_page(demo_source):
    from generator.inputs.settings import parse_settings

    text = (demo_source / "content" / "site.yml").read_text("utf-8") + "\n"
    guides = next(line for line in text.splitlines(keepends=True) if line.startswith("  - title:") and "Guides" in line)
    settings = parse_settings(text.replace(guides + "    page: guides\n",
                                           guides + "    page: guides\n  - title: Open data\n    page: data\n"))
    assert settings.navigation[-1].page == "data"
    links = pages._navigation(settings, routes.listing_path("data"))
    assert links[-1].target == "data/index.html" and links[-1].current == "page"


def _many(title_of=lambda n: f"Item {n}") -> list[CompiledRecord]:
    """Enough processes for a table to be made in several runs (streams.runs)."""
    return [compiled_record(ocid := f"ocds-test01-{n:04}", [rel(ocid, 1, f"2025-01-{1 + n % 28:02}T10:00:00-06:00")],
                            {"tender": {"id": f"T-{n}", "title": title_of(n), "description": f"Work {n} " * 400,
                                        "status": "complete"},
                             "awards": [{"id": f"AW-{n}", "status": "active", "suppliers": [{"id": "S", "name": "Acme"}]}]})
            for n in range(300)]


def test_a_tables_runs_made_by_the_last_build_are_read_back_and_not_made_again(monkeypatch):
    monkeypatch.setattr(streams, "SEGMENT_MIN", 1 << 14)  # runs of a few processes: several a table
    monkeypatch.setattr(streams, "CUT", 3)
    many = _many()
    plain = written(bulk.BulkData(many, UNIT_SETTINGS, TODAY))
    first = bulk.BulkData(many, UNIT_SETTINGS, TODAY, kept=lambda _: None, code=b"code")
    files = written(first)
    assert files == plain  # made in runs, the same bytes (and counts, in downloads.json)
    tables = {path: runs for path, runs in first.segments.items() if path.endswith(".csv")}
    assert len(tables) == len(flat_tables.TABLES) and len(tables[routes.data_path("csv/tenders.csv")]) > 2
    kept = {s.digest: (files[path][s.offset:s.offset + s.length], s.items) for path, runs in tables.items() for s in runs}
    made = []
    rows_csv = flat_tables.rows_csv
    monkeypatch.setattr(flat_tables, "rows_csv", lambda *args: made.append(args[0].name) or rows_csv(*args))
    assert written(bulk.BulkData(many, UNIT_SETTINGS, TODAY, kept=kept.get, code=b"code")) == plain
    assert made == []  # every run read back
    changed = _many(lambda n: f"Item {n}" + (" (renamed)" if n == 150 else ""))
    assert written(bulk.BulkData(changed, UNIT_SETTINGS, TODAY, kept=kept.get, code=b"code")) == written(
        bulk.BulkData(changed, UNIT_SETTINGS, TODAY))
    assert 0 < len(made) <= 2 * len(tables)  # the renamed process's run in each table (and at most the next)
    made.clear()
    written(bulk.BulkData(many, UNIT_SETTINGS, TODAY, kept=kept.get, code=b"other code"))
    assert len(made) == sum(map(len, tables.values()))  # other code: every run made again
