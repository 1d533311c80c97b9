"""Bytes of an OCDS file → releases that remember where they came from, plus reading problems.

Pure: no file system. Handles JSON (release and record packages, or one release), JSON Lines
(one release per line; a bad line does not stop the others) and YAML (one release, loaded
safely, dates kept as text). Reading problems name the file, line and column and say what to
do: invalid syntax, an encoding other than UTF-8, a byte-order mark, an empty file, NaN or
Infinity, duplicate keys, a top level that is no OCDS. Data declaring OCDS 1.0 (or no version)
is upgraded first (inputs.upgrade).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import orjson

from generator.errors import Location, Problem, error, json_pointer, warning
from generator.inputs import bounds, positions, yaml_errors
from generator.inputs.source_release import SourceRelease
from generator.inputs.upgrade import upgrade


@dataclass(frozen=True)
class GuideFile:
    """A Markdown guide's text and where it was read from."""

    path: str
    text: str


# The first line of the example notice `portal init` writes: while it is there, the notice is
# checked but not published (checking.validate warns, checking.policy leaves the process out).
EXAMPLE = "# EXAMPLE:"


@dataclass
class DataFile:
    path: str
    kind: str  # release-package | record-package | release | jsonl | spreadsheet
    package: dict | None = None  # package metadata, without its releases or records
    releases: list[SourceRelease] = field(default_factory=list)
    records_shell: list = field(default_factory=list)  # each record's own fields, for the schema check
    digest: str = ""  # sha256 of the file's bytes, for the validation cache
    cells: dict = field(default_factory=dict)  # a spreadsheet's JSON pointers → their cells (inputs.spreadsheets)

    def pack(self) -> DataFile:
        """Its releases kept as compact JSON (inputs.source_release), once it is read whole."""
        for release in self.releases:
            release.pack()
        return self


class _Constant(ValueError):
    """NaN, Infinity or -Infinity met while parsing JSON."""


def _reject_constant(token: str):
    raise _Constant(token)


class _Duplicates:
    """object_pairs_hook that builds dicts and notes whether any object repeated a key."""

    def __init__(self):
        self.found = False

    def __call__(self, pairs):
        result = dict(pairs)
        if len(result) != len(pairs):
            self.found = True
        return result


BARE_CONSTANT = re.compile(r"[:\[,]\s*(-?(?:NaN|Infinity))\b")


def parse_data_file(rel: str, raw: bytes, read_cleanly: Callable[[str], bool] | None = None
                    ) -> tuple[DataFile | None, list[Problem]]:
    """A data file's releases, and the problems met reading it. `read_cleanly(digest)`: whether a
    file of these bytes (its SHA-256) was read before with no problem at all; a JSON file that was
    is parsed by orjson, without the checks it passed (repeated keys, the reading limits), which
    took three quarters of the time of reading it. Anything orjson reads otherwise (a number too
    large for it, say) falls back to the reading with checks."""
    digest = hashlib.sha256(raw).hexdigest()
    if read_cleanly is not None and rel.lower().endswith(".json") and read_cleanly(digest) and (
            data_file := _read_clean(rel, raw)) is not None:
        data_file.digest = digest
        return data_file, []
    return _parse_data_file(rel, raw, digest)


def _read_clean(rel: str, raw: bytes) -> DataFile | None:
    """A JSON file read cleanly before, read again without its checks; None where that gives a
    problem after all (the file is then read with its checks, which say so), or where orjson would
    read a number otherwise (it takes an integer past 64 bits for a float)."""
    if raw.translate(DIGITS).find(LONG_NUMBER) >= 0:
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    data, found = upgrade(rel, data)
    data_file, problems = _classify(rel, data, 1)
    return data_file if not found and not problems else None


# Nineteen digits in a row: perhaps a number past 64 bits (or in a text: then read with the checks).
# Found as zeros among spaces: a regular expression took longer than orjson's parsing.
DIGITS = bytes(ord("0") if chr(byte).isdigit() and byte < 128 else ord(" ") for byte in range(256))
LONG_NUMBER = b"0" * 19


