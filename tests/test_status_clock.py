"""Statuses stay true after the build: in headless Chromium with the visitor's clock fixed on the
build day, a week later and a month later, static/opportunities.js decides again what the build
decided with its own "today" (open, closing soon, new, days left, which list a bid is in, counts),
and the note at the top says how old the information is. Expectations come from the demo's view
model and the model's rules (generator/site/process.py), not from numbers written here."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from generator import routes
from generator.site.process import CLOSING_SOON_DAYS, FORECAST, NEW_DAYS, OPEN

LATER = (0, 7, 30)  # days after the build


@pytest.fixture(scope="module")
def rules(demo_view):
    return Rules(demo_view)


class Rules:
    """The model's rules applied at a moment of the visitor's clock, in the city's time zone."""

    def __init__(self, view):
        self.view = view
        self.tz = ZoneInfo(view.settings.timezone)

    def at(self, days: int, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(self.view.today + dt.timedelta(days=days), dt.time(hour), tzinfo=self.tz)

    def day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def is_open(self, p, now) -> bool:
        return p.stage == OPEN and now <= p.deadline

    def days_left(self, p, now) -> int:
        return (self.day(p.deadline) - self.day(now)).days

    def closing(self, p, now, within: int = CLOSING_SOON_DAYS) -> bool:
        return self.is_open(p, now) and self.days_left(p, now) <= within

    def is_new(self, p, now) -> bool:
        age = (self.day(now) - self.day(p.published)).days if p.published else -1
        return (self.is_open(p, now) or p.stage == FORECAST) and 0 <= age < NEW_DAYS

    def listed(self, p, now) -> bool:
        """Shown in a list of opportunities: a forecast, or a bid still open."""
        return p.stage != OPEN or self.is_open(p, now)

    def days_left_text(self, p, now) -> str:
        if not self.is_open(p, now):
            return "Closed"
        left = self.days_left(p, now)
        return "closes today" if left == 0 else "closes in 1 day" if left == 1 else f"closes in {left} days"

    def open_count(self, processes, now, within: int | None = None) -> int:
        return sum(1 for p in processes if (self.closing(p, now, within) if within is not None else
                                           self.is_open(p, now)))


def test_the_rules_here_are_the_models_on_the_build_day(demo_view, rules):
    """What these tests expect is what the build says on its own day."""
    now = rules.at(0, 0)
    assert demo_view.open_now, "the demo has open bids"
    assert {p.ocid for p in demo_view.open_now} == {p.ocid for p in demo_view.processes if rules.is_open(p, now)}
    for p in demo_view.opportunities:
        assert rules.is_new(p, now) == p.is_new, p.ocid
        if p.stage == OPEN:
            assert rules.closing(p, now) == p.closing_soon, p.ocid
    # and the week and the month after change something to test
    for days in LATER[1:]:
        assert any(not rules.is_open(p, rules.at(days)) for p in demo_view.open_now)
    assert any(rules.closing(p, rules.at(7)) and not p.closing_soon for p in demo_view.open_now)


def url_of(served: str, path: str) -> str:
    return served + routes.relative_url("index.html", path)


def visible_titles(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector, "cards => cards.filter(c => c.offsetParent !== null).map(c => c.querySelector('h2, h3').textContent)")


def closed_note(page, within: str = "main") -> list[str]:
    return page.eval_on_selector_all(f"{within} .closed-since:not([hidden]) li", "items => items.map(i => i.textContent)")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def check_cards(page, rules, processes, now, selector="main ol.cards > li"):
    """Each visible card's badges and days left are those of the rules at `now`."""
    shown = page.eval_on_selector_all(selector, """cards => cards.filter(c => c.offsetParent !== null).map(c => ({
        title: c.querySelector('h2, h3').textContent,
        badges: [...c.querySelectorAll('.badge')].filter(b => b.offsetParent !== null).map(b => b.textContent),
        left: (c.querySelector('.days-left') || {}).textContent || null}))""")
    by_title = {p.title: p for p in processes}
    for card in shown:
        p = by_title[card["title"]]
        assert ("Open for bids" in card["badges"]) == rules.is_open(p, now), card
        assert ("Closing soon" in card["badges"]) == rules.closing(p, now), card
        assert ("New" in card["badges"]) == rules.is_new(p, now), card
        assert "Closed" not in card["badges"], card
        if p.stage == OPEN:
            assert card["left"] == rules.days_left_text(p, now), card
    return shown


@pytest.mark.parametrize("days", LATER)
def test_home_page(served, open_at, demo_view, rules, days):
    now = rules.at(days)
    page = open_at(served, now)
    view = demo_view
    on_page = view.home_closing_soon + view.home_open_later
    numbers = page.locator(".numbers strong")
    assert number(numbers.nth(0).inner_text()) == rules.open_count(view.open_now, now)
    closing_now = rules.open_count(view.open_now, now, CLOSING_SOON_DAYS)
    assert number(numbers.nth(1).inner_text()) == closing_now

    section = page.locator("section[aria-labelledby=closing-soon]")
    assert visible_titles(page, "section[aria-labelledby=closing-soon] ol.cards > li") == [
        p.title for p in on_page if rules.closing(p, now)]
    assert visible_titles(page, "section[aria-labelledby=open-now] ol.cards > li") == [
        p.title for p in view.home_open_later if rules.is_open(p, now) and not rules.closing(p, now)]
    closed = [p.title for p in on_page if p.stage == OPEN and not rules.is_open(p, now)]
    assert closed_note(page) == closed
    check_cards(page, rules, on_page, now)

    shown = len([p for p in on_page if rules.closing(p, now)])
    more = section.locator("[data-more]")
    assert more.is_visible() == (closing_now > shown)
    if closing_now > shown:
        assert more.inner_text() == f"All {closing_now} bids closing within 7 days"
    assert section.locator("[data-when-none]").is_visible() == (closing_now == 0)
    everything = rules.open_count(view.open_now, now) + len(view.forecasts)
    assert page.get_by_role("link", name=re.compile("open opportunities and forecasts")).inner_text() == (
        f"All {everything} open opportunities and forecasts")
    assert page.errors == []


@pytest.mark.parametrize("days", LATER)
def test_opportunities_list(served, open_at, demo_view, rules, days):
    now = rules.at(days)
    page = open_at(url_of(served, routes.listing_path("opportunities")), now)
    view = demo_view
    assert len(view.opportunities) <= 25, "the demo's opportunities fit on one page"
    lead = page.locator("p.lead").inner_text()
    assert f"{rules.open_count(view.open_now, now)} open, {len(view.forecasts)} coming up." in lead
    assert visible_titles(page, "#opportunity-list > li") == [p.title for p in view.opportunities if rules.listed(p, now)]
    assert closed_note(page) == [p.title for p in view.opportunities if not rules.listed(p, now)]
    check_cards(page, rules, view.opportunities, now)
    # the filters' counts, and what they show
    for facet in view.lists.facets["closing"]:
        n = rules.open_count(view.open_now, now, int(facet.key))
        assert page.locator(f"#filter-closing option[value='{facet.key}']").inner_text().endswith(f"({n})")
    for facet in view.lists.facets["category"]:
        n = sum(1 for p in facet.items if rules.listed(p, now))
        assert page.locator(f"#filter-category option[value='{facet.key}']").inner_text().endswith(f"({n})")
    page.select_option("#filter-closing", view.lists.facets["closing"][-1].key)
    assert page.locator("#filter-status").inner_text().endswith(
        f"of {sum(1 for p in view.opportunities if rules.listed(p, now))} opportunities.")
    assert page.errors == []


@pytest.mark.parametrize("days", LATER)
def test_category_and_deadline_pages(served, open_at, demo_view, rules, days):
    now = rules.at(days)
    view = demo_view
    page = open_at(url_of(served, routes.listing_path("browse")), now)
    for kind, facets in view.lists.facets.items():
        expected = [f"({n})" for n in (
            rules.open_count(view.open_now, now, int(f.key)) if kind == "closing" else
            sum(1 for p in f.items if rules.listed(p, now)) for f in facets)]
        assert page.eval_on_selector_all(f"#browse-{kind} + ul .count", "cs => cs.map(c => c.textContent)") == expected
    biggest = max(view.lists.facets["category"], key=lambda f: len(f.items))
    page = open_at(url_of(served, biggest.path), now)
    n = sum(1 for p in biggest.items if rules.listed(p, now))
    assert page.locator("p.lead").inner_text().startswith(f"{n} open bid")
    assert visible_titles(page, "#opportunity-list > li") == [p.title for p in biggest.items if rules.listed(p, now)]

    soon = view.lists.facet_of("closing", str(CLOSING_SOON_DAYS))
    page = open_at(url_of(served, soon.path), now)
    closing_now = rules.open_count(view.open_now, now, CLOSING_SOON_DAYS)
    assert page.locator("p.lead").inner_text().startswith(f"{closing_now} open bid")
    kept = [p.title for p in soon.items if rules.closing(p, now)]
    assert visible_titles(page, "#opportunity-list > li") == kept
    assert closed_note(page) == [p.title for p in soon.items if not rules.is_open(p, now)]
    more = page.locator("[data-more]")
    assert more.is_visible() == (closing_now > len(kept))
    if more.is_visible():
        more.locator("a").click()
        page.wait_for_function("document.getElementById('filter-status').textContent.startsWith('Showing')")
        assert len(visible_titles(page, "#opportunity-list > li")) == closing_now
    assert page.errors == []


@pytest.mark.parametrize("days", LATER)
def test_opportunity_pages(served, open_at, demo_view, rules, days):
    now = rules.at(days)
    # an open bid still open a week after the build and closed a month after, and a forecast
    bid = next(p for p in demo_view.open_now if rules.at(7) < p.deadline < rules.at(30))
    forecast = demo_view.forecasts[0]
    for p in (bid, forecast):
        page = open_at(url_of(served, p.path), now)
        badges = page.eval_on_selector_all("main p.meta .badge", "bs => bs.filter(b => b.offsetParent).map(b => b.textContent)")
        assert ("Open for bids" in badges) == rules.is_open(p, now)
        assert ("Closed" in badges) == (p.stage == OPEN and not rules.is_open(p, now))
        assert ("Closing soon" in badges) == rules.closing(p, now)
        assert ("New" in badges) == rules.is_new(p, now)
        assert ("Coming up" in badges) == (p.stage == FORECAST), "a forecast stays a forecast: it never closes"
        if p.stage == OPEN:
            assert page.locator(".key-facts .days-left").inner_text() == rules.days_left_text(p, now)
        else:
            assert page.locator(".days-left").count() == 0
        assert page.errors == []


@pytest.mark.parametrize("days", LATER)
def test_department_page(served, open_at, demo_view, rules, days):
    now = rules.at(days)
    department = max(demo_view.buyers, key=lambda o: (len(o.open_bids), o.key))
    assert len(department.open_bids) >= 2
    page = open_at(url_of(served, department.path), now)
    open_now = rules.open_count(department.open_bids, now)
    count = page.locator("dl.facts div", has=page.locator("dt", has_text="Open for bids")).locator("dd")
    assert number(count.inner_text()) == open_now
    section = "section[aria-labelledby=open]"
    assert visible_titles(page, f"{section} ol.cards > li") == [
        p.title for p in department.first_open_bids if rules.is_open(p, now)]
    assert closed_note(page, section) == [p.title for p in department.first_open_bids if not rules.is_open(p, now)]
    assert page.locator(f"{section} [data-when-none]").is_visible() == (open_now == 0)
    check_cards(page, rules, department.open_bids, now, f"{section} ol.cards > li")
    # the stage column of its processes
    stages = dict(page.eval_on_selector_all(
        "section[aria-labelledby=processes] tbody tr",
        "rows => rows.map(r => [r.querySelector('a').textContent, r.querySelector('.badge').textContent])"))
    for p in department.open_bids:
        assert stages[p.title] == ("Open for bids" if rules.is_open(p, now) else "Closed")
    assert page.errors == []


def scan(page) -> list[str]:
    """Whatever the page shows as open, closing or counting down after its deadline, judged from
    the deadlines in the page and the browser's clock, not from the script's own logic."""
    return page.evaluate("""() => {
      const now = Date.now(), bad = [];
      const seen = e => e.offsetParent !== null;
      const passed = d => !d || Date.parse(d) < now;
      const deadline = b => (b.parentNode.querySelector('[data-deadline]') || {dataset: {}}).dataset.deadline;
      document.querySelectorAll('.badge-open').forEach(b => { if (seen(b) && passed(b.dataset.deadline)) bad.push(b.outerHTML); });
      document.querySelectorAll('.badge-soon').forEach(b => { if (seen(b) && passed(deadline(b))) bad.push(b.outerHTML); });
      document.querySelectorAll('.days-left').forEach(s => {
        if (seen(s) && s.textContent !== 'Closed' && passed(s.dataset.deadline)) bad.push(s.outerHTML); });
      document.querySelectorAll('.card[data-stage=open]').forEach(c => {
        if (seen(c) && passed(c.dataset.deadline)) bad.push(c.querySelector('a').textContent); });
      return bad;
    }""")


def test_nothing_says_a_closed_bid_is_open_a_month_later(served, open_at, demo_view, rules):
    now = rules.at(30)
    paths = [routes.listing_path(kind) for kind in ("home", "opportunities", "newest", "by-value", "browse", "processes")]
    paths += [f.path for f in demo_view.lists.facets["closing"]] + [f.path for f in demo_view.lists.facets["department"]]
    paths += [o.path for o in demo_view.buyers if o.open_bids] + [p.path for p in demo_view.open_now]
    for path in paths:
        page = open_at(url_of(served, path), now)
        assert scan(page) == [], path
        assert page.errors == [], path
        page.context.close()


def test_the_scan_finds_a_closed_bid_shown_as_open(served, open_at, rules):
    """The scan above catches what the script would leave behind without its status part."""
    page = open_at(url_of(served, routes.listing_path("opportunities")), rules.at(30))
    page.evaluate("""() => document.querySelectorAll('.card[hidden]').forEach(c => {
        c.hidden = false; c.querySelector('.badge-closed').className = 'badge badge-open'; })""")
    assert scan(page)


@pytest.mark.parametrize(("days", "stale"), [(0, False), (1, False), (2, True), (7, True), (30, True)])
def test_the_note_says_how_old_the_information_is(served, open_at, rules, days, stale):
    now = rules.at(days)
    built = f"{rules.view.today:%B} {rules.view.today.day}, {rules.view.today.year}"
    page = open_at(served, now)
    note = page.locator("main > #status-note")
    assert note.is_visible()
    assert note.get_attribute("role") == "note"
    words = note.inner_text()
    assert words.startswith(f"Information as of {built}")
    assert f"counted from today, {rules.day(now):%B} {rules.day(now).day}, {rules.day(now).year}, on your device" in words
    assert ("not updated since" in words) == stale
    assert ("is-stale" in note.get_attribute("class")) == stale
    assert page.errors == []


@pytest.fixture(scope="module")
def without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context
    context.close()


def test_without_javascript_every_page_that_states_status_says_when_it_dates_from(served, demo_view,
                                                                                   without_javascript):
    built = f"{demo_view.today:%B} {demo_view.today.day}, {demo_view.today.year}"
    department = next(o for o in demo_view.buyers if o.open_bids)
    paths = [routes.listing_path(k) for k in ("home", "opportunities", "browse", "processes")]
    paths += [demo_view.open_now[0].path, demo_view.forecasts[0].path, department.path,
              demo_view.lists.facets["category"][0].path]
    page = without_javascript.new_page()
    for path in paths:
        page.goto(url_of(served, path))
        note = page.locator("main > p.status-note")
        assert note.is_visible(), path
        assert note.inner_text() == (f"Information as of {built}. "
                                     "Deadlines that have passed since may still show as open."), path
        # it comes before the page's own content
        assert page.evaluate("document.querySelector('main').firstElementChild.id") == "status-note", path
    page.goto(url_of(served, routes.listing_path("past")))
    assert "not listed yet" in page.locator("main > p.status-note").inner_text()
    # pages that state no status have none
    for path in (routes.listing_path("awards"), demo_view.suppliers[0].path):
        page.goto(url_of(served, path))
        assert page.locator(".status-note").count() == 0, path
    page.close()


def test_counts_are_written_for_the_script(demo_view):
    """The data a count is made of (publish/formats.counted): forecasts as a number, open bids by
    deadline, repeated deadlines folded."""
    from generator.publish.formats import counted

    text = counted(demo_view.opportunities)
    words = text.split()
    assert words[0] == f"+{len(demo_view.forecasts)}"
    deadlines = [int(p.deadline.timestamp()) for p in demo_view.open_now]
    unfolded = [int(w.split("*")[0]) for w in words[1:] for _ in range(int(w.split("*")[1]) if "*" in w else 1)]
    assert unfolded == sorted(deadlines)
    assert len(words) - 1 == len(set(deadlines)) < len(deadlines), "the demo has bids closing at the same moment"
    assert counted(()) == ""


def test_a_clock_before_the_build_day_counts_as_that_day(served, open_at, demo_view, rules):
    """A device whose clock is behind the data (or a demo pinned to a later day) shows the page as built."""
    page = open_at(url_of(served, routes.listing_path("opportunities")), rules.at(-40))
    check_cards(page, rules, demo_view.opportunities, rules.at(0, 0))
    assert visible_titles(page, "#opportunity-list > li") == [p.title for p in demo_view.opportunities]
    built = f"{demo_view.today:%B} {demo_view.today.day}, {demo_view.today.year}"
    assert f"counted from today, {built}, on your device" in page.locator("#status-note").inner_text()
    assert page.errors == []
