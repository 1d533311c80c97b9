"""Links between contracting processes (OCDS `relatedProcesses`), read one way everywhere. Pure.

A release states links at its top level (`relatedProcesses`) and on its contracts
(`contracts[].relatedProcesses`). Each link names the other process by its ocid (scheme `ocid`,
or no scheme and an identifier that looks like an ocid) or by another identification scheme: a
cooperative contract held by another agency, numbered in a scheme the city declares
(`relatedProcessScheme` local codes). `edges` turns the codelist's relationships, which are stated
from either side, into one direction: from the earlier process to the later one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.values import listed, safe_url, text

OCID_SCHEME = "ocid"
LOOKS_LIKE_OCID = re.compile(r"^ocds-[a-z0-9]{6}-\S+$")

# Kinds of edge, each from the earlier process to the later one.
CALL_OFF = "call-off"  # an agreement (framework, pool, cooperative contract) → an order under it
FOLLOW_ON = "follow-on"  # a contract → the process that renews or replaces it (prior, unspecified)
RENEWAL = "renewal"  # a contract → the process that renews it
REPLACEMENT = "replacement"  # a contract → the process that replaces it
PLANNING = "planning"  # a planning process → the tender that follows it
RETENDER = "retender"  # a process that ended with no award → the process that tried again
SUBCONTRACT = "subcontract"  # a contract → a sub-contract of it
SUCCESSION = (FOLLOW_ON, RENEWAL, REPLACEMENT)  # the kinds that say who held a contract before

# relatedProcess code → (kind, True when the link is stated on the later process).
RELATIONSHIPS = {
    "framework": (CALL_OFF, True),
    "prior": (FOLLOW_ON, True),
    "renewalProcess": (RENEWAL, False),
    "replacementProcess": (REPLACEMENT, False),
    "planning": (PLANNING, True),
    "unsuccessfulProcess": (RETENDER, True),
    "parent": (SUBCONTRACT, True),
    "subContract": (SUBCONTRACT, False),
}


@dataclass(frozen=True)
class Link:
    """One entry of a `relatedProcesses` list, as stated by the process `source`."""

    source: str  # the ocid of the process whose data states the link
    relationships: tuple[str, ...]  # relatedProcess codes, as published
    ocid: str  # the other process's ocid when the link gives one, else ""
    scheme: str
    identifier: str
    title: str
    uri: str  # "" unless http(s)
    pointer: str  # where it is in the release: /relatedProcesses/0, /contracts/1/relatedProcesses/0
    contract_id: str = ""  # the contract whose list states it, "" at the release level

    @property
    def external(self) -> bool:
        """Names a process by another scheme than ocid: held outside this data (a cooperative contract)."""
        return not self.ocid


@dataclass(frozen=True)
class Edge:
    """One link turned to run from the earlier process to the later one. `earlier` or `later` is ""
    when that end is not named by ocid (`link.external`)."""

    kind: str
    earlier: str
    later: str
    link: Link


def links(release: dict, ocid: str = "") -> tuple[Link, ...]:
    """Every link a release (or compiled release) states, in document order."""
    ocid = ocid or text(release.get("ocid"))
    found = [_link(r, ocid, f"/relatedProcesses/{i}", "") for i, r in _entries(release.get("relatedProcesses"))]
    for c, contract in _entries(release.get("contracts")):
        found.extend(_link(r, ocid, f"/contracts/{c}/relatedProcesses/{i}", text(contract.get("id")))
                     for i, r in _entries(contract.get("relatedProcesses")))
    return tuple(found)


def _entries(value) -> list[tuple[int, dict]]:
    return [(i, v) for i, v in enumerate(listed(value)) if isinstance(v, dict)]


def _link(entry: dict, source: str, pointer: str, contract_id: str) -> Link:
    scheme, identifier = text(entry.get("scheme")), text(entry.get("identifier"))
    is_ocid = scheme.lower() == OCID_SCHEME or (not scheme and bool(LOOKS_LIKE_OCID.match(identifier)))
    return Link(source, tuple(text(r) for r in listed(entry.get("relationship")) if text(r)),
                identifier if is_ocid else "", scheme, identifier, text(entry.get("title")),
                safe_url(entry.get("uri")), pointer, contract_id)


def edges(link: Link) -> tuple[Edge, ...]:
    """The edges one link states (one per relationship the codelist defines; unknown codes give none)."""
    found = []
    for code in dict.fromkeys(link.relationships):
        if code not in RELATIONSHIPS:
            continue
        kind, stated_by_later = RELATIONSHIPS[code]
        earlier, later = (link.ocid, link.source) if stated_by_later else (link.source, link.ocid)
        found.append(Edge(kind, earlier, later, link))
    return tuple(found)

