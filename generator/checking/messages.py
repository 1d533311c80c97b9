"""Schema violations in words a buyer can act on: a field named as staff know it, a stable code,
and what to do. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dataclass_replace

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
FORMAT_WORDS = {"date-time": "date and time", "uri": "web address", "email": "email address"}
FORMAT_HINTS = {"date-time": "Write dates with a time and a time zone, like 2026-03-01T17:00:00-06:00.",
                "uri": "Write a full web address starting with https://.",
                "email": "Write an email address such as procurement@city.gov."}


def schema_problem(err: SchemaError, location: Location, index: SchemaIndex | None, instance=None) -> Problem:
    """A schema violation in plain words, with a stable code and what to do."""
    field = field_name(err.path)
    value = _get(instance, err.path)
    if err.keyword == "required":
        return error("schema-required", f"{field_name((*err.path, err.param))} is missing.",
                     replace_pointer(location, err.param), f"Add \"{err.param}\" here: OCDS requires it.")
    if err.keyword == "enum":
        codelist = codelist_of(err.path, index)
        allowed = ", ".join(str(o) for o in err.param if o is not None)
        if codelist:
            return error("codelist-closed", f"{field} is {value!r}, which is not a code of the closed "
                         f"{codelist[0]} codelist.", location, f"Use one of: {allowed}.")
        return error("schema-enum", f"{field} is {value!r}, which is not allowed.", location, f"Use one of: {allowed}.")
    if err.keyword == "type":
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in err.param if t != "null")
        return error("schema-type", f"{field} should be {wanted}.", location,
                     "Numbers are written without quotes; text is written in quotes; lists use [ ].")
    if err.keyword == "format":
        return error("schema-format", f"{field} is not a valid {FORMAT_WORDS.get(err.param, err.param)}.", location,
                     FORMAT_HINTS.get(err.param, f"Write a valid {err.param}."))
    if err.keyword == "uniqueItems":
        return error("schema-unique", f"{field} lists the same entry twice.", location, "Remove the repeated entry.")
    if err.keyword in ("minItems", "minLength", "minProperties"):
        return error("schema-empty", f"{field} is empty.", location, "Fill it in, or leave the field out.")
    if err.keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return error("schema-range", f"{field} is out of range.", location, f"The limit is {err.param}.")
    if err.keyword == "pattern":
        return error("schema-pattern", f"{field} does not have the expected form.", location,
                     f"It must match the pattern {err.param}.")
    return error(f"schema-{err.keyword.lower()}", f"{field} does not follow the OCDS schema ({err.keyword}).",
                 location, "Compare this field with https://standard.open-contracting.org/1.1/en/schema/")


def _get(instance, path):
    for step in path:
        try:
            instance = instance[step]
        except (KeyError, IndexError, TypeError):
            return None
    return instance


def replace_pointer(location: Location, child) -> Location:
    return dataclass_replace(location, pointer=f"{location.pointer}/{child}")


