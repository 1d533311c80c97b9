"""Every read of the build: settings, OCDS data, guides, templates, static assets, schema kit.

Nothing after this stage touches the file system. OCDS files are read in a stable order
(sorted relative paths) and returned as `DataFile`s whose releases keep where they came from.
Reading problems are returned as values.
"""

from __future__ import annotations

import codecs
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import orjson
import yaml

from generator import schema_kit
from generator.config import SETTINGS_FILE, Settings, parse_settings
from generator.errors import Location, Problem, SettingsError, error, warning
from generator.yaml_text import compose_yaml, load_yaml

DATA_DIR = "ocds_data"
CONTENT_DIR = "content"
TEMPLATES_DIR = "site_templates"
DATA_SUFFIXES = {".json", ".jsonl", ".yaml", ".yml"}
QUIET_SUFFIXES = {".md", ".txt"}


@dataclass(slots=True)
class SourceRelease:
    """One release and where it was read from."""

    data: dict
    file: str
    pointer: str = ""
    item: int | None = None
    line: int | None = None

    def location(self, pointer: str = "") -> Location:
        ocid = self.data.get("ocid") if isinstance(self.data, dict) else ""
        return Location(self.file, self.line, self.item, ocid if isinstance(ocid, str) else "",
                        self.pointer + pointer)


@dataclass
class DataFile:
    path: str
    kind: str  # release-package | record-package | release | jsonl
    package: dict | None = None  # package metadata, without its releases or records
    releases: list[SourceRelease] = field(default_factory=list)


@dataclass
class Guide:
    path: str
    text: str


@dataclass
class Inputs:
    source: Path
    settings: Settings
    data_files: list[DataFile]
    guides: list[Guide]
    templates: dict[str, str]
    static: dict[str, bytes]
    kit: schema_kit.SchemaKit
    kit_origin: str
    problems: list[Problem]


def builtin_templates_dir() -> Path:
    """The default theme: packaged inside the wheel, or the repository's site_templates/."""
    packaged = Path(str(resources.files("generator"))) / TEMPLATES_DIR
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / TEMPLATES_DIR


def read_settings(source: Path) -> Settings:
    path = source / SETTINGS_FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SettingsError(
            f"There is no {SETTINGS_FILE} in {source}.",
            hint="Run the command from your portal's folder or pass --source; "
                 "README.md shows a minimal site.yml.",
        ) from None
    except UnicodeDecodeError:
        raise SettingsError(f"{SETTINGS_FILE} is not UTF-8 text.", hint="Save it as UTF-8.") from None
    return parse_settings(text, SETTINGS_FILE)


def read_kit(settings: Settings, source: Path) -> tuple[schema_kit.SchemaKit, str]:
    extensions = schema_kit.resolve_extensions(settings.extensions)
    pins = schema_kit.required_pins(extensions)
    files, origin = schema_kit.read_kit_files(
        pins, explicit=schema_kit.explicit_dir(settings.schema_dir, source), cache=schema_kit.user_cache_dir())
    return schema_kit.assemble(files, extensions), origin


def data_paths(source: Path) -> list[Path]:
    root = source / DATA_DIR
    if not root.is_dir():
        return []
    return sorted((p for p in root.rglob("*") if p.is_file() and not _hidden(p.relative_to(root))),
                  key=lambda p: p.relative_to(root).as_posix())


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def read_inputs(source: Path, settings: Settings, progress: Callable[[str, int, int], None] | None = None) -> Inputs:
    kit, origin = read_kit(settings, source)
    problems: list[Problem] = []
    data_files = []
    paths = data_paths(source)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector's passes over millions of new objects more than double load time
    try:
        for n, path in enumerate(paths, 1):
            rel = path.relative_to(source).as_posix()
            if path.suffix.lower() in DATA_SUFFIXES:
                data_file, file_problems = parse_data_file(rel, path.read_bytes())
                problems.extend(file_problems)
                if data_file is not None:
                    data_files.append(data_file)
            elif path.suffix.lower() not in QUIET_SUFFIXES:
                problems.append(warning("file-ignored", "This file was not read: only .json, .jsonl, .yaml and "
                                        ".yml files hold OCDS data.", Location(rel)))
            if progress:
                progress("files read", n, len(paths))
    finally:
        if gc_was_enabled:
            gc.enable()
    if not paths:
        problems.append(warning("no-data", f"There are no OCDS files under {DATA_DIR}/.", Location(DATA_DIR),
                                "Add release packages (.json), JSON Lines (.jsonl) or YAML releases."))
    guides, guide_problems = read_guides(source)
    problems.extend(guide_problems)
    return Inputs(
        source=source, settings=settings, data_files=data_files, guides=guides,
        templates=read_templates(source), static=read_static(source), kit=kit, kit_origin=origin,
        problems=problems,
    )


