"""Quality gates over a built site: a real browser, axe-core, the Nu HTML Checker, links, weight.

Each gate is a function returning what it found, so the suite can run it on the demo (expecting
nothing) and on a page broken on purpose (expecting the breakage to be caught).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# The demo is built for its pinned day: browser checks read its pages on that day at noon, city time,
# so what the visitor's clock decides (static/opportunities.js) is the same whenever the suite runs.
DEMO_NOON = "2026-11-16T12:00:00-06:00"
MAX_PAGE_BYTES = 60 * 1024
MAX_CSS_BYTES = 30 * 1024


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(folder: Path, prefix: str = "contracts"):
    """Serve `folder` at http://127.0.0.1:PORT/<prefix>/, as GitHub Pages serves a project site."""
    root = folder.parent / f"served-{folder.name}"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    (root / prefix).symlink_to(folder.resolve(), target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}/"
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)


def first_link(site: Path, listing: str, selector: str = "main tbody a") -> str:
    """The page the first link of a listing leads to (e.g. the first supplier's page)."""
    import posixpath

    from bs4 import BeautifulSoup

    href = BeautifulSoup((site / listing).read_text("utf-8"), "lxml").select_one(selector)["href"]
    return posixpath.normpath(posixpath.join(posixpath.dirname(listing), href)).rstrip("/") + "/index.html"


def page_kinds(site: Path) -> dict[str, str]:
    """One page of every kind of a built site, by output path (the browser gates and
    benchmarks/lighthouse.py open these)."""
    return {
        "home": "index.html",
        "opportunities": "opportunities/index.html",
        "opportunity": first_link(site, "opportunities/index.html", "main ol.cards a"),
        "opportunities filtered": first_link(site, "opportunities/browse/index.html", "main section a"),
        "opportunities by value": "opportunities/by-value/index.html",
        "browse opportunities": "opportunities/browse/index.html",
        "search results": "search/?q=paving&archive=all",
        "past opportunities": "opportunities/past/index.html",
        "coming up later": "opportunities/coming-up/index.html",
        "coming up by department": "opportunities/coming-up/by-department/index.html",
        "get alerts": "alerts/index.html",
        "processes": "processes/index.html",
        "processes page 2": "processes/page/2/index.html",
        "process with awards": first_link(site, "awards/index.html"),
        "awards": "awards/index.html",
        "awards filtered": first_link(site, "awards/index.html", "main nav.award-filters ul a"),
        "awards by value": "awards/by-value/index.html",
        "where the money goes": "spending/index.html",
        "suppliers": "suppliers/index.html",
        "supplier": first_link(site, "suppliers/index.html"),
        "departments": "buyers/index.html",
        "department": first_link(site, "buyers/index.html"),
        "guides": "guides/index.html",
        "guide": first_link(site, "guides/index.html", "main h2 a"),
        "data quality": "data-quality/index.html",
        "data downloads": "data/index.html",
        "shared contracts": "shared-contracts/index.html",
        "framework agreement": first_link(site, "shared-contracts/index.html", "main section.agreement h2 a"),
        "order under an agreement": first_link(site, "shared-contracts/index.html", "main section.agreement tbody a"),
        "storm ready": "storm-ready/index.html",
        "performance": "performance/index.html",
        "performance: who wins": "performance/businesses/index.html",
        "performance: red flags": "performance/flags/index.html",
        "process with flags": first_link(site, "performance/flags/index.html", "main #flags tbody a"),
        "not found": "404.html",
    }


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page loaded in a Playwright `page`."""
    page.add_script_tag(path=str(AXE))
    # resultTypes: axe still runs every rule, but details only the violations (the passes' details are
    # most of its time on a long page).
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    return [{"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]]


_SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const scroll = document.documentElement.scrollWidth - width;
  if (scroll > 0) { found.push(`the page scrolls sideways by ${scroll}px`); }
  // An element past the right edge scrolls the page or, where a box hides what overflows it, is
  // cut off: unless a box of its own scrolls (a table box) or it is visually hidden text.
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    if (right <= width + 0.5) { continue; }
    let own = false;
    for (let box = element.parentElement; box && box !== document.body && !own; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      own = overflow === "auto" || overflow === "scroll" || (overflow !== "visible" && box.offsetWidth <= 1);
    }
    if (!own) { found.push(`${element.tagName.toLowerCase()}.${element.className} reaches ${Math.round(right)}px`); }
  }
  return found.slice(0, 5);
}"""


