"""checking.policy: what a build publishes, leaves out and stops for."""

from __future__ import annotations

from generator.checking.policy import Policy, blocks, in_files, leave_out, notes_by_process
from generator.errors import Location, error, warning


def test_only_a_blocking_error_that_names_a_process_leaves_it_out():
    problems = [error("amount-no-currency", "x", Location("ocds_data/p.json", ocid="A")),
                error("codelist-closed", "x", Location("ocds_data/p.json", ocid="B")),
                warning("amount-no-currency", "x", Location("ocds_data/p.json", ocid="C")),  # not an error
                error("schema-required", "uri is missing", Location("ocds_data/p.json", pointer="/uri"))]
    assert leave_out(problems) == ("A",)
    assert not blocks(error("compile-failed", "x", Location("f.json")))  # names no process


def test_notes_are_per_process_errors_first_and_never_for_a_process_left_out():
    problems = [warning("field-unknown", "w", Location(ocid="B")), error("schema-type", "e", Location(ocid="B")),
                error("compile-failed", "x", Location(ocid="A")), warning("bom", "file", Location("f.json"))]
    notes = notes_by_process(problems)
    assert list(notes) == ["B"] and [p.code for p in notes["B"]] == ["schema-type", "field-unknown"]


def test_what_stops_a_build():
    unreadable = error("invalid-json", "x", Location("ocds_data/a.json"))
    noted = error("codelist-closed", "x", Location("ocds_data/b.json", ocid="B"))
    assert Policy().stops([noted]) == ""
    assert "1 file could not be read (ocds_data/a.json)" in Policy().stops([unreadable, noted])
    assert Policy(keep_going=True).stops([unreadable]) == ""
    assert "--strict" in Policy(strict=True).stops([warning("bom", "x")])


def test_a_change_answers_for_its_files_and_for_problems_that_name_none():
    problems = [error("a", "x", Location("ocds_data/new.json")), error("b", "x", Location("ocds_data/old.json")),
                error("c", "x")]
    kept, elsewhere = in_files(problems, frozenset({"ocds_data/new.json"}))
    assert [p.code for p in kept] == ["a", "c"] and [p.code for p in elsewhere] == ["b"]
