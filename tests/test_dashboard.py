"""The "Where the money goes" dashboard and the spending on organisation pages.

The figures are checked on the hand-computed fixture of test_statistics (two currencies, missing
values, an amended contract); the demo's dashboard numbers are recomputed here from the raw demo
files, independently of the generator, and compared with the parsed HTML and the CSV downloads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import statistics as stats
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from bs4 import BeautifulSoup
from test_demo_site import latest_by_ocid, soup
from test_statistics import board, process, usd  # noqa: F401 (board is a fixture)

from generator import routes
from generator.publish import figures
from generator.site import statistics
from generator.site.assemble import build_site

from test_model import SETTINGS, TODAY

SVG = "{http://www.w3.org/2000/svg}"
WORDS = figures.Words(Locale.parse("en_US"))
CITY = ZoneInfo("America/Chicago")


def svg_parts(svg: str) -> tuple[str, str, list[str]]:
    """An SVG's title, description and texts; parsing fails unless it is well-formed XML."""
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root.findtext(f"{SVG}title"), root.findtext(f"{SVG}desc"), [t.text for t in root.iter(f"{SVG}text")]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


# --- figures, on the hand-computed fixture ---------------------------------------------------

@pytest.fixture(scope="module")
def dashboard_figures(board):  # noqa: F811 (the fixture)
    return {f.id: f for f in figures.dashboard_figures(board, WORDS, routes.spending_file)}


def test_value_figures_draw_one_chart_per_currency_and_never_add_currencies(dashboard_figures):
    f = dashboard_figures["by-department"]
    assert len(f.charts) == 2
    (usd_title, usd_desc, usd_texts), (eur_title, _, eur_texts) = (svg_parts(str(s)) for s in f.charts)
    assert usd_title == "Awarded value by department (USD)" and eur_title == "Awarded value by department (EUR)"
    assert "USD" in usd_desc
    assert usd_texts == ["Parks", "$1,700"]  # Works awarded nothing in USD: no bar
    assert eur_texts == ["Works", "€300"]
    assert f.columns == ("Department", "Awards", "Value (USD)", "Value (EUR)", "Awards without a value")
    assert [[c.text for c in row] for row in f.rows] == [["Parks", "2", "$1,700", "€0", "0"],
                                                         ["Works", "2", "$0", "€300", "1"]]
    assert f.takeaway == "Parks accounts for the most: $1,700, 100% of all USD awarded."
    assert f.missing == "1 awards publish no value; they are counted in the awards column only."


def test_the_csv_holds_the_tables_numbers_unformatted(dashboard_figures):
    f = dashboard_figures["by-year"]
    assert f.csv_path == "spending/by-year.csv"
    assert csv_rows(f.csv_bytes()) == [
        ["Year", "Awards", "Value (USD)", "Value (EUR)", "Awards without a value"],
        ["2025", "2", "1700", "0", "0"],
        ["2026", "1", "0", "300", "0"],
        ["No award date", "1", "0", "0", "1"],
    ]


def test_method_figure_and_the_non_competitive_takeaway(dashboard_figures):
    f = dashboard_figures["by-method"]
    title, _, texts = svg_parts(str(f.charts[0]))
    assert title == "Awards by procurement method"
    assert "Sole source: one supplier, no competition" in texts and "1 (25%)" in texts
    assert f.takeaway == ("50% of awards, and 29.4% of the USD awarded, went without open competition "
                          "(limited or sole source).")


def test_business_figure_counts_unknown_sizes_apart(dashboard_figures):
    f = dashboard_figures["businesses"]
    assert [[c.text for c in row] for row in f.rows] == [
        ["Small businesses", "2", "3", "66.7%", "$1,200", "70.6%", "€300", "100%", "1"],
        ["Certified businesses", "2", "4", "50%", "$1,200", "70.6%", "€300", "100%", "0"],
    ]
    assert f.takeaway == "Small businesses won 66.7% of awards; certified businesses won 50%."
    assert "1 awards went to a supplier whose size is not published" in f.missing
    _, _, texts = svg_parts(str(f.charts[0]))
    assert texts[:4] == ["Small businesses: share of awards", "66.7%", "Small businesses: share of USD value", "70.6%"]


def test_bidders_and_days_figures(dashboard_figures):
    bidders = dashboard_figures["bidders"]
    assert [[c.raw for c in row] for row in bidders.rows] == [
        ["1 bidder", "0"], ["2 bidders", "1"], ["3 bidders", "1"], ["4 bidders", "0"], ["5 or more bidders", "0"]]
    assert bidders.takeaway == ("On average 2.5 bidders competed; 0% of awarded open or selective procedures had a "
                                "single bidder.")
    assert bidders.missing == ("2 awarded purchases made without open or selective competition (sole source, limited, "
                               "orders under an agreement, emergencies) are not counted: they have one supplier by design.")
    days = dashboard_figures["days-to-award"]
    assert [row[1].raw for row in days.rows] == ["2", "1", "0", "0", "0"]
    assert days.takeaway == ("Half of awards were made within 30 days of the tender opening; the middle half took "
                             "25 to 45 days.")


