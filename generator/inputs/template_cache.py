"""Compiled page templates kept between builds: Jinja's bytecode cache, in the user's cache folder.

Compiling the theme's templates is most of a small build's time, and each language's environment
compiled them again. Jinja keys each compiled template by its name and checks it against the
template's text, so a changed template (the city's own, or a new version's) is compiled afresh;
every environment sharing the cache is made alike (publish.pages.make_environment). Jinja also
writes into a compiled template how each filter and global is called (with the page's context or
not), so the cache's file names carry a digest of the code that makes the environments: a new
version never runs a template compiled for the old one's filters, and those of other versions are
removed once a week old (`prune`). A cache that can't be written costs only time: then the
templates are shared in memory within the build.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator.inputs import validation_cache
from generator.inputs.schema_kit import user_cache_dir


def folder():
    return user_cache_dir().parent / "templates"


def bytecode_cache() -> jinja2.BytecodeCache:
    try:
        folder().mkdir(parents=True, exist_ok=True)
        salt = code_salt()
        prune(folder(), salt)
        return jinja2.FileSystemBytecodeCache(str(folder()), pattern=f"__jinja2_{salt}_%s.cache")
    except OSError:
        return _InMemory()


KEPT_DAYS = 7


def prune(where: Path, salt: str, now: float | None = None) -> None:
    """Remove templates compiled for other versions of the publishing code once they are a week
    old: Jinja never removes a compiled template, and each version leaves a set (about a megabyte).
    Another version still used on this machine compiles its templates again (costing only time)."""
    current = f"__jinja2_{salt}_"
    validation_cache.remove_older((path for path in where.glob("__jinja2_*.cache")
                                   if not path.name.startswith(current)), KEPT_DAYS, now)


def code_salt() -> str:
    """A digest of the publishing code, which makes the environments and their filters and globals."""
    publish = Path(__file__).resolve().parent.parent / "publish"
    return validation_cache.code_digest(sorted(publish.glob("*.py")))[:16]


class _InMemory(jinja2.BytecodeCache):
    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
