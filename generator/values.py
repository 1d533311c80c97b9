"""Small readers of untrusted OCDS values: text, dates in the city's time zone, money as exact
decimals, links only for http(s). Pure; shared by the model, the vendor details and the checks."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, localcontext
from urllib.parse import quote
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Money:
    amount: Decimal  # exact: the figure as published, however large
    currency: str


# Control characters other than tab and line breaks (C0, DEL, C1): no page, feed or spreadsheet
# shows them, and a NUL or an escape breaks HTML and terminals. `portal check` reports them
# (control-character); what is shown drops them.
UNSHOWN = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])


def printable(value: str) -> str:
    """The text without control characters (tab and line breaks stay)."""
    return value.translate(UNSHOWN) if not value.isprintable() else value


def text(value) -> str:
    return printable(value).strip() if isinstance(value, str) else ""


def safe_url(value) -> str:
    """Only http(s) URLs become links; anything else (javascript:, data:) is dropped."""
    url = text(value)
    return url if url.lower().startswith(("http://", "https://")) else ""


EMAIL = re.compile(r"^[^@\s\"'<>(),;:\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def mailto(address: str) -> str:
    return "mailto:" + quote(address, safe="@.+-_") if EMAIL.match(address or "") else ""


# A web address inside free text: http(s) only; what ends the sentence around it is cut off.
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'`]+", re.I)
CLOSERS = {")": "(", "]": "["}


def web_address_end(url: str) -> str:
    """`url` as found in text, less the punctuation of the sentence around it: a full stop, a
    comma, or a closing bracket that opens nowhere in the address."""
    while url:
        last = url[-1]
        if last in ".,;:!?'\"" or (last in CLOSERS and url.count(last) > url.count(CLOSERS[last])):
            url = url[:-1]
        else:
            break
    return url


def web_address_spans(value: str):
    """Each http(s) web address in a free text, with where it starts: (start, address)."""
    for match in URL_IN_TEXT.finditer(value):
        url = web_address_end(match.group())
        if "://" in url and not url.endswith("://"):
            yield match.start(), url


def web_addresses(value) -> tuple[str, ...]:
    """The http(s) web addresses in a free text, each once, in order."""
    return tuple(dict.fromkeys(url for _, url in web_address_spans(text(value))))


EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d+)\s*$", re.I)


def tel(number: str) -> str:
    """A tel: link for a telephone number of 5 to 15 digits (with an extension after "x" or "ext"),
    else "" (the number is then shown as text)."""
    extension = EXTENSION.search(number or "")
    main = number[:extension.start()] if extension else (number or "")
    if re.search(r"[^\d\s()+./-]", main):
        return ""
    digits = re.sub(r"\D", "", main)
    if not 5 <= len(digits) <= 15:
        return ""
    plus = "+" if main.strip().startswith("+") else ""
    return f"tel:{plus}{digits}" + (f";ext={extension.group(1)}" if extension else "")


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


# No real amount reaches this in any currency (10^24: a billion times a large country's yearly
# budget in rupiah or rials). A larger one is shown nowhere and counted in no total (the check
# `amount-too-large` says so): 1e300 is valid JSON, but no total or page could state it exactly.
MAX_AMOUNT = Decimal(10) ** 24
# Digits of the decimal arithmetic that formats amounts and totals: 100,000 amounts below
# MAX_AMOUNT, with their cents, add up to fewer.
MONEY_DIGITS = 40


def money(value) -> Money | None:
    if not isinstance(value, dict):
        return None
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, (int, float)) and not isinstance(amount, bool) and isinstance(currency, str) and currency:
        exact = Decimal(str(amount))  # str() gives a float's shortest form, so 0.1 stays 0.1
        return Money(exact, currency) if exact.is_finite() and abs(exact) < MAX_AMOUNT else None
    return None


def sum_by_currency(values) -> tuple[Money, ...]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    with localcontext(prec=MONEY_DIGITS):  # exact: the default 28 digits would round large totals
        for value in values:
            if value is not None:
                totals[value.currency] += value.amount
    return tuple(Money(amount, currency) for currency, amount in sorted(totals.items()))


def listed(value) -> list:
    """A list from the data, or [] when it is something else (invalid data is published too)."""
    return value if isinstance(value, list) else []


def dicts(value) -> list[dict]:
    """The objects of an OCDS array, skipping anything that is not an object."""
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def address_line(address) -> str:
    """An OCDS address as one line: street, locality, region, postal code."""
    if not isinstance(address, dict):
        return ""
    return ", ".join(x for x in (text(address.get(k)) for k in ("streetAddress", "locality", "region", "postalCode")) if x)


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_IN_LINES = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, limit: int | None = None, breaks: bool = False) -> str:
    """Text as it can be printed: invisible characters written as <U+0000> (line breaks kept if
    `breaks`), and cut after `limit` characters. (Data is untrusted: an ocid may hold a line break
    or a right-to-left override.)"""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return (_INVISIBLE_IN_LINES if breaks else _INVISIBLE).sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
