"""Hostile input (issue 16): every case the issue found is read within limits, reported in plain words
with its file and line, and never makes check and build crash, hang or disagree."""

from __future__ import annotations

import gzip
import io
import json
import time
from contextlib import redirect_stderr, redirect_stdout

import pytest

from generator.checking.characters import character_problems
from generator.checking.problem_text import as_text, visible
from generator.cli import main
from generator.errors import Location, SettingsError, error
from generator.inputs import bounds, parsing, positions
from generator.inputs.settings import parse_settings
from generator.inputs.yaml_text import MAX_ALIAS_VALUES, YAMLLimitError, load_yaml

from conftest import copy_source, release
from fuzzing import PYTHON_WORDS

NOTICE = """\
ocid: ocds-aldrpt-X-1
id: "1"
date: "2026-11-01T09:00:00-06:00"
tag: [tender]
initiationType: tender
parties:
  - {id: PW, name: Public Works, roles: [buyer]}
tender:
  id: t1
  status: active
"""


def bomb(levels: int) -> str:
    return NOTICE + "laughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, levels + 1))


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def run(*argv) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of a command."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def portal(tmp_path):
    """A portal folder with the demo's settings and no data; `add(name, bytes or data)` adds a file."""
    source = copy_source(tmp_path, with_data=False)
    (source / "ocds_data").mkdir()

    def add(name: str, content) -> None:
        raw = content if isinstance(content, bytes) else (
            content.encode("utf-8", "surrogatepass") if isinstance(content, str) else json.dumps(content).encode())
        (source / "ocds_data" / name).write_bytes(raw)

    add.source = source
    return add


def check_and_build(portal, tmp_path) -> tuple[int, str, int, str, set[str]]:
    """Both commands on the portal: check's exit code and JSON report, build's exit code and
    everything it printed, and the processes it published (those of its record package)."""
    check_code, check_out, check_err = run("check", "--source", str(portal.source), "--format", "json")
    assert "Traceback" not in check_err and not PYTHON_WORDS.search(check_err)
    site = tmp_path / "site"
    build_code, build_out, build_err = run("build", "--keep-going", "--source", str(portal.source), "--output",
                                           str(site), "--today", "2026-11-16")
    package = site / "data" / "ocds-record-package.json.gz"
    published = {r["ocid"] for r in json.loads(gzip.decompress(package.read_bytes()))["records"]} if (
        package.is_file()) else set()
    return check_code, check_out, build_code, build_out + build_err, published


# ---- YAML aliases ----

@pytest.mark.parametrize("levels", [5, 9, 12])
def test_an_alias_bomb_is_refused_at_once_on_its_line(levels):
    started = time.perf_counter()
    data_file, problems = parsing.parse_data_file("ocds_data/bomb.yaml", bomb(levels).encode())
    assert time.perf_counter() - started < 1
    assert data_file is None
    [problem] = problems
    assert problem.code == "yaml-alias-budget" and problem.is_error
    assert problem.location.file == "ocds_data/bomb.yaml"
    assert problem.location.line == 16  # a4, whose first alias passes the budget
    assert f"{MAX_ALIAS_VALUES:,} values" in problem.message


def test_aliases_within_the_budget_are_read_as_written():
    text = NOTICE.replace("parties:\n  - {id: PW", "parties:\n  - &pw {id: PW") + "buyer: *pw\n"
    data_file, problems = parsing.parse_data_file("ocds_data/a.yaml", text.encode())
    assert problems == []
    assert data_file.releases[0].data["buyer"] == {"id": "PW", "name": "Public Works", "roles": ["buyer"]}


@pytest.mark.parametrize(("text", "line"), [
    ("tender: &t\n  lots: *t\n", 12),
    ("tag: &t [tender, *t]\n", 11),
    ("a: &a\n  - b: &b\n      - *a\n", 13),
])
def test_an_alias_that_holds_itself_is_an_error_not_a_recursion(text, line):
    data_file, problems = parsing.parse_data_file("ocds_data/loop.yaml", (NOTICE + text).encode())
    assert data_file is None
    assert [(p.code, p.location.line) for p in problems] == [("yaml-alias-loop", line)]


def test_settings_with_an_alias_bomb_fail_plainly_on_their_line(tmp_path):
    settings = (copy_source(tmp_path, with_data=False) / "content" / "site.yml").read_text()
    text = settings + "bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    started = time.perf_counter()
    with pytest.raises(SettingsError) as caught:
        parse_settings(text)
    assert time.perf_counter() - started < 1
    assert caught.value.message.startswith(f"content/site.yml:{settings.count(chr(10)) + 6}: the aliases")


