"""Characters no page can show, and identifiers no link can hold. Pure: a release in, problems out.

- Free text (every text and field name of a release) may hold tabs and line breaks (a
  carriage return too: Windows ends lines with one), but no other C0 control character (U+0000
  to U+001F): a NUL or an escape would be written raw into pages, feeds, calendars and CSV.
- The ocid and every `id` may hold no control character at all (C0, DEL, C1) and no invisible
  direction mark (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069): they make
  addresses, file names and the keys that join the downloads, and a right-to-left override
  shows one id as another.
- The ocid and every `id` have at most `MAX_ID` (200) characters: real ocids are under 60 (a
  prefix of 11 and the publisher's own number), ids shorter still, and an ocid is the name of
  a folder on every web server, whose file systems allow 255 bytes.

Most releases have none of these: a release is first written with orjson (C speed) and its bytes
searched for anything that could be one (an escaped control character, the UTF-8 of C1 or a
direction mark, a line break in an id, an id of over 200 bytes); only a release with such a
sign is walked, and in it only texts that `str.isprintable` calls unprintable are looked at.
"""

from __future__ import annotations

import re

import orjson

from generator.checking.messages import field_name
from generator.errors import Problem, error, json_pointer
from generator.inputs.parsing import SourceRelease

MAX_ID = 200
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ID_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Signs, in the bytes of a release written by orjson, that it may have one of the problems above
# (the walk decides). orjson writes C0 characters as \uXXXX or \b, \f, \n, \r, \t, the rest as UTF-8.
_SIGN = re.compile(rb"\\(?:u00[01]|[bf])|\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
_ID_SIGN = re.compile(rb'id":"(?:(?:[^"\\]++|\\[^nrt])*+\\[nrt]|(?:[^"\\]|\\.){%d})' % (MAX_ID + 1))
NAMES = {"\x00": "a null character", "\t": "a tab", "\n": "a line break", "\r": "a carriage return",
         "\x1b": "an escape character", "\x7f": "a delete character"}


def named(char: str) -> str:
    """A character no one can see, named: "a null character (U+0000)"."""
    code = ord(char)
    kind = NAMES.get(char) or ("an invisible direction mark" if code > 0x9f else "an invisible control character")
    return f"{kind} (U+{code:04X})"


def character_problems(release: SourceRelease) -> list[Problem]:
    try:
        raw = release.packed if release.packed is not None else orjson.dumps(release.data)
        if not _SIGN.search(raw) and not _ID_SIGN.search(raw):
            return []
    except TypeError:  # an integer past 64 bits, which orjson does not write: walk
        pass
    problems: list[Problem] = []
    stack: list[tuple[object, tuple]] = [(release.data, ())]
    while stack:
        value, path = stack.pop()
        if type(value) is dict:
            for key, item in value.items():
                if type(key) is str and not key.isprintable() and (found := _TEXT_CONTROL.search(key)):
                    problems.append(_control(release, (*path, key), found.group(), "The name of "))
                is_id = key == "id" or key == "ocid" and not path
                if is_id and type(item) is str:
                    problems.extend(_identifier(release, (*path, key), item))
                elif type(item) is str:
                    if not item.isprintable() and (found := _TEXT_CONTROL.search(item)):
                        problems.append(_control(release, (*path, key), found.group()))
                elif type(item) is dict or type(item) is list:
                    stack.append((item, (*path, key)))
        elif type(value) is list:
            for index, item in enumerate(value):
                if type(item) is str:
                    if not item.isprintable() and (found := _TEXT_CONTROL.search(item)):
                        problems.append(_control(release, (*path, index), found.group()))
                elif type(item) is dict or type(item) is list:
                    stack.append((item, (*path, index)))
    return problems


def _control(release: SourceRelease, path: tuple, char: str, prefix: str = "") -> Problem:
    return error("control-character", f"{prefix}{field_name(path)} holds {named(char)}, which pages, feeds and "
                 "spreadsheets can't show.", release.location(json_pointer(path)),
                 "Delete it (such characters come with text pasted from other programs); tabs and line breaks "
                 "are fine.")


def _identifier(release: SourceRelease, path: tuple, value: str) -> list[Problem]:
    what = "The ocid" if path == ("ocid",) else field_name(path)
    problems = []
    if not value.isprintable() and (found := _ID_CONTROL.search(value)):
        problems.append(error(
            "id-character", f"{what} holds {named(found.group())}; identifiers may only hold visible characters, "
            "as they make addresses, file names and the keys that join the downloads.",
            release.location(json_pointer(path)), "Retype it without that character."))
    if len(value) > MAX_ID:
        problems.append(error(
            "id-too-long", f"{what} is {len(value):,} characters long; identifiers may have at most {MAX_ID}.",
            release.location(json_pointer(path)), "Use a short identifier, such as the ocid prefix and a number "
            "(ocds-abc123-2026-0001); names and descriptions belong in title and description."))
    return problems
