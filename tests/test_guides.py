"""guides.parse_guide: Markdown with YAML front matter becomes a model.Guide, or a located problem."""

from __future__ import annotations

from bs4 import BeautifulSoup

from generator.inputs.parsing import GuideFile
from generator.site.guides import parse_guide, parse_guides

GUIDE = """---
title: How to respond to a solicitation
summary: "Step by step: from registering to submitting your bid."
order: 2
---
## Before you start

Register as a vendor first.

| Step | When |
|------|------|
| Register | Any time |

## Questions

Ask the buyer *before* the deadline.
"""


def test_front_matter_and_body_become_a_guide():
    guide, problems = parse_guide(GuideFile("content/responding-to-a-solicitation.md", GUIDE))
    assert problems == []
    assert guide.name == "responding-to-a-solicitation"
    assert guide.path == "guides/responding-to-a-solicitation/index.html"
    assert guide.title == "How to respond to a solicitation"
    assert guide.summary == "Step by step: from registering to submitting your bid."
    assert guide.order == 2
    soup = BeautifulSoup(guide.html, "lxml")
    assert soup.find("h1") is None  # the page's title is its only h1
    assert [h.get_text() for h in soup.find_all("h2")] == ["Before you start", "Questions"]
    assert soup.find_all("h2")[1]["id"] == "s-questions"  # headings get anchors for the table of contents
    assert soup.find("table") is not None  # tables (Markdown "extra") work
    assert soup.find("em").get_text() == "before"
    assert "title:" not in guide.html and "---" not in guide.html


def test_order_defaults_when_missing_or_not_a_number():
    text = "---\ntitle: Glossary\n---\nWords.\n"
    guide, _ = parse_guide(GuideFile("content/glossary.md", text))
    assert guide.order == 100 and guide.summary == ""
    guide, _ = parse_guide(GuideFile("content/glossary.md", text.replace("---\n", "---\norder: first\n", 1)))
    assert guide.order == 100


def test_front_matter_dates_stay_text():
    guide, problems = parse_guide(GuideFile("content/x.md", "---\ntitle: Updated\nsummary: 2026-11-01\n---\nx\n"))
    assert problems == []
    assert guide.summary == "2026-11-01"


def test_missing_front_matter_is_a_problem_with_file_and_line():
    guide, problems = parse_guide(GuideFile("content/notes.md", "# Notes\n\nNo front matter here.\n"))
    assert guide is None
    [problem] = problems
    assert problem.is_error
    assert (problem.location.file, problem.location.line) == ("content/notes.md", 1)
    assert "---" in problem.hint


def test_missing_title_is_a_problem_with_file_and_line():
    guide, problems = parse_guide(GuideFile("content/notes.md", "---\nsummary: No title\norder: 3\n---\nBody\n"))
    assert guide is None
    [problem] = problems
    assert problem.is_error
    assert problem.location.file == "content/notes.md"
    assert problem.location.line == 2
    assert "title" in problem.message and "title:" in problem.hint


def test_blank_title_is_a_problem():
    guide, problems = parse_guide(GuideFile("content/notes.md", "---\ntitle: '   '\n---\nBody\n"))
    assert guide is None and [p.code for p in problems] == ["guide-title"]


def test_invalid_front_matter_yaml_names_the_file_line():
    text = "---\ntitle: ok\nsummary: [unclosed\n---\nBody\n"
    guide, problems = parse_guide(GuideFile("content/notes.md", text))
    assert guide is None
    [problem] = problems
    assert (problem.location.file, problem.location.line) == ("content/notes.md", 3)


def test_windows_line_endings():
    text = "---\r\ntitle: Getting certified\r\norder: 4\r\n---\r\nApply **early**.\r\n"
    guide, problems = parse_guide(GuideFile("content/getting-certified.md", text))
    assert problems == []
    assert guide.title == "Getting certified" and guide.order == 4
    assert "<strong>early</strong>" in guide.html


def test_byte_order_mark_before_front_matter():
    # Windows Notepad saves UTF-8 with a byte-order mark; load.read_guides keeps it (it reads "utf-8").
    text = "\ufeff---\ntitle: Getting certified\n---\nApply early.\n"
    guide, problems = parse_guide(GuideFile("content/getting-certified.md", text))
    assert problems == []
    assert guide.title == "Getting certified"


def test_parse_guides_keeps_good_guides_and_collects_problems():
    sources = [GuideFile("content/a.md", GUIDE), GuideFile("content/b.md", "no front matter\n"),
               GuideFile("content/c.md", "---\ntitle: C\n---\nc\n")]
    guides, problems = parse_guides(sources)
    assert [g.name for g in guides] == ["a", "c"]
    assert [p.location.file for p in problems] == ["content/b.md"]


def test_raw_html_and_script_links_are_removed_from_guides():
    text = ("---\ntitle: T\n---\n## Steps\n\n<script>alert(1)</script><iframe src='https://x.test'></iframe>\n\n"
            "[bad](javascript:alert(1)) [good](https://www.sba.gov/) <b onclick='x()'>bold</b>\n")
    guide, _ = parse_guide(GuideFile("content/t.md", text))
    assert "<script" not in guide.html and "<iframe" not in guide.html and "onclick" not in guide.html
    assert "javascript:" not in guide.html and 'href="https://www.sba.gov/"' in guide.html


def test_a_single_hash_heading_becomes_h2_and_ids_cannot_clash_with_the_page():
    guide, problems = parse_guide(GuideFile("content/t.md", "---\ntitle: T\n---\n# Main\n\ntext\n"))
    assert "<h1" not in guide.html and '<h2 id="s-main">Main</h2>' in guide.html
    assert [p.code for p in problems] == ["guide-h1"]


def test_tables_scroll_in_a_labelled_box_with_the_scroll_cue():
    """A guide's tables are boxed as the templates' table_box macro boxes theirs: a region keyboard
    users can focus, named by the heading above it (the page's title before any), with the cue."""
    from generator.inputs import folder
    from generator.publish import pages
    from generator.site.assemble import build_site

    from test_model import SETTINGS, TODAY

    text = "---\ntitle: T\n---\n| A | B |\n|---|---|\n| 1 | 2 |\n\n" + GUIDE.split("---\n", 2)[2]
    guide, problems = parse_guide(GuideFile("content/t.md", text))
    assert problems == []
    site = build_site([], SETTINGS, TODAY, (guide,))
    templates = folder.read_templates(folder.builtin_templates_dir().parent)
    page = next(BeautifulSoup(a.data.decode(), "lxml") for a in pages.render_site(site, templates) if a.path == guide.path)
    boxes = page.select("main div.table-wrap")
    assert len(boxes) == 2 and all(box.table for box in boxes)
    assert [box["aria-labelledby"] for box in boxes] == ["guide-title", "s-before-you-start"]
    for box in boxes:
        assert box["role"] == "region" and box["tabindex"] == "0"
        assert page.find(id=box["aria-labelledby"]) is not None
        assert box.select_one(".scroll-cue").get_text() == "Scroll sideways for more →"
    assert "scroll cue" not in str(page)
