"""Bulk OCDS data for civic technologists and researchers. Pure: compiled records in, artifacts out.

Under data/ (stable names, the same every build):

    ocds-release-package.json.gz         every release, as one OCDS release package
    ocds-record-package.json.gz          every process's record: its compiled release, and its
                                         releases as links into the release package
    releases/<year>.json.gz              release packages by the year of each release's date
    compiled-releases/<year>.jsonl.gz    compiled releases, one per line, by the year of their date
    csv/<table>.csv, csv/data-dictionary.csv   flat tables (flat_tables.py) and what each column is
    downloads.json                       every file above: path, media type, bytes, sha256, count
    SHA256SUMS                           checksums in the format `sha256sum -c` reads

and beside each process's page, processes/<slug>/record.json: its own record package, with its
compiled release and its releases as links into releases/<year>.json.gz (the `process_records`
setting: `full` embeds them instead, for a host without a size limit; linked, the site does not
hold every release twice, which at 100,000 processes is a gigabyte).

The large files stream: each is an Artifact whose `stream()` makes its bytes as `write` writes
them, a chunk at a time, so memory holds a chunk, never a file, whatever the number of processes.
Each download's size, sha256 and count are taken (by its Tally) as the bytes pass; `write` writes
each artifact whole before asking for the next, so when `artifacts()` reaches downloads.json and
SHA256SUMS every tally is complete (and one that is not raises instead of publishing a wrong sum).

Output is deterministic: gzip files carry no file name and mtime 0, and the packages'
publishedDate is the build's "today" at midnight in the city's time zone (a process's own record
package carries the date of its latest release, so it only changes when the process does).
A gzipped file is compressed in segments (streams.gzipped): a segment whose bytes the last build
compressed is taken from its file as it was (`kept`), the same bytes either way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote
from zoneinfo import ZoneInfo

import orjson

from generator import routes
from generator.artifact import Artifact
from generator.context import city_midnight
from generator.inputs.settings import Settings
from generator.inputs.source_release import unpack
from generator.labels import N_
from generator.publish import flat_tables
from generator.publish.csv_text import csv_bytes
from generator.publish.streams import Segment, Tally, batched, gzipped, package_parts, runs, to_json
from generator.records import CompiledRecord, held
from generator.values import parse_datetime

VERSION = "1.1"  # the OCDS version the packages declare (validated against the 1.1.5 schemas)
RELEASE_PACKAGE = "ocds-release-package.json.gz"
RECORD_PACKAGE = "ocds-record-package.json.gz"
INDEX = "downloads.json"
CHECKSUMS = "SHA256SUMS"
DICTIONARY = "csv/data-dictionary.csv"
JSON, JSON_LINES, CSV, TEXT = "application/json", "application/jsonl", "text/csv", "text/plain"
UNDATED = "undated"
LINKED = "linked"  # the default of the process_records setting
FRAGMENT_SAFE = "/?:@!$&'()*+,;=-._~"  # what a URI fragment may hold unescaped (RFC 3986)


@dataclass(eq=False)
class Download:
    """One file under data/."""

    name: str  # its path under data/, as SHA256SUMS and downloads.json give it
    kind: str  # release-package, record-package, releases-by-year, compiled-by-year, table, dictionary, index, checksums
    media_type: str
    description: str  # an English gettext message id (N_), with %(year)s where it has a year
    unit: str = ""  # what `count` counts: releases, records, compiled releases, rows
    year: str = ""
    compression: str = ""  # "gzip", or "" for a plain file
    tally: Tally = field(default_factory=Tally)

    @property
    def path(self) -> str:
        return routes.data_path(self.name)

    @property
    def size(self) -> int:
        return self.tally.size

    @property
    def sha256(self) -> str:
        return self.tally.sha256

    @property
    def count(self) -> int:
        return self.tally.count

    @property
    def newest(self) -> dt.datetime | None:
        return self.tally.newest

    def text(self) -> str:
        return self.description % {"year": self.year}


@dataclass(frozen=True)
class Catalogue:
    """What the data page shows: every download with its size and checksum, the tables' columns."""

    published: str  # the packages' publishedDate
    downloads: tuple[Download, ...]
    tables: tuple[flat_tables.Table, ...]
    processes: int  # process record packages written beside the process pages
    record_example: str  # the output path of one of them ("" when there are none)
    linked_records: bool  # whether they link to their releases (else they hold them in full)
    index: Download
    checksums: Download
    dictionary: Download

    def of_kind(self, *kinds: str) -> list[Download]:
        return [d for d in self.downloads if d.kind in kinds]

    @property
    def years(self) -> list[tuple[str, Download | None, Download | None]]:
        """(year, its release package, its compiled releases), newest year first."""
        releases = {d.year: d for d in self.of_kind("releases-by-year")}
        compiled = {d.year: d for d in self.of_kind("compiled-by-year")}
        return [(y, releases.get(y), compiled.get(y)) for y in _newest_first(set(releases) | set(compiled))]


