"""Every field of a release walked once: fields the schema does not know, deprecated ones, empty
values, blanks of the notice templates left unfilled, and codes outside open codelists. Pure."""

from __future__ import annotations

from generator.checking.messages import LISTED_CODES, field_name
from generator.checking.schema_index import DEEPER, SHALLOWER, SPELLED, SchemaIndex
from generator.errors import Problem, error, json_pointer, warning
from generator.inputs.parsing import SourceRelease

# The blank of the notice templates (`portal new`): a value still reading so was never filled in.
BLANK = "FILL IN"


def _open_code_hint(codelist: str, codes) -> str:
    if len(codes) <= LISTED_CODES:
        return f"Replace it with one of: {', '.join(sorted(codes))} (spelled exactly so), unless none fits."
    return f"Replace it with a code of the {codelist} codelist (spelled exactly so), unless none fits."


def _open_codelist(release, index: SchemaIndex, trie: dict, path: tuple, value, problems: list) -> None:
    """Codes outside an open codelist are allowed but usually a typo: a warning."""
    for field in trie[None]:
        codes = index.codelists.get(field.codelist)
        if not field.open or codes is None:
            continue
        for item_path, code in ([((*path, i), v) for i, v in enumerate(value)] if type(value) is list
                                else [(path, value)]):
            if type(code) is str and code not in codes:
                problems.append(warning(
                    "codelist-open", f"{field_name(item_path)} is {code!r}, which is not in the {field.codelist} "
                    "codelist.", release.location(json_pointer(item_path)),
                    _open_code_hint(field.codelist, codes)))


EMPTY_TRIE: dict = {}
# Files staff write by hand: a field the schema does not know there is an error, since what it holds
# would silently be missing from the site (a typo, or a line indented too little or too much). In
# files other systems export it stays a warning, as the OCDS Data Review Tool reports it.
SPREADSHEETS = (".xlsx", ".ods", "/")  # "/": a folder of CSV files (inputs.spreadsheets)
HAND_WRITTEN = (".yaml", ".yml", *SPREADSHEETS)


def _header(path: tuple) -> str:
    """A field's column header as flattentool writes it: tender/items/0/description."""
    return "/".join("0" if isinstance(part, int) else part for part in path)


def unknown_field(release: SourceRelease, index: SchemaIndex, path: tuple, pattern: tuple, key: str,
                  here: dict) -> Problem:
    """A field the schema does not know, with where it was probably meant to be (SchemaIndex.suggest;
    of several places deeper down, those under a field `here`, the object holding it, has)."""
    name = field_name((*path, key))
    found = index.suggest(pattern, key)
    meant = [_concrete(path, pattern, p) for p, _ in found]
    why = found[0][1] if found else ""
    if why == DEEPER and any(m[len(path)] in here for m in meant):
        meant = [m for m in meant if m[len(path)] in here]
    said = f"{name} is not a field of OCDS or of the extensions this city declares."
    if why:
        said += f" Did you mean {' or '.join(field_name(m) for m in (meant if why == DEEPER else meant[:1]))}?"
    if release.file.endswith(SPREADSHEETS):  # a column's header, not an indent: name the header meant
        todo = (f"Change the column's header to {_header(meant[0])}." if meant else
                "Copy the column's header exactly from the template (`portal new spreadsheet`), or delete the "
                "column.")
    elif why == SPELLED:
        todo = f"Rename {key} to {meant[0][-1]} (field names are case-sensitive)."
    elif why == DEEPER:
        said += " It may be indented too little."
        todo = f"Indent {key} under {meant[0][-2] if isinstance(meant[0][-2], str) else meant[0][-3]}, as the template shows."
    elif why == SHALLOWER:
        said += " It may be indented too much."
        todo = f"Move {key} out of {path[-1] if isinstance(path[-1], str) else path[-2]} (indent it less), as the template shows."
    elif release.file.endswith(HAND_WRITTEN):
        todo = "Change the name to the one the notice template uses (capital letters matter), or delete the line."
    else:
        todo = "Check the spelling (field names are case-sensitive), or declare the extension that defines it."
    report = error if release.file.endswith(HAND_WRITTEN) else warning
    return report("field-unknown", said, release.location(json_pointer((*path, key))), todo)


