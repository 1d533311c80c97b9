"""`portal new spreadsheet`: a workbook staff fill in instead of writing JSON or YAML.

flattentool's template for the city's schema (the release schema with its declared extensions):
one sheet per list, headed by field paths (`tender/title`, `parties/0/name`), so that
inputs.spreadsheets reads it back by the same rules. On top of flattentool's layout: the columns
a city needs come first on each sheet and the sheets a city needs come first; each header has a
note with the field's title, meaning and codes; and a first sheet of instructions, which is never
read as data. With releases, the same workbook holds them, one row per release (the demo city's
register is made this way, and the round-trip test uses it).

Pure: the schema, settings and releases come in; the workbook's bytes go out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from decimal import Decimal

import jsonref
from flattentool.json_input import JSONParser
from flattentool.schema import SchemaParser
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from generator.inputs.settings import Settings
from generator.inputs.spreadsheets import ROOT

INSTRUCTIONS = "Instructions"
# Lists a city fills most, in this order; flattentool's other sheets follow in its own order.
SHEETS_FIRST = ("main", "parties", "ten_items", "ten_lots", "ten_documents", "ten_milestones", "ten_tenderers",
                "ten_amendments", "awards", "awa_suppliers", "awa_documents", "contracts", "con_documents")
# Fields a city needs, by their path without list positions, in the order they come on a sheet
# (after the columns that tie a row to its release: ocid, id, and a parent's id).
COLUMNS_FIRST = (
    "ocid", "id", "date", "tag", "initiationType", "language", "buyer/id", "buyer/name",
    "tender/id", "tender/title", "tender/description", "tender/status", "tender/procurementMethod",
    "tender/procurementMethodDetails", "tender/procurementMethodRationale", "tender/mainProcurementCategory",
    "tender/value/amount", "tender/value/currency", "tender/tenderPeriod/startDate", "tender/tenderPeriod/endDate",
    "tender/enquiryPeriod/endDate", "tender/awardCriteria", "tender/awardCriteriaDetails",
    "tender/submissionMethod", "tender/submissionMethodDetails", "tender/eligibilityCriteria",
    "tender/numberOfTenderers", "tender/suitability/sme", "tender/contractPeriod/startDate",
    "tender/contractPeriod/endDate",
    "parties/id", "parties/name", "parties/roles", "parties/contactPoint/name", "parties/contactPoint/email",
    "parties/contactPoint/telephone", "parties/address/streetAddress", "parties/address/locality",
    "parties/address/region", "parties/address/postalCode", "parties/address/countryName", "parties/details/scale",
    "tender/items/id", "tender/items/description", "tender/items/classification/scheme",
    "tender/items/classification/id", "tender/items/classification/description", "tender/items/quantity",
    "tender/items/unit/name", "tender/items/relatedLot",
    "tender/lots/id", "tender/lots/title", "tender/lots/description", "tender/lots/value/amount",
    "tender/lots/value/currency",
    "tender/documents/id", "tender/documents/documentType", "tender/documents/title", "tender/documents/url",
    "tender/documents/datePublished", "tender/documents/format",
    "tender/milestones/id", "tender/milestones/title", "tender/milestones/type", "tender/milestones/dueDate",
    "tender/milestones/description",
    "tender/tenderers/id", "tender/tenderers/name",
    "tender/amendments/id", "tender/amendments/date", "tender/amendments/description", "tender/amendments/rationale",
    "awards/id", "awards/title", "awards/status", "awards/date", "awards/value/amount", "awards/value/currency",
    "awards/suppliers/id", "awards/suppliers/name",
    "awards/documents/id", "awards/documents/documentType", "awards/documents/title", "awards/documents/url",
    "awards/documents/datePublished",
    "contracts/id", "contracts/awardID", "contracts/title", "contracts/status", "contracts/dateSigned",
    "contracts/period/startDate", "contracts/period/endDate", "contracts/value/amount", "contracts/value/currency",
    "contracts/documents/id", "contracts/documents/documentType", "contracts/documents/title",
    "contracts/documents/url", "contracts/documents/datePublished",
)
NOTE_LENGTH = 400  # characters of a field's description in its header's note
POSITION = re.compile(r"/\d+(?=/|$)")


def workbook(release_schema: dict, settings: Settings, now: dt.datetime, releases: list[dict] = ()) -> bytes:
    """The workbook's .xlsx bytes: the template, holding `releases` if any, one row per release."""
    schema = jsonref.replace_refs(release_schema)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # flattentool's notes on schema fields it skips: nothing for staff
        parser = SchemaParser(root_schema_dict=schema, rollup=True, root_id="ocid")
        parser.parse()
        flat = JSONParser(root_json_dict={ROOT: [_decimals(r) for r in releases]}, schema_parser=parser, root_list_path=ROOT,
                          root_id="ocid")
    sheets = {"main": flat.main_sheet, **flat.sub_sheets}
    order = [name for name in SHEETS_FIRST if name in sheets] + [n for n in sheets if n not in SHEETS_FIRST]
    book = Workbook()
    _instructions(book.active, settings, now)
    needed: list[tuple[str, str, str]] = []  # (sheet, header, note) of the columns a city needs
    for name in order:
        sheet = sheets[name]
        ids = [c for c in ([sheet.root_id] if sheet.root_id else []) + list(sheet.id_columns)]
        columns = _ordered(ids, [c for c in sheet.columns if c not in ids])
        sheet_out = book.create_sheet(name[:31])
        sheet_out.append(columns)
        for column, cell in zip(columns, sheet_out[1], strict=True):
            cell.font = Font(bold=True)
            note = _note(schema, column)
            if note:
                cell.comment = Comment(note, "portal", width=320, height=160)
            if _generic(column) in COLUMNS_FIRST and column not in ids:
                needed.append((name, column, note))
        for line in sheet.lines:
            sheet_out.append([line.get(column) for column in columns])
        sheet_out.freeze_panes = "A2"
        for index, column in enumerate(columns, 1):
            sheet_out.column_dimensions[sheet_out.cell(1, index).column_letter].width = min(max(len(column), 10), 40)
    _needed_table(book[INSTRUCTIONS], needed)
    book.properties.creator = "ocds-portal"
    book.properties.created = book.properties.modified = now.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return _without_clock(out.getvalue())


