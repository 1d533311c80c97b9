"""How values read in the site's language: deadlines with weekday, time and zone; money without
needless cents; document formats by the names people use. Shared by the pages and the search index."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal, localcontext

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_compact_currency, format_currency, format_percent
from babel.units import format_unit
from markupsafe import Markup, escape

from generator.site.process import OPEN
from generator.values import MONEY_DIGITS, Money

FORMAT_NAMES = {"application/pdf": "PDF", "application/msword": "Word", "text/html": "web page",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
                "application/vnd.ms-excel": "Excel", "text/csv": "CSV", "application/zip": "ZIP",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel"}


def locale_for(code: str, timezone: str = "") -> Locale:
    """The locale of language `code` ("es", "es-MX") in the city's country: a language given
    without its region takes the country of the city's time zone when CLDR knows the language
    there (es in America/Chicago: es_US, which writes "$1,250" and not "1250 US$"); else the
    language alone."""
    locale = Locale.parse(code.replace("-", "_"))
    territory = get_global("zone_territories").get(timezone) if not locale.territory else None
    try:
        return Locale(locale.language, territory) if territory else locale
    except UnknownLocaleError:  # CLDR has no such locale (the language in that country)
        return locale


def language_name(tag: str, locale: Locale) -> str:
    """A language's name as `locale` writes it ("es" → "Spanish"; in Spanish, "inglés"); the tag
    itself when CLDR does not know it."""
    try:
        return Locale.parse(tag.replace("-", "_")).get_display_name(locale) or tag
    except (ValueError, TypeError, UnknownLocaleError):
        return tag


# How a government's name is used in a sentence, by language: the article its first word takes
# ("the City of Springfield", "la Ciudad de Alderport"); a name without one ("Springfield") takes none.
ARTICLES = {
    "en": {word: "the" for word in ("City", "County", "Town", "Village", "Borough", "Township", "Municipality",
                                    "Parish", "District", "State", "Commonwealth", "Port", "Metropolitan",
                                    "Consolidated", "Unified", "Government", "Office", "Department", "Province")},
    "es": {"Ciudad": "la", "Villa": "la", "Municipalidad": "la", "Alcaldía": "la", "Provincia": "la",
           "Condado": "el", "Municipio": "el", "Pueblo": "el", "Distrito": "el", "Gobierno": "el",
           "Ayuntamiento": "el", "Estado": "el", "Departamento": "el"},
}


def sentence_name(name: str, language: str) -> str:
    """A government's name as a sentence of `language` uses it: "the City of Springfield",
    "Springfield", "la Ciudad de Alderport". The settings give the name as staff write it."""
    words = name.split()
    article = ARTICLES.get(language.split("-")[0].split("_")[0], {}).get(words[0].title() if words else "")
    return f"{article} {name}" if article else name  # "The City of ..." starts with no key: as it is


def clause(value: str) -> str:
    """The data's text where a sentence around it adds the full stop: without its own ("Deliver bids
    to: 12 Main St." rather than "12 Main St.."). A written ellipsis ("...") is kept."""
    value = value.rstrip()
    return value[:-1] if value.endswith((".", "。")) and not value.endswith("..") else value


def format_name(media_type: str) -> str:
    """A document's format as readers name it: "PDF" rather than "application/pdf"."""
    return FORMAT_NAMES.get(media_type.lower(), media_type.rsplit("/", 1)[-1].upper() if media_type else "")


def date_text(value: dt.date | None, locale: Locale, length: str = "medium") -> str:
    """A date as the pages write it ("Dec 15, 2026" in English, medium length), or "" for none."""
    return format_date(value, length, locale=locale) if value else ""


def datetime_text(value: dt.datetime | None, locale: Locale) -> str:
    """A deadline as readers expect it: weekday, date, time and the city's time zone."""
    if value is None:
        return ""
    return (f"{format_date(value, 'full', locale=locale)}, "
            f"{format_time(value, 'short', tzinfo=value.tzinfo, locale=locale)} {value.tzname()}")


