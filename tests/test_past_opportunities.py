"""Past opportunities (issue 17, part 7): how many businesses bid, "No award made" with its reason,
and what tells apart two processes of the same title."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from test_render import TEMPLATES

from generator.publish import pages
from generator.site import outcomes
from generator.site.assemble import build_site
from generator.site.texts import Clipper

from test_model import SETTINGS, TODAY, record, tender

CLOSED = "2026-10-01T14:00:00-05:00"


@pytest.mark.parametrize("compiled, expected", [
    ({"tender": {"numberOfTenderers": 4, "tenderers": [{"id": "A"}]}}, 4),  # the stated number comes first
    ({"tender": {"numberOfTenderers": 0}}, 0),
    ({"tender": {"numberOfTenderers": True}}, None),  # not a number
    ({"tender": {"numberOfTenderers": -2}}, None),
    ({"tender": {"tenderers": [{"id": "A"}, {"id": "B", "name": "Bee"}, {"id": "A"}]}}, 2),
    # bids extension: each business once, however many bids it placed; invited firms did not bid
    ({"bids": {"details": [{"id": "1", "tenderers": [{"id": "A"}]}, {"id": "2", "tenderers": [{"id": "A"}]},
                           {"id": "3", "tenderers": [{"name": "Cee"}]}, {"id": "4", "status": "invited",
                                                                         "tenderers": [{"id": "D"}]}]}}, 2),
    ({"bids": {"details": [{"id": "1"}, {"id": "2"}]}}, 2),  # bids without their tenderers count once each
    ({"bids": {"statistics": [{"id": "1", "measure": "bids", "value": 5},
                              {"id": "2", "measure": "bids", "value": 3, "relatedLot": "lot-1"},
                              {"id": "3", "measure": "smeBids", "value": 4}]}}, 5),
    ({"bids": {"statistics": [{"id": "1", "measure": "bids", "value": 3, "relatedLot": "lot-1"}]}}, None),
    ({"tender": {}, "bids": "many"}, None),
    ({}, None),
])
def test_the_number_of_bidders_comes_from_what_the_data_publishes(compiled, expected):
    assert outcomes.bidders(compiled) == expected


@pytest.mark.parametrize("t, expected", [
    ({"status": "unsuccessful", "statusDetails": "Every bid was over the budget."}, "Every bid was over the budget."),
    ({"status": "unsuccessful", "statusDetails": "Unsuccessful"}, ""),  # only repeats the status
    ({"status": "cancelled", "documents": [
        {"id": "1", "documentType": "tenderNotice", "description": "The notice"},
        {"id": "2", "documentType": "cancellationDetails", "description": "The scope changed."}]}, "The scope changed."),
    ({"status": "cancelled"}, ""),
    # every bid rejected: the evaluation report says why (the latest one), unless a notice does
    ({"status": "unsuccessful", "documents": [
        {"id": "1", "documentType": "evaluationReports", "description": "First look."},
        {"id": "2", "documentType": "evaluationReports", "description": "Both bids were over the budget."}]},
     "Both bids were over the budget."),
    ({"status": "unsuccessful", "documents": [
        {"id": "1", "documentType": "evaluationReports", "description": "Scores."},
        {"id": "2", "documentType": "cancellationDetails", "description": "No bids were received."}]},
     "No bids were received."),
    ({"status": "cancelled", "documents": [{"id": "1", "documentType": "evaluationReports", "description": "Scores."}]},
     ""),
])
def test_the_reason_no_award_was_made(t, expected):
    assert outcomes.reason({"tender": t}, Clipper()) == expected


def past_site(*records):
    site = build_site(list(records), SETTINGS, TODAY, ())
    html = {a.path: a.data.decode() for a in pages.render_site(site, TEMPLATES)}
    return site, BeautifulSoup(html["opportunities/past/index.html"], "lxml")


def row_of(page, ocid):
    return next(r for r in page.select("main tbody tr") if r.a["href"].rstrip("/").endswith("/" + ocid))


def test_the_past_list_shows_bidders_and_no_award_made_with_the_reason():
    site, page = past_site(
        record("ocds-test01-1", {"tender": tender(status="unsuccessful", end=CLOSED, title="Bridge paint",
                                                  statusDetails="All three bids were over the budget.",
                                                  numberOfTenderers=3)}),
        record("ocds-test01-2", {"tender": tender(status="complete", end=CLOSED, title="Salt"),
                                 "bids": {"details": [{"id": "b1", "tenderers": [{"id": "A"}]},
                                                      {"id": "b2", "tenderers": [{"id": "B"}]}]}}),
        record("ocds-test01-3", {"tender": tender(status="cancelled", end=CLOSED, title="Fencing")}))
    headers = [th.get_text() for th in page.select("main thead th")]
    assert headers == ["Opportunity", "Department", "Deadline", "Bidders", "Outcome"]
    cells = {ocid: [td.get_text(" ", strip=True) for td in row_of(page, ocid).select("td")]
             for ocid in ("ocds-test01-1", "ocds-test01-2", "ocds-test01-3")}
    assert cells["ocds-test01-1"][3:] == ["3", "No award made Reason: All three bids were over the budget."]
    assert cells["ocds-test01-2"][3] == "2"
    assert cells["ocds-test01-3"][3:] == ["Not published", "Cancelled"]
    assert "Unsuccessful" not in page.get_text()
    # the page of the process and the competition chart count the same bidders
    by_ocid = {p.ocid: p for p in site.processes}
    assert (by_ocid["ocds-test01-1"].number_of_tenderers, by_ocid["ocds-test01-2"].number_of_tenderers) == (3, 2)


def test_processes_sharing_a_title_are_told_apart_by_their_lots_else_their_reference():
    lots = [{"id": f"lot-{n}", "title": f"District {n}"} for n in range(1, 6)]
    site, page = past_site(
        record("ocds-test01-1", {"tender": tender(status="complete", end=CLOSED, title="Street sweeping",
                                                  lots=[{"id": "1", "title": "North district"}])}),
        record("ocds-test01-2", {"tender": tender(status="complete", end=CLOSED, title="Street  SWEEPING",
                                                  lots=lots)}),
        record("ocds-test01-3", {"tender": tender(status="complete", end=CLOSED, title="Street sweeping")}),
        # same lots as another of its title: the lots tell nothing apart
        record("ocds-test01-4", {"tender": tender(status="complete", end=CLOSED, title="Street sweeping",
                                                  lots=[{"id": "1", "title": "North district"}])}),
        record("ocds-test01-5", {"tender": tender(status="complete", end=CLOSED, title="Snow removal",
                                                  lots=[{"id": "1", "title": "North district"}])}))

    def told(ocid):
        small = row_of(page, ocid).select_one("td small.told-apart")
        return small.get_text(" ", strip=True) if small else None

    assert told("ocds-test01-2") == "Lots: District 1; District 2; District 3 and 2 more"
    assert told("ocds-test01-3") == "Reference ocds-test01-3"
    assert told("ocds-test01-1") == "Reference ocds-test01-1"
    assert told("ocds-test01-4") == "Reference ocds-test01-4"
    assert told("ocds-test01-5") is None  # its title is its own
    site, page = past_site(*(record(f"ocds-test01-{n}", {"tender": tender(
        status="complete", end=CLOSED, title="Mowing", lots=[{"id": "1", "title": title}])})
        for n, title in ((1, "Parks"), (2, "Cemeteries"))))
    assert [told("ocds-test01-1"), told("ocds-test01-2")] == ["Lot: Parks", "Lot: Cemeteries"]
