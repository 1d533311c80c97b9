"""records: grouping releases by ocid and compiling them with the extended schema's merge rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import records
from generator.inputs import schema_kit
from generator.inputs import settings as site_settings
from generator.inputs.folder import SourceRelease

from conftest import REPO, SHARED_OCDS, release


def src(data: dict, file: str = "ocds_data/a.json", item: int = 0) -> SourceRelease:
    return SourceRelease(data, file, f"/releases/{item}", item)


@pytest.fixture(scope="module")
def kit_files():
    settings = site_settings.parse_settings((REPO / "content" / "site.yml").read_text("utf-8"))
    extensions = schema_kit.resolve_extensions(settings.extensions)
    files, _ = schema_kit.read_kit_files(schema_kit.required_pins(extensions), explicit=SHARED_OCDS,
                                         cache=Path("/nonexistent-cache"), download=False)
    return files, extensions


@pytest.fixture(scope="module")
def merger(kit_files):
    files, extensions = kit_files
    return records.make_merger(schema_kit.assemble(files, extensions).release_schema)


@pytest.fixture(scope="module")
def core_merger(kit_files):
    files, _ = kit_files
    return records.make_merger(json.loads(files["1.1.5/release-schema.json"]))


def test_group_by_ocid():
    a1 = src(release(id="1"))
    b1 = src(release(ocid="ocds-aldrpt-X-2", id="1"), item=1)
    a2 = src(release(id="2"), "ocds_data/b.json")
    no_ocid = src({"id": "9", "date": "2026-11-01T00:00:00Z"}, item=2)
    not_text = src(release(ocid=42), item=3)
    groups = records.group_by_ocid([a1, b1, a2, no_ocid, not_text])
    assert set(groups) == {"ocds-aldrpt-X-1", "ocds-aldrpt-X-2"}
    assert groups["ocds-aldrpt-X-1"] == [a1, a2]
    assert groups["ocds-aldrpt-X-2"] == [b1]


def test_compile_all_orders_releases_by_date_and_keeps_latest_values(merger):
    tender = release(id="tender-1", date="2026-11-01T09:00:00-06:00",
                     tender={"id": "t1", "status": "active", "title": "Road salt",
                             "tenderPeriod": {"startDate": "2026-11-01T09:00:00-06:00",
                                              "endDate": "2026-11-20T17:00:00-06:00"}})
    amendment = release(id="tender-2", date="2026-11-10T09:00:00-06:00", tag=["tenderAmendment"],
                        tender={"id": "t1", "tenderPeriod": {"endDate": "2026-11-27T17:00:00-06:00"}})
    other = release(ocid="ocds-aldrpt-X-0", id="a")
    # The amendment comes first in the input (another file, read earlier).
    groups = records.group_by_ocid([src(amendment, "ocds_data/a.json"), src(tender, "ocds_data/b.json"),
                                    src(other, "ocds_data/c.json")])
    compiled, problems = records.compile_all(groups, merger)
    assert problems == []
    assert [r.ocid for r in compiled] == ["ocds-aldrpt-X-0", "ocds-aldrpt-X-1"]
    record = compiled[1]
    assert [r["id"] for r in record.releases] == ["tender-1", "tender-2"]
    assert record.sources == ("ocds_data/b.json", "ocds_data/a.json")
    period = record.compiled["tender"]["tenderPeriod"]
    assert period == {"startDate": "2026-11-01T09:00:00-06:00", "endDate": "2026-11-27T17:00:00-06:00"}
    assert record.compiled["tender"]["title"] == "Road salt"
    assert record.compiled["tag"] == ["compiled"]
    assert record.compiled["date"] == "2026-11-10T09:00:00-06:00"


def test_compile_result_does_not_depend_on_input_order(merger):
    releases = [src(release(id=str(i), date=f"2026-11-0{i}T09:00:00Z",
                            tender={"id": "t1", "status": "active", "title": f"v{i}"}), item=i)
                for i in range(1, 6)]
    forward, _ = records.compile_all(records.group_by_ocid(releases), merger)
    backward, _ = records.compile_all(records.group_by_ocid(list(reversed(releases))), merger)
    assert forward == backward
    assert forward[0].compiled["tender"]["title"] == "v5"


def test_awards_merge_by_id_across_releases(merger):
    award = release(id="award-1", date="2026-12-01T09:00:00-06:00", tag=["award"],
                    awards=[{"id": "a1", "status": "pending", "value": {"amount": 5000, "currency": "USD"}}])
    update = release(id="award-2", date="2026-12-05T09:00:00-06:00", tag=["awardUpdate"],
                     awards=[{"id": "a1", "status": "active"}, {"id": "a2", "status": "pending"}])
    [record], problems = records.compile_all(records.group_by_ocid([src(award), src(update, item=1)]), merger)
    assert problems == []
    assert record.compiled["awards"] == [
        {"id": "a1", "status": "active", "value": {"amount": 5000, "currency": "USD"}},
        {"id": "a2", "status": "pending"},
    ]


def test_whole_list_merge_from_an_extension_replaces_the_list(merger, core_merger):
    # organizationClassification marks details.classifications "wholeListMerge": the latest list wins,
    # even though its objects have ids (which the core rules would merge by id).
    first = release(id="1", date="2026-11-01T09:00:00Z",
                    parties=[{"id": "p1", "name": "Acme", "details": {"classifications": [
                        {"scheme": "ALDERPORT-CERT", "id": "MBE"}, {"scheme": "ALDERPORT-CERT", "id": "WBE"}]}}])
    second = release(id="2", date="2026-11-02T09:00:00Z",
                     parties=[{"id": "p1", "name": "Acme", "details": {"classifications": [
                         {"scheme": "ALDERPORT-CERT", "id": "DBE"}]}}])
    groups = records.group_by_ocid([src(first), src(second, item=1)])
    [record], _ = records.compile_all(groups, merger)
    assert record.compiled["parties"][0]["details"]["classifications"] == [
        {"scheme": "ALDERPORT-CERT", "id": "DBE"}]
    [core_record], _ = records.compile_all(groups, core_merger)
    assert len(core_record.compiled["parties"][0]["details"]["classifications"]) == 3


def test_release_missing_date_is_a_problem_not_an_exception(merger):
    good = src(release(ocid="ocds-aldrpt-X-2"), "ocds_data/a.json", 0)
    dated = src(release(id="1"), "ocds_data/b.json", 0)
    undated = release(id="2")
    del undated["date"]
    groups = records.group_by_ocid([good, dated, src(undated, "ocds_data/b.json", 1)])
    compiled, problems = records.compile_all(groups, merger)
    assert [r.ocid for r in compiled] == ["ocds-aldrpt-X-2"]
    [problem] = problems
    assert problem.is_error
    assert problem.code == "compile-failed"
    assert problem.location.ocid == "ocds-aldrpt-X-1"
    assert problem.location.file == "ocds_data/b.json"
    assert "date" in problem.message


def test_field_changing_type_is_a_problem_not_an_exception(merger):
    first = release(id="1", date="2026-11-01T09:00:00Z", tender={"id": "t1", "items": [{"id": "i1"}]})
    second = release(id="2", date="2026-11-02T09:00:00Z", tender={"id": "t1", "items": {"id": "i1"}})
    compiled, problems = records.compile_all(records.group_by_ocid([src(first), src(second, item=1)]), merger)
    assert compiled == []
    assert [p.code for p in problems] == ["compile-failed"]


def test_progress_is_reported(merger):
    calls = []
    releases = [src(release(ocid=f"ocds-aldrpt-X-{i}"), item=i) for i in range(3)]
    records.compile_all(records.group_by_ocid(releases), merger, progress=lambda *a: calls.append(a))
    assert calls[-1] == ("processes compiled", 3, 3)


# --- compiled chunks kept between builds (records.ChunkCache) -------------------------------------

def _chunks(count: int, changed: str = "") -> dict:
    """`count` processes of two releases each (one with an award), their releases packed as a build reads them."""
    releases = []
    for n in range(count):
        ocid = f"ocds-aldrpt-X-{n:04}"
        releases.append(src(release(ocid=ocid, id=f"{n}-1", tender={"id": "t", "status": "active",
                                                                      "title": f"Item {n}{changed if n == 7 else ''}"}),
                            "ocds_data/a.json", 2 * n))
        releases.append(src(release(ocid=ocid, id=f"{n}-2", date="2026-11-05T09:00:00-06:00",
                                    awards=[{"id": "a", "status": "active", "value": {"amount": n, "currency": "USD"}}]),
                            "ocds_data/b.json", 2 * n + 1))
    for r in releases:
        r.pack()
    return records.group_by_ocid(releases)


def _titles(ocid: str, releases) -> list:
    return [(ocid, len(releases))]


def test_a_chunk_compiled_from_the_same_releases_is_taken_from_the_cache(merger, monkeypatch):
    kept: dict[str, object] = {}
    puts = []
    cache = records.ChunkCache(b"salt", kept.get, lambda key, value: puts.append(key) or kept.__setitem__(key, value))
    monkeypatch.setattr(records, "CHUNK", 4)
    fresh, fresh_problems = records.compile_all(_chunks(10), merger, pack=True, also=((_titles, checked := []),))
    first, problems = records.compile_all(_chunks(10), merger, pack=True, also=((_titles, first_checked := []),),
                                          cache=cache)
    assert len(puts) == 3 and first == fresh and problems == fresh_problems and first_checked == checked

    def no_merging(*_):
        raise AssertionError("compiled again")

    monkeypatch.setattr(merger, "create_compiled_release", no_merging)
    again, again_problems = records.compile_all(_chunks(10), merger, pack=True, also=((_titles, again_checked := []),),
                                                cache=cache)
    assert again == fresh and again_problems == fresh_problems and again_checked == checked and len(puts) == 3
    assert again[3].compiled["awards"][0]["value"]["amount"] == 3 and again[3].releases[1]["id"] == "3-2"


def test_a_chunk_whose_releases_changed_is_compiled_again_and_the_others_are_not(merger, monkeypatch):
    kept: dict[str, object] = {}
    cache = records.ChunkCache(b"salt", kept.get, kept.__setitem__)
    monkeypatch.setattr(records, "CHUNK", 4)
    records.compile_all(_chunks(10), merger, pack=True, cache=cache)
    compiled = []
    merge = merger.create_compiled_release
    monkeypatch.setattr(merger, "create_compiled_release", lambda releases: compiled.append(releases[0]["ocid"]) or merge(releases))
    changed, _ = records.compile_all(_chunks(10, " (changed)"), merger, pack=True, cache=cache)
    assert compiled == [f"ocds-aldrpt-X-{n:04}" for n in range(4, 8)]  # the second chunk's, which holds process 7
    assert changed[7].compiled["tender"]["title"] == "Item 7 (changed)"
    other = records.ChunkCache(b"other code", kept.get, kept.__setitem__)
    records.compile_all(_chunks(10), merger, pack=True, cache=other)
    assert len(compiled) == 4 + 10  # another salt (code, merge rules): every chunk compiled again


def test_a_damaged_chunk_is_compiled_again(merger, monkeypatch):
    kept: dict[str, object] = {}
    cache = records.ChunkCache(b"salt", kept.get, kept.__setitem__)
    fresh, _ = records.compile_all(_chunks(3), merger, pack=True, cache=cache)
    for key in kept:
        kept[key] = ("not", "what was kept")
    again, _ = records.compile_all(_chunks(3), merger, pack=True, cache=cache)
    assert again == fresh


def test_a_process_compiled_with_a_problem_is_compiled_again_so_its_problem_is_made_as_before(merger, monkeypatch):
    kept: dict[str, object] = {}
    cache = records.ChunkCache(b"salt", kept.get, kept.__setitem__)
    groups = _chunks(3)
    dated, undated = release(ocid="ocds-aldrpt-X-0009", id="9-1"), release(ocid="ocds-aldrpt-X-0009", id="9-2")
    del undated["date"]
    groups["ocds-aldrpt-X-0009"] = [src(dated, "ocds_data/c.json", 0), src(undated, "ocds_data/c.json", 1)]
    for r in groups["ocds-aldrpt-X-0009"]:
        r.pack()
    first, problems = records.compile_all(groups, merger, pack=True, cache=cache)
    assert [p.code for p in problems] == ["compile-failed"] and len(first) == 3
    compiled = []
    merge = merger.create_compiled_release
    monkeypatch.setattr(merger, "create_compiled_release", lambda releases: compiled.append(releases[0]["ocid"]) or merge(releases))
    again, again_problems = records.compile_all(groups, merger, pack=True, cache=cache)
    assert compiled == ["ocds-aldrpt-X-0009"] and again == first and again_problems == problems
