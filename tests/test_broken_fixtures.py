"""The corpus of broken OCDS files in tests/fixtures/broken/: each trips one check, at an exact place.

Each fixture is checked on its own, in a fresh source folder holding the demo city's
content/site.yml (prefix ocds-aldrpt, today pinned to 2026-11-16, America/Chicago) and the
fixture in ocds_data/. `EXPECTED` says exactly which problems it must produce in that file, as
(code, severity, JSON pointer, line); the lines were counted in the fixtures' text. Apart from
its one fault, every fixture is valid OCDS 1.1.

The OCID in the fixtures is ocds-aldrpt-BRK-0001 (BRK for "broken"); the encoded fixtures
(not-utf8-*, bom-utf8.json) hold the bytes their names say.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from generator import pipeline

from conftest import REPO

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
E, W = "error", "warning"
ANY = object()  # a pointer or line the table does not pin down

EXPECTED: list[tuple[str, set[tuple]]] = [
    # ---- reading (generator/reading.py) ----
    ("field-unknown.json", {("field-unknown", W, "/releases/0/tender/tenderPerod", 47)}),
    ("unsupported-version.json", {("unsupported-version", E, "/version", 3)}),
    ("field-unknown-package.json", {("field-unknown", W, "/publisher/nmae", 7), ("field-unknown", W, "/foo", 51)}),
    ("party-reference-no-id.json", {("party-reference-no-id", W, "/releases/0/tender/tenderers/0", 48)}),
    ("field-deprecated.json", {("field-deprecated", W, "/releases/0/tender/amendment", 47)}),
    ("invalid-json-missing-comma.json", {("invalid-json", E, "", 35)}),
    ("invalid-json-trailing-comma.json", {("invalid-json", E, "", 21)}),
    ("invalid-json-single-quotes.json", {("invalid-json", E, "", 16)}),
    ("invalid-json-truncated.json", {("invalid-json", E, "", 33)}),
    ("invalid-yaml-bad-indent.yaml", {("invalid-yaml", E, "", 17)}),
    ("invalid-yaml-unquoted-colon.yaml", {("invalid-yaml", E, "", 15)}),
    ("invalid-yaml-unclosed-quote.yaml", {("invalid-yaml", E, "", 15)}),  # the quote's line, not where YAML gave up (17)
    ("invalid-yaml-tab.yaml", {("invalid-yaml", E, "", 16)}),
    ("schema-format-date-written-us.yaml", {("schema-format", E, "/tender/tenderPeriod/endDate", 18)}),
    ("schema-type-amount-dollars.yaml", {("schema-type", E, "/tender/value/amount", 18)}),
    ("not-utf8-latin1.json", {("not-utf8", E, "", 20)}),
    ("not-utf8-utf16.json", {("not-utf8", E, "", 1)}),
    ("bom-utf8.json", {("bom", W, "", 1)}),
    ("empty-file.json", {("empty-file", E, "", 1)}),
    ("empty-file-whitespace.jsonl", {("empty-file", E, "", 1)}),
    ("nan-infinity-nan.json", {("nan-infinity", E, "", 40)}),
    ("nan-infinity-infinity.json", {("nan-infinity", E, "", 63)}),
    ("nan-infinity-jsonl.jsonl", {("nan-infinity", E, "", 3)}),
    # The line of a repeated key is that of its second occurrence.
    ("duplicate-key-top-level.json", {("duplicate-key", E, "/version", 4)}),
    ("duplicate-key-nested.json", {("duplicate-key", E, "/releases/0/tender/title", 34)}),
    ("duplicate-key-yaml.yaml", {("duplicate-key", E, "/tender/title", 17)}),
    ("duplicate-key-jsonl.jsonl", {("duplicate-key", E, "/tender/status", 2)}),
    ("not-ocds-list.json", {("not-ocds", E, "", 1)}),
    ("not-ocds-object.json", {("not-ocds", E, "", 1)}),
    ("not-ocds-yaml-comments.yaml", {("not-ocds", E, "", 4)}),
    ("invalid-json-line.jsonl", {("invalid-json-line", E, "", 2)}),
    ("not-a-release.jsonl", {("not-a-release", E, "", 2)}),
    ("upgraded-1.0-version.json", {("upgraded-1.0", W, "", 1)}),
    ("upgraded-1.0-no-version.json", {("upgraded-1.0", W, "", 1)}),
    ("upgraded-1.0-release-no-parties.json", {("upgraded-1.0", W, "", 1)}),
    ("record-not-object.json", {("record-not-object", E, "/records/0", 9)}),
    ("record-releases.json", {("record-releases", E, "/records/0/releases", 11)}),
    # A record must list its releases (the record package schema requires "releases"), so a lone
    # compiledRelease is both used, with a warning, and reported against the schema.
    ("record-compiled-only.json", {("record-compiled-only", W, "/records/0/compiledRelease", 11),
                                   ("schema-required", E, "/records/0/releases", 9)}),
    ("record-ocid-mismatch.json", {("record-ocid-mismatch", E, "/records/0/releases/1/ocid", 53)}),
    ("linked-release.json", {("linked-release", W, "/records/0/releases/0", 12)}),
    # ---- schema (generator/validate.py); a missing member is on the line of its parent's key ----
    ("schema-required-tender-id.json", {("schema-required", E, "/releases/0/tender/id", 31)}),
    ("schema-required-release-id.json", {("schema-required", E, "/releases/0/id", 9)}),
    ("schema-required-award-id.json", {("schema-required", E, "/releases/0/awards/0/id", 57)}),
    ("schema-required-package-publisher.json", {("schema-required", E, "/publisher", 1)}),
    ("schema-required-record-package-published-date.json", {("schema-required", E, "/publishedDate", 1)}),
    ("schema-required-record-release.json", {("schema-required", E, "/records/0/releases/0/tender/id", 34)}),
    ("schema-required-yaml.yaml", {("schema-required", E, "/tender/id", 13)}),
    ("schema-required-jsonl.jsonl", {("schema-required", E, "/tender/id", 2)}),
    ("schema-type-amount-string.json", {("schema-type", E, "/releases/0/tender/value/amount", 40)}),
    ("schema-type-title-number.json", {("schema-type", E, "/releases/0/tender/title", 33)}),
    ("schema-format-date.json", {("schema-format", E, "/releases/0/date", 12)}),
    ("schema-format-date-no-zone.json", {("schema-format", E, "/releases/0/date", 12)}),
    ("schema-format-uri.json", {("schema-format", E, "/releases/0/tender/documents/0/url", 52)}),
    ("schema-format-package-date.json", {("schema-format", E, "/publishedDate", 4)}),
    ("schema-format-package-uri.json", {("schema-format", E, "/uri", 2)}),
    ("codelist-closed-tender-status.json", {("codelist-closed", E, "/releases/0/tender/status", 34)}),
    ("codelist-closed-party-scale.json", {("codelist-closed", E, "/releases/0/parties/1/details/scale", 34)}),
    ("codelist-closed-tag.json", {("codelist-closed", E, "/releases/0/tag/0", 14)}),
    ("codelist-closed-currency.json", {("codelist-closed", E, "/releases/0/tender/value/currency", 41)}),
    ("codelist-closed-release-file.json", {("codelist-closed", E, "/tender/status", 26)}),
    ("codelist-open-document-type.json",
     {("codelist-open", W, "/releases/0/tender/documents/0/documentType", 50)}),
    ("codelist-open-party-role.json", {("codelist-open", W, "/releases/0/parties/1/roles/0", 30)}),
    # Two identical awards also share an id, which the Data Review Tool reports on its own.
    # The record compiler warns about the repeated id too (check compiles every process).
    ("schema-unique-awards.json", {("schema-unique", E, "/releases/0/awards", 56),
                                   ("duplicate-id", E, "/releases/0/awards/1/id", 74),
                                   ("compile-warning", W, "", None)}),
    # An empty list breaks the schema, and is also reported as an empty value.
    ("schema-empty-tag.json", {("schema-empty", E, "/releases/0/tag", 13), ("empty-value", W, "/releases/0/tag", 13)}),
    ("schema-empty-award-items.json", {("schema-empty", E, "/releases/0/awards/0/items", 72),
                                       ("empty-value", W, "/releases/0/awards/0/items", 72)}),
    ("extension-not-declared.json", {("extension-not-declared", W, "/extensions/1", 10)}),
    # ---- OCDS checks (generator/checks.py) ----
    ("ocid-prefix-other-publisher.json", {("ocid-prefix", W, "/releases/0/ocid", 10)}),
    ("ocid-prefix-no-hyphen.json", {("ocid-prefix", W, "/releases/0/ocid", 10)}),
    ("ocid-prefix-jsonl.jsonl", {("ocid-prefix", W, "/ocid", 2)}),
    ("duplicate-release.json", {("duplicate-release", E, "/releases/1/id", 51)}),
    ("duplicate-release-jsonl.jsonl", {("duplicate-release", E, "/id", 3)}),
    ("date-in-future.json", {("date-in-future", E, "/releases/0/date", 12)}),
    # releases/0 is dated 23:30 on 16 November in Chicago (today); releases/1 00:30 on the 17th.
    ("date-in-future-time-zone.json", {("date-in-future", E, "/releases/1/date", 52)}),
    ("tender-period-order.json", {("tender-period-order", W, "/releases/0/tender/tenderPeriod/endDate", 45)}),
    ("award-before-tender.json", {("award-before-tender", W, "/releases/0/awards/0/date", 61)}),
    ("contract-period-order.json", {("contract-period-order", W, "/releases/0/contracts/0/period/endDate", 83)}),
    ("party-missing-buyer.json", {("party-missing", W, "/releases/0/buyer/id", 28)}),
    ("party-missing-procuring-entity.json", {("party-missing", W, "/releases/0/tender/procuringEntity/id", 35)}),
    ("party-missing-tenderer.json", {("party-missing", W, "/releases/0/tender/tenderers/1/id", 61)}),
    ("party-missing-supplier.json", {("party-missing", W, "/releases/0/awards/0/suppliers/1/id", 72)}),
    ("party-missing-yaml.yaml", {("party-missing", W, "/buyer/id", 12)}),
    ("party-role-missing-buyer.json", {("party-role-missing", W, "/releases/0/buyer/id", 27)}),
    ("party-role-missing-procuring-entity.json",
     {("party-role-missing", W, "/releases/0/tender/procuringEntity/id", 35)}),
    ("party-role-missing-tenderer.json", {("party-role-missing", W, "/releases/0/tender/tenderers/0/id", 56)}),
    ("party-role-missing-supplier.json", {("party-role-missing", W, "/releases/0/awards/0/suppliers/0/id", 67)}),
    ("amount-negative-award.json", {("amount-negative", E, "/releases/0/awards/0/value/amount", 63)}),
    ("amount-too-large.json", {("amount-too-large", W, "/releases/0/awards/0/value/amount", 63)}),
    ("amount-negative-budget.json", {("amount-negative", E, "/releases/0/planning/budget/amount/amount", 51)}),
    ("amount-no-currency.json", {("amount-no-currency", E, "/releases/0/tender/value/currency", 39)}),
    ("currency-mixed.json", {("currency-mixed", W, ANY, ANY)}),
    ("tag-mismatch.json", {("tag-mismatch", W, "/releases/0/tag", 13)}),
    # ---- reading limits (inputs/bounds.py, inputs/yaml_text.py) and characters (checking/characters.py) ----
    ("yaml-alias-budget.yaml", {("yaml-alias-budget", E, "", 23)}),
    ("yaml-alias-loop.yaml", {("yaml-alias-loop", E, "", 17)}),
    ("nesting-too-deep.json", {("nesting-too-deep", E, "", 34)}),  # 10,000 deep: the file can't be read
    ("nesting-too-deep-yaml.yaml", {("nesting-too-deep", E, "", 17)}),
    # 100 deep: read, with what lies past 64 levels left out (so the description is no text either)
    ("nesting-too-deep-release.json", {("nesting-too-deep", E, ANY, 107),
                                       ("schema-type", E, "/releases/0/tender/description", 47)}),
    ("text-too-long.json", {("text-too-long", E, "/releases/0/tender/description", 47)}),
    ("broken-character.json", {("broken-character", E, "/releases/0/tender/title", 33)}),
    ("yaml-type.yaml", {("yaml-type", E, "/tender/title", 15)}),
    ("yaml-key-not-text.yaml", {("yaml-key-not-text", E, "/tender/1", 17), ("field-unknown", E, "/tender/1", 17)}),
    # a field the schema does not know, in a file staff write by hand, is an error (fields.HAND_WRITTEN)
    ("field-misspelled-yaml.yaml", {("field-unknown", E, "/tender/descripton", 17)}),
    ("field-indented-too-little-yaml.yaml", {("field-unknown", E, "/tender/endDate", 19)}),
    ("field-indented-too-much-yaml.yaml", {("field-unknown", E, "/tender/tenderPeriod/title", 19)}),
    ("nan-infinity-yaml.yaml", {("nan-infinity", E, "/tender/value/amount", 18)}),
    ("control-character.json", {("control-character", E, "/releases/0/tender/title", 33)}),
    ("id-character.json", {("id-character", E, "/releases/0/tender/items/0/id", 49)}),
    ("id-too-long.json", {("id-too-long", E, "/releases/0/tender/items/0/id", 49)}),
]

# Every code a single data file can produce. (schema-enum is absent: in this city's schema every
# enum is a codelist, so a wrong code is codelist-closed; see test_every_enum_is_a_codelist.)
CODES = {
    "invalid-json", "invalid-yaml", "not-utf8", "bom", "empty-file", "nan-infinity", "duplicate-key", "not-ocds",
    "invalid-json-line", "not-a-release", "upgraded-1.0", "record-not-object", "record-releases",
    "record-compiled-only", "record-ocid-mismatch", "linked-release",
    "schema-required", "schema-type", "schema-format", "codelist-closed", "codelist-open", "schema-unique",
    "schema-empty", "extension-not-declared", "field-unknown", "field-deprecated", "duplicate-id", "empty-value",
    "unsupported-version", "party-reference-no-id",
    "ocid-prefix", "duplicate-release", "date-in-future", "tender-period-order", "award-before-tender",
    "contract-period-order", "party-missing", "party-role-missing", "amount-negative", "amount-no-currency",
    "currency-mixed", "tag-mismatch", "compile-warning", "amount-too-large",
    "yaml-alias-budget", "yaml-alias-loop", "nesting-too-deep", "text-too-long", "broken-character", "yaml-type",
    "yaml-key-not-text", "control-character", "id-character", "id-too-long",
}

# Where a message must say more than its code: the line and column of a syntax error, the byte,
# where a field the schema does not know was probably meant to be.
MESSAGE_PARTS = {
    # the value repeated; the example in the city's offset on that day (America/Chicago in July: -05:00)
    "schema-format-date-written-us.yaml": "tender.tenderPeriod.endDate is '7/1/2026 2:00 PM', which is not a date "
                                          "and time as OCDS writes them.",
    "schema-type-amount-dollars.yaml": "tender.value.amount is '$85,000': an amount is written as a plain number, "
                                       "without the currency sign or the thousands separators (commas).",
    "invalid-yaml-unclosed-quote.yaml": "The quote that opens on line 15 is not closed on that line.",
    "invalid-yaml-tab.yaml": "Line 16 is indented with a tab.",
    "invalid-yaml-bad-indent.yaml": "Line 17 is indented more than the field above it, so YAML can't tell which "
                                    "field it belongs to.",
    "invalid-yaml-unquoted-colon.yaml": "The value on line 15 has a colon in it, which YAML reads as the start of a "
                                        "field.",
    "field-misspelled-yaml.yaml": "tender.descripton is not a field of OCDS or of the extensions this city "
                                  "declares. Did you mean tender.description?",
    "field-indented-too-little-yaml.yaml": "tender.endDate is not a field of OCDS or of the extensions this city "
                                           "declares. Did you mean tender.tenderPeriod.endDate? It may be indented "
                                           "too little.",
    "field-unknown.json": "tender.tenderPerod is not a field of OCDS or of the extensions this city declares. Did "
                          "you mean tender.tenderPeriod?",  # from another system: a warning, with the same help
    "field-indented-too-much-yaml.yaml": "tender.tenderPeriod.title is not a field of OCDS or of the extensions this "
                                         "city declares. Did you mean tender.title? It may be indented too much.",
    "invalid-json-missing-comma.json": "(line 35, column 9)",
    "invalid-json-single-quotes.json": "(line 16, column 7)",
    "invalid-json-truncated.json": "(line 33, column 18)",
    "invalid-json-trailing-comma.json": "(line 21, column ",  # the column is the comma's or the bracket's
    "invalid-json-line.jsonl": "(line 2, column 702)",
    "not-utf8-latin1.json": "byte E9 on line 20",
}

# The one thing to do, where it must be exact.
HINTS = {
    "schema-format-date-written-us.yaml": "Write it like 2026-07-01T14:00:00-05:00: the date, T, the time, and the "
                                          "city's offset from UTC.",
    "schema-type-amount-dollars.yaml": "Write 85000 instead.",
    "field-indented-too-little-yaml.yaml": "Indent endDate under tenderPeriod, as the template shows.",
    "invalid-yaml-unclosed-quote.yaml": "Add the closing quote at the end of the text on that line.",
}

# The releases still read from a JSON Lines file with a bad line: (line, release id).
READ = {
    "invalid-json-line.jsonl": [(1, "ocds-aldrpt-BRK-0001-tender-1"), (3, "ocds-aldrpt-BRK-0003-tender-3")],
    "not-a-release.jsonl": [(1, "ocds-aldrpt-BRK-0001-tender-1"), (3, "ocds-aldrpt-BRK-0003-tender-3")],
    "nan-infinity-jsonl.jsonl": [(1, "ocds-aldrpt-BRK-0001-tender-1")],
}


def _source(tmp_path: Path, names) -> Path:
    """A source folder with the demo city's settings and the given fixtures in ocds_data/."""
    source = tmp_path / "src"
    (source / "content").mkdir(parents=True)
    shutil.copy(REPO / "content" / "site.yml", source / "content" / "site.yml")
    (source / "ocds_data").mkdir()
    for name in names:
        shutil.copy(BROKEN / name, source / "ocds_data" / name)
    return source


