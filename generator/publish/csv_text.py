"""CSV text for every download the site writes (the bulk tables, their data dictionary, the CSV
behind each chart), with the one rule that keeps a spreadsheet from running a cell as a formula.

Spreadsheets (Excel, LibreOffice Calc, Google Sheets) read a cell that starts with `=`, `+`, `-`
or `@` (some also the full-width ＝ ＋ － ＠) as a formula, and a tab, carriage return, line feed
or NUL before one can hide it. A title such as `=HYPERLINK("https://…")` would run when a
resident opens the file. As OWASP recommends (CSV Injection), a text cell that starts with one of
these gets an apostrophe in front, which spreadsheets read as "this is text" and do not show.
A text that starts with an apostrophe gets one more too, so the rule can always be undone: the
original is the cell without its first character when that character is an apostrophe.

Numbers stay numbers: an amount the generator writes from a number (-1500.5) is written as it
is. Only text is neutralised, including text that looks like a number ("-5" as a title is text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from generator.values import printable

QUOTE = "'"
QUOTED_STARTS = frozenset("=+-@\t\r\n\0＝＋－＠" + QUOTE)  # the first characters that get an apostrophe in front


class Number(str):
    """A cell the generator wrote from a number ("-1500.5", "12"): written as it is."""

    __slots__ = ()


def text_cell(text: str) -> str:
    """A text cell as a spreadsheet must read it: control characters other than tab and line breaks
    dropped (values.printable), and one that would start a formula (or starts with an apostrophe)
    gets a leading apostrophe."""
    text = printable(text)
    return QUOTE + text if text[:1] in QUOTED_STARTS else text


def original(cell: str) -> str:
    """The text a cell was made from: the inverse of `text_cell`, as a reader of the CSV undoes it."""
    return cell[1:] if cell[:1] == QUOTE else cell


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """UTF-8 CSV (RFC 4180 quoting, CRLF line ends) of rows of cells. A `str` cell is text and goes
    through `text_cell`; a `Number`, int or float is written as the number it is."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [text_cell(cell) if type(cell) is str else cell for cell in row] for row in rows)
    return out.getvalue().encode("utf-8")
