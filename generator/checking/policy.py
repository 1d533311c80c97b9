"""What stops a build, and what `build --keep-going` leaves out. Pure: problems and data in."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Problem
from generator.inputs.parsing import DataFile


@dataclass(frozen=True)
class Policy:
    """What stops a build: errors always, unless keep_going; warnings too when strict."""

    strict: bool = False
    keep_going: bool = False


def leave_out(data_files: list[DataFile], errors: list[Problem]) -> tuple[str, ...]:
    """For --keep-going: drop every process an error names, and every release of a file whose
    error names no process. Returns the ocids left out."""
    bad_ocids = {p.location.ocid for p in errors if p.location.ocid}
    bad_files = {p.location.file for p in errors if not p.location.ocid and p.location.file}
    left_out = set(bad_ocids)
    for data_file in data_files:
        kept = []
        for release in data_file.releases:
            ocid = release.data.get("ocid") if isinstance(release.data, dict) else None
            if data_file.path in bad_files or ocid in bad_ocids or not isinstance(ocid, str):
                if isinstance(ocid, str):
                    left_out.add(ocid)
                continue
            kept.append(release)
        data_file.releases = kept
    return tuple(sorted(left_out))
