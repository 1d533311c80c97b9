"""The OCDS schema kit: release and package schemas, codelists and declared extensions.

Resolution order (the first that has every needed file wins):
1. an explicit folder (`schema_dir` in site.yml, or the `OCDS_PORTAL_SCHEMA_DIR` environment
   variable) laid out like the output of `portal schema fetch --into DIR`;
2. the user's cache (`$XDG_CACHE_HOME/ocds-portal/schema-kit`, else `~/.cache/...`);
3. a download from the canonical URLs, into the cache.

Every file is verified against the sha256 pinned in `schema_pins.json` wherever it comes from.
`assemble` is pure: it applies extension merge patches (RFC 7386) and codelist changes.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from generator.errors import SchemaKitError

ENV_SCHEMA_DIR = "OCDS_PORTAL_SCHEMA_DIR"
CORE = "1.1.5/"


@dataclass(frozen=True)
class Pin:
    path: str
    url: str
    sha256: str


@dataclass(frozen=True)
class Extension:
    id: str
    repository: str
    declared_url: str


@dataclass
class SchemaKit:
    """Everything validation and compilation need, with extensions applied."""

    release_schema: dict
    release_package_schema: dict
    record_package_schema: dict
    versioned_release_schema: dict
    codelists: dict[str, tuple[str, ...]]
    extensions: tuple[Extension, ...]
    titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def codelist_title(self, codelist: str, code: str) -> str:
        return self.titles.get(codelist, {}).get(code, code)


def load_pins() -> dict:
    return json.loads(resources.files("generator").joinpath("schema_pins.json").read_text("utf-8"))


def _pins_by_path() -> dict[str, Pin]:
    return {f["path"]: Pin(f["path"], f["url"], f["sha256"]) for f in load_pins()["files"]}


def resolve_extensions(declared_urls) -> tuple[Extension, ...]:
    """Map declared extension URLs (at `master` or the pinned commit) to known extensions."""
    known = {v["repository"].rstrip("/").rsplit("/", 1)[-1].lower(): (k, v["repository"])
             for k, v in load_pins()["extensions"].items()}
    found, unknown = [], []
    for url in declared_urls:
        match = re.search(r"/open-contracting-extensions/([^/]+)/", url)
        key = match.group(1).lower() if match else ""
        if key in known:
            ext_id, repo = known[key]
            if all(e.id != ext_id for e in found):  # the master URL and a commit URL name one extension
                found.append(Extension(ext_id, repo, url))
        else:
            unknown.append(url)
    if unknown:
        names = ", ".join(sorted(v[0] for v in known.values()))
        raise SchemaKitError(
            "site.yml declares extension(s) this generator has no pinned copy of: " + ", ".join(unknown),
            hint=f"Remove them from `extensions` in content/site.yml, or use one of: {names}.",
        )
    return tuple(found)


def required_pins(extensions) -> list[Pin]:
    ids = {e.id for e in extensions}
    pins = _pins_by_path()
    return [p for path, p in sorted(pins.items())
            if path.startswith(CORE) or path.split("/")[1] in ids and path.startswith("extensions/")]


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ocds-portal" / "schema-kit"


def explicit_dir(setting: str, source: Path, environ=os.environ) -> Path | None:
    if setting:
        return (source / setting).resolve()
    if environ.get(ENV_SCHEMA_DIR):
        return Path(environ[ENV_SCHEMA_DIR]).resolve()
    return None


def read_kit_files(pins: list[Pin], *, explicit: Path | None, cache: Path, download: bool = True,
                   fetch=None) -> tuple[dict[str, bytes], str]:
    """Return ({path: bytes}, where they came from). Reads, and downloads only into the cache."""
    if explicit is not None:
        files = _read_folder(explicit, pins)
        if files is None:
            missing = next(p.path for p in pins if not (explicit / p.path).is_file())
            raise SchemaKitError(
                f"The schema folder {explicit} is missing OCDS schema files (first missing: {missing}).",
                hint=f"Fill it with `portal schema fetch --into {explicit}` on a machine with internet, "
                     f"or unset {ENV_SCHEMA_DIR} / schema_dir to use the cache.",
            )
        return files, str(explicit)
    files = _read_folder(cache, pins)
    if files is not None:
        return files, str(cache)
    if not download:
        raise _offline_error(cache, None)
    fetched = fetch_into(cache, pins, fetch=fetch)
    return fetched, "downloaded into " + str(cache)


def fetch_into(folder: Path, pins: list[Pin], fetch=None) -> dict[str, bytes]:
    """Download every pinned file into `folder`, verifying checksums. Returns the files."""
    fetch = fetch or http_get
    files = {}
    for pin in pins:
        target = folder / pin.path
        if target.is_file() and _sha256(target.read_bytes()) == pin.sha256:
            files[pin.path] = target.read_bytes()
            continue
        try:
            data = fetch(pin.url)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            if folder != user_cache_dir():
                raise SchemaKitError(
                    f"Could not download {pin.url} into {folder} ({exc}).",
                    hint="Run `portal schema fetch --into DIR` on a machine with internet, then copy DIR here "
                         f"and point {ENV_SCHEMA_DIR} (or schema_dir in content/site.yml) at it.") from None
            raise _offline_error(folder, exc) from None
        if _sha256(data) != pin.sha256:
            raise SchemaKitError(
                f"The file downloaded from {pin.url} does not match its pinned checksum.",
                hint="Something between you and the standard's site changed it; try again later, "
                     "or copy a verified schema folder and point OCDS_PORTAL_SCHEMA_DIR at it.",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
        files[pin.path] = data
    return files


def _offline_error(cache: Path, exc) -> SchemaKitError:
    reason = f" ({exc})" if exc else ""
    return SchemaKitError(
        f"The OCDS schema files are not in the cache ({cache}) and could not be downloaded{reason}.",
        hint=f"Either run `portal schema fetch` once on a machine with internet (or `portal schema fetch "
             f"--into DIR` and commit DIR), or point the {ENV_SCHEMA_DIR} environment variable (or "
             f"`schema_dir` in content/site.yml) at a folder that holds them.",
    )


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - pinned https URLs
        return response.read()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_folder(folder: Path, pins: list[Pin]) -> dict[str, bytes] | None:
    files = {}
    for pin in pins:
        path = folder / pin.path
        if not path.is_file():
            return None
        data = path.read_bytes()
        if _sha256(data) != pin.sha256:
            raise SchemaKitError(
                f"{path} differs from the published OCDS file (checksum mismatch).",
                hint=f"Restore it with `portal schema fetch --into {folder}`; never edit the standard's files.",
            )
        files[pin.path] = data
    return files


# --- assembly (pure) ---------------------------------------------------------------------

def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _read_codelist(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def assemble(files: dict[str, bytes], extensions: tuple[Extension, ...]) -> SchemaKit:
    release = json.loads(files[CORE + "release-schema.json"])
    rows: dict[str, list[dict[str, str]]] = {}
    for path in sorted(files):
        if path.startswith(CORE + "codelists/"):
            rows[path.rsplit("/", 1)[1][:-4]] = _read_codelist(files[path])
    for ext in sorted(extensions, key=lambda e: e.id):
        prefix = f"extensions/{ext.id}/"
        patch = files.get(prefix + "release-schema.json")
        if patch:
            release = merge_patch(release, json.loads(patch))
        for path in sorted(p for p in files if p.startswith(prefix + "codelists/")):
            name = path.rsplit("/", 1)[1][:-4]
            new_rows = _read_codelist(files[path])
            if name.startswith("+"):
                rows.setdefault(name[1:], []).extend(new_rows)
            elif name.startswith("-"):
                gone = {r["Code"] for r in new_rows}
                rows[name[1:]] = [r for r in rows.get(name[1:], []) if r["Code"] not in gone]
            else:
                rows[name] = new_rows
    codelists = {name: tuple(r["Code"] for r in items) for name, items in rows.items()}
    titles = {name: {r["Code"]: r.get("Title") or r["Code"] for r in items} for name, items in rows.items()}
    return SchemaKit(
        release_schema=release,
        release_package_schema=json.loads(files[CORE + "release-package-schema.json"]),
        record_package_schema=json.loads(files[CORE + "record-package-schema.json"]),
        versioned_release_schema=json.loads(files[CORE + "versioned-release-validation-schema.json"]),
        codelists=codelists,
        extensions=tuple(extensions),
        titles=titles,
    )


def registry(kit: SchemaKit):
    """A `referencing.Registry` mapping the standard's canonical schema URLs to the kit's own
    documents, the release schema with the declared extensions applied: the package schemas,
    which `$ref` the release schema by absolute URL, then validate whole packages offline."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    documents = (kit.release_schema, kit.versioned_release_schema, kit.release_package_schema,
                 kit.record_package_schema)
    return Registry().with_resources((d["id"], Resource(d, DRAFT4)) for d in documents)
