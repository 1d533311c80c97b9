"""The only stage that writes: stage the whole site beside the output, then swap it in.

A failed build leaves the previously published site untouched. Duplicate paths and paths that
would escape the output root are refused before anything is written. Files whose bytes did not
change are hard-linked from the previous site instead of being written again.

A build killed mid-way (SIGTERM or SIGKILL, the out-of-memory killer, a power cut) cannot clean
up, so the next build of the same output removes what it left: `.<output>.staging-<8 characters>`
(the site being made) and `.<output>.old-<pid>` (the previous site, where the system cannot swap
folders in one step). A build holds a lock on the folder it works in (flock, released by the
system however the process ends), so a build running beside it never loses its folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): leftovers are kept, never guessed at
    fcntl = None

from generator import records, routes
from generator.artifact import Artifact, Stamp, Written
from generator.errors import OutputError
from generator.inputs import page_index, validation_cache

# Written at the root of every built site: only a folder holding it is ever replaced.
MARKER = Artifact(".ocds-portal-site", b"This folder was built by ocds-portal; a new build replaces it whole.\n")
INPUT_FOLDERS = ("ocds_data", "content", "site_templates")
# A leftover younger than this is left alone: a build creates its staging folder a moment before it
# locks it, and a folder's age also guards where locks are not kept (some network file systems).
LEFTOVER_AGE = 60  # seconds


def check_output_folder(source: Path, output: Path, protected: Iterable[Path] = ()) -> None:
    """Refuse an output that would replace the city's inputs or a folder we did not build."""
    source, output = source.resolve(), output.resolve()
    if output == source or source.is_relative_to(output):
        raise OutputError(
            f"The output folder {output} is (or contains) the source folder {source}; building there "
            "would delete the city's data.",
            hint="Choose another --output, for example _site inside the source folder.")
    for folder in [source / name for name in INPUT_FOLDERS] + [p.resolve() for p in protected]:
        if output == folder or output.is_relative_to(folder) or folder.is_relative_to(output):
            raise OutputError(
                f"The output folder {output} overlaps {folder}, which holds the portal's inputs; building "
                "there would delete them.", hint="Choose another --output, for example _site in the source folder.")
    if output.exists() and not output.is_dir():
        raise OutputError(f"The output path {output} is a file, not a folder.", hint="Choose another --output.")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER.path).is_file():
        raise OutputError(
            f"The output folder {output} is not empty and was not built by this generator; a build would "
            "replace everything in it.",
            hint="Choose a new or empty folder for --output, or empty this one yourself if it can go.")


def checked(artifacts: Iterable[Artifact]) -> Iterator[Artifact]:
    """Pass artifacts through, refusing a path outside the output root or a path seen before."""
    seen: set[str] = set()
    for artifact in artifacts:
        if not routes.is_inside(artifact.path):
            raise OutputError(f"Refusing to write {artifact.path!r}: it is outside the output folder.",
                              hint="This is a bug in a template or in the generator; please report it.")
        if artifact.path in seen or artifact.path == MARKER.path:
            raise OutputError(f"Two outputs want the same path {artifact.path!r}.",
                              hint="This is a bug in the generator; please report it.")
        seen.add(artifact.path)
        yield artifact


