"""A vendor on a 375 px phone finds, on any open bid, the deadline, the submit link, the contact and
whether they may bid in the first screen (issue 17: "Done when"), on the demo's pinned day."""

from __future__ import annotations

import gates

FIRST_SCREEN = {"width": 375, "height": 667}  # the smallest phone in common use
LINE = 24  # px: one line of text


def test_an_open_bids_answers_are_on_the_first_screen(demo_view, served, browser):
    context = browser.new_context(viewport=FIRST_SCREEN)
    try:
        page = context.new_page()
        page.clock.set_fixed_time(gates.DEMO_NOON)
        assert len(demo_view.open_now) >= 5
        for process in demo_view.open_now:
            page.goto(served + process.path.removesuffix("index.html"), wait_until="load")
            boxes = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.glance dt')].map(dt => {
                const box = dt.nextElementSibling.getBoundingClientRect();
                return [dt.textContent.trim(), [box.top, box.bottom]]; }))""")
            for answer in ("Submission deadline", "How to submit", "Who to ask"):
                assert boxes[answer][1] <= FIRST_SCREEN["height"], (process.ocid, answer, boxes[answer])
            assert boxes["Who can bid"][0] + LINE <= FIRST_SCREEN["height"], (process.ocid, boxes["Who can bid"])
            # the submit link and the contact's links can be tapped from there
            assert page.locator(".glance a[href^='mailto:']").first.is_visible()
            if demo_view.submit_links(process):
                assert page.locator(".glance a.address").first.is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= FIRST_SCREEN["width"]
    finally:
        context.close()
