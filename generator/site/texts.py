"""How the data's own texts are shown: a readable name for what has no title, long texts cut to a
page's measure, and the language they are written in. Pure.

Every page, list, feed, calendar and search entry names a process or an award with the `Name`
made here, and shows the texts cut here, so they agree and none carries a 50 MB title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from babel import Locale

from generator.inputs.localized import pick
from generator.labels import N_
from generator.values import dicts, listed, text

TITLE_CHARS = 300  # a title or a name (processes, awards, lots, documents, organisations)
TEXT_CHARS = 2000  # a description or any other paragraph of the data
# A cut goes back to the last space when one is this close to the limit; else (a language written
# without spaces, a long code) it cuts at the limit.
WORD_SLACK = 0.2

GENERATED_PROCESS = N_("Contracting process %(ocid)s")
AWARD_OF = N_("%(name)s (award %(n)s of %(m)s)")


@dataclass(frozen=True)
class Name:
    """What a process or an award is called where the data gives it no title of its own.

    `text` is the data's text (cut to TITLE_CHARS), or the ocid when `generated` (the page then says
    "Contracting process <ocid>" in the site's language); `of` = (n, m) names award n of a
    process's m awards after its process. `lang` is the BCP 47 tag of `text` when it is the data's
    text in another language than the site's, else "". `str(name)` is the whole name in the words
    of the message ids (English); feeds, calendars and search write it in their language with
    publish.languages.Language.name_of."""

    text: str
    lang: str = ""
    generated: bool = False
    of: tuple[int, int] | None = None
    cut: bool = False  # the data's text was longer than TITLE_CHARS
    variants: tuple[tuple[str, str], ...] = ()  # (tag, text): the data's title in the site's other languages

    def in_language(self, code: str) -> Name:
        """The name as a page in language `code` shows it: the data's variant in that language
        ("title_es") when it publishes one, else this one (its `lang` says what it is in)."""
        found = pick(self.variants, code)
        return replace(self, text=found[1], lang=found[0], variants=(), generated=False) if found else self

    def __str__(self) -> str:
        return self.words()

    def words(self, gettext=lambda message: message) -> str:
        """The whole name, the site's own words for it ("Contracting process <ocid>", "(award 2 of
        3)") through `gettext` (the message ids as they are, when not given)."""
        name = gettext(GENERATED_PROCESS) % {"ocid": self.text} if self.generated else self.text
        return gettext(AWARD_OF) % {"name": name, "n": self.of[0], "m": self.of[1]} if self.of else name


def cut(value: str, limit: int) -> tuple[str, bool]:
    """`value` at most `limit` characters long, cut at a word boundary with an ellipsis; and
    whether it was cut."""
    if len(value) <= limit:
        return value, False
    head = value[:limit]
    space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    if space >= limit * (1 - WORD_SLACK):
        head = head[:space]
    return head.rstrip(" \t\n.,;:-–—") + "…", True


class Clipper:
    """Reads texts of one process cut to a limit, remembering whether any was cut."""

    def __init__(self):
        self.cut = False

    def __call__(self, value, limit: int = TEXT_CHARS) -> str:
        short, was_cut = cut(text(value), limit)
        self.cut = self.cut or was_cut
        return short

    def title(self, value) -> str:
        return self(value, TITLE_CHARS)


def _is_title(value: str, ids: tuple[str, ...]) -> bool:
    """A title that only repeats an identifier (the ocid, the tender's or the award's id) is no title."""
    folded = value.casefold()
    return bool(value) and not any(folded == i.casefold() for i in ids if i)


def _first(candidates, ids: tuple[str, ...]) -> str:
    return next((c for c in (text(x) for x in candidates) if _is_title(c, ids)), "")


