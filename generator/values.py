"""Small readers of untrusted OCDS values: text, dates in the city's time zone, money as exact
decimals, links only for http(s). Pure; shared by the model, the vendor details and the checks."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Money:
    amount: Decimal  # exact: the figure as published, however large
    currency: str


def text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def safe_url(value) -> str:
    """Only http(s) URLs become links; anything else (javascript:, data:) is dropped."""
    url = text(value)
    return url if url.lower().startswith(("http://", "https://")) else ""


EMAIL = re.compile(r"^[^@\s\"'<>(),;:\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def mailto(address: str) -> str:
    return "mailto:" + quote(address, safe="@.+-_") if EMAIL.match(address or "") else ""


def parse_datetime(value, tz: ZoneInfo) -> dt.datetime | None:
    """An OCDS date-time in the city's time zone (a date without offset is read as local)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


def money(value) -> Money | None:
    if not isinstance(value, dict):
        return None
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, (int, float)) and not isinstance(amount, bool) and isinstance(currency, str) and currency:
        exact = Decimal(str(amount))  # str() gives a float's shortest form, so 0.1 stays 0.1
        return Money(exact, currency) if exact.is_finite() else None
    return None


def sum_by_currency(values) -> tuple[Money, ...]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for value in values:
        if value is not None:
            totals[value.currency] += value.amount
    return tuple(Money(amount, currency) for currency, amount in sorted(totals.items()))


def dicts(value) -> list[dict]:
    """The objects of an OCDS array, skipping anything that is not an object."""
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def address_line(address) -> str:
    """An OCDS address as one line: street, locality, region, postal code."""
    if not isinstance(address, dict):
        return ""
    return ", ".join(x for x in (text(address.get(k)) for k in ("streetAddress", "locality", "region", "postalCode")) if x)
