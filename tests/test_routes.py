"""routes: collision-proof slugs, relative links that resolve, sub-path base URLs, is_inside."""

from __future__ import annotations

import itertools
import posixpath
import re
from urllib.parse import unquote

import pytest

from generator import routes

SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@pytest.mark.parametrize("ocid", [
    "ocds-aldrpt-2026-0042",
    "ocds-aldrpt-rfp-26-117",
    "ocds-abc123-1.2.3",
    "a",
    "0",
])
def test_slug_keeps_clean_keys(ocid):
    assert routes.slug(ocid) == ocid


def tricky_keys() -> list[str]:
    pieces = ["/", "..", ".", " ", "é", "É", "Ω", "日本", "A", "a", "-", "_", "\\", "%2e", "?", "#", ":", "\x00",
              "\u0301", "\ufeff", "ﬁ", "ocds-aldrpt-", "Ocds-Aldrpt-", "1"]
    keys = set(pieces)
    keys.update(a + b for a, b in itertools.product(pieces, repeat=2))
    keys.update(a + b + c for a, b, c in itertools.product(["..", "/", "a", "A", "é", " "], repeat=3))
    keys.update({
        "", "../../etc/passwd", "/etc/passwd", "ocds-aldrpt-X-1", "ocds-aldrpt-x-1", "OCDS-ALDRPT-X-1",
        "ocds aldrpt 1", "ocds-aldrpt-1/2", "ocds-aldrpt-1\\2", ".hidden", "..", ".", "-leading", "trailing.",
        "con", "a" * 100, "a" * 101, "a" * 300, "é" * 300, "x/" * 200, "a..b", "a...b", "a.-.b", "a._.b",
        "Stra\u00dfe", "Strasse", "straße", "cafe\u0301", "café", "CAFÉ", "item", "item_0000000000",
    })
    return sorted(keys)


def test_slugs_are_safe_and_unique_for_tricky_keys():
    keys = tricky_keys()
    assert len(keys) > 800
    seen: dict[str, str] = {}
    for key in keys:
        slug = routes.slug(key)
        assert SAFE_SLUG.match(slug), (key, slug)
        assert ".." not in slug, (key, slug)
        assert len(slug) <= 100, (key, slug)
        assert seen.setdefault(slug, key) == key, f"{key!r} and {seen[slug]!r} share the slug {slug!r}"
        assert routes.slug(key) == slug  # stable
    # Slugs are also unique when folded to one case (case-insensitive file systems).
    assert len({s.lower() for s in seen}) == len(seen)


@pytest.mark.parametrize("key", ["ocds-aldrpt-X-1", "ocds aldrpt/1", "../up", ".env", "Café Société", "A" * 300])
def test_nasty_keys_get_a_readable_hashed_slug(key):
    slug = routes.slug(key)
    assert slug != key
    assert "_" in slug  # the hash suffix keeps hashed slugs apart from clean ones
    assert SAFE_SLUG.match(slug)


def test_hashed_slug_keeps_something_readable():
    assert routes.slug("Café Société").startswith("cafe-societe_")
    assert routes.slug("ocds-aldrpt-X-1").startswith("ocds-aldrpt-x-1_")


def test_case_variants_do_not_collide():
    slugs = {routes.slug(k) for k in ("ocds-aldrpt-x-1", "ocds-aldrpt-X-1", "OCDS-ALDRPT-X-1")}
    assert len(slugs) == 3


def test_page_paths_use_slugs():
    assert routes.process_path("ocds-aldrpt-2026-0042") == "processes/ocds-aldrpt-2026-0042/index.html"
    path = routes.process_path("../../etc")
    assert routes.is_inside(path) and path.startswith("processes/") and path.count("/") == 2
    assert routes.listing_path("awards") == "awards/index.html"
    assert routes.listing_path("awards", 3) == "awards/page/3/index.html"
    assert routes.listing_path("home") == "index.html"


# --- relative_url ------------------------------------------------------------------------------

@pytest.mark.parametrize(("from_path", "to_path", "expected"), [
    ("index.html", "awards/index.html", "awards/"),
    ("index.html", "index.html", "./"),
    ("index.html", "static/site.css", "static/site.css"),
    ("awards/index.html", "index.html", "../"),
    ("processes/ocds-aldrpt-1/index.html", "awards/index.html", "../../awards/"),
    ("processes/ocds-aldrpt-1/index.html", "static/site.css", "../../static/site.css"),
    ("processes/ocds-aldrpt-1/index.html", "suppliers/acme/index.html", "../../suppliers/acme/"),
    ("404.html", "index.html", "./"),
    ("processes/ocds-aldrpt-1/index.html", "static/logo file.svg", "../../static/logo%20file.svg"),
])
def test_relative_url(from_path, to_path, expected):
    assert routes.relative_url(from_path, to_path) == expected


def resolve(from_path: str, url: str) -> str:
    """Where a browser would land, as a path from the site root (folders without index.html)."""
    url = url.split("#", 1)[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), unquote(url)))
    return "" if joined == "." else joined


def expected_target(to_path: str) -> str:
    to_path = to_path.split("#", 1)[0]
    if posixpath.basename(to_path) == "index.html":
        folder = posixpath.dirname(to_path)
        return folder
    return to_path