def process_name(compiled: dict, ocid: str, lang: str, wanted: tuple[str, ...] = ()) -> Name:
    """A process's name, from the first of: the tender's title, the release's own `title`, the
    planned budget's project, the project's title (projects extension), the first item's
    description (the tender's, then the awards'); else "Contracting process <ocid>". Its
    `variants` are the tender's (else the release's) title in the languages `wanted`."""
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    planning = compiled.get("planning") if isinstance(compiled.get("planning"), dict) else {}
    budget = planning.get("budget") if isinstance(planning.get("budget"), dict) else {}
    project = planning.get("project") if isinstance(planning.get("project"), dict) else {}
    items = dicts(tender.get("items")) + [i for a in dicts(compiled.get("awards")) for i in dicts(a.get("items"))]
    found = _first([tender.get("title"), compiled.get("title"), budget.get("project"), project.get("title"),
                    *(i.get("description") for i in items)], (ocid, text(tender.get("id"))))
    titled = tender if _has_variant(tender, "title") else compiled
    found_variants = tuple((tag, cut(value, TITLE_CHARS)[0]) for tag, value in variants(titled, "title", wanted))
    if not found:
        return Name(ocid, generated=True, variants=found_variants)
    short, was_cut = cut(found, TITLE_CHARS)
    return Name(short, lang, cut=was_cut, variants=found_variants)


def award_names(awards: list[dict], tender: dict, process: Name, ocid: str) -> tuple[Name, ...]:
    """The name of each of a process's awards, from the first of: its own title, the titles of the
    lots it is for, the description of its first item; else its process's name ("(award 2 of 3)"
    added when the process has several awards)."""
    lots = {text(x.get("id")): text(x.get("title")) for x in dicts(tender.get("lots")) if text(x.get("id"))}
    names = []
    for n, award in enumerate(awards, 1):
        ids = (ocid, text(tender.get("id")), text(award.get("id")))
        related = [lots.get(text(i), "") for i in listed(award.get("relatedLots")) if isinstance(i, str)]
        own = _first([award.get("title"), "; ".join(t for t in related if _is_title(t, ids)),
                      *(i.get("description") for i in dicts(award.get("items")))], ids)
        if own:
            short, was_cut = cut(own, TITLE_CHARS)
            names.append(Name(short, process.lang, cut=was_cut))
        else:
            names.append(Name(process.text, process.lang, process.generated,
                              (n, len(awards)) if len(awards) > 1 else None, variants=process.variants))
    return tuple(names)


# --- language variants (OCDS: "title_es", "description_es-MX") -----------------------------------

def _has_variant(obj: dict, field: str) -> bool:
    return any(key.startswith(field + "_") for key in obj)


def variants(obj: dict, field: str, wanted: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The data's `field` of `obj` in other languages, as OCDS language variants publish it
    (`<field>_<BCP 47 tag>`: "title_es", "title_es-MX"), as (tag, text) for the languages whose
    primary subtag is in `wanted` ("es"), in tag order. Invalid tags and empty texts are skipped."""
    if not wanted or not isinstance(obj, dict):
        return ()
    found = []
    for key, value in obj.items():
        if key.startswith(field + "_") and (tag := language_tag(key[len(field) + 1:])):
            if tag.split("-")[0].lower() in wanted and (words := text(value)):
                found.append((tag, words))
    return tuple(sorted(found))


# --- language --------------------------------------------------------------------------------

LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|[0-9]{3}))?(?:-.*)?$")


@cache
def _known() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The language, script and region codes the IANA registry (as CLDR knows it) holds."""
    en = Locale("en")
    return frozenset(en.languages), frozenset(en.scripts), frozenset(en.territories)


def language_tag(value) -> str:
    """A valid BCP 47 tag for the release's `language` (an ISO 639-1 code; "es-MX", "zh_Hant"
    are read too), normalised ("es-MX", "zh-Hant"), or "" when it is not one: language, script and
    region subtags only, each checked against the registry."""
    match = LANGUAGE_TAG.match(text(value).replace("_", "-").lower())
    if not match:
        return ""
    languages, scripts, regions = _known()
    language, script, region = match.group(1), (match.group(2) or "").title(), (match.group(3) or "").upper()
    if language not in languages:
        return ""
    return "-".join(x for x in (language, script if script in scripts else "", region if region in regions else "") if x)


def text_lang(value, site_language: str) -> str:
    """The `lang` for the elements holding a release's text: its language when valid and other than
    the site's (compared by primary language), else ""."""
    tag = language_tag(value)
    return tag if tag and tag.split("-")[0] != site_language.split("-")[0].lower() else ""
