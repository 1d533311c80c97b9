"""Schema violations in words a buyer can act on: a field named as staff know it, a stable code,
and what to do. Pure."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.checking.schema_index import SchemaIndex
from generator.errors import Location, Problem, error


@dataclass(frozen=True)
class SchemaError:
    """One schema violation, the same whichever engine found it."""

    keyword: str  # required, type, enum, format, minItems, uniqueItems, pattern, ...
    path: tuple  # where in the instance (for "required": the object missing the property)
    param: object  # the missing property, the expected types, the allowed values, the format...


def field_name(path) -> str:
    """A field's name as staff know it: "tender.status", "awards[2].value.amount"."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "the top level"


def codelist_of(path, index: SchemaIndex | None) -> tuple[str, bool] | None:
    node = index.field(path) if index else {}
    if "codelist" not in node and path and isinstance(path[-1], int) and index:  # an item of a list of codes
        node = index.field(path[:-1])
    return (node["codelist"].removesuffix(".csv"), bool(node.get("openCodelist"))) if "codelist" in node else None


TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
              "array": "a list", "object": "an object (a group of fields)", "null": "empty (null)"}
# What to do when a value has another type than the schema's: by the type wanted.
TYPE_HINTS = {"string": "Put the value in double quotes, as the template does with text.",
              "number": "Write a plain number, without quotes: 85000.",
              "integer": "Write a whole number, without quotes: 4.",
              "boolean": "Write true or false, without quotes.",
              "array": "Write it as a list: each entry on its own line starting with \"- \" (in a spreadsheet, "
                       "entries separated by ;).",
              "object": "Write its parts on the lines below it, indented, as the notice template shows."}
FORMAT_WORDS = {"date-time": "date and time", "uri": "web address", "email": "email address"}
FORMAT_HINTS = {"date-time": "Write dates with a time and a time zone, like 2026-03-01T17:00:00-06:00.",
                "uri": "Write a full web address starting with https://.",
                "email": "Write an email address such as procurement@city.gov."}


def schema_problem(err: SchemaError, location: Location, index: SchemaIndex | None, instance=None,
                   timezone: str = "") -> Problem:
    """A schema violation in plain words, with a stable code and what to do. The bad value is
    repeated; a date's example is written with the city's offset (`timezone`) on that date."""
    field = field_name(err.path)
    value = _get(instance, err.path)
    if err.keyword == "required":
        return error("schema-required", f"{field_name((*err.path, err.param))} is missing.",
                     replace_pointer(location, err.param), f"Add \"{err.param}\" here: OCDS requires it.")
    if err.keyword == "enum":
        codelist = codelist_of(err.path, index)
        hint = _codes_hint([str(o) for o in err.param if o is not None], value, codelist[0] if codelist else "")
        if codelist:
            return error("codelist-closed", f"{field} is {value!r}, which is not a code of the closed "
                         f"{codelist[0]} codelist.", location, hint)
        return error("schema-enum", f"{field} is {value!r}, which is not allowed.", location, hint)
    if err.keyword == "type" and isinstance(value, str) and {"number", "integer"} & set(err.param):
        written = _written_number(value)
        if written is not None:
            return error("schema-type", f"{field} is {value!r}: {written[1]}", location, f"Write {written[0]} instead.")
    if err.keyword == "type":
        types = [t for t in err.param if t != "null"]
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in types)
        return error("schema-type", f"{field} should be {wanted}.", location,
                     TYPE_HINTS.get(types[0] if types else "", "Write it as the notice template shows it."))
    if err.keyword == "format" and err.param == "date-time":
        example = date_example(value, timezone)
        return error("schema-format", f"{field} is {value!r}, which is not a date and time as OCDS writes them.",
                     location, f"Write it like {example}: the date, T, the time, and the city's offset from UTC.")
    if err.keyword == "format":
        return error("schema-format", f"{field} is {value!r}, which is not a valid "
                     f"{FORMAT_WORDS.get(err.param, err.param)}.", location,
                     FORMAT_HINTS.get(err.param, f"Write a valid {err.param}."))
    if err.keyword == "uniqueItems":
        return error("schema-unique", f"{field} lists the same entry twice.", location, "Remove the repeated entry.")
    if err.keyword in ("minItems", "minLength", "minProperties"):
        return error("schema-empty", f"{field} is empty.", location, "Fill it in, or leave the field out.")
    if err.keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = "at least" if "inimum" in err.keyword else "at most"
        return error("schema-range", f"{field} is out of range.", location,
                     f"Change it to a number {bound} {err.param}.")
    if err.keyword == "pattern":
        return error("schema-pattern", f"{field} does not have the expected form.", location,
                     f"Retype it in the form the standard expects (the rule, for whoever maintains the data: "
                     f"{err.param}).")
    return error(f"schema-{err.keyword.lower()}", f"{field} does not follow the OCDS schema ({err.keyword}).",
                 location, f"Rewrite {field} as the notice template shows it (the OCDS schema explains it: "
                 "https://standard.open-contracting.org/1.1/en/schema/).")


