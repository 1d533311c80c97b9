"""The folders a site is made in: staged beside the output, swapped in whole, the one before kept.

The site swapped out is kept beside the output as `.<output>.spare` (its unchanged files are
hard links to the new site's, so it costs little room), and the next build makes its site in it:
a file already linked to the same file of the published site stays, a changed one is replaced,
one no longer made goes. A big city's site is hundreds of thousands of folders; making each of
them again and removing the old ones took more time than a one-file rebuild's pages did.

A build killed mid-way (SIGTERM or SIGKILL, the out-of-memory killer, a power cut) cannot clean
up, so the next build of the same output removes what it left: `.<output>.staging-<8 characters>`
(the site being made) and `.<output>.old-<pid>` (the previous site, where the system cannot swap
folders in one step); a spare it was making a site in is made right by the next build that takes
it. A build holds a lock on the folder it works in (flock, released by the system however the
process ends), so a build running beside it never loses its folder, nor takes its spare.
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
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): leftovers are kept, never guessed at
    fcntl = None

from generator.artifact import Artifact

# Written at the root of every built site: only a folder holding it is ever replaced.
MARKER = Artifact(".ocds-portal-site", b"This folder was built by ocds-portal; a new build replaces it whole.\n")
# A leftover younger than this is left alone: a build creates its staging folder a moment before it
# locks it, and a folder's age also guards where locks are not kept (some network file systems).
LEFTOVER_AGE = 60  # seconds


@dataclasses.dataclass
class Stage:
    """The folder a site is made in: a new staging folder, or the spare (the site before last),
    with the files it held (`found`), which go unless made again."""

    path: Path
    found: frozenset[str] = frozenset()
    swapped: bool = False  # write_site put it in the output's place


@contextlib.contextmanager
def side_folder(output: Path) -> Iterator[Stage]:
    """A folder beside `output` where files are written by other processes (write_files) while
    this one goes on, for write_site to adopt as its staging folder: the output's spare when no
    other build holds it, otherwise a new folder, removed in the end unless swapped in, whatever
    happens, and by the next build's remove_leftovers if this one is killed. Leftovers of
    interrupted builds go first."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(output)
    spare = _spare(output)
    with contextlib.ExitStack() as held:
        if _is_spare(spare) and held.enter_context(_held(spare, needed=True)):
            stage = Stage(spare, _files_of(spare))
        else:
            stage = Stage(_staging_folder(output))
            held.enter_context(_held(stage.path))
        try:
            yield stage
        finally:
            if stage.path != spare and not stage.swapped:
                shutil.rmtree(stage.path, ignore_errors=True)


def _spare(output: Path) -> Path:
    return output.with_name(f".{output.name}.spare")


def _is_spare(folder: Path) -> bool:
    """A folder (not a link) holding a site this generator built."""
    with contextlib.suppress(OSError):
        return folder.is_dir() and not folder.is_symlink() and (folder / MARKER.path).is_file()
    return False


def _files_of(folder: Path) -> frozenset[str]:
    """The files under `folder`, by path from it; anything else that is not a folder (a link,
    which writing could follow out of the site) is removed."""
    found = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file(follow_symlinks=False):
                    found.append(prefix + entry.name)
                else:
                    os.unlink(entry.path)

    walk(str(folder), "")
    return frozenset(found)


def remove_others(stage: Path, gone: Iterable[str]) -> None:
    """Remove the spare's files not made again, and the folders they leave empty."""
    folders = set()
    for path in gone:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):  # made way already
            os.unlink(stage / path)
        parts = path.split("/")
        folders.update("/".join(parts[:n]) for n in range(1, len(parts)))
    for folder in sorted(folders, key=lambda f: -f.count("/")):  # the deepest first
        with contextlib.suppress(OSError):  # not empty: it holds pages of this build
            os.rmdir(stage / folder)


def _staging_folder(output: Path) -> Path:
    """A new folder beside `output` named as remove_leftovers knows a build's folders:
    `.<output>.staging-<8 characters>`."""
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2(RENAME_EXCHANGE); False where unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_in(stage: Path, output: Path) -> None:
    """Replace `output` with `stage`; the old site survives until the new one is in place, and
    then becomes the output's spare (or goes, where the spare is another build's).

    Where the system can exchange two folders in one step, readers never see a missing or
    half-written site; elsewhere there is a moment between two renames.
    """
    os.chmod(stage, 0o755)
    if not output.exists():
        stage.rename(output)
        return
    if _exchange(stage, output):
        _retire(stage, output)  # `stage` now holds the previous site
        return
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    with _held(output):  # another build's remove_leftovers must not take it while it may come back
        output.rename(retired)
        try:
            stage.rename(output)
        except BaseException:
            retired.rename(output)
            raise
        _retire(retired, output)


def _retire(previous: Path, output: Path) -> None:
    """The previous site becomes the output's spare, unless it is already there (the site was
    made in the spare) or another folder is."""
    spare = _spare(output)
    if previous == spare:
        return
    if not os.path.lexists(spare):
        with contextlib.suppress(OSError):
            previous.rename(spare)
            return
    shutil.rmtree(previous, ignore_errors=True)


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
def _held(folder: Path, needed: bool = False) -> Iterator[bool]:
    """Hold a lock on `folder` while a build works with it, so that another build's
    remove_leftovers leaves it alone (and does not take it for a spare). The system releases it
    when the process ends, however it ends (a killed build's folder becomes removable). Where
    locks are not kept, the build goes on. Yields whether the folder is held; `needed`: False too
    when another build holds it."""
    fd = None
    if fcntl is not None:
        try:
            fd = os.open(folder, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            fd = None
            if needed:
                yield False
                return
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield True
    finally:
        if fd is not None:
            os.close(fd)
