"""The whole view model: compiled records → `Site`, computed once; templates and producers only format it.

Every status, total, list, profile and statistic a page shows is here, where it is tested. Pure: no
files, no clock ("today" comes in).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import attrgetter
from typing import ClassVar
from zoneinfo import ZoneInfo

from generator import routes
from generator.context import city_midnight
from generator.errors import Problem
from generator.inputs.settings import Settings
from generator.labels import N_
from generator.records import ChunkCache, CompiledRecord
from generator.site import (
    award_lists,
    coverage,
    emergency,
    flags,
    frameworks,
    holders,
    opportunity_lists,
    performance,
    radar,
    readiness,
    relations,
    statistics,
    words,
)
from generator.site.awards import AwardRow, award_rows
from generator.site.buying import with_ways
from generator.site.guides import Guide
from generator.site.organizations import HOME_LIST, Organization, deadline_order, organizations
from generator.site.process import CLOSING_SOON_DAYS, FORECAST, LAPSED, NEW_DAYS, OPEN, STAGES, Process, build_process
from generator.values import Money

NOTED_LISTED = 50  # processes with data-quality notes named on the data-quality page; the rest are counted


@dataclass(frozen=True)
class KeyNumbers:
    open: int
    closing_soon: int
    forecasts: int
    processes: int
    awards: int
    awarded: tuple[Money, ...]  # money spent: framework agreements' ceilings left out (buying.spending)
    suppliers: int
    buyers: int
    lapsed: int = 0  # forecasts no longer current (process.lapsed): never counted as coming up


@dataclass(frozen=True)
class CheckCount:
    code: str
    severity: str
    count: int
    example: str  # the first problem's message


@dataclass(frozen=True)
class Site:
    settings: Settings
    today: dt.date
    processes: tuple[Process, ...]  # sorted by ocid
    opportunities: tuple[Process, ...]  # forecasts and open bids, by deadline
    open_now: tuple[Process, ...]
    closing_soon: tuple[Process, ...]
    open_later: tuple[Process, ...]  # open, closing after the next 7 days
    home_open_later: tuple[Process, ...]  # the first of those, for the home page
    home_closing_soon: tuple[Process, ...]  # the first bids closing soon, for the home page
    forecasts: tuple[Process, ...]
    lapsed: tuple[Process, ...]  # forecasts no longer current, latest planned date first (also in the past list)
    awards: tuple[AwardRow, ...]  # newest first
    recent_awards: tuple[AwardRow, ...]  # the newest, for the home page
    suppliers: tuple[Organization, ...]
    buyers: tuple[Organization, ...]
    guides: tuple[Guide, ...]  # in the site's first language
    numbers: KeyNumbers
    stage_counts: dict[str, int] = field(default_factory=dict)
    checks: tuple[CheckCount, ...] = ()  # problems found in the data, by check
    note_counts: tuple[tuple[str, int], ...] = ()  # processes with each completeness note
    published_with_notes: tuple[Process, ...] = ()  # processes whose pages carry data-quality notes
    left_out: tuple[str, ...] = ()  # ocids not published: a problem kept them off (checking.policy)
    lists: opportunity_lists.Opportunities | None = None  # filtered and sorted opportunity lists, past ones
    award_lists: award_lists.AwardLists | None = None  # filtered and sorted award lists
    dashboard: statistics.Dashboard | None = None  # where the money goes (the spending page)
    # The rules of "closing soon" and "new", which static/opportunities.js applies from the visitor's clock.
    closing_soon_days: ClassVar[int] = CLOSING_SOON_DAYS
    new_days: ClassVar[int] = NEW_DAYS

    terms: tuple[words.Term, ...] = ()  # abbreviations pages explain, listed in the glossary guide
    radar: radar.Radar | None = None  # contracts ending within the next 18 months (site.radar)
    agreements: dict[str, frameworks.Agreement] = field(default_factory=dict)  # framework agreements, by ocid
    shared_agreements: tuple[frameworks.Agreement, ...] = ()  # those in force that other buyers may use
    readiness: readiness.Readiness | None = None  # standby contracts against the next storm season
    performance: performance.Performance | None = None  # the leadership's performance page
    flags: tuple[flags.Flag, ...] = ()  # every red flag raised (site.flags), kind by kind, in list order
    flag_kinds: tuple[flags.Kind, ...] = ()  # each kind of red flag: its flags and how many processes were checked
    guide_translations: tuple[Guide, ...] = ()  # guides written in the site's other languages (content/<lang>/)
    coverage: coverage.Coverage | None = None  # which fields the performance figures need are published (site.coverage)

    def program(self, goal):
        """The city's certification program a goal names (site.yml), or None."""
        return words.program_of(goal, self.settings.certification_programs)

    def submit_links(self, process: Process) -> tuple[str, ...]:
        """Where to submit a bid online: the notice's web addresses, else the city's e-bidding system."""
        return words.submit_links(process.submit_urls, process.submission_methods,
                                  process.terms.electronic if process.terms else "", self.settings.bid_submission_url)

    def agreement(self, process: Process) -> frameworks.Agreement | None:
        """The framework agreement `process` sets up, as its page shows it; None when it sets up none."""
        return self.agreements.get(process.ocid)

    @property
    def noted_listed(self) -> tuple[Process, ...]:
        """The first processes published with data-quality notes, listed on the data-quality page."""
        return self.published_with_notes[:NOTED_LISTED]

    @property
    def midnight(self) -> dt.datetime:
        """The start of the build's day in the city's time zone."""
        return city_midnight(self.today, self.settings.timezone)


