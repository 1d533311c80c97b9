"""Safe YAML that keeps dates and times as text, as OCDS and JSON Schema expect, read within limits.

PyYAML's safe loader turns `2026-03-01` into a `datetime.date`; OCDS dates are strings, so the
timestamp resolver is removed. No tags beyond the safe ones are ever constructed.

Before PyYAML builds anything, the text's events are scanned once, stopping at the first excess:
nesting deeper than `bounds.MAX_DEPTH` (PyYAML's composer recurses, and its scanner slows down
with every level, so 10,000 brackets would otherwise take a minute and then fail), an alias that
refers to the value holding it (a loop), and aliases that add more than `MAX_ALIAS_VALUES`
values in all (a "billion laughs" file of a few hundred bytes). Aliases are allowed within that
budget rather than refused: a notice written by hand may well reuse an address with `&` and `*`,
and the budget is a hundred times what such reuse adds, while a bomb exceeds it at once.

The composed document is then walked once (each node once, however many aliases point to it)
for what JSON has no way to say: values tagged `!!binary`, `!!timestamp`, `!!set` and the like,
`.nan` and `.inf`, and names that are not text (`1:`, `yes:`, `? [a, b]`). Those are read as
text (or left out) and reported, so nothing past this module ever meets a Python type that
JSON lacks, or a message in Python's words about one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from generator.errors import json_pointer
from generator.inputs.bounds import MAX_DEPTH

# Values that aliases may add to a document in all, beyond those written out.
MAX_ALIAS_VALUES = 10_000

TAG = "tag:yaml.org,2002:"
JSON_TAGS = {TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}
TAG_WORDS = {"binary": "binary data", "timestamp": "a date", "set": "a set", "omap": "an ordered mapping",
             "pairs": "a list of pairs"}
KEY_WORDS = {"int": "a number", "float": "a number", "bool": "true or false", "null": "empty (null)"}


class TextDateLoader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type."""


TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YAMLLimitError(yaml.MarkedYAMLError):
    """A YAML text past a reading limit, or holding a value JSON can't hold; `code` says which,
    `problem` says it in plain words and `problem_mark` where (as for PyYAML's own errors)."""

    def __init__(self, code: str, problem: str, mark, hint: str = ""):
        super().__init__(problem=problem, problem_mark=mark)
        self.code = code
        self.hint = hint


@dataclass(frozen=True)
class Finding:
    """Something in a YAML document that was read differently from how it is written, and why."""

    code: str
    problem: str  # what is wrong: "This value is tagged !!binary (binary data), which JSON ... do not have"
    outcome: str  # what reading did about it: "it was read as text."
    hint: str
    pointer: str
    line: int

    @property
    def message(self) -> str:
        return f"{self.problem}; {self.outcome}"


@dataclass
class Document:
    node: yaml.Node | None
    data: object
    findings: list[Finding] = field(default_factory=list)

    @property
    def line(self) -> int:
        """The line where the document's value starts."""
        return self.node.start_mark.line + 1 if self.node is not None else 1


def check_limits(text: str) -> None:
    """Raise YAMLLimitError at the first excess of nesting or aliases; pass text within limits.
    Invalid YAML passes (the composer then reports it in its own words)."""
    sizes: dict[str, int] = {}  # anchor → values of its node, aliases expanded
    stack: list[list] = []  # open collections: [anchor, values so far]
    added = 0
    try:
        for event in yaml.parse(text, Loader=TextDateLoader):
            if isinstance(event, yaml.AliasEvent):
                if any(frame[0] == event.anchor for frame in stack):
                    raise YAMLLimitError(
                        "yaml-alias-loop", f"the alias *{event.anchor} stands for the value that holds it, so it "
                        "would never end", event.start_mark,
                        f"Write the value out instead of *{event.anchor}, or point it to another anchor.")
                size = sizes.get(event.anchor)
                if size is None:
                    continue  # an undefined alias: the composer says so
                added += size
                if added > MAX_ALIAS_VALUES:
                    raise YAMLLimitError(
                        "yaml-alias-budget", f"the aliases (*name) up to here stand for more than "
                        f"{MAX_ALIAS_VALUES:,} values in all, more than a notice ever needs", event.start_mark,
                        "Write the values out instead of repeating them with aliases; a file whose aliases "
                        "multiply like this is not a notice.")
                if stack:
                    stack[-1][1] += size
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    raise YAMLLimitError(
                        "nesting-too-deep", f"the data is nested more than {MAX_DEPTH} levels deep here (OCDS "
                        "needs fewer than ten)", event.start_mark,
                        "Look for brackets that never close, or indentation that keeps growing.")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, size = stack.pop()
                if anchor is not None:
                    sizes[anchor] = size
                if stack:
                    stack[-1][1] += size
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None:
                    sizes[event.anchor] = 1
                if stack:
                    stack[-1][1] += 1
    except yaml.YAMLError as exc:
        if isinstance(exc, YAMLLimitError):
            raise
        return


