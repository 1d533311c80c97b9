"""Group releases by ocid and compile each contracting process with ocdsmerge. Pure."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning

from generator.errors import Location, Problem, error, warning
from generator.inputs.folder import SourceRelease
from generator.inputs.source_release import pack, to_json, unpack
from generator.workers import in_order


def held(part):
    """A part of a compiled record as a stage reads it: compact JSON bytes, the dict orjson could
    not write, or what a part kept outside memory (write.Spool) reads back."""
    return part if type(part) is bytes or type(part) is dict else part.read()


@dataclass(frozen=True)
class CompiledRecord:
    """One contracting process: its releases in date order and their compiled release. A build
    keeps both as compact JSON bytes (inputs.source_release; `packed`), in a spool (write.Spool):
    the properties read and decode them anew at each read, so a stage reads each once."""

    ocid: str
    kept: tuple  # its releases in date order, each as compact JSON bytes, a dict or spooled bytes (`held`)
    kept_compiled: object  # its compiled release, kept in the same way
    sources: tuple[str, ...]  # the files its releases came from
    dates: tuple = ()  # each release's date as read, beside `kept` (empty: read from the releases)
    date: object = None  # the compiled release's date, kept beside its bytes
    # What the chunk it was compiled in was compiled from (records.ChunkCache's key; empty when
    # not known): what is made of it alone, such as its view (site.process), can be kept by it.
    made_from: str = field(default="", compare=False)

    @property
    def stored(self) -> tuple:
        """Its releases, each as compact JSON bytes or a dict."""
        return tuple(map(held, self.kept))

    @property
    def stored_compiled(self) -> bytes | dict:
        return held(self.kept_compiled)

    @property
    def compiled(self) -> dict:
        return unpack(self.stored_compiled)

    def compiled_date(self):
        return self.kept_compiled.get("date") if type(self.kept_compiled) is dict else self.date

    def compiled_json(self) -> bytes:
        """The compiled release as compact JSON (publish.streams.to_json's bytes)."""
        compiled = self.stored_compiled
        return compiled if type(compiled) is bytes else to_json(compiled)

    def packed(self) -> CompiledRecord:
        """This record with its compiled release kept as compact JSON, when orjson can write it."""
        compiled = self.kept_compiled
        if type(compiled) is dict and (as_bytes := pack(compiled)) is not None:
            return replace(self, kept_compiled=as_bytes, date=compiled.get("date"))
        return self

    def dated(self) -> Iterable[tuple[object, object]]:
        """(date, kept) for each release, reading none when the dates were kept: `held(kept)` is
        the release, so a stage that wants only some years reads only those."""
        if len(self.dates) == len(self.kept):
            return zip(self.dates, self.kept, strict=True)
        return ((r.get("date"), s) for r, s in zip(self.releases, self.kept, strict=True))

    @property
    def releases(self) -> tuple[dict, ...]:
        """Its releases, decoded anew at each call: read it once."""
        return tuple(unpack(r) for r in self.stored)


def make_merger(release_schema: dict) -> ocdsmerge.Merger:
    """Merge rules come from the release schema with extensions applied: no network."""
    return ocdsmerge.Merger(schema=release_schema)


def group_by_ocid(releases: Iterable[SourceRelease]) -> dict[str, list[SourceRelease]]:
    groups: dict[str, list[SourceRelease]] = {}
    for release in releases:
        ocid = release.get("ocid")
        if isinstance(ocid, str) and ocid:
            groups.setdefault(ocid, []).append(release)
    return groups


@dataclass(frozen=True)
class ChunkCache:
    """Where compiled chunks of processes are kept between builds (the pipeline gives it; this
    module only calls it): `salt`, what decides a chunk besides its releases (the code, the merge
    rules); `get(key)`, what was kept of a chunk (None: nothing); `put`."""

    salt: bytes
    get: Callable[[str], object]
    put: Callable[[str, object], None]


CHUNK = 500  # processes a worker compiles at a time
PARALLEL_FROM = 5000  # processes; below this, starting workers costs more than it saves


def compile_all(groups: dict[str, list[SourceRelease]], merger: ocdsmerge.Merger,
                progress: Callable[[str, int, int], None] | None = None,
                also: Sequence[tuple[Callable[[str, list[SourceRelease]], list], list]] = (),
                pack: bool = False, workers: int = 1, consumed: Callable[[], None] | None = None,
                keep: Callable[[list[CompiledRecord]], list[CompiledRecord]] | None = None,
                cache: ChunkCache | None = None) -> tuple[list[CompiledRecord], list[Problem]]:
    """Compile every process, in ocid order. Its releases are unpacked (inputs.source_release)
    once, for the merge and for each check of `also` (the checks of a whole process: pairs of a
    function of its ocid and releases, and the list the function's results are added to, in
    ocid order). `pack`: keep each compiled release as compact JSON (a build does; a test that
    edits compiled records does not). With several workers, chunks of processes are compiled in
    forked processes (workers.in_order), which share the packed releases and keep the garbage of
    decoding and merging out of this one; the results are the same with one worker or several.
    `consumed`: empty each process's entry in `groups` once it is compiled, so its releases are
    let go as its compiled record arrives (the ocids stay, for the checks of links between them),
    and call it after each chunk (a build returns the memory to the system now and then).
    `keep`: what to keep of each chunk's compiled records as it arrives (a build's spool keeps
    their bytes outside memory: write.Spool.keep). `cache`: where the processes of a chunk compiled
    from the same releases (their bytes and where each was read) by a previous build with no
    problem are taken from, instead of compiled again (with `pack` only); `also` checks them all.
    """
    ocids = sorted(groups)
    if len(ocids) < PARALLEL_FROM:
        workers = 1
    chunks = [ocids[i:i + CHUNK] for i in range(0, len(ocids), CHUNK)]
    checks = tuple(check for check, _ in also)
    records, problems, done = [], [], 0
    for chunk, (compiled, found, checked) in zip(chunks, in_order(_compile_chunk, chunks, (groups, merger, checks, pack, cache),
                                                                   workers), strict=True):
        if consumed is not None:
            for ocid in chunk:
                groups[ocid] = []
            consumed()
        records.extend(keep(compiled) if keep is not None else compiled)
        problems.extend(found)
        for (_, into), results in zip(also, checked, strict=True):
            into.extend(results)
        done += CHUNK
        if progress:
            progress("processes compiled", min(done, len(ocids)), len(ocids))
    return records, problems


def _compile_chunk(shared, ocids: list[str]) -> tuple[list[CompiledRecord], list[Problem], list[list]]:
    groups, merger, checks, pack, cache = shared
    key = _chunk_key(cache.salt, groups, ocids) if cache is not None and pack else None
    kept = _kept(cache.get(key)) if key is not None else {}
    compiled, problems, checked, clean = [], [], [[] for _ in checks], {}
    for ocid in ocids:
        releases = [r.unpacked() for r in groups[ocid]]
        for check, results in zip(checks, checked, strict=True):
            results.extend(check(ocid, releases))
        if ocid in kept:
            record, found = _record(ocid, sorted(groups[ocid], key=_sort_key), *kept[ocid]), []
        else:
            record, found = compile_one(ocid, releases, merger)
            if record is not None and pack:
                record = record.packed()
                if not found:
                    clean[ocid] = (record.kept_compiled, record.date)
        problems.extend(found)
        if record is not None:
            compiled.append(record)
    if key is not None and clean:
        cache.put(key, kept | clean)
    if key is not None:
        compiled = [replace(r, made_from=key) for r in compiled]
    return compiled, problems, checked


def _chunk_key(salt: bytes, groups: dict[str, list[SourceRelease]], ocids: list[str]) -> str | None:
    """The digest of what a chunk is compiled from; None when a release is not held as bytes."""
    digest = hashlib.blake2b(salt, digest_size=20)
    for ocid in ocids:
        digest.update(ocid.encode("utf-8", "surrogatepass") + b"\0")
        for release in groups[ocid]:
            stored = release.stored()
            if type(stored) is not bytes:
                return None
            where = f"{release.file}\0{release.pointer}\0{release.item}\0{release.line}\0{release.example}\0"
            digest.update(where.encode("utf-8", "surrogatepass") + len(stored).to_bytes(8, "big") + stored)
    return digest.hexdigest()


def _kept(value) -> dict:
    """What a cache kept of a chunk: each process compiled with no problem, by ocid, its compiled
    release and date. A process compiled with problems is compiled again, so that its problems are
    made as a first build makes them (a page's digest tells objects shared from copies). Anything
    else is taken for nothing kept."""
    if type(value) is not dict or not all(type(v) is tuple and len(v) == 2 for v in value.values()):
        return {}
    return value


def _record(ocid: str, ordered: list[SourceRelease], compiled, date) -> CompiledRecord:
    return CompiledRecord(ocid, tuple(s.stored() for s in ordered), compiled, _files(ordered),
                          tuple(s.get("date") for s in ordered), date)


def _files(ordered: list[SourceRelease]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.file for s in ordered))


