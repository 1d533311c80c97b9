"""Compiled processes kept between builds, a chunk of processes at a time (records.ChunkCache), by
what they are compiled from: their releases' bytes and where each was read, the merge rules (the
release schema with the city's extensions), the code that compiles and checks them and the versions
of the generator and of ocdsmerge. Compiling was a tenth of a big city's build, and a one-file change
leaves all but a chunk or two as they were.

Entries live in the user's cache folder beside the validation cache's; one not used for
KEPT_DAYS goes. A damaged or unreadable entry is compiled again. They are pickles: the cache
folder is the user's own, as trusted as the installed code that reads it.
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
from generator.inputs import validation_cache

KIND = "compiled"
KEPT_DAYS = 7


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


def _path(key: str) -> Path:
    return validation_cache.folder(KIND) / key[:2] / f"{key}.pickle"


def read(key: str):
    """The chunk kept under `key`, or None; a chunk read is kept another KEPT_DAYS."""
    path = _path(key)
    try:
        value = pickle.loads(path.read_bytes())
        os.utime(path)
    except Exception:  # noqa: BLE001 - none, damaged, or made by other code: compiled again
        return None
    return value


def store(key: str, value) -> None:
    """Keep a chunk under `key`; a cache that can't be written costs only time."""
    target = _path(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.part")
        temporary.write_bytes(pickle.dumps(value, protocol=5))
        temporary.replace(target)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        with contextlib.suppress(OSError, UnboundLocalError):
            temporary.unlink()


def prune() -> None:
    """Remove the chunks no build has used for KEPT_DAYS."""
    with contextlib.suppress(OSError):
        validation_cache.remove_older(validation_cache.folder(KIND).glob("*/*.pickle"), KEPT_DAYS)
