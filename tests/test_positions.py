"""Line numbers for JSON Pointers in JSON and YAML text (generator/positions.py)."""

from __future__ import annotations

import json
import random

import pytest

from generator.inputs.positions import format_pointer, json_duplicate_keys, json_lines, parse_pointer, yaml_lines

# Line numbers are written beside the lines they name.
PACKAGE = """\
{
  "uri": "https://example.org/package.json",
  "publishedDate": "2026-11-01T00:00:00Z",
  "releases": [
    {
      "ocid": "ocds-aldrpt-1",
      "id": "1",
      "tender": {
        "id": "t1",
        "tenderPeriod": {"startDate": "2026-11-01", "endDate": "2026-11-30"}
      }
    },
    {
      "ocid": "ocds-aldrpt-2",
      "id": "2",
      "tag": [
        "tender",
        "award"
      ],
      "tender": {
        "title": "Road repair",
        "tenderPeriod": {
          "endDate": "2026-12-01"
        }
      }
    },
    {"ocid": "ocds-aldrpt-3", "id": "3", "tender": {}}
  ]
}
"""
#  1 {   2 uri   3 publishedDate   4 releases   5 { release 0   6 ocid   7 id   8 tender   9 id t1
# 10 tenderPeriod   13 { release 1   14 ocid   15 id   16 tag   17 "tender"   18 "award"   20 tender
# 21 title   22 tenderPeriod   23 endDate   27 release 2   28 ]   29 }

PACKAGE_LINES = {
    "": 1,
    "/uri": 2,
    "/releases": 4,
    "/releases/0": 5,
    "/releases/0/id": 7,
    "/releases/0/tender/tenderPeriod/endDate": 10,  # a nested field
    "/releases/1": 13,  # an array item
    "/releases/1/tag/1": 18,
    "/releases/1/tender/tenderPeriod/endDate": 23,
    "/releases/2/ocid": 27,
    # Missing: the nearest existing ancestor.
    "/license": 1,
    "/releases/0/tender/title": 8,
    "/releases/2/tender/id": 27,
    "/releases/1/tender/tenderPeriod/startDate": 22,
    "/releases/3": 4,
    "/releases/5/id": 4,
    "/releases/-": 4,
    "/releases/01": 4,  # not an RFC 6901 index
    "/releases/1/id/deeper": 15,  # under a string
    "/releases/1/tag/2": 16,
}


def test_pretty_printed_package():
    assert json_lines(PACKAGE, PACKAGE_LINES) == PACKAGE_LINES


@pytest.mark.parametrize("pointer", PACKAGE_LINES)
def test_each_pointer_alone_gives_the_same_line(pointer):
    """Scanning stops once the requested pointers are settled; alone or together, the answer is the same."""
    assert json_lines(PACKAGE, [pointer]) == {pointer: PACKAGE_LINES[pointer]}


def test_pointers_may_be_any_iterable_and_repeat():
    pointers = (p for p in ["/releases/1/tag/0", "/releases/1/tag/0", ""])
    assert json_lines(PACKAGE, pointers) == {"/releases/1/tag/0": 17, "": 1}
    assert json_lines(PACKAGE, []) == {}


def test_minified_json_is_all_line_one():
    minified = json.dumps(json.loads(PACKAGE), separators=(",", ":"))
    assert "\n" not in minified
    assert json_lines(minified, PACKAGE_LINES) == dict.fromkeys(PACKAGE_LINES, 1)


def test_minified_json_after_a_newline():
    text = "\n\n  " + json.dumps(json.loads(PACKAGE))
    assert json_lines(text, ["", "/releases/2/tender/id", "/nothing"]) == {"": 3, "/releases/2/tender/id": 3,
                                                                            "/nothing": 3}