def test_an_empty_city_gets_figures_that_say_so():
    board = build_site([], SETTINGS, TODAY, ()).dashboard  # noqa: F811
    figs = {f.id: f for f in figures.dashboard_figures(board, WORDS, routes.spending_file)}
    assert figs["by-department"].charts == () and figs["by-department"].rows == ()
    assert figs["by-department"].takeaway == "No awarded value has been published yet."
    assert figs["bidders"].takeaway == "No awarded open or selective procedure publishes its number of bidders yet."
    _, _, texts = svg_parts(str(figs["days-to-award"].charts[0]))
    assert texts == ["No dates published"]


def test_a_departments_largest_suppliers_are_drawn_and_the_rest_summed():
    records = [process(f"ocds-test01-s{n:02d}", "A", "open", None, 1, {"supplier": "S1", "value": usd(100 + n)})
               for n in range(12)]
    # Twelve processes, one supplier: make each award go to its own supplier.
    for n, rec in enumerate(records):
        party = {"id": f"X{n}", "name": f"Supplier {n:02d}", "roles": ["supplier"]}
        rec.compiled["parties"].append(party)
        rec.compiled["awards"][0]["suppliers"] = [{"id": f"X{n}"}]
    site = build_site(records, SETTINGS, TODAY, ())
    profile = site.buyers[0].profile
    by_supplier = figures.department_figures(profile, WORDS, lambda name: f"buyers/a/{name}.csv")[1]
    assert [row[0].text for row in by_supplier.rows] == [f"Supplier {n:02d}" for n in range(11, 1, -1)] + ["All other 2"]
    assert by_supplier.rows[-1][2].text == "$201"  # 100 + 101
    assert len(csv_rows(by_supplier.csv_bytes())) == 1 + 12  # the download keeps every supplier
    _, _, texts = svg_parts(str(by_supplier.charts[0]))
    assert texts[-2:] == ["All other 2", "$201"]


# --- the demo, recomputed from the raw files ---------------------------------------------------

def way_of(release: dict, known: set[str]) -> str:
    """How a process was bought, read from its raw release: it sets up a framework agreement; it
    orders under another agency's contract (another scheme than ocid, or an ocid neither in the data
    nor the city's) or under a city framework; bought without competition for an emergency (the reason
    code, or a disaster declaration); else its method."""
    tender = release.get("tender") or {}
    if str((tender.get("techniques") or {}).get("hasFrameworkAgreement")).lower() == "true":  # YAML: text
        return "framework"
    related = [*(release.get("relatedProcesses") or []),
               *(r for c in release.get("contracts") or [] for r in c.get("relatedProcesses") or [])]
    agreements = [r for r in related if "framework" in (r.get("relationship") or [])]
    if agreements:
        return "cooperative" if any((r.get("scheme") or "ocid").lower() != "ocid" or (
            r.get("identifier") not in known and not r.get("identifier", "").startswith("ocds-aldrpt-"))
            for r in agreements) else "call-off"
    uncompeted = tender.get("competitive") is False or (
        tender.get("competitive") is None and tender.get("procurementMethod") == "direct")
    reasons = {(r.get("scheme"), r.get("id")) for r in tender.get("procurementMethodRationaleClassifications") or []}
    declared = any(c.get("scheme") == "US-FEMA-DR" for c in tender.get("additionalClassifications") or [])
    if uncompeted and (("US-2CFR200.320", "emergency") in reasons or declared):
        return "emergency"
    return tender.get("procurementMethod", "")


def awards_of_demo(spent: bool = True) -> list[dict]:
    """Every active award of the demo that counts as money spent (not a framework agreement's, whose
    value is a ceiling; all of them when not `spent`) with what the dashboard needs, read from the raw files."""
    rows = []
    latest = latest_by_ocid()
    for release in latest.values():
        tender = release.get("tender") or {}
        way = way_of(release, set(latest))
        if way == "framework" and spent:
            continue
        names = {p["id"]: p for p in release.get("parties") or []}
        for award in release.get("awards") or []:
            if award.get("status") != "active":
                continue
            contract = next((c for c in release.get("contracts") or [] if c.get("awardID") == award["id"]
                             and c.get("value")), None)
            value = (contract or award).get("value")
            opened = (tender.get("tenderPeriod") or {}).get("startDate")
            rows.append({
                "ocid": release["ocid"], "department": release["buyer"]["name"],
                "amount": Decimal(str(value["amount"])) if value else None,
                "year": award["date"][:4] if award.get("date") else "",
                "method": way, "bidders": tender.get("numberOfTenderers"),
                "days": (dt.datetime.fromisoformat(award["date"]).astimezone(CITY).date()
                         - dt.datetime.fromisoformat(opened).astimezone(CITY).date()).days
                if opened and award.get("date") else None,
                "scales": [(names.get(s["id"], {}).get("details") or {}).get("scale") for s in award["suppliers"]],
            })
    return rows


