"""Markdown guides with YAML front matter (title, summary, order) → model.Guide. Pure."""

from __future__ import annotations

import re

import markdown
import yaml

from generator import routes
from generator.errors import Location, Problem, error
from generator.load import Guide as GuideSource
from generator.model import Guide
from generator.yaml_text import load_yaml

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def parse_guide(source: GuideSource) -> tuple[Guide | None, list[Problem]]:
    name = source.path.rsplit("/", 1)[-1][:-3]
    text = source.text.removeprefix("\ufeff")  # a byte-order mark from Windows editors
    match = FRONT_MATTER.match(text)
    if not match:
        return None, [error("guide-front-matter", "This guide has no front matter.", Location(source.path, 1),
                            "Start the file with ---, then title:, summary: and order:, then --- again.")]
    try:
        meta = load_yaml(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [error("guide-front-matter", f"The front matter is not valid YAML: {getattr(exc, 'problem', exc)}.",
                            Location(source.path, mark.line + 2 if mark else 1), "Check quoting and indentation.")]
    if not isinstance(meta, dict) or not isinstance(meta.get("title"), str) or not meta["title"].strip():
        return None, [error("guide-title", "This guide has no title in its front matter.", Location(source.path, 2),
                            "Add a line such as: title: How to respond to a solicitation")]
    order = meta.get("order", 100)
    body = text[match.end():]
    html = markdown.markdown(body, extensions=["extra", "toc", "sane_lists"], output_format="html")
    return Guide(name=name, path=routes.guide_path(name), title=meta["title"].strip(),
                 summary=str(meta.get("summary") or "").strip(),
                 order=order if isinstance(order, int) else 100, html=html), []


def parse_guides(sources) -> tuple[tuple[Guide, ...], list[Problem]]:
    guides, problems = [], []
    for source in sources:
        guide, found = parse_guide(source)
        problems.extend(found)
        if guide is not None:
            guides.append(guide)
    return tuple(guides), problems
