"""How a process was bought, in one word that the process page, the lists and the spending figures
share; and the one rule for which awards count as money spent. Pure.

The ways, checked in this order (the first that applies):
- FRAMEWORK: it sets up a framework agreement or a pool of firms (tender.techniques.hasFrameworkAgreement).
  Its awards' values are ceilings, the most the agreement may be worth: never money spent.
- COOPERATIVE: an order under a contract another agency holds (a cooperative contract): linked by a
  `framework` relation that names it in another scheme than ocid, or by the ocid of a process that
  is not in the data and not the city's (another publisher's prefix).
- CALL_OFF: an order under one of the city's framework agreements.
- EMERGENCY: bought without competition for an emergency or public exigency: the one rule of
  site.emergency (the reason `emergency` in the city's 2 CFR 200.320 scheme, or a disaster
  declaration), which the city's `emergency` settings direct.
- else the procurement method code as published: open, selective, limited, direct ("" when none).

Orders under an agreement are money spent and counted as what they are; emergency purchases are
counted apart from the other purchases made without competition (limited and direct).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from generator.inputs.emergency_settings import EmergencySettings
from generator.site import emergency
from generator.site.process import Process
from generator.site.relations import Neighbour
from generator.values import Money

FRAMEWORK, COOPERATIVE, CALL_OFF, EMERGENCY = "framework", "cooperative", "call-off", "emergency"
OPEN, SELECTIVE, LIMITED, DIRECT = "open", "selective", "limited", "direct"  # procurementMethod codes
ORDERS = (COOPERATIVE, CALL_OFF)  # orders under an agreement: competed when the agreement was made
NON_COMPETITIVE = (LIMITED, DIRECT)  # without open competition, emergencies aside (counted on their own)

DEFAULT_EMERGENCY = EmergencySettings()


def held_elsewhere(agreement: Neighbour, prefixes: tuple[str, ...] = ()) -> bool:
    """Whether an agreement a process orders under is another agency's: named in another scheme
    than ocid, or by an ocid that is neither in the data nor one of the city's `prefixes`."""
    if agreement.in_data:
        return False
    if agreement.link.external:
        return True
    return not any(agreement.ocid.startswith(prefix + "-") or agreement.ocid == prefix for prefix in prefixes)


def way(process: Process, prefixes: tuple[str, ...] = (), settings: EmergencySettings = DEFAULT_EMERGENCY) -> str:
    """How `process` was bought (see the module's docstring); `prefixes` are the city's ocid prefixes,
    `settings` its emergency settings."""
    if process.framework is not None:
        return FRAMEWORK
    agreements = process.relations.agreements
    if agreements:
        return COOPERATIVE if any(held_elsewhere(a, prefixes) for a in agreements) else CALL_OFF
    if emergency.is_emergency(process, settings):
        return EMERGENCY
    return process.method


def with_ways(processes: dict[str, Process], prefixes: tuple[str, ...] = (),
              settings: EmergencySettings = DEFAULT_EMERGENCY) -> dict[str, Process]:
    """Give each process its way of buying (Process.buying); a framework's awards are marked as ceilings."""
    for ocid, p in processes.items():
        found = way(p, prefixes, settings)
        awards = tuple(replace(a, ceiling=True) for a in p.awards) if found == FRAMEWORK else p.awards
        processes[ocid] = replace(p, buying=found, awards=awards)
    return processes


def spending(rows: Iterable) -> tuple:
    """The award rows (awards.AwardRow) that count as money spent: every active award but a
    framework agreement's, whose value is a ceiling (orders under it are counted when placed)."""
    return tuple(r for r in rows if not r.award.ceiling)


def ceilings(rows: Iterable) -> tuple:
    """The award rows left out of spending: the awards of framework agreements, worth "up to"."""
    return tuple(r for r in rows if r.award.ceiling)


def ceiling_of(process: Process) -> Money | None:
    """The most a framework agreement may be worth: frameworkAgreement.value, else the tender's
    estimated value, else its largest award (awards of one agreement often each repeat the whole
    ceiling, so they are never added up)."""
    if process.framework is None:
        return None
    values = [a.value for a in process.active_awards if a.value]
    largest = max(values, key=lambda m: m.amount) if len({m.currency for m in values}) == 1 else None
    return process.framework.ceiling or process.value or largest
