"""What a build publishes, what it leaves out, and what stops it. Pure: problems and data in.

Problems come in three kinds, decided here and nowhere else:

- **Unreadable**: part of a file could not be read at all (invalid JSON or YAML, not UTF-8, no
  OCDS at the top level). Nobody can tell which processes it held, so publishing without it could
  silently drop pages that are live today: the build stops and writes nothing (unless
  `--keep-going`, for a folder of other people's data).
- **Blocking**: the process cannot be shown correctly: its releases cannot be compiled, a value
  the page would state is ambiguous or wrong (a duplicated key, an amount without a currency or
  below zero), a blank of the notice template is still unfilled, part of it was nested too deep
  to read, or an ocid or id holds invisible characters or is too long to be an address.
  That process is left out and listed on the data-quality page; every other process is published.
- **Everything else** (schema errors the OCDS Data Review Tool also reports, and warnings): the
  process is published with the problems as data-quality notes on its page.

A problem that names no process (a package's metadata, a setting) never leaves out a release.
`portal check` is unchanged by this: its errors fail a pull request's check.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Problem

UNREADABLE = frozenset({
    "invalid-json", "invalid-json-line", "invalid-yaml", "not-utf8", "not-ocds", "nan-infinity", "unsupported-version",
    "yaml-alias-budget", "yaml-alias-loop", "nesting-too-deep",
})
BLOCKING = frozenset({
    "compile-failed", "duplicate-key", "amount-no-currency", "amount-negative", "unfilled-blank", "unreadable-value",
    "nesting-too-deep", "id-character", "id-too-long",
})


@dataclass(frozen=True)
class Policy:
    """What stops a build: unreadable data (unless keep_going); with strict, any error or warning."""

    strict: bool = False
    keep_going: bool = False

    def stops(self, problems: list[Problem]) -> str:
        """Why these problems stop the build ("" when they don't), and what to do, in one sentence."""
        if self.strict and problems:
            return "--strict: every error and warning stops the build. Fix them, or build without --strict."
        files = sorted({p.location.file for p in problems if unreadable(p)})
        if files and not self.keep_going:
            return (f"{len(files)} file{'s' if len(files) != 1 else ''} could not be read ({', '.join(files[:5])}"
                    f"{', …' if len(files) > 5 else ''}), so the processes in {'them' if len(files) != 1 else 'it'} "
                    "would vanish from the site. Fix the file, or build with --keep-going to publish without it.")
        return ""


def unreadable(problem: Problem) -> bool:
    """Part of a file that could not be read at all (one that names its process is cut from that
    process instead, which then blocks it: nesting too deep inside a release)."""
    return problem.is_error and problem.code in UNREADABLE and not problem.location.ocid


LEFT_OUT = {"example-not-published"}  # warnings that keep their process off the site all the same


def blocks(problem: Problem) -> bool:
    """Whether this problem keeps its process off the site (it must name the process)."""
    return bool(problem.location.ocid) and (problem.is_error and problem.code in BLOCKING or problem.code in LEFT_OUT)


def leave_out(problems: list[Problem]) -> tuple[str, ...]:
    """The ocids of the processes a blocking problem keeps off the site, in order."""
    return tuple(sorted({p.location.ocid for p in problems if blocks(p)}))


def notes_by_process(problems: list[Problem]) -> dict[str, tuple[Problem, ...]]:
    """The problems each published process carries as data-quality notes, errors first, in the
    order found (a process left out has none: it has no page)."""
    notes: dict[str, list[Problem]] = {}
    for p in problems:
        if p.location.ocid and not blocks(p):
            notes.setdefault(p.location.ocid, []).append(p)
    return {ocid: tuple(sorted(found, key=lambda p: not p.is_error)) for ocid, found in notes.items()}



def in_files(problems: list[Problem], files: frozenset[str]) -> tuple[list[Problem], list[Problem]]:
    """The problems a change is answerable for: those in the given files, and those that name no
    file (settings, the folder); and the others."""
    kept = [p for p in problems if not p.location.file or p.location.file in files]
    return kept, [p for p in problems if p.location.file and p.location.file not in files]
