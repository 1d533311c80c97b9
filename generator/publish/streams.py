"""Bytes made a chunk at a time for large downloads: JSON packages in pieces, pieces joined into
chunks, gzip that gives the same bytes every time (compressing in a second thread, segment by
segment, so that a segment the last build wrote is not compressed again), and the tally of a
file's size, checksum and count taken as its bytes pass. Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from zlib_ng import zlib_ng

from generator.inputs.source_release import to_json  # noqa: F401 - the bulk files' JSON

T = TypeVar("T")
CHUNK = 1 << 20  # bytes handed to write at a time (a CSV table's)
# zlib-ng's level 7: smaller files than zlib's level 6 (the old default) on every sample tried, at
# 1.75 times its speed; its level 6 is faster but a quarter larger on repetitive data (the demo's).
GZIP_LEVEL = 7
AHEAD = 2  # segments cut ahead of the gzip thread


class Tally:
    """A download's size, sha256, item count and newest date, taken as its bytes pass to `write`."""

    def __init__(self):
        self.start()

    def start(self) -> None:
        self.size, self.count, self.newest, self.complete = 0, 0, None, False
        self._sha256 = hashlib.sha256()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self._sha256.update(chunk)

    def saw(self, date: dt.datetime | None, items: int = 1) -> None:
        """Count an item (a release, a record, a row) and keep the newest date seen."""
        self.count += items
        if date is not None and (self.newest is None or date > self.newest):
            self.newest = date

    @property
    def sha256(self) -> str:
        if not self.complete:
            raise RuntimeError("A bulk download's checksum was asked for before all its bytes were written.")
        return self._sha256 if isinstance(self._sha256, str) else self._sha256.hexdigest()

    def __getstate__(self) -> dict:
        """A complete tally travels (from the worker that wrote the downloads) with its checksum as text."""
        if not self.complete:
            raise RuntimeError("A bulk download's tally was sent before all its bytes were written.")
        return {**self.__dict__, "_sha256": self.sha256}


def package_parts(meta: dict, key: str, items: Iterable[bytes]) -> Iterator[bytes]:
    """A package's JSON in pieces: its metadata, then each release or record on a line of its own."""
    yield to_json(meta)[:-1] + b',"' + key.encode() + b'":[\n'
    separator = b""
    for item in items:
        yield separator + item
        separator = b",\n"
    yield b"\n]}\n"


def batched(parts: Iterable[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """Pieces joined into chunks of at least `size` bytes (the last may be smaller)."""
    batch, held = [], 0
    for part in parts:
        batch.append(part)
        held += len(part)
        if held >= size:
            yield b"".join(batch)
            batch, held = [], 0
    if batch:
        yield b"".join(batch)


def runs(items: Iterable[T], data_of: Callable[[T], bytes]) -> Iterator[list[T]]:
    """Items in runs whose ends depend on the items' bytes (`data_of`), not on their places: a run
    ends after an item whose bytes' CRC-32 has its low CUT bits clear, once SEGMENT_MIN bytes are
    held (or at SEGMENT_MAX). A changed item changes its own run (and at most the next), not every
    one after it, so the next build finds the others' results unchanged (`gzipped`, a CSV table's
    rows)."""
    batch: list[T] = []
    held = 0
    for item in items:
        data = data_of(item)
        batch.append(item)
        held += len(data)
        if held >= SEGMENT_MAX or (held >= SEGMENT_MIN and not zlib_ng.crc32(data) & CUT):
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def segments(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Pieces (a package's releases, a file's lines) joined into segments, each gzipped on its own
    (`gzipped`), so that a segment whose bytes are those of one the last build wrote need not be
    compressed again: `runs` of pieces. The first piece (a package's metadata, with the day it
    was published) is a segment of its own, so a new day does not change the first releases'."""
    pieces = iter(pieces)
    first = next(pieces, None)
    if first is None:
        return
    yield first
    for run in runs(pieces, _itself):
        yield b"".join(run)


def _itself(data: bytes) -> bytes:
    return data


SEGMENT_MIN = 1 << 18
SEGMENT_MAX = 1 << 23
CUT = (1 << 8) - 1  # a segment ends after one piece in 256, on average, once SEGMENT_MIN bytes are held
# The compressor, as the index of the last build's segments names it: a segment compressed by
# another library, version or level is compressed again, so the bytes never depend on the cache.
COMPRESSOR = f"zlib-ng {zlib_ng.ZLIBNG_VERSION} level {GZIP_LEVEL}"
# gzip's header as gzip.GzipFile writes it: deflate, no flags (no file name), mtime 0, no extra
# flags (as for any level but 1 and 9), unknown operating system.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
GZIP_END = b"\x03\x00"  # deflate's last block, empty: what follows the last segment


@dataclass(frozen=True, slots=True)
class Segment:
    """A segment of a file as written: its digest (a gzipped file's: of its bytes before
    compression; a CSV table's: of what its rows are made from), where its bytes are in the file
    and how many items (a table's rows) they hold."""

    digest: bytes
    offset: int
    length: int
    items: int = 0


def segment_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def gzipped(pieces: Iterable[bytes], kept: Callable[[bytes], tuple[bytes, int] | None] | None = None,
            made: list[Segment] | None = None) -> Iterator[bytes]:
    """Gzip (one member, RFC 1952), the same bytes every time: no file name and mtime 0 in the
    header, and the pieces cut into `segments`, each compressed by a compressor of its own with
    zlib-ng (GZIP_LEVEL) and ended on a byte (a sync flush), so that the segments joined are one
    deflate stream.

    With `made` (a list), each segment's digest and place are added to it, and `kept(digest)` may
    give a segment's compressed bytes as the last build wrote them (inputs.page_index; with a
    count, unused here), which are then not compressed again: the same bytes either way. A second
    thread compresses while this one cuts the next segments (zlib-ng lets go of the GIL while it
    works), at most AHEAD ahead.
    """
    crc, size, offset = 0, 0, len(GZIP_HEADER)
    yield GZIP_HEADER
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gzip") as worker:
        pending: deque = deque()

        def done() -> bytes:
            nonlocal offset
            digest, data = pending.popleft()
            data = data if type(data) is bytes else data.result()
            if made is not None:
                made.append(Segment(digest, offset, len(data)))
            offset += len(data)
            return data

        for segment in segments(pieces):
            crc = zlib_ng.crc32(segment, crc)
            size += len(segment)
            digest = segment_digest(segment) if made is not None else b""
            found = kept(digest) if kept is not None and made is not None else None
            pending.append((digest, found[0] if found is not None else worker.submit(_deflated, segment)))
            while len(pending) > AHEAD:
                yield done()
        while pending:
            yield done()
    yield GZIP_END + struct.pack("<II", crc, size & 0xFFFFFFFF)


def _deflated(segment: bytes) -> bytes:
    packer = zlib_ng.compressobj(GZIP_LEVEL, zlib_ng.DEFLATED, -zlib_ng.MAX_WBITS)
    return packer.compress(segment) + packer.flush(zlib_ng.Z_SYNC_FLUSH)