def test_settings_never_hold_python_types():
    with pytest.raises(YAMLLimitError) as caught:
        load_yaml("today: !!timestamp 2026-01-01\n")
    assert caught.value.code == "yaml-type" and caught.value.problem_mark.line == 0
    assert "datetime" not in caught.value.problem and "!!timestamp (a date)" in caught.value.problem


# ---- nesting ----

@pytest.mark.parametrize(("name", "text", "line"), [
    ("deep.json", '{"ocid": "ocds-aldrpt-X-1",\n "x": ' + "[" * 10_000 + "]" * 10_000 + "}", 2),
    ("deep.jsonl", json.dumps(release()) + '\n{"ocid": "ocds-aldrpt-X-2", "x": ' + "[" * 10_000 + "]" * 10_000 + "}",
     2),
    ("deep.yaml", NOTICE + "x: " + "[" * 10_000 + "]" * 10_000 + "\n", 11),
    # block style: the list on line 11 + i is i + 1 levels deep, so the 65th level starts on line 75
    ("deep-block.yaml", NOTICE + "x:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)), 75),
    ("deep-map.yaml", NOTICE + "".join("  " * i + "a:\n" for i in range(3000)) + "  " * 3000 + "b: 1\n", 75),
])
def test_ten_thousand_levels_are_an_error_on_their_line_quickly(name, text, line):
    started = time.perf_counter()
    data_file, problems = parsing.parse_data_file(f"ocds_data/{name}", text.encode())
    assert time.perf_counter() - started < 3
    [problem] = [p for p in problems if p.code == "nesting-too-deep"]
    assert problem.location.file == f"ocds_data/{name}"
    assert problem.location.line == line
    assert "more than 64 levels" in problem.message
    if name.endswith(".jsonl"):
        assert [r.data["ocid"] for r in data_file.releases] == ["ocds-aldrpt-X-1"]  # the other line still counts


def test_nesting_past_the_limit_is_cut_and_names_its_release():
    deep: object = "bottom"
    for _ in range(80):
        deep = {"a": deep}
    data = {"releases": [release(), release(ocid="ocds-aldrpt-X-2", tender={"id": "t", "x": deep})]}
    data_file, problems = parsing.classify("ocds_data/big.json", data)  # as streamed packages are read
    [problem] = [p for p in problems if p.is_error]
    assert (problem.code, problem.location.item, problem.location.ocid) == ("nesting-too-deep", 1, "ocds-aldrpt-X-2")
    assert problem.location.pointer == "/releases/1/tender/x" + "/a" * 60  # x is level 5: levels 1-64 are kept
    assert len(data_file.releases) == 2


def test_the_depth_line_finder_ignores_brackets_in_strings():
    text = '{"a": "[[[[[[",\n "b": [[\n[[1]]]]}'
    assert positions.json_depth_line(text, 3) == 3
    assert positions.json_depth_line(text, 5) == 1


# ---- texts ----

def test_a_huge_text_is_cut_to_the_limit_and_reported():
    data = release(tender={"id": "t1", "title": "x" * 1_000_000, "description": "y" * bounds.MAX_TEXT})
    data_file, problems = parsing.parse_data_file("ocds_data/a.json", json.dumps(data).encode())
    assert [(p.code, p.location.pointer) for p in problems] == [("text-too-long", "/tender/title")]
    assert "1,000,000 characters" in problems[0].message
    assert len(data_file.releases[0].data["tender"]["title"]) == bounds.MAX_TEXT


def test_lone_surrogates_become_the_replacement_character_in_values_and_names():
    data, breaches = bounds.bound({"a\ud800": ["x\udfffy", {"b": "\U0001f600 fine"}]})
    assert data == {"a\ufffd": ["x\ufffdy", {"b": "\U0001f600 fine"}]}
    assert [(b.code, b.path) for b in breaches] == [("broken-character", ("a\ufffd",)),
                                                     ("broken-character", ("a\ufffd", 0))]


def test_values_json_lacks_are_left_out():
    data, breaches = bounds.bound({"a": b"bytes", "b": float("nan"), "c": {1, 2}, 5: "x", "d": [1.5, True, None]})
    assert data == {"a": None, "b": None, "c": None, "5": "x", "d": [1.5, True, None]}
    assert sorted(b.code for b in breaches) == ["nan-infinity", "not-json-value", "not-json-value", "not-json-value"]


def test_a_lone_surrogate_is_reported_by_check_and_published_as_a_replacement_character(portal, tmp_path):
    portal("bad.json", '{"releases": [' + json.dumps(release(tender={"id": "t", "title": "a\ud800b"})) + "]}")
    portal("good.json", release(ocid="ocds-aldrpt-X-2"))
    check_code, check_out, build_code, build_out, published = check_and_build(portal, tmp_path)
    assert check_code == 1
    [entry] = [e for e in json.loads(check_out)["problems"] if e["code"] == "broken-character"]
    assert (entry["severity"], entry["file"], entry["examples"][0]["pointer"], entry["examples"][0]["ocid"]) == (
        "error", "ocds_data/bad.json", "/releases/0/tender/title", "ocds-aldrpt-X-1")
    assert build_code == 0 and "Traceback" not in build_out
    assert published == {"ocds-aldrpt-X-1", "ocds-aldrpt-X-2"}  # the text can be shown: a note, not a wrong page
    from generator import routes
    page = (tmp_path / "site" / routes.process_path("ocds-aldrpt-X-1")).read_text("utf-8")
    assert "a\ufffdb" in page and "Notes on this data" in page


# ---- the rules meet wrong types ----

@pytest.mark.parametrize("roles", [5, "buyer", None, {"a": 1}, 1.5])
def test_roles_that_are_not_a_list_are_a_schema_error_not_a_crash(portal, tmp_path, roles):
    portal("a.json", release(parties=[{"id": "PW", "name": "Public Works", "roles": roles}],
                             buyer={"id": "PW", "name": "Public Works"}))
    check_code, check_out, build_code, build_out, published = check_and_build(portal, tmp_path)
    found = {e["code"] for e in json.loads(check_out)["problems"]}
    assert "party-role-missing" in found  # a warning, as the Data Review Tool does not report it
    assert check_code == 0 if roles is None else check_code == 1 and "schema-type" in found
    assert build_code == 0 and published == {"ocds-aldrpt-X-1"}  # published, with the problems as notes
    assert not PYTHON_WORDS.search(check_out + build_out)


@pytest.mark.parametrize("parties", [5.5, "PW", True])
def test_parties_that_are_not_a_list_are_a_schema_error_not_a_crash(portal, tmp_path, parties):
    portal("a.json", release(parties=parties, buyer={"id": "PW", "name": "Public Works"}))
    check_code, check_out, build_code, _, published = check_and_build(portal, tmp_path)
    assert check_code == 1 and {"schema-type", "party-missing"} <= {e["code"] for e in json.loads(check_out)["problems"]}
    assert build_code == 0 and published == {"ocds-aldrpt-X-1"}


# ---- control characters and identifiers ----

@pytest.mark.parametrize(("ocid", "code", "words"), [
    ("ocds-aldrpt-X-\x001", "id-character", "a null character (U+0000)"),
    ("ocds-aldrpt-X-1\nX", "id-character", "a line break (U+000A)"),
    ("ocds-aldrpt-X-\u202e1", "id-character", "an invisible direction mark (U+202E)"),
    ("ocds-aldrpt-X-\x851", "id-character", "an invisible control character (U+0085)"),
    ("ocds-aldrpt-" + "x" * 5000, "id-too-long", "is 5,012 characters long"),
])
def test_ocids_that_no_address_can_hold_are_errors_and_never_reach_the_site(portal, tmp_path, ocid, code, words):
    portal("bad.json", release(ocid=ocid))
    portal("good.json", release(ocid="ocds-aldrpt-X-2"))
    check_code, check_out, build_code, build_out, published = check_and_build(portal, tmp_path)
    [entry] = [e for e in json.loads(check_out)["problems"] if e["severity"] == "error"]
    assert (entry["code"], entry["file"], entry["examples"][0]["pointer"]) == (code, "ocds_data/bad.json", "/ocid")
    assert words in entry["message"]
    assert build_code == 0 and published == {"ocds-aldrpt-X-2"}
    for path in (tmp_path / "site").rglob("*"):  # the data-quality page names it with <U+…>
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".xml", ".ics", ".atom"):
            assert b"\x00" not in path.read_bytes() and "\u202e".encode() not in path.read_bytes(), path