def read_guides(source: Path) -> tuple[list[Guide], list[Problem]]:
    folder = source / CONTENT_DIR
    guides, problems = [], []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        rel = path.relative_to(source).as_posix()
        try:
            guides.append(Guide(rel, path.read_bytes().decode("utf-8-sig")))
        except UnicodeDecodeError as exc:
            problems.append(_not_utf8(rel, exc))
    return guides, problems


def _theme_dirs(source: Path) -> list[Path]:
    """The city's own site_templates/ first (it overrides by name), then the default theme."""
    dirs = [source / TEMPLATES_DIR, builtin_templates_dir()]
    unique = []
    for d in dirs:
        if d.is_dir() and all(d.resolve() != u.resolve() for u in unique):
            unique.append(d)
    return unique


def read_templates(source: Path) -> dict[str, str]:
    templates: dict[str, str] = {}
    for folder in reversed(_theme_dirs(source)):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and path.suffix in {".html", ".xml", ".txt"} and not rel.startswith("static/"):
                templates[rel] = path.read_text("utf-8")
    return templates


def read_static(source: Path) -> dict[str, bytes]:
    assets: dict[str, bytes] = {}
    for folder in reversed(_theme_dirs(source)):
        static = folder / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if path.is_file() and not _hidden(path.relative_to(static)):
                assets[path.relative_to(static).as_posix()] = path.read_bytes()
    return assets


# --- parsing (pure: bytes in, values out) ----------------------------------------------

def parse_data_file(rel: str, raw: bytes) -> tuple[DataFile | None, list[Problem]]:
    suffix = rel.rsplit(".", 1)[-1].lower()
    if not raw.strip():
        return None, [error("empty-file", "This file is empty.", Location(rel),
                            "Delete it, or put a release package or a release in it.")]
    if suffix == "jsonl":
        return _parse_jsonl(rel, raw)
    if suffix in {"yaml", "yml"}:
        try:
            text = raw.decode("utf-8-sig")
            data = load_yaml(text)
        except UnicodeDecodeError as exc:
            return None, [_not_utf8(rel, exc)]
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            return None, [error("invalid-yaml", f"This is not valid YAML: {getattr(exc, 'problem', exc)}.",
                                Location(rel, mark.line + 1 if mark else None),
                                "Check the indentation and quoting on that line.")]
        return _classify(rel, data, kind_if_release="release", line=_first_line(text))
    try:
        data = orjson.loads(raw.removeprefix(codecs.BOM_UTF8))
    except orjson.JSONDecodeError as exc:
        return None, [error("invalid-json", f"This is not valid JSON: {exc.msg}.",
                            Location(rel, exc.lineno), "Fix the syntax on that line (a missing comma or quote?).")]
    return _classify(rel, data, kind_if_release="release", line=1)


def _first_line(text: str) -> int:
    node = compose_yaml(text)
    return node.start_mark.line + 1 if node is not None else 1


def _not_utf8(rel: str, exc: UnicodeDecodeError) -> Problem:
    return error("not-utf8", f"This file is not UTF-8 text (byte {exc.start} can't be read as UTF-8).",
                 Location(rel), "Save the file as UTF-8 in your editor.")


