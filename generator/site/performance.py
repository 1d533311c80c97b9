"""Procurement performance, for the city's leadership: how long each stage of buying takes, how much
competition purchases draw, how many small, certified and new businesses win, where the money
concentrates and how awards compare with estimates (those two in site.value_measures). Pure: processes and
award rows in, frozen values out.

The same definitions as the spending page (site.statistics): only money spent is counted (framework
agreements' ceilings are not), competition is measured over open and selective procedures only, and
amounts in different currencies are never added. Every figure counts what it could not use.

Cycle times are measured per stage, each from the dates the data publishes:
- planning → notice: Process.planning_start (pre-procurement milestones, planning releases) to the notice;
- notice → deadline: the notice (Process.published) to the submission deadline;
- deadline → award: the deadline to the award's date (the process's first active award);
- award → signature: an award's date to the signature of its contract (per contract);
- end to end: the notice to the first contract's signature.
A stage is grouped by the year it ended in. Dates out of order (a negative number of days) are not
counted but counted apart: they are a data problem, not a fast stage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator.inputs.performance_settings import PerformanceSettings
from generator.inputs.settings import CertificationProgram
from generator.site import buying
from generator.site.awards import AwardRow
from generator.site.process import Process
from generator.site.statistics import (
    COMPETITIVE,
    Competition,
    Group,
    Share,
    Spread,
    SupplierFacts,
    competition,
    currencies_of,
    grouped,
    scale_verdict,
    share,
    spread,
    totals,
)
from generator.site.value_measures import (
    CategorySuppliers,
    Concentration,
    Savings,
    category_suppliers,
    concentration,
    department_of,
    savings,
)

PLANNING, NOTICE, EVALUATION, SIGNATURE, END_TO_END = "planning", "notice", "evaluation", "signature", "end-to-end"
STAGES = (PLANNING, NOTICE, EVALUATION, SIGNATURE, END_TO_END)
BELOW_THRESHOLD = "below-threshold"  # a purchase without competition at or under the small-purchase limit
MICRO_PURCHASE = "micro-purchase"  # the rationale id (2 CFR 200.320(a)(1)) that says the same


@dataclass(frozen=True)
class Lap:
    """One stage measured on one process: its days and the day it ended."""

    stage: str
    days: int
    ended: dt.datetime
    process: Process


@dataclass(frozen=True)
class StageSpread:
    stage: str
    spread: Spread  # over the laps counted; spread.missing: processes where the stage applies without dates
    out_of_order: int = 0  # laps with dates in the wrong order: not counted


@dataclass(frozen=True)
class CycleGroup:
    """The median days of each stage (STAGES order; None when nothing was counted) in one group."""

    key: str
    name: str
    path: str
    medians: tuple[Decimal | None, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Cycle:
    stages: tuple[StageSpread, ...]
    by_year: tuple[CycleGroup, ...]
    by_way: tuple[CycleGroup, ...]
    by_department: tuple[CycleGroup, ...]


@dataclass(frozen=True)
class CompetitionGroup:
    key: str
    name: str
    path: str
    competition: Competition


@dataclass(frozen=True)
class DiversityGroup:
    key: str
    name: str
    path: str
    small: Share
    programs: tuple[Share, ...]  # one per certification program, in the settings' order


@dataclass(frozen=True)
class NewWinners:
    year: str
    winners: int  # distinct suppliers with an award dated that year
    first_time: int  # of those, how many never won before (in the data)
    first_year: bool = False  # the first year the data covers: every winner is new to the data


@dataclass(frozen=True)
class Performance:
    currencies: tuple[str, ...]
    cycle: Cycle
    competition: Competition
    competition_by_department: tuple[CompetitionGroup, ...]
    competition_by_category: tuple[CompetitionGroup, ...]  # by mainProcurementCategory (goods, works, services)
    competition_by_year: tuple[CompetitionGroup, ...]
    without_competition: tuple[Group, ...]  # awards bought without open or selective competition, by reason
    programs: tuple[CertificationProgram, ...]
    diversity: DiversityGroup  # every award
    diversity_by_department: tuple[DiversityGroup, ...]
    diversity_by_year: tuple[DiversityGroup, ...]
    new_winners: tuple[NewWinners, ...]  # oldest year first
    undated_winners: int  # suppliers whose awards are all undated: not counted by year
    concentration: Concentration | None  # None when no award has a value
    category_suppliers: tuple[CategorySuppliers, ...]
    savings: Savings


def _days(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    return (end.date() - start.date()).days if start and end else None


def _first_award(process: Process):
    dated = [a for a in process.active_awards if a.date]
    return min(dated, key=lambda a: a.date) if dated else None


def laps(processes: Iterable[Process]) -> tuple[list[Lap], dict[str, int], dict[str, int]]:
    """Every stage measured, and per stage the processes it applies to that lack a date, and the
    laps whose dates are out of order."""
    found: list[Lap] = []
    missing: dict[str, int] = defaultdict(int)
    wrong: dict[str, int] = defaultdict(int)

    def lap(stage, start, end, process):
        days = _days(start, end)
        if days is None:
            missing[stage] += 1
        elif days < 0:
            wrong[stage] += 1
        else:
            found.append(Lap(stage, days, end, process))

    for p in processes:
        notice = p.published if p.had_tender else None
        first = _first_award(p)
        if p.had_tender:
            lap(PLANNING, p.planning_start, notice, p)
            lap(NOTICE, notice, p.deadline, p)
        if p.active_awards and p.had_tender:
            lap(EVALUATION, p.deadline, first.date if first else None, p)
        dates = {a.id: a.date for a in p.active_awards}
        signed = [c for c in p.contracts if c.award_id in dates]
        for c in signed:
            lap(SIGNATURE, dates[c.award_id], c.date_signed, p)
        if signed and p.had_tender:
            lap(END_TO_END, notice, min((c.date_signed for c in signed if c.date_signed), default=None), p)
    return found, missing, wrong


def _cycle_groups(found: list[Lap], key_of: Callable[[Lap], tuple[str, str, str]], order) -> tuple[CycleGroup, ...]:
    days: dict[tuple[str, str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for lap in found:
        days[key_of(lap)][lap.stage].append(lap.days)
    groups = [CycleGroup(k, name, path, tuple(spread(d[s], 0).median for s in STAGES), tuple(len(d[s]) for s in STAGES))
              for (k, name, path), d in days.items()]
    return tuple(sorted(groups, key=order))


def _slowest_first(g: CycleGroup):
    """The groups whose end-to-end median is longest first; those without one last."""
    end = g.medians[STAGES.index(END_TO_END)]
    return (end is None, -(end or 0), g.name.lower(), g.key)


def cycle(processes: Iterable[Process]) -> Cycle:
    found, missing, wrong = laps(processes)
    stages = tuple(StageSpread(s, spread([x.days for x in found if x.stage == s], missing[s]), wrong[s]) for s in STAGES)
    return Cycle(
        stages,
        by_year=_cycle_groups(found, lambda x: (str(x.ended.year), str(x.ended.year), ""), lambda g: g.key),
        by_way=_cycle_groups(found, lambda x: (x.process.buying, "", ""), _slowest_first),
        by_department=_cycle_groups(found, lambda x: department_of(x.process), _slowest_first),
    )


def _competition_groups(rows, key_of) -> tuple[CompetitionGroup, ...]:
    by_key: dict[tuple[str, str, str], list[AwardRow]] = defaultdict(list)
    for r in rows:
        by_key[key_of(r)].append(r)
    found = (CompetitionGroup(k, n, path, competition(rs)) for (k, n, path), rs in by_key.items())
    return tuple(g for g in found if g.competition.with_count + g.competition.missing)  # some competed


def reason(process: Process, rows: list[AwardRow], settings: PerformanceSettings) -> str:
    """Why a purchase had no open or selective competition: its way of buying (emergency, cooperative,
    call-off, limited, direct, or "" when not said), or below the threshold: a limited or sole-source
    purchase whose rationale says micro-purchase, or whose awards are all worth at most the small-purchase
    limit (in the site's currency)."""
    if process.buying not in buying.NON_COMPETITIVE:
        return process.buying
    if any(r.id == MICRO_PURCHASE for r in process.rationales):
        return BELOW_THRESHOLD
    limit = settings.small_purchase_limit
    values = [r.value for r in rows]
    if limit is not None and values and all(v is not None for v in values) and len({v.currency for v in values}) == 1:
        if sum(v.amount for v in values) <= limit:
            return BELOW_THRESHOLD
    return process.buying


def holds(program: CertificationProgram, facts: SupplierFacts, ids: tuple[str, ...]) -> bool:
    """Whether a supplier holds `program`: one of its classification ids is the program's, or one of its
    certifications is written as the program's abbreviation or name."""
    names = (program.abbreviation.casefold(), program.name.casefold())
    return any(i in program.ids for i in ids) or any(c.casefold() in names for c in facts.certifications)


def _verdicts(rows, facts, ids, programs) -> dict[int, tuple]:
    """Each row's verdicts, by its id(): whether its suppliers are all small (statistics.scale_verdict)
    and hold each of `programs` (None when a supplier is not described). Judged once for the site and
    each of its groupings, and each supplier's programs once for all its rows."""
    held: dict[str, tuple[bool, ...]] = {}
    judged: dict[int, tuple] = {}
    for row in rows:
        suppliers = [s.key for s in row.award.suppliers]
        programs_held = None
        if suppliers and all(k in facts for k in suppliers):
            for k in suppliers:
                if k not in held:
                    held[k] = tuple(holds(p, facts[k], ids.get(k, ())) for p in programs)
            programs_held = tuple(all(held[k][n] for k in suppliers) for n in range(len(programs)))
        judged[id(row)] = (scale_verdict(row, facts, small=True), programs_held)
    return judged


def _diversity(key, name, path, rows, judged: dict[int, tuple], programs) -> DiversityGroup:
    """The group's shares (statistics.share): the rows whose suppliers are all described are known
    for every program alike, so they are totalled once."""
    described = [r for r in rows if judged[id(r)][1] is not None]
    known, unknown = totals(described), len(rows) - len(described)
    return DiversityGroup(key, name, path, share(rows, lambda r: judged[id(r)][0]),
                          tuple(Share(totals(r for r in described if judged[id(r)][1][n]), known, unknown)
                                for n in range(len(programs))))


def _diversity_groups(rows, key_of, judged: dict[int, tuple], programs) -> tuple[DiversityGroup, ...]:
    by_key: dict[tuple[str, str, str], list[AwardRow]] = defaultdict(list)
    for r in rows:
        by_key[key_of(r)].append(r)
    return tuple(_diversity(k, n, path, rs, judged, programs) for (k, n, path), rs in by_key.items())


def new_winners(rows: Iterable[AwardRow]) -> tuple[tuple[NewWinners, ...], int]:
    """Per year, the suppliers that won and those winning for the first time in the data; and how
    many suppliers have only undated awards."""
    years: dict[str, set[str]] = defaultdict(set)
    every: set[str] = set()
    for r in rows:
        for s in r.award.suppliers:
            every.add(s.key)
            if r.year:
                years[r.year].add(s.key)
    first: dict[str, str] = {}
    for year in sorted(years):
        for key in years[year]:
            first.setdefault(key, year)
    ordered = sorted(years)
    found = tuple(NewWinners(y, len(years[y]), sum(1 for k in years[y] if first[k] == y), y == ordered[0])
                  for y in ordered)
    return found, len(every - set(first))


def build(processes: Iterable[Process], awards: tuple[AwardRow, ...], facts: dict[str, SupplierFacts],
          ids: dict[str, tuple[str, ...]], programs: tuple[CertificationProgram, ...], settings: PerformanceSettings,
          default_currency: str) -> Performance:
    """`awards` are the site's award rows; `facts` and `ids` the suppliers' sizes, certifications and
    classification ids by key; `programs` the city's certification programs."""
    rows = list(buying.spending(awards))
    currencies = currencies_of(rows)
    main = currencies[0] if currencies else default_currency
    by_process: dict[str, list[AwardRow]] = defaultdict(list)
    for r in rows:
        by_process[r.process.ocid].append(r)
    without = [r for r in rows if r.process.buying not in COMPETITIVE]
    reasons = {ocid: reason(rs[0].process, rs, settings) for ocid, rs in by_process.items()}
    without_groups = grouped(without, lambda r: reasons[r.process.ocid])
    winners, undated = new_winners(awards)
    department = lambda r: department_of(r.process)  # noqa: E731
    judged = _verdicts(rows, facts, ids, programs)
    return Performance(
        currencies=currencies,
        cycle=cycle(processes),
        competition=competition(rows),
        competition_by_department=tuple(sorted(_competition_groups(rows, department),
                                               key=lambda g: (g.key == "", g.name.lower(), g.key))),
        competition_by_category=tuple(sorted(_competition_groups(rows, lambda r: (r.process.main_category, "", "")),
                                             key=lambda g: (g.key == "", g.key))),
        competition_by_year=tuple(sorted(_competition_groups(rows, lambda r: (r.year, r.year, "")),
                                         key=lambda g: (g.key == "", g.key))),
        without_competition=tuple(sorted(without_groups, key=lambda g: (-g.totals.count, g.key))),
        programs=programs,
        diversity=_diversity("", "", "", rows, judged, programs),
        diversity_by_department=tuple(sorted(_diversity_groups(rows, department, judged, programs),
                                             key=lambda g: (g.key == "", g.name.lower(), g.key))),
        diversity_by_year=tuple(sorted(_diversity_groups(rows, lambda r: (r.year, r.year, ""), judged, programs),
                                       key=lambda g: (g.key == "", g.key))),
        new_winners=winners,
        undated_winners=undated,
        concentration=concentration(rows, main),
        category_suppliers=category_suppliers(rows),
        savings=savings(rows, main),
    )