def _concrete(path: tuple, pattern: tuple, meant: tuple) -> tuple:
    """A suggested field's pattern as a path of the release: the data's own list positions where
    the two share their beginning, the first item ([0]) for a list the data has not reached."""
    shared = next((n for n, (a, b) in enumerate(zip(pattern, meant, strict=False)) if a != b), min(len(pattern), len(meant)))
    return (*path[:shared], *(0 if step == "*" else step for step in meant[shared:]))


def field_problems(release: SourceRelease, index: SchemaIndex) -> list[Problem]:
    """Fields the schema does not know (often a typo: "tenderPerod") and deprecated fields, both
    warnings, as the OCDS Data Review Tool reports them."""
    problems: list[Problem] = []
    _walk_fields(release, index, release.data, (), (), index.trie, problems)
    return problems


def _walk_fields(release, index: SchemaIndex, data, path: tuple, pattern: tuple, trie: dict, problems: list) -> None:
    """The hot loop of validation: kept to type checks and dict lookups per field. `trie` is the
    part of the tree of codelist fields (SchemaIndex.trie) under this point."""
    if type(data) is list:
        ids: dict = {}
        item_pattern = (*pattern, "*")
        item_trie = trie.get("*", EMPTY_TRIE)
        for position, item in enumerate(data):
            kind = type(item)
            if kind is dict:
                identifier = item.get("id")
                if type(identifier) in (str, int):
                    if identifier in ids:
                        problems.append(error(
                            "duplicate-id", f"{field_name((*path, position))} has the same id {identifier!r} as "
                            f"{field_name((*path, ids[identifier]))}; ids must differ within a list.",
                            release.location(json_pointer((*path, position, "id"))),
                            "Give each entry its own id (the same entry in later releases keeps its id)."))
                    else:
                        ids[identifier] = position
                _walk_fields(release, index, item, (*path, position), item_pattern, item_trie, problems)
            elif kind is list:
                _walk_fields(release, index, item, (*path, position), item_pattern, item_trie, problems)
        return
    if type(data) is not dict:
        return
    known, deprecated = index.fields(pattern)
    if known is None:
        return  # a free-form object: anything goes
    for key, value in data.items():
        if key not in known:
            if not index.matches_pattern(pattern, key):  # e.g. title_fr, a translation, is fine
                problems.append(unknown_field(release, index, path, pattern, key, data))
            continue
        child_trie = trie.get(key, EMPTY_TRIE)
        if None in child_trie:
            _open_codelist(release, index, child_trie, (*path, key), value, problems)
        if key in deprecated:
            problems.append(warning(
                "field-deprecated", f"{field_name((*path, key))} is deprecated: {deprecated[key]}",
                release.location(json_pointer((*path, key))), "Publish the newer field the description names instead."))
        kind = type(value)
        if kind is dict or kind is list:
            if value:
                _walk_fields(release, index, value, (*path, key), (*pattern, key), child_trie, problems)
                continue
        elif kind is not str:
            continue
        elif value.strip():
            if value == BLANK:
                problems.append(error(
                    "unfilled-blank", f"{field_name((*path, key))} is still {BLANK}, a blank of the notice template.",
                    release.location(json_pointer((*path, key))),
                    f"Replace {BLANK} with the value (the note beside or above it says what goes there), keeping "
                    "the quotes around text."))
            continue
        problems.append(warning(
            "empty-value", f"{field_name((*path, key))} is empty.", release.location(json_pointer((*path, key))),
            "Fill it in, or delete the field if there is nothing to say."))