LISTED_CODES = 12  # a codelist's codes named in full in a hint up to this many (open or closed)


def _codes_hint(codes: list[str], value, codelist: str) -> str:
    """Which code to write: all of them when few, else the closest to what was written."""
    if len(codes) <= LISTED_CODES:
        return f"Use one of: {', '.join(codes)}."
    close = difflib.get_close_matches(str(value), codes, n=3, cutoff=0.5) or difflib.get_close_matches(
        str(value).upper(), codes, n=3, cutoff=0.5)
    where = f"the {codelist} codelist" if codelist else "the list the standard gives"
    if close:
        return f"Use {' or '.join(close)} (or another code of {where}, spelled exactly so)."
    return f"Use a code of {where}, spelled exactly so."


CURRENCY_SIGNS = "$€£¥₱₹₩₽₺₪"
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _written_number(value: str) -> tuple[str, str] | None:
    """An amount written as people write it ("$85,000", "85 000 USD"): the plain number to write
    instead, and what is wrong, or None when it is not a number at all."""
    text = value.strip()
    sign = any(c in text for c in CURRENCY_SIGNS) or bool(re.search(r"\b[A-Z]{3}\b", text))
    cleaned = re.sub(r"\b[A-Z]{3}\b", "", "".join(c for c in text if c not in CURRENCY_SIGNS)).strip()
    separators = "," in cleaned or " " in cleaned or "\u00a0" in cleaned
    plain = re.sub(r"[,\s\u00a0]", "", cleaned)
    if not NUMBER.match(plain):
        return None
    if sign and separators:
        what = "without the currency sign or the thousands separators (commas)"
    elif sign:
        what = "without the currency sign (the currency goes in the currency field)"
    elif separators:
        what = "without thousands separators (commas or spaces)"
    else:
        what = "without quotes"
    return plain, f"an amount is written as a plain number, {what}."


def date_example(value, timezone: str) -> str:
    """An OCDS date and time for the day and time `value` seems to name (2026-03-01, 3/1/2026,
    2:00 PM), else the first of March at 5:00 PM, with the city's offset from UTC on that day."""
    day = _day_in(value) or dt.date(2026, 3, 1)
    hour, minute = _time_in(value) or (17, 0)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute)
    try:
        moment = moment.replace(tzinfo=ZoneInfo(timezone)) if timezone else moment.replace(tzinfo=dt.UTC)
    except (ZoneInfoNotFoundError, ValueError):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def _time_in(value) -> tuple[int, int] | None:
    found = re.search(r"[T\s](\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp])?\.?[Mm]?\.?", str(value or ""))
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2])
    if found[3]:
        hour = hour % 12 + (12 if found[3] in "Pp" else 0)
    return (hour, minute) if hour < 24 and minute < 60 else None


def _day_in(value) -> dt.date | None:
    text = str(value or "").strip()
    found = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    parts = (int(found[1]), int(found[2]), int(found[3])) if found else None
    if parts is None and (us := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})", text)):
        parts = (int(us[3]), int(us[1]), int(us[2]))  # a US date: month/day/year
    try:
        return dt.date(*parts) if parts else None
    except ValueError:
        return None


def _get(instance, path):
    for step in path:
        try:
            instance = instance[step]
        except (KeyError, IndexError, TypeError):
            return None
    return instance


def replace_pointer(location: Location, child) -> Location:
    return dataclass_replace(location, pointer=f"{location.pointer}/{child}")


