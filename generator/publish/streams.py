"""Bytes made a chunk at a time for large downloads: JSON packages in pieces, pieces joined into
chunks, gzip that gives the same bytes every time (compressing in a second thread), and the tally
of a file's size, checksum and count taken as its bytes pass. Pure."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from generator.inputs.source_release import to_json  # noqa: F401 - the bulk files' JSON

CHUNK = 1 << 20  # bytes handed to write (and to gzip) at a time
GZIP_LEVEL = 6
AHEAD = 2  # chunks made ahead of the gzip thread


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


def gzipped(chunks: Iterable[bytes], level: int = GZIP_LEVEL) -> Iterator[bytes]:
    """Gzip, the same bytes every time: no file name and mtime 0 in the header.

    A second thread compresses while this one makes the next chunks (zlib lets go of the GIL
    while it works), at most AHEAD chunks ahead; one worker compresses them in order.
    """
    buffer = io.BytesIO()
    packed = gzip.GzipFile(filename="", mode="wb", compresslevel=level, fileobj=buffer, mtime=0)

    def compress(chunk: bytes | None) -> bytes:
        if chunk is None:
            packed.close()  # the end: writes the CRC and length
        else:
            packed.write(chunk)
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return out

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gzip") as worker:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(worker.submit(compress, chunk))
            while len(pending) > AHEAD:
                yield from _nonempty(pending.popleft().result())
        pending.append(worker.submit(compress, None))
        while pending:
            yield from _nonempty(pending.popleft().result())


def _nonempty(data: bytes) -> tuple[bytes, ...]:
    return (data,) if data else ()
