"""Every page that states how much was awarded states the same amount, and it is the amount the
demo's raw files add up to.

The expected totals are computed here from the files in ocds_data/ with nothing of the generator
but the schema it merges with: releases grouped by ocid, compiled with ocdsmerge, and each active
award valued by the one rule (its contract's value when a contract for it publishes one, else the
award's own value), except the awards of a process that sets up a framework agreement
(tender.techniques.hasFrameworkAgreement): their values are ceilings, never money spent. The pages are read from the built demo: the home page's key number, the
spending page's CSVs, and each department's and supplier's "Total awarded" and chart CSVs.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import ocdsmerge
import pytest
import yaml
from bs4 import BeautifulSoup
from test_demo_site import spreadsheet_releases

REPO = Path(__file__).resolve().parents[1]


class TextDates(yaml.SafeLoader):
    """YAML with dates left as text, as in JSON."""


TextDates.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def raw_releases() -> dict[str, list[dict]]:
    by_ocid: dict[str, list[dict]] = defaultdict(list)
    for path in sorted((REPO / "ocds_data").rglob("*")):
        if path.suffix == ".jsonl":
            items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        elif path.suffix in (".yaml", ".yml"):
            items = [yaml.load(path.read_text("utf-8"), Loader=TextDates)]  # noqa: S506 - a SafeLoader
        elif path.suffix == ".json":
            data = json.loads(path.read_text("utf-8"))
            items = data.get("releases") or [r for record in data.get("records", []) for r in record["releases"]]
        elif path.suffix == ".xlsx":
            items = copy.deepcopy(list(spreadsheet_releases()))
        else:
            continue
        for release in items:
            by_ocid[release["ocid"]].append(release)
    return by_ocid


def value_now(award: dict, contracts: list[dict]) -> tuple[str, Decimal] | None:
    contract = next((c for c in contracts if c.get("awardID") == award.get("id") and c.get("value")), None)
    value = (contract or award).get("value")
    if not value or value.get("amount") is None:
        return None
    return value["currency"], Decimal(str(value["amount"]))


@pytest.fixture(scope="module")
def expected(demo_kit):
    """Totals per currency: the city's, each buyer's (by name) and each supplier's (by name)."""
    merger = ocdsmerge.Merger(schema=demo_kit.release_schema)
    city: dict[str, Decimal] = defaultdict(Decimal)
    buyers: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    suppliers: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for releases in raw_releases().values():
        compiled = merger.create_compiled_release(sorted(releases, key=lambda r: r["date"]))
        names = {p["id"]: p["name"] for p in compiled.get("parties", [])}
        buyer = names.get((compiled.get("buyer") or {}).get("id"))
        if ((compiled.get("tender") or {}).get("techniques") or {}).get("hasFrameworkAgreement") is True:
            continue  # its awards are ceilings
        for award in compiled.get("awards", []):
            if award.get("status") != "active":
                continue
            found = value_now(award, compiled.get("contracts", []))
            if found is None:
                continue
            currency, amount = found
            city[currency] += amount
            if buyer:
                buyers[buyer][currency] += amount
            for supplier in award.get("suppliers", []):
                suppliers[names.get(supplier["id"], supplier.get("name"))][currency] += amount
    assert city, "the demo awards something"
    return city, buyers, suppliers


def dollars(text: str) -> Decimal:
    """'$8,444,764' or '$63,115,170.13' as an amount."""
    assert re.fullmatch(r"\$[\d,]+(\.\d\d)?", text), text
    return Decimal(text[1:].replace(",", ""))


def csv_total(path: Path, column: str = "Value (USD)") -> Decimal:
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    return sum((Decimal(r[column] or 0) for r in rows), Decimal(0))


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def total_awarded(soup: BeautifulSoup) -> str:
    dt = soup.find("dt", string="Total awarded")
    return dt.find_next_sibling("dd").get_text(strip=True)


def test_the_home_page_and_the_spending_page_state_the_raw_files_total(demo_site, expected):
    city, _, _ = expected
    assert set(city) == {"USD"}
    home = page(demo_site / "index.html")
    key = next(li for li in home.select("li") if "awarded in total" in li.get_text())
    assert dollars(key.strong.get_text(strip=True)) == city["USD"]
    for figure in ("by-department", "by-year"):
        assert csv_total(demo_site / "spending" / f"{figure}.csv") == city["USD"], figure


def test_department_pages_agree_with_their_charts_and_the_raw_files(demo_site, expected):
    _, buyers, _ = expected
    checked = 0
    for folder in sorted((demo_site / "buyers").iterdir()):
        if not (folder / "by-category.csv").is_file():
            continue
        soup = page(folder / "index.html")
        name = soup.h1.get_text(strip=True)
        stated = dollars(total_awarded(soup))
        assert stated == buyers[name]["USD"], name
        assert csv_total(folder / "by-category.csv") == stated, name
        assert csv_total(folder / "by-supplier.csv") == stated, name
        checked += 1
    assert checked >= 5


def test_supplier_pages_agree_with_the_raw_files(demo_site, expected):
    _, _, suppliers = expected
    checked = 0
    for folder in sorted((demo_site / "suppliers").iterdir()):
        if not (folder / "index.html").is_file():
            continue
        soup = page(folder / "index.html")
        name = soup.h1.get_text(strip=True)
        if name in suppliers:
            assert dollars(total_awarded(soup)) == suppliers[name]["USD"], name
            checked += 1
    assert checked >= 10
