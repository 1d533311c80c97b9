"""Extract the site's messages and bring every translation up to date.

    python scripts/messages.py          # rewrite generator/locales/messages.pot, update each .po
    python scripts/messages.py es       # the same, and start a translation into Spanish
    python scripts/messages.py --check  # exit 1, naming what differs, when the .pot is out of date

Babel extracts every string the generated site shows (babel.cfg: templates, labels, the view
model's and the producers' words) into generator/locales/messages.pot; each language's
generator/locales/<lang>/LC_MESSAGES/messages.po is then updated from it: new messages appear
untranslated, changed ones fuzzy, removed ones are dropped. A translator fills in the .po (a new
language: copy the .pot to <lang>/LC_MESSAGES/messages.po and set its Language and Plural-Forms);
the generator compiles it when it builds, so no .mo file is kept in the repository. The tests fail
while the .pot is out of date with the code, or a .po has an untranslated or fuzzy message.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = "generator/locales/messages.pot"
WIDTH = 100
# plurals(singular, plural, ...) in templates: a message with a count that a script words in the
# browser (publish.languages.plural_forms), extracted like ngettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "plurals": (1, 2)}
TWO_FORMS = "nplurals=2; plural=(n != 1);"
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def extracted() -> Catalog:
    """Every message the code and templates mark, in a fixed order (no dates, no line numbers)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project="ocds-portal", version="1", fuzzy=False, msgid_bugs_address="",
                      header_comment="# The words of the sites ocds-portal generates, in English: the source of every translation.")
    for _file, _line, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True, directory_filter=_searched(method_map)):
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def _searched(method_map) -> Callable[[str], bool]:
    """Which folders the extraction walks: only those under the top folders babel.cfg's patterns
    name (generator/, site_templates/), not the whole checkout, where a benchmark's sites (hundreds
    of thousands of files) or node_modules made a check take minutes; and, as Babel's own filter,
    none whose name starts with a dot or an underscore."""
    tops = {pattern.split("/")[0] for pattern, _ in method_map}

    def wanted(path: str) -> bool:
        parts = Path(path).relative_to(ROOT).parts
        return bool(parts) and parts[0] in tops and not parts[-1].startswith((".", "_"))
    return wanted


def _write(catalog: Catalog, path: Path) -> None:
    with open(path, "wb") as f:
        write_po(f, catalog, width=WIDTH, no_location=True, sort_output=True, omit_header=False,
                 ignore_obsolete=True)


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def check(fresh: Catalog) -> list[str]:
    with open(ROOT / POT, "rb") as f:
        kept = read_po(f)
    ids = {(m.id, m.context) for m in kept if m.id}
    fresh_ids = {(m.id, m.context) for m in fresh if m.id}
    return ([f"not yet in {POT}: {_key(m)!r}" for m in fresh if m.id and (m.id, m.context) not in ids]
            + [f"in {POT} but no longer in the code: {_key(m)!r}" for m in kept if m.id and (m.id, m.context) not in fresh_ids])


def _start(language: str, template: Catalog) -> None:
    path = ROOT / POT.replace("messages.pot", f"{language}/LC_MESSAGES/messages.po")
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(locale=language, project="ocds-portal", version="1", fuzzy=False, msgid_bugs_address="",
                      header_comment=f"# The words of the sites ocds-portal generates, in {language}.",
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    _write(catalog, path)
    # gettext's two forms (one, other), as translators and msgfmt know them, rather than CLDR's
    # three for Spanish (whose "many", for round millions, only adds "de").
    text = path.read_text("utf-8")
    path.write_text(re.sub(r'"Plural-Forms: [^"]*"', lambda _: f'"Plural-Forms: {TWO_FORMS}\\n"', text), "utf-8")


def main(argv: list[str]) -> int:
    fresh = extracted()
    if "--check" in argv:
        differences = check(fresh)
        print("\n".join(differences) + ("\nRun: python scripts/messages.py" if differences else ""))
        return 1 if differences else 0
    fresh.creation_date = fresh.revision_date = FIXED_DATE  # no date churn in the diff
    _write(fresh, ROOT / POT)
    for language in (a for a in argv if not a.startswith("-")):  # a new language: messages.py es
        _start(language, fresh)
    for po in sorted((ROOT / POT).parent.glob("*/LC_MESSAGES/messages.po")):
        with open(po, "rb") as f:
            translation = read_po(f)
        translation.update(fresh, no_fuzzy_matching=False, update_header_comment=False)
        _write(translation, po)
        untranslated = sum(1 for m in translation if m.id and (not m.string or m.fuzzy or not all(m.string)))
        print(f"updated {po.relative_to(ROOT)}: {untranslated} message(s) to translate or check")
    print(f"wrote {POT}: {sum(1 for m in fresh if m.id)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
