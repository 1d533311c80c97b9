"""Spreadsheets in ocds_data/ (.xlsx, .ods, or a folder of .csv files, one per sheet) → releases.

Read through flattentool, the OCDS community's converter (the Data Review Tool's): each row of the
main sheet is one release (ocid and id), each other sheet adds a list's entries to the release its
ocid and id name; headers are the schema's field paths (`tender/title`, `parties/0/name`) or its
titles, and each cell is typed by the schema (numbers, true/false, lists split at `;`; a date cell
is read in the city's time zone). flattentool also says which sheet, row and column every value
came from: `Cells` turns a problem's JSON pointer into that cell, so a schema error in a
spreadsheet reads "sheet tender, row 4, column C (tender/title)" instead of /releases/3/tender/title.

Reading only: problems are returned as values. flattentool is imported when a spreadsheet is met.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import metadata
from pathlib import Path

from generator import __version__
from generator.errors import Location, Problem, error, warning
from generator.inputs import validation_cache
from generator.inputs.parsing import DataFile, SourceRelease, within_bounds

SPREADSHEET_SUFFIXES = {".xlsx": "xlsx", ".ods": "ods"}
CSV = ".csv"
# Sheets of notes, not data: the template's instructions, or any sheet whose name starts with #.
NOTES_SHEETS = {"instructions", "instrucciones", "readme", "read me"}
ROOT = "releases"
# flattentool's warnings about a cell it could not type: the schema check reports the same value
# at its cell, in plain words ("$85,000" → "Write 85000 instead"), so these are not repeated.
REPORTED_BY_SCHEMA = ("Non-numeric value", "Non-integer value", "Unrecognised value for boolean")


@dataclass(frozen=True, slots=True)
class Cell:
    sheet: str
    column: str  # its letter, e.g. C
    row: int  # 1-based, as the spreadsheet program numbers it
    header: str  # the column's heading as written


def is_notes(sheet: str) -> bool:
    return sheet.startswith("#") or sheet.strip().casefold() in NOTES_SHEETS


def read_spreadsheet(rel: str, path: Path, release_schema: dict | None, timezone: str
                     ) -> tuple[DataFile | None, list[Problem]]:
    """A spreadsheet's releases (a DataFile of kind "spreadsheet", with each value's cell in
    `cells`), or the reason it could not be read. `rel` is the file, or the folder of CSV files.

    What a reading gave is kept in the user's cache (inputs.validation_cache), keyed by the
    file's bytes and all that reading depends on: a workbook takes a hundred times longer to read
    than the same data as JSON, and `portal serve` reads every file again after each edit."""
    digest = _digest(path)
    key = _cache_key(rel, digest, release_schema, timezone)
    entry = validation_cache.read_entry(key, CACHE_KIND)
    if entry is not None:
        try:
            return _from_entry(rel, digest, entry)
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # a damaged entry: read the file again
    data_file, problems = _read(rel, path, release_schema, timezone, digest)
    validation_cache.store_entry(key, _entry(data_file, problems), CACHE_KIND)
    return data_file, problems


CACHE_KIND = "spreadsheets"


def _cache_key(rel: str, digest: str, release_schema: dict | None, timezone: str) -> str:
    package = Path(__file__).resolve().parent
    code = validation_cache.code_digest(package / f"{name}.py"
                                        for name in ("spreadsheets", "parsing", "bounds", "source_release"))
    parts = [__version__, _flattentool_version(), code, rel, digest, timezone,
             json.dumps(release_schema, sort_keys=True, default=str)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _flattentool_version() -> str:
    try:
        return metadata.version("flattentool")
    except metadata.PackageNotFoundError:
        return ""


def _entry(data_file: DataFile | None, problems: list[Problem]) -> dict:
    return {"problems": validation_cache.problem_entries(problems),
            "releases": None if data_file is None else [r.data for r in data_file.releases],
            "cells": {} if data_file is None else {k: [c.sheet, c.column, c.row, c.header]
                                                   for k, c in data_file.cells.items()}}


def _from_entry(rel: str, digest: str, entry: dict) -> tuple[DataFile | None, list[Problem]]:
    problems = validation_cache.problems_from(entry["problems"])
    if entry["releases"] is None:
        return None, problems
    found = [SourceRelease(r, rel, f"/{ROOT}/{i}", i) for i, r in enumerate(entry["releases"])]
    data_file = DataFile(rel, "spreadsheet", None, found, digest=digest)
    data_file.cells = {k: Cell(str(sheet), str(column), int(row), str(header))
                       for k, (sheet, column, row, header) in entry["cells"].items()}
    return data_file, problems


def _read(rel: str, path: Path, release_schema: dict | None, timezone: str, digest: str
          ) -> tuple[DataFile | None, list[Problem]]:
    try:
        import jsonref  # flattentool's own dependency: it expects the schema's $refs resolved
        from flattentool.input import FORMATS
        from flattentool.schema import SchemaParser
    except ImportError:  # a dependency of the generator: only a broken install lacks it
        return None, [error("spreadsheet-unreadable", "This spreadsheet can't be read: flattentool, which "
                            "reads spreadsheets, is not installed.", Location(rel),
                            "Install the generator with its dependencies (pip install -r requirements.txt).")]
    kind = "csv" if path.is_dir() else SPREADSHEET_SUFFIXES[path.suffix.lower()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            reader = FORMATS[kind](input_name=str(path), root_list_path=ROOT, root_id="ocid", id_name="id",
                                   timezone_name=timezone, convert_titles=True)
            if release_schema:
                parser = SchemaParser(root_schema_dict=jsonref.replace_refs(release_schema), rollup=True,
                                      root_id="ocid")
                parser.parse()
                reader.parser = parser
            reader.encoding = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a byte-order mark
            reader.read_sheets()
            _whole_numbers(reader)
            reader.sub_sheet_names = [s for s in reader.sub_sheet_names if not is_notes(s)]
            releases, cell_map, _ = reader.fancy_unflatten(with_cell_source_map=True, with_heading_source_map=False)
        except UnicodeDecodeError:
            return None, [error("not-utf8", "A CSV file in this folder is not UTF-8 text (it was probably saved as "
                                "\"CSV\" in Excel, which uses the computer's own encoding).", Location(rel),
                                "Save each sheet as \"CSV UTF-8 (Comma delimited)\" in Excel, or as UTF-8 in "
                                "LibreOffice or Google Sheets.")]
        except Exception as exc:  # noqa: BLE001 - a third-party reader on untrusted files: any failure is the file's
            return None, [error("spreadsheet-unreadable", f"This spreadsheet can't be read: {_reason(exc)}.",
                                Location(rel), f"Open it in a spreadsheet program and save it again as {_format(kind)}; "
                                "if that fails, the file is damaged: use a backup copy.")]
    problems = [warning("spreadsheet-note", f"{w.message}", Location(rel), _note_hint(str(w.message)))
                for w in caught if _worth_saying(w)]
    data, bounded = within_bounds(rel, {ROOT: [_json_values(r) for r in releases]})
    found = [SourceRelease(r, rel, f"/{ROOT}/{i}", i) for i, r in enumerate(data[ROOT])]
    if not found:
        problems.append(warning("spreadsheet-empty", "This spreadsheet has no rows of data yet.", Location(rel),
                                "Add a row for each notice on the first data sheet (ocid and id first), or delete "
                                "the file."))
    data_file = DataFile(rel, "spreadsheet", None, found, digest=digest)
    data_file.cells = _cells(cell_map or {}, _row_offsets(reader))
    return data_file, problems + bounded


def _whole_numbers(reader) -> None:
    """OpenDocument stores every number as a float, so an id typed as 1 would be read as the text
    "1.0": a whole number is read as an integer, as Excel's files give it."""
    rows = reader.get_sheet_lines

    def whole(sheet_name):
        for row in rows(sheet_name):
            yield {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in row.items()}

    reader.get_sheet_lines = whole


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:200]
    return text.rstrip(".") if text else type(exc).__name__


