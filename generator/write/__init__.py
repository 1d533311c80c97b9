"""The only stage that writes: stage the whole site beside the output, then swap it in.

A failed build leaves the previously published site untouched. Duplicate paths and paths that
would escape the output root are refused before anything is written. Files whose bytes did not
change are hard-linked from the previous site instead of being written again.

The folders a site is made in and swapped with are `write.folders`'s; the index of what each page was
made from, kept for the next build, `write.kept`'s; memory that lives on disk, `write.spool`'s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator import routes
from generator.artifact import Artifact, Stamp, Written
from generator.errors import OutputError
from generator.write.folders import LEFTOVER_AGE, MARKER, Stage, remove_leftovers, remove_others, side_folder, swap_in
from generator.write.kept import INDEX_KEPT_DAYS, keep_page_index
from generator.write.spool import Spool, Spooled

__all__ = ["INDEX_KEPT_DAYS", "LEFTOVER_AGE", "MARKER", "Artifact", "Spool", "Spooled", "Stage", "Written",
           "check_output_folder", "create_files", "keep_page_index", "remove_leftovers", "side_folder", "stamp_of",
           "write_files", "write_site"]

INPUT_FOLDERS = ("ocds_data", "content", "site_templates")


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


def checked(artifacts: Iterable[Artifact], seen: set[str] | None = None) -> Iterator[Artifact]:
    """Pass artifacts through, refusing a path outside the output root or a path seen before;
    `seen` gets every path."""
    seen = set() if seen is None else seen
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
               before_swap: Callable[[Written], None] | None = None, adopt: Stage | None = None) -> Written:
    """Write every artifact into a staging folder beside `output`, then swap it in.

    Artifacts may stream from a generator, and a streamed artifact's bytes are written as they
    are made; each artifact is written whole before the next is asked for (the bulk downloads'
    checksums rely on it). If one is refused (or anything fails, `before_swap` included: it is
    shown what was written, and may raise) the staging folder is removed and the previous site
    stays as it was (a spare it was being made in stays a spare). Leftovers of interrupted builds go
    first. `adopt`: a side_folder whose files (written by write_files, each also given as an
    artifact with `written` set, possibly while the artifacts stream, by worker processes) become
    the site's: it is the staging folder.
    """
    if adopt is None:
        with side_folder(output) as stage:
            return write_site(artifacts, output, before_swap, stage)
    output = output.resolve()
    stage = adopt.path
    done = Written()
    made_dirs: set[Path] = set()
    paths: set[str] = set()
    for artifact in checked(artifacts, paths):
        size, linked, _ = artifact.written or _put(stage, output, artifact, made_dirs, adopt.found)
        done.add(artifact.path, size)
        if linked:
            done.unchanged += 1
        else:
            done.written += 1
    paths.add(MARKER.path)
    remove_others(stage, adopt.found - paths)
    _put(stage, output, MARKER, made_dirs, adopt.found)
    if before_swap:
        before_swap(done)
    swap_in(stage, output)
    adopt.swapped = True
    return done


def _put(stage: Path, output: Path, artifact: Artifact, made_dirs: set[Path],
         found: frozenset[str] = frozenset()) -> tuple[int, bool, Stamp | None]:
    """Write one artifact under `stage`, or hard-link it from `output` (the previous site) when its
    bytes are unchanged (or, for an artifact with a `previous` stamp, when the previous file still
    has that stamp); return its size, whether it was linked and (for a keyed page or a stream, whose
    stamps the page index and the segment index keep) its stamp. In a spare, a file already linked
    to the previous site's stays; what else is there is replaced, never written into (it may be a
    link to a published file). `found`: the files the spare held (only those may make way)."""
    target = stage / artifact.path
    if target.parent not in made_dirs:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a spare's file where a folder is wanted now
            _make_way(stage, target, found)
            target.parent.mkdir(parents=True, exist_ok=True)
        made_dirs.add(target.parent)
    previous = output / artifact.path
    if artifact.previous is not None and stamp_of(previous) == artifact.previous and _link(previous, target, stage, found):
        return artifact.previous.size, True, artifact.previous
    if artifact.stream is not None:
        size, linked = _write_stream(_new_file(target, stage, found), artifact.chunks()), False
    elif _same_bytes(previous, artifact.data) and _link(previous, target, stage, found):
        size, linked = len(artifact.data), True
    else:
        with _new_file(target, stage, found) as handle:
            handle.write(artifact.data)
        size, linked = len(artifact.data), False
    return size, linked, stamp_of(target) if artifact.key is not None or artifact.stream is not None else None


def _new_file(target: Path, stage: Path, found: frozenset[str]):
    """`target` opened as a new file (a spare's file there goes first)."""
    try:
        return target.open("xb")
    except (FileExistsError, IsADirectoryError):
        _make_way(stage, target, found)
        return target.open("xb")


def _make_way(stage: Path, target: Path, found: frozenset[str]) -> None:
    """Remove what a spare holds at `target` or on its way: a file where a folder is wanted, a
    folder (of files the spare held) where a file is, an older file. What this build wrote stays,
    so two of its paths that clash still fail."""
    relative = target.relative_to(stage).parts
    for n in range(1, len(relative) + 1):
        part = "/".join(relative[:n])
        path = stage / part
        if part in found:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return
        if n == len(relative) and path.is_dir() and not path.is_symlink() and all(
                f"{Path(folder).relative_to(stage).as_posix()}/{name}" in found
                for folder, _, names in os.walk(path) for name in names):
            shutil.rmtree(path)


def stamp_of(path: Path) -> Stamp | None:
    """The file's size, modification time and inode; None when it can't be read."""
    try:
        found = path.stat()
    except OSError:
        return None
    return Stamp(found.st_size, found.st_mtime_ns, found.st_ino)


def write_files(stage: Stage, output: Path, artifacts: Iterable[Artifact]) -> list[Artifact]:
    """Write artifacts into `stage` (a side_folder) as write_site would; return each one as an
    artifact marked `written`, for write_site to count and check with the rest."""
    made_dirs: set[Path] = set()
    output = output.resolve()
    return [Artifact(a.path, written=_put(stage.path, output, a, made_dirs, stage.found), key=a.key)
            for a in checked(artifacts)]


def _write_stream(handle, chunks: Iterable[bytes]) -> int:
    """Write a streamed artifact chunk by chunk into `handle` (a new file, closed in the end):
    memory holds one chunk, whatever the file's size. (Its bytes are only known once made, so it
    is always written, never linked from the last build.) Returns its size."""
    size = 0
    with handle:
        for chunk in chunks:
            size += handle.write(chunk)
    return size


def _link(previous: Path, target: Path, stage: Path, found: frozenset[str]) -> bool:
    """Hard-link an unchanged file from the previous site (in a spare, it may be linked already);
    False where links aren't supported."""
    try:
        os.link(previous, target)
    except FileExistsError:
        try:
            if os.path.samefile(previous, target):
                return True
            _make_way(stage, target, found)
            os.link(previous, target)
        except OSError:
            return False
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


