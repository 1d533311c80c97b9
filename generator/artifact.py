"""What producers return and `write` writes: an output path and its bytes, or a byte stream."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Artifact:
    path: str  # relative to the output root, with forward slashes
    data: bytes = b""
    # A large file (the bulk downloads) is made while it is written: `stream()` yields its bytes in
    # chunks, so the whole file is never in memory. `write` calls it once; `data` is then unused.
    stream: Callable[[], Iterable[bytes]] | None = None

    def chunks(self) -> Iterable[bytes]:
        """The file's bytes, in one piece or chunk by chunk."""
        return self.stream() if self.stream is not None else (self.data,)
