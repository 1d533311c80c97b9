"""Routes everywhere: every link in the templates comes from generator/routes.py, so changing one
route changes every link to it, and no template writes an output path itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import pipeline, routes

import gates
from conftest import REPO

TEMPLATES = REPO / "site_templates"


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory) -> Path:
    """The demo built with the opportunities at bids/, the static files at assets/ and the search
    index's shards at find/<name>.idx.json."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(routes, "OPPORTUNITIES", "bids")  # its sub-listings (past, newest, ...) follow
        mp.setattr(routes, "static_path", lambda name: f"assets/{name}")
        mp.setattr(routes, "search_shard_path", lambda name: f"find/{name}.idx.json")
        output = tmp_path_factory.mktemp("moved") / "site"
        settings = pipeline.settings_for(REPO)
        pipeline.build(REPO, output, settings, settings.today)
    return output


def test_moved_routes_leave_nothing_at_the_old_paths(moved_site):
    assert not (moved_site / "opportunities").exists()
    assert not (moved_site / "static").exists()
    assert not list((moved_site / "search").glob("*.json"))
    assert (moved_site / "bids" / "index.html").is_file()
    assert (moved_site / "bids" / "past" / "index.html").is_file()
    assert (moved_site / "bids" / "browse" / "index.html").is_file()
    assert (moved_site / "assets" / "site.css").is_file()
    assert (moved_site / "find" / "current.idx.json").is_file()


def test_every_link_follows_the_moved_routes(moved_site):
    # Guides are the city's own Markdown (content/*.md, content/es/*.md), whose links their authors
    # write as paths ("../../opportunities/"): the routes can't move those, in any language. Every
    # other link must still resolve.
    authored = {ref for guide in (REPO / "content").glob("**/*.md")
                for ref in re.findall(r"\]\(([^)\s]+)\)", guide.read_text("utf-8"))}
    broken = gates.broken_links(moved_site)
    in_guide = re.compile(r"^(?:[a-z]{2}/)?guides/")
    assert [b for b in broken if not (in_guide.match(b) and b.split(": ", 1)[1].split(" (")[0] in authored)] == []
    home = BeautifulSoup((moved_site / "index.html").read_text("utf-8"), "lxml")
    refs = {t.get("href") or t.get("src") for t in home.select("[href], [src]")}
    assert {"bids/", "assets/site.css", "search/"} <= refs
    assert not [r for r in refs if r.startswith(("opportunities/", "static/"))]


def test_search_page_loads_the_moved_shards(moved_site):
    page = moved_site / "search" / "index.html"
    form = BeautifulSoup(page.read_text("utf-8"), "lxml").select_one("#search-form")
    for attribute in ("data-current", "data-suppliers"):
        assert (page.parent / form[attribute]).resolve().is_file(), form[attribute]
    for script in BeautifulSoup(page.read_text("utf-8"), "lxml").select("script[src]"):
        assert (page.parent / script["src"]).resolve().is_file(), script["src"]


def test_not_found_page_links_to_the_moved_routes(moved_site):
    root = pipeline.settings_for(REPO).base_url.path
    html = (moved_site / "404.html").read_text("utf-8")
    hrefs = {a["href"] for a in BeautifulSoup(html, "lxml").select("[href]")}
    assert f"{root}bids/" in hrefs and f"{root}assets/site.css" in hrefs and f"{root}processes/" in hrefs
    assert not any("opportunities/" in h or "static/" in h for h in hrefs)


# A link a template writes itself: url('...') or url("...") with a literal, a path glued to the
# base path ({{ root }}static/...), or an href, src or action that is not all an expression.
LITERAL_PATH = re.compile(r"""url\(\s*['"]|\{\{\s*root\s*\}\}[\w./-]|\b(?:href|src|action)="(?!\{\{|#|https?://|mailto:)""")


def test_templates_write_no_output_path():
    found = [f"{t.name}:{n}: {line.strip()}" for t in sorted(TEMPLATES.glob("*.html"))
             for n, line in enumerate(t.read_text("utf-8").splitlines(), 1) if LITERAL_PATH.search(line)]
    assert found == []


def test_literal_path_pattern_catches_what_it_should():
    for line in ("{{ url('static/site.css') }}", '<a href="{{ root }}opportunities/">', '<a href="search/">',
                 '{{ url("index.html") }}'):
        assert LITERAL_PATH.search(line), line
    for line in ("{{ route('static', 'site.css') }}", '<a href="{{ url(process.path) }}">', '<a href="#main">',
                 '<a href="mailto:{{ email }}">', "{{ route('listing', 'home', root=root) }}"):
        assert not LITERAL_PATH.search(line), line


def test_route_is_looked_up_when_called(monkeypatch):
    from generator.publish import pages

    env = pages.make_environment({"t.html": "{{ route('listing', 'opportunities') }} {{ route('static', 'a.css') }} "
                                      "{{ route('listing', 'home', root='/x/') }}"}, "en")
    assert pages.render(env, "t.html", "guides/index.html") == "../opportunities/ ../static/a.css /x/"
    monkeypatch.setitem(routes.LISTINGS, "opportunities", "bids")
    monkeypatch.setattr(routes, "static_path", lambda name: f"assets/{name}")
    assert pages.render(env, "t.html", "guides/index.html") == "../bids/ ../assets/a.css /x/"


def test_unknown_route_names_the_routes():
    with pytest.raises(KeyError, match="search_shard"):
        routes.path("nope")