def _parse_data_file(rel: str, raw: bytes, digest: str) -> tuple[DataFile | None, list[Problem]]:
    if not raw.strip():
        return None, [error("empty-file", "This file is empty.", Location(rel, 1),
                            "Delete it, or put a release package or a release in it.")]
    text, problems = decode(rel, raw)
    if text is None:
        return None, problems
    if not text.strip():
        return None, problems + [error("empty-file", "This file is empty.", Location(rel, 1),
                                       "Delete it, or put a release package or a release in it.")]
    suffix = rel.rsplit(".", 1)[-1].lower()
    if suffix == "jsonl":
        data_file, found = _parse_jsonl(rel, text)
        data_file.digest = digest
        return data_file, problems + found
    first_line = 1
    if suffix in {"yaml", "yml"}:
        data, found, first_line = yaml_errors.load(rel, text)
    else:
        data, found = load_json(rel, text)
    if data is None and not found:
        return None, problems + [error("not-ocds", "This file holds nothing but null.", Location(rel, 1),
                                       "Put a release package or a release in it, or delete it.")]
    problems += in_its_process(data, found)
    if data is None:
        return None, problems
    data_file, classified = classify(rel, data, line=first_line)
    if data_file is not None:
        data_file.digest = digest
        for release in data_file.releases if text.startswith(EXAMPLE) else ():
            release.example = True
    return data_file, problems + classified


def decode(rel: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text; a UTF-8 byte-order mark is dropped with a warning; anything else is an error."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            return None, [error("not-utf8", f"This file is saved as {name}; OCDS files must be UTF-8.",
                                Location(rel, 1), "Open it in your editor and save it with the encoding "
                                "\"UTF-8\" (in Excel or Notepad: Save As, Encoding: UTF-8).")]
    problems = []
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        problems.append(warning("bom", "This file starts with a byte-order mark (an invisible character some "
                                "editors add); it was ignored.", Location(rel, 1),
                                "Save the file as \"UTF-8\" without BOM to silence this warning."))
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        return None, problems + [_not_utf8(rel, exc, raw)]


def _not_utf8(rel: str, exc: UnicodeDecodeError, raw: bytes = b"") -> Problem:
    line = raw[:exc.start].count(b"\n") + 1 if raw else None
    byte = raw[exc.start:exc.start + 1].hex().upper() if raw else ""
    return error("not-utf8", f"This file is not UTF-8 text: byte {byte or exc.start} on line {line or '?'} can't be "
                 "read as UTF-8 (the only encoding tried). It was probably saved as Windows-1252 or Latin-1.",
                 Location(rel, line), "Open it in your editor and save it with the encoding \"UTF-8\".")


# The standard library's JSON messages, in words a buyer can act on.
JSON_MESSAGES = {
    "Expecting value": "a value is missing here, or written in a way JSON does not allow",
    "Expecting ',' delimiter": "a comma is missing between two items",
    "Expecting ':' delimiter": "a colon is missing between a name and its value",
    "Expecting property name enclosed in double quotes": "a name must be in double quotes, and there must be "
                                                         "no comma after the last item",
    "Invalid control character at": "a text contains a tab or line break; write it as \\t or \\n",
    "Unterminated string starting at": "a text is missing its closing double quote",
    "Extra data": "there is more after the end of the data",
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "an invisible byte-order mark is in the middle of the file",
}


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Constant(text)  # 1e400 is too large for any system to store
    return value


