"""Check OCDS data against the schema kit and the city's rules. Pure: values in, problems out."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import jsonschema_rs

from generator.config import Settings
from generator.errors import Location, Problem, error, json_pointer
from generator.reading import DataFile, SourceRelease
from generator.schema_kit import SchemaKit


@dataclass
class Validators:
    release: jsonschema_rs.Draft4Validator
    release_package: jsonschema_rs.Draft4Validator
    record_package: jsonschema_rs.Draft4Validator


def make_validators(kit: SchemaKit) -> Validators:
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
        release=jsonschema_rs.Draft4Validator(kit.release_schema, validate_formats=True),
        release_package=jsonschema_rs.Draft4Validator(release_package, validate_formats=True),
        record_package=jsonschema_rs.Draft4Validator(record_package, validate_formats=True),
    )


def check_file(data_file: DataFile, validators: Validators, settings: Settings, kit: SchemaKit) -> list[Problem]:
    problems: list[Problem] = []
    if data_file.package is not None:
        shell = dict(data_file.package)
        if data_file.kind == "release-package":
            shell["releases"] = [{}]
            validator = validators.release_package
        else:
            shell["records"] = []
            validator = validators.record_package
        for err in validator.iter_errors(shell):
            if err.instance_path[:1] in (["releases"], ["records"]):
                continue
            problems.append(_schema_problem(err, Location(data_file.path, 1, pointer=json_pointer(err.instance_path))))
        problems.extend(_check_declared_extensions(data_file, kit))
    for release in data_file.releases:
        problems.extend(check_release(release, validators, settings))
    return problems


def _check_declared_extensions(data_file: DataFile, kit: SchemaKit) -> list[Problem]:
    declared = data_file.package.get("extensions") or []
    if not isinstance(declared, list):
        return []
    known = {_extension_key(e.declared_url) for e in kit.extensions}
    return [error("extension-not-declared",
                  f"This package uses the extension {url}, which content/site.yml does not declare.",
                  Location(data_file.path, 1, pointer=f"/extensions/{i}"),
                  f"Add {url} to the `extensions` list in content/site.yml, or remove it from the package.")
            for i, url in enumerate(declared) if isinstance(url, str) and _extension_key(url) not in known]


def _extension_key(url: str) -> str:
    """The extension's repository name: the master URL and a commit URL mean the same extension."""
    parts = url.split("/open-contracting-extensions/", 1)
    return parts[1].split("/", 1)[0].lower() if len(parts) == 2 else url


def check_release(release: SourceRelease, validators: Validators, settings: Settings) -> list[Problem]:
    data = release.data
    if not isinstance(data, dict):
        return [error("release-not-object", "A release must be a JSON object.", release.location())]
    problems = [_schema_problem(err, release.location(json_pointer(err.instance_path)))
                for err in validators.release.iter_errors(data)]
    ocid = data.get("ocid")
    if isinstance(ocid, str) and not ocid.startswith(settings.ocid_prefix + "-"):
        problems.append(error(
            "ocid-prefix", f"The ocid {ocid!r} does not start with this city's prefix {settings.ocid_prefix}-.",
            release.location("/ocid"),
            f"Start every ocid with {settings.ocid_prefix}- (the prefix set in content/site.yml)."))
    return problems


def check_duplicates(releases) -> list[Problem]:
    """No ocid + release id pair may appear twice, in one file or across files."""
    seen: dict[tuple[str, str], SourceRelease] = {}
    problems = []
    for release in releases:
        data = release.data
        if not isinstance(data, dict):
            continue
        key = (str(data.get("ocid")), str(data.get("id")))
        first = seen.setdefault(key, release)
        if first is not release:
            problems.append(error(
                "duplicate-release", f"The release {key[1]!r} of {key[0]} appears twice; the first is in "
                f"{first.file}{first.pointer}.", release.location("/id"),
                "Give each release of a process its own id, or delete the copy."))
    return problems


def _schema_problem(err, location: Location) -> Problem:
    path = "/".join(str(p) for p in err.instance_path) or "the top level"
    return error("schema", f"{path}: {err.message}", location,
                 "Compare this field with the OCDS schema: https://standard.open-contracting.org/1.1/en/schema/")