def _classify(rel: str, data, kind_if_release: str, line: int | None) -> tuple[DataFile | None, list[Problem]]:
    if isinstance(data, dict) and isinstance(data.get("releases"), list):
        meta = {k: v for k, v in data.items() if k != "releases"}
        releases = [SourceRelease(r, rel, f"/releases/{i}", i) for i, r in enumerate(data["releases"])]
        return DataFile(rel, "release-package", meta, releases), []
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        return _record_package(rel, data)
    if isinstance(data, dict) and "ocid" in data:
        return DataFile(rel, kind_if_release, None, [SourceRelease(data, rel, "", None, line)]), []
    return None, [error("not-ocds", "The top level is neither a release package (with \"releases\"), a record "
                        "package (with \"records\") nor a release (with \"ocid\").", Location(rel, line),
                        "Wrap your releases in a release package; README.md shows an example.")]


def _record_package(rel: str, data: dict) -> tuple[DataFile, list[Problem]]:
    meta = {k: v for k, v in data.items() if k != "records"}
    releases, problems = [], []
    for r, record in enumerate(data["records"]):
        where = Location(rel, None, r, "", f"/records/{r}")
        if not isinstance(record, dict):
            problems.append(error("record-not-object", "This record is not a JSON object.", where,
                                  "Each item of \"records\" must be an object with \"ocid\" and \"releases\"."))
            continue
        ocid = record.get("ocid") if isinstance(record.get("ocid"), str) else ""
        where = Location(rel, None, r, ocid, f"/records/{r}")
        embedded = record.get("releases")
        if embedded is not None and not isinstance(embedded, list):
            problems.append(error("record-releases", "This record's \"releases\" is not a list.", where,
                                  "Make \"releases\" a list of the process's releases."))
            continue
        if not embedded and isinstance(record.get("compiledRelease"), dict):
            problems.append(warning("record-compiled-only", "This record has only a compiled release, so the "
                                    "process's history of notices cannot be shown.", where,
                                    "Embed the releases themselves in the record, or publish them in a release package."))
            releases.append(SourceRelease(record["compiledRelease"], rel, f"/records/{r}/compiledRelease", r))
            continue
        for i, release in enumerate(embedded or []):
            if isinstance(release, dict) and "url" in release and "ocid" not in release and "id" not in release:
                problems.append(warning("linked-release", "This record links to its releases instead of "
                                        "embedding them; only embedded releases are read.",
                                        Location(rel, None, r, ocid, f"/records/{r}/releases/{i}"),
                                        "Publish the releases themselves in a release package."))
                continue
            if isinstance(release, dict) and ocid and release.get("ocid") != ocid:
                problems.append(error("record-ocid-mismatch",
                                      f"This release's ocid {release.get('ocid')!r} differs from its record's {ocid!r}.",
                                      Location(rel, None, r, ocid, f"/records/{r}/releases/{i}/ocid"),
                                      "Put each release in the record of its own contracting process."))
                continue
            releases.append(SourceRelease(release, rel, f"/records/{r}/releases/{i}", r))
    return DataFile(rel, "record-package", meta, releases), problems


def _parse_jsonl(rel: str, raw: bytes) -> tuple[DataFile, list[Problem]]:
    releases, problems = [], []
    for number, line in enumerate(raw.removeprefix(codecs.BOM_UTF8).splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            problems.append(error("invalid-json-line", f"Line {number} is not valid JSON: {exc.msg}. "
                                  "The other lines were still read.", Location(rel, number),
                                  "Each line must hold one whole release on a single line."))
            continue
        if not isinstance(data, dict) or "ocid" not in data:
            problems.append(error("not-a-release", f"Line {number} is not a release (it has no \"ocid\").",
                                  Location(rel, number), "Each line of a .jsonl file holds one release."))
            continue
        releases.append(SourceRelease(data, rel, "", number - 1, number))
    return DataFile(rel, "jsonl", None, releases), problems


def iter_releases(data_files: list[DataFile]) -> Iterator[SourceRelease]:
    for data_file in data_files:
        yield from data_file.releases
