"""Problems as text for three audiences: a person at a terminal, a program (JSON) and GitHub Actions.

Every function here is pure: it takes `Problem`s and returns a string. `cli` decides where it goes.
Repeats of the same problem in the same file are folded into one entry with a count and the first
three examples, so a file with a thousand identical mistakes reads as one line, not a thousand.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from generator.errors import Location, Problem, Severity
from generator.values import visible
from generator.wording import counted

EXAMPLES = 3
_BOLD, _RED, _YELLOW, _DIM, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m"


@dataclass(frozen=True)
class Folded:
    """All problems with one (file, code, severity): how many there are and the first few, in input order."""

    severity: Severity
    code: str
    file: str
    count: int
    examples: tuple[Problem, ...]

    @property
    def message(self) -> str:
        return self.examples[0].message

    @property
    def hint(self) -> str:
        return self.examples[0].hint


def fold(problems: Iterable[Problem]) -> list[Folded]:
    """Fold repeats together, ordered by file (problems without a file last), errors first, then code."""
    groups: dict[tuple[str, str, Severity], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.location.file, p.code, p.severity), []).append(p)
    folded = [Folded(severity, code, file, len(ps), tuple(ps[:EXAMPLES]))
              for (file, code, severity), ps in groups.items()]
    return sorted(folded, key=lambda f: (f.file == "", f.file, f.severity != Severity.ERROR, f.code))


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == Severity.ERROR)
    return errors, len(problems) - errors


# Characters that would break a line or a terminal, or turn text around, if printed as they are.
SHOWN = 100  # characters of an ocid or pointer shown in a location


def _where(loc: Location) -> str:
    """The full location within a file: line, item, ocid and pointer, as far as known."""
    if loc.cell:  # a spreadsheet: its sheet, row and column say it all
        return ", ".join(p for p in (visible(loc.cell, SHOWN), visible(loc.ocid, SHOWN)) if p)
    parts = [f"line {loc.line}" if loc.line is not None else "", f"item {loc.item}" if loc.item is not None else "",
             visible(loc.ocid, SHOWN), visible(loc.pointer, SHOWN)]
    return ", ".join(p for p in parts if p)


def _brief(loc: Location) -> str:
    """A short location for one of several examples: `line 10 (/releases/0/date)`."""
    if loc.cell:
        return visible(loc.cell, SHOWN)
    pointer = visible(loc.pointer, SHOWN)
    if loc.line is None:
        return pointer or visible(loc.ocid, SHOWN)
    return f"line {loc.line} ({pointer})" if pointer else f"line {loc.line}"


def as_text(problems: Iterable[Problem], colour: bool = False) -> str:
    """For a person: folded problems under their file's name, each with what to do, then a summary line."""
    problems = list(problems)
    if not problems:
        return "No problems found.\n"

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines, file = [], None
    for f in fold(problems):
        if f.file != file:
            file = f.file
            lines.append(paint(visible(file) or "(input)", _BOLD))
        if f.count == 1:
            where = _where(f.examples[0].location)
        else:
            briefs = [b for b in (_brief(p.location) for p in f.examples) if b]
            # a cell's place has commas of its own ("sheet main, row 7, column G"): cells are parted by ";"
            joiner = "; " if f.examples[0].location.cell else ", "
            where = f"{f.count} times" + (", e.g. " + joiner.join(briefs) if briefs else "")
        severity = paint(str(f.severity), _RED if f.severity == Severity.ERROR else _YELLOW)
        lines.append(f"  {severity} [{f.code}] " + (f"{where}: " if where else "") + visible(f.message, breaks=True))
        if f.hint:
            lines.append(f"      {paint('what to do:', _DIM)} {visible(f.hint, breaks=True)}")
    errors, warnings = _counts(problems)
    files = len({p.location.file for p in problems})
    lines.append(f"{counted(errors, 'error')}, {counted(warnings, 'warning')} in {counted(files, 'file')}.")
    return "\n".join(lines) + "\n"


def as_json(problems: Iterable[Problem]) -> str:
    """For a program: a summary over all problems and the folded entries, each with its examples."""
    problems = list(problems)
    errors, warnings = _counts(problems)
    entries = [{"severity": str(f.severity), "code": f.code, "file": f.file, "count": f.count,
                "message": f.message, "hint": f.hint,
                "examples": [{"line": p.location.line, "item": p.location.item, "ocid": p.location.ocid,
                              "pointer": p.location.pointer, "cell": p.location.cell, "message": p.message}
                             for p in f.examples]}
               for f in fold(problems)]
    document = {"summary": {"errors": errors, "warnings": warnings}, "problems": entries}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value (file, title): the message rules plus `:` and `,`."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problems: Iterable[Problem], folder: str = "", level: str = "") -> str:
    """For GitHub Actions: one `::error` or `::warning` workflow command per folded entry (every one
    at `level` when given: "warning" for problems a pull request is not answerable for). Files are
    named from the repository's root: `folder` is the portal's folder within it ("" or "city/")."""
    lines = []
    for f in fold(problems):
        first = f.examples[0].location
        properties = []
        if f.file:
            properties.append(f"file={_property(folder + f.file)}")
            if first.line is not None:
                properties.append(f"line={first.line}")
        properties.append(f"title={_property(f.code)}")
        message = f"{first.cell}: {f.message}" if first.cell else f.message
        if f.count > 1:
            others = [p.location.cell or str(p.location.line) for p in f.examples[1:]
                      if p.location.cell or p.location.line is not None]
            more = ", …" if f.count > len(f.examples) else ""
            if first.cell:
                listed = f": {'; '.join(others)}{more}" if others else ""
            else:
                listed = f": {'lines' if len(others) > 1 else 'line'} {', '.join(others)}{more}" if others else ""
            message += f" (and {f.count - 1} more like this{listed})"
        if f.hint:
            message += f" What to do: {f.hint}"
        lines.append(f"::{level or f.severity} {','.join(properties)}::{_data(visible(message, breaks=True))}")
    return "".join(line + "\n" for line in lines)
