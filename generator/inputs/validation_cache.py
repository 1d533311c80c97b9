"""Validation results cached by file content, so unchanged files are not checked again.

A file's problems depend on its bytes and on what it is checked against: the schema kit and
extensions, the city's prefix, local codes and time zone, "today", the engine and this
generator's version. All of these make the key. The cache lives beside the schema kit's in the
user's cache folder; a damaged entry is ignored. Read and written by `build` only.

The same store (`read_entry`, `store_entry`) keeps what reading a spreadsheet gave
(inputs.spreadsheets), which costs a hundred times what parsing JSON does.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from generator import __version__
from generator.errors import Location, Problem, Severity
from generator.inputs.schema_kit import user_cache_dir


def folder(kind: str = "validation") -> Path:
    return user_cache_dir().parent / kind


def remove_older(paths: Iterable[Path], days: int, now: float | None = None) -> None:
    """Remove those of `paths` not changed for `days` days: what a cache keeps for other versions
    or other folders, which no build would ever remove otherwise. One already gone (another build
    pruning) or not ours to remove is left."""
    cutoff = (time.time() if now is None else now) - days * 24 * 3600
    for path in paths:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _code_version() -> str:
    """The checking code itself (the checking package, and the reading of OCDS files that shapes
    the data checked: parsing, its limits and the 1.0 upgrade), so a changed check never serves
    stale results."""
    package = Path(__file__).resolve().parents[1]
    reading = [package / "inputs" / f"{name}.py" for name in ("parsing", "bounds", "upgrade", "yaml_text")]
    return code_digest([*sorted((package / "checking").glob("*.py")), *reading])


def code_digest(paths) -> str:
    """The SHA-256 of these source files together: part of a cache key, so that changed code never
    serves what the old code made."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def context_key(settings, kit, today, engine: str) -> str:
    parts = [__version__, _code_version(), engine, str(today), " ".join(settings.ocid_prefixes), settings.timezone,
             json.dumps(settings.local_codes, sort_keys=True), ",".join(sorted(e.id for e in kit.extensions))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def read_cleanly(digest: str) -> bool:
    """Whether a file of these bytes (their SHA-256) was read by this code with no problem at all
    (inputs.parsing takes it without its reading checks)."""
    return read_entry(file_key(digest, _read_version()), READ) is True


def note_read_cleanly(digest: str) -> None:
    if not read_cleanly(digest):
        store_entry(file_key(digest, _read_version()), True, READ)


READ = "read"  # the cache's folder of files read cleanly


@functools.cache
def _read_version() -> str:
    return f"{__version__}:{_code_version()}"


def file_key(digest: str, context: str) -> str:
    return hashlib.sha256(f"{digest}:{context}".encode()).hexdigest()


def read(key: str) -> list[Problem] | None:
    entries = read_entry(key)
    try:
        return problems_from(entries) if entries is not None else None
    except (KeyError, TypeError, ValueError):
        return None


def store(key: str, problems: list[Problem]) -> None:
    store_entry(key, problem_entries(problems))


def problem_entries(problems: list[Problem]) -> list[dict]:
    """Problems as JSON values (problems_from reads them back)."""
    return [{"severity": p.severity.value, "code": p.code, "message": p.message, "hint": p.hint,
             "location": {"file": p.location.file, "line": p.location.line, "item": p.location.item,
                          "ocid": p.location.ocid, "pointer": p.location.pointer}} for p in problems]


def problems_from(entries: list[dict]) -> list[Problem]:
    """Raises KeyError, TypeError or ValueError for entries problem_entries did not write."""
    return [Problem(Severity(e["severity"]), e["code"], e["message"], Location(**e["location"]), e["hint"])
            for e in entries]


def read_entry(key: str, kind: str = "validation"):
    """The JSON value stored under `key` in the cache's `kind` folder, or None (none, or damaged)."""
    try:
        return json.loads((folder(kind) / key[:2] / f"{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def store_entry(key: str, value, kind: str = "validation") -> None:
    target = folder(kind) / key[:2] / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.part")
        temporary.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
        temporary.replace(target)
    except (OSError, ValueError):  # ValueError: text UTF-8 can't hold (a lone surrogate)
        pass  # a cache that can't be written only costs time
