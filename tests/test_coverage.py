"""coverage: which fields the performance figures read are published, counted exactly on a hand-made
city of six processes, and on the demo's data-quality page against the raw files.

    process  way       tender     period        bidders       award(s)                 contract(s)         supplier
    P1       open      complete   start, end    3             dated, valued            active, signed      S1 small, certified
    P2       direct    complete   -             -             dated, valued            -                   S2 size unknown
    P3       open      complete   start         -             one dated, one undated   active unsigned,    S1
                                                                                       pending unsigned
    P4       open      active     start, end    -             -                        -                   -      (no buyer)
    P5       -         planned    -             -             -                        -                   -      (a forecast)
    P6       selective complete   end           2 tenderers   dated, no value          cancelled           S3 not a party

P1 also publishes a pre-procurement milestone, an estimate, a main category and an item
classification; P2 an estimate.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlsplit

import ocdsmerge
import pytest
from bs4 import BeautifulSoup
from test_totals_agree import raw_releases

from generator.site import coverage
from generator.site.assemble import build_site

from test_model import SETTINGS, TODAY, record

PARTIES = [
    {"id": "A", "name": "Parks", "roles": ["buyer"]},
    {"id": "S1", "name": "Small Co", "roles": ["supplier"],
     "details": {"scale": "small", "classifications": [{"scheme": "X-CERT", "id": "WBE", "description": "WBE"}]}},
    {"id": "S2", "name": "Large Co", "roles": ["supplier"]},
]
OPENS, CLOSES = "2025-01-10T09:00:00-06:00", "2025-02-10T14:00:00-06:00"
USD = {"amount": 100, "currency": "USD"}


def award(n, supplier, date=True, value=True):
    return {"id": f"a{n}", "status": "active", "suppliers": [{"id": supplier, "name": supplier}],
            **({"date": "2025-03-01T10:00:00-06:00"} if date else {}), **({"value": USD} if value else {})}


def contract(n, status, signed=False):
    return {"id": f"c{n}", "awardID": f"a{n}", "status": status, **({"dateSigned": "2025-03-10T10:00:00-06:00"}
                                                                   if signed else {})}


def process(n, tender, awards=(), contracts=(), buyer=True, **extra):
    compiled = {"tender": {"id": f"t{n}", "title": f"P{n}", **tender}, "parties": PARTIES, **extra}
    if buyer:
        compiled["buyer"] = {"id": "A", "name": "Parks"}
    if awards:
        compiled["awards"] = list(awards)
    if contracts:
        compiled["contracts"] = list(contracts)
    return record(f"ocds-test01-p{n}", compiled)


def city():
    return [
        process(1, {"status": "complete", "procurementMethod": "open", "numberOfTenderers": 3, "value": USD,
                    "mainProcurementCategory": "works", "tenderPeriod": {"startDate": OPENS, "endDate": CLOSES},
                    "items": [{"id": "1", "classification": {"scheme": "UNSPSC", "id": "72141100"}}]},
                [award(1, "S1")], [contract(1, "active", signed=True)],
                planning={"milestones": [{"id": "m", "type": "preProcurement", "dateMet": "2024-10-01T00:00:00Z"}]}),
        process(2, {"status": "complete", "procurementMethod": "direct", "value": USD}, [award(2, "S2")]),
        process(3, {"status": "complete", "procurementMethod": "open", "tenderPeriod": {"startDate": OPENS}},
                [award(3, "S1"), award(4, "S1", date=False)], [contract(3, "active"), contract(4, "pending")]),
        process(4, {"status": "active", "procurementMethod": "open", "tenderPeriod": {"startDate": "2026-11-01T09:00:00-06:00",
                                                         "endDate": "2026-12-01T14:00:00-06:00"}}, buyer=False),
        process(5, {"status": "planned"}),
        process(6, {"status": "complete", "procurementMethod": "selective", "tenderPeriod": {"endDate": CLOSES},
                    "tenderers": [{"id": "S3"}, {"id": "S4"}]},
                [award(6, "S3", value=False)], [contract(6, "cancelled")]),
    ]


@pytest.fixture(scope="module")
def fields():
    site = build_site(city(), SETTINGS, TODAY, ())
    return {f.key: f for f in site.coverage.fields}


@pytest.mark.parametrize("key, applies, published", [
    ("tender-status", 5, 5),  # every process past planning: P1-P4, P6
    ("planning-start", 5, 1),  # processes that had a tender; P1's milestone
    ("notice-date", 5, 5),
    ("tender-opening", 4, 3),  # open and selective procedures that had a tender: P1, P3, P4, P6
    ("deadline", 4, 3),  # P3 has none
    ("bidders", 3, 2),  # awarded open or selective: P1 (stated), P3 (none), P6 (its tenderers); not the direct P2
    ("method", 5, 5),
    ("estimate", 4, 2),  # awarded processes: P1 and P2 publish tender/value
    ("award-date", 4, 3),  # P3 has an undated award
    ("award-value", 4, 3),  # P6's award has no value
    ("signature-date", 2, 1),  # P1 signed, P3's active contract not; P3's pending and P6's cancelled do not count
    ("buyer", 5, 4),
    ("main-category", 5, 1),
    ("classification", 5, 1),
    ("supplier", 4, 4),
    ("supplier-size", 4, 2),  # S2 publishes no size, S3 is not a party
    ("certifications", 4, 2),  # P1 and P3, whose supplier S1 lists one
])
def test_each_field_counts_where_it_applies_and_who_publishes_it(fields, key, applies, published):
    assert (fields[key].applies, fields[key].published) == (applies, published)


def test_shares_and_order_least_published_first(fields):
    site = build_site(city(), SETTINGS, TODAY, ())
    order = [f.key for f in site.coverage.fields]
    # 20% each, then 50% each, ties in the order a process goes (coverage.NEEDS)
    assert order[:7] == ["planning-start", "main-category", "classification", "estimate", "signature-date",
                         "supplier-size", "certifications"]
    assert order[-1] == "supplier"  # 100%, last of NEEDS among those at 100%
    assert fields["planning-start"].percent == Decimal("20.0")
    assert fields["deadline"].percent == Decimal("75.0")
    assert fields["signature-date"].missing == 1
    assert {f.key for f in site.coverage.gaps} == set(fields) - {"tender-status", "notice-date", "method", "supplier"}
    assert set(coverage.FIGURES) >= {figure for f in fields.values() for figure in f.figures}


def test_a_field_that_applies_to_nothing_has_no_share_and_comes_last():
    site = build_site([process(5, {"status": "planned"}), process(2, {"status": "complete",
                                                                    "procurementMethod": "direct"}, [award(2, "S2")])],
                      SETTINGS, TODAY, ())
    fields = site.coverage.fields
    nothing = [f.key for f in fields if f.percent is None]
    assert set(nothing) == {"tender-opening", "deadline", "bidders", "signature-date"}
    assert [f.key for f in fields[-4:]] == ["tender-opening", "deadline", "bidders", "signature-date"]
    assert build_site([], SETTINGS, TODAY, ()).coverage.fields[0].applies == 0


def table(site_dir) -> dict[str, list]:
    page = BeautifulSoup((site_dir / "data-quality/index.html").read_text("utf-8"), "html.parser")
    rows = page.select_one("#coverage-table").find_parent("table").select("tbody tr")
    return {r.td.get_text(): r for r in rows}


def test_the_data_quality_page_shows_shares_the_raw_files_give(demo_site, demo_kit):
    """Two shares recomputed from ocds_data with ocdsmerge alone: signature dates among contracts
    that should be signed, and tender estimates among awarded processes."""
    merger = ocdsmerge.Merger(schema=demo_kit.release_schema)
    counts = defaultdict(int)
    for releases in raw_releases().values():
        compiled = merger.create_compiled_release(sorted(releases, key=lambda r: r["date"]))
        signable = [c for c in compiled.get("contracts", []) if c.get("status") not in ("pending", "cancelled")]
        if signable:
            counts["contracted"] += 1
            counts["signed"] += all(c.get("dateSigned") for c in signable)
        if any(a.get("status") == "active" for a in compiled.get("awards", [])):
            counts["awarded"] += 1
            counts["estimated"] += bool((compiled.get("tender") or {}).get("value", {}).get("amount") is not None)
    rows = table(demo_site)
    for name, applies, published in (("Signature date", "contracted", "signed"),
                                     ("Estimated value", "awarded", "estimated")):
        cells = [td.get_text() for td in rows[name].select("td")]
        assert cells[3:5] == [str(counts[applies]), str(counts[published])]
        share = Decimal(counts[published] * 100 / counts[applies]).quantize(Decimal("0.1"))
        assert cells[5] == f"{share.normalize():f}%"
    assert counts["contracted"] > 0 and counts["awarded"] > 0


def test_each_figure_link_leads_to_the_performance_page_that_shows_the_figure(demo_site):
    links = [a for row in table(demo_site).values() for a in row.select("a")]
    assert {a.get_text() for a in links} == set(coverage.FIGURES.values())
    for a in links:
        href = urlsplit(a["href"])
        assert href.path.startswith("../performance/"), href
        target = (demo_site / "data-quality" / href.path / "index.html").resolve()
        ids = {e["id"] for e in BeautifulSoup(target.read_text("utf-8"), "html.parser").select("[id]")}
        figure = next(k for k, v in coverage.FIGURES.items() if v == a.get_text())
        assert href.fragment == figure and figure in ids, href
