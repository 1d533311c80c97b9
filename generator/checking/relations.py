"""Problems in the links between processes, found across every file at once. Pure.

A link to an ocid that is not in the data, a process linked to itself, processes that renew or
replace each other in a circle, and a framework agreement awarded without naming its suppliers are
warnings: the pages still publish, with what the data does say.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

from generator.errors import Location, Problem, warning
from generator.inputs.parsing import SourceRelease
from generator.related import SUCCESSION, Link, edges, links
from generator.values import dicts, text


def check(groups: Mapping[str, list[SourceRelease]]) -> list[Problem]:
    """`groups`: every process's releases by ocid (records.group_by_ocid)."""
    return problems_of([found for ocid in sorted(groups) for found in links_of(ocid, groups[ocid])], groups)


def links_of(ocid: str, releases: list[SourceRelease]) -> list[tuple]:
    """What one process says of the others, for `problems_of`: each link it states, with where its
    identifier and relationship are, and whether its framework agreement names no supplier."""
    found: list[tuple] = []
    for release in releases:
        if isinstance(data := release.data, dict):
            found.extend(((ocid, link.relationships, link.scheme, link.identifier, link.contract_id),
                          release.location(link.pointer + "/identifier"),
                          release.location(link.pointer + "/relationship"), link) for link in links(data, ocid))
    return found + [(None, problem) for problem in _framework_suppliers(ocid, releases)]


def problems_of(found: list[tuple], ocids: Container[str]) -> list[Problem]:
    """The problems in every process's links (`links_of`, in ocid order) to the `ocids` in the data."""
    problems = [item[1] for item in found if item[0] is None]
    first: dict[tuple, tuple[Location, Location, Link]] = {}  # each link once, where it is first stated
    for key, *rest in found:
        if key is not None and key not in first:
            first[key] = tuple(rest)
    successors: dict[str, set[str]] = {}
    for where, _, link in first.values():
        if link.ocid and link.ocid == link.source:
            problems.append(warning(
                "related-self", f"{link.source} lists itself as a related process.", where,
                "Give the identifier of the other process (its ocid), or remove the entry."))
        elif link.ocid and link.ocid not in ocids:
            problems.append(warning(
                "related-unknown", f"The related process {link.ocid} is not in the data, so its page can't be "
                "linked; the page names it without a link.", where,
                "Check the ocid for typing mistakes, or publish that process too. For a contract held by another "
                "agency, give its own scheme (declared in local_codes relatedProcessScheme) instead of ocid."))
        for edge in edges(link):
            if edge.kind in SUCCESSION and edge.earlier in ocids and edge.later in ocids and edge.earlier != edge.later:
                successors.setdefault(edge.earlier, set()).add(edge.later)
    problems.extend(_cycles(successors, first))
    return problems


def _framework_suppliers(ocid: str, releases: list[SourceRelease]) -> list[Problem]:
    """A framework agreement that is awarded (an active award) with no supplier named in any award."""
    framework, awards, last = False, {}, None
    for release in releases:
        data = release.data if isinstance(release.data, dict) else {}
        tender = data.get("tender") if isinstance(data.get("tender"), dict) else {}
        techniques = tender.get("techniques") if isinstance(tender.get("techniques"), dict) else {}
        framework = framework or techniques.get("hasFrameworkAgreement") is True
        for award in dicts(data.get("awards")):
            awards[text(award.get("id"))] = {**awards.get(text(award.get("id")), {}), **award}
            last = release
    active = [a for a in awards.values() if a.get("status") == "active"]
    if not framework or not active or any(dicts(a.get("suppliers")) for a in awards.values()):
        return []
    return [warning("framework-no-suppliers", f"{ocid} sets up a framework agreement and is awarded, but no award "
                    "names its suppliers, so its page can't say which firms are on it.", last.location("/awards"),
                    "List the firms on the agreement in each award's suppliers.")]


def _cycles(successors: dict[str, set[str]], first: dict) -> list[Problem]:
    """One warning per circle of renewals or replacements (A follows B, which follows A)."""
    problems, done = [], set()
    for start in sorted(successors):
        path, seen = [start], {start}
        stack = [iter(sorted(successors.get(start, ())))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                seen.discard(path.pop())
                continue
            if step == start and frozenset(path) not in done:
                done.add(frozenset(path))
                _, where, _ = next(v for k, v in first.items() if k[0] in path)
                problems.append(warning(
                    "related-cycle", "These processes each renew or replace the next, in a circle: "
                    f"{' → '.join([*path, start])}. Pages show each link, but can't say which came first.",
                    where,
                    "Check the relationship codes: a new process names the old one as prior; an old contract "
                    "names the new one as renewalProcess or replacementProcess."))
            elif step not in seen and step > start:  # each circle is found once, from its smallest ocid
                path.append(step)
                seen.add(step)
                stack.append(iter(sorted(successors.get(step, ()))))
    return problems
