"""Releases kept as compact JSON once read (inputs.source_release): every stage sees the same
release, the bulk files are the same bytes, and what orjson can't write is kept as read."""

from __future__ import annotations

import orjson
import pytest
from test_bulk import TODAY, UNIT_SETTINGS, written
from test_records import core_merger, kit_files  # noqa: F401 - fixtures

from generator import records, write
from generator.checking import relations
from generator.inputs import folder
from generator.inputs.parsing import parse_data_file
from generator.inputs.source_release import SourceRelease, pack
from generator.publish import bulk
from generator.publish.streams import to_json

from conftest import release

BIG = 2**70  # past what orjson writes


def packed(data, item: int = 0) -> SourceRelease:
    source = SourceRelease(data, "ocds_data/a.json", f"/releases/{item}", item)
    source.pack()
    return source


def test_a_packed_release_reads_back_the_same_and_keeps_its_bytes():
    data = release(tender={"id": "t", "title": "Café ☕ \u2028", "value": {"amount": 1.5, "currency": "USD"}})
    source = packed(data)
    assert source.packed == orjson.dumps(data), "the bytes are orjson's, so bulk files can write them as they are"
    assert source.data == data and source.data is not source.data, "each read decodes anew"
    assert (source.get("ocid"), source.get("id"), source.get("date")) == (data["ocid"], data["id"], data["date"])
    assert source.location("/tender").ocid == data["ocid"]
    once = source.unpacked()
    assert once.data is once.data and once.stored() == source.packed, "unpacked once, stored as its bytes"


@pytest.mark.parametrize("value", [
    release(tender={"id": "t", "value": {"amount": BIG, "currency": "USD"}}),  # an integer past 64 bits
    release(title="\ud800"),  # a lone surrogate (JSON's \ud800 escape)
    ["not", "an", "object"],
    None,
])
def test_what_orjson_cannot_write_stays_as_read(value):
    source = packed(value)
    assert source.packed is None and source.data is value and source.stored() is value
    assert source.is_object == isinstance(value, dict)
    assert source.get("ocid") == (value.get("ocid") if isinstance(value, dict) else None)
    assert pack(value) is None


def test_reading_a_folder_packs_each_release(tmp_path):
    data = tmp_path / "ocds_data"
    data.mkdir()
    first, second = release(id="1"), release(id="2", tender={"id": "t", "value": {"amount": BIG, "currency": "USD"}})
    (data / "a.json").write_bytes(orjson.dumps({"version": "1.1", "releases": [first]}))
    (data / "b.jsonl").write_text(to_json(second).decode() + "\n")
    files, problems = folder.read_data_files(tmp_path)
    assert problems == []
    [a], [b] = (f.releases for f in files)
    assert a.packed == orjson.dumps(first) and a.data == first
    assert b.packed is None and b.data == second and b.line == 1, "the big integer is kept as read"


def test_compiling_packed_releases_is_compiling_them_unpacked(core_merger):  # noqa: F811
    ocid = release()["ocid"]
    later = release(id="2", date="2026-11-02T00:00:00Z", tag=["tenderAmendment"],
                    tender={"id": "t", "title": "Later", "value": {"amount": BIG, "currency": "USD"}})
    earlier = release(id="1", date="2026-11-01T00:00:00Z", tender={"id": "t", "title": "Earlier"})
    plain, _ = records.compile_one(ocid, [SourceRelease(later, "a.json"), SourceRelease(earlier, "a.json")], core_merger)
    seen = []
    [kept], problems = records.compile_all({ocid: [packed(later), packed(earlier, 1)]}, core_merger,
                                           also=[(lambda o, releases: [(o, [r.data for r in releases])], seen)])
    assert problems == [] and kept.compiled == plain.compiled and kept.releases == plain.releases == (earlier, later)
    assert type(kept.stored[0]) is bytes and kept.stored[1] == later, "the big integer's release is kept as read"
    assert [d for d, _ in kept.dated()] == [earlier["date"], later["date"]]
    assert seen == [(ocid, [later, earlier])], "each process's checks see its releases, decoded once"


def test_a_record_file_is_the_same_bytes_from_packed_releases(core_merger):  # noqa: F811
    ocid = release()["ocid"]
    releases = [release(id="1", date="2026-11-01T00:00:00Z", tender={"id": "t", "title": "Ünïcode ✓"}),
                release(id="2", date="2026-11-02T00:00:00Z", awards=[{"id": "a", "title": "A"}])]
    [record], _ = records.compile_all({ocid: [packed(r, i) for i, r in enumerate(releases)]}, core_merger, pack=True)
    as_read = records.CompiledRecord(ocid, tuple(releases), record.compiled, record.sources)
    assert type(record.stored_compiled) is bytes and record.compiled_json() == to_json(record.compiled)
    assert record.compiled_date() == as_read.compiled_date() == releases[1]["date"]
    assert bulk.record_json(record) == bulk.record_json(as_read) == to_json(
        {"ocid": ocid, "releases": releases, "compiledRelease": record.compiled})
    links = [bulk.linked_release(r, "https://x/p.json") for r in releases]
    assert bulk.record_json(record, links) == bulk.record_json(as_read, links) == to_json(
        {"ocid": ocid, "releases": links, "compiledRelease": record.compiled})
    big = records.CompiledRecord(ocid, record.stored, {**record.compiled, "n": BIG}, record.sources).packed()
    assert type(big.stored_compiled) is dict, "what orjson can't write stays a dict"
    assert bulk.record_json(big) == to_json({"ocid": ocid, "releases": releases,
                                             "compiledRelease": big.compiled}), "json writes what orjson can't"


