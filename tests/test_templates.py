"""Templates: every visible string goes through gettext; a city's template overrides the default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import load

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
    templates = load.read_templates(tmp_path)
    assert templates["guides.html"] == "city version"
    assert templates["base.html"] == (THEME / "base.html").read_text("utf-8")
    assert load.read_static(tmp_path)["site.css"] == b"body{}"
