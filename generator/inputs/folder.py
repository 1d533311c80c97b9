"""Every read of the build: settings, OCDS data, guides, templates, static assets, schema kit.

Nothing after this stage touches the file system. OCDS files are read in a stable order
(sorted relative paths) and returned as `DataFile`s whose releases keep where they came from.
Reading problems are returned as values.
"""

from __future__ import annotations

import gc
import hashlib
import io
import subprocess
import tarfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import ijson
from ijson.common import ObjectBuilder

from generator.errors import Location, PortalError, Problem, SettingsError, error, warning
from generator.inputs import catalogues, positions, schema_kit, spreadsheets, template_cache, validation_cache
from generator.inputs.parsing import DataFile, GuideFile, SourceRelease, _not_utf8, classify, parse_data_file  # noqa: F401
from generator.inputs.settings import SETTINGS_FILE, Settings, parse_settings

DATA_DIR = "ocds_data"
CONTENT_DIR = "content"
TEMPLATES_DIR = "site_templates"
DATA_SUFFIXES = {".json", ".jsonl", ".yaml", ".yml"}
# Packages this large are streamed release by release instead of being read whole.
STREAM_FROM = 256 * 1024 * 1024
LISTS = ("releases", "records")
QUIET_SUFFIXES = {".md", ".txt"}


@dataclass
class Inputs:
    source: Path
    settings: Settings
    data_files: list[DataFile]
    guides: list[GuideFile]
    templates: dict[str, str]
    static: dict[str, bytes]
    kit: schema_kit.SchemaKit
    kit_origin: str
    problems: list[Problem]
    translations: dict = field(default_factory=dict)  # each language's compiled catalogue, by its code
    template_cache: object = None  # compiled templates kept between builds (inputs.template_cache)


def builtin_templates_dir() -> Path:
    """The default theme: packaged inside the wheel, or the repository's site_templates/."""
    packaged = Path(str(resources.files("generator"))) / TEMPLATES_DIR
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / TEMPLATES_DIR


