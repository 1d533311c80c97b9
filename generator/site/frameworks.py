"""The city's framework agreements and pools as their pages show them: the firms on them, the
ceiling, the period and when it ends, who else may use them and the orders made so far. Pure.

An agreement is a process that sets up a framework (Process.framework). Its suppliers are its
active awards' suppliers; its ceiling (buying.ceiling_of) is "up to", never money spent; its orders are the processes the data links to it as
call-offs (site.relations), each with what it was awarded (money spent) and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.labels import LABELS
from generator.site import buying
from generator.site.agreements import FrameworkTerms
from generator.site.parties import OrgRef
from generator.site.process import AWARDED, CONTRACTED, Process
from generator.values import Money, sum_by_currency

DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Order:
    """A call-off under an agreement: what it was awarded (per currency) and when."""

    process: Process
    value: tuple[Money, ...]
    date: dt.datetime | None  # its first award's date, else when its contract was signed, else its notice
    competed: bool | None  # tender.competitive: whether the firms on the agreement competed for it


@dataclass(frozen=True)
class Agreement:
    process: Process
    terms: FrameworkTerms
    suppliers: tuple[OrgRef, ...]  # the firms on it (its active awards' suppliers), each once
    ceiling: Money | None  # the most it may be worth: never money spent
    start: dt.datetime | None
    end: dt.datetime | None  # its last day, extensions included when published
    months: int | None  # how long it runs, in whole months (for "for 2 years")
    orders: tuple[Order, ...]  # newest first
    ordered: tuple[Money, ...]  # the orders' value per currency
    in_force: bool  # awarded and not ended on the build's day
    criteria: str = ""  # how firms are chosen for it (awardCriteria), when the site can say it in words
    single: bool = False  # it is with one firm (a standing or standby contract), not a list of firms

    @property
    def open_to_others(self) -> bool:
        """Other buyers may order from it (frameworkAgreement.buyerCategories says who)."""
        return bool(self.terms.buyer_categories)

    @property
    def years(self) -> int | None:
        """Its length in whole years, when it is a whole number of years."""
        return self.months // 12 if self.months and self.months % 12 == 0 else None


def order_of(process: Process) -> Order:
    awards = [a for a in process.active_awards if not a.ceiling]
    dates = [a.date for a in awards if a.date] or [c.date_signed for c in process.contracts if c.date_signed]
    return Order(process, sum_by_currency(a.value for a in awards), min(dates) if dates else process.published,
                 process.competitive)


def agreement_of(process: Process, processes: dict[str, Process], today: dt.date) -> Agreement:
    terms = process.framework or FrameworkTerms()
    suppliers = tuple({s.key: s for a in process.active_awards for s in a.suppliers}.values())
    start = terms.period.start or process.contract_start
    planned = terms.period.max_extent or terms.period.end or process.contract_end
    # Its contracts may run longer than the period first planned (renewals): it lasts as long as they do.
    ends = [d for d in (planned, *(c.last_day for c in process.contracts if not c.ended)) if d]
    end = max(ends) if ends else None
    first = terms.period.end or process.contract_end
    days = terms.period.days or process.contract_days or ((first - start).days if start and first else None)
    orders = tuple(sorted((order_of(processes[n.ocid]) for n in process.relations.call_offs if n.ocid in processes),
                          key=lambda o: (-(o.date.timestamp()) if o.date else 0.0, o.process.ocid)))
    in_force = process.stage in (AWARDED, CONTRACTED) and (end is None or end.date() >= today)
    return Agreement(process, terms, suppliers, buying.ceiling_of(process), start, end,
                     round(days / DAYS_PER_MONTH) if days else None, orders,
                     sum_by_currency(m for o in orders for m in o.value), in_force,
                     process.award_criteria if process.award_criteria in LABELS["criteria_basis"] else "",
                     terms.maximum == 1 or (terms.maximum is None and terms.minimum in (None, 1) and len(suppliers) == 1))


def agreements(processes: dict[str, Process], today: dt.date) -> dict[str, Agreement]:
    """Every process that sets up a framework agreement, by ocid."""
    return {ocid: agreement_of(p, processes, today) for ocid, p in sorted(processes.items())
            if p.framework is not None}


def shared(found: dict[str, Agreement]) -> tuple[Agreement, ...]:
    """The agreements in force that other buyers may use, the soonest to end first (open-ended last)."""
    return tuple(sorted((a for a in found.values() if a.in_force and a.open_to_others),
                        key=lambda a: (a.end is None, a.end.timestamp() if a.end else 0.0, a.process.ocid)))