def _without_clock(xlsx: bytes) -> bytes:
    """The same workbook with every part dated 1980-01-01 (openpyxl dates them with the clock), so
    the same releases and "now" give byte-identical files."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on saving
                data = _modified_as_created(data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _modified_as_created(core: bytes) -> bytes:
    created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", core)
    if not created:
        return core
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*<", lambda m: m.group(1) + created.group(1) + b"<", core)


def _decimals(value):
    """flattentool reads JSON numbers as Decimals, and takes nothing else."""
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return Decimal(str(value)) if isinstance(value, float) else value


def _generic(column: str) -> str:
    return POSITION.sub("", column)


def _ordered(ids: list[str], others: list[str]) -> list[str]:
    rank = {path: i for i, path in enumerate(COLUMNS_FIRST)}
    first = sorted((c for c in others if _generic(c) in rank), key=lambda c: rank[_generic(c)])
    return ids + first + [c for c in others if _generic(c) not in rank]


def _field(schema: dict, column: str) -> dict:
    node = schema
    for part in _generic(column).split("/"):
        while node.get("type") == "array" or (isinstance(node.get("type"), list) and "array" in node["type"]
                                               and "items" in node):
            node = node.get("items") or {}
        node = (node.get("properties") or {}).get(part)
        if not isinstance(node, dict):
            return {}
    return node


def _note(schema: dict, column: str) -> str:
    """The header's note: the field's title and meaning, and its codes when a fixed list applies."""
    field = _field(schema, column)
    if not field:
        return ""
    description = " ".join(str(field.get("description") or "").split())
    if len(description) > NOTE_LENGTH:
        description = description[:NOTE_LENGTH].rsplit(" ", 1)[0] + " …"
    parts = [str(field.get("title") or column), description]
    codes = field.get("enum") or (field.get("items") or {}).get("enum")
    if codes and len(codes) <= 25:
        parts.append("Codes: " + ", ".join(str(c) for c in codes if c is not None))
    if "number" in str(field.get("type")) or field.get("type") == ["integer", "null"]:
        parts.append("A plain number, without $ or commas: 85000.")
    if field.get("format") == "date-time":
        parts.append("A date and time such as 2027-01-14T14:00:00-06:00, or a date typed in a date cell.")
    if "array" in str(field.get("type")):
        parts.append("Several are separated by semicolons: a;b.")
    return "\n".join(p for p in parts if p)


def _instructions(sheet, settings: Settings, now: dt.datetime) -> None:
    sheet.title = INSTRUCTIONS
    example = now.replace(hour=14, minute=0, second=0, microsecond=0).isoformat()
    lines = [
        f"Contracting notices of {settings.city_name}: how to fill in this workbook",
        "",
        "Each row of the sheet \"main\" is one notice (an OCDS release): a new opportunity, a change, an award or a "
        "contract. Its ocid names the contracting process and is the same in every row about that process; its id "
        "names the notice and is different in every row.",
        "The other sheets hold lists: the parties (departments and businesses), items, lots, documents, awards, "
        "suppliers and contracts. Each of their rows starts with the ocid and id of the notice it belongs to (and, "
        "for an award's suppliers or documents, the award's id).",
        f"Dates and times look like {example}: the date, the letter T, the time on a 24-hour clock and the offset "
        f"from UTC. A date typed into a date cell is read in {settings.timezone}.",
        "Amounts are plain numbers: 85000, not $85,000. Where a column takes several codes (tag, roles, "
        "submissionMethod), separate them with semicolons: tender;award.",
        "Hover over a column's header to see what goes there and, where a fixed list applies, its codes. The columns "
        "and sheets a city needs come first (listed below); the others are for less common details and may stay "
        "empty. Don't rename a header: a header the standard doesn't know is reported as an error.",
        "Save the workbook in the ocds_data folder (as .xlsx or .ods, or each sheet as a CSV UTF-8 file in one "
        "folder) and run `portal check`, or open a pull request: every problem names its sheet, row and column.",
        "This sheet is never read as data.",
        "",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 100
    for row in sheet.iter_rows(min_row=3, max_row=len(lines)):
        row[0].alignment = Alignment(wrap_text=False)


def _needed_table(sheet, needed: list[tuple[str, str, str]]) -> None:
    sheet.append(["Sheet", "Column", "What goes there"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name, column, note in needed:
        sheet.append([name, column, note.replace("\n", " — ")])