def _format(kind: str) -> str:
    return {"xlsx": "an Excel workbook (.xlsx)", "ods": "an OpenDocument spreadsheet (.ods)"}.get(
        kind, "CSV UTF-8, one file per sheet")


# What to do about flattentool's own notes, by how they start.
NOTE_HINTS = (("Duplicate heading", "Delete or rename the repeated column: only the first one is read."),
              ("You may have a duplicate Identifier", "Make the rows of this notice agree on that field, or give "
                                                      "one of them an id of its own."),
              ("Column", "Write the column's header as the template has it: this column was not read."))


def _note_hint(message: str) -> str:
    return next((hint for start, hint in NOTE_HINTS if message.startswith(start)),
                "Correct the sheet it names, as the template has it.")


def _worth_saying(caught: warnings.WarningMessage) -> bool:
    from flattentool.exceptions import DataErrorWarning
    return issubclass(caught.category, DataErrorWarning) and not str(caught.message).startswith(REPORTED_BY_SCHEMA)


def _json_values(value):
    """flattentool's numbers are Decimals: the JSON numbers the rest of the build expects."""
    if isinstance(value, dict):
        return {k: _json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_values(v) for v in value]
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() and abs(value) < 2 ** 63 else float(value)
    return value


def _row_offsets(reader) -> dict[str, int]:
    """flattentool numbers a sheet's data rows from 2 (one header row); a sheet that starts with a
    configuration row ("#" in A1), skips rows or has several header rows starts further down."""
    offsets = {}
    for sheet, config in getattr(reader, "sheet_configuration", {}).items():
        if config:
            offsets[sheet] = 1 + config.get("skipRows", 0) + config.get("headerRows", 1) - 1
    return offsets


