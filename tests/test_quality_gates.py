"""Quality gates on the built demo: a real browser, WCAG 2.1 AA with axe-core, valid HTML, weight.

Every kind of page is loaded in headless Chromium (Debian's, driven by Playwright) from a local
server under a sub-path, as GitHub Pages serves a project site. Each gate is also run on a page
broken on purpose, to prove it catches what it is for.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import gates


@pytest.fixture(scope="module")
def page_kinds(demo_site) -> dict[str, str]:
    """One page of every kind, by output path."""
    return gates.page_kinds(demo_site)


class Visit:
    """A page opened in the browser, with what went wrong while it loaded."""

    def __init__(self, browser, url: str, width: int = 1280, javascript: bool = True):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 and not r.url.endswith("404.html") else None)
        self.page.goto(url, wait_until="load")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(url, **kwargs):
        opened.append(Visit(browser, url, **kwargs))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


KINDS = ["home", "opportunities", "opportunity", "opportunities filtered", "opportunities by value", "browse opportunities",
         "search results",
         "past opportunities", "processes", "processes page 2", "process with awards", "awards", "awards filtered",
         "awards by value",
         "data quality", "data downloads",
         "suppliers", "supplier", "departments", "department", "guides", "guide", "not found"]


@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly_and_passes_axe(kind, page_kinds, served, visit):
    v = visit(served + page_kinds[kind].removesuffix("index.html"))
    assert v.errors == []
    assert gates.axe_violations(v.page) == []


@pytest.mark.parametrize("kind", KINDS)
def test_page_is_usable_320_px_wide(kind, page_kinds, served, visit):
    """WCAG 2.1 reflow (1.4.10): no sideways scrolling at 320 CSS pixels, the narrowest phones."""
    v = visit(served + page_kinds[kind].removesuffix("index.html"), width=320)
    overflow = v.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 320px"
    assert v.page.locator("h1").first.is_visible()


@pytest.mark.parametrize("kind", ["home", "opportunity", "supplier", "guide"])
def test_content_is_readable_without_javascript(kind, page_kinds, served, visit):
    v = visit(served + page_kinds[kind].removesuffix("index.html"), javascript=False)
    assert v.page.locator("main h1").inner_text().strip()
    assert len(v.page.locator("main").inner_text()) > 200


def test_skip_link_and_keyboard_navigation(page_kinds, served, visit):
    v = visit(served)
    v.page.keyboard.press("Tab")
    assert v.page.evaluate("document.activeElement.className") == "skip-link"
    assert v.page.locator(".skip-link").is_visible()
    v.page.keyboard.press("Enter")
    assert v.page.evaluate("document.activeElement.id") == "main"
    # From the top, Tab reaches every link of the main navigation, in order.
    v.page.goto(served, wait_until="load")
    nav = v.page.locator("header nav a").all_inner_texts()
    reached = []
    for _ in range(len(nav) + 5):
        v.page.keyboard.press("Tab")
        reached.append(v.page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert [r for r in reached if r in nav] == nav
    # then the search box and its button
    assert reached.index("site-search-q") > reached.index(nav[-1])


def test_every_page_is_valid_html(demo_site):
    assert gates.vnu_errors(demo_site) == []


def test_page_and_css_weight(demo_site, record_property):
    weights = gates.page_weights(demo_site)
    for size, path in weights[:5]:
        record_property(path, size)  # printed at the end of the run (conftest.pytest_terminal_summary)
    assert weights[0][0] <= gates.MAX_PAGE_BYTES, f"{weights[0][1]} is {weights[0][0] / 1024:.1f} KB"
    assert gates.css_bytes(demo_site) <= gates.MAX_CSS_BYTES


# --- the gates catch what they are for --------------------------------------------------------

# The pages the gates' self-tests break: a page or three of the demo and the assets they load,
# not a full copy (the Nu checker then reads two pages instead of hundreds).
SAMPLE_PAGES = ("index.html", "awards/index.html")


@pytest.fixture
def broken_site(demo_site, tmp_path) -> Path:
    copy = tmp_path / "broken"
    for page in SAMPLE_PAGES:
        (copy / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(demo_site / page, copy / page)
    shutil.copytree(demo_site / "static", copy / "static")
    assert gates.vnu_errors(copy) == []  # whole before it is broken
    return copy


def break_page(site: Path, path: str, old: str, new: str) -> None:
    page = site / path
    html = page.read_text("utf-8")
    assert old in html, f"{old!r} is not in {path}"
    page.write_text(html.replace(old, new, 1), "utf-8")


def test_axe_and_vnu_catch_a_missing_alt_text(broken_site, visit):
    break_page(broken_site, "index.html", "<h1>", '<img src="static/none.png" width="1" height="1"><h1>')
    with gates.serve(broken_site) as base:
        ids = [v["id"] for v in gates.axe_violations(visit(base).page)]
    assert "image-alt" in ids
    assert any("alt" in e["message"] for e in gates.vnu_errors(broken_site))


def test_axe_catches_a_missing_label(broken_site, visit):
    break_page(broken_site, "index.html", "<h1>", '<input type="text" name="q"><h1>')
    with gates.serve(broken_site) as base:
        ids = [v["id"] for v in gates.axe_violations(visit(base).page)]
    assert "label" in ids


def test_vnu_catches_invalid_nesting(broken_site):
    break_page(broken_site, "awards/index.html", "<h1>", "<p><div>block in a paragraph</div></p><h1>")
    assert any(e["file"].endswith("awards/index.html") for e in gates.vnu_errors(broken_site))


def test_the_browser_gate_catches_a_missing_asset(broken_site, visit):
    (broken_site / "static" / "site.css").unlink()
    with gates.serve(broken_site) as base:
        assert any("site.css" in e for e in visit(base).errors)
