"""Settings text in several languages. Pure.

A text setting in site.yml (the city's name, a navigation title, the contact's name and address,
a certification program's name and explanation, the vendor registration sentence) is either one
text or one per language:

    city_name: {en: City of Alderport, es: Ciudad de Alderport}

The settings schema (settings-schema.json, definitions/text) allows either form. It is read as a
`Text`: a str whose value is the text in the site's first language (so every use
of the setting stays a plain string), carrying the others. `localize` gives the settings as a
page in another language shows them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


class Text(str):
    """A setting's text in the site's first language, with its other languages (`by_language`)."""

    __slots__ = ("by_language",)
    by_language: dict[str, str]

    def __new__(cls, value: str, by_language: dict[str, str]):
        made = super().__new__(cls, value)
        made.by_language = by_language
        return made

    def in_language(self, code: str) -> str:
        """The text in language `code`: its exact tag, else the same primary language ("es" for
        "es-MX" and the reverse), else the first language's."""
        found = pick(self.by_language.items(), code)
        return str(self) if found is None else found[1]

    def __reduce__(self):
        return (Text, (str(self), self.by_language))


def pick(found: Iterable[tuple[str, str]], code: str) -> tuple[str, str] | None:
    """Of texts by language tag, (tag, text), the one for language `code`: tagged exactly so, else
    the first of the same primary language ("es-MX" for "es" and the reverse); None when there is
    none. Settings text per language and the data's language variants (site.texts) both choose so."""
    found = tuple(found)
    wanted = code.lower()
    return (next((v for v in found if v[0].lower() == wanted), None)
            or next((v for v in found if v[0].split("-")[0].lower() == wanted.split("-")[0]), None))


def text(value: Any, languages: tuple[str, ...]) -> Any:
    """A setting's value as read: a `Text` for a text per language (its value in the first of
    `languages` that it has, else its first), anything else as it is."""
    if not isinstance(value, dict) or not value or not all(isinstance(v, str) for v in value.values()):
        return value
    given = {str(tag): v for tag, v in value.items()}
    first = next((found[1] for code in languages if (found := pick(given.items(), code))),
                 next(iter(given.values())))
    return Text(first, given)


def localize(value: Any, code: str) -> Any:
    """`value` (settings, or any part of them) with every `Text` in language `code`; the same
    object where nothing changes."""
    if isinstance(value, Text):
        return value.in_language(code)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = localize(old, code)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, tuple) and value:
        items = tuple(localize(v, code) for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value
