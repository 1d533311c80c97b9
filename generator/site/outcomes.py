"""How a solicitation ended, as the past opportunities list shows it: how many businesses bid, and
why no award was made. Pure: compiled releases in, values out.

The number of bidders is one fact, read here and shown wherever the site counts bidders (a
process's page, the awards lists, the competition chart, the past list).
"""

from __future__ import annotations

from generator.site.texts import Clipper
from generator.values import dicts, text

NOT_PLACED = ("invited",)  # a bid of this status (bids extension) was asked for, not placed


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _parties(orgs: list[dict], where: str = "") -> set[str]:
    """Distinct organisations of a list, by identifier, else by name (one with neither counts once)."""
    return {text(o.get("id")) or text(o.get("name")) or f"{where}#{n}" for n, o in enumerate(orgs)}


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
    placed = [b for b in dicts(bids.get("details")) if text(b.get("status")) not in NOT_PLACED]
    if placed:
        keys: set[str] = set()
        for n, bid in enumerate(placed):
            keys |= _parties(dicts(bid.get("tenderers")), f"bid {n}") or {f"bid {n}"}
        return len(keys)
    counts = [_count(s.get("value")) for s in dicts(bids.get("statistics"))
              if text(s.get("measure")) == "bids" and not s.get("relatedLot")]
    return max((c for c in counts if c is not None), default=None)


# Documents whose description says why a solicitation ended as it did, by tender status: a
# cancellation notice; and, when every bid was rejected, the evaluation report that says why.
REASON_DOCUMENTS = {"cancelled": ("cancellationDetails",),
                    "unsuccessful": ("cancellationDetails", "evaluationReports")}


def reason(compiled: dict, clip: Clipper) -> str:
    """Why a solicitation was cancelled or ended with no award, when published: `tender.statusDetails`
    (unless it only repeats the status), else the description of the latest document that says
    why (REASON_DOCUMENTS, in that order)."""
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    status = text(tender.get("status"))
    details = clip(tender.get("statusDetails"))
    if details and details.casefold() != status.casefold():
        return details
    documents = dicts(tender.get("documents"))
    for kind in REASON_DOCUMENTS.get("unsuccessful" if status == "withdrawn" else status, ()):
        said = [clip(d.get("description")) for d in documents if text(d.get("documentType")) == kind]
        if said := [x for x in said if x]:
            return said[-1]
    return ""
