"""report: problems folded and written for a person, a program and GitHub Actions."""

from __future__ import annotations

import json

from generator.checking.problem_text import Folded, as_github, as_json, as_text, fold
from generator.errors import Location, Severity, error, warning

WORKS = "ocds_data/public-works/2026.json"
SITE = "content/site.yml"


def dates(n: int):
    """`n` repeats of the same error, at lines 10, 20, 30, … and releases 0, 1, 2, …"""
    return [error("date-in-future", f"The release date 2027-01-0{i + 1} is after today.",
                  Location(WORKS, 10 * (i + 1), i, f"ocds-x-{i}", f"/releases/{i}/date"), "Check the date.")
            for i in range(n)]


def sample():
    """Two errors and a warning over two files, given out of order."""
    return [
        warning("unknown-key", "Unknown setting 'colour'.", Location(SITE, 7, pointer="/colour"), "Remove it."),
        error("schema-required", '"id" is missing.',
              Location(WORKS, 42, None, "ocds-aldrpt-2026-PW-0003", "/releases/3/tender"), "Add the tender's identifier."),
        error("date-in-future", "The release date 2027-01-01 is after today.",
              Location(WORKS, 10, None, "", "/releases/0/date"), "Check the date."),
    ]


def test_five_repeats_fold_to_one_entry_with_three_examples():
    problems = dates(5)
    assert fold(problems) == [Folded(Severity.ERROR, "date-in-future", WORKS, 5, tuple(problems[:3]))]
    assert fold(problems)[0].message == problems[0].message and fold(problems)[0].hint == "Check the date."


def test_folding_keeps_file_code_and_severity_apart():
    same_code_as_warning = warning("date-in-future", "Odd date.", Location(WORKS, 5))
    other_file = error("date-in-future", "Bad date.", Location(SITE, 5))
    folded = fold([*dates(2), same_code_as_warning, other_file])
    assert [(f.file, f.severity, f.count) for f in folded] == [
        (SITE, Severity.ERROR, 1), (WORKS, Severity.ERROR, 2), (WORKS, Severity.WARNING, 1)]


def test_order_is_file_then_errors_first_then_code_with_no_file_last():
    problems = [
        error("z-code", "no file"),
        warning("a-code", "w", Location("b.json")),
        error("y-code", "e", Location("b.json")),
        error("x-code", "e", Location("b.json")),
        warning("a-code", "w", Location("a.json")),
    ]
    assert [(f.file, f.code) for f in fold(problems)] == [
        ("a.json", "a-code"), ("b.json", "x-code"), ("b.json", "y-code"), ("b.json", "a-code"), ("", "z-code")]
    assert fold(problems) == fold(list(problems))


def test_text_for_a_person():
    assert as_text([*sample(), *dates(5)[1:]]) == (
        "content/site.yml\n"
        "  warning [unknown-key] line 7, /colour: Unknown setting 'colour'.\n"
        "      what to do: Remove it.\n"
        "ocds_data/public-works/2026.json\n"
        "  error [date-in-future] 5 times, e.g. line 10 (/releases/0/date), line 20 (/releases/1/date), "
        "line 30 (/releases/2/date): The release date 2027-01-01 is after today.\n"
        "      what to do: Check the date.\n"
        "  error [schema-required] line 42, ocds-aldrpt-2026-PW-0003, /releases/3/tender: \"id\" is missing.\n"
        "      what to do: Add the tender's identifier.\n"
        "6 errors, 1 warning in 2 files.\n"
    )


def test_text_shows_item_and_handles_problems_without_a_place():
    problems = [error("bad", "Broken.", Location("a.json", item=2, ocid="ocds-x-1")), warning("odd", "Hmm.")]
    assert as_text(problems) == (
        "a.json\n"
        "  error [bad] item 2, ocds-x-1: Broken.\n"
        "(input)\n"
        "  warning [odd] Hmm.\n"
        "1 error, 1 warning in 2 files.\n"
    )


def test_colour_only_adds_ansi_codes():
    plain, coloured = as_text(sample()), as_text(sample(), colour=True)
    assert "\x1b[" not in plain
    assert "\x1b[31merror\x1b[0m [schema-required]" in coloured
    assert "\x1b[33mwarning\x1b[0m [unknown-key]" in coloured
    assert "\x1b[1mcontent/site.yml\x1b[0m\n" in coloured
    assert "\x1b[2mwhat to do:\x1b[0m Remove it." in coloured
    for code in ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m"):
        coloured = coloured.replace(code, "")
    assert coloured == plain


