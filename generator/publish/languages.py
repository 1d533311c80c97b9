"""The languages a site is built in: each one's words (its compiled catalogue), formats (its Babel
locale) and folder. Pure.

The first of the settings' `languages` is the site's default, built at the root; each other is
built under its own folder ("es/") with the same paths inside it, so a page's address in another
language is the same path under that folder (routes.in_language). The bulk downloads, static assets
and records are written once and shared (routes.is_shared).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass

from babel import Locale
from babel.support import NullTranslations

from generator import routes
from generator.inputs import localized
from generator.publish import formats
from generator.site import guides
from generator.site.assemble import Site
from generator.site.texts import Name


@dataclass(frozen=True)
class Language:
    code: str  # the language tag as the settings give it: "en", "es", "es-MX"
    prefix: str  # "" for the site's first language, else its folder: "es/"
    locale: Locale
    translations: NullTranslations
    name: str  # in itself: "English", "español"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def name_of(self, name: Name) -> str:
        """A process's or an award's name in this language, as feeds, calendars and search write it:
        the data's variant in it when there is one ("title_es"), and this language's words for a
        name the site makes ("Proceso de contratación <ocid>", "(adjudicación 2 de 3)")."""
        return name.in_language(self.code).words(self.gettext)

    def path(self, path: str) -> str:
        """Where the file at the site-relative `path` is written for this language."""
        return routes.in_language(path, self.prefix)

    def site(self, site: Site) -> Site:
        """The view model as this language's pages show it: the same model, whose settings make links
        into this language's folder and give their texts in this language (Settings.in_language),
        with the guides written in this language (else marked as fallbacks)."""
        if not self.prefix:
            return site
        settings = dataclasses.replace(site.settings.in_language(self.code),
                                       base_url=site.settings.base_url.in_language(self.prefix))
        performance = site.performance and dataclasses.replace(site.performance,
                                                               programs=settings.certification_programs)
        return dataclasses.replace(site, settings=settings, terms=localized.localize(site.terms, self.code),
                                   performance=performance,
                                   guides=guides.in_language(site.guides, site.guide_translations, self.code))


def languages_of(settings, translations: dict[str, NullTranslations]) -> tuple[Language, ...]:
    """The site's languages (settings.languages), the first at the root; `translations` by code
    (inputs.catalogues). Each writes dates, numbers and money as its language does in the city's
    country (formats.locale_for: Spanish in a US city as es_US, "$1,250")."""
    found = []
    for n, code in enumerate(settings.languages or ("en",)):
        locale = formats.locale_for(code, settings.timezone)
        named = Locale.parse(code.replace("-", "_"))  # as the settings give it: "español", not "español (Estados Unidos)"
        found.append(Language(code, "" if n == 0 else f"{routes.slug(code.lower())}/", locale,
                              translations.get(code) or NullTranslations(),
                              named.get_display_name(named) or code))
    return tuple(found)


@functools.cache
def plural_examples(locale: Locale) -> dict[str, int]:
    """A number of each plural category of the locale's language (CLDR: zero, one, two, few, many,
    other), the smallest found, and always an "other": for Spanish {"one": 1, "other": 0, "many": 1000000}."""
    found: dict[str, int] = {}
    for n in (*range(0, 200), 1000, 10_000, 100_000, 1_000_000):
        found.setdefault(locale.plural_form(n), n)
    found.setdefault("other", 1_000_000)  # only fractions are "other" in some languages (Polish): the scripts' fallback
    return found


def plural_forms(language: Language, singular: str, plural: str, **variables) -> str:
    """A message with a count in each plural category of `language`, as JSON ({"one": ..., "other":
    ...}), for a script that counts in the browser: it picks the form with Intl.PluralRules, which
    uses the same CLDR categories. Each form is the catalogue's (ngettext) for a number of that
    category; `variables` fill the placeholders ("{n}" where the script puts the number)."""
    forms = {category: language.ngettext(singular, plural, n) % variables
             for category, n in plural_examples(language.locale).items()}
    return json.dumps(forms, ensure_ascii=False, sort_keys=True)


def default_language(settings) -> Language:
    """The site's first language, without its words (the English message ids): for a producer
    called without a language (tests, tools)."""
    return languages_of(settings, {})[0]


def alternates(languages: tuple[Language, ...], path: str) -> list[tuple[Language, str]]:
    """Each language with the output path of the page at `path` in it."""
    return [(language, language.path(path)) for language in languages]