def month_text(value: dt.date | None, locale: Locale) -> str:
    """A planned date, which is not precise: the month and year only ("December 2026")."""
    return format_skeleton("yMMMM", value, locale=locale) if value else ""


def remembered(format_value: Callable[..., str], limit: int = 1 << 17) -> Callable[..., str]:
    """`format_value` with its results remembered by the value's type and text, not by equality:
    equal values may read differently (1 and 1.0, one instant in two time zones)."""
    results: dict[tuple, str] = {}

    def remembered(value, *args):
        key = (type(value), str(value), args)
        if key not in results:
            if len(results) >= limit:
                results.clear()
            results[key] = format_value(value, *args)
        return results[key]
    return remembered


def money_text(value: Money | None, locale: Locale) -> str:
    if value is None:
        return ""
    whole = value.amount == value.amount.to_integral_value()
    with localcontext(prec=MONEY_DIGITS):  # Babel rounds in the current context (28 digits by default)
        return format_currency(value.amount, value.currency, locale=locale, currency_digits=not whole,
                               format=_whole_money(locale) if whole else None)


@functools.cache
def _whole_money(locale: Locale) -> str:
    """The locale's currency pattern without decimals ("¤#,##0"; in es, "#,##0 ¤"): a whole amount
    is written without ".00", the currency symbol where the language puts it."""
    return re.sub(r"[.]0+", "", locale.currency_formats["standard"].pattern)


def percent_text(percent: Decimal | None, locale: Locale) -> str:
    """A percentage (66.7 → "66.7%"), or a dash when there is nothing to divide by."""
    return "–" if percent is None else format_percent(percent / 100, "#,##0.#%", locale=locale)


def compact_money_text(value: Money, locale: Locale) -> str:
    """A large amount at a glance, for key numbers: $63.1M (tables give the exact amount)."""
    return format_compact_currency(value.amount, value.currency, locale=locale, fraction_digits=1)


FILE_SIZE_UNITS = (("digital-gigabyte", 10**9), ("digital-megabyte", 10**6), ("digital-kilobyte", 10**3))


def file_size_text(size: int, locale: Locale) -> str:
    """A download's size as people read it: 12.3 MB (decimal units, one decimal at most)."""
    for unit, scale in FILE_SIZE_UNITS:
        if size >= scale:
            return format_unit(size / scale, unit, length="short", format="#,##0.#", locale=locale)
    return format_unit(size, "digital-byte", length="short", locale=locale)


def counted(processes) -> str:
    """What a count on a page is made of, for static/opportunities.js to recount it from the
    visitor's clock: "+k" for the k processes whose status the clock does not change (forecasts),
    then the deadline of each open bid in seconds since 1970, in order, "t*n" for n bids that close
    at the same moment ("+9 1763409600 1763496000*2"). An open bid always has a deadline
    (process.classify)."""
    deadlines = Counter(int(p.deadline.timestamp()) for p in processes if p.stage == OPEN and p.deadline)
    others = sum(1 for p in processes if not (p.stage == OPEN and p.deadline))
    words = [f"+{others}"] if others else []
    words += [f"{t}*{n}" if n > 1 else str(t) for t, n in sorted(deadlines.items())]
    return " ".join(words)


def wrap_points(address: str) -> Markup:
    """An email or web address with places to wrap (<wbr>) where it reads well on a narrow screen:
    after @ and / (// as one), before . ? # & = (never between two digits). Escaped, a stretch
    between wrap points at a time."""
    out, start = [], 0
    for i, char in enumerate(address):
        if i and char in ".?#&=" and not (address[i - 1].isdigit() and address[i + 1:i + 2].isdigit()):
            out += (escape(address[start:i]), "<wbr>")
            start = i
        elif char in "@/" and address[i + 1:i + 2] not in ("/", ""):
            out += (escape(address[start:i + 1]), "<wbr>")
            start = i + 1
    out.append(escape(address[start:]))
    return Markup("".join(out))