def test_the_links_between_packed_processes_are_checked_as_before():
    first = release(ocid="ocds-aldrpt-1", relatedProcesses=[
        {"id": "1", "relationship": ["prior"], "scheme": "ocid", "identifier": "ocds-aldrpt-9"}])
    loop_a = release(ocid="ocds-aldrpt-2", relatedProcesses=[
        {"id": "1", "relationship": ["prior"], "scheme": "ocid", "identifier": "ocds-aldrpt-3"}])
    loop_b = release(ocid="ocds-aldrpt-3", relatedProcesses=[
        {"id": "1", "relationship": ["prior"], "scheme": "ocid", "identifier": "ocds-aldrpt-2"}])
    plain = {r["ocid"]: [SourceRelease(r, "ocds_data/a.json", f"/releases/{i}", i)] for i, r in enumerate((first, loop_a, loop_b))}
    compact = {r["ocid"]: [packed(r, i)] for i, r in enumerate((first, loop_a, loop_b))}
    found = relations.check(compact)
    assert found == relations.check(plain)
    assert sorted(p.code for p in found) == ["related-cycle", "related-unknown"]
    assert {p.location.pointer for p in found} == {"/releases/0/relatedProcesses/0/identifier",
                                                  "/releases/1/relatedProcesses/0/relationship"}


def test_parse_keeps_releases_as_read_until_the_file_is_kept():
    data_file, _ = parse_data_file("ocds_data/a.json", orjson.dumps(release()))
    assert data_file.releases[0].packed is None, "parsing alone does not pack (tests and tools read values)"
    assert data_file.pack().releases[0].packed == orjson.dumps(release())


def test_compiling_in_workers_gives_what_one_process_gives(core_merger, monkeypatch):  # noqa: F811
    processes = {f"ocds-aldrpt-{n:03}": [packed(release(ocid=f"ocds-aldrpt-{n:03}", id=str(i),
                                                          date=f"2026-11-0{i + 1}T00:00:00Z", tender={
                                                              "id": "t", "title": f"{n}-{i}",
                                                              "value": {"amount": n, "currency": "USD" if i else "EUR"}}),
                                                  i) for i in range(2)] for n in range(30)}
    monkeypatch.setattr(records, "CHUNK", 7)
    monkeypatch.setattr(records, "PARALLEL_FROM", 0)
    results = []
    for workers in (1, 2):
        currencies, steps = [], []
        compiled, problems = records.compile_all(
            processes, core_merger, progress=lambda *a, into=steps: into.append(a), pack=True, workers=workers,
            also=((lambda ocid, releases: [(ocid, len(releases))], currencies),))
        results.append((compiled, problems, currencies, steps))
    assert results[0] == results[1]
    compiled, _, currencies, steps = results[1]
    assert [r.ocid for r in compiled] == sorted(processes) and [r.compiled["tender"]["title"] for r in compiled][:2] == \
        ["0-1", "1-1"]
    assert currencies == [(ocid, 2) for ocid in sorted(processes)], "each check's results come back in ocid order"
    assert steps[-1] == ("processes compiled", 30, 30) and len(steps) == 5


def test_compiling_may_let_each_process_releases_go_once_it_is_compiled(core_merger, monkeypatch):  # noqa: F811
    def processes():
        return {f"ocds-aldrpt-{n:03}": [packed(release(ocid=f"ocds-aldrpt-{n:03}", id=str(i),
                                                       date=f"2026-11-0{i + 1}T00:00:00Z"), i) for i in range(2)]
                for n in range(20)}
    monkeypatch.setattr(records, "CHUNK", 6)
    monkeypatch.setattr(records, "PARALLEL_FROM", 0)
    kept = processes()
    expected = records.compile_all(kept, core_merger, pack=True)
    assert all(len(releases) == 2 for releases in kept.values()), "by default the releases stay"
    for workers in (1, 2):
        groups = processes()
        seen, chunks = [], []
        results = records.compile_all(groups, core_merger, pack=True, workers=workers,
                                      consumed=lambda into=chunks, left=groups: into.append(sum(1 for g in left.values() if g)),
                                      also=((lambda ocid, releases, into=seen: [into.append(len(releases))], []),))
        assert results == expected and (workers == 2 or seen == [2] * 20), "each was compiled from all its releases"
        assert chunks == [14, 8, 2, 0], "called after each chunk, its processes' releases let go"
        assert sorted(groups) == sorted(kept) and all(releases == [] for releases in groups.values())