def package_texts(folder: str) -> dict[str, str]:
    """The text files shipped in the package under generator/<folder>/ (the notice templates, the
    new-city scaffold), by their path relative to that folder."""
    root = Path(str(resources.files("generator"))) / folder
    return {path.relative_to(root).as_posix(): path.read_text("utf-8")
            for path in sorted(root.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}


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
    data_files, problems = read_data_files(source, progress, kit.release_schema, settings.timezone)
    guides, guide_problems = read_guides(source, settings.languages)
    problems.extend(guide_problems)
    return Inputs(
        source=source, settings=settings, data_files=data_files, guides=guides,
        templates=read_templates(source), static=read_static(source), kit=kit, kit_origin=origin,
        problems=problems, translations={code: catalogues.read_translations(code) for code in settings.languages},
        template_cache=template_cache.bytecode_cache(),
    )


def read_data_files(source: Path, progress: Callable[[str, int, int], None] | None = None,
                    release_schema: dict | None = None, timezone: str = "UTC") -> tuple[list[DataFile], list[Problem]]:
    """Every OCDS file under ocds_data/, and the problems met reading them. Spreadsheets (an .xlsx
    or .ods file, or a folder's .csv files together) are typed by `release_schema`, their date
    cells read in the city's `timezone`."""
    problems: list[Problem] = []
    data_files = []
    paths = data_paths(source)
    csv_folders: set[Path] = set()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector's passes over millions of new objects more than double load time
    try:
        for n, path in enumerate(paths, 1):
            rel = path.relative_to(source).as_posix()
            suffix = path.suffix.lower()
            if suffix == spreadsheets.CSV and path.parent in csv_folders:
                pass  # read with the rest of its folder
            elif suffix == spreadsheets.CSV and path.parent == source / DATA_DIR:
                problems.append(warning("file-ignored", "This CSV file was not read: a CSV file is one sheet of a "
                                        "spreadsheet, and a spreadsheet's sheets go in a folder of their own.",
                                        Location(rel), f"Put it, with the spreadsheet's other sheets (main.csv, "
                                        f"parties.csv, ...), in a folder under {DATA_DIR}/, e.g. "
                                        f"{DATA_DIR}/register/."))
            elif suffix in spreadsheets.SPREADSHEET_SUFFIXES or suffix == spreadsheets.CSV:
                where = path
                if suffix == spreadsheets.CSV:  # a folder of CSV files is one spreadsheet, a file per sheet
                    where = path.parent
                    csv_folders.add(where)
                name = where.relative_to(source).as_posix() + ("/" if where.is_dir() else "")
                data_file, file_problems = spreadsheets.read_spreadsheet(name, where, release_schema, timezone)
                problems.extend(file_problems)
                if data_file is not None:
                    data_files.append(data_file.pack())
            elif suffix == ".json" and path.stat().st_size >= STREAM_FROM:
                data_file, file_problems = stream_package(rel, path)
                problems.extend(file_problems)
                if data_file is not None:
                    data_files.append(data_file.pack())
            elif suffix in DATA_SUFFIXES:
                data_file, file_problems = parse_data_file(rel, path.read_bytes(), validation_cache.read_cleanly)
                if data_file is not None and not file_problems:
                    validation_cache.note_read_cleanly(data_file.digest)
                problems.extend(file_problems)
                if data_file is not None:
                    data_files.append(data_file.pack())
            elif suffix not in QUIET_SUFFIXES:
                problems.append(warning("file-ignored", "This file was not read: only .json, .jsonl, .yaml and "
                                        ".yml files, and spreadsheets (.xlsx, .ods, or a folder of .csv files), "
                                        "hold OCDS data.", Location(rel),
                                        "If it holds notices, save it as .xlsx (Excel: Save As, Excel Workbook); "
                                        f"otherwise move it out of {DATA_DIR}/."))
            if progress:
                progress("files read", n, len(paths))
    finally:
        if gc_was_enabled:
            gc.enable()
    if not paths:
        problems.append(warning("no-data", f"There are no OCDS files under {DATA_DIR}/.", Location(DATA_DIR),
                                "Make the first notice with `portal new opportunity`, or add the city's OCDS "
                                "files (.json, .jsonl, .yaml) or spreadsheets."))
    return data_files, problems


def read_guides(source: Path, languages: tuple[str, ...] = ()) -> tuple[list[GuideFile], list[Problem]]:
    """content/*.md, and the translations in content/<lang>/*.md of each of the site's other `languages`."""
    folder = source / CONTENT_DIR
    guides, problems = [], []
    paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
    for language in languages[1:]:
        paths += sorted((folder / language).glob("*.md")) if (folder / language).is_dir() else []
    for path in paths:
        rel = path.relative_to(source).as_posix()
        try:
            guides.append(GuideFile(rel, path.read_bytes().decode("utf-8-sig")))
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


# Browser libraries from the npm registry (pinned in package.json), copied into the site's static/:
# name → (its path in node_modules/, the registry's tarball, the sha256 of the file itself).
BROWSER_LIBRARIES = {
    "lunr.min.js": ("lunr/lunr.min.js", "https://registry.npmjs.org/lunr/-/lunr-2.3.9.tgz",
                    "0c50d9002b85780a842afffb567bb54ede402dae7c6dc5997a018614d8044fc8"),
    # Spanish stemming and stop words for the Spanish pages' search (publish.search_language)
    "lunr.stemmer.support.min.js": (
        "lunr-languages/min/lunr.stemmer.support.min.js",
        "https://registry.npmjs.org/lunr-languages/-/lunr-languages-1.22.0.tgz",
        "5ff7b6bd53462911fc1311c09f654085b748338aced249e719c0b16fda0b90fb"),
    "lunr.es.min.js": ("lunr-languages/min/lunr.es.min.js",
                       "https://registry.npmjs.org/lunr-languages/-/lunr-languages-1.22.0.tgz",
                       "e3ecaf6091dfecf3ac77b268ef7439b0c0e5cb6155bd23eb077100101c5188cb"),
}


def browser_libraries(fetch=None) -> dict[str, bytes]:
    """lunr.js and friends: packaged in the wheel (generator/browser/), in the repository's
    node_modules/ after `npm ci`, in the user's cache, or else downloaded once from the npm
    registry into it (a generator installed from a git URL has neither of the first two). Every
    copy but the checkout's own node_modules/ is checked against its pinned sha256."""
    found = {}
    for name, (npm_path, tarball, sha256) in BROWSER_LIBRARIES.items():
        cached = schema_kit.user_cache_dir().parent / "browser" / name
        local = Path(__file__).resolve().parents[2] / "node_modules" / npm_path
        packaged = Path(str(resources.files("generator"))) / "browser" / name
        if packaged.is_file() or local.is_file():
            found[name] = (packaged if packaged.is_file() else local).read_bytes()
        elif cached.is_file() and hashlib.sha256(cached.read_bytes()).hexdigest() == sha256:
            found[name] = cached.read_bytes()
        else:
            found[name] = _fetch_npm_file(tarball, "package/" + npm_path.split("/", 1)[1], sha256, cached, fetch)
    return found


def _fetch_npm_file(tarball: str, member: str, sha256: str, target: Path, fetch=None) -> bytes:
    hint = (f"Connect to the internet once (it is cached in {target.parent}), or install the generator "
            "from a wheel, or run `npm ci` in its checkout.")
    try:
        with tarfile.open(fileobj=io.BytesIO((fetch or schema_kit.http_get)(tarball)), mode="r:gz") as archive:
            handle = archive.extractfile(member)
            data = handle.read() if handle else b""
    except (OSError, tarfile.TarError, KeyError, TimeoutError) as exc:
        raise PortalError(f"The browser library {target.name}, which search needs, could not be downloaded from "
                          f"{tarball} ({exc}).", hint=hint) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise PortalError(f"{target.name} from {tarball} does not match its pinned checksum.", hint=hint)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    part.replace(target)
    return data


def read_static(source: Path) -> dict[str, bytes]:
    assets: dict[str, bytes] = browser_libraries()
    for folder in reversed(_theme_dirs(source)):
        static = folder / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if path.is_file() and not _hidden(path.relative_to(static)):
                assets[path.relative_to(static).as_posix()] = path.read_bytes()
    return assets


def changed_files(source: Path, since: str) -> frozenset[str]:
    """The files (relative to `source`) that differ from the commit where the current branch left
    `since` (a pull request's base branch): committed, uncommitted and new untracked files."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(source), *args], capture_output=True, text=True, check=True)
        except FileNotFoundError:
            raise PortalError("--changed-since needs git, which is not installed.",
                              hint="Install git, or run `portal check` without --changed-since.") from None
        except subprocess.CalledProcessError as exc:
            raise PortalError(f"git could not compare with {since!r}: {exc.stderr.strip() or exc}",
                              hint="Name a branch or commit of this repository (in a workflow, check out with "
                                   "fetch-depth: 0 so the base branch is there).") from None
        return done.stdout

    base = git("merge-base", since, "HEAD").strip()
    names = git("diff", "--name-only", "--relative", "-z", base).split("\0")
    names += git("ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return frozenset(n for n in names if n)


def iter_releases(data_files: list[DataFile]) -> Iterator[SourceRelease]:
    for data_file in data_files:
        yield from data_file.releases


def locate_lines(source: Path, problems: list[Problem]) -> list[Problem]:
    """Give problems in JSON and YAML files the line of their JSON pointer.

    Only files with such problems are read again, so a clean build pays nothing for this.
    (JSON Lines problems already carry their line.)
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for p in problems:
        if p.location.file.endswith((".json", ".yaml", ".yml")) and p.location.pointer and p.location.line is None:
            wanted[p.location.file].add(p.location.pointer)
    lines: dict[str, dict[str, int]] = {}
    for rel, pointers in wanted.items():
        try:
            text = (source / rel).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        locate = positions.json_lines if rel.endswith(".json") else positions.yaml_lines
        lines[rel] = locate(text, pointers)
    return [replace(p, location=replace(p.location, line=lines[p.location.file][p.location.pointer]))
            if p.location.line is None and p.location.pointer in lines.get(p.location.file, {}) else p
            for p in problems]


def stream_package(rel: str, path: Path) -> tuple[DataFile | None, list[Problem]]:
    """Read a large package without holding its text: its releases (or records) one at a time
    with ijson, its other top-level fields as values. (Duplicate keys are not detected here.)"""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    try:
        with path.open("rb") as handle:
            meta = _top_level_without_lists(handle)
        items = {}
        for key in LISTS:
            if key in meta:
                with path.open("rb") as handle:
                    items[key] = list(ijson.items(handle, f"{key}.item", use_float=True))
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as exc:
        return None, [error("invalid-json", f"This is not valid JSON: {exc}.", Location(rel),
                            "Fix the syntax (often a missing or extra comma, quote or bracket); this file is "
                            "large, so check it with a JSON validator to find the line.")]
    data_file, problems = classify(rel, meta | items)
    if data_file is not None:
        data_file.digest = digest.hexdigest()
    return data_file, problems


def _top_level_without_lists(handle) -> dict:
    """The top-level members of a JSON object, with "releases"/"records" noted but not built."""
    meta: dict = {}
    key, builder, depth = None, None, 0
    for prefix, event, value in ijson.parse(handle, use_float=True):
        if builder is None and prefix == "" and event == "map_key":
            key = value
            if key in LISTS:
                meta[key] = []
            continue
        if key is None or key in LISTS or prefix == "":
            continue
        if builder is None:
            builder, depth = ObjectBuilder(), 0
        builder.event(event, value)
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")
        if depth == 0:
            meta[key], builder, key = builder.value, None, None
    return meta
