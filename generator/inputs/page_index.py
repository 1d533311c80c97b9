"""What the previous build of an output folder made each page from: read before a build, so that
a page whose inputs are unchanged is not made again (publish.page_keys) but hard-linked from the
previous site (write).

The index lives in the user's cache folder, one file per output folder (named by a digest of its
absolute path): for each page, the digest of what it was made from, the parts of the view model it
read and the stamp (size, modification time, inode) its file had when written. A page is reused
only while the previous site's file still has that stamp, so a site edited or replaced by hand is
made afresh. `write.keep_page_index` writes it once a build's site is in place; a missing, damaged
or foreign index is an empty one, which costs only time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import marshal
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.artifact import Stamp
from generator.inputs import validation_cache

FORMAT = b"ocds-portal page index 1\n"


@dataclass(frozen=True, slots=True)
class Entry:
    key: bytes  # publish.page_keys: the digest of the page's inputs
    reads: tuple[str, ...]  # the parts of the view model (Site's attributes) the page read
    stamp: Stamp  # its file's, in the previous site


def location(output: Path) -> Path:
    """The index of the site built at `output`."""
    name = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return validation_cache.folder("pages") / f"{name}.index"


def read(output: Path) -> Mapping[str, Entry] | None:
    """The pages the last build of `output` made, by output path; empty when unknown. None when
    `output` holds no site (a fresh checkout's build, in CI): then the build makes every page and
    keeps no index, sparing the digests (a few percent of its time) that only a build over this
    one would use."""
    try:
        if not output.is_dir():
            return None
        with os.scandir(output) as found:
            if next(found, None) is None:
                return None
        data = location(output).read_bytes()
        if not data.startswith(FORMAT):
            return {}
        rows = marshal.loads(data[len(FORMAT):])
        reads: dict[tuple, tuple] = {}  # most pages read the same few parts: one tuple for them all
        return {path: Entry(key, reads.setdefault(read_, read_), Stamp(size, mtime, inode))
                for path, (key, read_, size, mtime, inode) in rows.items()}
    except (OSError, EOFError, ValueError, TypeError):
        return {}


def encode(entries: Mapping[str, Entry]) -> bytes:
    """The index's bytes (read's inverse)."""
    return FORMAT + marshal.dumps({path: (e.key, e.reads, e.stamp.size, e.stamp.mtime_ns, e.stamp.inode)
                                   for path, e in entries.items()})


@functools.cache
def code_salt() -> bytes:
    """A digest of the code that makes a page: the generator's own, Python's, and the versions of
    the libraries that render and format it (Jinja, MarkupSafe, Babel with its CLDR data). A page
    made by other code is made again."""
    package = Path(__file__).resolve().parents[1]
    versions = [sys.version] + [_version(name) for name in RENDERING_LIBRARIES]
    return hashlib.sha256(bytes.fromhex(validation_cache.code_digest(sorted(package.rglob("*.py"))))
                          + "\n".join(versions).encode()).digest()


RENDERING_LIBRARIES = ("jinja2", "markupsafe", "babel")


def _version(name: str) -> str:
    try:
        return f"{name} {importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{name} ?"
