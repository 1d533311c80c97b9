"""Problems as values, and the few exceptions that stop a build.

Stages never print. They return `Problem`s; `build` decides whether they stop the build and
`cli` alone prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: as much of file, line, item index, ocid and JSON pointer as is known."""

    file: str = ""
    line: int | None = None
    item: int | None = None
    ocid: str = ""
    pointer: str = ""
    cell: str = ""  # in a spreadsheet: the sheet, row and column, e.g. "sheet main, row 4, column J (tender/title)"

    def __str__(self) -> str:
        parts = [self.file or "(input)"]
        if self.line is not None:
            parts[0] += f":{self.line}"
        if self.item is not None:
            parts.append(f"item {self.item}")
        if self.ocid:
            parts.append(self.ocid)
        if self.cell:
            parts.append(self.cell)
        if self.pointer:
            parts.append(self.pointer)
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    message: str
    location: Location = field(default_factory=Location)
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(code: str, message: str, location: Location | None = None, hint: str = "") -> Problem:
    return Problem(Severity.ERROR, code, message, location or Location(), hint)


def warning(code: str, message: str, location: Location | None = None, hint: str = "") -> Problem:
    return Problem(Severity.WARNING, code, message, location or Location(), hint)


def json_pointer(path) -> str:
    """RFC 6901 pointer for a sequence of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class PortalError(Exception):
    """A problem that stops the build before any output, with what to do about it."""

    def __init__(self, message: str, hint: str = "", problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems = problems

    def __reduce__(self):
        # Keep the hint when the error crosses from a worker process.
        return (self.__class__, (self.message, self.hint, self.problems))


class SchemaKitError(PortalError):
    """The OCDS schema kit can't be found, fetched or verified."""


class SettingsError(PortalError):
    """content/site.yml is missing or wrong."""


class OutputError(PortalError):
    """The output folder can't be used."""


class TemplateProblem(PortalError):
    """A template can't be compiled or fails while rendering."""