def test_relative_urls_resolve_to_their_targets_from_every_depth():
    pages = [
        "index.html", "404.html", "awards/index.html", "awards/page/12/index.html",
        "processes/ocds-aldrpt-1/index.html", routes.process_path("ocds aldrpt/é 1"),
        "suppliers/acme_0123456789/index.html", "guides/glossary/index.html", "static/site.css",
        "static/img/logo file.svg", "data/releases.jsonl", "sitemap.xml", "guides/glossary/index.html#terms",
    ]
    for from_path, to_path in itertools.product(pages, repeat=2):
        if not from_path.endswith(".html"):
            continue
        url = routes.relative_url(from_path, to_path)
        assert not url.startswith("/"), (from_path, to_path, url)
        assert " " not in url
        assert resolve(from_path, url) == expected_target(to_path), (from_path, to_path, url)
        if to_path.endswith("index.html"):
            assert url.endswith("/")
        if "#" in to_path:
            assert url.endswith("#" + to_path.split("#", 1)[1])


# --- SiteURL: the base URL, parsed once ---------------------------------------------------------

@pytest.mark.parametrize(("base_url", "expected"), [
    ("https://alderport.github.io/contracts/", "/contracts/"),
    ("https://alderport.github.io/contracts", "/contracts/"),
    ("https://alderport.github.io/", "/"),
    ("https://alderport.github.io", "/"),
    ("https://alderport.example.gov/procurement/contracts/", "/procurement/contracts/"),
    ("", "/"),
])
def test_the_path_the_site_is_served_from(base_url, expected):
    assert routes.SiteURL.parse(base_url).path == expected


def test_absolute_url_under_a_sub_path():
    assert routes.SiteURL.parse("https://alderport.github.io/contracts").absolute("processes/ocds-aldrpt-1/index.html") \
        == "https://alderport.github.io/contracts/processes/ocds-aldrpt-1/"
    assert routes.SiteURL.parse("https://alderport.github.io/contracts/").absolute("index.html") \
        == "https://alderport.github.io/contracts/"
    assert routes.SiteURL.parse("https://a.example/").absolute("static/logo file.svg") == \
        "https://a.example/static/logo%20file.svg"


def test_the_base_url_is_normalised_once_and_settings_hold_the_parsed_value():
    url = routes.SiteURL.parse("  https://a.example/contracts  ")
    assert url.url == "https://a.example/contracts/"
    assert settings_with("https://a.example/contracts").base_url == url


@pytest.mark.parametrize("bad", ["javascript:alert(1)//", "ftp://a.example/", "https://", "a.example/contracts",
                                 "https:// a.example/"])
def test_anything_but_a_web_address_is_refused(bad):
    with pytest.raises(ValueError, match="is not a web address"):
        routes.SiteURL.parse(bad)


def test_without_a_base_url_the_one_fallback_is_no_absolute_address():
    none = routes.SiteURL.parse(None)
    assert not none and none.path == "/"
    assert none.absolute("data/x.json") is None
    assert none.link("feeds/awards.atom", "feeds/category/x.atom") == "../../feeds/awards.atom"
    assert none.uri("data/x.json", "ocds-abc123") == "urn:ocds-portal:ocds-abc123:data/x.json"
    known = routes.SiteURL.parse("https://a.example/")
    assert known.link("feeds/awards.atom", "feeds/category/x.atom") == known.uri("feeds/awards.atom", "p") \
        == "https://a.example/feeds/awards.atom"


def settings_with(base_url: str):
    from generator.inputs.settings import Settings
    return Settings(city_name="C", ocid_prefixes=("ocds-abc123",), publisher_name="P", base_url=base_url)


# --- is_inside ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["../x", "/abs", "/etc/passwd", "a/../../b", "..", ".", "", "a/..",
                                  "./../x", "a\\..\\..\\b"])
def test_is_inside_rejects_escaping_paths(path):
    assert routes.is_inside(path) is False


@pytest.mark.parametrize("path", ["index.html", "a/b/index.html", "a/../b.html", "static/site.css", "..a/b"])
def test_is_inside_accepts_paths_in_the_root(path):
    assert routes.is_inside(path) is True


def test_reserved_names_never_become_bare_slugs():
    from generator.routes import slug, supplier_path
    for key in ("index.html", "page", "feed.xml", "x.html"):
        assert "_" in slug(key)
    assert supplier_path("index.html") != "suppliers/index.html"
    assert not supplier_path("page").startswith("suppliers/page/")


def test_named_routes_give_the_routes_functions_paths():
    assert routes.path("listing", "opportunities") == routes.listing_path("opportunities")
    assert routes.path("static", "site.css") == "static/site.css"
    assert routes.path("search_shard", "current") == "search/current.json"
    assert routes.path("award_list", by_value=True) == "awards/by-value/index.html"
    assert all(callable(getattr(routes, name)) for name in routes.ROUTES.values())


@pytest.mark.parametrize(("root", "path", "url"), [
    ("/", "index.html", "/"),
    ("/contracts/", "index.html", "/contracts/"),
    ("/contracts/", "opportunities/index.html", "/contracts/opportunities/"),
    ("/contracts/", "static/site.css", "/contracts/static/site.css"),
    ("/", "processes/a b/index.html", "/processes/a%20b/"),
])
def test_rooted_url_links_from_the_base_path(root, path, url):
    assert routes.rooted_url(root, path) == url