def load_json(rel: str, text: str, line_offset: int = 0) -> tuple[object | None, list[Problem]]:
    duplicates = _Duplicates()
    try:
        data = json.loads(text, object_pairs_hook=duplicates, parse_constant=_reject_constant, parse_float=_float)
    except RecursionError:
        line = positions.json_depth_line(text, bounds.MAX_DEPTH)
        return None, [error("nesting-too-deep", f"The data is nested more than {bounds.MAX_DEPTH} levels deep here "
                            "(OCDS needs fewer than ten), too deep to read.", Location(rel, line + line_offset),
                            "Look for brackets that never close; OCDS data is only a few levels deep.")]
    except _Constant as exc:
        match = BARE_CONSTANT.search(text)
        line = text[:match.start(1)].count("\n") + 1 + line_offset if match else None
        return None, [error("nan-infinity", f"JSON does not allow {exc.args[0]} as a number.", Location(rel, line),
                            "Write a real number, or leave the field out if the value is not known.")]
    except json.JSONDecodeError as exc:
        what = JSON_MESSAGES.get(exc.msg, exc.msg)
        return None, [error("invalid-json", f"This is not valid JSON: {what} (line {exc.lineno + line_offset}, "
                            f"column {exc.colno}).", Location(rel, exc.lineno + line_offset),
                            "Fix the syntax there: often a missing or extra comma, quote or bracket.")]
    except ValueError as exc:  # e.g. an integer of thousands of digits
        return None, [error("invalid-json", f"A number in this file is too long to read ({exc}).",
                            Location(rel, 1 + line_offset), "Write numbers with at most a few dozen digits.")]
    if not duplicates.found:
        return data, []
    return data, [error("duplicate-key", f"The key {pointer.rsplit('/', 1)[-1]!r} appears twice in the same object; "
                        "only the last one would count.", Location(rel, line + line_offset, pointer=pointer),
                        "Delete or rename one of the two.") for pointer, line in positions.json_duplicate_keys(text)]


# A reading limit passed, in words: (message, what to do). See bounds for the limits and why.
BREACHES = {
    "nesting-too-deep": (f"The data here is nested more than {bounds.MAX_DEPTH} levels deep (OCDS needs fewer than "
                         "ten); what lies deeper was not read.",
                         "Look for brackets that never close, or a value that holds a copy of itself."),
    "text-too-long": ("This text is {size:,} characters long, more than the {limit:,} a page can show; only the "
                      "first {limit:,} were read.",
                      "Shorten it, or publish the full text as a document (tender.documents) and link to it."),
    "broken-character": ("This text holds a broken character (half of a pair that makes one character, such as "
                         "\\ud800 written alone), which no page or file can hold; it was read as \ufffd.",
                         "Retype the text around it (it often comes from text cut in the middle of an emoji)."),
    "nan-infinity": ("OCDS does not allow NaN or Infinity as a number; it was left out.",
                     "Write a real number, or leave the field out if the value is not known."),
    "not-json-value": ("This value is not text, a number, true or false, a list or an object; it was left out.",
                       "Write the value as JSON would."),
}


def within_bounds(rel: str, data, line: int | None = None, item: int | None = None) -> tuple[object, list[Problem]]:
    """The parsed data made safe for every later stage (see bounds), and a problem for each value
    past a limit, naming the release it is in so that its process is left out."""
    data, breaches = bounds.bound(data)
    problems = [error(b.code, BREACHES[b.code][0].format(size=b.size, limit=bounds.MAX_TEXT),
                      Location(rel, line, item, pointer=json_pointer(b.path)), BREACHES[b.code][1]) for b in breaches]
    return data, in_its_process(data, problems, item)


def in_its_process(data, problems: list[Problem], item: int | None = None) -> list[Problem]:
    """Reading problems inside a release or record (a repeated key, a value past a limit) name its
    process and its index in the package (or `item`), so that process, and no other, carries them."""
    named = []
    for p in problems:
        if p.location.pointer and not p.location.ocid:
            owner, index = _owner(data, tuple(int(s) if s.isdigit() else s for s in p.location.pointer.split("/")[1:3]))
            ocid = owner.get("ocid") if isinstance(owner, dict) else None
            if isinstance(ocid, str):
                p = replace(p, location=replace(p.location, ocid=ocid, item=index if item is None else item))
        named.append(p)
    return named


