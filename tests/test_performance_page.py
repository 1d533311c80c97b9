"""The performance page on the built demo: its headline numbers recomputed from the raw files in
ocds_data/ (compiled with ocdsmerge, nothing of the generator), its counts agree with the spending
page's, and every figure's table and CSV hold the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from decimal import Decimal
from zoneinfo import ZoneInfo

import ocdsmerge
import pytest
from test_totals_agree import page, raw_releases, value_now

CITY = ZoneInfo("America/Chicago")  # content/site.yml


@pytest.fixture(scope="module")
def compiled(demo_kit):
    merger = ocdsmerge.Merger(schema=demo_kit.release_schema)
    return [merger.create_compiled_release(sorted(rs, key=lambda r: r["date"])) for rs in raw_releases().values()]


def day(text: str) -> dt.date:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(CITY).date()


def rows_of(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def framework(c: dict) -> bool:
    return ((c.get("tender") or {}).get("techniques") or {}).get("hasFrameworkAgreement") is True


def test_award_to_signature_matches_the_raw_files(demo_site, compiled):
    days = []
    for c in compiled:
        awards = {a["id"]: a for a in c.get("awards", []) if a.get("status") == "active" and a.get("date")}
        for contract in c.get("contracts", []):
            award = awards.get(contract.get("awardID"))
            if award and contract.get("dateSigned"):
                days.append((day(contract["dateSigned"]) - day(award["date"])).days)
    days = [d for d in days if d >= 0]
    assert days, "the demo signs contracts"
    row = next(r for r in rows_of(demo_site / "performance" / "cycle-stages.csv") if r["Stage"] == "Award to signed contract")
    assert int(row["Counted"]) == len(days)
    assert Decimal(row["Median days"]) == Decimal(str(statistics.median(days)))


def test_eighty_percent_of_the_value_matches_the_raw_files(demo_site, compiled):
    values = []
    for c in compiled:
        if framework(c):
            continue  # ceilings, not money spent
        for award in c.get("awards", []):
            found = value_now(award, c.get("contracts", [])) if award.get("status") == "active" else None
            if found and found[0] == "USD":
                values.append(found[1])
    values.sort(reverse=True)
    total, running, n = sum(values), Decimal(0), 0
    while running * 100 < total * 80:
        running += values[n]
        n += 1
    rows = {r["Share of value"]: r for r in rows_of(demo_site / "performance" / "concentration-awards.csv")}
    assert int(rows["80"]["Largest awards that make it"]) == n
    takeaway = page(demo_site / "performance" / "businesses" / "index.html").select_one(
        "#concentration-awards .takeaway").get_text()
    assert f"{n} of {len(values)} awards make 80% of the USD awarded" in takeaway


def test_competition_agrees_with_the_spending_page(demo_site):
    spending = sum(int(r["Awarded processes"]) for r in rows_of(demo_site / "spending" / "bidders.csv"))
    by_year = rows_of(demo_site / "performance" / "competition-by-year.csv")
    assert sum(int(r["Procedures counted"]) for r in by_year) == spending
    by_department = rows_of(demo_site / "performance" / "competition-by-department.csv")
    assert sum(int(r["Procedures counted"]) for r in by_department) == spending
    singles = int(rows_of(demo_site / "spending" / "bidders.csv")[0]["Awarded processes"])  # the "1 bidder" row
    assert sum(int(r["With one bid"]) for r in by_year) == singles


def test_no_single_bid_figure_counts_a_purchase_without_competition(demo_site, compiled):
    """Every process a single-bid count could include is an open or selective procedure: the
    number of processes the year table counts is at most the raw open and selective ones awarded."""
    competitive = {c["ocid"] for c in compiled
                   if (c.get("tender") or {}).get("procurementMethod") in ("open", "selective") and not framework(c)
                   and any(a.get("status") == "active" for a in c.get("awards", []))}
    counted = sum(int(r["Procedures counted"]) + int(r["Not counted: no bidder count"])
                  for r in rows_of(demo_site / "performance" / "competition-by-year.csv"))
    assert 0 < counted <= len(competitive)


PAGES = ("performance/index.html", "performance/businesses/index.html")


def test_every_figure_has_a_table_and_the_same_rows_in_its_csv(demo_site):
    figures = [f for path in PAGES for f in page(demo_site / path).select("section.figure")]
    assert len(figures) >= 12
    for figure in figures:
        link = figure.select_one("p.download a")["href"]
        data = rows_of(demo_site / "performance" / link.split("/")[-1])  # every CSV is in performance/
        table = figure.select("table tbody tr")
        if "(every row" not in figure.select_one("p.download").get_text():
            assert len(table) == len(data), figure["id"]
        assert figure.select_one("svg[role=img] title"), figure["id"]


def test_sections_and_definitions(demo_site):
    main, businesses = (page(demo_site / path) for path in PAGES)
    for soup, sections in ((main, ("cycle-times", "competition", "savings")), (businesses, ("diversity", "concentration"))):
        for ident in sections:
            assert soup.select_one(f"section#{ident} h2"), ident
        links = {a["href"] for a in soup.select('section.figure a[href^="#note-"]')}
        defined = {"#" + dt["id"] for dt in soup.select("dt[id^=note-]")}
        assert links and links == defined  # each page defines exactly what its figures link to
    assert {"#note-cycle", "#note-savings"} <= {a["href"] for a in main.select('a[href^="#note-"]')}
    assert {"#note-diversity", "#note-first-time"} <= {a["href"] for a in businesses.select('a[href^="#note-"]')}


def test_the_three_pages_link_to_each_other(demo_site):
    for path in (*PAGES, "performance/flags/index.html"):
        nav = page(demo_site / path).select("nav.parts a")
        assert len(nav) == 3 and sum(1 for a in nav if a.get("aria-current") == "page") == 1, path


def test_the_home_and_spending_pages_link_to_it(demo_site):
    for path in ("index.html", "spending/index.html"):
        assert page(demo_site / path).select_one('a[href$="performance/"]'), path