def test_ids_are_held_to_the_same_characters_and_length():
    data = release(tender={"id": "t\x1b1", "items": [{"id": "9" * 201}, {"id": "\u2066x"}, {"id": 7}]})
    found = [(p.code, p.location.pointer) for p in character_problems(parsing.SourceRelease(data, "a.json"))]
    assert sorted(found) == [("id-character", "/tender/id"), ("id-character", "/tender/items/1/id"),
                             ("id-too-long", "/tender/items/0/id")]


def test_free_text_may_hold_tabs_and_line_breaks_but_no_other_control_character():
    data = release(tender={"id": "t1", "description": "Line one\r\nLine two\tand a tab, \u00e9t\u00e9 \U0001f600",
                           "title": "Salt\x00", "items": [{"id": "1", "description": "bell\x07"}]},
                   **{"note\x1b": "x"})
    problems = character_problems(parsing.SourceRelease(data, "a.json"))
    assert sorted((p.code, p.location.pointer) for p in problems) == [
        ("control-character", "/note\x1b"), ("control-character", "/tender/items/0/description"),
        ("control-character", "/tender/title")]
    [title] = [p for p in problems if p.location.pointer == "/tender/title"]
    assert title.message == ("tender.title holds a null character (U+0000), which pages, feeds and spreadsheets "
                             "can't show.")


