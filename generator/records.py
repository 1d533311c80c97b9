"""Group releases by ocid and compile each contracting process with ocdsmerge. Pure."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning

from generator.errors import Location, Problem, error, warning
from generator.inputs.folder import SourceRelease


@dataclass(frozen=True)
class CompiledRecord:
    """One contracting process: its releases in date order and their compiled release."""

    ocid: str
    releases: tuple[dict, ...]
    compiled: dict
    sources: tuple[str, ...]  # the files its releases came from


def make_merger(release_schema: dict) -> ocdsmerge.Merger:
    """Merge rules come from the release schema with extensions applied: no network."""
    return ocdsmerge.Merger(schema=release_schema)


def group_by_ocid(releases: Iterable[SourceRelease]) -> dict[str, list[SourceRelease]]:
    groups: dict[str, list[SourceRelease]] = {}
    for release in releases:
        ocid = release.data.get("ocid") if isinstance(release.data, dict) else None
        if isinstance(ocid, str) and ocid:
            groups.setdefault(ocid, []).append(release)
    return groups


def compile_all(groups: dict[str, list[SourceRelease]], merger: ocdsmerge.Merger,
                progress: Callable[[str, int, int], None] | None = None) -> tuple[list[CompiledRecord], list[Problem]]:
    """Compile every process, in ocid order.

    (Compiling in forked workers was measured and gave little on 2 cores: the copy-on-write of
    the shared releases cost what the second core saved.)
    """
    records, problems = [], []
    total = len(groups)
    for n, ocid in enumerate(sorted(groups), 1):
        record, found = compile_one(ocid, groups[ocid], merger)
        problems.extend(found)
        if record is not None:
            records.append(record)
        if progress and (n % 1000 == 0 or n == total):
            progress("processes compiled", n, total)
    return records, problems


def _sort_key(release: SourceRelease):
    data = release.data
    return (str(data.get("date") or ""), str(data.get("id") or ""))


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
    files = tuple(dict.fromkeys(s.file for s in ordered))
    return CompiledRecord(ocid, tuple(s.data for s in ordered), compiled, files), problems
