"""The languages a site is built in: each one's words (its compiled catalogue), formats (its Babel
locale) and folder. Pure.

The first of the settings' `languages` is the site's default, built at the root; each other is
built under its own folder ("es/") with the same paths inside it, so a page's address in another
language is the same path under that folder (routes.in_language). The bulk downloads, static assets
and records are written once and shared (routes.is_shared).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from babel import Locale
from babel.support import NullTranslations

from generator import routes
from generator.site import guides
from generator.site.assemble import Site


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

    def path(self, path: str) -> str:
        """Where the file at the site-relative `path` is written for this language."""
        return routes.in_language(path, self.prefix)

    def site(self, site: Site) -> Site:
        """The view model as this language's pages show it: the same model, whose settings make links
        into this language's folder, with the guides written in this language (else marked as fallbacks)."""
        if not self.prefix:
            return site
        settings = dataclasses.replace(site.settings, base_url=site.settings.base_url.in_language(self.prefix))
        return dataclasses.replace(site, settings=settings,
                                   guides=guides.in_language(site.guides, site.guide_translations, self.code))


def languages_of(codes: tuple[str, ...], translations: dict[str, NullTranslations]) -> tuple[Language, ...]:
    """The site's languages, the first at the root; `translations` by code (inputs.catalogues)."""
    found = []
    for n, code in enumerate(codes or ("en",)):
        locale = Locale.parse(code.replace("-", "_"))
        found.append(Language(code, "" if n == 0 else f"{routes.slug(code.lower())}/", locale,
                              translations.get(code) or NullTranslations(),
                              locale.get_display_name(locale) or code))
    return tuple(found)


def default_language(settings) -> Language:
    """The site's first language, without its words (the English message ids): for a producer
    called without a language (tests, tools)."""
    return languages_of(settings.languages, {})[0]


def alternates(languages: tuple[Language, ...], path: str) -> list[tuple[Language, str]]:
    """Each language with the output path of the page at `path` in it."""
    return [(language, language.path(path)) for language in languages]
