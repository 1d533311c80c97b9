"""Field coverage: for each field a procurement performance figure reads, the processes it applies to
and how many of them publish it, so staff see which missing data hides which figure. Pure.

Measured on the view model, never on raw JSON paths: a field is published when the value the figure
reads is there (the number of bidders is Process.number_of_tenderers, which outcomes.bidders reads
from several fields; an award's value is its value now, after amendments; a supplier's size is the
party's partyScale as the supplier's page knows it). So a share here is the share of processes a
figure can count.

A field that awards, contracts or suppliers carry is published by a process when every one of them
it applies to has it: otherwise some of its awards drop out of the figure. Each field applies only
where the figure needs it: the number of bidders to awarded open or selective procedures (a direct
award has one supplier by design); the submission period to open or selective procedures that had a
tender; the signature date to contracts that should be signed (not pending, not cancelled before
signature).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from generator.labels import N_
from generator.site import statistics
from generator.site.contracts import Award, Contract
from generator.site.process import Process

# The performance page's figures, by the id of their section (the page's anchors).
CYCLE_TIMES, COMPETITION, NON_COMPETITIVE, DIVERSITY = "cycle-times", "competition", "non-competitive", "diversity"
FIRST_TIME, CONCENTRATION, SAVINGS, FLAGS = "first-time-winners", "concentration", "savings", "flags"
FIGURES = {
    CYCLE_TIMES: N_("Cycle times"),
    COMPETITION: N_("Competition"),
    NON_COMPETITIVE: N_("Purchases without competition"),
    DIVERSITY: N_("Vendor diversity"),
    FIRST_TIME: N_("First-time winners"),
    CONCENTRATION: N_("Concentration"),
    SAVINGS: N_("Savings"),
    FLAGS: N_("Red flags"),
}

UNSIGNED = ("pending", "cancelled")  # contract statuses before signature (OCDS contractStatus)


@dataclass(frozen=True)
class Field:
    """How many of the processes a field applies to publish it."""

    key: str
    name: str  # a gettext message id (N_)
    paths: tuple[str, ...]  # where OCDS publishes it (the first the usual one), for the staff who publish the data
    note: str  # which of them, when it needs saying: a gettext message id, or ""
    figures: tuple[str, ...]  # the ids of the figures that need it (FIGURES)
    applies: int
    published: int

    @property
    def missing(self) -> int:
        return self.applies - self.published

    @property
    def percent(self) -> Decimal | None:
        """The share published, to one decimal; None when the field applies to no process."""
        return statistics.count_percent(self.published, self.applies)


@dataclass(frozen=True)
class Coverage:
    fields: tuple[Field, ...]  # least published first; fields that apply to no process last
    figure_names: ClassVar[dict[str, str]] = FIGURES

    @property
    def gaps(self) -> tuple[Field, ...]:
        """The fields some process they apply to leaves out."""
        return tuple(f for f in self.fields if f.missing)


Facts = Mapping[str, statistics.SupplierFacts]  # what is known of each supplier, by key


def tendered(p: Process) -> bool:
    return p.had_tender


def solicited(p: Process) -> bool:
    """Had a tender with a submission period by rule: an open or selective procedure."""
    return p.had_tender and p.buying in statistics.COMPETITIVE


def bought(p: Process) -> bool:
    """Past planning: it had a tender or it has an award."""
    return p.had_tender or bool(p.active_awards)


def awarded(p: Process) -> bool:
    return bool(p.active_awards)


def competed(p: Process) -> bool:
    """Awarded after an open or selective procedure: its bidder count measures competition."""
    return bool(p.active_awards) and p.buying in statistics.COMPETITIVE


def signable(p: Process) -> tuple[Contract, ...]:
    """Its contracts that should carry a signature date."""
    return tuple(c for c in p.contracts if c.status not in UNSIGNED)


def contracted(p: Process) -> bool:
    return bool(signable(p))


def every_award(has: Callable[[Award], bool]) -> Callable[[Process, Facts], bool]:
    return lambda p, facts: all(has(a) for a in p.active_awards)


def sized(award: Award, facts: Facts) -> bool:
    """Every supplier of the award is known and publishes its size."""
    known = [facts.get(s.key) for s in award.suppliers]
    return bool(known) and all(f is not None and f.scale for f in known)


def certified(p: Process, facts: Facts) -> bool:
    """A supplier of one of its awards lists a certification (one that lists none may hold none)."""
    return any((f := facts.get(s.key)) is not None and f.certifications
               for a in p.active_awards for s in a.suppliers)


@dataclass(frozen=True)
class Need:
    """A field a figure reads: where it applies and when a process publishes it."""

    key: str
    name: str
    paths: tuple[str, ...]
    note: str
    figures: tuple[str, ...]
    applies: Callable[[Process], bool]
    publishes: Callable[[Process, Facts], bool]


# In the order a process goes: planning, tender, award, contract, then who and what. Each with the
# OCDS paths that publish it (the first the usual one) and, when they need it, a word on which.
NEEDS = (
    Need("tender-status", N_("Tender status"), ("tender/status",), "", (CYCLE_TIMES,), bought,
         lambda p, facts: bool(p.tender_status)),
    Need("planning-start", N_("When planning began"), ("planning/milestones/dateMet", "planning/milestones/dueDate"),
         N_("of a milestone of type preProcurement; or the date of a release tagged planning"), (CYCLE_TIMES,),
         tendered, lambda p, facts: p.planning_start is not None),
    Need("notice-date", N_("Notice date"), ("date", "tender/tenderPeriod/startDate"),
         N_("the date of the first release tagged tender, else the start of the submission period"), (CYCLE_TIMES,),
         tendered, lambda p, facts: p.published is not None),
    Need("tender-opening", N_("Start of the submission period"), ("tender/tenderPeriod/startDate",), "", (FLAGS,),
         solicited, lambda p, facts: p.tender_start is not None),
    Need("deadline", N_("Submission deadline"), ("tender/tenderPeriod/endDate",), "", (CYCLE_TIMES, FLAGS), solicited,
         lambda p, facts: p.deadline is not None),
    Need("bidders", N_("Number of bidders"), ("tender/numberOfTenderers", "tender/tenderers", "bids/details"), "",
         (COMPETITION, FLAGS), competed, lambda p, facts: p.number_of_tenderers is not None),
    Need("method", N_("Procurement method"), ("tender/procurementMethod",), "",
         (CYCLE_TIMES, COMPETITION, NON_COMPETITIVE, FLAGS), bought, lambda p, facts: bool(p.buying)),
    Need("estimate", N_("Estimated value"), ("tender/value",), "", (SAVINGS,), awarded,
         lambda p, facts: p.value is not None),
    Need("award-date", N_("Award date"), ("awards/date",), "", (CYCLE_TIMES, DIVERSITY, FIRST_TIME), awarded,
         every_award(lambda a: a.date is not None)),
    Need("award-value", N_("Award value"), ("awards/value", "contracts/value"),
         N_("the contract's value, after amendments, when it publishes one"),
         (CONCENTRATION, SAVINGS, NON_COMPETITIVE, DIVERSITY, FLAGS), awarded,
         every_award(lambda a: a.value is not None)),
    Need("signature-date", N_("Signature date"), ("contracts/dateSigned",), "", (CYCLE_TIMES,), contracted,
         lambda p, facts: all(c.date_signed is not None for c in signable(p))),
    Need("buyer", N_("Buyer"), ("buyer", "tender/procuringEntity"), "", (CYCLE_TIMES, COMPETITION, DIVERSITY, FLAGS),
         bought, lambda p, facts: p.buyer is not None),
    Need("main-category", N_("Main category"), ("tender/mainProcurementCategory",), "", (COMPETITION,), bought,
         lambda p, facts: bool(p.main_category)),
    Need("classification", N_("Item classification"), ("tender/items/classification",), "",
         (CONCENTRATION,), bought, lambda p, facts: bool(p.categories)),
    Need("supplier", N_("Supplier"), ("awards/suppliers",), "", (CONCENTRATION, DIVERSITY, FIRST_TIME, FLAGS), awarded,
         every_award(lambda a: bool(a.suppliers))),
    Need("supplier-size", N_("Supplier size"), ("parties/details/scale",), "", (DIVERSITY,), awarded,
         lambda p, facts: all(sized(a, facts) for a in p.active_awards)),
    Need("certifications", N_("Supplier certifications"), ("parties/details/classifications",), "", (DIVERSITY,),
         awarded, certified),
)


def build(processes: tuple[Process, ...], facts: Facts) -> Coverage:
    """The coverage of every field of NEEDS over `processes`; `facts` are the suppliers' (by key)."""
    found = []
    for order, need in enumerate(NEEDS):
        where = [p for p in processes if need.applies(p)]
        found.append((order, Field(need.key, need.name, need.paths, need.note, need.figures, len(where),
                                   sum(1 for p in where if need.publishes(p, facts)))))
    found.sort(key=lambda o_f: (o_f[1].percent is None, o_f[1].percent or 0, o_f[0]))
    return Coverage(tuple(f for _, f in found))