def _owner(data, path: tuple) -> tuple[object, int | None]:
    """The release (or record) a path in a file's data lies in, and its index in the package."""
    if isinstance(data, dict) and len(path) > 1 and path[0] in ("releases", "records") and isinstance(path[1], int):
        items = data.get(path[0])
        if isinstance(items, list) and path[1] < len(items):
            return items[path[1]], path[1]
    if isinstance(data, dict) and not isinstance(data.get("releases"), list) and not isinstance(
            data.get("records"), list):
        return data, None
    return None, None


def classify(rel: str, data, line: int | None = 1) -> tuple[DataFile | None, list[Problem]]:
    """A parsed top level → a DataFile (release package, record package or one release)."""
    data, bounded = within_bounds(rel, data)
    data, found = upgrade(rel, data)
    data_file, problems = _classify(rel, data, line)
    return data_file, found + problems + bounded


def _classify(rel: str, data, line: int | None) -> tuple[DataFile | None, list[Problem]]:
    if isinstance(data, dict) and isinstance(data.get("releases"), list) and "ocid" not in data:
        meta = {k: v for k, v in data.items() if k != "releases"}
        releases = [SourceRelease(r, rel, f"/releases/{i}", i) for i, r in enumerate(data["releases"])]
        return DataFile(rel, "release-package", meta, releases), []
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        return _record_package(rel, data)
    if isinstance(data, dict) and "ocid" in data and "tag" not in data and (
            isinstance(data.get("compiledRelease"), dict) or isinstance(data.get("releases"), list)):
        return _bare_record(rel, data, line)
    if isinstance(data, dict) and "ocid" in data:
        return DataFile(rel, "release", None, [SourceRelease(data, rel, "", None, line)]), []
    return None, [error("not-ocds", "The top level is neither a release package (with \"releases\"), a record "
                        "package (with \"records\") nor a release (with \"ocid\").", Location(rel, line),
                        "Start the file with a release ({\"ocid\": ..., \"id\": ...}) or wrap releases in a "
                        "package ({\"releases\": [...]}).")]


def _bare_record(rel: str, data: dict, line: int | None) -> tuple[DataFile, list[Problem]]:
    """One record without its package: read, with a warning that it is not a record package."""
    data_file, problems = _record_package(rel, {"records": [data]}, bare=True)
    data_file.package, data_file.records_shell = None, []
    return data_file, [warning("not-a-record-package", "This file holds a single record, not a record package; "
                               "it was read, but the package's metadata (uri, publisher, publishedDate, version) is "
                               "missing.", Location(rel, line), "Wrap the record in a record package: "
                               "{\"uri\": ..., \"publisher\": ..., \"publishedDate\": ..., \"version\": \"1.1\", "
                               "\"records\": [the record]}.")] + problems