TRICKY = r"""{
  "skipped": {"s": "} ] \" \\", "t": ["[", "\\", {"u": "{{ \"]]"}], "v": "\\\""},
  "a": "} ] { [ \" \\",
  "b": "line\nbreak \\\" still text: {\"x\": [1,\n2]}",
  "c": "héllo — 北京 😀 ✓",
  "d": [
    "\\",
    {"e": "\"}", "\u0067": "escaped key", "w\"x": 1}
  ],
  "f": 1
}"""


def test_strings_with_brackets_escapes_and_unicode():
    pointers = {"/a": 3, "/b": 4, "/c": 5, "/d": 6, "/d/0": 7, "/d/1": 8, "/d/1/e": 8, "/d/1/g": 8,
                "/d/1/w\"x": 8, "/f": 10, "/skipped/t/2/u": 2, "/skipped/v": 2, "/d/1/missing": 8}
    assert json_lines(TRICKY, pointers) == pointers
    # Alone, "/f" makes the scanner jump over "skipped" and "d" bracket by bracket.
    assert json_lines(TRICKY, ["/f"]) == {"/f": 10}
    assert json_lines(TRICKY, ["/d/1/e"]) == {"/d/1/e": 8}
    assert json.loads(TRICKY)["d"][1]["g"] == "escaped key"  # the fixture is valid JSON


def test_keys_with_slash_and_tilde():
    text = '{\n "a/b": {\n  "c~d": 1,\n  "~1": 2\n },\n "m~0n": 3,\n "": {\n  "": 4\n }\n}'
    pointers = {"/a~1b": 2, "/a~1b/c~0d": 3, "/a~1b/~01": 4, "/m~00n": 6, "/": 7, "//": 8, "/a/b": 1, "/a~1b/x": 2}
    assert json_lines(text, pointers) == pointers


def test_pointer_escaping():
    assert parse_pointer("") == ()
    assert parse_pointer("/") == ("",)
    assert parse_pointer("/a~1b/~01/m~0n/0") == ("a/b", "~1", "m~n", "0")
    assert parse_pointer("no-slash") == ()  # not a pointer: the root
    assert format_pointer(["a/b", "~1", 0]) == "/a~1b/~01/0"
    assert json_lines('{"a": 1}', ["no-slash"]) == {"no-slash": 1}


def test_numbers_and_literals_including_nan_and_infinity():
    text = '{"a": NaN, "b": -Infinity,\n "c": [Infinity, 1e5, -0.5, true,\n null, false], "d": 0}'
    pointers = {"/a": 1, "/c": 2, "/c/3": 2, "/c/4": 3, "/c/5": 3, "/c/6": 2, "/d": 3}
    assert json_lines(text, pointers) == pointers
    assert json_lines('{"a"\n : 1}', ["/a"]) == {"/a": 1}  # the line of the key, not of its colon


def test_crlf_and_byte_order_mark():
    assert json_lines('\ufeff{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}', ["/a/b", "/a/c"]) == {"/a/b": 3, "/a/c": 2}


def test_a_root_array_and_a_root_scalar():
    assert json_lines('[\n {"id": 1},\n {"id": 2}\n]', ["/1/id", "/2", ""]) == {"/1/id": 3, "/2": 1, "": 1}
    assert json_lines('\n"just a string"', ["", "/x"]) == {"": 2, "/x": 2}


DUPLICATES = """\
{
  "id": "1",
  "releases": [
    {
      "id": "a",
      "tender": {"id": "t", "id": "u"},
      "id": "b",
      "id": "c"
    },
    {"x/y": 1, "x/y": 2, "z": "id", "id": "id"},
    {"a": 1, "\\u0061": 2}
  ],
  "id": "2"
}
"""


def test_duplicate_keys_top_level_and_nested():
    assert json_duplicate_keys(DUPLICATES) == [
        ("/releases/0/tender/id", 6),
        ("/releases/0/id", 7),
        ("/releases/0/id", 8),
        ("/releases/1/x~1y", 10),
        ("/releases/2/a", 11),  # the same key once its escapes are decoded
        ("/id", 13),
    ]


