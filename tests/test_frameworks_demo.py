"""Frameworks, orders under them and cooperative contracts on the built demo, checked on the parsed
HTML against the demo's raw files (read here independently of the generator): every order links to
its agreement, no cooperative purchase is called a purchase without competition, and the page of
contracts other agencies may use lists the open agreements with their firms and orders."""

from __future__ import annotations

import datetime as dt
import posixpath

import pytest
import yaml
from test_demo_site import TODAY, latest_by_ocid, soup

from generator import routes

from conftest import REPO

NOT_COMPETED = ("without competition", "no competition", "Direct award")


def related(release: dict) -> list[dict]:
    return [*(release.get("relatedProcesses") or []),
            *(r for c in release.get("contracts") or [] for r in c.get("relatedProcesses") or [])]


def agreements_of(release: dict) -> list[dict]:
    """The agreements a release says it orders under (relationship "framework")."""
    return [r for r in related(release) if "framework" in (r.get("relationship") or [])]


def sets_up_framework(release: dict) -> bool:
    return str(((release.get("tender") or {}).get("techniques") or {}).get("hasFrameworkAgreement")).lower() == "true"


def programs() -> dict[str, str]:
    settings = yaml.safe_load((REPO / "content" / "site.yml").read_text("utf-8"))
    return {p["scheme"]: p["name"] for p in settings.get("cooperative_programs") or []}


def text(element) -> str:
    return " ".join(element.get_text().split())


def target(page_path: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href)).rstrip("/") + "/index.html"


@pytest.fixture(scope="module")
def latest():
    return latest_by_ocid()


def test_the_demo_has_frameworks_call_offs_and_cooperative_purchases(latest):
    orders = [r for r in latest.values() if agreements_of(r)]
    assert sum(1 for r in orders if any((a.get("scheme") or "ocid").lower() != "ocid" for a in agreements_of(r))) >= 2
    assert sum(1 for r in orders if any((a.get("scheme") or "ocid").lower() == "ocid" for a in agreements_of(r))) >= 2
    assert any(sets_up_framework(r) for r in latest.values())


def test_every_order_links_to_its_agreement_and_none_is_called_uncompeted(demo_site, latest):
    holders = programs()
    checked = 0
    for ocid, release in sorted(latest.items()):
        for agreement in agreements_of(release):
            path = routes.process_path(ocid)
            page = soup(demo_site, path)
            section = page.find(id="agreement").find_parent("section")
            scheme = (agreement.get("scheme") or "ocid").lower()
            if scheme == "ocid" and agreement["identifier"] in latest:
                assert "Ordered under framework agreement" in text(section), ocid
                links = [target(path, a["href"]) for a in section.select("a[href]")]
                assert routes.process_path(agreement["identifier"]) in links, ocid
            else:
                assert "Bought through a cooperative contract" in text(section), ocid
                assert agreement["identifier"] in text(section), ocid
                assert holders[agreement["scheme"]] in text(section), ocid
                if agreement.get("uri"):
                    assert agreement["uri"] in [a["href"] for a in section.select("a[href]")], ocid
            for words in NOT_COMPETED:
                assert words not in text(page.main), (ocid, words)
            checked += 1
    assert checked >= 4


def test_the_roofing_pool_says_it_sets_up_a_list_not_that_the_best_firm_wins(demo_site, latest):
    ocid = next(o for o, r in latest.items() if (r.get("tender") or {}).get("title") == "Home Repair Program Roofing Contractor Pool")
    page = soup(demo_site, routes.process_path(ocid))
    assert "best-qualified firm wins" not in text(page.main)
    assert "This sets up a list of approved firms for 2 years" in text(page.main)
    assert "there is no single winner" in text(page.main)


def ends(release: dict) -> dt.date | None:
    """The latest day an agreement may run: its period or any live contract's end (renewals included)."""
    terms = ((release.get("tender") or {}).get("techniques") or {}).get("frameworkAgreement") or {}
    days = [(terms.get("period") or {}).get(k) for k in ("maxExtentDate", "endDate")]
    days += [(c.get("period") or {}).get(k) for c in release.get("contracts") or []
             if c.get("status") not in ("cancelled", "terminated") for k in ("maxExtentDate", "endDate")]
    found = [dt.datetime.fromisoformat(d).date() for d in days if d]
    return max(found) if found else None


def test_contracts_other_agencies_may_use_lists_the_open_agreements_with_firms_and_orders(demo_site, latest):
    names = {p["id"]: p["name"] for r in latest.values() for p in r.get("parties") or []}
    expected = {}
    for ocid, release in latest.items():
        terms = ((release.get("tender") or {}).get("techniques") or {}).get("frameworkAgreement") or {}
        awarded = [a for a in release.get("awards") or [] if a.get("status") == "active"]
        if sets_up_framework(release) and terms.get("buyerCategories") and awarded and (
                ends(release) is None or ends(release) >= TODAY):
            expected[release["tender"]["title"]] = ocid
    assert expected, "the demo has an agreement other agencies may use"
    page = soup(demo_site, "shared-contracts/index.html")
    sections = {text(s.h2): s for s in page.select("main section.agreement")}
    assert set(sections) == set(expected)
    for title, ocid in expected.items():
        section, release = sections[title], latest[ocid]
        for award in release["awards"]:
            for supplier in award.get("suppliers") or []:
                assert names[supplier["id"]] in text(section), supplier
        orders = [o for o, r in latest.items() if any(a.get("identifier") == ocid for a in agreements_of(r))]
        assert orders
        for order in orders:
            assert latest[order]["tender"]["title"] in text(section), order
        assert "up to $" in text(section)
    home = soup(demo_site, "index.html")
    assert home.find("a", string="Contracts other agencies may use")["href"] == "shared-contracts/"
