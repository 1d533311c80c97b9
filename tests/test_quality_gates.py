"""Quality gates on the built demo: a real browser, WCAG 2.1 AA with axe-core, valid HTML, weight.

Every kind of page is loaded in headless Chromium (Debian's, driven by Playwright) from a local
server under a sub-path, as GitHub Pages serves a project site. Each gate is also run on a page
broken on purpose, to prove it catches what it is for.
"""

from __future__ import annotations

import shutil
import time
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
        self.page.clock.set_fixed_time(gates.DEMO_NOON)
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
         "past opportunities", "coming up later", "coming up by department", "get alerts", "processes", "processes page 2", "process with awards", "awards", "awards filtered",
         "awards by value", "where the money goes",
         "data quality", "data downloads", "shared contracts", "framework agreement", "order under an agreement",
         "storm ready", "performance", "performance: who wins", "performance: red flags", "process with flags",
         "suppliers", "supplier", "departments", "department", "guides", "guide", "not found"]


def table_boxes_are_reachable(page) -> None:
    """A table box is a region that keyboard users can focus, named, with its cue exactly while it scrolls."""
    for box in gates.scroll_boxes(page):
        assert box["name"] and box["role"] == "region" and box["tabindex"] == 0, box
        assert box["cue"] == box["scrolls"], box


@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly_and_passes_axe(kind, page_kinds, served, visit):
    v = visit(served + page_kinds[kind].removesuffix("index.html"))
    assert v.errors == []
    table_boxes_are_reachable(v.page)
    assert gates.axe_violations(v.page) == []


@pytest.mark.parametrize("kind", KINDS)
def test_page_reflows_and_passes_axe_320_px_wide(kind, page_kinds, served, visit):
    """WCAG 2.1 reflow (1.4.10): nothing scrolls sideways or passes the right edge at 320 CSS
    pixels, the narrowest phones; a wider table scrolls in its own box, which keyboard users can
    reach (axe: scrollable-region-focusable), with a cue that says so."""
    v = visit(served + page_kinds[kind].removesuffix("index.html"), width=320)
    assert v.errors == []
    assert gates.sideways(v.page) == []
    assert v.page.locator("h1").first.is_visible()
    table_boxes_are_reachable(v.page)
    assert gates.axe_violations(v.page) == []
    assert gates.broken_numbers(v.page, ".numbers, .num, .amount, .date, code:not(.checksum), time") == []


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "not found"])  # one 404 page serves every language
def test_spanish_page_passes_axe_wide_and_320_px(kind, page_kinds, served, visit):
    """The same gates on the page in Spanish, whose words run longer: no error, WCAG 2.1 AA, and
    reflow at 320 CSS pixels. axe runs once, on the wide page: the pages share their templates
    with the English ones, which axe checks at both widths, so what Spanish changes is the words,
    and what longer words break is the reflow, checked at 320."""
    for width in (1280, 320):
        v = visit(served + "es/" + page_kinds[kind].removesuffix("index.html"), width=width)
        assert v.errors == []
        assert v.page.locator("html").get_attribute("lang") == "es"
        table_boxes_are_reachable(v.page)
        if width == 320:
            assert gates.sideways(v.page) == []
            assert gates.broken_numbers(v.page, ".numbers, .num, .amount, .date, code:not(.checksum), time") == []
        else:
            assert gates.axe_violations(v.page) == []


@pytest.mark.parametrize("kind", ["home", "opportunity", "supplier", "guide"])
def test_content_is_readable_without_javascript(kind, page_kinds, served, visit):
    v = visit(served + page_kinds[kind].removesuffix("index.html"), javascript=False)
    assert v.page.locator("main h1").inner_text().strip()
    assert len(v.page.locator("main").inner_text()) > 200


# --- on a phone ---------------------------------------------------------------------------------

def test_opportunity_cards_are_compact_on_a_phone(served, visit):
    """Title, badges, buyer, deadline with days left and value: about 200 px a card at 375 px."""
    v = visit(served + "opportunities/", width=375)
    heights = v.page.eval_on_selector_all("#opportunity-list > li.card", "cards => cards.map(c => c.offsetHeight)")
    assert len(heights) >= 10 and max(heights) <= 220, heights
    card = v.page.locator("#opportunity-list > li.card").first
    assert card.locator(".days-left").is_visible() and card.locator(".badge").first.is_visible()


LAYOUT_SHIFTS = """window.shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.shifts.push(e.value); }))
  .observe({type: "layout-shift", buffered: true});"""