def test_a_repeated_key_is_located_at_its_first_occurrence():
    assert json_lines(DUPLICATES, ["/releases/0/id", "/id"]) == {"/releases/0/id": 5, "/id": 2}


def test_no_duplicates():
    assert json_duplicate_keys(PACKAGE) == []
    assert json_duplicate_keys('[{"id": 1}, {"id": 2}, {"a": {"id": 3}, "id": 4}]') == []
    assert json_duplicate_keys("") == []
    assert json_duplicate_keys("[1, 2, 3]") == []


def test_duplicates_in_a_root_array_and_minified():
    assert json_duplicate_keys('[{"id":1},{"id":2,"id":3}]') == [("/1/id", 1)]


TRUNCATED = PACKAGE[:PACKAGE.index("Road repair") + 4]  # ends inside release 1's title string


@pytest.mark.parametrize("text", [
    TRUNCATED, "", "   \n ", "not json at all", "{]", "[1, 2", '{"a": "unterminated', "}", '{"a": 1} {"b": 2}',
    '{"a": [1, 2}', "{{{{", ":::", '"', "\\", '{"a"', '{"a":', "[" * 10000, '{"a": {"b": [1, {"c": "\\',
])
def test_invalid_text_never_raises(text):
    pointers = ["", "/a", "/a/b", "/releases/1/tender/title", "/b"]
    lines = json_lines(text, pointers)
    assert set(lines) == set(pointers)
    assert all(isinstance(n, int) and n >= 1 for n in lines.values())
    assert isinstance(json_duplicate_keys(text), list)


def test_truncated_document_gives_what_was_found():
    pointers = {
        "/releases/0/tender/tenderPeriod/endDate": 10,
        "/releases/1/tender": 20,
        "/releases/1/tender/title": 21,  # its key was read before the text ends
        "/releases/1/tender/tenderPeriod": 20,  # not reached: its nearest ancestor found
        "/releases/2/id": 4,
        "/license": 1,
    }
    assert json_lines(TRUNCATED, pointers) == pointers


def test_invalid_documents_give_exact_lines_up_to_the_damage():
    # A mismatched bracket closes the innermost container, and scanning goes on.
    assert json_lines('{"a": 1,\n "b": [1,\n 2}\n, "c": 3}', ["/b/1", "/c"]) == {"/b/1": 3, "/c": 4}
    assert json_lines('{"a": 1}\n{"b": 2}', ["/a", "/b"]) == {"/a": 1, "/b": 1}  # text after the root is ignored
    assert json_lines("", ["", "/a"]) == {"": 1, "/a": 1}
    assert json_duplicate_keys('{"a": 1,\n"a": 2,\n"b": {"c": [') == [("/a", 2)]


YAML = """\
# A city's settings
title: Portal
languages:
  - es
  - en
menu:
  - label: Home
    url: /
  - label: Data
    url: /data/
published: 2026-11-16
"a/b": {x: [1,
  2]}
"""


def test_yaml_mapping_sequence_nested_and_missing():
    pointers = {
        "": 2,  # the root mapping starts after the comment
        "/title": 2,
        "/languages": 3,
        "/languages/1": 5,
        "/menu/1": 9,
        "/menu/1/url": 10,
        "/published": 11,  # a date, kept as text
        "/a~1b/x/1": 13,
        # Missing: the nearest existing ancestor.
        "/menu/1/icon": 9,
        "/menu/7": 6,
        "/menu/01": 6,
        "/missing": 2,
        "/title/x": 2,
    }
    assert yaml_lines(YAML, pointers) == pointers


def test_yaml_and_json_agree_on_a_json_document():
    assert yaml_lines(PACKAGE, PACKAGE_LINES) == PACKAGE_LINES