def read_yaml(text: str) -> Document:
    """One YAML document within limits, composed once and built from its nodes, with what was
    read differently from how it is written (see the module's notes). Raises yaml.YAMLError."""
    check_limits(text)
    loader = TextDateLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, None)
        findings = _json_only(node)
        return Document(node, loader.construct_document(node), findings)
    finally:
        loader.dispose()


def load_yaml(text: str):
    """The data of a YAML text (settings, a guide's front matter), or YAMLLimitError for the first
    thing past the limits or outside JSON. (Repeated keys are left to whoever reads the nodes.)"""
    document = read_yaml(text)
    for finding in document.findings:
        if finding.code != "duplicate-key":
            mark = yaml.Mark("", 0, finding.line - 1, 0, None, None)
            raise YAMLLimitError(finding.code, finding.problem[0].lower() + finding.problem[1:], mark, finding.hint)
    return document.data


def compose_yaml(text: str):
    check_limits(text)
    return yaml.compose(text, Loader=TextDateLoader)


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag


def _json_only(root: yaml.Node) -> list[Finding]:
    """Walk every node once (iteratively: a deep document can't exhaust the stack), make the
    nodes JSON has no way to say into text, null or plain collections, and report them, with the
    keys repeated in a mapping."""
    findings: list[Finding] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        line = node.start_mark.line + 1
        where = json_pointer(path)
        if node.tag not in JSON_TAGS:
            what = TAG_WORDS.get(node.tag.removeprefix(TAG), "a type of its own")
            kind = "text" if isinstance(node, yaml.ScalarNode) else (
                "a list" if isinstance(node, yaml.SequenceNode) else "a mapping")
            findings.append(Finding(
                "yaml-type", f"This value is tagged {_short(node.tag)} ({what}), which JSON and OCDS do not have",
                f"it was read as {kind}.", "Delete the tag and write the value as JSON would: text in quotes, "
                "a number, true or false, a list or a mapping (dates are text, e.g. \"2026-03-01T17:00:00-06:00\").",
                where, line))
            node.tag = TAG + ("str" if isinstance(node, yaml.ScalarNode) else
                              "seq" if isinstance(node, yaml.SequenceNode) else "map")
        elif node.tag == TAG + "float" and node.value.lower().lstrip("+-") in (".nan", ".inf"):
            findings.append(Finding("nan-infinity", f"OCDS does not allow {node.value} as a number", "it was left out.",
                                    "Write a real number, or leave the field out if the value is not known.",
                                    where, line))
            node.tag = TAG + "null"
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed(_mapping(node, path, findings)))
    findings.sort(key=lambda f: f.line)
    return findings


def _mapping(node: yaml.MappingNode, path: tuple, findings: list[Finding]) -> list[tuple[yaml.Node, tuple]]:
    """A mapping's names made text and its repeated names reported; its values, to walk."""
    names: set[str] = set()
    kept, children = [], []
    for key, value in node.value:
        line = key.start_mark.line + 1
        if key.tag == TAG + "merge":  # `<<: *defaults`: PyYAML merges it into the mapping
            kept.append((key, value))
            children.append((value, path))
            continue
        if not isinstance(key, yaml.ScalarNode):
            findings.append(Finding("yaml-key-not-text", "A name here is a list or a mapping, but names of fields "
                                    "are text", "it was left out, with its value.", "Write the name as text.",
                                    json_pointer(path), line))
            continue
        if key.tag != TAG + "str":
            words = KEY_WORDS.get(key.tag.removeprefix(TAG), f"tagged {_short(key.tag)}")
            findings.append(Finding("yaml-key-not-text", f"The name {key.value!r} is read as {words}, but names of "
                                    "fields are text", "it was read as text.", f"Put the name in quotes, "
                                    f"as in \"{key.value}\": (then the value).", json_pointer((*path, key.value)), line))
            key.tag = TAG + "str"
        if key.value in names:
            findings.append(Finding("duplicate-key", f"The key {key.value!r} appears twice in the same mapping",
                                    "only the last one would count.", "Delete or rename one of the two.",
                                    json_pointer((*path, key.value)), line))
        names.add(key.value)
        kept.append((key, value))
        children.append((value, (*path, key.value)))
    node.value = kept
    return children
