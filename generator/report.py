"""What a check or a build reports: its problems, counts, timings and the files it made. `cli`
prints it; `problem_text` words its problems for people, programs and GitHub."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import PortalError, Problem


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    kit_origin: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    left_out: tuple[str, ...] = ()  # processes not published (build --keep-going)
    shards: list = field(default_factory=list)  # search.Shard: the search index files and their sizes
    downloads: tuple = ()  # bulk.Download: the bulk data files, their sizes and counts
    pages_by_language: dict = field(default_factory=dict)  # HTML pages written, by language code

    def lap(self, stage: str, started: float, now: float) -> float:
        """Record the seconds from `started` to `now` (the pipeline's clock) against `stage`; return `now`."""
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - started, 3)
        return now

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


class BuildFailed(PortalError):
    """The data has errors; nothing was written."""

    def __init__(self, report: Report, why: str = ""):
        super().__init__(f"{len(report.errors)} error(s) in the data; the site was not changed.",
                         hint=why or "Fix the errors listed above, then build again.")
        self.report = report
