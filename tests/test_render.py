"""Rendering: escaping of untrusted OCDS text, safe links, strict templates, relative links."""

from __future__ import annotations

import os
import posixpath
import time

import jinja2
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs import folder
from generator.publish import bulk, feeds, pages, radar_feeds
from generator.site.assemble import build_site

from conftest import REPO
from test_model import SETTINGS, TODAY, record, tender

TEMPLATES = folder.read_templates(folder.builtin_templates_dir().parent)

EVIL = '<script>alert("x")</script>'


def render_one(compiled):
    site = build_site([record("ocds-test01-1", compiled)], SETTINGS, TODAY, ())
    rendered = {a.path: a.data.decode() for a in pages.render_site(site, TEMPLATES)}
    return site, rendered


def test_untrusted_text_is_escaped_everywhere():
    compiled = {"tender": tender(title=EVIL, description=EVIL,
                                 documents=[{"id": "d", "title": EVIL, "url": "javascript:alert(1)"}]),
                "parties": [{"id": "B", "name": EVIL, "roles": ["buyer"]}], "buyer": {"id": "B", "name": EVIL}}
    site, pages = render_one(compiled)
    for path, html in pages.items():
        if not path.endswith(".csv"):  # a CSV holds the text as data (test_csv_safety checks its cells)
            assert "<script>" not in html, path
    page = BeautifulSoup(pages[site.processes[0].path], "lxml")
    assert page.h1.get_text() == EVIL
    assert not page.select('a[href^="javascript:"]')


def test_http_document_links_are_kept():
    compiled = {"tender": tender(documents=[{"id": "d", "title": "Spec", "url": "https://x.gov/spec.pdf"}])}
    site, pages = render_one(compiled)
    page = BeautifulSoup(pages[site.processes[0].path], "lxml")
    assert page.find("a", string="Spec")["href"] == "https://x.gov/spec.pdf"


def test_every_relative_link_points_at_a_rendered_page_or_asset():
    records = [record("ocds-test01-1", {"tender": tender()})]
    site, rendered = render_one({"tender": tender()})
    data = bulk.BulkData(records, SETTINGS, TODAY)
    downloads = set()
    for artifact in data.artifacts():
        downloads.add(artifact.path)
        b"".join(artifact.chunks())  # written whole, as write does, before the next is made
    data_page = pages.data_page(site, TEMPLATES, data.catalogue())
    rendered[data_page.path] = data_page.data.decode()
    static = {f"static/{f.name}" for f in (REPO / "site_templates" / "static").iterdir()}
    targets = set(rendered) | static | downloads | {a.path for a in feeds.feed_artifacts(site)} | {
        a.path for a in radar_feeds.radar_artifacts(site)}
    for path, html in rendered.items():
        if path == "404.html":
            continue
        for tag in BeautifulSoup(html, "lxml").select("a[href], link[href]"):
            href = tag["href"].split("?")[0]  # a list's filters in the address (?closing=7) are the script's
            if href.startswith(("http", "mailto:", "#")):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), href.split("#")[0]))
            if href.split("#")[0].endswith("/") or href.split("#")[0] in ("./", ""):
                resolved = posixpath.join(resolved, "index.html") if resolved != "." else "index.html"
            assert resolved in targets, f"{path}: {href} → {resolved}"


def test_404_links_are_absolute_from_the_base_path():
    site = build_site([], SETTINGS.with_overrides(base_url="https://city.github.io/contracts/"), TODAY, ())
    rendered = {a.path: a.data.decode() for a in pages.render_site(site, TEMPLATES)}
    links = [a["href"] for a in BeautifulSoup(rendered["404.html"], "lxml").select("a[href]")]
    assert "/contracts/opportunities/" in links
    assert all(h.startswith(("/contracts/", "#")) for h in links)


def test_undefined_names_fail_loudly():
    env = pages.make_environment({"t.html": "{{ nothing.here }}"}, "en")
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render()