def yearly_releases(year: str) -> str:
    """The name under data/ of the release package of one year (or of the undated releases)."""
    return f"releases/{year}.json.gz"


def year_of(date) -> str:
    """The year of an OCDS date as written (the publisher's local year), or "undated"."""
    return date[:4] if isinstance(date, str) and date[:4].isdigit() else UNDATED


def published_date(today: dt.date, timezone: str) -> str:
    """The packages' publishedDate: the build's day at midnight in the city's time zone."""
    return city_midnight(today, timezone).isoformat()


def package_uri(settings: Settings, path: str) -> str:
    """A package's `uri`: where it is published. Without a base_url the address is unknown, so
    the uri is a URN naming the city's OCID prefix and the file (the build warns about it)."""
    return settings.base_url.uri(path, settings.ocid_prefix)


def package_metadata(settings: Settings, path: str, published: str, packages: Sequence[str] = ()) -> dict:
    """A package's fields other than its releases or records, in the schema's order."""
    meta: dict = {"uri": package_uri(settings, path), "version": VERSION}
    if settings.extensions:
        meta["extensions"] = list(settings.extensions)
    publisher = {"name": settings.publisher_name}
    for key, value in (("scheme", settings.publisher_scheme), ("uid", settings.publisher_uid),
                       ("uri", settings.publisher_uri)):
        if value:
            publisher[key] = value
    meta["publisher"] = publisher
    if settings.license:
        meta["license"] = settings.license
    if settings.publication_policy:
        meta["publicationPolicy"] = settings.publication_policy
    meta["publishedDate"] = published
    if packages:
        meta["packages"] = list(packages)
    return meta


