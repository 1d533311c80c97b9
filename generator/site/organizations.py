"""Departments and suppliers across processes: each with its processes, its awards, the value
awarded and the breakdown its page shows (a statistics.Profile). Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.site import buying, statistics
from generator.site.awards import AwardRow, newest_first
from generator.site.parties import Contact, city_key, contact_of, org_key
from generator.site.process import OPEN, Process
from generator.site.texts import TITLE_CHARS, cut
from generator.values import Money, listed, sum_by_currency, text

HOME_LIST = 10  # rows in each short list (a home page's, a department's open bids)


@dataclass(frozen=True)
class Organization:
    key: str
    name: str
    path: str
    roles: tuple[str, ...]
    scale: str
    certifications: tuple[str, ...]
    contact: Contact
    processes: tuple[Process, ...]
    awards: tuple[AwardRow, ...]
    totals: tuple[Money, ...]  # the value of `awards` per currency, never mixed; money spent only (buying.spending)
    open_bids: tuple[Process, ...] = ()  # a department's bids open now, soonest deadline first
    profile: statistics.Profile | None = None  # its awards by year, department, category, supplier
    certification_ids: tuple[str, ...] = ()  # the ids of its details.classifications (a certification's code)

    @property
    def first_open_bids(self) -> tuple[Process, ...]:
        """The soonest-closing of a department's open bids, for its page (the rest are a link away)."""
        return self.open_bids[:HOME_LIST]


def deadline_order(process: Process):
    return (process.deadline is None, process.deadline.timestamp() if process.deadline else 0.0, process.ocid)


def organizations(records, processes: dict[str, Process], awards: tuple[AwardRow, ...], paths: Mapping[str, Callable],
                  currency: str) -> dict[str, tuple[Organization, ...]]:
    """For each role of `paths` (role → the path of its organisations' pages), the organisations
    with that role in any process, keyed city-wide (see `parties.city_key`); name and details come
    from the process updated most recently. `awards` are the site's award rows. Each compiled
    release is read once, for every role."""
    latest: dict[str, dict[str, tuple[tuple, dict]]] = {role: {} for role in paths}
    involved: dict[str, dict[str, list[Process]]] = {role: defaultdict(list) for role in paths}
    for record in records:
        process = processes[record.ocid]
        when = (process.last_updated.timestamp() if process.last_updated else 0.0, process.ocid)
        for party in listed(record.compiled.get("parties")):
            if not isinstance(party, dict) or not org_key(party):
                continue
            for role in paths:
                if role in listed(party.get("roles")):
                    key = city_key(party)
                    if key not in latest[role] or when >= latest[role][key][0]:
                        latest[role][key] = (when, party)
                    involved[role][key].append(process)
    return {role: _with_role(role, latest[role], involved[role], awards, path_of, currency)
            for role, path_of in paths.items()}


def _with_role(role: str, latest: dict[str, tuple[tuple, dict]], involved: dict[str, list[Process]],
               awards: tuple[AwardRow, ...], path_of, currency: str) -> tuple[Organization, ...]:
    award_rows: dict[str, list[AwardRow]] = defaultdict(list)
    for row in awards:
        keys = [s.key for s in row.award.suppliers] if role == "supplier" else (
            [row.process.buyer.key] if row.process.buyer else [])
        for key in dict.fromkeys(keys):
            award_rows[key].append(row)
    profile_of = statistics.supplier_profile if role == "supplier" else statistics.department_profile
    orgs = []
    for key in sorted(latest, key=lambda k: (text(latest[k][1].get("name")).lower(), k)):
        party = latest[key][1]
        details = party.get("details") if isinstance(party.get("details"), dict) else {}
        certifications = tuple(
            cut(text(c.get("description")) or text(c.get("id")), TITLE_CHARS)[0]
            for c in listed(details.get("classifications")) if isinstance(c, dict) and (c.get("description") or c.get("id")))
        rows = tuple(sorted(award_rows[key], key=newest_first))
        mine = tuple(sorted(involved[key], key=lambda p: p.ocid))
        orgs.append(Organization(
            key=key, name=cut(text(party.get("name")) or key, TITLE_CHARS)[0], path=path_of(key),
            roles=tuple(sorted({text(r) for r in listed(party.get("roles")) if text(r)})),
            scale=text(details.get("scale")), certifications=certifications, contact=contact_of(party),
            processes=mine, awards=rows, totals=sum_by_currency(r.value for r in buying.spending(rows)),
            open_bids=tuple(sorted((p for p in mine if p.stage == OPEN), key=deadline_order)) if role == "buyer" else (),
            profile=profile_of(rows, currency),
            certification_ids=tuple(text(c.get("id")) for c in listed(details.get("classifications"))
                                    if isinstance(c, dict) and text(c.get("id")))))
    return tuple(orgs)
