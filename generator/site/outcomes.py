"""How a solicitation ended, as the past opportunities list shows it: how many businesses bid, why
no award was made, and what tells apart two processes of the same title. Pure.

The number of bidders is one fact, read here and shown wherever the site counts bidders (a
process's page, the awards lists, the competition chart, the past list).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.site.texts import Clipper
from generator.values import dicts, text

if TYPE_CHECKING:
    from generator.site.process import Process

LOTS_SHOWN = 3  # lot titles named to tell a process apart; the rest are counted
PLACED = ("invited",)  # a bid of this status (bids extension) was asked for, not placed


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _parties(orgs: list[dict]) -> set[str]:
    """Distinct organisations of a list, by identifier, else by name (an unnamed one counts once each)."""
    return {text(o.get("id")) or text(o.get("name")) or f"#{n}" for n, o in enumerate(orgs)}


def bidders(compiled: dict) -> int | None:
    """How many businesses bid, from the first published of: `tender.numberOfTenderers`; the
    tenderers listed (`tender.tenderers`); the tenderers of the bids placed (bids extension,
    `bids.details`); the count of bids for the whole tender (`bids.statistics`, measure "bids",
    not of one lot). None when the data says nothing."""
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    if (stated := _count(tender.get("numberOfTenderers"))) is not None:
        return stated
    if tenderers := dicts(tender.get("tenderers")):
        return len(_parties(tenderers))
    bids = compiled.get("bids") if isinstance(compiled.get("bids"), dict) else {}
    placed = [b for b in dicts(bids.get("details")) if text(b.get("status")) not in PLACED]
    if placed:
        keys: set[str] = set()
        for n, bid in enumerate(placed):
            keys |= _parties(dicts(bid.get("tenderers"))) or {f"bid #{n}"}
        return len(keys)
    counts = [_count(s.get("value")) for s in dicts(bids.get("statistics"))
              if text(s.get("measure")) == "bids" and not s.get("relatedLot")]
    return max((c for c in counts if c is not None), default=None)


def reason(compiled: dict, clip: Clipper) -> str:
    """Why a solicitation was cancelled or ended with no award, when published: `tender.statusDetails`
    (unless it only repeats the status), else the description of its cancellation notice
    (a tender document of type cancellationDetails)."""
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    details = clip(tender.get("statusDetails"))
    if details and details.casefold() != text(tender.get("status")).casefold():
        return details
    notices = (clip(d.get("description")) for d in dicts(tender.get("documents"))
               if text(d.get("documentType")) == "cancellationDetails")
    return next((n for n in notices if n), "")


@dataclass(frozen=True)
class Distinction:
    """What tells a process from another of the same title on a list: its lots' titles (the first
    LOTS_SHOWN, and how many more), when no other of that title has the same; else its reference."""

    lots: tuple[str, ...] = ()
    more: int = 0
    reference: str = ""


def told_apart(processes: tuple[Process, ...]) -> dict[str, Distinction]:
    """A Distinction for each process (by ocid) that shares its title with another of `processes`
    (compared ignoring case and spacing); processes without a title of their own are named after
    their ocid and never share one."""
    same: dict[str, list[Process]] = defaultdict(list)
    for p in processes:
        if not p.name.generated:
            same[" ".join(p.name.text.casefold().split())].append(p)
    found = {}
    for title, group in same.items():
        if len(group) < 2:
            continue
        lots = {p.ocid: tuple(lot.title for lot in p.lots
                              if lot.title and lot.title != lot.id and " ".join(lot.title.casefold().split()) != title)
                for p in group}
        for p in group:
            own = lots[p.ocid]
            unique = own and sum(1 for other in group if lots[other.ocid] == own) == 1
            found[p.ocid] = (Distinction(own[:LOTS_SHOWN], max(len(own) - LOTS_SHOWN, 0)) if unique
                             else Distinction(reference=p.ocid))
    return found