@pytest.mark.parametrize("width", [375, 1280])
def test_filter_form_has_its_place_before_its_script_runs(width, served, browser):
    """The list does not move when the script arrives (late, as on a slow phone: after the first
    paint); on a phone the form starts folded behind one button."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.clock.set_fixed_time(gates.DEMO_NOON)
        page.add_init_script(LAYOUT_SHIFTS)
        page.route("**/opportunities.js", lambda route: (time.sleep(0.5), route.continue_()))
        page.goto(served + "opportunities/", wait_until="load")
        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        assert sum(page.evaluate("window.shifts")) < 0.01
        form, toggle = page.locator("#opportunity-filters"), page.locator("button.filter-toggle")
        if width > 640:
            assert form.is_visible() and not toggle.is_visible()
            return
        assert not form.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert form.is_visible() and toggle.get_attribute("aria-expanded") == "true"
        page.goto(served + "opportunities/?sme=yes", wait_until="load")  # a filtered address opens it
        assert page.locator("#opportunity-filters").is_visible()
    finally:
        context.close()


def test_filter_form_without_javascript_gives_way_to_the_browse_lists(served, visit):
    for width in (375, 1280):
        page = visit(served + "opportunities/", width=width, javascript=False).page
        assert not page.locator("#opportunity-filters").is_visible()
        assert not page.locator("button.filter-toggle").is_visible()
        assert page.locator(".browse-link a").is_visible()


@pytest.mark.parametrize("kind", ["awards", "home", "supplier", "past opportunities", "coming up later"])
def test_lists_readers_scan_stack_on_a_phone_amount_and_date_first(kind, page_kinds, served, visit):
    v = visit(served + page_kinds[kind].removesuffix("index.html"), width=375)
    row = v.page.locator("main table.stacked tbody tr").first
    first = row.locator("td").first.bounding_box()
    for cell in row.locator("td.amount, td.date, td.outcome").all():
        assert cell.bounding_box()["y"] < first["y"]  # above the title
    labels = row.evaluate("tr => [...tr.cells].slice(1).map(td => getComputedStyle(td, '::before').content)")
    assert all(label.strip('"').endswith(": ") and len(label) > 4 for label in labels), labels
    assert row.bounding_box()["width"] <= 375 - 32 + 1  # the row fits: nothing is cut at the edge
    assert gates.broken_numbers(v.page, ".numbers, .amount, .date") == []
    wide = visit(served + page_kinds[kind].removesuffix("index.html"), width=1280)
    row = wide.page.locator("main table.stacked tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "table-row"


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


def test_the_reflow_gate_catches_a_wide_element_even_where_the_page_hides_it(broken_site, visit):
    break_page(broken_site, "index.html", "<h1>", '<p style="width: 400px">wide</p><h1>')
    with gates.serve(broken_site) as base:
        assert any("scrolls sideways" in f for f in gates.sideways(visit(base, width=320).page))
    # overflow hidden on the main box stops the page scrolling, and cuts the content off instead
    break_page(broken_site, "index.html", '<main id="main"', '<main style="overflow-x: hidden" id="main"')
    with gates.serve(broken_site) as base:
        found = gates.sideways(visit(base, width=320).page)
    assert found and not any("scrolls sideways" in f for f in found)


def test_the_number_gate_catches_a_number_broken_over_two_lines(broken_site, visit):
    break_page(broken_site, "index.html", "<h1>", '<p class="amount" style="width: 3em; overflow-wrap: anywhere">$61,400,417.42</p><h1>')
    with gates.serve(broken_site) as base:
        assert gates.broken_numbers(visit(base, width=320).page, ".amount") == ["61,400,417.42"]


def test_the_browser_gate_catches_a_missing_asset(broken_site, visit):
    (broken_site / "static" / "site.css").unlink()
    with gates.serve(broken_site) as base:
        assert any("site.css" in e for e in visit(base).errors)


def test_search_results_fill_their_place_without_shifting_the_page(served, browser):
    """The results and the status line have their place before the script fills them, and the
    note for browsers without JavaScript never shows where scripts run (Lighthouse CLS)."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.clock.set_fixed_time(gates.DEMO_NOON)
        page.add_init_script(LAYOUT_SHIFTS)
        page.goto(served + "search/?q=paving&archive=all", wait_until="load")
        page.wait_for_selector("#search-results li")
        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        assert sum(page.evaluate("window.shifts")) < 0.05
        assert not page.locator("#search-needs-js").is_visible()
    finally:
        context.close()
