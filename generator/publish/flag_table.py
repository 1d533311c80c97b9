"""The CSV of every red flag (site.flags), beside the performance page that lists them: one row per
flag, with the facts its sentence states. Pure: flags in, bytes out (csv_text neutralises a name
that would start a formula; numbers stay numbers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from generator.publish.csv_text import Number, csv_bytes
from generator.site.flags import Flag
from generator.values import Money


def _day(d: dt.datetime | None) -> str:
    return d.date().isoformat() if d else ""


def _amount(m: Money | None) -> Number | str:
    return Number(format(m.amount.normalize(), "f")) if m else ""


def _percent(p: Decimal | None) -> Number | str:
    return Number(format(p.quantize(Decimal("0.1")), "f")) if p is not None else ""


def flag_csv(flags: Iterable[Flag], gettext: Callable[[str], str], page_url: Callable[[str], str]) -> bytes:
    """`page_url`: the address of a process's page from its output path."""
    _ = gettext
    columns = (_("Flag"), _("Process ID (ocid)"), _("Process"), _("Page"), _("Department"), _("Supplier"),
               _("Date"), _("How it was bought"), _("Days to submit bids"), _("Award value"), _("Value now"),
               _("Currency"), _("Increase (%)"), _("Purchases in the run"), _("First purchase"), _("Last purchase"))
    rows = [(f.code, f.ocid, str(f.name), page_url(f.path), f.buyer.name if f.buyer else "",
             f.supplier.name if f.supplier else "", _day(f.date), f.method,
             Number(str(f.days)) if f.days is not None else "", _amount(f.awarded), _amount(f.value),
             f.value.currency if f.value else "", _percent(f.percent),
             Number(str(len(f.run))) if f.run else "", _day(f.run[0].date) if f.run else "",
             _day(f.run[-1].date) if f.run else "")
            for f in flags]
    return csv_bytes([columns, *rows])
