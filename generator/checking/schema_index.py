"""What the extended release schema says about each field: its title, and its codelist.

Built once per build from the schema kit. `fields_with_codelists` lists every path where a
codelist applies (array items as "*"), so releases are checked by walking only those paths.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

SPELLED, DEEPER, SHALLOWER = "spelled", "deeper", "shallower"  # why SchemaIndex.suggest suggests a field


@dataclass(frozen=True)
class CodelistField:
    path: tuple[str, ...]  # "*" for any array item
    codelist: str  # e.g. "documentType" (without ".csv")
    open: bool


class SchemaIndex:
    def __init__(self, release_schema: dict, codelists: dict[str, tuple[str, ...]]):
        self.schema = release_schema
        self.codelists = {name: frozenset(codes) for name, codes in codelists.items()}
        self.fields_with_codelists = tuple(self._walk(release_schema, (), ()))
        # Caches per index, not per class: a class-level cache would keep every build's index
        # (and its schema) alive in a long-running process such as `portal serve`.
        self.node = lru_cache(maxsize=4096)(self._node)
        self.fields = lru_cache(maxsize=4096)(self._fields)
        self._patterns = lru_cache(maxsize=1024)(self._compile_patterns)
        # The codelist fields as a tree of path steps, so a release is walked once, along only
        # the branches it has.
        self.trie: dict = {}
        for field in self.fields_with_codelists:
            node = self.trie
            for step in field.path:
                node = node.setdefault(step, {})
            node.setdefault(None, []).append(field)

    def _resolve(self, node: dict) -> dict:
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            node = self.schema["definitions"][ref.rsplit("/", 1)[-1]] if ref.startswith("#/definitions/") else {}
        return node if isinstance(node, dict) else {}

    def _walk(self, node: dict, path: tuple[str, ...], seen: tuple[str, ...]):
        ref = node.get("$ref", "") if isinstance(node, dict) else ""
        if ref in seen or len(path) > 12:
            return
        node = self._resolve(node)
        seen = (*seen, ref) if ref else seen
        if "codelist" in node:
            yield CodelistField(path, node["codelist"].removesuffix(".csv"), bool(node.get("openCodelist")))
        for name, child in (node.get("properties") or {}).items():
            yield from self._walk(child, (*path, name), seen)
        if isinstance(node.get("items"), dict):
            yield from self._walk(node["items"], (*path, "*"), seen)

    def _node(self, pattern: tuple[str, ...]) -> dict:
        """The schema of the field at `pattern` (array indexes as "*"), or {} if the schema has none."""
        node = self._resolve(self.schema)
        for step in pattern:
            node = self._resolve(node.get("items") if step == "*" else (node.get("properties") or {}).get(step, {}))
            if not node:
                return {}
        return node

    def _fields(self, pattern: tuple[str, ...]) -> tuple[dict | None, dict[str, str]]:
        """The properties allowed at `pattern` (None for a free-form object), and the deprecated
        ones with their explanation."""
        known = self.node(pattern).get("properties")
        deprecated = {name: (child.get("deprecated") or {}).get("description", "")
                      for name, child in (known or {}).items() if isinstance(child, dict) and "deprecated" in child}
        return known, deprecated

    def suggest(self, pattern: tuple[str, ...], key: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Where a field the schema does not know at `pattern` was probably meant to be, as
        (pattern of the field, why): a field of that level spelled alike ("descripton" →
        "description", SPELLED); else the same name one or two levels deeper ("endDate" under
        tender → tender.tenderPeriod.endDate, DEEPER: indented too little); else one level up
        (SHALLOWER: indented too much). At most three, in the schema's order."""
        known = self.fields(pattern)[0] or {}
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75) or [
            name for name in known if name.casefold() == key.casefold()]
        if close:
            return (((*pattern, close[0]), SPELLED),)
        deeper = []
        for name in known:
            for child in ((*pattern, name), (*pattern, name, "*")):
                below = self.fields(child)[0] or {}
                if key in below:
                    deeper.append(((*child, key), DEEPER))
                for grand in below:
                    if key in (self.fields((*child, grand))[0] or {}):
                        deeper.append(((*child, grand, key), DEEPER))
        if deeper:
            shortest = min(len(p) for p, _ in deeper)
            return tuple(d for d in deeper if len(d[0]) == shortest)[:3]
        ups = dict.fromkeys((pattern[:-1], pattern[:-2])) if pattern else {}  # an array's item is two steps down
        return next(((((*up, key), SHALLOWER),) for up in ups if key in (self.fields(up)[0] or {})), ())

    def matches_pattern(self, pattern: tuple[str, ...], key: str) -> bool:
        """Whether `key` is allowed by the patternProperties (e.g. translations: title_fr) there."""
        return any(regex.search(key) for regex in self._patterns(pattern))

    def _compile_patterns(self, pattern: tuple[str, ...]) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in (self.node(pattern).get("patternProperties") or {}))

    def field(self, path) -> dict:
        return self.node(tuple("*" if isinstance(p, int) else p for p in path))


def values_at(data, path: tuple[str, ...], prefix: tuple = ()):
    """(concrete path, value) for every value of `data` at `path` ("*" matches every array item)."""
    if not path:
        yield prefix, data
        return
    step, rest = path[0], path[1:]
    if step == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from values_at(item, rest, (*prefix, index))
    elif isinstance(data, dict) and step in data:
        yield from values_at(data[step], rest, (*prefix, step))
