"""Line numbers for JSON Pointers, so a validation problem can tell city staff where to look.

Pure functions: text in, 1-based line numbers out. JSON is read by a small lenient scanner (a
compiled token regex walked with a path stack) rather than a parser, because a parser forgets
positions. The scanner only descends into containers on the way to a requested pointer, jumps over
everything else bracket by bracket, and stops as soon as every pointer is settled, so a pointer
near the start of a 10 MB package costs almost nothing and one near the end about a tenth of a
second. It locates; it does not validate: invalid or truncated text yields whatever was found
before the damage, never an exception.

A pointer names an object member by the line of its key and an array item by the line where the
item starts. A pointer that does not exist (a missing required property, an index past the end)
gets the line of its nearest existing ancestor; "" is the root (line 1 if the text has no value).
If a key is repeated in an object, its first occurrence is the one located
(`json_duplicate_keys` reports the repeats).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import yaml

from generator.inputs.yaml_text import TextDateLoader

Parts = tuple[str, ...]

# One token after any separators. Commas and colons are passed over (the scanner locates, it does
# not validate); a string followed by a colon is a key. Possessive quantifiers never backtrack.
_TOKEN = re.compile(r"""
    [\s,:\ufeff]*+
    (?:
        ("(?:[^"\\]++|\\.)*+")(\s*+:)?   # 1: a string; 2: ...followed by a colon, so a key
      | ([\[{])                          # 3: open
      | ([\]}])                          # 4: close
      | ([^\s,:\[\]{}"]++)               # 5: number, true, false, null, NaN, Infinity, any bare word
    )""", re.VERBOSE | re.DOTALL)
_STRING, _KEY, _OPEN, _CLOSE = 1, 2, 3, 4

# Everything up to and including the next bracket outside a string: skips a subtree in few steps.
_TO_BRACKET = re.compile(r'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\.)*+")*+([\[\]{}])', re.DOTALL)


def parse_pointer(pointer: str) -> Parts:
    """RFC 6901 reference tokens, unescaped ("~1" → "/", then "~0" → "~"). Not a pointer → root."""
    if not pointer.startswith("/"):
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/"))


def format_pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def json_lines(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """1-based line of each pointer's value in a JSON document. For an object member, the line
    of its key. A pointer that does not exist (e.g. a missing required property
    "/releases/0/tender/id") maps to the line of its nearest existing ancestor. "" is the root."""
    wanted = {pointer: parse_pointer(pointer) for pointer in pointers}
    if not wanted:
        return {}
    found = _json_find(text, set(wanted.values()))
    return {pointer: _nearest(found, parts) for pointer, parts in wanted.items()}


def json_duplicate_keys(text: str) -> list[tuple[str, int]]:
    """(pointer, 1-based line) of every key that appears a second (third…) time in the same
    object, in document order; the pointer names the repeated member (e.g. "/releases/0/id")."""
    repeats: list[tuple[str, int]] = []
    frames: list[list] = []  # per open container: [keys seen (an object) or None (an array), current key or index]
    match, pos, line, counted, seen_root = _TOKEN.match, 0, 1, 0, False
    while m := match(text, pos):
        pos = m.end()
        kind = m.lastindex
        if kind == _KEY:
            if frames and (keys := frames[-1][0]) is not None:
                key = _decode(m.group(1))
                frames[-1][1] = key
                if key in keys:
                    at = m.start(1)
                    line += text.count("\n", counted, at)
                    counted = at
                    repeats.append((format_pointer(frame[1] for frame in frames), line))
                else:
                    keys.add(key)
            continue
        if kind == _CLOSE:
            if not frames:
                break
            frames.pop()
            if not frames:
                break
            continue
        if frames:
            if frames[-1][0] is None:
                frames[-1][1] += 1
        elif seen_root:
            break  # text after the root value
        else:
            seen_root = True
        if kind == _OPEN:
            frames.append([set(), None] if m.group(_OPEN) == "{" else [None, -1])
    return repeats


def json_depth_line(text: str, limit: int) -> int:
    """The 1-based line of the first bracket nested deeper than `limit`, or 1 if none is (brackets
    in strings don't count). For text too deep to parse, whose parser gave up without a place."""
    depth, pos = 0, 0
    while b := _TO_BRACKET.match(text, pos):
        pos = b.end()
        depth += 1 if b.group(1) in "[{" else -1
        if depth > limit:
            return text.count("\n", 0, b.start(1)) + 1
    return 1


def yaml_lines(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """The same for YAML (a single document), using yaml.compose with a SafeLoader subclass;
    mapping member → line of its key, sequence item → line of the item; nearest ancestor for
    missing paths. Text that does not compose (invalid, several documents) gives line 1."""
    wanted = {pointer: parse_pointer(pointer) for pointer in pointers}
    if not wanted:
        return {}
    try:
        root = yaml.compose(text, Loader=TextDateLoader)
    except (yaml.YAMLError, RecursionError):
        root = None
    return {pointer: _yaml_line(root, parts) for pointer, parts in wanted.items()}


def _yaml_line(node: yaml.Node | None, parts: Parts) -> int:
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode):
            index = _index(part)
            if index is None or index >= len(node.value):
                break
            node = node.value[index]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _index(part: str) -> int | None:
    """An array index as RFC 6901 writes it: decimal digits, no leading zero."""
    if part.isascii() and part.isdigit() and (part == "0" or part[0] != "0"):
        return int(part)
    return None


def _nearest(found: dict[Parts, int], parts: Parts) -> int:
    for length in range(len(parts), -1, -1):
        line = found.get(parts[:length])
        if line is not None:
            return line
    return 1


def _decode(token: str) -> str:
    """A JSON string token's text (with its quotes); escapes are decoded only when present."""
    if "\\" not in token:
        return token[1:-1]
    try:
        return json.loads(token, strict=False)
    except ValueError:
        return token[1:-1]


def _json_find(text: str, targets: set[Parts]) -> dict[Parts, int]:
    """The line of each target and of each of its ancestors that exists, scanning no further than needed."""
    # below[p]: targets strictly under p that are neither found nor ruled out. Its keys are the
    # paths worth descending into: the targets and their ancestors.
    below: dict[Parts, int] = {}
    for target in targets:
        below.setdefault(target, 0)
        for length in range(len(target)):
            prefix = target[:length]
            below[prefix] = below.get(prefix, 0) + 1
    found: dict[Parts, int] = {}
    pending = len(targets)
    line, counted = 1, 0

    def settle(path: Parts, count: int) -> None:
        nonlocal pending
        pending -= count
        for length in range(len(path)):
            below[path[:length]] -= count

    def record(path: Parts, at: int) -> None:
        nonlocal line, counted
        line += text.count("\n", counted, at)
        counted = at
        if path not in found:
            found[path] = line
            if path in targets:
                settle(path, 1)

    def ended(path: Parts) -> None:
        """The value at `path` is complete: whatever was wanted under it and not found is missing."""
        count = below[path]
        if count:
            below[path] = 0
            settle(path, count)

    stack: list[list] = []  # containers descended into: [path, next index (an array) or None (an object)]
    member: Parts | None = None  # path of the next value in the current object, if wanted
    match, skip, pos, seen_root = _TOKEN.match, _TO_BRACKET.match, 0, False
    while pending and (m := match(text, pos)):
        pos = m.end()
        kind = m.lastindex
        if kind == _KEY:
            if stack and stack[-1][1] is None:
                member = stack[-1][0] + (_decode(m.group(1)),)
                if member in below:
                    record(member, m.start(1))
                else:
                    member = None
            continue
        if kind == _CLOSE:
            if not stack:
                break
            ended(stack.pop()[0])
            if not stack:
                break
            continue
        # A value starts here: where is it?
        if stack:
            top = stack[-1]
            if top[1] is None:
                path, member = member, None
            else:
                path = top[0] + (str(top[1]),)
                top[1] += 1
                if path in below:
                    record(path, m.start(kind))
                else:
                    path = None
        elif seen_root:
            break  # text after the root value
        else:
            seen_root, path = True, ()
            record(path, m.start(kind))
        if kind == _OPEN:
            if path is not None:
                stack.append([path, None if m.group(_OPEN) == "{" else 0])
                continue
            depth = 1
            while depth and (b := skip(text, pos)):
                pos = b.end()
                depth += 1 if b.group(1) in "[{" else -1
            if depth:
                break  # truncated inside the skipped value
        elif path is not None:
            ended(path)
    return found