def _check(tmp_path: Path, names, engine: str = "rs"):
    source = _source(tmp_path, names)
    return pipeline.check(source, pipeline.settings_for(source), engine=engine)


def _observed(problems, name: str, expected: set[tuple]) -> Counter:
    """(code, severity, pointer, line) of the problems in the fixture's own file, with the fields
    the table leaves open (ANY) blanked out."""
    loose = {row[0]: row for row in expected if ANY in row}
    rows = Counter()
    for p in problems:
        if p.location.file != f"ocds_data/{name}":
            continue
        row = (p.code, p.severity.value, p.location.pointer, p.location.line)
        if p.code in loose:
            row = tuple(ANY if want is ANY else got for got, want in zip(row, loose[p.code], strict=True))
        rows[row] += 1
    return rows


def _fixture_names() -> list[str]:
    return sorted(p.name for p in BROKEN.iterdir() if p.is_file() and not p.name.startswith("."))


@pytest.mark.parametrize(("name", "expected"), EXPECTED, ids=[name for name, _ in EXPECTED])
def test_fixture_reports_exactly_its_problems(tmp_path, name, expected):
    _, report = _check(tmp_path, [name])
    assert _observed(report.problems, name, expected) == Counter(expected)
    if name in MESSAGE_PARTS:
        [problem] = [p for p in report.problems if p.location.file == f"ocds_data/{name}"]
        assert MESSAGE_PARTS[name] in problem.message
    if name in HINTS:
        [problem] = [p for p in report.problems if p.location.file == f"ocds_data/{name}"]
        assert problem.hint == HINTS[name]
    for problem in report.problems:  # "what to do" is one concrete action a buyer can take
        if problem.hint:
            assert not problem.hint.startswith(VAGUE), problem.hint
            assert problem.hint.endswith((".", ".)")) and len(problem.hint) <= 240, problem.hint


