"""A YAML notice read, with a syntax error in plain words at the line where the mistake is. Pure.

PyYAML reports where it gave up, which is often lines after the mistake, in its own terms
("expected <block end>, but found '<scalar>'"). A staff member needs the line they got wrong and
one thing to do about it: the quote left open (found by looking back from where the reader
stopped), the value with a colon in it, the line indented differently from its neighbours, a tab.
"""

from __future__ import annotations

import re

import yaml

from generator.errors import Location, Problem, error
from generator.inputs.yaml_text import YAMLLimitError, read_yaml

LOOK_BACK = 40  # lines searched above the error for a quote left open
KEY = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)""")  # "  title: ", "- id: "


def load(rel: str, text: str) -> tuple[object | None, list[Problem], int]:
    """A YAML file's data, its problems (a syntax error in plain words) and the line where it starts."""
    try:
        document = read_yaml(text)
    except YAMLLimitError as exc:
        return None, [error(exc.code, f"This file can't be read: {exc.problem}.",
                            Location(rel, exc.problem_mark.line + 1), exc.hint)], 1
    except yaml.YAMLError as exc:
        message, line, hint = plain(exc, text)
        return None, [error("invalid-yaml", message, Location(rel, line), hint)], 1
    data = document.data
    ocid = data.get("ocid") if isinstance(data, dict) and isinstance(data.get("ocid"), str) else ""
    return data, [error(f.code, f.message, Location(rel, f.line, ocid="" if f.code == "duplicate-key" else ocid,
                                                   pointer=f.pointer), f.hint)
                  for f in document.findings], document.line


def plain(exc: yaml.YAMLError, text: str) -> tuple[str, int | None, str]:
    """(message, line, what to do) for a YAML syntax error in `text`."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return f"This is not valid YAML: {exc}.", None, "Compare the file with the notice template."
    lines = text.splitlines()
    line = mark.line + 1
    problem = getattr(exc, "problem", "") or ""
    context = getattr(exc, "context", "") or ""
    context_mark = getattr(exc, "context_mark", None)
    if "quoted scalar" in context and context_mark is not None:
        opened = context_mark.line + 1
    else:
        opened = unclosed_quote(lines, mark.line)
    if opened is not None:
        return (f"The quote that opens on line {opened} is not closed on that line.", opened,
                "Add the closing quote at the end of the text on that line.")
    here = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in problem or "'\\t'" in problem or here[:len(here) - len(here.lstrip())].count("\t"):
        return f"Line {line} is indented with a tab.", line, "Indent it with spaces instead."
    if problem == "mapping values are not allowed here":
        if KEY.match(here) and KEY.match(here).end() <= mark.column:
            return (f"The value on line {line} has a colon in it, which YAML reads as the start of a field.",
                    line, "Put the whole value in double quotes.")
        return (f"Line {line} is indented more than the field above it, so YAML can't tell which field "
                "it belongs to.", line, "Line it up with the field above it.")
    if problem.startswith(("expected <block end>", "did not find expected key", "expected <block mapping start>")):
        return (f"Line {line} is indented differently from the fields around it.", line,
                "Line it up with the other fields of its group, with spaces.")
    return (f"This is not valid YAML: {problem or exc} (line {line}, column {mark.column + 1}).", line,
            f"Put the value on line {line} in double quotes, as the template does with text.")


def unclosed_quote(lines: list[str], stop: int) -> int | None:
    """The line (1-based) of the nearest value at or above line index `stop` that opens a quote and
    does not close it on its line; None when there is none."""
    for index in range(min(stop, len(lines) - 1), max(stop - LOOK_BACK, -1), -1):
        key = KEY.match(lines[index])
        value = lines[index][key.end():].strip() if key else lines[index].strip().removeprefix("- ").strip()
        if value[:1] == '"' and not re.search(r'(?<!\\)"\s*(#.*)?$', value[1:]):
            return index + 1
        if value[:1] == "'" and not re.search(r"'\s*(#.*)?$", value[1:].replace("''", "")):
            return index + 1
    return None