def write_site(artifacts: Iterable[Artifact], output: Path,
               before_swap: Callable[[Written], None] | None = None, adopt: Path | None = None) -> Written:
    """Write every artifact into a staging folder beside `output`, then swap it in.

    Artifacts may stream from a generator, and a streamed artifact's bytes are written as they
    are made; each artifact is written whole before the next is asked for (the bulk downloads'
    checksums rely on it). If one is refused (or anything fails, `before_swap` included: it is
    shown what was written, and may raise) the staging folder is removed and the previous site
    stays as it was. Leftovers of interrupted builds go first. `adopt`: a side_folder whose files
    (written by write_files, each also given as an artifact with `written` set, possibly while
    the artifacts stream, by worker processes) become the site's: it is the staging folder.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    stage = adopt if adopt is not None else _staging_folder(output)
    done = Written()
    with contextlib.nullcontext() if adopt is not None else _held(stage):  # side_folder holds an adopted one
        try:
            made_dirs: set[Path] = set()
            for artifact in checked(artifacts):
                size, linked, _ = artifact.written or _put(stage, output, artifact, made_dirs)
                done.add(artifact.path, size)
                if linked:
                    done.unchanged += 1
                else:
                    done.written += 1
            (stage / MARKER.path).write_bytes(MARKER.data)
            if before_swap:
                before_swap(done)
            _swap(stage, output)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    return done


def _put(stage: Path, output: Path, artifact: Artifact, made_dirs: set[Path]) -> tuple[int, bool, Stamp | None]:
    """Write one artifact under `stage`, or hard-link it from `output` (the previous site) when its
    bytes are unchanged (or, for an artifact with a `previous` stamp, when the previous file still
    has that stamp); return its size, whether it was linked and (for a keyed page or a stream, whose
    stamps the page index and the segment index keep) its stamp."""
    target = stage / artifact.path
    if target.parent not in made_dirs:
        target.parent.mkdir(parents=True, exist_ok=True)
        made_dirs.add(target.parent)
    previous = output / artifact.path
    if artifact.previous is not None and stamp_of(previous) == artifact.previous and _link(previous, target):
        return artifact.previous.size, True, artifact.previous
    if artifact.stream is not None:
        size, linked = _write_stream(target, artifact.chunks()), False
    elif _same_bytes(previous, artifact.data) and _link(previous, target):
        size, linked = len(artifact.data), True
    else:
        target.write_bytes(artifact.data)
        size, linked = len(artifact.data), False
    return size, linked, stamp_of(target) if artifact.key is not None or artifact.stream is not None else None


def stamp_of(path: Path) -> Stamp | None:
    """The file's size, modification time and inode; None when it can't be read."""
    try:
        found = path.stat()
    except OSError:
        return None
    return Stamp(found.st_size, found.st_mtime_ns, found.st_ino)


@contextlib.contextmanager
def side_folder(output: Path) -> Iterator[Path]:
    """A folder beside `output` where files are written by other processes (write_files) while
    this one goes on, for write_site to adopt as its staging folder; removed in the end unless
    swapped in, whatever happens, and by the next build's remove_leftovers if this one is killed."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = _staging_folder(output)
    try:
        with _held(folder):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _staging_folder(output: Path) -> Path:
    """A new folder beside `output` named as remove_leftovers knows a build's folders:
    `.<output>.staging-<8 characters>`."""
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))


def write_files(folder: Path, output: Path, artifacts: Iterable[Artifact]) -> list[Artifact]:
    """Write artifacts into `folder` (a side_folder) as write_site would into its stage; return
    each one as an artifact marked `written`, for write_site to count and check with the rest."""
    made_dirs: set[Path] = set()
    output = output.resolve()
    return [Artifact(a.path, written=_put(folder, output, a, made_dirs), key=a.key) for a in checked(artifacts)]


def _write_stream(target: Path, chunks: Iterable[bytes]) -> int:
    """Write a streamed artifact chunk by chunk: memory holds one chunk, whatever the file's size.
    (Its bytes are only known once made, so it is always written, never linked from the last build.)
    Returns its size."""
    size = 0
    with target.open("wb") as handle:
        for chunk in chunks:
            size += handle.write(chunk)
    return size


def _link(previous: Path, target: Path) -> bool:
    """Hard-link an unchanged file from the previous site; False where links aren't supported."""
    try:
        os.link(previous, target)
    except OSError:
        return False
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2(RENAME_EXCHANGE); False where unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap(stage: Path, output: Path) -> None:
    """Replace `output` with `stage`; the old site survives until the new one is in place.

    Where the system can exchange two folders in one step, readers never see a missing or
    half-written site; elsewhere there is a moment between two renames.
    """
    os.chmod(stage, 0o755)
    if not output.exists():
        stage.rename(output)
        return
    if _exchange(stage, output):
        shutil.rmtree(stage, ignore_errors=True)  # `stage` now holds the previous site
        return
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    with _held(output):  # another build's remove_leftovers must not take it while it may come back
        output.rename(retired)
        try:
            stage.rename(output)
        except BaseException:
            retired.rename(output)
            raise
        shutil.rmtree(retired, ignore_errors=True)


