"""How lists group and order processes and awards: the method's name, value bands, largest first. Pure."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from generator.site.buying import ORDERS
from generator.values import Money

if TYPE_CHECKING:
    from generator.site.process import Process

# Value bands in the site's currency: (key, lowest amount included, highest amount excluded).
VALUE_BANDS = (("under-25000", None, 25_000), ("25000-100000", 25_000, 100_000),
               ("100000-1000000", 100_000, 1_000_000), ("over-1000000", 1_000_000, None))


def method_key(process: Process) -> str:
    """The city's own name for the method when it gives one (Invitation to Bid); else, for an order
    under an agreement, how it was bought (site.buying: "cooperative", "call-off"); else the code."""
    if process.method_details:
        return process.method_details
    return process.buying if process.buying in ORDERS else process.method


def band_of(value: Money | None, currency: str) -> str:
    """The VALUE_BANDS key of an amount in the site's currency ("" for none or another currency)."""
    if value is None or value.currency != currency:
        return ""
    return next(key for key, low, high in VALUE_BANDS
                if (low is None or value.amount >= low) and (high is None or value.amount < high))


def band_money(key: str, currency: str) -> tuple[Money | None, Money | None]:
    """The lowest amount a value band includes and the highest it excludes (None: no bound)."""
    low, high = next((low, high) for k, low, high in VALUE_BANDS if k == key)
    return tuple(Money(Decimal(x), currency) if x is not None else None for x in (low, high))


def largest_first(value: Money | None, currency: str) -> tuple:
    """Sort key for "largest first": amounts in the site's currency, largest first, then other
    currencies (by currency, largest first), then no value. Amounts of different currencies are
    never compared."""
    if value is None:
        return (2, "", Decimal(0))
    return (0 if value.currency == currency else 1, value.currency, -value.amount)