def sideways(page) -> list[str]:
    """What makes the page in a Playwright `page` scroll sideways or pass its right edge (WCAG 2.1
    reflow, 1.4.10): the page's own sideways scroll, and elements past the viewport's right edge
    that no box of their own scrolls (measuring the page's scroll width alone misses content that
    a box with overflow hidden cuts off)."""
    return page.evaluate(_SIDEWAYS)


def scroll_boxes(page) -> list[dict]:
    """The page's table boxes: whether each scrolls, shows its scroll cue, and what names it. The cue
    follows a CSS scroll timeline, which a headless browser may apply a few hundred milliseconds
    after the page loads: up to two seconds are given for every cue to match its box."""
    boxes = """() => [...document.querySelectorAll(".table-wrap")].map(box => {
      const label = document.getElementById(box.getAttribute("aria-labelledby"));
      const cue = box.querySelector(".scroll-cue");
      return {name: label ? label.textContent.trim() : null, role: box.getAttribute("role"), tabindex: box.tabIndex,
              scrolls: box.scrollWidth > box.clientWidth,
              cue: !!cue && cue.offsetHeight > 0 && getComputedStyle(cue).visibility === "visible"};
    })"""
    try:
        page.wait_for_function(f"() => ({boxes})().every(box => box.cue === box.scrolls)", timeout=2000)
    except PlaywrightTimeout:
        pass  # the caller's assertion names the box whose cue is wrong
    return page.evaluate(boxes)


def broken_numbers(page, selector: str) -> list[str]:
    """Numbers (runs of digits with their separators: "$61,400,417.42", "2026-0012") inside the
    elements matching `selector` that the page shows over two lines."""
    return page.evaluate("""selector => {
      const broken = [];
      for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.textContent.matchAll(/\\d[\\d,.]*\\d/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.bottom)));
            if (lines.size > 1) { broken.push(match[0]); }
          }
        }
      }
      return broken;
    }""", selector)


def vnu_errors(folder: Path) -> list[dict]:
    """The Nu HTML Checker's errors over every HTML file under `folder`."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (make setup installs it)"
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                             str(folder)], capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [{"file": m.get("url", "").split(str(folder))[-1], "line": m.get("lastLine"), "message": m["message"]}
            for m in messages if m.get("type") == "error"]


def page_weights(folder: Path) -> list[tuple[int, str]]:
    return sorted(((p.stat().st_size, p.relative_to(folder).as_posix()) for p in folder.rglob("*.html")),
                  reverse=True)


def css_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.css"))


def _targets(folder: Path, page: str, html: str) -> list[tuple[str, str, str]]:
    """(href as written, target file, fragment) for every internal href and src on a page."""
    import posixpath
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup

    found = []
    for tag in BeautifulSoup(html, "lxml").select("[href], [src]"):
        ref = tag.get("href") if tag.has_attr("href") else tag.get("src")
        parts = urlsplit(ref)
        if parts.scheme or ref.startswith("//") or page == "404.html":
            continue  # external; the 404 page links from the base path (checked in test_render)
        if not parts.path:
            found.append((ref, page, parts.fragment))
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if parts.path.endswith("/") or path == ".":
            path = "index.html" if path == "." else posixpath.join(path, "index.html")
        found.append((ref, path, parts.fragment))
    return found


def link_graph(folder: Path) -> dict[str, list[tuple[str, str, str]]]:
    return {p.relative_to(folder).as_posix(): _targets(folder, p.relative_to(folder).as_posix(), p.read_text("utf-8"))
            for p in sorted(folder.rglob("*.html"))}


def broken_links(folder: Path) -> list[str]:
    """Internal links and sources that lead nowhere, fragments included."""
    from bs4 import BeautifulSoup

    graph, ids, broken = link_graph(folder), {}, []
    for page, targets in graph.items():
        for ref, target, fragment in targets:
            if target.startswith("../") or not (folder / target).is_file():
                broken.append(f"{page}: {ref} (no file {target})")
            elif fragment and target.endswith(".html"):
                if target not in ids:
                    ids[target] = {t["id"] for t in BeautifulSoup((folder / target).read_text("utf-8"), "lxml")
                                   .select("[id]")}
                if fragment not in ids[target]:
                    broken.append(f"{page}: {ref} (no id {fragment!r} in {target})")
    return broken


def unreachable_pages(folder: Path) -> list[str]:
    """Pages no chain of links from the home page reaches (the 404 page aside)."""
    graph = link_graph(folder)
    seen, queue = {"index.html"}, ["index.html"]
    while queue:
        for _, target, _ in graph.get(queue.pop(), []):
            if target.endswith(".html") and target not in seen:
                seen.add(target)
                queue.append(target)
    return sorted(set(graph) - seen - {"404.html"})