class BulkData:
    """The bulk downloads of one build. `artifacts()` yields them for `write`; after every one
    is written, `catalogue()` describes them for the data page. `kept`: a segment the last build
    wrote (a gzipped file's compressed bytes, a CSV table's rows with their count), by its digest
    (None: no previous site, and no segment's digest is taken); then `segments` gets each gzipped
    file's and each table's, by path. `code`: the digest of the code (inputs.page_index.code_salt),
    which a table's segments are made by."""

    def __init__(self, records: Sequence[CompiledRecord], settings: Settings, today: dt.date,
                 kept: Callable[[bytes], tuple[bytes, int] | None] | None = None, code: bytes = b""):
        self.records, self.settings, self.kept, self.code = records, settings, kept, code
        self.segments: dict[str, list[Segment]] = {}
        self.tz = ZoneInfo(settings.timezone)
        self.published = published_date(today, settings.timezone)
        self.streamed: list[tuple[Download, Callable[[Download], Iterator[bytes]]]] = []
        if records:
            self._plan_packages()
        for table in flat_tables.TABLES:
            self.streamed.append((Download(f"csv/{table.name}.csv", "table", CSV, table.description, N_("rows")),
                                  functools.partial(self._table, table)))
        self.dictionary = Download(DICTIONARY, "dictionary", CSV, N_(
            "The data dictionary: every column of the CSV tables, the OCDS field it holds and what it means."),
            N_("columns"))
        self.index = Download(INDEX, "index", JSON, N_(
            "The list of these downloads for scripts: each file's path, media type, size in bytes, SHA-256 "
            "checksum and count."))
        self.checksums = Download(CHECKSUMS, "checksums", TEXT, N_(
            "The SHA-256 checksum of every download, to check them with sha256sum -c SHA256SUMS."))

    def _plan_packages(self) -> None:
        release_years = {year_of(date) for rec in self.records for date, _ in rec.dated()}
        compiled_years = {year_of(rec.compiled_date()) for rec in self.records}
        self.streamed += [
            (Download(RELEASE_PACKAGE, "release-package", JSON, N_(
                "Every release the city published (each tender notice, amendment, award and contract), "
                "as one OCDS release package."), N_("releases"), compression="gzip"),
             functools.partial(self._release_package, None)),
            (Download(RECORD_PACKAGE, "record-package", JSON, N_(
                "Every contracting process as an OCDS record, in one record package: its compiled release "
                "(the latest value of every field) and links to its releases in the release package."),
                N_("records"), compression="gzip"),
             self._record_package),
        ]
        for year in _newest_first(release_years):
            self.streamed.append((Download(yearly_releases(year), "releases-by-year", JSON, N_(
                "The releases dated %(year)s, as an OCDS release package."), N_("releases"), year, "gzip"),
                functools.partial(self._release_package, year)))
        for year in _newest_first(compiled_years):
            self.streamed.append((Download(f"compiled-releases/{year}.jsonl.gz", "compiled-by-year", JSON_LINES, N_(
                "The compiled release of every process whose latest release is dated %(year)s, one JSON object "
                "a line (JSON Lines)."), N_("compiled releases"), year, "gzip"),
                functools.partial(self._compiled_lines, year)))

    # --- what build hands to write ------------------------------------------------------

    def artifacts(self) -> Iterator[Artifact]:
        """Every download (the large ones as streams), each process's record package, then the
        index and the checksums, made from the tallies of what was written before them."""
        for download, make in self.streamed:
            yield Artifact(download.path, stream=functools.partial(self._stream, download, make))
        yield self._bytes_artifact(self.dictionary, flat_tables.dictionary_csv(), len(flat_tables.dictionary_rows()))
        for record in self.records:
            yield self._process_record(record)
        yield self._bytes_artifact(self.index, self._index_json())
        yield self._bytes_artifact(self.checksums, self._checksums_text())

    def catalogue(self) -> Catalogue:
        """The downloads with their sizes and checksums; only once `artifacts()` has been written."""
        downloads = (*(d for d, _ in self.streamed), self.dictionary, self.index, self.checksums)
        for d in downloads:
            d.sha256  # noqa: B018 - raises unless the download was written whole
        return Catalogue(self.published, downloads, flat_tables.TABLES, len(self.records),
                         routes.process_record_path(self.records[0].ocid) if self.records else "",
                         self.settings.process_records == LINKED,
                         self.index, self.checksums, self.dictionary)

    # --- streams ------------------------------------------------------------------------

    def _stream(self, download: Download, make: Callable[[Download], Iterator[bytes]]) -> Iterator[bytes]:
        tally = download.tally
        tally.start()
        if download.compression != "gzip":
            chunks = batched(make(download))
        elif self.kept is None:
            chunks = gzipped(make(download))
        else:
            chunks = gzipped(make(download), self.kept, self.segments.setdefault(download.path, []))
        for chunk in chunks:
            tally.add(chunk)
            yield chunk
        tally.complete = True

    def _bytes_artifact(self, download: Download, data: bytes, count: int = 0) -> Artifact:
        download.tally.start()
        download.tally.add(data)
        download.tally.count = count
        download.tally.complete = True
        return Artifact(download.path, data)

    def _date(self, value) -> dt.datetime | None:
        return parse_datetime(value, self.tz)

    def _release_package(self, year: str | None, download: Download) -> Iterator[bytes]:
        meta = package_metadata(self.settings, download.path, self.published)
        return package_parts(meta, "releases", self._releases(year, download.tally))

    def _releases(self, year: str | None, tally: Tally) -> Iterator[bytes]:
        dated = year is not None and year != UNDATED
        for record in self.records:
            for date, kept in record.dated():
                if year is None or (type(date) is str and date.startswith(year) if dated else year_of(date) == year):
                    tally.saw(self._date(date))
                    release = held(kept)  # read only now: each year's package passes over every process
                    yield release if type(release) is bytes else to_json(release)  # bytes: orjson's already

    def _record_package(self, download: Download) -> Iterator[bytes]:
        """Records with linked releases: each release is a link into the release package (which
        the package's `packages` names), so the file is not a second copy of every release."""
        releases = package_uri(self.settings, routes.data_path(RELEASE_PACKAGE))
        meta = package_metadata(self.settings, download.path, self.published, [releases])
        return package_parts(meta, "records", self._records(download.tally, releases))

    def _records(self, tally: Tally, releases: str) -> Iterator[bytes]:
        for record in self.records:
            tally.saw(self._date(record.compiled_date()))
            yield record_json(record, [linked_release(r, releases) for r in record.releases])

    def _compiled_lines(self, year: str, download: Download) -> Iterator[bytes]:
        for record in self.records:
            if year_of(date := record.compiled_date()) == year:
                download.tally.saw(self._date(date))
                yield record.compiled_json() + b"\n"

    def _table(self, table: flat_tables.Table, download: Download) -> Iterator[bytes]:
        tally = download.tally
        tally.saw(self._newest_compiled, items=0)  # rows are counted as made
        if self.kept is None:
            return flat_tables.table_csv(table, self._compiled_releases(table, self.records),
                                         lambda rows: tally.saw(None, rows))
        return self._table_runs(table, download)

    def _table_runs(self, table: flat_tables.Table, download: Download) -> Iterator[bytes]:
        """A table's CSV made a run of processes at a time (streams.runs): the rows of a run made from
        the same compiled releases by the same code are the last build's, read from its file."""
        made, tally = self.segments.setdefault(download.path, []), download.tally
        header = csv_bytes([table.header])
        offset = len(header)
        yield header
        for run, compiled in self._runs:
            digest = hashlib.blake2b(b"\0".join([self.code, table.name.encode(), compiled]), digest_size=16,
                                     person=b"csv rows").digest()
            found = self.kept(digest)
            data, rows = found if found is not None else flat_tables.rows_csv(
                table, self._compiled_releases(table, run))
            tally.saw(None, rows)
            made.append(Segment(digest, offset, len(data), rows))
            offset += len(data)
            yield data

    @functools.cached_property
    def _runs(self) -> list[tuple[list[CompiledRecord], bytes]]:
        """The processes in runs (streams.runs, cut by their compiled releases), each with the digest
        of its compiled releases: the same for every table, so read and digested once, not once a
        table."""
        return [([record for record, _ in run], hashlib.blake2b(b"\n".join(data for _, data in run),
                                                                digest_size=16).digest())
                for run in runs(((record, record.compiled_json()) for record in self.records), _second)]

    @staticmethod
    def _compiled_releases(table: flat_tables.Table, records: Iterable[CompiledRecord]) -> Iterator[dict]:
        """The compiled releases of `records` that may give the table rows (flat_tables.could_have_rows)."""
        could_have_rows = flat_tables.could_have_rows(table)
        for record in records:
            compiled = record.stored_compiled
            if type(compiled) is not bytes or could_have_rows(compiled):
                yield unpack(compiled)

    @functools.cached_property
    def _newest_compiled(self) -> dt.datetime | None:
        """The newest date of the compiled releases (every table's, which lists them all)."""
        return max(filter(None, (self._date(record.compiled_date()) for record in self.records)), default=None)

    # --- small files ----------------------------------------------------------------------

    def _process_record(self, record: CompiledRecord) -> Artifact:
        """One process's record package, dated by its latest release: its releases linked into the
        yearly release packages (which its `packages` names, in the order its releases first link
        to them), or whole."""
        path = routes.process_record_path(record.ocid)
        date = record.compiled_date()
        published = date if self._date(date) else self.published
        if self.settings.process_records != LINKED:
            meta = package_metadata(self.settings, path, published)
            return Artifact(path, b"".join(package_parts(meta, "records", [record_json(record)])))
        packages: dict[str, str] = {}
        links = [linked_release(r, packages.setdefault(year := year_of(r.get("date")), package_uri(
            self.settings, routes.data_path(yearly_releases(year))))) for r in record.releases]
        meta = package_metadata(self.settings, path, published, list(packages.values()))
        return Artifact(path, b"".join(package_parts(meta, "records", [record_json(record, links)])))

    def _index_json(self) -> bytes:
        settings = self.settings
        files = []
        for d in (*(d for d, _ in self.streamed), self.dictionary):
            entry = {"path": d.name}
            if settings.base_url:
                entry["url"] = settings.base_url.absolute(d.path)
            entry |= {"mediaType": d.media_type, "bytes": d.size, "sha256": d.sha256}
            if d.compression:
                entry["compression"] = d.compression
            if d.unit:
                entry |= {"count": d.count, "countOf": d.unit}
            if d.year:
                entry["year"] = d.year
            if d.newest:
                entry["newest"] = d.newest.isoformat()
            entry["description"] = d.text()
            files.append(entry)
        meta = package_metadata(settings, self.index.path, self.published)
        index = {"title": f"{settings.city_name}: OCDS bulk data", "publisher": meta["publisher"],
                 **{k: meta[k] for k in ("license", "publicationPolicy") if k in meta},
                 "publishedDate": self.published, "ocdsVersion": VERSION, "extensions": list(settings.extensions),
                 "checksums": CHECKSUMS, "dataDictionary": DICTIONARY,
                 "processRecords": self._process_records_entry(),
                 "files": files}
        return orjson.dumps(index, option=orjson.OPT_INDENT_2) + b"\n"

    def _process_records_entry(self) -> dict:
        entry = {"path": routes.process_record_path("x").replace("/x/", "/{slug}/"), "count": len(self.records),
                 "description": "One OCDS record package per contracting process, linked from the process's page: "
                                "its compiled release and its releases, " + (
                                    "each as a link into the release package of its year (releases/<year>.json.gz). "
                                    if self.settings.process_records == LINKED else "in full. ") +
                                "{slug} is the ocid when it holds only lower-case letters, digits, dots and "
                                "hyphens; otherwise a readable form of it, _ and the first 10 hexadecimal digits "
                                "of the SHA-256 of the ocid (UTF-8)."}
        if self.records:
            entry["example"] = {"ocid": self.records[0].ocid, "path": routes.process_record_path(self.records[0].ocid)}
        return entry

    def _checksums_text(self) -> bytes:
        downloads = [*(d for d, _ in self.streamed), self.dictionary, self.index]
        return "".join(f"{d.sha256}  {d.name}\n" for d in sorted(downloads, key=lambda d: d.name)).encode("utf-8")


