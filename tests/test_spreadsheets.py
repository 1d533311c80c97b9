"""Spreadsheets: `portal new spreadsheet`'s workbook, and .xlsx, .ods and CSV folders in ocds_data/
read as releases, with every problem named by its sheet, row and column."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from generator import pipeline
from generator.authoring import spreadsheet
from generator.checking.problem_text import as_github, as_text
from generator.cli import main
from generator.inputs import folder, spreadsheets

from conftest import copy_source, release

NOW = dt.datetime(2026, 11, 16, 9, 30, tzinfo=ZoneInfo("America/Chicago"))
OPEN = release(
    ocid="ocds-aldrpt-2026-X-0001", id="ocds-aldrpt-2026-X-0001-tender", date="2026-11-10T09:00:00-06:00",
    buyer={"id": "PW", "name": "Public Works"},
    tender={"id": "ITB-26-001", "title": "Road salt", "status": "active", "procurementMethod": "open",
            "mainProcurementCategory": "goods", "value": {"amount": 85000, "currency": "USD"},
            "tenderPeriod": {"startDate": "2026-11-10T09:00:00-06:00", "endDate": "2026-12-14T14:00:00-06:00"},
            "items": [{"id": "1", "description": "Rock salt", "quantity": 1200}]})


@pytest.fixture(scope="module")
def settings():
    return pipeline.settings_for(Path(__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def template(demo_kit, settings):
    return spreadsheet.workbook(demo_kit.release_schema, settings, NOW)


def empty_source(tmp_path: Path) -> Path:
    return copy_source(tmp_path, with_data=False)


def problems_of(source: Path):
    _, report = pipeline.check(source, pipeline.settings_for(source), today=NOW.date())
    return report.problems


def with_rows(demo_kit, settings, releases) -> bytes:
    return spreadsheet.workbook(demo_kit.release_schema, settings, NOW, releases)


def as_csv_folder(xlsx: bytes, target: Path) -> None:
    """Each sheet of a workbook saved as CSV UTF-8 (with Excel's byte-order mark), as staff would."""
    target.mkdir(parents=True)
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    for sheet in book.worksheets[1:]:
        with (target / f"{sheet.title}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows([["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)])


# --- the template ---------------------------------------------------------------------------

def test_the_template_opens_on_its_instructions_then_the_columns_a_city_needs(template):
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert book.sheetnames[:6] == ["Instructions", "main", "parties", "ten_items", "ten_lots", "ten_documents"]
    headers = [c.value for c in book["main"][1]]
    assert headers[:12] == ["ocid", "id", "date", "tag", "initiationType", "language", "buyer/id", "buyer/name",
                            "tender/id", "tender/title", "tender/description", "tender/status"]
    assert len(headers) > 100, "flattentool's whole template follows: every field of the schema has a column"
    deadline = book["main"].cell(1, headers.index("tender/tenderPeriod/endDate") + 1)
    assert deadline.comment.text.startswith("End date\n")
    assert "2027-01-14T14:00:00-06:00" in deadline.comment.text
    method = book["main"].cell(1, headers.index("tender/procurementMethod") + 1).comment.text
    assert "Codes: open, selective, limited, direct" in method
    notes = [row[0] for row in book["Instructions"].iter_rows(values_only=True)]
    assert notes[0] == "Contracting notices of City of Alderport: how to fill in this workbook"
    assert any("read in America/Chicago" in (n or "") for n in notes)
    needed = [(row[0], row[1]) for row in book["Instructions"].iter_rows(values_only=True) if row[1]]
    assert ("main", "tender/title") in needed and ("parties", "parties/0/contactPoint/email") in needed


