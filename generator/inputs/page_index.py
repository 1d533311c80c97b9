"""What the previous build of an output folder made each page from: read before a build, so that
a page whose inputs are unchanged is not made again (publish.page_keys) but hard-linked from the
previous site (write).

The index lives in the user's cache folder, one file per output folder (named by a digest of its
absolute path): for each page (and search shard), the digest of what it was made from, the parts
of the view model it read and the stamp (size, modification time, inode) its file had when
written. A page is reused
only while the previous site's file still has that stamp, so a site edited or replaced by hand is
made afresh. `write.keep_page_index` writes it once a build's site is in place; a missing, damaged
or foreign index is an empty one, which costs only time.

Beside it, the segments of the bulk files (publish.streams): for each gzipped file, its stamp and
where each segment's compressed bytes are, by the digest of its bytes before compression; for
each CSV table, where the rows of each run of processes are, by the digest of what they are made
from. A segment the next build would make again is read from the previous site's file instead
(`KeptSegments`), while the file keeps its stamp.
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

FORMAT = b"ocds-portal page index 2\n"
SEGMENTS_FORMAT = b"ocds-portal segment index 2\n"


@dataclass(frozen=True, slots=True)
class Entry:
    key: bytes  # publish.page_keys: the digest of the page's inputs
    reads: tuple[str, ...]  # the parts of the view model (Site's attributes) the page read
    stamp: Stamp  # its file's, in the previous site
    gzipped: int = 0  # a search shard's: its size gzipped, for the build's report (search.Shard)


def location(output: Path) -> Path:
    """The index of the site built at `output`."""
    name = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return validation_cache.folder("pages") / f"{name}.index"


def read(output: Path) -> Mapping[str, Entry] | None:
    """The pages the last build of `output` made, by output path; empty when unknown. None when
    `output` holds no site (a fresh checkout's build, in CI): then the build makes every page and
    keeps no index, sparing the digests (a few percent of its time) that only a build over this
    one would use."""
    if not has_site(output):
        return None
    try:
        data = location(output).read_bytes()
        if not data.startswith(FORMAT):
            return {}
        rows = marshal.loads(data[len(FORMAT):])
        reads: dict[tuple, tuple] = {}  # most pages read the same few parts: one tuple for them all
        return {path: Entry(key, reads.setdefault(read_, read_), Stamp(size, mtime, inode), gzipped)
                for path, (key, read_, size, mtime, inode, gzipped) in rows.items()}
    except (OSError, EOFError, ValueError, TypeError):
        return {}


def has_site(output: Path) -> bool:
    """Whether `output` is a folder with something in it."""
    try:
        with os.scandir(output) as found:
            return next(found, None) is not None
    except OSError:
        return False


def encode(entries: Mapping[str, Entry]) -> bytes:
    """The index's bytes (read's inverse)."""
    return FORMAT + marshal.dumps({path: (e.key, e.reads, e.stamp.size, e.stamp.mtime_ns, e.stamp.inode, e.gzipped)
                                   for path, e in entries.items()})


def segments_location(output: Path) -> Path:
    """The index of the gzipped files' segments of the site built at `output`."""
    return location(output).with_suffix(".segments")


class KeptSegments:
    """The segments of the bulk files of the site at `output`, as the last build wrote them:
    `kept(digest)` reads the one with that digest from its file, with its count of items, while the
    file has the stamp it was written with; None otherwise (then it is made again). `files`: each
    file's stamp and segments (digest, offset, length, items); `reused` counts the segments read.
    Files are opened once each; `close()` closes them."""

    def __init__(self, output: Path, files: Mapping[str, tuple[Stamp, list[tuple[bytes, int, int, int]]]]):
        self.output, self.files, self.reused = output, files, 0
        self._where = {digest: (path, offset, length, items)
                       for path, (_, segments) in files.items() for digest, offset, length, items in segments}
        self._open: dict[str, int | None] = {}

    def __call__(self, digest: bytes) -> tuple[bytes, int] | None:
        found = self._where.get(digest)
        if found is None:
            return None
        path, offset, length, items = found
        handle = self._file(path)
        try:
            data = os.pread(handle, length, offset) if handle is not None else b""
        except OSError:
            return None
        if len(data) != length:
            return None
        self.reused += 1
        return data, items

    def _file(self, path: str) -> int | None:
        if path not in self._open:
            handle = None
            try:
                handle = os.open(self.output / path, os.O_RDONLY)
                found = os.fstat(handle)
                if Stamp(found.st_size, found.st_mtime_ns, found.st_ino) != self.files[path][0]:
                    os.close(handle)
                    handle = None
            except OSError:
                handle = None
            self._open[path] = handle
        return self._open[path]

    def close(self) -> None:
        for handle in self._open.values():
            if handle is not None:
                os.close(handle)
        self._open.clear()


def kept_segments(output: Path, compressor: str) -> KeptSegments | None:
    """The segments the last build of `output` wrote with `compressor` (streams.COMPRESSOR, and for
    the CSV tables the code's digest); none when unknown, damaged or made by other code. None when `output` holds no site (as
    `read`): then no segment's digest is taken."""
    if not has_site(output):
        return None
    files: dict = {}
    try:
        data = segments_location(output).read_bytes()
        if data.startswith(SEGMENTS_FORMAT):
            made_by, rows = marshal.loads(data[len(SEGMENTS_FORMAT):])
            if made_by == compressor:
                files = {path: (Stamp(size, mtime, inode), segments)
                         for path, (size, mtime, inode, segments) in rows.items()}
    except (OSError, EOFError, ValueError, TypeError):
        files = {}
    return KeptSegments(output, files)


def encode_segments(compressor: str, files: Mapping[str, tuple[Stamp, list]]) -> bytes:
    """The segment index's bytes (kept_segments' inverse); `files`: each file's stamp and its
    segments (streams.Segment)."""
    return SEGMENTS_FORMAT + marshal.dumps((compressor, {
        path: (stamp.size, stamp.mtime_ns, stamp.inode, [(s.digest, s.offset, s.length, s.items) for s in segments])
        for path, (stamp, segments) in files.items()}))


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
