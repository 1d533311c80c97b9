"""The graph of related processes: each process knows its relations in both directions. Pure.

A link may be stated by either process (a call-off names its framework; a contract names the
process that renews it; a new tender names the prior contract it replaces), so each edge
(related.edges) is given to both of its ends that are in the data; a pair linked from both sides is
one relation. A link to a process that is
not in the data (a cooperative contract held by another agency, or an unknown ocid) stays on the
side that states it, without a page to link to. Nothing here walks the graph without a guard:
`lineage` stops at a process it has seen, so a cycle in the data ends the walk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from generator.related import CALL_OFF, FOLLOW_ON, PLANNING, RENEWAL, REPLACEMENT, SUCCESSION, Edge, Link, edges
from generator.site.texts import Name


@dataclass(frozen=True)
class Neighbour:
    """A process at the other end of an edge, as a page names and links it."""

    kind: str  # related.CALL_OFF, FOLLOW_ON, ...
    ocid: str  # "" for a process named by another scheme (a cooperative contract)
    path: str  # its page; "" when it is not in the data
    name: Name
    stage: str  # process.STAGES, "" when it is not in the data
    link: Link  # the link as its data states it
    deadline: dt.datetime | None = None  # its bid deadline, for an open bid's badge (the visitor's clock closes it)

    @property
    def in_data(self) -> bool:
        return bool(self.path)


@dataclass(frozen=True)
class Relations:
    """One process's relations: `earlier` are the processes it follows (its agreement, the contract
    it renews or replaces, its plan); `later` those that follow it (call-offs, follow-ons)."""

    earlier: tuple[Neighbour, ...] = ()
    later: tuple[Neighbour, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.earlier or self.later)

    @property
    def agreements(self) -> tuple[Neighbour, ...]:
        """The framework agreements or cooperative contracts it orders under."""
        return tuple(n for n in self.earlier if n.kind == CALL_OFF)

    @property
    def call_offs(self) -> tuple[Neighbour, ...]:
        """The orders made under it (when it is an agreement)."""
        return tuple(n for n in self.later if n.kind == CALL_OFF)

    @property
    def prior(self) -> tuple[Neighbour, ...]:
        """The contracts it renews or replaces: who held the work before, as the data links it."""
        return tuple(n for n in self.earlier if n.kind in SUCCESSION)

    @property
    def follow_ons(self) -> tuple[Neighbour, ...]:
        """The processes that renew or replace it."""
        return tuple(n for n in self.later if n.kind in SUCCESSION)

    @property
    def plans(self) -> tuple[Neighbour, ...]:
        return tuple(n for n in self.earlier if n.kind == PLANNING)

    @property
    def others(self) -> tuple[tuple[str, Neighbour], ...]:
        """Every relation but orders under agreements (pages show those with the agreement), each with
        its labels.LABELS["relation"] key: "<kind>-earlier" (this process follows it) or "<kind>-later"."""
        return (*((f"{n.kind}-earlier", n) for n in self.earlier if n.kind != CALL_OFF),
                *((f"{n.kind}-later", n) for n in self.later if n.kind != CALL_OFF))


NO_RELATIONS = Relations()


def _neighbour(edge: Edge, other: str, processes: Mapping) -> Neighbour:
    known = processes.get(other) if other else None
    if known is not None:
        return Neighbour(edge.kind, other, known.path, known.name, known.stage, edge.link, known.deadline)
    link = edge.link
    return Neighbour(edge.kind, other, "", Name(link.title or link.identifier or other), "", link)


def graph(processes: Mapping) -> dict[str, Relations]:
    """The relations of every process of `processes` (ocid → anything with `.links`, `.path`,
    `.name`, `.stage` and `.deadline`: site.process.Process) that has any; an edge stated by both ends counts once."""
    earlier: dict[str, dict[tuple, Neighbour]] = {}
    later: dict[str, dict[tuple, Neighbour]] = {}
    for ocid in sorted(processes):
        for link in processes[ocid].links:
            for edge in edges(link):
                if edge.earlier == edge.later:
                    continue  # a process related to itself (checking warns)
                ends = ((edge.later, edge.earlier, earlier), (edge.earlier, edge.later, later))
                for this, other, side in ends:
                    if this in processes:
                        key = (edge.kind, other or f"{link.scheme}:{link.identifier}")
                        side.setdefault(this, {}).setdefault(key, _neighbour(edge, other, processes))
    return {ocid: Relations(_ordered(earlier.get(ocid)), _ordered(later.get(ocid)))
            for ocid in sorted(set(earlier) | set(later))}


def _ordered(found: dict | None) -> tuple[Neighbour, ...]:
    """The neighbours in a fixed order; "prior" (renews or replaces) gives way to the renewal or
    replacement the other side states of the same pair, which says more."""
    found = found or {}
    specific = {n.ocid for n in found.values() if n.kind in (RENEWAL, REPLACEMENT) and n.ocid}
    return tuple(sorted((n for n in found.values() if not (n.kind == FOLLOW_ON and n.ocid in specific)),
                        key=lambda n: (n.kind, n.ocid, n.link.identifier)))


def lineage(relations: Mapping[str, Relations], ocid: str) -> tuple[str, ...]:
    """The ocids of the contracts `ocid` renews or replaces, the nearest first, back as far as the
    data links them (the first prior each time); a cycle ends the walk."""
    seen, chain = {ocid}, []
    current = relations.get(ocid, NO_RELATIONS)
    while True:
        step = next((n for n in current.prior if n.in_data and n.ocid not in seen), None)
        if step is None:
            return tuple(chain)
        seen.add(step.ocid)
        chain.append(step.ocid)
        current = relations.get(step.ocid, NO_RELATIONS)