def money(amount: Decimal) -> str:
    return f"${amount:,.0f}" if amount == amount.to_integral_value() else f"${amount:,.2f}"


def table(section) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in section.select("tbody tr")]


@pytest.fixture(scope="module")
def page(demo_site) -> BeautifulSoup:
    return soup(demo_site, "spending/index.html")


def test_demo_key_numbers(page):
    rows = awards_of_demo()
    numbers = [li.get_text(" ", strip=True) for li in page.select("ul.numbers li")]
    total = sum(r["amount"] for r in rows if r["amount"] is not None)
    assert numbers[0] == f"${(total / 1_000_000).quantize(Decimal('0.1'))}M awarded in total"  # exact in the tables
    assert numbers[1] == f"{len(rows)} awards"
    # competition is measured over open and selective procedures only: other purchases have one supplier by design
    processes = {r["ocid"]: r["bidders"] for r in rows if r["bidders"] is not None and r["method"] in ("open", "selective")}
    assert any(r["bidders"] == 1 and r["method"] not in ("open", "selective") for r in rows), "the demo has such cases"
    average = (Decimal(sum(processes.values())) / len(processes)).quantize(Decimal("0.1"))
    assert numbers[3] == f"{average.normalize():f} bidders per awarded open or selective procedure, on average"
    single = Decimal(sum(1 for n in processes.values() if n == 1) * 100) / len(processes)
    assert numbers[4] == (f"{single.quantize(Decimal('0.1')).normalize():f}% of awarded open or selective procedures "
                          "had a single bidder")
    median = stats.median([r["days"] for r in rows if r["days"] is not None])
    assert numbers[5] == f"{median:g} days from opening to award (median)"


def test_demo_value_by_department_and_year(page, demo_site):
    rows = awards_of_demo()
    for ident, key in (("by-department", "department"), ("by-year", "year")):
        expected = defaultdict(lambda: [0, Decimal(0)])
        for r in rows:
            expected[r[key]][0] += 1
            expected[r[key]][1] += r["amount"] or 0
        section = page.select_one(f"section#{ident}")
        got = {row[0]: row[1:] for row in table(section)}
        assert got == {k: [str(n), money(v), "0"] for k, (n, v) in expected.items()}
        # the chart draws one bar per row, labelled and valued as the table says
        _, _, texts = svg_parts(str(section.select_one("svg")))
        assert sorted(zip(texts[::2], texts[1::2], strict=True)) == sorted((k, money(v)) for k, (_, v) in expected.items())
        # the CSV download holds the same numbers
        link = section.select_one("a[download]")["href"]
        data = (demo_site / posixpath.normpath(posixpath.join("spending", link))).read_bytes()
        assert {row[0]: (row[1], Decimal(row[2])) for row in csv_rows(data)[1:]} == {
            k: (str(n), v) for k, (n, v) in expected.items()}


def test_demo_methods_small_businesses_bidders_and_days(page):
    rows = awards_of_demo()
    methods = Counter(r["method"] for r in rows)
    got = {row[0]: int(row[1]) for row in table(page.select_one("section#by-method"))}
    assert sorted(got.values()) == sorted(methods.values()) and "Sole source: one supplier, no competition" in got
    assert got["Sole source: one supplier, no competition"] == methods["direct"]
    for way, name in (("cooperative", "Cooperative contract of another agency"),
                      ("call-off", "Order under a city framework agreement"), ("emergency", "Emergency purchase")):
        assert got.get(name, 0) == methods[way], way
    small = [r for r in rows if all(s in statistics.SMALL_SCALES for s in r["scales"])]
    known = [r for r in rows if all(r["scales"])]
    business = table(page.select_one("section#businesses"))
    assert business[0][:3] == ["Small businesses", str(len(small)), str(len(known))]
    processes = {r["ocid"]: r["bidders"] for r in rows  # competition: open and selective procedures only
                 if r["bidders"] is not None and r["method"] in ("open", "selective")}
    bidders = table(page.select_one("section#bidders"))
    assert bidders[0] == ["1 bidder", str(sum(1 for n in processes.values() if n == 1))]
    assert sum(int(row[1]) for row in bidders) == len(processes)
    days = table(page.select_one("section#days-to-award"))
    assert sum(int(row[1]) for row in days) == sum(1 for r in rows if r["days"] is not None)
    assert days[1] == ["31 to 60 days", str(sum(1 for r in rows if r["days"] is not None and 31 <= r["days"] <= 60))]


