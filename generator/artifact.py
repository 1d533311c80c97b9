"""What producers return and `write` writes: an output path and its bytes, or a byte stream; and
what `write` reports having written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Stamp:
    """A written file as the system knows it: size, modification time (ns) and inode. A file
    whose stamp is unchanged holds the bytes it was written with (as git's index assumes)."""

    size: int
    mtime_ns: int
    inode: int


@dataclass(frozen=True, slots=True)
class Artifact:
    path: str  # relative to the output root, with forward slashes
    data: bytes = b""
    # A large file (the bulk downloads) is made while it is written: `stream()` yields its bytes in
    # chunks, so the whole file is never in memory. `write` calls it once; `data` is then unused.
    stream: Callable[[], Iterable[bytes]] | None = None
    # A file already written ahead of the site by another process (write.write_files), into a folder
    # write_site adopts: its size, whether it was hard-linked from the previous site, and (for a
    # keyed page) its stamp.
    written: tuple[int, bool, Stamp | None] | None = None
    # A page the previous build made from the same inputs (publish.page_keys): `write` hard-links the
    # previous site's file when it still has this stamp, and only otherwise writes `stream()`.
    previous: Stamp | None = None
    # What the page was made from (its digest and the parts of the view model it read), for the
    # next build to compare with: carried to `written`, and kept by write.keep_page_index.
    key: tuple[bytes, tuple[str, ...]] | None = None

    def chunks(self) -> Iterable[bytes]:
        """The file's bytes, in one piece or chunk by chunk."""
        return self.stream() if self.stream is not None else (self.data,)


@dataclass
class Written:
    """What a build wrote: counts of files and bytes, its largest file, and bytes by part (a
    file's first folder, or its own name at the root)."""

    written: int = 0  # files written
    unchanged: int = 0  # files hard-linked from the previous site
    bytes: int = 0
    largest: tuple[str, int] = ("", 0)
    parts: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {"outputs": self.written + self.unchanged, "written": self.written, "unchanged": self.unchanged}

    def add(self, path: str, size: int) -> None:
        self.bytes += size
        part = path.split("/", 1)[0] + ("/" if "/" in path else "")
        self.parts[part] = self.parts.get(part, 0) + size
        if size > self.largest[1]:
            self.largest = (path, size)