def _cells(cell_map: dict, offsets: dict[str, int]) -> dict[str, Cell]:
    """JSON pointer (/releases/3/tender/title) → the first cell it came from. A pointer to an
    object or list maps to its row (flattentool's row entries are (sheet, row) pairs)."""
    cells = {}
    for key, sources in cell_map.items():
        first = sources[0]
        if len(first) == 4:
            sheet, column, row, header = first
        else:
            (sheet, row), column, header = first, "", ""
        cells["/" + key] = Cell(str(sheet), str(column), int(row) + offsets.get(sheet, 0), str(header or ""))
    return cells


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == CSV) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def locate(problems: list[Problem], data_files: list[DataFile]) -> list[Problem]:
    """Give problems in spreadsheets the cell their pointer came from (or the nearest enclosing
    row): for a folder of CSV files, the sheet's own file and its line too."""
    cells_of = {f.path: f.cells for f in data_files if f.kind == "spreadsheet"}
    if not cells_of:
        return problems
    return [_located(p, cells_of[p.location.file]) if p.location.file in cells_of and p.location.pointer else p
            for p in problems]


def _located(problem: Problem, cells: dict[str, Cell]) -> Problem:
    pointer = problem.location.pointer
    while pointer and pointer not in cells:
        pointer = pointer.rsplit("/", 1)[0]
    cell = cells.get(pointer)
    if cell is None:
        return problem
    where = (f"row {cell.row}, column {cell.column} ({cell.header})" if cell.column else f"row {cell.row}")
    if problem.location.file.endswith("/"):  # a folder of CSV files: the sheet is a file
        location = replace(problem.location, file=problem.location.file + cell.sheet + CSV, line=cell.row,
                           cell=where)
    else:
        location = replace(problem.location, cell=f"sheet {cell.sheet}, {where}")
    return replace(problem, location=location)