def record_json(record: CompiledRecord, links: list[dict] | None = None) -> bytes:
    """An OCDS record: the process's releases in date order (whole, or as the `links` given, one
    a release, `linked_release`'s) and its compiled release. Orjson's compact JSON of an object is
    its parts' JSON joined, so the releases and compiled release kept as bytes are written as they
    are."""
    try:
        releases = orjson.dumps(links) if links is not None else b"[" + b",".join(map(_orjson, record.stored)) + b"]"
        return b"".join((b'{"ocid":', orjson.dumps(record.ocid), b',"releases":', releases,
                         b',"compiledRelease":', _orjson(record.stored_compiled), b"}"))
    except TypeError:  # what orjson can't write: to_json writes the whole record as json does
        return to_json({"ocid": record.ocid, "releases": links if links is not None else record.releases,
                        "compiledRelease": record.compiled})


def _orjson(stored) -> bytes:
    """A release or compiled release as orjson writes it (raising TypeError where it can't)."""
    return stored if type(stored) is bytes else orjson.dumps(stored)


def linked_release(release: dict, package: str) -> dict:
    """A release as a record links it: the package's URL with the release id as its fragment."""
    link = {"url": f"{package}#{quote(str(release.get('id')), safe=FRAGMENT_SAFE)}", "date": release.get("date")}
    if "tag" in release:
        link["tag"] = release["tag"]
    return link


def _second(pair: tuple):
    return pair[1]


def _newest_first(years: set[str]) -> list[str]:
    return sorted(years - {UNDATED}, reverse=True) + sorted(years & {UNDATED})
