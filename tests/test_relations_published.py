"""Links between processes reach the search index and the feeds (the CSV tables are in test_bulk
and test_csv_safety): an order is found by its agreement's name or a cooperative contract's number,
and a framework's award in a feed reads as a ceiling, never as money spent."""

from __future__ import annotations

import feedparser

from generator.publish import feeds, search
from generator.site.assemble import build_site

from test_model import SETTINGS, TODAY, record, tender

FW, ORDER, COOP, NEW, OLD = (f"ocds-test01-{x}" for x in ("fw", "order", "coop", "new", "old"))
SUPPLIER = {"id": "s1", "name": "Canopy Tree Care"}
ACTIVE = {"id": "a1", "status": "active", "date": "2026-06-01T09:00:00-05:00",
          "value": {"amount": 900000, "currency": "USD"}, "suppliers": [SUPPLIER]}
PARTIES = [{"id": "s1", "name": "Canopy Tree Care", "roles": ["supplier"]}]


def link(relationship, identifier, scheme="ocid", **extra):
    return {"id": "1", "relationship": [relationship], "scheme": scheme, "identifier": identifier, **extra}


def site():
    return build_site([
        record(FW, {"tender": tender(status="complete", title="On-Call Tree Services",
                                     techniques={"hasFrameworkAgreement": True}),
                    "awards": [ACTIVE], "parties": PARTIES}),
        record(ORDER, {"tender": tender(status="complete", title="Storm Pruning, Ward 3"),
                       "relatedProcesses": [link("framework", FW)],
                       "awards": [{**ACTIVE, "value": {"amount": 40000, "currency": "USD"}}], "parties": PARTIES}),
        record(COOP, {"tender": tender(status="complete", title="Library Books"),
                      "relatedProcesses": [link("framework", "GLCPC-2024-117", scheme="GLCPC",
                                                title="Great Lakes consortium books contract")],
                      "awards": [{**ACTIVE, "value": {"amount": 600, "currency": "USD"}}], "parties": PARTIES}),
        record(NEW, {"tender": tender(title="Janitorial Services"), "relatedProcesses": [link("prior", OLD)]}),
        record(OLD, {"tender": tender(status="complete", title="Janitorial Services 2023"), "awards": [ACTIVE],
                     "parties": PARTIES}),
    ], SETTINGS, TODAY, ())


def test_search_finds_an_order_by_its_agreement_and_an_agreement_by_its_orders():
    docs = {d.ref: d for d in search.documents(site())}
    assert "On-Call Tree Services" in docs[ORDER].fields["related"]
    assert "Storm Pruning, Ward 3" in docs[FW].fields["related"]
    assert "Great Lakes consortium books contract" in docs[COOP].fields["related"]
    assert search.reference("GLCPC-2024-117") in docs[COOP].references, "a cooperative contract's number is exact"
    assert docs[OLD].fields["related"] == "", "a renewal is not an order"


def entries(files, path):
    return {e.title: e for e in feedparser.parse(files[path]).entries}


def test_feeds_say_what_an_order_is_placed_under_and_that_a_ceiling_is_not_spending():
    files = {a.path: a.data for a in feeds.feed_artifacts(site())}
    awards = entries(files, "feeds/awards.atom")
    framework = awards["On-Call Tree Services: awarded to Canopy Tree Care"].summary
    assert "Value: up to $900,000 (the agreement's ceiling" in framework
    assert "Sets up a framework agreement" in framework and "Orders placed under it: 1" in framework
    order = awards["Storm Pruning, Ward 3: awarded to Canopy Tree Care"].summary
    assert "Ordered under: On-Call Tree Services" in order and "Value: $40,000" in order
    coop = awards["Library Books: awarded to Canopy Tree Care"].summary
    assert "Ordered under: Great Lakes consortium books contract (GLCPC-2024-117)" in coop
    opportunity = entries(files, "feeds/opportunities.atom")["Janitorial Services"].summary
    assert "Follows: Janitorial Services 2023" in opportunity


def test_every_kind_of_relation_has_a_label_both_ways():
    from generator import labels, related
    kinds = {kind for kind, _ in related.RELATIONSHIPS.values()} - {related.CALL_OFF}
    assert set(labels.LABELS["relation"]) == {f"{k}-{side}" for k in kinds for side in ("earlier", "later")}


def test_process_pages_name_related_processes_both_ways_with_links():
    from lxml import html as lxml_html

    from generator import routes
    from generator.inputs import folder
    from generator.publish import pages
    built = site()
    rendered = {a.path: a.data.decode() for a in pages.render_site(
        built, folder.read_templates(folder.builtin_templates_dir().parent))}

    def related(ocid):
        page = lxml_html.fromstring(rendered[routes.process_path(ocid)])
        return [(" ".join(li.text_content().split()), [a.get("href") for a in li.iter("a")],
                 [b.get("data-deadline") for b in li.find_class("badge")])
                for li in page.xpath('//section[@aria-labelledby="related"]//li')]

    (text, links, badges), = related(OLD)
    assert text.startswith("Renewed or replaced by: Janitorial Services Open for bids")
    assert links == ["../../processes/ocds-test01-new/"] and badges == ["2026-11-20T14:00:00-06:00"]
    assert [r[0].split(":")[0] for r in related(NEW)] == ["Renews or replaces"]
    assert related(ORDER) == [], "an order's agreement is shown in its own section"