def build_site(records: list[CompiledRecord], settings: Settings, today: dt.date, guides: tuple[Guide, ...],
               checks: tuple[CheckCount, ...] = (), left_out: tuple[str, ...] = (),
               notes: Mapping[str, tuple[Problem, ...]] | None = None,
               scheme_titles: Mapping[str, str] | None = None, views: ChunkCache | None = None,
               as_kept: bool = False) -> Site:
    """`notes`: each process's data-quality notes (checking.policy.notes_by_process);
    `scheme_titles`: the classification schemes' titles (the OCDS codelist), for the glossary;
    `views`, `as_kept`: see `process_views`."""
    tz = ZoneInfo(settings.timezone)
    languages = settings.languages or ("en",)
    processes = process_views(records, lambda r: build_process(r, today, tz, settings.certification_schemes, languages),
                              views, as_kept)
    for ocid, found in (notes or {}).items():
        if ocid in processes:
            processes[ocid] = replace(processes[ocid], quality=found)
    processes = holders.with_incumbents(with_ways(with_relations(processes), settings.ocid_prefixes, settings.emergency))
    processes = emergency.with_facts(processes, settings.emergency, settings.currency)
    flag_kinds = flags.find(processes, settings.performance.flags)
    processes = flags.with_flags(processes, flag_kinds)
    ordered = tuple(processes[o] for o in sorted(processes))
    open_now = tuple(sorted((p for p in ordered if p.stage == OPEN), key=deadline_order))
    forecasts = tuple(sorted((p for p in ordered if p.stage == FORECAST), key=deadline_order))
    opportunities = tuple(sorted(open_now + forecasts, key=deadline_order))
    lists = opportunity_lists.build(opportunities, ordered, settings.currency)
    lapsed = tuple(p for p in lists.past if p.stage == LAPSED)
    awards = award_rows(ordered, settings.currency)
    orgs = organizations(records, processes, awards, {"supplier": routes.supplier_path, "buyer": routes.buyer_path},
                         settings.currency)
    suppliers, buyers = orgs["supplier"], orgs["buyer"]
    counts = Counter(p.stage for p in ordered)
    facts = {o.key: statistics.SupplierFacts(o.scale, o.certifications) for o in suppliers}
    dashboard = statistics.dashboard(awards, facts, settings.currency)
    agreements = frameworks.agreements(processes, today)
    closing = tuple(p for p in open_now if p.closing_soon)
    open_later = tuple(p for p in open_now if not p.closing_soon)
    return Site(
        settings=settings, today=today, processes=ordered,
        opportunities=opportunities,
        lists=lists,
        open_now=open_now, closing_soon=closing, open_later=open_later, home_open_later=open_later[:HOME_LIST],
        home_closing_soon=closing[:HOME_LIST],
        forecasts=forecasts, lapsed=lapsed, awards=awards, recent_awards=awards[:HOME_LIST],
        award_lists=award_lists.build(awards, settings.currency),
        suppliers=suppliers, buyers=buyers,
        guides=tuple(sorted(with_glossary(tuple(g for g in guides if not g.language)), key=lambda g: (g.order, g.title))),
        guide_translations=tuple(g for g in guides if g.language),
        terms=words.terms(settings, (c.scheme for p in ordered for c in p.categories), scheme_titles or {}),
        numbers=KeyNumbers(open=len(open_now), closing_soon=len(closing), forecasts=len(forecasts),
                           processes=len(ordered), awards=len(awards), lapsed=len(lapsed),
                           awarded=dashboard.total.value,
                           suppliers=len(suppliers), buyers=len(buyers)),
        stage_counts={stage: counts.get(stage, 0) for stage in STAGES},
        checks=checks,
        note_counts=tuple(sorted(Counter(n for p in ordered for n in p.notes).items())),
        published_with_notes=tuple(p for p in ordered if p.quality),
        left_out=left_out,
        dashboard=dashboard,
        agreements=agreements,
        shared_agreements=frameworks.shared(agreements),
        radar=radar.build(ordered, today),
        readiness=readiness.build(processes, settings.emergency, settings.currency, today,
                                  tuple(g.path for g in guides if not g.language)),
        performance=performance.build(ordered, awards, facts, {o.key: o.certification_ids for o in suppliers},
                                      settings.certification_programs, settings.performance, settings.currency),
        flags=flags.every_flag(flag_kinds), flag_kinds=flag_kinds,
        coverage=coverage.build(ordered, facts),
    )


