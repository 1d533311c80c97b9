"""Check OCDS data against the schema kit and the city's rules. Pure: values in, problems out."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

import jsonschema_rs

from generator.checking.characters import character_problems
from generator.checking.fields import field_problems
from generator.checking.messages import SchemaError, field_name, schema_problem
from generator.checking.rules import Checker, ocid_prefixes
from generator.checking.schema_index import SchemaIndex
from generator.errors import Location, Problem, error, json_pointer, warning
from generator.inputs.parsing import DataFile, SourceRelease
from generator.inputs.schema_kit import SchemaKit
from generator.inputs.settings import Settings
from generator.workers import in_order


class Engine:
    """A JSON Schema draft 4 validator with format checks, yielding `SchemaError`s.

    "rs" is jsonschema-rs (about 90 times faster); "python" is the reference jsonschema package.
    Tests prove both report the same problems over the corpus of broken fixtures.
    """

    def __init__(self, schema: dict, engine: str = "rs", registry=None):
        """`registry` (python engine only; see schema_kit.registry) resolves `$ref`s to other
        schemas by URL, for validating whole packages."""
        self.engine = engine
        if engine == "rs":
            self._validator = jsonschema_rs.Draft4Validator(schema, validate_formats=True)
        else:
            import jsonschema

            checker = copy.deepcopy(jsonschema.Draft4Validator.FORMAT_CHECKER)
            checker.checks("date-time")(rfc3339_date_time)  # RFC 3339 allows a leap second, as jsonschema-rs does
            extra = {"registry": registry} if registry is not None else {}
            self._validator = jsonschema.Draft4Validator(schema, format_checker=checker, **extra)

    def errors(self, instance) -> list[SchemaError]:
        if self.engine == "rs":
            return [_from_rs(e) for e in self._validator.iter_errors(instance)]
        return [_from_python(e) for e in self._validator.iter_errors(instance)]


RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")


def rfc3339_date_time(value) -> bool:
    """RFC 3339 date-time, leap second included (the reference engine's own check refuses :60)."""
    if not isinstance(value, str):
        return True
    match = RFC3339.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    year = year or 2000  # jsonschema-rs accepts year 0000; so must the reference engine, for parity
    offset_hours, offset_minutes = match.group(9), match.group(10)
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return hour < 24 and minute < 60 and second <= 60 and (
        offset_hours is None or (int(offset_hours) < 24 and int(offset_minutes) < 60))


def _from_rs(err) -> SchemaError:
    kind = err.kind
    name = kind.name
    param = {"required": lambda: kind.property, "type": lambda: tuple(kind.types), "enum": lambda: tuple(kind.options),
             "format": lambda: kind.format}.get(name, lambda: getattr(kind, "value", None))()
    return SchemaError(name, tuple(err.instance_path), param)


def _from_python(err) -> SchemaError:
    path, name = tuple(err.absolute_path), err.validator
    if name == "required":
        param = err.message.split("'")[1]
    elif name == "type":
        value = err.validator_value
        param = tuple(value) if isinstance(value, list) else (value,)
    elif name == "enum":
        param = tuple(err.validator_value)
    else:
        param = err.validator_value
    return SchemaError(name, path, param)


@dataclass
class Validators:
    release: Engine
    release_package: Engine
    record_package: Engine
    index: SchemaIndex
    checker: Checker | None = None


def make_validators(kit: SchemaKit, engine: str = "rs", local_codes=None, checker: Checker | None = None) -> Validators:
    """Package schemas check each package's metadata; each release is checked on its own, so a
    problem is reported once, with the release's own index and pointer."""
    release_package = copy.deepcopy(kit.release_package_schema)
    release_package["properties"]["releases"]["items"] = {}
    record_package = copy.deepcopy(kit.record_package_schema)
    record = record_package["definitions"]["record"]["properties"]
    for key in ("releases", "compiledRelease", "versionedRelease"):
        if key in record:
            record[key] = {}
    return Validators(
        release=Engine(kit.release_schema, engine),
        release_package=Engine(release_package, engine),
        record_package=Engine(record_package, engine),
        index=SchemaIndex(kit.release_schema, {name: (*codes, *(local_codes or {}).get(name, ()))
                                               for name, codes in kit.codelists.items()}),
        checker=checker,
    )


PARALLEL_FROM = 5000  # releases; below this, starting workers costs more than it saves


def check_files(data_files: list[DataFile], validators: Validators, settings: Settings, kit: SchemaKit,
                workers: int = 1) -> list[Problem]:
    """Check every file. With several workers, files are checked in forked processes that share
    the validators and data copy-on-write; results come back in file order, so the problems are
    the same as with one worker."""
    if sum(len(f.releases) for f in data_files) < PARALLEL_FROM:
        workers = 1
    shared = (data_files, validators, settings, kit)
    return [p for chunk in in_order(_check_one, range(len(data_files)), shared, workers) for p in chunk]


def _check_one(shared, index: int) -> list[Problem]:
    data_files, validators, settings, kit = shared
    return check_file(data_files[index], validators, settings, kit)


def check_file(data_file: DataFile, validators: Validators, settings: Settings, kit: SchemaKit) -> list[Problem]:
    problems: list[Problem] = []
    if data_file.package is not None:
        shell = dict(data_file.package)
        if data_file.kind == "release-package":
            shell["releases"] = [{}] if data_file.releases else []
            validator = validators.release_package
        else:  # the records' own fields (ocid, releases present...), without the releases themselves
            shell["records"] = data_file.records_shell
            validator = validators.record_package
        records = shell.get("records") or []
        for err in validator.errors(shell):
            if err.path[:1] == ("releases",) or _inside_record_contents(err.path, records):
                continue
            problems.append(schema_problem(err, Location(data_file.path, None, pointer=json_pointer(err.path)), None, shell))
        problems.extend(_check_declared_extensions(data_file, kit))
        schema = kit.release_package_schema if data_file.kind == "release-package" else kit.record_package_schema
        problems.extend(_unknown_package_fields(data_file, schema))
    for release in data_file.releases:
        problems.extend(check_release(release, validators, settings))
    if validators.checker:
        problems.extend(ocid_prefixes(validators.checker, data_file))
    return problems


def _inside_record_contents(path: tuple, records: list) -> bool:
    """Schema errors the reading stage already reports (a record that is not an object) or that
    concern a record's releases, which are checked one by one."""
    if path[:1] != ("records",) or len(path) < 2 or not isinstance(path[1], int) or path[1] >= len(records):
        return False
    return not isinstance(records[path[1]], dict) or (len(path) > 2 and path[2] in (
        "releases", "compiledRelease", "versionedRelease"))


def _unknown_package_fields(data_file: DataFile, schema: dict) -> list[Problem]:
    """Fields of the package, its publisher and its records that the package schema doesn't know."""
    places = [((), data_file.package or {}, schema.get("properties", {}))]
    publisher = (data_file.package or {}).get("publisher")
    if isinstance(publisher, dict):
        places.append((("publisher",), publisher, schema["properties"]["publisher"].get("properties", {})))
    record_fields = schema.get("definitions", {}).get("record", {}).get("properties", {})
    for index, record in enumerate(data_file.records_shell):
        if isinstance(record, dict):
            places.append((("records", index), record, record_fields))
    return [warning("field-unknown", f"{field_name((*path, key))} is not a field of an OCDS package.",
                    Location(data_file.path, None, pointer=json_pointer((*path, key))),
                    "Correct the name's spelling (capital letters matter), or remove it.")
            for path, values, known in places for key in values if key not in known]


def _check_declared_extensions(data_file: DataFile, kit: SchemaKit) -> list[Problem]:
    declared = data_file.package.get("extensions") or []
    if not isinstance(declared, list):
        return []
    known = {_extension_key(e.declared_url) for e in kit.extensions}
    return [warning("extension-not-declared",
                    f"This package uses the extension {url}, which content/site.yml does not declare, so the "
                    "fields it adds are checked as unknown fields.",
                    Location(data_file.path, None, pointer=f"/extensions/{i}"),
                    f"Add {url} to the `extensions` list in content/site.yml, or remove it from the package.")
            for i, url in enumerate(declared) if isinstance(url, str) and _extension_key(url) not in known]


def _extension_key(url: str) -> str:
    """The extension's repository name: the master URL and a commit URL mean the same extension."""
    parts = url.split("/open-contracting-extensions/", 1)
    return parts[1].split("/", 1)[0].lower() if len(parts) == 2 else url


def check_release(release: SourceRelease, validators: Validators, settings: Settings) -> list[Problem]:
    release = release.unpacked()  # decoded once for every check below
    data = release.data
    if not isinstance(data, dict):
        return [error("release-not-object", "A release must be a JSON object.", release.location())]
    try:
        errors = validators.release.errors(data)
    except (ValueError, UnicodeError):  # reading (inputs.bounds) lets no such value through; a safety net
        return [error("unreadable-value", "This release holds a value that is not text, a number, true or false, "
                      "a list or an object.", release.location(), "Look for a broken character (often pasted from "
                      "another program) and retype it.")]
    problems = [schema_problem(err, release.location(json_pointer(err.path)), validators.index, data, settings.timezone)
                for err in errors]
    problems += field_problems(release, validators.index)
    problems += character_problems(release)
    if validators.checker:
        problems += validators.checker.release(release)
    if release.example:
        problems.append(warning(
            "example-not-published", "This is the example notice `portal init` made: it is checked, but not "
            "published while its first line says EXAMPLE.", dataclasses.replace(release.location(), line=1),
            "Delete this file once your first real notice is published (or delete its first line to publish it)."))
    blanks = {p.location.pointer for p in problems if p.code == "unfilled-blank"}
    if blanks:  # "FILL IN" is not a number, a date or a code either: say it once, as a blank
        problems = [p for p in problems if p.code == "unfilled-blank" or p.location.pointer not in blanks]
    return problems


def check_duplicates(releases) -> list[Problem]:
    """No ocid + release id pair may appear twice, in one file or across files."""
    seen: dict[tuple[str, str], SourceRelease] = {}
    problems = []
    for release in releases:
        if not release.is_object:
            continue
        key = (str(release.get("ocid")), str(release.get("id")))
        first = seen.setdefault(key, release)
        if first is not release:
            where = f"line {first.line} of {first.file}" if first.line and first.file.endswith(".jsonl") else (
                f"{first.file}{first.pointer}")
            problems.append(error(
                "duplicate-release", f"The release {key[1]!r} of {key[0]} appears twice; the first is at {where}.",
                release.location("/id"),
                "Delete this copy of the notice, or give it an id of its own (e.g. add -2 to the end)."))
    return problems