def remove_leftovers(output: Path) -> list[Path]:
    """Remove what interrupted builds of `output` left beside it: folders named exactly as
    write_site names them for this output (nothing else, not even a look-alike), that no running
    build holds and that are older than LEFTOVER_AGE. Returns the folders removed."""
    name = re.compile(re.escape(f".{output.name}.") + r"(?:staging-[a-z0-9_]{8}|old-[0-9]+)")
    try:
        found = sorted(Path(e.path) for e in os.scandir(output.parent)
                       if name.fullmatch(e.name) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    removed = [path for path in found if _abandoned(path)]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _abandoned(folder: Path) -> bool:
    """True when no process holds `folder`'s lock and it has not changed for LEFTOVER_AGE. Where
    that cannot be known (no flock, a file system that keeps no locks), it is kept."""
    if fcntl is None:
        return False
    try:
        if time.time() - folder.stat(follow_symlinks=False).st_mtime < LEFTOVER_AGE:
            return False
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by a running build (or locks are not kept here)
        return False
    finally:
        os.close(fd)
    return True


@contextlib.contextmanager
def _held(folder: Path) -> Iterator[None]:
    """Hold a lock on `folder` while a build works with it, so that another build's
    remove_leftovers leaves it alone. The system releases it when the process ends, however it
    ends (a killed build's folder becomes removable). Where locks are not kept, the build goes on."""
    fd = None
    if fcntl is not None:
        try:
            fd = os.open(folder, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def create_files(root: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Create new files under `root` (a notice, a new city's repository). Nothing is written if a
    path would leave `root` or a file already exists: staff work is never overwritten."""
    root = root.resolve()
    outside = [p for p in files if not routes.is_inside(p)]
    if outside:
        raise OutputError(f"Refusing to write {outside[0]!r}: it is outside {root}.",
                          hint="This is a bug in the generator; please report it.")
    existing = [p for p in files if (root / p).exists()]
    if existing:
        raise OutputError(f"{root / existing[0]} already exists" + (f" (and {len(existing) - 1} more)"
                                                                      if len(existing) > 1 else "") + "; nothing was written.",
                          hint="Choose another folder or file, or move the existing one away first.")
    written = []
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        binary = isinstance(text, bytes)  # a workbook (`portal new spreadsheet`)
        with (target.open("xb") if binary else target.open("x", encoding="utf-8", newline="\n")) as handle:
            handle.write(text)
        written.append(target)
    return written


def keep_page_index(output: Path, entries: dict[str, page_index.Entry],
                    segments: tuple[str, dict] | None = None) -> None:
    """Keep what each page of the site now at `output` was made from (inputs.page_index), for the
    next build, and the segments of its gzipped files (`segments`: the compressor and each file's
    stamp and segments; None: none known); each written whole beside the old one and then put in
    its place. The indexes of other folders not built for INDEX_KEPT_DAYS go (a test's, a moved
    site's). A cache that can't be written costs only time: the next build makes everything."""
    target = page_index.location(output)
    _replace(target, page_index.encode(entries))
    kept = page_index.segments_location(output)
    if segments is not None:
        _replace(kept, page_index.encode_segments(*segments))
    else:
        with contextlib.suppress(OSError):
            kept.unlink()
    with contextlib.suppress(OSError):
        validation_cache.remove_older((other for other in target.parent.iterdir() if other not in (target, kept)),
                                      INDEX_KEPT_DAYS)


def _replace(target: Path, data: bytes) -> None:
    """Write `data` beside `target`, then put it in its place; nothing when that can't be done."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=target.name, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(handle.name)


INDEX_KEPT_DAYS = 30


# --- memory that lives on disk ------------------------------------------------------------------


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

