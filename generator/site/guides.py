"""Markdown guides with YAML front matter (title, summary, order) → `Guide`s of the view model. Pure."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import markdown
import nh3
import yaml
from markdown.extensions.toc import TocExtension, slugify

from generator import routes
from generator.errors import Location, Problem, error, warning
from generator.inputs.parsing import GuideFile
from generator.inputs.yaml_text import load_yaml

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
# What a guide's template leaves for the city to fill in: [[ city_name ]], {{ program }}, TODO,
# TBD, FIXME, lorem ipsum. A block (paragraph, list, quote) holding one is left out of the page.
# TODO, TBD and FIXME only in capitals: "todo" is a word in Spanish (and Portuguese).
PLACEHOLDER = re.compile(r"\[\[[^\]\n]{1,100}\]\]|\{\{[^}\n]{1,100}\}\}|\b(?:TODO|TBD|FIXME)\b|(?i:\blorem ipsum\b)")


@dataclass(frozen=True)
class Guide:
    name: str
    path: str
    title: str
    summary: str
    order: int
    html: str
    language: str = ""  # the language it is written in, when not the site's first (content/<lang>/*.md)
    fallback: bool = False  # shown on another language's pages, which have no translation of it


def parse_guide(source: GuideFile) -> tuple[Guide | None, list[Problem]]:
    name = source.path.rsplit("/", 1)[-1][:-3]
    folders = source.path.split("/")[:-1]
    language = folders[-1] if len(folders) > 1 else ""  # content/es/x.md: written in Spanish
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
    first_line = text[:match.end()].count("\n") + 1
    body, problems = without_placeholders(text[match.end():], source.path, first_line)
    html = markdown.markdown(body, extensions=["extra", "sane_lists", TocExtension(slugify=_slugify)],
                             output_format="html")
    if "<h1" in html:
        problems.append(warning("guide-h1", "A heading in this guide uses a single # (a page title); it was shown as "
                                "a ## heading, since the guide's title is the page's only title.",
                                Location(source.path), "Start headings in guides at ##."))
        html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    html = table_boxes(sanitize(html))
    return Guide(name=name, path=routes.guide_path(name), title=meta["title"].strip(),
                 summary=str(meta.get("summary") or "").strip(),
                 order=order if isinstance(order, int) else 100, html=html, language=language), problems


def without_placeholders(body: str, path: str, first_line: int) -> tuple[str, list[Problem]]:
    """The guide's Markdown less every block that still holds a template placeholder, with a
    warning naming each (its file and line). Code blocks are left alone."""
    kept, problems, block, start, fenced = [], [], [], first_line, False

    def close() -> None:
        code = fenced or any(line.lstrip().startswith(("```", "~~~")) for line in block)
        found = None if code else next((PLACEHOLDER.search(line) for line in block if PLACEHOLDER.search(line)), None)
        if found:
            line = start + next(n for n, text in enumerate(block) if PLACEHOLDER.search(text))
            problems.append(warning("guide-placeholder", f"This guide still has template text to fill in: "
                                    f"“{found.group()}”; that part is left out of the site.", Location(path, line),
                                    "Replace it with the city's own words, or delete it."))
        else:
            kept.extend(block)

    for number, line in enumerate(body.split("\n"), first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip() and not fenced:
            close()
            kept.append(line)
            block, start = [], number + 1
        else:
            block.append(line)
    close()
    return "\n".join(kept), problems


# Where the guide template puts the words of the cue that a table box can scroll sideways.
SCROLL_CUE = "<!-- scroll cue -->"
TITLE_ID = "guide-title"  # the guide page's <h1>
_TABLE_OR_HEADING = re.compile(r'<table>|<h[2-6] id="([^"]+)"')


def table_boxes(html: str) -> str:
    """Wide tables scroll inside a box of their own instead of making the page scroll sideways, as
    the templates' table_box macro makes them: a region that keyboard users can focus, named by the
    heading above the table (the guide's title when none is), with the scroll cue."""
    heading = TITLE_ID

    def box(match: re.Match) -> str:
        nonlocal heading
        if match.group(1):
            heading = match.group(1)
            return match.group(0)
        return f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{heading}">{SCROLL_CUE}<table>'

    return _TABLE_OR_HEADING.sub(box, html).replace("</table>", "</table></div>")


def _slugify(value: str, separator: str) -> str:
    """Heading ids get a prefix, so a heading can't take an id the page itself uses (e.g. "main")."""
    return "s-" + slugify(value, separator)


def sanitize(html: str) -> str:
    """Markdown lets raw HTML through; keep only what a guide needs, so a pasted <script>,
    an iframe or a javascript: link can't reach the site (and no request leaves it)."""
    return nh3.clean(
        html,
        tags={"h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd", "a", "strong", "em", "b", "i",
              "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption", "br", "hr",
              "abbr", "sup", "sub", "span"},
        attributes={"*": {"id", "title", "lang"}, "a": {"href"}, "th": {"scope", "colspan", "rowspan"},
                    "td": {"colspan", "rowspan"}, "abbr": {"title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )


def parse_guides(sources) -> tuple[tuple[Guide, ...], list[Problem]]:
    """Each guide and the problems met parsing them. Remembered for the same texts: a build asks
    twice (checking, then the view model), and `portal serve` again after every edit."""
    guides, problems = _parsed(tuple(sources))
    return guides, list(problems)


@functools.lru_cache(maxsize=4)
def _parsed(sources: tuple) -> tuple[tuple[Guide, ...], tuple[Problem, ...]]:
    guides, problems = [], []
    for source in sources:
        guide, found = parse_guide(source)
        problems.extend(found)
        if guide is not None:
            guides.append(guide)
    return tuple(guides), tuple(problems)


def in_language(guides: tuple[Guide, ...], translations: tuple[Guide, ...], language: str) -> tuple[Guide, ...]:
    """The guides as the pages in `language` list them: each in its translation into that language
    (content/<language>/<same name>.md), else as written, marked as a fallback; in the same order."""
    mine = {g.name: g for g in translations if g.language == language}
    return tuple(replace(mine[g.name], path=g.path, order=g.order) if g.name in mine else replace(g, fallback=True)
                 for g in guides)