def _sort_key(release: SourceRelease):
    return (str(release.get("date") or ""), str(release.get("id") or ""))


def compile_one(ocid: str, sources: list[SourceRelease], merger: ocdsmerge.Merger) -> tuple[CompiledRecord | None, list[Problem]]:
    ordered = sorted(sources, key=_sort_key)
    first = ordered[0]
    problems: list[Problem] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OCDSMergeWarning)
        try:
            compiled = merger.create_compiled_release([s.data for s in ordered])
        except OCDSMergeError as exc:
            return None, [error("compile-failed", f"The releases of {ocid} could not be compiled: {exc}",
                                Location(first.file, first.line, first.item, ocid),
                                "Check that every release has a date and that each field keeps one type.")]
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError):  # a value of a type merging can't use
            return None, [error("compile-failed", f"The releases of {ocid} could not be compiled: a field holds a value "
                                "of a type that can't be merged (for example an object where an id or a date belongs).",
                                Location(first.file, first.line, first.item, ocid),
                                "Fix the errors `portal check` reports for this process; each field must keep the "
                                "type the standard gives it.")]
    for w in caught:
        if issubclass(w.category, OCDSMergeWarning):
            problems.append(warning("compile-warning", str(w.message), Location(first.file, first.line, first.item, ocid),
                                    "Give each object in a list its own id."))
    return CompiledRecord(ocid, tuple(s.stored() for s in ordered), compiled, _files(ordered),
                          tuple(s.get("date") for s in ordered)), problems