def test_sitemap_lists_pages_with_the_base_url():
    site = build_site([record("ocds-test01-1", {"tender": tender()})],
                      SETTINGS.with_overrides(base_url="https://city.github.io/contracts/"), TODAY, ())
    rendered = list(pages.render_site(site, TEMPLATES))
    sitemap, robots = pages.render_sitemap(site, TEMPLATES, pages.page_paths([p.path for p in rendered]))
    locs = [loc.get_text() for loc in BeautifulSoup(sitemap.data, "xml").find_all("loc")]
    assert "https://city.github.io/contracts/" in locs
    assert len(locs) == len([p for p in rendered if p.path.endswith(".html") and p.path != "404.html"])  # not the CSVs
    assert "https://city.github.io/contracts/404.html" not in locs
    assert b"Sitemap: https://city.github.io/contracts/sitemap.xml" in robots.data


def test_rendering_in_workers_gives_the_same_pages_in_the_same_order(monkeypatch):
    records = [record(f"ocds-test01-{n}", {"tender": tender(title=f"Work {n}")}) for n in range(40)]
    site = build_site(records, SETTINGS, TODAY, ())
    serial = list(pages.render_site(site, TEMPLATES, workers=1))
    monkeypatch.setattr(pages, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pages, "CHUNK", 7)
    parallel = list(pages.render_site(site, TEMPLATES, workers=2))
    assert len(serial) > 40
    assert parallel == serial


def test_references_without_a_page_are_text_not_links():
    compiled = {"tender": tender(status="complete"), "buyer": {"id": "nobody", "name": "Nobody"},
                "awards": [{"id": "a", "status": "active", "suppliers": [{"id": "ghost", "name": "Ghost Co"}]}]}
    site, pages = render_one(compiled)
    for html in pages.values():
        page = BeautifulSoup(html, "lxml")
        assert not page.select('a[href=""]')
        for nav in page.select("nav.award-filters"):  # "Nobody" names the list of its awards there
            nav.decompose()
        assert not page.find("a", string="Nobody") and not page.find("a", string="Ghost Co")
    assert "Ghost Co" in pages["awards/index.html"] and "Nobody" in pages["awards/index.html"]