def test_no_problems():
    assert as_text([]) == "No problems found.\n"
    assert as_text([], colour=True) == "No problems found.\n"
    assert as_github([]) == ""
    assert json.loads(as_json([])) == {"summary": {"errors": 0, "warnings": 0}, "problems": []}


def test_json_for_a_program():
    text = as_json([*sample()[:2], *dates(4)])
    assert text.endswith("}\n") and text.startswith('{\n  "summary": {\n    "errors": 5,')
    document = json.loads(text)
    assert document == {
        "summary": {"errors": 5, "warnings": 1},
        "problems": [
            {"severity": "warning", "code": "unknown-key", "file": SITE, "count": 1,
             "message": "Unknown setting 'colour'.", "hint": "Remove it.",
             "examples": [{"line": 7, "item": None, "ocid": "", "pointer": "/colour", "cell": "",
                           "message": "Unknown setting 'colour'."}]},
            {"severity": "error", "code": "date-in-future", "file": WORKS, "count": 4,
             "message": "The release date 2027-01-01 is after today.", "hint": "Check the date.",
             "examples": [{"line": 10 * (i + 1), "item": i, "ocid": f"ocds-x-{i}", "pointer": f"/releases/{i}/date",
                           "cell": "", "message": f"The release date 2027-01-0{i + 1} is after today."} for i in range(3)]},
            {"severity": "error", "code": "schema-required", "file": WORKS, "count": 1,
             "message": '"id" is missing.', "hint": "Add the tender's identifier.",
             "examples": [{"line": 42, "item": None, "ocid": "ocds-aldrpt-2026-PW-0003",
                           "pointer": "/releases/3/tender", "cell": "", "message": '"id" is missing.'}]},
        ],
    }
    assert list(document["problems"][0]) == ["severity", "code", "file", "count", "message", "hint", "examples"]
    assert list(document["problems"][0]["examples"][0]) == ["line", "item", "ocid", "pointer", "cell", "message"]


def test_json_keeps_non_ascii_text():
    assert '"message": "Fecha inválida – año 2027."' in as_json([error("d", "Fecha inválida – año 2027.")])


def test_github_workflow_commands():
    assert as_github([*sample(), *dates(5)[1:]]) == (
        "::warning file=content/site.yml,line=7,title=unknown-key::Unknown setting 'colour'. What to do: Remove it.\n"
        "::error file=ocds_data/public-works/2026.json,line=10,title=date-in-future::"
        "The release date 2027-01-01 is after today. (and 4 more like this: lines 20, 30, …) What to do: Check the date.\n"
        "::error file=ocds_data/public-works/2026.json,line=42,title=schema-required::"
        "\"id\" is missing. What to do: Add the tender's identifier.\n"
    )


def test_github_lists_all_other_lines_when_none_are_left_out():
    assert as_github(dates(3)) == (
        "::error file=ocds_data/public-works/2026.json,line=10,title=date-in-future::The release date 2027-01-01 "
        "is after today. (and 2 more like this: lines 20, 30) What to do: Check the date.\n")
    assert as_github(dates(2)) == (
        "::error file=ocds_data/public-works/2026.json,line=10,title=date-in-future::The release date 2027-01-01 "
        "is after today. (and 1 more like this: line 20) What to do: Check the date.\n")


def test_github_escaping_of_data_and_properties():
    problem = error("bad:code,x", "100% wrong:\r\nsee a, b", Location("data/a:b,c%.json", 3), "Fix\nit.")
    assert as_github([problem]) == (
        "::error file=data/a%3Ab%2Cc%25.json,line=3,title=bad%3Acode%2Cx::"
        "100%25 wrong:%0D%0Asee a, b What to do: Fix%0Ait.\n")


def test_github_problems_without_a_file_or_line():
    problems = [warning("no-line", "Somewhere.", Location("a.json")),
                error("general", "No file here.", Location(line=5)), error("general", "Again.")]
    assert as_github(problems) == (
        "::warning file=a.json,title=no-line::Somewhere.\n"
        "::error title=general::No file here. (and 1 more like this)\n")
