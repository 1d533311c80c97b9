"""What a page is made from, as one digest: a page whose digest is the one the previous build made
it from need not be made again (inputs.page_index, write). Pure.

A page is a function of its template (and every template it includes or imports), the code, its
language's catalogue and formats, the site's settings and glossary (which the environment and the
navigation are made from), its path, the job's context and whatever of the view model (`site`)
the templates read. The first parts make each renderer's `base`; the context is digested whole;
the view model is too big to digest for every page, so a page's templates get it through
`SiteReads`, which notes each of its attributes they read, and the key holds a digest of each
attribute read. Reads are noted as the page is made, so the next build knows them before it
makes the page: if every input the page read is unchanged, the templates take the same path
through the same values and read the same attributes again.

A value that can't be digested (a function made at run time) makes the page one that is always
made.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import pickle
import re
import types
from collections.abc import Iterable, Sequence

import jinja2

from generator.publish import rendering
from generator.site.awards import AwardRow
from generator.site.organizations import Organization
from generator.workers import in_order

DIGEST_SIZE = 16
VALUES_KEPT = 1 << 19  # a worker's digests of the view model's objects in the pages' contexts
UNSHARED = frozenset({str, int, bool, type(None), dict, list})  # made for each page: not worth keeping
# What lists are made of: an award's row (its process and award), an organization (its processes
# and award rows). Each is digested from its fields' digests, so a process in a dozen rows and
# lists is pickled once, not once for each (a page of 50 award rows took longer to digest than to
# make).
BY_PARTS = frozenset({AwardRow, Organization})


class Undigestible(Exception):
    """A value whose bytes would not say all that a page made from it shows."""


def digest_of(value) -> bytes:
    """The digest of a value's pickle: the same bytes, the same value. Raises Undigestible for what
    can't be pickled (a function made at run time). Pickle writes a set's elements in the order of
    their hashes, which for strings differ from process to process: a page whose context holds a
    set of strings is made again by the next build, never taken for another."""
    try:
        data = pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
        raise Undigestible(str(exc)) from None
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


class SiteReads:
    """The view model as the templates see it: every attribute read goes to the real one and is
    noted in the page's `reads` (`here`: rendering.Here). A method or property runs with this
    object as `self`, so what it reads is noted too (`site.agreement(process)` reads `agreements`)."""

    __slots__ = ("_here", "_kinds", "_site")

    def __init__(self, site, here):
        object.__setattr__(self, "_site", site)
        object.__setattr__(self, "_here", here)
        object.__setattr__(self, "_kinds", {})  # by name: a property, a method or (None) a value

    def __getattr__(self, name: str):
        kinds = object.__getattribute__(self, "_kinds")
        site = object.__getattribute__(self, "_site")
        if name not in kinds:
            found = inspect.getattr_static(type(site), name, None)
            kinds[name] = found if isinstance(found, (property, types.FunctionType)) else None
        kind = kinds[name]
        if kind is None:
            value = getattr(site, name)
            object.__getattribute__(self, "_here").reads.add(name)
            return value
        if type(kind) is property:
            return kind.fget(self)
        return types.MethodType(kind, self)

    def __setattr__(self, name, value):
        raise AttributeError("the view model is read-only")


def base_of(code: bytes | None, templates: dict[str, str], language, languages, settings, terms) -> bytes | None:
    """The digest of what every page of one language is made from: the code, the templates, the
    language's catalogue and formats, the site's languages (the switcher), its settings (the
    navigation, the environment's filters) and glossary (`prose`). None (pages always made) without
    the code's digest or where the catalogue can't be read (rendering.translations_salt)."""
    if code is None:
        return None
    catalogue = rendering.translations_salt(language.translations)
    if catalogue is None:
        return None
    try:
        parts = digest_of((sorted(templates.items()), catalogue, language.code, str(language.locale),
                           [(other.code, other.prefix, other.name, str(other.locale)) for other in languages],
                           settings, terms))
    except Undigestible:
        return None
    return hashlib.blake2b(code + parts, digest_size=DIGEST_SIZE).digest()


# By id: the digests of the view model's objects in pages' contexts, kept with the objects (an id is
# reused once its object is gone). One for every renderer of the process: an object is the same in
# every language; and the processes' are made before the workers are forked (`prime`).
_VALUES: dict[int, tuple[object, bytes]] = {}


def prime(values: Sequence, workers: int = 1) -> None:
    """Digest the view model's objects that many pages hold (the processes: a process is on its
    page, in its award's lists and on its organizations' pages, in every language) once, in
    `workers` processes, before the render workers are forked: each would digest them all again."""
    forget()
    bounds = [(start, min(start + PRIMED_AT_ONCE, len(values))) for start in range(0, len(values), PRIMED_AT_ONCE)]
    for (start, stop), digests in zip(bounds, in_order(_digests, bounds, values, workers), strict=True):
        for value, digest in zip(values[start:stop], digests, strict=True):
            if digest is not None and len(_VALUES) < VALUES_KEPT:
                _VALUES[id(value)] = (value, digest)


PRIMED_AT_ONCE = 5000


def forget() -> None:
    """Let go of the digests (and the objects they are kept with): the build is done."""
    _VALUES.clear()


def _digests(values: Sequence, bounds: tuple[int, int]) -> list[bytes | None]:
    found: list[bytes | None] = []
    for value in values[bounds[0]:bounds[1]]:
        try:
            found.append(digest_of(value))
        except Undigestible:
            found.append(None)  # digested again when a page needs it, and that page made every build
    return found


class PageKeys:
    """One renderer's page digests. `base`: the digest of what every page of the renderer is made
    from (None: pages are always made); `site`: the view model its templates read."""

    def __init__(self, base: bytes | None, site):
        self.base, self.site = base, site
        self._reads: dict[str, bytes | None] = {}

    def context(self, context: dict) -> bytes | None:
        """The digest of a page's context (None: it can't be digested). Its values are digested one
        by one, each once: an organization's or a list's is shared by all of its pages."""
        if self.base is None:
            return None
        parts = hashlib.blake2b(self.base, digest_size=DIGEST_SIZE)
        try:
            for name in sorted(context):
                parts.update(name.encode("utf-8") + b"\0" + self._value(context[name]))
        except Undigestible:
            return None
        return parts.digest()

    def _value(self, value) -> bytes:
        """A context value's digest. A tuple (a list's page of rows) is digested from its items', a
        row or organization (BY_PARTS) from its fields', and the view model's objects are
        digested once each: an award is a row of ten lists, a process is in many lists."""
        kind = type(value)
        if kind is tuple:
            return hashlib.blake2b(b"".join(map(self._value, value)), digest_size=DIGEST_SIZE,
                                   person=b"tuple").digest()
        if kind in UNSHARED:
            return digest_of(value)
        kept = _VALUES.get(id(value))
        if kept is None or kept[0] is not value:
            if len(_VALUES) >= VALUES_KEPT:
                _VALUES.clear()
            kept = _VALUES[id(value)] = (value, self._parts(value) if kind in BY_PARTS else digest_of(value))
        return kept[1]

    def _parts(self, value) -> bytes:
        """The digest of a dataclass from its class's name and its fields' names and digests."""
        kind = type(value)
        parts = hashlib.blake2b(f"{kind.__module__}.{kind.__qualname__}".encode(), digest_size=DIGEST_SIZE,
                                person=b"parts")
        for field in dataclasses.fields(value):
            parts.update(field.name.encode() + b"\0" + self._value(getattr(value, field.name)))
        return parts.digest()

    def key(self, template: str, path: str, context: bytes | None, reads: Iterable[str]) -> bytes | None:
        """The page's digest, from its context's and those of the view model's attributes it read
        (`reads`, sorted); None when any can't be digested."""
        if context is None:
            return None
        parts = hashlib.blake2b(context, digest_size=DIGEST_SIZE)
        parts.update(f"{template}\0{path}\0".encode("utf-8", "surrogateescape"))
        for name in reads:
            read = self._read(name)
            if read is None:
                return None
            parts.update(name.encode("utf-8") + b"\0" + read)
        return parts.digest()

    def _read(self, name: str) -> bytes | None:
        if name not in self._reads:
            try:
                self._reads[name] = self._value(getattr(self.site, name))
            except (Undigestible, AttributeError):
                self._reads[name] = None
        return self._reads[name]


IMPORT = re.compile(r"""\{%[-+]?\s*(?:from|import)\s+(?:(["'])(.*?)\1|(\S))""")


def module_reads(env: jinja2.Environment, templates: dict[str, str]) -> frozenset[str]:
    """What of the view model the templates imported as macro libraries (`{% from "_macros.html"
    import ... %}`) read outside their macros: Jinja runs that once an environment, not once a
    page, so it is noted here, for every page. An import of a name not written out (a variable)
    could be any template: then all are taken as libraries."""
    imported: set[str] = set()
    for source in templates.values():
        for match in IMPORT.finditer(source):
            imported.update([match[2]] if match[3] is None else templates)
    here = env.page
    here.reads = set()
    for name in sorted(imported & templates.keys()):
        try:
            env.get_template(name).module  # noqa: B018  # made now, and kept by Jinja for every import
        except jinja2.TemplateError:
            pass  # the first page importing it fails, and says where (Renderer.page)
    reads, here.reads = frozenset(here.reads), set()
    return reads
