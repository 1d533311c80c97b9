"""Templates: every visible string goes through gettext; a city's template overrides the default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.inputs import folder

from conftest import REPO

THEME = REPO / "site_templates"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TEXT_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"')
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def untranslated(source: str) -> list[str]:
    """Words a reader would see that are not inside a Jinja expression (where `_()` lives)."""
    found = [value for value in TEXT_ATTRIBUTES.findall(source) if JINJA.sub("", value).strip()]
    # {% trans %} blocks are translated whole.
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", "", source, flags=re.S)
    text = ENTITY.sub(" ", TAG.sub(" ", JINJA.sub(" ", source)))
    found += [word for word in re.findall(r"[^\W\d_]{2,}", text)]
    return found


@pytest.mark.parametrize("template", sorted(p.name for p in THEME.glob("*.html")))
def test_every_visible_string_goes_through_gettext(template):
    assert untranslated((THEME / template).read_text("utf-8")) == []


def test_the_check_finds_literal_text():
    assert untranslated('<p>Hello {{ _("world") }}</p><nav aria-label="Main"></nav>') == ["Main", "Hello"]
    assert untranslated('<p>{{ _("Hello") }}</p>{% trans n=1 %}one{% endtrans %}') == []


def test_a_city_template_overrides_the_default_by_name(tmp_path: Path):
    (tmp_path / "site_templates" / "static").mkdir(parents=True)
    (tmp_path / "site_templates" / "guides.html").write_text("city version")
    (tmp_path / "site_templates" / "static" / "site.css").write_text("body{}")
    templates = folder.read_templates(tmp_path)
    assert templates["guides.html"] == "city version"
    assert templates["base.html"] == (THEME / "base.html").read_text("utf-8")
    assert folder.read_static(tmp_path)["site.css"] == b"body{}"


def test_a_broken_city_template_is_reported_with_file_and_line(tmp_path: Path):
    from generator.errors import TemplateProblem
    from generator.publish import pages
    from generator.site.assemble import build_site

    from test_model import SETTINGS, TODAY

    templates = dict(folder.read_templates(tmp_path))
    templates["guides.html"] = '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n'
    with pytest.raises(TemplateProblem, match=r"site_templates/guides.html:3"):
        pages.Renderer(build_site([], SETTINGS, TODAY, ()), templates)

    templates["guides.html"] = '{% extends "base.html" %}\n{% block main %}\n\n{{ site.no_such_thing }}\n{% endblock %}\n'
    renderer = pages.Renderer(build_site([], SETTINGS, TODAY, ()), templates)
    with pytest.raises(TemplateProblem, match=r"site_templates/guides.html:4: .*no_such_thing.*guides/index.html"):
        list(pages.render_site(renderer.site, templates))


def test_code_labels_are_translated_and_unknown_codes_written_as_words():
    """No raw code reaches a page: a code without a label is written as words; other text (a
    city's own words, in any language) is shown as it is."""
    from generator.labels import LABELS, label
    assert label(str.upper, "tag", "tenderAmendment") == "ADDENDUM"
    assert label(str.upper, "tag", "someLocalTag") == "Some local tag"
    assert label(str.upper, "status", "complete") == "Complete"
    assert label(str.upper, "method", "open_framework") == "Open framework"
    assert label(str.upper, "method", "SLBE") == "SLBE"
    assert label(str.upper, "method", "Licitación pública") == "Licitación pública"
    assert all(message.strip() for kind in LABELS.values() for message in kind.values())
