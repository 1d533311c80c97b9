"""load: parsing OCDS files into DataFiles (pure) and reading the source folder."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from generator.inputs import folder
from generator.inputs import settings as site_settings

from conftest import SHARED_OCDS, release


def dumps(data) -> bytes:
    return json.dumps(data, indent=2).encode("utf-8")


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- parse_data_file -------------------------------------------------------------------------

def test_release_package():
    package = {"uri": "https://x.example/p.json", "publishedDate": "2026-11-01T00:00:00Z", "version": "1.1",
               "publisher": {"name": "City"}, "releases": [release(), release(id="2")]}
    data_file, problems = folder.parse_data_file("ocds_data/p.json", dumps(package))
    assert problems == []
    assert data_file.kind == "release-package"
    assert data_file.package == {k: v for k, v in package.items() if k != "releases"}
    assert [r.data["id"] for r in data_file.releases] == ["1", "2"]
    second = data_file.releases[1]
    assert (second.file, second.pointer, second.item) == ("ocds_data/p.json", "/releases/1", 1)
    location = second.location("/tender/status")
    assert (location.file, location.item, location.ocid, location.pointer) == \
        ("ocds_data/p.json", 1, "ocds-aldrpt-X-1", "/releases/1/tender/status")


def test_record_package_reads_embedded_releases():
    package = {"uri": "https://x.example/r.json", "publishedDate": "2026-11-01T00:00:00Z", "version": "1.1",
               "publisher": {"name": "City"},
               "records": [{"ocid": "ocds-aldrpt-X-1", "releases": [release(), release(id="2")]},
                           {"ocid": "ocds-aldrpt-X-2", "releases": [release(ocid="ocds-aldrpt-X-2")]}]}
    data_file, problems = folder.parse_data_file("ocds_data/r.json", dumps(package))
    assert problems == []
    assert data_file.kind == "record-package"
    assert "records" not in data_file.package
    assert [(r.data["ocid"], r.data["id"], r.pointer, r.item) for r in data_file.releases] == [
        ("ocds-aldrpt-X-1", "1", "/records/0/releases/0", 0),
        ("ocds-aldrpt-X-1", "2", "/records/0/releases/1", 0),
        ("ocds-aldrpt-X-2", "1", "/records/1/releases/0", 1),
    ]


def linked_package(*linked) -> dict:
    return {"uri": "https://x.example/r.json", "publishedDate": "2026-11-01T00:00:00Z", "version": "1.1",
            "publisher": {"name": "City"}, "records": [{"ocid": "ocds-aldrpt-X-1", "releases": list(linked)}]}


def test_record_package_with_only_linked_releases_warns():
    package = linked_package({"url": "https://x.example/p.json#1", "date": "2026-11-01T09:00:00-06:00"},
                             {"url": "https://x.example/p.json#2", "date": "2026-11-02T09:00:00-06:00"})
    data_file, problems = folder.parse_data_file("ocds_data/r.json", dumps(package))
    assert data_file.releases == []
    [problem] = problems  # once per record, with a count
    assert problem.code == "linked-release" and not problem.is_error
    assert problem.message.startswith("2 of this record's releases are links") and "not shown" in problem.message
    assert (problem.location.file, problem.location.ocid, problem.location.pointer) == \
        ("ocds_data/r.json", "ocds-aldrpt-X-1", "/records/0/releases/0")


def test_a_record_that_links_its_releases_is_read_from_its_compiled_release():
    package = linked_package({"url": "https://x.example/p.json#1", "date": "2026-11-01T09:00:00-06:00"})
    package["records"][0]["compiledRelease"] = release(tag=["compiled"])
    package["records"].append(dict(package["records"][0], ocid="ocds-aldrpt-X-2",
                                   compiledRelease=release(ocid="ocds-aldrpt-X-2", tag=["compiled"])))
    data_file, problems = folder.parse_data_file("ocds_data/r.json", dumps(package))
    assert [r.pointer for r in data_file.releases] == ["/records/0/compiledRelease", "/records/1/compiledRelease"]
    [problem] = problems  # once per file, with a count, naming the setting-free fix
    assert problem.code == "record-compiled-only" and not problem.is_error and not problem.location.ocid
    assert problem.message.startswith("2 records in this file were read from their compiled release (2 of them link")


def test_a_bare_record_is_read_and_said_to_be_no_record_package():
    record = {"ocid": "ocds-aldrpt-X-1", "releases": [release(), release(id="2", date="2026-11-02T00:00:00Z")]}
    data_file, problems = folder.parse_data_file("ocds_data/r.json", dumps(record))
    assert [r.pointer for r in data_file.releases] == ["/releases/0", "/releases/1"]
    assert data_file.package is None
    assert codes(problems) == ["not-a-record-package"]
    assert "not a record package" in problems[0].message and "records" in problems[0].hint


def test_linked_release_with_tag_is_not_read_as_a_release():
    # The record package schema's linked release has url, date and (usually) tag: the tag
    # does not make it an embedded release.
    package = linked_package({"url": "https://x.example/p.json#2", "date": "2026-11-02T09:00:00-06:00",
                              "tag": ["award"]})
    data_file, problems = folder.parse_data_file("ocds_data/r.json", dumps(package))
    assert data_file.releases == []
    assert codes(problems) == ["linked-release"]


def test_json_lines_with_one_bad_line():
    lines = [json.dumps(release(id="1")), "{not json", "", json.dumps(release(id="3"))]
    data_file, problems = folder.parse_data_file("ocds_data/all.jsonl", "\n".join(lines).encode())
    assert data_file.kind == "jsonl"
    assert [r.data["id"] for r in data_file.releases] == ["1", "3"]
    assert [r.line for r in data_file.releases] == [1, 4]
    [problem] = problems
    assert problem.code == "invalid-json-line" and problem.is_error
    assert problem.location.file == "ocds_data/all.jsonl"
    assert problem.location.line == 2
    assert "2" in problem.message


def test_json_lines_line_without_ocid_is_an_error():
    raw = (json.dumps(release()) + "\n" + json.dumps({"id": "no-ocid"}) + "\n").encode()
    data_file, problems = folder.parse_data_file("ocds_data/all.jsonl", raw)
    assert len(data_file.releases) == 1
    assert [(p.code, p.location.line) for p in problems] == [("not-a-release", 2)]


def test_yaml_release_keeps_dates_as_text_and_records_its_line():
    text = (
        "# A tender notice, written by hand\n"
        "ocid: ocds-aldrpt-X-1\n"
        "parties: []\n"
        "id: '1'\n"
        "date: 2026-11-01T09:00:00-06:00\n"
        "tag: [tender]\n"
        "initiationType: tender\n"
        "tender:\n"
        "  id: t1\n"
        "  status: active\n"
        "  tenderPeriod:\n"
        "    endDate: 2026-12-01\n"
    )
    data_file, problems = folder.parse_data_file("ocds_data/notice.yaml", text.encode())
    assert problems == []
    assert data_file.kind == "release"
    assert data_file.package is None
    [source] = data_file.releases
    assert source.data["date"] == "2026-11-01T09:00:00-06:00"
    assert source.data["tender"]["tenderPeriod"]["endDate"] == "2026-12-01"
    assert source.line == 2
    assert source.location().line == 2


def test_invalid_yaml_names_the_line():
    data_file, problems = folder.parse_data_file("ocds_data/bad.yml", b"ocid: x\ntender:\n  id: [t1\n")
    assert data_file is None
    [problem] = problems
    assert problem.code == "invalid-yaml"
    assert problem.location.file == "ocds_data/bad.yml"
    assert problem.location.line is not None and problem.location.line >= 3


@pytest.mark.parametrize("raw", [b"", b"  \n\n"])
def test_empty_file(raw):
    data_file, problems = folder.parse_data_file("ocds_data/empty.json", raw)
    assert data_file is None
    assert [(p.code, p.location.file) for p in problems] == [("empty-file", "ocds_data/empty.json")]
    assert problems[0].is_error


def test_invalid_json_names_the_line():
    raw = b'{\n  "uri": "x",\n  "releases": [\n    {"ocid": "a",}\n  ]\n}\n'
    data_file, problems = folder.parse_data_file("ocds_data/bad.json", raw)
    assert data_file is None
    [problem] = problems
    assert problem.code == "invalid-json" and problem.is_error
    assert problem.location.line == 4


@pytest.mark.parametrize("raw", [b'{"uri": "x", "publisher": {"name": "y"}}', b"[1, 2, 3]", b'"text"'])
def test_top_level_neither_package_nor_release(raw):
    data_file, problems = folder.parse_data_file("ocds_data/odd.json", raw)
    assert data_file is None
    [problem] = problems
    assert problem.code == "not-ocds" and problem.is_error
    assert problem.location.file == "ocds_data/odd.json"
    assert problem.hint


def test_single_release_json():
    data_file, problems = folder.parse_data_file("ocds_data/one.json", dumps(release()))
    assert problems == []
    assert data_file.kind == "release"
    assert data_file.releases[0].data == release()


def test_json_with_utf8_byte_order_mark_is_read():
    # Windows tools (PowerShell 5's Out-File -Encoding UTF8, Notepad) write a BOM; .yaml files
    # already accept it, and RFC 8259 lets a parser ignore it.
    raw = b"\xef\xbb\xbf" + dumps(release())
    data_file, problems = folder.parse_data_file("ocds_data/export.json", raw)
    assert [(p.code, p.is_error) for p in problems] == [("bom", False)]
    assert data_file.releases[0].data == release()


def test_yaml_with_utf8_byte_order_mark_is_read():
    raw = b"\xef\xbb\xbfocid: ocds-aldrpt-X-1\nid: '1'\nparties: []\n"
    data_file, problems = folder.parse_data_file("ocds_data/notice.yaml", raw)
    assert [(p.code, p.is_error) for p in problems] == [("bom", False)]
    assert data_file.releases[0].data == {"ocid": "ocds-aldrpt-X-1", "id": "1", "parties": []}


def test_not_utf8_yaml():
    data_file, problems = folder.parse_data_file("ocds_data/latin1.yaml", "ocid: Café\n".encode("latin-1"))
    assert data_file is None
    assert codes(problems) == ["not-utf8"]


# --- data_paths / read_inputs -----------------------------------------------------------------

def make_source(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    data = source / "ocds_data"
    (data / "b").mkdir(parents=True)
    (data / ".git").mkdir()
    (data / "b" / "c.json").write_bytes(dumps(release(ocid="ocds-aldrpt-X-3")))
    (data / "b.json").write_bytes(dumps(release(ocid="ocds-aldrpt-X-2")))
    (data / "a.jsonl").write_bytes((json.dumps(release()) + "\n").encode())
    (data / "z.yaml").write_text("ocid: ocds-aldrpt-X-4\nid: '1'\nparties: []\ndate: 2026-11-01T09:00:00Z\n", "utf-8")
    (data / ".hidden.json").write_bytes(b"{broken")
    (data / ".git" / "config.json").write_bytes(b"{broken")
    (data / "README.md").write_text("notes", "utf-8")
    (data / "export.csv").write_text("ocid,id\n", "utf-8")
    (source / "content").mkdir()
    return source


def test_data_paths_recursive_sorted_and_skips_hidden(tmp_path):
    source = make_source(tmp_path)
    rel = [p.relative_to(source / "ocds_data").as_posix() for p in folder.data_paths(source)]
    assert rel == ["README.md", "a.jsonl", "b.json", "b/c.json", "export.csv", "z.yaml"]


def test_data_paths_without_data_folder(tmp_path):
    assert folder.data_paths(tmp_path) == []


def test_read_inputs_reads_in_order_and_warns_on_unknown_suffix(tmp_path):
    source = make_source(tmp_path)
    settings = site_settings.parse_settings(
        "city_name: Testville\npublisher:\n  name: Test City\nocid_prefix: ocds-aldrpt\n")
    settings = dataclasses.replace(settings, schema_dir=str(SHARED_OCDS))
    inputs = folder.read_inputs(source, settings)
    assert [f.path for f in inputs.data_files] == \
        ["ocds_data/a.jsonl", "ocds_data/b.json", "ocds_data/b/c.json", "ocds_data/z.yaml"]
    assert [r.data["ocid"] for r in folder.iter_releases(inputs.data_files)] == \
        ["ocds-aldrpt-X-1", "ocds-aldrpt-X-2", "ocds-aldrpt-X-3", "ocds-aldrpt-X-4"]
    assert [(p.code, p.location.file, p.is_error) for p in inputs.problems] == \
        [("file-ignored", "ocds_data/export.csv", False)]
    assert inputs.kit_origin == str(SHARED_OCDS.resolve())
    assert "tenderPeriod" in inputs.kit.release_schema["definitions"]["Tender"]["properties"]


def test_read_inputs_without_data_warns(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    settings = site_settings.parse_settings(
        "city_name: Testville\npublisher:\n  name: Test City\nocid_prefix: ocds-aldrpt\n")
    inputs = folder.read_inputs(source, dataclasses.replace(settings, schema_dir=str(SHARED_OCDS)))
    assert inputs.data_files == []
    assert [p.code for p in inputs.problems] == ["no-data"]


def test_record_package_structure_problems_are_reported_not_dropped():
    package = {"records": [
        "not an object",
        {"ocid": "ocds-aldrpt-X-1", "releases": "notalist"},
        {"ocid": "ocds-aldrpt-X-2", "compiledRelease": release(ocid="ocds-aldrpt-X-2", tag=["compiled"])},
        {"ocid": "ocds-aldrpt-X-3", "releases": [release(ocid="ocds-aldrpt-X-4")]},
    ]}
    data_file, problems = folder.parse_data_file("ocds_data/r.json", dumps(package))
    found = {(p.code, p.location.pointer) for p in problems}
    assert ("record-not-object", "/records/0") in found
    assert ("record-releases", "/records/1/releases") in found
    assert ("record-compiled-only", "/records/2/compiledRelease") in found
    assert ("record-ocid-mismatch", "/records/3/releases/0/ocid") in found
    assert [r.pointer for r in data_file.releases] == ["/records/2/compiledRelease"]


def test_large_packages_are_streamed_with_the_same_result(tmp_path, monkeypatch):
    package = {"uri": "https://x.example/p.json", "version": "1.1", "publishedDate": "2026-11-01T00:00:00Z",
               "publisher": {"name": "City", "uri": "https://x.example"}, "extensions": ["https://e.example/x.json"],
               "releases": [release(), release(id="2", tender={"id": "t", "value": {"amount": 10.5, "currency": "USD"}})]}
    (tmp_path / "ocds_data").mkdir()
    raw = json.dumps(package, indent=2).encode()
    (tmp_path / "ocds_data" / "big.json").write_bytes(raw)
    whole, whole_problems = folder.parse_data_file("ocds_data/big.json", raw)
    monkeypatch.setattr(folder, "STREAM_FROM", 1)
    streamed, problems = folder.stream_package("ocds_data/big.json", tmp_path / "ocds_data" / "big.json")
    assert problems == whole_problems == []
    assert streamed.package == whole.package and streamed.kind == "release-package"
    assert [r.data for r in streamed.releases] == [r.data for r in whole.releases]
    assert [r.pointer for r in streamed.releases] == ["/releases/0", "/releases/1"]
    assert streamed.digest == whole.digest
    (tmp_path / "ocds_data" / "big.json").write_bytes(raw[:-40])
    assert folder.stream_package("ocds_data/big.json", tmp_path / "ocds_data" / "big.json")[1][0].code == "invalid-json"


def test_a_repeated_key_names_the_process_it_is_in():
    """So that process alone is left out (the value the page would show is ambiguous)."""
    first, second = json.dumps(release(ocid="ocds-aldrpt-X-1")), json.dumps(release(ocid="ocds-aldrpt-X-2"))
    twice = second.replace('"tender": {', '"tender": {"title": "A", "title": "B", ', 1)
    package = '{"uri": "https://x.example/p.json", "releases": [' + first + ", " + twice + "]}"
    _, problems = folder.parse_data_file("ocds_data/p.json", package.encode())
    [problem] = [p for p in problems if p.code == "duplicate-key"]
    assert (problem.location.ocid, problem.location.item, problem.location.pointer) == \
        ("ocds-aldrpt-X-2", 1, "/releases/1/tender/title")
    _, problems = folder.parse_data_file("ocds_data/p.jsonl", (first + "\n" + twice + "\n").encode())
    [problem] = [p for p in problems if p.code == "duplicate-key"]
    assert (problem.location.ocid, problem.location.line) == ("ocds-aldrpt-X-2", 2)


# --- files read cleanly before: read again without the reading checks ----------------------------

def _release(ocid: str, amount) -> dict:
    return release(ocid=ocid, tender={"id": "t1", "status": "active", "title": "Salt", "value": {"amount": amount,
                                                                                                   "currency": "USD"}})


def _releases(data_files) -> list:
    for data_file in data_files:
        data_file.pack()
    return [(d.path, d.kind, d.package, d.digest, d.releases) for d in data_files]


def _unchecked(monkeypatch) -> list[str]:
    """The data of each read that went through the reading checks (bounds)."""
    from generator.inputs import bounds

    checked, bound = [], bounds.bound
    monkeypatch.setattr(bounds, "bound", lambda data: checked.append(data) or bound(data))
    return checked


def test_a_json_file_read_cleanly_is_read_again_without_its_checks_into_the_same_releases(tmp_path, monkeypatch):
    from generator.inputs import validation_cache

    data = tmp_path / "ocds_data"
    data.mkdir()
    clean = {"version": "1.1", "releases": [_release("ocds-abc-1", 2.5), _release("ocds-abc-2", 10 ** 17)]}
    (data / "clean.json").write_bytes(dumps(clean))
    (data / "repeated.json").write_bytes(b'{"version": "1.1", "releases": [{"ocid": "ocds-abc-3", "id": "3", "id": "4"}]}')
    big = {"version": "1.1", "releases": [_release("ocds-abc-5", 4525 * 10 ** 24)]}  # past 64 bits: orjson would make a float
    (data / "big.json").write_bytes(dumps(big))
    first, problems = folder.read_data_files(tmp_path)
    assert codes(problems) == ["duplicate-key"]
    checked = _unchecked(monkeypatch)
    again, problems_again = folder.read_data_files(tmp_path)
    assert _releases(again) == _releases(first) and problems_again == problems
    assert len(checked) == 2  # the file with a repeated key, and the one with a long number: not the clean one
    assert validation_cache.read_cleanly(first[0].digest) and not validation_cache.read_cleanly(first[2].digest)
    assert again[0].releases[0].data["tender"]["value"]["amount"] == 4525 * 10 ** 24  # an int still
    clean["releases"][0]["tender"]["title"] = "Changed"
    (data / "clean.json").write_bytes(dumps(clean))
    changed, _ = folder.read_data_files(tmp_path)
    assert len(checked) == 5  # new bytes: read with the checks
    assert changed[1].releases[0].data["tender"]["title"] == "Changed"
