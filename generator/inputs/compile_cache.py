"""Compiled processes kept between builds, a chunk of processes at a time (records.ChunkCache), by
what they are compiled from: their releases' bytes and where each was read, the merge rules (the
release schema with the city's extensions), the code that compiles and checks them and the versions
of the generator and of ocdsmerge. Compiling was a tenth of a big city's build, and a one-file change
leaves all but a chunk or two as they were. The processes' views (site.process) are kept the same
way (VIEWS), by their chunk's key and what else decides them (`view_salt`): the build's day, the
city's time zone and settings, all the code.

Entries live in the user's cache folder beside the validation cache's; one not used for
KEPT_DAYS goes (a view, made for one day, after VIEWS_KEPT_DAYS). A damaged or unreadable entry is
made again. They are pickles: the cache folder is the user's own, as trusted as the installed code
that reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from importlib import metadata
from pathlib import Path

import orjson

from generator import __version__
from generator.inputs import page_index, validation_cache

KIND = "compiled"
KEPT_DAYS = 7
VIEWS = "views"
VIEWS_KEPT_DAYS = 2  # views are made for a day: yesterday's are of no use to a nightly build


def salt(release_schema: dict) -> bytes:
    """What decides a compiled chunk besides its releases."""
    package = Path(__file__).resolve().parents[1]
    code = validation_cache.code_digest([package / "records.py", package / "pipeline.py",
                                         package / "inputs" / "source_release.py",
                                         *sorted((package / "checking").glob("*.py"))])
    try:
        merge = metadata.version("ocdsmerge")
    except metadata.PackageNotFoundError:
        merge = ""
    schema = orjson.dumps(release_schema, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(f"{__version__}\0{merge}\0{code}\0".encode() + schema).digest()


def view_salt(*decides) -> bytes:
    """What decides a process's view besides its compiled release: all the code (page_index's
    digest of it) and `decides` (plain values: the day, the time zone, settings)."""
    return hashlib.sha256(page_index.code_salt() + repr(decides).encode("utf-8", "surrogateescape")).digest()


def _path(key: str, kind: str) -> Path:
    return validation_cache.folder(kind) / key[:2] / f"{key}.pickle"


def read(key: str, kind: str = KIND):
    """The chunk kept under `key`, or None; a chunk read is kept another KEPT_DAYS."""
    path = _path(key, kind)
    try:
        value = pickle.loads(path.read_bytes())
        os.utime(path)
    except Exception:  # noqa: BLE001 - none, damaged, or made by other code: compiled again
        return None
    return value


def store(key: str, value) -> None:
    """Keep a chunk under `key`; a cache that can't be written costs only time."""
    try:
        data = pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    store_pickled(key, data)


def store_pickled(key: str, data: bytes, kind: str = KIND) -> None:
    """Keep a chunk already pickled (`data`) under `key`."""
    target = _path(key, kind)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.part")
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            temporary.unlink()


def prune() -> None:
    """Remove the chunks no build has used for KEPT_DAYS, and the views for VIEWS_KEPT_DAYS."""
    for kind, days in ((KIND, KEPT_DAYS), (VIEWS, VIEWS_KEPT_DAYS)):
        with contextlib.suppress(OSError):
            validation_cache.remove_older(validation_cache.folder(kind).glob("*/*.pickle"), days)