def test_a_build_lets_the_releases_as_read_go_and_counts_them_first(tmp_path, monkeypatch):
    from generator import pipeline

    from conftest import copy_source

    source = copy_source(tmp_path)
    settings = pipeline.settings_for(source)
    inputs, checked = pipeline.check(source, settings, today=settings.today)
    assert any(f.releases for f in inputs.data_files), "a check keeps them, for tools that read them"
    kept = []
    real = pipeline._check
    monkeypatch.setattr(pipeline, "_check", lambda *a, **k: kept.append(
        (k.get("keep_releases", True), type(k.get("spool")).__name__)) or real(*a, **k))
    built = pipeline.build(source, tmp_path / "site", settings, settings.today)
    assert kept == [(False, "Spool")], "a build lets the releases go and keeps the compiled records' bytes in a spool"
    assert (tmp_path / "site" / "data" / "ocds-record-package.json.gz").stat().st_size > 0
    assert (built.counts["files"], built.counts["releases"]) == (checked.counts["files"], checked.counts["releases"]) \
        and built.counts["releases"] > 0
    assert [p.code for p in built.problems if p.code != "no-base-url"] == [
        p.code for p in checked.problems if p.code != "no-base-url"]


def spool_groups() -> dict[str, list[SourceRelease]]:
    groups = {f"ocds-aldrpt-{n:03}": [packed(release(ocid=f"ocds-aldrpt-{n:03}", id=str(i), date=f"2026-11-0{i + 1}T00:00:00Z",
                                                     tender={"id": "t", "title": f"Ünïcode {n}-{i}"}), i)
                                      for i in range(2)] for n in range(9)}
    big = release(ocid="ocds-aldrpt-big", tender={"id": "t", "value": {"amount": BIG, "currency": "USD"}})
    groups["ocds-aldrpt-big"] = [packed(big)]
    return groups


def seen(compiled: list[records.CompiledRecord]) -> list:
    """Everything a stage reads of the records."""
    return [(r.ocid, r.stored, r.stored_compiled, r.compiled, r.releases, r.compiled_date(), r.compiled_json(),
             [(d, records.held(kept)) for d, kept in r.dated()], r.sources) for r in compiled]


def test_a_spool_keeps_the_compiled_records_bytes_in_an_unnamed_file_and_reads_back_the_same(
        core_merger, tmp_path, monkeypatch):  # noqa: F811
    from generator import workers

    monkeypatch.setattr(records, "CHUNK", 4)
    monkeypatch.setattr(records, "PARALLEL_FROM", 0)
    expected, problems = records.compile_all(spool_groups(), core_merger, pack=True)
    with write.Spool(str(tmp_path)) as spool:
        for n in (1, 2):
            compiled, found = records.compile_all(spool_groups(), core_merger, pack=True, workers=n, keep=spool.keep)
            assert found == problems and seen(compiled) == seen(expected)
            kinds = {r.ocid: {type(part).__name__ for part in (*r.kept, r.kept_compiled)} for r in compiled}
            assert kinds.pop("ocds-aldrpt-big") == {"dict"}, "what orjson can't write stays in memory, as read"
            assert set(map(frozenset, kinds.values())) == {frozenset({"Spooled"})}, "no bytes are held in memory"
            assert written(bulk.BulkData(compiled, UNIT_SETTINGS, TODAY)) == written(
                bulk.BulkData(expected, UNIT_SETTINGS, TODAY)), "the bulk files are the same bytes"
            in_workers = list(workers.in_order(lambda shared, i: shared[i].stored_compiled, range(len(compiled)),
                                               compiled, 2))
            assert in_workers == [r.stored_compiled for r in expected], "forked workers read the same file"
        assert list(tmp_path.iterdir()) == [], "the file has no name: nothing is left behind"
    with pytest.raises(OSError):
        compiled[0].stored_compiled  # noqa: B018 - the file is gone once the spool is closed


def test_a_spool_that_cannot_write_says_where_and_what_to_do(core_merger, tmp_path, monkeypatch):  # noqa: F811
    import errno

    from generator.errors import OutputError

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    with write.Spool(str(tmp_path)) as spool:
        monkeypatch.setattr(write.os, "pwrite", full)
        with pytest.raises(OutputError) as raised:
            records.compile_all(spool_groups(), core_merger, pack=True, keep=spool.keep)
    assert str(tmp_path) in raised.value.message and "No space left on device" in raised.value.message
    assert "TMPDIR" in raised.value.hint