VAGUE = ("Check", "Compare", "Make sure", "Ensure", "Consider", "See ", "Review")


@pytest.mark.parametrize("name", sorted(READ))
def test_good_lines_of_a_jsonl_file_are_still_read(tmp_path, name):
    inputs, _ = _check(tmp_path, [name])
    [data_file] = inputs.data_files
    assert data_file.path == f"ocds_data/{name}"
    assert [(r.line, r.data["id"]) for r in data_file.releases] == READ[name]


def test_every_fixture_is_in_the_table():
    names = [name for name, _ in EXPECTED]
    assert len(names) == len(set(names)), "a fixture is listed twice"
    assert sorted(names) == _fixture_names()
    assert len(names) >= 45


def test_the_corpus_covers_every_code():
    covered = {row[0] for _, expected in EXPECTED for row in expected}
    assert CODES <= covered, f"no fixture for {sorted(CODES - covered)}"
    assert covered <= CODES | {"schema-enum"}, f"codes missing from CODES: {sorted(covered - CODES)}"


def test_every_enum_is_a_codelist(tmp_path):
    """Why schema-enum has no fixture: every enum in the city's schemas belongs to a codelist
    (on the field, or on the array whose items it constrains), so it is reported as codelist-closed."""
    inputs, _ = _check(tmp_path, [])
    kit = inputs.kit
    bare = []

    def walk(node, path, codelist_above=False):
        if isinstance(node, dict):
            if "enum" in node and "codelist" not in node and not codelist_above:
                bare.append(path)
            for key, child in node.items():
                walk(child, f"{path}/{key}", key == "items" and "codelist" in node)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{path}/{index}")

    for name, schema in (("release", kit.release_schema), ("release-package", kit.release_package_schema),
                         ("record-package", kit.record_package_schema)):
        walk(schema, name)
    assert bare == []


def test_both_engines_report_the_same_problems(tmp_path):
    """jsonschema-rs and the reference jsonschema, over the whole corpus in one source folder."""
    names = _fixture_names()

    def problems(engine: str) -> list[tuple]:
        _, report = _check(tmp_path / engine, names, engine)
        rows = [(p.location.file, p.location.line is None, p.location.line or 0, p.location.pointer, p.code,
                 p.severity.value, p.message, p.location) for p in report.problems]
        return sorted(rows, key=lambda row: row[:-1])

    fast, reference = problems("rs"), problems("python")
    assert len(fast) > len(names)
    assert fast == reference


def test_demo_data_has_no_errors():
    _, report = pipeline.check(REPO, pipeline.settings_for(REPO))
    assert [p for p in report.problems if p.is_error] == []
