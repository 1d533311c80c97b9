"""Memory that lives on disk: bytes a build keeps in an unnamed temporary file."""

from __future__ import annotations

import dataclasses
import os
import tempfile

from generator import records
from generator.errors import OutputError


class Spool:
    """Bytes kept in an unnamed temporary file instead of memory, read back where they are asked
    for. A build keeps its compiled records' bytes here (records.compile_all's `keep`): at 100,000
    processes they are more than a gigabyte that the view model and the bulk downloads each read
    once or a few times, and held in memory beside the view model they set the build's peak. This is memory that
    lives on disk, not an output: the file has no name (nothing is left behind, even after a crash)
    and is gone once the spool is closed. Forked workers share it: they read with `os.pread`,
    which moves no shared file position."""

    def __init__(self, directory: str | None = None):
        self._directory = directory or tempfile.gettempdir()
        self._file = tempfile.TemporaryFile(dir=self._directory)
        self._end = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_) -> None:
        self._file.close()

    def keep(self, compiled: list[records.CompiledRecord]) -> list[records.CompiledRecord]:
        """`compiled` with every part held as bytes moved into the file (one write for them all);
        a part orjson could not write stays a dict, in memory."""
        blob, kept = bytearray(), []
        for record in compiled:
            kept.append(dataclasses.replace(record, kept=tuple(self._spooled(part, blob) for part in record.kept),
                                            kept_compiled=self._spooled(record.kept_compiled, blob)))
        view, at = memoryview(blob), self._end - len(blob)
        try:
            while view:  # a regular file takes it all in one write, short of a full disk
                written = os.pwrite(self._file.fileno(), view, at)
                view, at = view[written:], at + written
        except OSError as exc:
            raise OutputError(f"The build could not keep its compiled records in a temporary file in "
                              f"{self._directory}: {exc.strerror or exc}.", "Free some space there (the build needs about as much as "
                              "its compiled records: about 12 KB a process), or set TMPDIR to a folder with more "
                              "room, and build again.") from None
        return kept

    def _spooled(self, part, blob: bytearray):
        if type(part) is not bytes:  # a dict orjson could not write stays in memory
            return part
        blob += part
        self._end += len(part)
        return Spooled(self._file.fileno(), self._end - len(part), len(part))


@dataclasses.dataclass(frozen=True, slots=True)
class Spooled:
    """Where a Spool keeps one part: its file, offset and length."""

    fd: int
    offset: int
    length: int

    def read(self) -> bytes:
        return os.pread(self.fd, self.length, self.offset)
