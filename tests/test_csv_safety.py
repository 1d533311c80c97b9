"""CSV downloads never hold a cell a spreadsheet would run as a formula (issue 16, item 4).

A portal whose data puts a formula-like text into every text field that reaches a CSV column is
built; every CSV it writes is read back, column by column. Each such cell must start with the
neutralising apostrophe (csv_text.text_cell) and give the data's text back when it is removed;
numbers the generator writes from numbers stay as they are."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import pipeline
from generator.publish import bulk, flat_tables
from generator.publish.csv_text import QUOTED_STARTS, Number, csv_bytes, original, text_cell

from conftest import copy_source

# --- the rule -------------------------------------------------------------------------------------

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠"]


@pytest.mark.parametrize("start", TRIGGERS, ids=[f"U+{ord(c):04X}" for c in TRIGGERS])
def test_a_text_starting_like_a_formula_gets_an_apostrophe(start):
    text = f"{start}HYPERLINK(\"https://evil.example/\")"
    if start == "\0":  # a control character is dropped (values.printable), so nothing is left to hide
        assert text_cell(text) == text[1:]
        return
    assert text_cell(text) == "'" + text
    assert original(text_cell(text)) == text


def test_control_characters_are_dropped_from_cells_and_cannot_hide_a_formula():
    assert text_cell("\0=1+1") == "'=1+1" and text_cell("a\x1bb\x85c\td") == "abc\td"


@pytest.mark.parametrize("text", ["", "Road salt", "1500", "2026-11-16", " =1+1", "a=b", "ocds-aldrpt-1", "Ω"])
def test_other_text_is_left_as_it_is(text):
    assert text_cell(text) == text
    assert original(text) == text


@pytest.mark.parametrize("text", ["'", "'quoted'", "'=1+1", "''"])
def test_a_text_starting_with_an_apostrophe_keeps_it(text):
    """The apostrophe is escaped too, so that removing one leading apostrophe always gives the text."""
    assert text_cell(text) == "'" + text
    assert original(text_cell(text)) == text


def test_the_documented_triggers_are_the_rules():
    assert set(TRIGGERS) | {"'"} == QUOTED_STARTS


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_numbers_stay_numbers_and_text_that_looks_like_one_is_text():
    data = csv_bytes([["amount", "title"], [-1500.5, "-5"], [Number("-3"), "+1"], [0, ""], [12, "12"]])
    assert data.startswith(b"amount,title\r\n-1500.5,'-5\r\n-3,'+1\r\n0,\r\n12,12\r\n")
    assert cells(data)[1:] == [["-1500.5", "'-5"], ["-3", "'+1"], ["0", ""], ["12", "12"]]


def test_a_cell_with_a_line_break_or_quote_is_quoted_and_neutralised():
    data = csv_bytes([["\r=1+1", 'a "b", c']])
    assert data == b'"\'\r=1+1","a ""b"", c"\r\n'
    assert cells(data) == [["'\r=1+1", 'a "b", c']]


# --- every CSV of a built portal ----------------------------------------------------------------

STARTS = ["=", "+", "-", "@", "＝", "＋", "－", "＠", "'"]
INJECTED: dict[str, str] = {}  # OCDS path (as the data dictionary names it) -> the text the data holds there


def evil(path: str, start: str | None = None) -> str:
    """A formula-like text for the field at `path`, each field starting with the next trigger."""
    start = start or STARTS[len(INJECTED) % len(STARTS)]
    INJECTED[path] = f'{start}HYPERLINK("https://evil.example/?{path}","{path}")'
    return INJECTED[path]


BUYER = {"id": evil("buyer/id"), "name": evil("buyer/name")}
SUPPLIER = {"id": evil("awards/suppliers/id"), "name": evil("awards/suppliers/name")}
OCID = "ocds-aldrpt-CSV-1"
def related(path: str) -> dict:
    return {"id": evil(f"{path}/id"), "relationship": [evil(f"{path}/relationship")], "title": evil(f"{path}/title"),
            "scheme": evil(f"{path}/scheme"), "identifier": evil(f"{path}/identifier"),
            "uri": "https://other-agency.example/contracts/42"}


RELEASE = {
    "ocid": OCID, "id": evil("id"), "date": "2026-10-01T09:00:00-05:00", "tag": ["contract"],
    "initiationType": "tender", "language": evil("language", "@"),
    "buyer": BUYER,
    "parties": [
        {**BUYER, "roles": ["buyer", "procuringEntity"]},
        {"id": SUPPLIER["id"], "name": evil("parties/name"), "roles": ["supplier", "tenderer"],
         "identifier": {"scheme": evil("parties/identifier/scheme"), "id": evil("parties/identifier/id"),
                        "legalName": evil("parties/identifier/legalName")},
         "address": {"streetAddress": evil("parties/address/streetAddress"),
                     "locality": evil("parties/address/locality"), "region": evil("parties/address/region"),
                     "postalCode": evil("parties/address/postalCode"),
                     "countryName": evil("parties/address/countryName")},
         "details": {"scale": "sme", "classifications": [{"scheme": "ALDERPORT-CERT",
                                                          "id": evil("parties/details/classifications/id")}]}},
    ],
    "planning": {"budget": {"amount": {"amount": 2000, "currency": "USD"}}},
    "tender": {
        "id": evil("tender/id"), "title": "-5", "description": "\t=1+1 (a tab first)", "status": "complete",
        "procurementMethod": "open", "procurementMethodDetails": evil("tender/procurementMethodDetails"),
        "mainProcurementCategory": "goods", "value": {"amount": 1500.5, "currency": "USD"},
        "tenderPeriod": {"startDate": "2026-09-01T09:00:00-05:00", "endDate": "2026-09-15T14:00:00-05:00"},
        "submissionMethod": [evil("tender/submissionMethod")],
        "eligibilityCriteria": "\r=1+1 (a carriage return first)",
        "numberOfTenderers": 2, "procuringEntity": BUYER,
        "items": [{"id": "1", "description": evil("tender/items/description"),
                   "classification": {"scheme": "UNSPSC", "id": "72150000",
                                      "description": evil("tender/items/classification/description")}}],
        "procurementMethodRationale": evil("tender/procurementMethodRationale"),
        "procurementMethodRationaleClassifications": [
            {"scheme": "US-2CFR200.320", "id": evil("tender/procurementMethodRationaleClassifications/id")}],
        "additionalClassifications": [{"scheme": "US-FEMA-PA", "id": evil("tender/additionalClassifications/id")}],
        # false: a framework agreement's award is a ceiling, never money spent, and the charts' CSVs
        # need an award that is; the tables still carry the agreement's fields as published.
        "techniques": {"hasFrameworkAgreement": False, "frameworkAgreement": {
            "method": "withReopeningCompetition", "maximumParticipants": 3,
            "buyerCategories": evil("tender/techniques/frameworkAgreement/buyerCategories"),
            "value": {"amount": 90000, "currency": "USD"},
            "period": {"startDate": "2026-09-01T09:00:00-05:00", "endDate": "2028-09-01T09:00:00-05:00"}}},
        "competitive": True,
        "lots": [{"id": evil("tender/lots/id"), "title": evil("tender/lots/title"),
                  "description": evil("tender/lots/description"), "status": "complete",
                  "value": {"amount": 1500.5, "currency": "USD"}}],
    },
    "awards": [{"id": evil("awards/id"), "title": evil("awards/title"), "description": evil("awards/description"),
                "status": "active", "date": "2026-09-20T10:00:00-05:00",
                "value": {"amount": 1500.5, "currency": "USD"}, "suppliers": [SUPPLIER],
                "relatedLots": [INJECTED["tender/lots/id"]]}],
    "contracts": [{"id": evil("contracts/id"), "awardID": INJECTED["awards/id"], "title": evil("contracts/title"),
                   "description": evil("contracts/description"), "status": "active",
                   "value": {"amount": 1500.5, "currency": "USD"}, "dateSigned": "2026-09-25T10:00:00-05:00",
                   "period": {"maxExtentDate": "2029-09-25T10:00:00-05:00"}, "hasRenewal": True,
                   "renewal": {"maximumRenewals": 2, "description": evil("contracts/renewal/description")},
                   "relatedProcesses": [related("contracts/relatedProcesses")]}],
    "relatedProcesses": [related("relatedProcesses")],
}
INJECTED |= {"tender/title": "-5", "tender/description": RELEASE["tender"]["description"],
             "tender/eligibilityCriteria": RELEASE["tender"]["eligibilityCriteria"],
             "tender/procuringEntity/id": BUYER["id"], "tender/procuringEntity/name": BUYER["name"],
             "awards/relatedLots": INJECTED["tender/lots/id"], "contracts/awardID": INJECTED["awards/id"],
             "parties/id": BUYER["id"]}
# Columns that hold no text from the data as it is: codes of closed codelists, dates, numbers, booleans,
# the ocid (which must start with the city's prefix) and the compiled release's id (the generator's).
NOT_TEXT = {"ocid", "id", "date", "initiationType", "tender/status", "tender/procurementMethod",
            "tender/mainProcurementCategory", "tender/value/amount", "tender/value/currency",
            "tender/tenderPeriod/startDate", "tender/tenderPeriod/endDate", "tender/enquiryPeriod/endDate",
            "tender/numberOfTenderers", "tender/suitability/sme", "planning/budget/amount/amount",
            "planning/budget/amount/currency", "tender/lots/status", "tender/lots/value/amount",
            "tender/lots/value/currency", "tender/lots/suitability/sme", "awards/status", "awards/date",
            "awards/value/amount", "awards/value/currency", "awards/contractPeriod/startDate",
            "awards/contractPeriod/endDate", "contracts/status", "contracts/value/amount", "contracts/value/currency",
            "contracts/period/startDate", "contracts/period/endDate", "contracts/dateSigned", "parties/roles",
            "parties/details/scale", "tender/techniques/hasFrameworkAgreement",
            "tender/techniques/frameworkAgreement/method", "tender/techniques/frameworkAgreement/maximumParticipants",
            "tender/techniques/frameworkAgreement/value/amount", "tender/techniques/frameworkAgreement/value/currency",
            "tender/techniques/frameworkAgreement/period/startDate",
            "tender/techniques/frameworkAgreement/period/endDate", "tender/competitive",
            "contracts/period/maxExtentDate", "contracts/hasRenewal", "contracts/renewal/maximumRenewals",
            "relatedProcesses/uri", "contracts/relatedProcesses/uri"}
BULK = [f"data/csv/{t.name}.csv" for t in flat_tables.TABLES] + ["data/" + bulk.DICTIONARY]
FIGURES = [f"spending/{name}.csv" for name in ("by-department", "by-year", "by-method", "businesses", "bidders",
                                                "days-to-award")] + ["buyers/*/by-category.csv", "buyers/*/by-supplier.csv",
                                                                     "performance/flags.csv"] + [
    f"performance/{name}.csv" for name in (
        "cycle-stages", "cycle-by-year", "cycle-by-method", "cycle-by-department", "competition-by-year",
        "competition-by-department", "competition-by-category", "non-competitive", "diversity-by-year",
        "diversity-by-department", "first-time-winners", "concentration-awards", "top-suppliers",
        "suppliers-per-category", "savings")]


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    """A portal whose only process holds a formula-like text in every field that reaches a CSV, built."""
    source = copy_source(tmp_path_factory.mktemp("csv"), with_data=False)
    (source / "ocds_data").mkdir()
    package = {"uri": "https://alderport.example.gov/csv.json", "version": "1.1",
               "publishedDate": "2026-10-01T09:00:00-05:00", "publisher": {"name": "Alderport"},
               "extensions": pipeline.settings_for(source).extensions, "releases": [RELEASE]}
    (source / "ocds_data" / "csv.json").write_text(json.dumps(package), "utf-8")
    output = source / "_site"
    settings = pipeline.settings_for(source)
    report = pipeline.build(source, output, settings, settings.today)
    assert report.counts["processes"] == 1, [p.message for p in report.problems]
    return output


def read(portal: Path, pattern: str) -> tuple[list[str], list[list[str]]]:
    found = sorted(portal.glob(pattern))
    assert len(found) == 1, f"{pattern}: {found}"
    header, *rows = cells(found[0].read_bytes())
    return header, rows


@pytest.mark.parametrize("pattern", BULK + FIGURES)
def test_no_cell_of_any_csv_starts_a_formula(portal, pattern):
    header, rows = read(portal, pattern)
    for row in [header, *rows]:
        for column, cell in zip(header, row, strict=True):
            if cell[:1] == "'":
                assert cell[1:2] in QUOTED_STARTS, f"{pattern}, column {column}: {cell!r} was quoted for nothing"
            else:
                assert cell[:1] not in QUOTED_STARTS, f"{pattern}, column {column}: {cell!r} would run as a formula"


@pytest.mark.parametrize("table", flat_tables.TABLES, ids=lambda t: t.name)
def test_every_text_column_of_the_tables_holds_the_datas_text_neutralised(portal, table):
    header, rows = read(portal, f"data/csv/{table.name}.csv")
    assert rows, table.name
    for n, column in enumerate(table.columns):
        if column.path in NOT_TEXT:
            continue
        assert column.path in INJECTED, f"{table.name}.{column.name}: a new column? add its field to this test"
        values = [row[n] for row in rows]
        expected = text_cell(INJECTED[column.path])
        assert expected in values, f"{table.name}.{column.name}: {values} lacks {expected!r}"
        assert all(original(v) != v or not v for v in values), f"{table.name}.{column.name}: {values}"


def test_numbers_from_the_data_are_written_as_numbers(portal):
    header, rows = read(portal, "data/csv/awards.csv")
    assert rows[0][header.index("value_amount")] == "1500.5"
    header, rows = read(portal, "spending/by-department.csv")
    assert rows[0] == [text_cell(BUYER["name"]), "1", "1500.5", "0"]


@pytest.mark.parametrize(("pattern", "column", "name"), [
    ("spending/by-department.csv", 0, BUYER["name"]),
    ("buyers/*/by-category.csv", 0, INJECTED["tender/items/classification/description"]),
    ("buyers/*/by-supplier.csv", 0, SUPPLIER["name"]),
    ("performance/flags.csv", 4, BUYER["name"]),
    ("performance/diversity-by-department.csv", 0, BUYER["name"]),
    ("performance/top-suppliers.csv", 0, SUPPLIER["name"]),  # its submission period, 14 days, is short
])
def test_names_in_the_charts_csv_are_neutralised(portal, pattern, column, name):
    header, rows = read(portal, pattern)
    assert [row[column] for row in rows] == [text_cell(name)]


def test_every_csv_the_site_writes_is_checked(portal):
    everything = {p.relative_to(portal).as_posix() for p in portal.rglob("*.csv")}
    written = {w for w in everything if not w.startswith("es/")}
    # Each other language has its own figures' CSVs (their headers are translated); the bulk is shared.
    assert {w.removeprefix("es/") for w in everything - written} == {
        w for w in written if any(Path(w).match(p) for p in FIGURES)}
    patterns = BULK + FIGURES
    assert written and all(any(Path(w).match(p) for p in patterns) for w in written), sorted(written)
    assert len(written) == len(patterns)


def test_the_data_page_says_which_cells_get_an_apostrophe_and_how_to_undo_it(portal):
    page = BeautifulSoup((portal / "data" / "index.html").read_bytes(), "lxml")
    note = page.find(id="formulas").get_text()
    for start in "=+-@＝＋－＠":
        assert f" {start}" in note, start
    assert "tab" in note and "line break" in note and "NUL" in note
    assert "(')" in note and "begins with an apostrophe" in note and "remove the first character" in note
    assert page.select_one('a[href="#formulas"]')