def test_printed_locations_show_invisible_characters_and_cut_long_ocids():
    text = as_text([error("id-character", "x", Location("a.json", 1, None, "ocds-\x00\n\u202e" + "y" * 500, "/ocid"))])
    assert "ocds-<U+0000><U+000A><U+202E>" in text and "y" * 92 + "…" in text and "y" * 101 not in text
    assert visible("a\nb", breaks=True) == "a\nb" and visible("a\x00b", breaks=True) == "a<U+0000>b"


# ---- Python's words ----

@pytest.mark.parametrize("value", ["!!timestamp 2026-01-01", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]",
                                   ".nan", "-.inf", "!custom x", "!!python/object:os.system x"])
def test_yaml_values_json_lacks_are_said_in_plain_words(portal, tmp_path, value):
    portal("notice.yaml", NOTICE.replace("  id: t1", f"  id: t1\n  title: {value}"))
    check_code, check_out, build_code, build_out, published = check_and_build(portal, tmp_path)
    problems = json.loads(check_out)["problems"]
    assert check_code == 1 and [e["examples"][0]["line"] for e in problems if e["code"] in (
        "yaml-type", "nan-infinity")] == [10]
    assert not PYTHON_WORDS.search(check_out + build_out), check_out
    assert build_code == 0 and len(published) == 1  # read as text (or left out), and published with a note


@pytest.mark.parametrize(("key", "words"), [("1", "a number"), ("yes", "true or false"), ("~", "empty (null)"),
                                            ("? [a, b]", "a list or a mapping")])
def test_yaml_names_that_are_not_text_are_said_in_plain_words(key, words):
    text = NOTICE + f"{key}: 1\n"
    _, problems = parsing.parse_data_file("ocds_data/a.yaml", text.encode())
    [problem] = [p for p in problems if p.code == "yaml-key-not-text"]
    assert problem.location.line == 11 and words in problem.message
    assert not PYTHON_WORDS.search(problem.message)


def test_json_dates_and_odd_values_are_said_in_plain_words(portal, tmp_path):
    portal("a.json", release(date=True, tag=[None, 5], parties=[{"id": "PW", "roles": {"buyer": 1}}],
                             tender={"id": "t1", "status": {"a": 1}, "value": {"amount": True}}))
    check_code, check_out, build_code, build_out, _ = check_and_build(portal, tmp_path)
    assert check_code == 1 and build_code == 0
    assert not PYTHON_WORDS.search(check_out + build_out), check_out


def test_an_upgrade_that_merges_organisations_says_so_instead_of_printing(capsys):
    """ocdskit logs when OCDS 1.0 names one organisation with different details in two roles."""
    data = release(buyer={"id": "PW", "name": "Public Works"}, tender={"id": "t1", "procuringEntity": {
        "id": "PW", "name": "Works Dept"}})
    del data["parties"]
    _, problems = parsing.parse_data_file("ocds_data/old.json", json.dumps(data).encode())
    [problem] = problems
    assert problem.code == "upgraded-1.0" and "1 organisation(s) named in several places" in problem.message
    assert capsys.readouterr().err == ""