def _record_package(rel: str, data: dict, bare: bool = False) -> tuple[DataFile, list[Problem]]:
    """A record package's processes: each record's embedded releases; or, when a record only
    links to its releases (or has none), its compiled release, so the process is still shown.
    `bare`: the file is one record without a package around it (its pointers have no /records/N)."""
    meta = {k: v for k, v in data.items() if k != "records"}
    releases, problems = [], []
    compiled_only: list[tuple[int, str, bool]] = []  # (record, pointer, whether it links its releases)
    for r, record in enumerate(data["records"]):
        base = "" if bare else f"/records/{r}"
        item = None if bare else r
        if not isinstance(record, dict):
            problems.append(error("record-not-object", "This record is not a JSON object.",
                                  Location(rel, None, item, "", base),
                                  "Each item of \"records\" must be an object with \"ocid\" and \"releases\"."))
            continue
        ocid = record.get("ocid") if isinstance(record.get("ocid"), str) else ""
        embedded = record.get("releases")
        if embedded is not None and not isinstance(embedded, list):
            problems.append(error("record-releases", "This record's \"releases\" is not a list.",
                                  Location(rel, None, item, ocid, base + "/releases"),
                                  "Make \"releases\" a list of the process's releases."))
            continue
        embedded = embedded or []
        linked = [i for i, x in enumerate(embedded) if isinstance(x, dict) and "url" in x and "ocid" not in x
                  and "id" not in x]
        read = 0
        for i, release in enumerate(embedded):
            if i in linked:
                continue
            if isinstance(release, dict) and ocid and release.get("ocid") != ocid:
                problems.append(error("record-ocid-mismatch",
                                      f"This release's ocid {release.get('ocid')!r} differs from its record's {ocid!r}.",
                                      Location(rel, None, item, ocid, f"{base}/releases/{i}/ocid"),
                                      "Put each release in the record of its own contracting process."))
                continue
            releases.append(SourceRelease(release, rel, f"{base}/releases/{i}", item))
            read += 1
        if not read and isinstance(record.get("compiledRelease"), dict):
            releases.append(SourceRelease(record["compiledRelease"], rel, f"{base}/compiledRelease", item))
            compiled_only.append((r, f"{base}/compiledRelease", bool(linked)))
        elif linked:
            problems.append(warning("linked-release", f"{len(linked):,} of this record's releases are links, not "
                                    "embedded releases; only embedded releases are read" + (
                                        "." if read else ", and the record has no compiled release, so this "
                                        "process is not shown."),
                                    Location(rel, None, item, ocid, f"{base}/releases/{linked[0]}"),
                                    "Embed every release in the record (or its compiled release), or publish the "
                                    "releases in a release package."))
    if compiled_only:
        count, (first, pointer, _) = len(compiled_only), compiled_only[0]
        links = sum(1 for *_, linking in compiled_only if linking)
        why = (f"{links:,} of them link to their releases instead of embedding them" if links
               else "they embed no releases")
        problems.append(warning(
            "record-compiled-only", f"{count:,} record{'s' if count != 1 else ''} in this file "
            f"{'were' if count != 1 else 'was'} read from {'their' if count != 1 else 'its'} compiled release "
            f"({why}), so {'their' if count != 1 else 'its'} history of notices cannot be shown.",
            Location(rel, None, None if bare else first, "", pointer),
            "Embed the releases themselves in each record, or publish them in a release package."))
    shell = [{k: v for k, v in r.items() if k not in ("releases", "compiledRelease", "versionedRelease")}
             | {k: [] for k in ("releases",) if k in r} if isinstance(r, dict) else r for r in data["records"]]
    return DataFile(rel, "record-package", meta, releases, shell), problems


def _parse_jsonl(rel: str, text: str) -> tuple[DataFile, list[Problem]]:
    """One release per line; a bad line is reported with its number and the others still count."""
    releases, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        data, found = load_json(rel, line, line_offset=number - 1)
        if data is None and not found:
            found = [error("not-a-release", f"Line {number} is not a release (it is null).", Location(rel, number),
                           "Each line of a .jsonl file holds one release.")]
            problems += found
            continue
        if data is None:
            problems += [p if p.code not in ("invalid-json",) else error(
                "invalid-json-line", f"Line {number} is not valid JSON: {p.message.split(': ', 1)[-1]} "
                "The other lines were still read.", Location(rel, number),
                "Each line must hold one whole release, written on a single line.") for p in found]
            continue
        problems += in_its_process(data, found, number - 1)
        data, found = within_bounds(rel, data, number, number - 1)
        problems += found
        if not isinstance(data, dict) or "ocid" not in data:
            problems.append(error("not-a-release", f"Line {number} is not a release (it has no \"ocid\").",
                                  Location(rel, number), "Each line of a .jsonl file holds one release."))
            continue
        data, found = upgrade(rel, data)
        problems += found
        releases.append(SourceRelease(data, rel, "", number - 1, number))
    return DataFile(rel, "jsonl", None, releases), problems
