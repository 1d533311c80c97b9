"""The translations of the site's own words: generator/locales/<lang>/LC_MESSAGES/messages.po.

The catalogues are kept as .po text (scripts/messages.py extracts and updates them) and compiled
here, in memory, when a build reads them: no compiled .mo file is kept in the repository or goes
stale beside its .po. English is the source language: its "translation" is the messages themselves.
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SOURCE_LANGUAGE = "en"
LOCALES = "locales"


def _root() -> Path:
    return Path(str(resources.files("generator"))) / LOCALES


def catalogue_name(language: str) -> str | None:
    """The catalogue a language tag uses ("es-MX" → "es_MX" if there is one, else "es"), None for
    the source language, "" when there is none."""
    parts = language.replace("_", "-").split("-")
    if parts[0].lower() == SOURCE_LANGUAGE:
        return None
    names = [f"{parts[0].lower()}_{parts[1].upper()}"] if len(parts) > 1 else []
    names.append(parts[0].lower())
    return next((n for n in names if (_root() / n / "LC_MESSAGES" / "messages.po").is_file()), "")


def available() -> tuple[str, ...]:
    """The languages the site's words are translated into, the source language first."""
    return (SOURCE_LANGUAGE, *sorted(p.parent.parent.name.replace("_", "-")
                                     for p in _root().glob("*/LC_MESSAGES/messages.po")))


def read_translations(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (NullTranslations for the source language). Raises
    LookupError for a language without one (settings refuse those before a build gets here)."""
    name = catalogue_name(language)
    if name is None:
        return NullTranslations()
    if not name:
        raise LookupError(f"no translation of the site into {language!r}")
    with open(_root() / name / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale=name)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)