def test_every_chart_is_accessible_and_every_statistic_defined(page):
    sections = page.select("section.figure")
    assert len(sections) == 6
    for section in sections:
        svg = section.select_one("svg")
        title, desc, _ = svg_parts(str(svg))
        assert title and desc and svg["aria-labelledby"].split() == [t["id"] for t in svg.find_all(["title", "desc"])]
        assert section.select_one("p.takeaway").get_text(strip=True)
        assert section.select_one("table caption").get_text(strip=True)
        note = section.select_one("p.takeaway a")["href"]
        assert page.select_one(f"dt{note}"), f"{section['id']} links to a missing footnote {note}"
        assert section.select_one("a[download]")["href"].endswith(".csv")


def test_the_dashboard_is_in_the_navigation(demo_site):
    home = soup(demo_site, "index.html")
    assert [a["href"] for a in home.select("header nav a") if a.get_text(strip=True) == "Where the money goes"] == ["spending/"]


# --- organisation pages ----------------------------------------------------------------------

def page_of(site: Path, listing: str, name: str) -> tuple[str, BeautifulSoup]:
    link = next(a["href"] for a in soup(site, listing).select("main tbody a") if a.get_text(strip=True) == name)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(listing), link)) + "/index.html"
    return path, soup(site, path)


def test_a_suppliers_page_has_its_awards_by_year_departments_and_contracts(demo_site):
    rows = [r for r in awards_of_demo()]
    supplier_awards: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for release in latest_by_ocid().values():
        for award in release.get("awards") or []:
            if award.get("status") == "active":
                for s in award["suppliers"]:
                    supplier_awards[s["name"]].append((release["ocid"], award))
    name = max(supplier_awards, key=lambda n: (len(supplier_awards[n]), n))  # the busiest supplier
    ocids = {o for o, _ in supplier_awards[name]}
    mine = [r for r in rows if r["ocid"] in ocids]
    _, page = page_of(demo_site, "suppliers/index.html", name)
    by_year = defaultdict(lambda: [0, Decimal(0)])
    for r in mine:
        by_year[r["year"]][0] += 1
        by_year[r["year"]][1] += r["amount"]
    section = page.select_one("section[aria-labelledby=by-year]")
    assert {row[0]: row[1:] for row in table(section)} == {y: [str(n), money(v), "0"] for y, (n, v) in by_year.items()}
    departments = {row[0] for row in table(page.select_one("section[aria-labelledby=departments]"))}
    assert departments == {r["department"] for r in mine}
    contracts = table(page.select_one("section[aria-labelledby=contracts]"))
    expected = sum(1 for release in latest_by_ocid().values() if release["ocid"] in ocids
                   for c in release.get("contracts") or []
                   if any(c.get("awardID") == a["id"] for o, a in supplier_awards[name] if o == release["ocid"]))
    assert len(contracts) == expected


def test_a_departments_page_has_spending_by_category_and_supplier_with_csv(demo_site):
    rows = awards_of_demo()
    name = "Department of Public Works"
    path, page = page_of(demo_site, "buyers/index.html", name)
    mine = [r for r in rows if r["department"] == name]
    for ident in ("by-category", "by-supplier"):
        section = page.select_one(f"section#{ident}")
        numbers = table(section)
        assert sum(int(row[1]) for row in numbers) == len(mine)
        assert sum(Decimal(row[2].strip("$").replace(",", "")) for row in numbers) == sum(r["amount"] for r in mine)
        svg_parts(str(section.select_one("svg")))
        link = section.select_one("a[download]")["href"]
        assert (demo_site / posixpath.normpath(posixpath.join(posixpath.dirname(path), link))).is_file()
    assert page.select_one("section[aria-labelledby=contact]") and page.select_one("section[aria-labelledby=open]")
    listed = [r for r in awards_of_demo(spent=False) if r["department"] == name]  # framework agreements too
    link = next(a["href"] for a in page.select("main a") if a.get_text(strip=True).startswith(f"All {len(listed)} awards"))
    awards = soup(demo_site, posixpath.normpath(posixpath.join(posixpath.dirname(path), link)) + "/index.html")
    assert len(awards.select("main tbody tr")) == len(listed)


def test_a_suppliers_awards_table_shows_method_and_bidders(demo_site):
    _, page = page_of(demo_site, "suppliers/index.html", soup(demo_site, "suppliers/index.html").select_one("main tbody a").get_text(strip=True))
    header = [th.get_text(strip=True) for th in page.select("section[aria-labelledby=awards] thead th")]
    assert header == ["What", "Department", "Amount", "Date", "Method", "Bidders"]