@pytest.mark.parametrize("text", ["", "# only a comment\n", "a: [1, 2\n", "a: 1\n---\nb: 2\n", "- a\nb: 1\n", "*x"])
def test_yaml_that_does_not_compose_gives_line_one(text):
    assert yaml_lines(text, ["", "/a"]) == {"": 1, "/a": 1}


def test_yaml_aliases_and_duplicate_keys():
    text = "base: &b\n  x: 1\nother: *b\nbase: 2\n"
    assert yaml_lines(text, ["/other/x", "/base"]) == {"/other/x": 2, "/base": 1}


def test_json_and_yaml_agree_on_random_documents():
    """PyYAML reads JSON too: an independent check of the scanner on many shapes and layouts."""
    rng = random.Random(7)
    keys = ["id", "a/b", "~", "x~1", 'q"t', "back\\", "é", "{", "]", "", "n 1"]
    scalars = [1, -2.5, True, None, "s", "}{][", 'a"b', "\\", "line\nx", "ü", "北京"]

    def value(depth: int):
        r = rng.random()
        if depth > 4 or r < 0.3:
            return rng.choice(scalars)
        if r < 0.65:
            return {k: value(depth + 1) for k in rng.sample(keys, rng.randint(0, 4))}
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]

    def paths(v, path=()):
        yield path
        children = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        for k, child in children:
            yield from paths(child, (*path, k))

    for _ in range(300):
        doc = {"root": value(0)}
        text = json.dumps(doc, indent=rng.choice([None, 1, 2, 4]), ensure_ascii=rng.random() < 0.5)
        pointers = [format_pointer(p) for p in paths(doc)]
        pointers += [p + "/missing" for p in pointers[:5]]
        lines = json_lines(text, pointers)
        assert lines == yaml_lines(text, pointers), text
        for pointer in rng.sample(pointers, 3):
            assert json_lines(text, [pointer]) == {pointer: lines[pointer]}, (text, pointer)


def big_package(size: int) -> tuple[str, int]:
    """A pretty-printed package of about `size` characters, and its number of releases."""
    def release(i: int) -> dict:
        return {"ocid": f"ocds-aldrpt-{i}", "id": f"r{i:06}", "date": "2026-11-01T09:00:00-06:00",
                "tag": ["tender"], "tender": {"id": f"t{i}", "title": 'Road "A" {north} [2] \\ é',
                                              "items": [{"id": str(k), "quantity": k} for k in range(3)],
                                              "tenderPeriod": {"endDate": f"e{i:06}"}}}
    one = len(json.dumps(release(0), indent=2))
    count = size // (one + 6)
    text = json.dumps({"uri": "u", "releases": [release(i) for i in range(count)]}, indent=2, ensure_ascii=False)
    return text, count


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def test_a_5_mb_file_and_100_pointers_are_all_found():
    """(How long it takes is measured by benchmarks/positions.py, not here: a loaded machine made a
    timed test flaky.)"""
    text, count = big_package(5_000_000)
    assert len(text) > 4_500_000
    step = count // 90
    releases = list(range(0, count, step))[:90] + [count - 1]
    pointers = [f"/releases/{i}/tender/tenderPeriod/endDate" for i in releases]
    pointers += [f"/releases/{count - 1}/tender/missing", "/license", f"/releases/{count}/id"]
    pointers += [f"/releases/{count - 1 - k}/id" for k in range(100 - len(pointers))]
    assert len(pointers) == 100
    lines = json_lines(text, pointers)
    duplicates = json_duplicate_keys(text)
    assert duplicates == []
    for i in releases:
        assert lines[f"/releases/{i}/tender/tenderPeriod/endDate"] == line_of(text, f'"endDate": "e{i:06}"')
    assert lines[f"/releases/{count - 1}/id"] == line_of(text, f'"id": "r{count - 1:06}"')
    assert lines[f"/releases/{count - 1}/tender/missing"] == line_of(text, f'"tender": {{\n        "id": "t{count - 1}"')
    assert lines["/license"] == 1
    assert lines[f"/releases/{count}/id"] == 3