def test_the_same_releases_and_now_give_the_same_bytes(template, demo_kit, settings):
    assert spreadsheet.workbook(demo_kit.release_schema, settings, NOW) == template
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(template)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_portal_new_spreadsheet_writes_a_workbook_that_checks_clean(tmp_path, capsys):
    source = empty_source(tmp_path)
    assert main(["new", "spreadsheet", "--source", str(source)]) == 0
    assert main(["new", "spreadsheet", "--source", str(source)]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {source / 'ocds_data/register.xlsx'}: a workbook" in out
    assert sorted(p.name for p in (source / "ocds_data").iterdir()) == ["register-2.xlsx", "register.xlsx"]
    found = problems_of(source)
    assert {(p.code, p.location.file) for p in found} == {
        ("spreadsheet-empty", "ocds_data/register.xlsx"), ("spreadsheet-empty", "ocds_data/register-2.xlsx")}
    assert not any(p.is_error for p in found)


# --- reading --------------------------------------------------------------------------------

def test_a_filled_workbook_reads_as_its_releases(tmp_path, demo_kit, settings):
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    (source / "ocds_data" / "register.xlsx").write_bytes(with_rows(demo_kit, settings, [OPEN]))
    files, problems = folder.read_data_files(source, None, demo_kit.release_schema, "America/Chicago")
    assert problems == []
    [data_file] = files
    assert data_file.kind == "spreadsheet" and data_file.path == "ocds_data/register.xlsx"
    assert [r.data for r in data_file.releases] == [OPEN], "numbers, lists and nested lists come back as JSON"
    assert problems_of(source) == []


def test_each_problem_names_its_sheet_row_and_column(tmp_path, demo_kit, settings):
    broken = json.loads(json.dumps(OPEN))
    broken["tender"]["descripton"] = "Rock salt for the winter"
    broken["tender"]["value"]["amount"] = "$85,000"
    broken["tender"]["tenderPeriod"]["endDate"] = "12/14/2026"
    broken["tender"]["items"][0]["quantity"] = "twelve hundred"
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    (source / "ocds_data" / "register.xlsx").write_bytes(with_rows(demo_kit, settings, [OPEN, broken | {"id": "2"}]))
    found = problems_of(source)
    headers = [c.value for c in openpyxl.load_workbook(source / "ocds_data" / "register.xlsx")["main"][1]]

    def column(header):
        return openpyxl.utils.get_column_letter(headers.index(header) + 1)

    def at(suffix):
        [problem] = [p for p in found if p.location.pointer.endswith(suffix)]
        return problem

    unknown = at("/tender/descripton")
    assert unknown.is_error, "a header staff mistyped would lose its column silently"
    assert unknown.location.cell == f"sheet main, row 3, column {column('tender/descripton')} (tender/descripton)"
    assert unknown.message.endswith("Did you mean tender.description?")
    assert unknown.hint == "Change the column's header to tender/description."
    amount = at("/tender/value/amount")
    assert amount.location.cell == f"sheet main, row 3, column {column('tender/value/amount')} (tender/value/amount)"
    assert "Write 85000 instead." in amount.hint
    date = at("/tenderPeriod/endDate")
    assert "12/14/2026" in date.message and "-06:00" in date.hint
    quantity = at("/items/0/quantity")
    assert quantity.location.cell.startswith("sheet ten_items, row 3, column ")
    assert len(found) == 4, "one problem for each mistake, and nothing else"
    twice = as_text([unknown, dataclasses.replace(unknown, location=dataclasses.replace(
        unknown.location, cell=unknown.location.cell.replace("row 3", "row 4")))])
    assert f"2 times, e.g. sheet main, row 3, column {column('tender/descripton')} (tender/descripton); sheet main, " \
           "row 4," in twice, "several cells are told apart by semicolons, a cell's own parts by commas"
    text = as_text(found)
    assert f"sheet main, row 3, column {column('tender/descripton')} (tender/descripton), ocds-aldrpt-2026-X-0001:" in text


def test_a_csv_folder_reads_as_one_spreadsheet_and_annotates_the_sheets_own_file(tmp_path, demo_kit, settings):
    broken = json.loads(json.dumps(OPEN)) | {"id": "2"}
    broken["tender"]["descripton"] = "Rock salt"
    source = empty_source(tmp_path)
    as_csv_folder(with_rows(demo_kit, settings, [OPEN, broken]), source / "ocds_data" / "register")
    files, problems = folder.read_data_files(source, None, demo_kit.release_schema, "America/Chicago")
    assert problems == [] and [f.path for f in files] == ["ocds_data/register/"]
    assert [r.data for r in files[0].releases][0] == OPEN
    [unknown] = problems_of(source)
    assert (unknown.location.file, unknown.location.line) == ("ocds_data/register/main.csv", 3)
    annotation = as_github([unknown])
    assert annotation.startswith("::error file=ocds_data/register/main.csv,line=3,title=field-unknown::row 3, column ")
    assert "(tender/descripton): tender.descripton is not a field" in annotation


def test_an_ods_spreadsheet_reads_as_its_releases(tmp_path, demo_kit, settings):
    from flattentool import flatten

    package = tmp_path / "package.json"
    package.write_text(json.dumps({"releases": [OPEN]}))
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    schema = tmp_path / "release-schema.json"
    schema.write_text(json.dumps(demo_kit.release_schema))
    with pytest.warns(UserWarning):  # flattentool's notes on the schema
        flatten(str(package), schema=str(schema), output_name=str(source / "ocds_data" / "register.ods"),
                output_format="ods", root_list_path="releases", root_id="ocid", main_sheet_name="main")
    files, problems = folder.read_data_files(source, None, demo_kit.release_schema, "America/Chicago")
    assert problems == [] and [r.data for r in files[0].releases] == [OPEN]


def test_a_date_cell_is_read_in_the_citys_time_zone(tmp_path, demo_kit, settings):
    book = openpyxl.load_workbook(io.BytesIO(with_rows(demo_kit, settings, [OPEN])))
    headers = [c.value for c in book["main"][1]]
    book["main"].cell(2, headers.index("tender/tenderPeriod/endDate") + 1).value = dt.datetime(2027, 1, 14, 14, 0)
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    book.save(source / "ocds_data" / "register.xlsx")
    files, _ = folder.read_data_files(source, None, demo_kit.release_schema, "America/Chicago")
    assert files[0].releases[0].data["tender"]["tenderPeriod"]["endDate"] == "2027-01-14T14:00:00-06:00"


def test_the_instructions_sheet_and_sheets_named_with_a_hash_are_not_data():
    assert spreadsheets.is_notes("Instructions") and spreadsheets.is_notes("#notes")
    assert not spreadsheets.is_notes("main") and not spreadsheets.is_notes("parties")


@pytest.mark.parametrize(("name", "content", "code", "words"), [
    ("register.xlsx", b"this is not a workbook", "spreadsheet-unreadable", "This spreadsheet can't be read"),
    ("register.ods", b"PK\x03\x04 broken", "spreadsheet-unreadable", "This spreadsheet can't be read"),
    ("register/main.csv", "ocid,id,tender/title\nocds-aldrpt-1,1,Caf\u00e9\n".encode("cp1252"), "not-utf8",
     "CSV UTF-8"),
])
def test_a_spreadsheet_that_cant_be_read_is_an_error_that_says_what_to_do(tmp_path, demo_kit, name, content, code,
                                                                          words):
    source = empty_source(tmp_path)
    (source / "ocds_data" / name).parent.mkdir(parents=True)
    (source / "ocds_data" / name).write_bytes(content)
    files, problems = folder.read_data_files(source, None, demo_kit.release_schema, "America/Chicago")
    assert files == []
    [problem] = problems
    assert problem.code == code and problem.is_error and words in problem.message + problem.hint
    assert problem.location.file == "ocds_data/" + (name if "/" not in name else name.split("/")[0] + "/")


def test_flattentools_own_notes_on_a_sheet_are_warnings(tmp_path, demo_kit, settings):
    book = openpyxl.load_workbook(io.BytesIO(with_rows(demo_kit, settings, [OPEN])))
    main_sheet = book["main"]
    main_sheet.cell(1, main_sheet.max_column + 1).value = "tender/title"  # the same header twice
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    book.save(source / "ocds_data" / "register.xlsx")
    _, problems = folder.read_data_files(source, None, demo_kit.release_schema, "America/Chicago")
    [note] = problems
    assert note.code == "spreadsheet-note" and not note.is_error
    assert 'Duplicate heading "tender/title" found' in note.message and '(sheet: "main")' in note.message


# --- the round trip -------------------------------------------------------------------------

def _canonical(value):
    """JSON whose key order and the order of lists of objects with ids don't matter (as in OCDS,
    which merges such lists by id): a spreadsheet keeps neither."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if items and all(isinstance(v, dict) and "id" in v for v in items):
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        return items
    return value


def test_the_demo_register_builds_the_same_pages_as_its_json(tmp_path):
    """The demo's Parks and Recreation register (an .xlsx of `portal new spreadsheet`'s template,
    written by scripts/make_demo_city.py) against the releases it was made from, as a JSON package."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import make_demo_city

    releases = make_demo_city.spreadsheet_releases()
    assert len({r["ocid"] for r in releases}) >= 10, "a register of ten processes or more"
    folder_name = "parks-and-recreation"
    sites = {}
    for kind in ("xlsx", "json"):
        source = empty_source(tmp_path / kind)
        (source / "ocds_data" / folder_name).mkdir(parents=True)
        if kind == "xlsx":
            demo = Path(__file__).resolve().parents[1] / "ocds_data" / folder_name / make_demo_city.SPREADSHEET
            (source / "ocds_data" / folder_name / "register.xlsx").write_bytes(demo.read_bytes())
        else:
            (source / "ocds_data" / folder_name / "register.json").write_text(json.dumps(
                {"uri": "https://alderport.example.gov/register.json", "publishedDate": "2026-11-16T09:00:00-06:00",
                 "publisher": {"name": "City of Alderport"}, "version": "1.1", "releases": releases}))
        sites[kind] = tmp_path / kind / "site"
        assert main(["build", "--source", str(source), "--output", str(sites[kind])]) == 0
    built = {kind: {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
             for kind, site in sites.items()}
    assert built["xlsx"].keys() == built["json"].keys()
    pages = [name for name in built["xlsx"] if name.endswith(".html")]
    assert len(pages) > 100, "every page of both languages"
    differ = [name for name in pages if built["xlsx"][name].read_bytes() != built["json"][name].read_bytes()]
    # Only the data page differs: it gives the bulk files' sizes and checksums, and the JSON keeps
    # the source's key order, which a spreadsheet doesn't have.
    assert sorted(differ) == ["data/index.html", "es/data/index.html"]
    records = [name for name in built["xlsx"] if name.endswith("/record.json")]
    assert len(records) >= 10
    for name in records:
        assert _canonical(json.loads(built["xlsx"][name].read_text())) == \
            _canonical(json.loads(built["json"][name].read_text())), name


# --- the reading cache ----------------------------------------------------------------------

def _read_counting(monkeypatch, source, demo_kit, timezone="America/Chicago"):
    """Reads the source's data files, counting the readings that went to the spreadsheet itself."""
    calls = []
    real = spreadsheets._read
    monkeypatch.setattr(spreadsheets, "_read", lambda *args: calls.append(args[0]) or real(*args))
    files, problems = folder.read_data_files(source, None, demo_kit.release_schema, timezone)
    return files, problems, calls


def test_a_spreadsheet_read_again_unchanged_comes_from_the_cache_as_it_was_read(tmp_path, demo_kit, settings,
                                                                                monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    broken = json.loads(json.dumps(OPEN))
    broken["tender"]["value"]["amount"] = "$85,000"
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    workbook = source / "ocds_data" / "register.xlsx"
    workbook.write_bytes(with_rows(demo_kit, settings, [broken, OPEN | {"id": "second"}]))
    first, first_problems, calls = _read_counting(monkeypatch, source, demo_kit)
    assert calls == ["ocds_data/register.xlsx"]
    again, again_problems, calls = _read_counting(monkeypatch, source, demo_kit)
    assert calls == [], "the workbook was read again although its bytes had not changed"
    assert [r.data for r in again[0].releases] == [r.data for r in first[0].releases]
    assert again[0].cells == first[0].cells and again[0].digest == first[0].digest
    assert again_problems == first_problems
    assert problems_of(source) == problems_of(source), "the cell a problem names is the same from the cache"
    assert any("row 2" in as_text([p]) for p in problems_of(source) if p.is_error)

    _, _, calls = _read_counting(monkeypatch, source, demo_kit, timezone="Europe/Madrid")
    assert calls == ["ocds_data/register.xlsx"], "dates are read in the city's time zone: another zone reads again"
    workbook.write_bytes(with_rows(demo_kit, settings, [OPEN]))
    changed, _, calls = _read_counting(monkeypatch, source, demo_kit)
    assert calls == ["ocds_data/register.xlsx"] and [r.data for r in changed[0].releases] == [OPEN]


def test_a_damaged_cache_entry_reads_the_spreadsheet_again(tmp_path, demo_kit, settings, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    (source / "ocds_data" / "register.xlsx").write_bytes(with_rows(demo_kit, settings, [OPEN]))
    _read_counting(monkeypatch, source, demo_kit)
    [entry] = (tmp_path / "cache").rglob("*.json")
    entry.write_text('{"problems": [], "releases": [{"ocid": 1}], "cells": {"/x": [1]}}', "utf-8")
    files, problems, calls = _read_counting(monkeypatch, source, demo_kit)
    assert calls == ["ocds_data/register.xlsx"] and [r.data for r in files[0].releases] == [OPEN] and not problems


def test_an_unreadable_spreadsheet_is_remembered_as_unreadable(tmp_path, demo_kit, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = empty_source(tmp_path)
    (source / "ocds_data").mkdir()
    (source / "ocds_data" / "register.xlsx").write_bytes(b"this is not a workbook")
    _, first, _ = _read_counting(monkeypatch, source, demo_kit)
    files, again, calls = _read_counting(monkeypatch, source, demo_kit)
    assert calls == [] and files == [] and again == first and first[0].code == "spreadsheet-unreadable"