def with_relations(processes: dict[str, Process]) -> dict[str, Process]:
    """Give each process its relations to the others, in both directions (site.relations)."""
    for ocid, found in relations.graph(processes).items():
        processes[ocid] = replace(processes[ocid], relations=found)
    return processes


def with_glossary(guides: tuple[Guide, ...]) -> tuple[Guide, ...]:
    """The guides, with a glossary (where the site lists its terms) when the city wrote none."""
    if any(g.name == words.GLOSSARY for g in guides):
        return guides
    return (*guides, Guide(words.GLOSSARY, routes.guide_path(words.GLOSSARY), N_("Glossary"),
                           N_("What the abbreviations on this site stand for."), 100, ""))


def process_views(records: list[CompiledRecord], make: Callable[[CompiledRecord], Process],
                  views: ChunkCache | None = None, as_kept: bool = False) -> dict[str, Process]:
    """Each record's view (`make`), by ocid. With `views`, those of the records compiled in one
    chunk (CompiledRecord.made_from) are kept together under the chunk's key and `views.salt`
    (what else decides them), and taken from there while the chunk is the same. `as_kept`: use
    the views made here as they will be read back (unpickled), for a page's digest tells an object
    shared from an equal copy and an unpickled string from the interned one (a build that keeps
    its pages' digests does, so that the next one, reading them back, finds the same)."""
    made: dict[str, Process] = {}
    for made_from, chunk in groupby(records, key=attrgetter("made_from")):
        chunk = list(chunk)
        key = hashlib.blake2b(views.salt + made_from.encode(), digest_size=20).hexdigest() if (
            views is not None and made_from) else None
        kept = views.get(key) if key is not None else None
        if type(kept) is dict and all(type(kept.get(r.ocid)) is Process for r in chunk):
            made.update((v.ocid, v) for v in (kept[r.ocid] for r in chunk))  # keyed by the view's own ocid, as
            continue  # below: the key is the very string the view holds (and a digest of the dict tells)
        fresh = {r.ocid: make(r) for r in chunk}
        if key is not None:
            try:
                data = pickle.dumps(fresh, protocol=5)
            except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
                data = None
            if data is not None:
                views.put(key, data)
                if as_kept:
                    fresh = pickle.loads(data)
        made.update((v.ocid, v) for v in fresh.values())
    return made


def count_checks(problems) -> tuple[CheckCount, ...]:
    """Problems by check, errors first, then the most frequent."""
    counts: dict[tuple[str, str], list] = {}
    for p in problems:
        entry = counts.setdefault((p.code, p.severity.value), [0, p.message])
        entry[0] += 1
    return tuple(sorted((CheckCount(code, severity, n, example) for (code, severity), (n, example) in counts.items()),
                        key=lambda c: (c.severity != "error", -c.count, c.code)))