def test_large_sites_get_a_sitemap_index(monkeypatch):
    site = build_site([], SETTINGS.with_overrides(base_url="https://city.example/"), TODAY, ())
    monkeypatch.setattr(pages, "SITEMAP_LIMIT", 2)
    artifacts = {a.path: a.data for a in pages.render_sitemap(site, TEMPLATES, ["a/index.html", "b/index.html", "c.html"])}
    assert set(artifacts) == {"sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "robots.txt"}
    index = BeautifulSoup(artifacts["sitemap.xml"], "xml")
    assert [loc.get_text() for loc in index.select("sitemap > loc")] == [
        "https://city.example/sitemap-1.xml", "https://city.example/sitemap-2.xml"]
    assert [loc.get_text() for loc in BeautifulSoup(artifacts["sitemap-2.xml"], "xml").find_all("loc")] == [
        "https://city.example/c.html"]


def test_without_a_base_url_there_is_no_sitemap_and_robots_names_none():
    site = build_site([], SETTINGS, TODAY, ())
    artifacts = {a.path: a.data for a in pages.render_sitemap(site, TEMPLATES, ["index.html"])}
    assert set(artifacts) == {"robots.txt"} and b"Sitemap" not in artifacts["robots.txt"]


def test_addresses_wrap_after_at_and_slash_never_between_digits():
    wrap = pages.make_environment({}, "en").filters["wrap_points"]
    assert wrap("bids@alderport.gov") == "bids@<wbr>alderport<wbr>.gov"
    assert wrap("https://a.gov/x?v=1.25") == "https://<wbr>a<wbr>.gov/<wbr>x<wbr>?v<wbr>=1.25"
    assert wrap('<b>"@') == "&lt;b&gt;&#34;@"  # escaped, like any text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab19.?#&=@/<>"\' é', max_size=30))
def test_wrapping_an_address_a_stretch_at_a_time_is_wrapping_it_a_character_at_a_time(address):
    from markupsafe import Markup, escape

    from generator.publish import formats

    def by_character(text):  # the rule as first written: each character escaped on its own
        out = []
        for i, char in enumerate(text):
            if i and char in ".?#&=" and not (text[i - 1].isdigit() and text[i + 1:i + 2].isdigit()):
                out.append("<wbr>")
            out.append(escape(char))
            if char in "@/" and text[i + 1:i + 2] not in ("/", ""):
                out.append("<wbr>")
        return Markup("".join(out))
    assert formats.wrap_points(address) == by_character(address)


def test_an_imported_macro_module_is_made_once_unless_the_page_has_globals_it_lacks():
    templates = {"m.html": "{% macro hi() %}{{ greeting }}{% if extra is defined %} {{ extra }}{% endif %}{% endmacro %}",
                 "p.html": '{% from "m.html" import hi %}[{{ hi() }}]'}
    templates["q.html"] = templates["p.html"]
    quick, stock = (pages.make_environment(templates, "en") for _ in range(2))
    stock.template_class = jinja2.Template
    for env in (quick, stock):
        env.globals["greeting"] = "hello"
    seen = [(env.get_template("p.html").render(), env.get_template("q.html", globals={"extra": "!"}).render())
            for env in (quick, stock)]
    assert seen[0] == seen[1] == ("[hello]", "[hello !]"), "a page's own global the module lacks: made anew, as Jinja does"
    module, page = quick.get_template("m.html"), quick.get_template("p.html")
    ctx = page.new_context()
    assert module._get_default_module(ctx) is module._get_default_module(ctx) is module._get_default_module(), \
        "otherwise the module is made once and kept"


def test_a_row_made_once_is_the_row_made_on_each_page_at_any_depth_and_in_any_language():
    from types import SimpleNamespace

    from generator.publish import rendering

    made = []
    templates = {"m.html": '{% macro row(item, flag) -%}{{ tick() }}<a href="{{ url(item.path) }}">{{ item.name }}</a>'
                           '<a href="{{ route("listing", "awards") }}">all</a>'
                           '{% if flag %} <a href="{{ url(item.other) }}">x</a>{% endif %}{%- endmacro %}',
                 "p.html": '{% from "m.html" import row %}{% for i in items %}{{ once(row, i, flag) }}|{{ row(i, flag) }}\n'
                           '{% endfor %}'}
    env = pages.make_environment(templates, "en")
    env.globals["tick"] = lambda: made.append(1) or ""
    items = [SimpleNamespace(path="processes/a/index.html", name="A <\x00> ../", other="#top"),
             SimpleNamespace(path="suppliers/b c/index.html", name="B", other="index.html"),  # the root page: "./" or "../"
             SimpleNamespace(path="processes/c/index.html", name="C", other="data/x.json#r 1")]
    pages_at = ["index.html", "awards/index.html", "awards/department/x/page/2/index.html"]
    for prefix in ("", "es/"):
        env.globals["language_prefix"] = prefix
        env.page.rows.clear()
        for path in pages_at:
            for flag in (True, False):
                html = pages.render(env, "p.html", path, items=items, flag=flag)
                for line in html.splitlines():
                    once, anew = line.split("|")
                    assert once == anew and rendering.CLIMB not in once
    assert "&lt;\x00&gt; ../" in html, "text that looks like a climb is escaped, and left as it is"
    assert '<a href="../../../../../../../index.html"' not in html
    beside = 2 * len(pages_at) * 2 * len(items)  # the row made beside each, on every page
    # made once an item, flag and language: 6 in Spanish; in English the row linking to the root
    # page ("./" there, not a climb and a path: item 2 with the flag) is tried once, then made on
    # every page, and the 5 others once
    assert len(made) - beside == 6 + (5 + 1 + len(pages_at))


def test_a_row_is_never_taken_for_another_items():
    from types import SimpleNamespace

    env = pages.make_environment({"m.html": '{% macro row(item) -%}{{ item.name }}{%- endmacro %}',
                                  "p.html": '{% from "m.html" import row %}{{ once(row, item) }}'}, "en")
    first, second = SimpleNamespace(name="first"), SimpleNamespace(name="second")
    assert pages.render(env, "p.html", "a/index.html", item=first) == "first"
    [(key, kept)] = env.page.rows.items()
    env.page.rows[(key[0], id(second), key[2])] = (first, "first")  # as if `second` had the id `first` had
    assert pages.render(env, "p.html", "a/index.html", item=second) == "second"


class _Counted:
    """Translations in «», counting what pages ask for as they render."""

    def __init__(self):
        import gettext

        self.asked = []
        self._catalog = {"salt": "quoted"}  # what rendering.translations_salt reads
        self.inner = gettext.NullTranslations()

    def gettext(self, message):
        self.asked.append(message)
        return f"«{message}»"

    def ngettext(self, singular, plural, n):
        return f"«{singular if n == 1 else plural}»"

    def __getattr__(self, name):  # pgettext, npgettext: as gettext's
        return getattr(self.inner, name)


WRITTEN_IN = {
    "p.html": "{{ _('Awards & bids') }}|{% trans %}100% \"sure\" <b>{% endtrans %}|{{ _('Hi %(n)s', n=who) }}|"
              "{{ _('joined') ~ who }}|{{ shout(_('passed')) }}|{{ _(who) }}|{{ _('%(oops)s') if false else '' }}",
    "q.txt": "{{ _('Text & <plain>') }}|{% trans %}also {{ who }}{% endtrans %}",
    "r.html": "{% autoescape false %}{{ _('<raw>') }}{% endautoescape %}|{{ _('<escaped>') }}",
    "s.html": "{% set _ = shout %}{{ _('mine') }}",
}


def _written_in_env(translations, cache=None, write_in=True):
    env = pages.make_environment(WRITTEN_IN, "es", translations, bytecode_cache=cache)
    if not write_in:
        env.translate = None
    env.globals["shout"] = lambda text: f"{text}!"
    return env


@pytest.mark.parametrize("name", sorted(WRITTEN_IN))
def test_texts_written_into_the_templates_give_the_page_gettext_gave(name):
    written, asked = _Counted(), _Counted()
    template = _written_in_env(written).get_template(name)
    written.asked.clear()  # what was written in at compiling: from here, what the page asks for
    page = template.render(who="<Ana>")
    assert page == _written_in_env(asked, write_in=False).get_template(name).render(who="<Ana>")
    if name == "p.html":
        assert page == '«Awards & bids»|«100% "sure" <b>»|«Hi &lt;Ana&gt;»|«joined»&lt;Ana&gt;|«passed»!|«<Ana>»|'
        assert _written_in_env(_Counted()).get_template("q.txt").render(who="<Ana>") == "«Text & <plain>»|«also <Ana>»"
        # written in: the two texts written out whole; the others are still asked for
        assert "Awards & bids" in asked.asked and "Awards & bids" not in written.asked
        assert '100%% "sure" <b>' not in written.asked and {"Hi %(n)s", "joined", "passed", "<Ana>"} <= set(written.asked)
    if name == "r.html":
        assert page == "«<raw>»|«<escaped>»" and written.asked == ["<raw>", "<escaped>"], \
            "a template that changes autoescaping: every text asked for"
    if name == "s.html":
        assert page == "mine!" and written.asked == [], "`_` is the template's own: not translated, not written in"


ONE = {"t.html": "{{ _('Awards & bids') }}"}


def test_each_language_keeps_its_own_compiled_templates_in_a_shared_cache():
    from generator.inputs.template_cache import _InMemory
    from generator.publish import rendering

    cache = _InMemory()
    quoted = _Counted()
    for _ in range(2):  # the second time, both from the cache
        english = pages.make_environment(ONE, "en", bytecode_cache=cache)
        spanish = pages.make_environment(ONE, "es", quoted, bytecode_cache=cache)
        assert spanish.get_template("t.html").render() == "«Awards & bids»"
        assert english.get_template("t.html").render() == "Awards & bids"
    assert len(cache._code) == 2 and quoted.asked.count("Awards & bids") == 1, "compiled once, then from the cache"
    assert rendering.translations_salt(object()) is None, "a catalogue it can't read: nothing written in"
    unknown = pages.make_environment(ONE, "en", object.__new__(type("T", (), {
        "gettext": lambda self, m: m, "ngettext": lambda self, s, p, n: s})), bytecode_cache=cache)
    assert unknown.translate is None and len(cache._code) == 2


def test_an_abbreviation_written_in_a_template_is_explained_on_every_page():
    from generator.site.words import Term

    env = pages.make_environment({"p.html": '{{ "SLBE rules"|prose }}; {{ "SLBE"|prose }}'}, "en",
                                 terms=(Term("SLBE", "Small Local Business Enterprise"),))
    env.page.explained = {"SLBE"}  # compiled while another page, which explained it already, is rendered
    env.get_template("p.html")
    first = '<abbr title="Small Local Business Enterprise">SLBE</abbr>'
    for path in ("a/index.html", "b/index.html"):
        assert pages.render(env, "p.html", path) == f"{first} (Small Local Business Enterprise) rules; {first}"


def test_a_template_compiled_for_other_filters_is_never_run(tmp_path, monkeypatch):
    """Jinja writes into a compiled template how each filter is called; the cache of compiled
    templates is kept per version of the publishing code, so a filter that now takes the page's
    context never meets a template compiled when it did not."""
    from generator.inputs import template_cache, validation_cache

    monkeypatch.setattr(template_cache, "folder", lambda: tmp_path)
    templates = {"p.html": "{{ 'x'|shout }}"}

    def rendered(code: str, shout) -> str:
        monkeypatch.setattr(validation_cache, "code_digest", lambda paths: code * 64)
        env = pages.make_environment(templates, "en", bytecode_cache=template_cache.bytecode_cache())
        env.filters["shout"] = shout
        return env.get_template("p.html").render()

    assert rendered("a", lambda value: value.upper()) == "X"
    assert rendered("b", jinja2.pass_context(lambda context, value: value + "!")) == "x!"
    assert len(list(tmp_path.glob("__jinja2_aaaa*.cache"))) == len(list(tmp_path.glob("__jinja2_bbbb*.cache"))) == 1
    assert template_cache.code_salt() != "a" * 16, "the real digest: of the publishing code's files"


def test_templates_compiled_for_other_code_are_removed_once_a_week_old(tmp_path, monkeypatch):
    """Jinja never removes a compiled template: each version of the publishing code would leave a
    set in the user's cache folder. Another version's are kept a week (it may still be in use)."""
    from generator.inputs import template_cache

    monkeypatch.setattr(template_cache, "folder", lambda: tmp_path)
    salt = template_cache.code_salt()
    week = template_cache.KEPT_DAYS * 24 * 3600
    names = {"ours_old": f"__jinja2_{salt}_1.cache", "other_old": "__jinja2_0123456789abcdef_1.cache",
             "unsalted_old": "__jinja2_2fd4e1c67a2d28fced849ee1bb76e7391b93eb12.cache",
             "other_new": "__jinja2_fedcba9876543210_1.cache", "not_jinja": "notes.txt"}
    old = time.time() - week - 3600
    for key, name in names.items():
        (tmp_path / name).write_bytes(b"x")
        if key != "other_new":
            os.utime(tmp_path / name, (old, old))
    template_cache.bytecode_cache()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[k] for k in ("ours_old", "other_new", "not_jinja"))
