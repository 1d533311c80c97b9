"""errors: problems as values, readable locations, and errors that survive a worker process."""

from __future__ import annotations

import pickle

from generator.errors import Location, OutputError, Severity, error, json_pointer, warning


def test_json_pointer_escapes_tilde_and_slash():
    assert json_pointer(["releases", 0, "a/b", "c~d"]) == "/releases/0/a~1b/c~0d"
    assert json_pointer([]) == ""


def test_location_reads_like_a_place_in_a_file():
    assert str(Location("ocds_data/a.json", 12, 3, "ocds-x-1", "/releases/3/tender")) == \
        "ocds_data/a.json:12, item 3, ocds-x-1, /releases/3/tender"
    assert str(Location()) == "(input)"


def test_problems_carry_severity_code_and_hint():
    problem = error("schema", "bad", Location("f.json"), "fix it")
    assert problem.is_error and problem.severity is Severity.ERROR and problem.hint == "fix it"
    assert not warning("w", "careful").is_error


def test_errors_keep_their_hint_across_processes():
    copy = pickle.loads(pickle.dumps(OutputError("message", hint="what to do")))
    assert isinstance(copy, OutputError) and copy.message == "message" and copy.hint == "what to do"
