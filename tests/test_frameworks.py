"""Framework agreements, orders under them and cooperative contracts: how a process was bought
(site/buying.py), what an agreement holds (site/frameworks.py), the words on its pages, and the
spending figures, where a framework's ceiling is never money spent. A small hand-made city:

    process  way                     award(s)                         date        competed
    fw       framework (rotation)    S1 and S2, 500,000 each (ceiling) 2026-01-10
    both     framework (either)      S1, 300,000 (ceiling)             2026-02-01
    pool     framework (mini), open  -
    co1      call-off of fw          S1, 40,000                        2026-03-01  no
    co2      call-off of fw          S2, 60,000                        2026-05-01  yes
    coop     cooperative (GLCPC)     S3, 100,000                       2026-04-01
    sole     direct                  S3, 20,000                        2026-06-01
    emerg    emergency (direct)      S2, 30,000                        2026-07-01
    open     open                    S1, 1,000                         2026-08-01

Money spent: 251,000 in 6 awards; 2 framework agreements worth up to 800,000 are not counted.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from test_render import TEMPLATES

from generator.inputs.emergency_settings import EmergencySettings, Schemes
from generator.inputs.settings import CooperativeProgram
from generator.publish import pages
from generator.site import buying, statistics
from generator.site.agreements import Classification
from generator.site.assemble import build_site
from generator.values import Money

from test_model import SETTINGS, TODAY, record

P = "ocds-test01-"
CITY = dataclasses.replace(SETTINGS, cooperative_programs=(
    CooperativeProgram("GLCPC", "Great Lakes Cooperative Purchasing Consortium", "https://glcpc.example.org/"),))
PARTIES = [{"id": "A", "name": "Parks", "roles": ["buyer"]},
           *({"id": s, "name": f"Firm {s}", "roles": ["supplier"]} for s in ("S1", "S2", "S3"))]


def usd(n):
    return {"amount": n, "currency": "USD"}


def framework(method, value=None, categories="", period=None, low=None, high=None):
    terms = {"method": method, **({"value": usd(value)} if value else {}),
             **({"buyerCategories": categories} if categories else {}), **({"period": period} if period else {}),
             **({"minimumParticipants": low} if low is not None else {}),
             **({"maximumParticipants": high} if high is not None else {})}
    return {"hasFrameworkAgreement": True, "frameworkAgreement": terms}


def process(name, method="direct", awards=(), status="complete", related=(), end="2025-12-01T14:00:00-06:00",
            **tender):
    compiled = {"tender": {"id": f"T-{name}", "status": status, "title": f"Process {name}", "procurementMethod": method,
                           "tenderPeriod": {"startDate": "2025-11-01T09:00:00-06:00", "endDate": end}, **tender},
                "buyer": {"id": "A", "name": "Parks"}, "parties": PARTIES,
                "awards": [{"id": f"{name}-{i}", "status": "active", "suppliers": [{"id": s}], "value": usd(v),
                            "date": d} for i, (s, v, d) in enumerate(awards)]}
    if related:
        compiled["relatedProcesses"] = list(related)
    return record(P + name, compiled)


def call_off(target, scheme="ocid", **extra):
    return {"id": "1", "relationship": ["framework"], "scheme": scheme,
            "identifier": P + target if scheme == "ocid" else target, **extra}


def city():
    return [
        process("fw", "open", [("S1", 500000, "2026-01-10T10:00:00-06:00"), ("S2", 500000, "2026-01-10T10:00:00-06:00")],
                awardCriteria="qualityOnly", techniques=framework(
                    "withoutReopeningCompetition", 500000, "Other public agencies in Alder County",
                    {"startDate": "2026-01-15T00:00:00-06:00", "endDate": "2028-01-15T00:00:00-06:00"}, 2, 4)),
        process("both", "open", [("S1", 300000, "2026-02-01T10:00:00-06:00")], value=usd(300000),
                techniques=framework("withAndWithoutReopeningCompetition", high=3)),
        process("pool", "open", status="active", end="2026-12-15T14:00:00-06:00", awardCriteria="qualityOnly",
                value=usd(200000), techniques=framework("withReopeningCompetition", high=5),
                contractPeriod={"startDate": "2027-02-15T00:00:00-06:00", "endDate": "2029-02-15T00:00:00-06:00"}),
        process("co1", awards=[("S1", 40000, "2026-03-01T10:00:00-06:00")], related=[call_off("fw")], competitive=False),
        process("co2", "limited", [("S2", 60000, "2026-05-01T10:00:00-05:00")], related=[call_off("fw")],
                competitive=True),
        process("coop", awards=[("S3", 100000, "2026-04-01T10:00:00-05:00")], awardCriteria="singleBidOnly",
                related=[call_off("GLCPC-2024-117", scheme="GLCPC", title="Library books and media",
                                  uri="https://glcpc.example.org/contracts/2024-117")]),
        process("sole", awards=[("S3", 20000, "2026-06-01T10:00:00-05:00")]),
        process("emerg", awards=[("S2", 30000, "2026-07-01T10:00:00-05:00")],
                procurementMethodRationaleClassifications=[{"scheme": "US-2CFR200.320", "id": "emergency",
                                                            "description": "Public exigency or emergency"}]),
        process("open", "open", [("S1", 1000, "2026-08-01T10:00:00-05:00")]),
    ]


@pytest.fixture(scope="module")
def site():
    return build_site(city(), CITY, TODAY, ())


@pytest.fixture(scope="module")
def rendered(site):
    return {a.path: a.data.decode() for a in pages.render_site(site, TEMPLATES)}


def of(site, name):
    return next(p for p in site.processes if p.ocid == P + name)


def money(n):
    return (Money(Decimal(n), "USD"),)


# --- how a process was bought --------------------------------------------------------------------

def test_each_process_is_bought_one_way(site):
    assert {p.ocid[len(P):]: p.buying for p in site.processes} == {
        "fw": "framework", "both": "framework", "pool": "framework", "co1": "call-off", "co2": "call-off",
        "coop": "cooperative", "sole": "direct", "emerg": "emergency", "open": "open"}
    assert all(a.ceiling for a in of(site, "fw").awards) and not any(a.ceiling for a in of(site, "co1").awards)


def test_an_agreement_outside_the_data_is_cooperative_unless_its_ocid_is_the_citys():
    other = process("other", related=[{"id": "1", "relationship": ["framework"], "identifier": "ocds-zzz999-77"}])
    ours = process("ours", related=[call_off("unpublished")])
    found = build_site([other, ours], CITY, TODAY, ())
    assert {p.ocid[len(P):]: p.buying for p in found.processes} == {"other": "cooperative", "ours": "call-off"}


def _bare(name):
    return build_site([process(name)], CITY, TODAY, ()).processes[0]


def test_an_emergency_purchase_follows_the_citys_emergency_settings():
    """One rule with the emergency section of a process page (site.emergency): bought without
    competition, for the reason `emergency` in the city's reasons scheme or under a disaster declaration."""
    p = _bare("x")  # a direct award
    reason = dataclasses.replace(p, rationales=(Classification("US-2CFR200.320", "emergency", ""),))
    declared = dataclasses.replace(p, additional=(Classification("US-FEMA-DR", "DR-4520-WI", ""),))
    single = dataclasses.replace(p, rationales=(Classification("US-2CFR200.320", "single-source", ""),))
    assert [buying.way(x) for x in (reason, declared, single)] == ["emergency", "emergency", "direct"]
    assert buying.way(dataclasses.replace(reason, method="open", competitive=True)) == "open"
    local = EmergencySettings(schemes=Schemes(reasons="CITY-REASONS"))
    city_reason = dataclasses.replace(p, rationales=(Classification("CITY-REASONS", "emergency", ""),))
    assert buying.way(city_reason, settings=local) == "emergency" and buying.way(city_reason) == "direct"


# --- spending: a ceiling is never money spent ------------------------------------------------------

def test_spending_leaves_out_framework_ceilings_and_counts_them_apart(site):
    board = site.dashboard
    assert board.total == statistics.Totals(6, money(251000), 0)
    assert board.ceilings == statistics.Totals(2, money(800000), 0)  # fw 500,000 once (not per firm) + both 300,000
    assert site.numbers.awarded == money(251000)
    assert site.numbers.awards == 9  # every award is still listed


def test_the_method_chart_has_cooperative_call_off_and_emergency_groups_apart_from_sole_source(site):
    groups = {g.key: g.totals for g in site.dashboard.by_method}
    assert groups == {"call-off": statistics.Totals(2, money(100000), 0),
                      "cooperative": statistics.Totals(1, money(100000), 0),
                      "direct": statistics.Totals(1, money(20000), 0),
                      "emergency": statistics.Totals(1, money(30000), 0),
                      "open": statistics.Totals(1, money(1000), 0)}
    assert site.dashboard.non_competitive.part == statistics.Totals(1, money(20000), 0)
    assert site.dashboard.emergency.part == statistics.Totals(1, money(30000), 0)
    assert site.dashboard.emergency.count_percent() == Decimal("16.7")


def test_organisations_total_money_spent_and_count_their_agreements_apart(site):
    parks = next(o for o in site.buyers if o.name == "Parks")
    assert parks.totals == money(251000) and len(parks.awards) == 9
    assert sum(g.totals.amount("USD") for g in parks.profile.by_supplier) == Decimal(251000)
    s1 = next(o for o in site.suppliers if o.name == "Firm S1")
    assert s1.totals == money(41000)  # co1 and open; not its places on fw and both
    assert s1.profile.ceilings == statistics.Totals(2, money(800000), 0)
    assert [g.totals for g in s1.profile.by_year] == [statistics.Totals(2, money(41000), 0)]


# --- the agreement -----------------------------------------------------------------------------------

def test_an_agreement_knows_its_firms_ceiling_period_and_orders(site):
    a = site.agreement(of(site, "fw"))
    assert [s.name for s in a.suppliers] == ["Firm S1", "Firm S2"]
    assert a.ceiling == Money(Decimal(500000), "USD") and a.years == 2 and a.in_force
    assert [(o.process.ocid, o.value, o.competed) for o in a.orders] == [
        (P + "co2", money(60000), True), (P + "co1", money(40000), False)]
    assert a.ordered == money(100000) and a.criteria == "qualityOnly"
    pool = site.agreement(of(site, "pool"))
    assert pool.years == 2 and not pool.in_force and pool.ceiling == Money(Decimal(200000), "USD")
    assert site.agreement(of(site, "co1")) is None
    assert [x.process.ocid for x in site.shared_agreements] == [P + "fw"]  # both: no other buyers named


# --- words on the pages ----------------------------------------------------------------------------

def page(rendered, site, name) -> BeautifulSoup:
    return BeautifulSoup(rendered[of(site, name).path], "lxml")


def facts(soup) -> dict[str, str]:
    """The agreement's facts (its section's list of terms), each term with its text."""
    section = soup.find(id="agreement").find_parent("section")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in section.select("dl dt")}


def words(soup) -> str:
    """The text of the page's main part (or of an element), as a reader reads it."""
    return " ".join((soup.main or soup).get_text().split())


@pytest.mark.parametrize("name, expected", [
    ("fw", "This sets up a list of approved firms for 2 years; work is then given out by rotation or direct order, "
           "with no new competition."),
    ("pool", "This sets up a list of approved firms for 2 years; work is then given out by mini-competition among "
             "them."),
    ("both", "This sets up a list of approved firms; work is then given out either by rotation or direct order, or "
             "by mini-competition among them."),
])
def test_a_framework_says_what_it_sets_up_and_how_work_is_given_out(rendered, site, name, expected):
    text = words(page(rendered, site, name))
    assert expected in text
    assert "there is no single winner" in text and "wins" not in text
    assert "What happens after: each job is ordered under the agreement" in text


def test_an_open_pool_says_how_many_firms_and_how_they_are_chosen(rendered, site):
    soup = page(rendered, site, "pool")
    glance = soup.find("dt", string="How firms are chosen").find_next_sibling("dd").get_text(" ", strip=True)
    assert glance == "Firms are chosen for the list on their qualifications; there is no single winner."
    assert "Not chosen yet; planned: up to 5 firms" in words(soup)
    assert "Any business that meets the requirements may apply to join the list." in words(soup)


def test_an_agreement_page_lists_firms_ceiling_expiry_other_buyers_and_orders(rendered, site):
    soup = page(rendered, site, "fw")
    found = facts(soup)
    assert found["Firms on the list"] == "Firm S1 , Firm S2"
    assert found["Ceiling"].startswith("up to $500,000")
    assert found["Expires"] == "January 15, 2028"
    assert found["Who else may use it"] == "Other public agencies in Alder County"
    assert found["Orders so far"] == "2 orders, $100,000 in total"
    orders = [a["href"] for a in soup.select("#orders-table ~ tbody a, table a")]
    assert any(P + "co1" in h or "co1" in h for h in orders) and any("co2" in h for h in orders)
    awards = soup.find(id="awards").find_parent("section").get_text(" ")
    assert "up to $500,000" in awards


def test_a_call_off_links_its_agreement_and_says_whether_it_was_competed(rendered, site):
    for name, competed in (("co1", "No new competition was held for this order"),
                           ("co2", "The firms on the agreement competed for this order.")):
        soup = page(rendered, site, name)
        section = soup.find(id="agreement").find_parent("section")
        assert "Ordered under framework agreement Process fw." in words(section)
        assert section.a["href"].endswith(of(site, "fw").path.removesuffix("index.html").split("/", 1)[1])
        assert competed in words(soup)
        assert "without competition" not in words(soup) and "no competition" not in words(soup)


def test_a_cooperative_purchase_names_the_contract_and_who_holds_it(rendered, site):
    soup = page(rendered, site, "coop")
    text = words(soup)
    assert ("Bought through a cooperative contract: GLCPC-2024-117 (Library books and media), held by "
            "Great Lakes Cooperative Purchasing Consortium.") in text
    hrefs = [a["href"] for a in soup.find(id="agreement").find_parent("section").select("a")]
    assert hrefs == ["https://glcpc.example.org/", "https://glcpc.example.org/contracts/2024-117"]
    assert "without competition" not in text and "no competition" not in text and "wins" not in text


def test_a_plain_direct_award_still_says_it_was_bought_without_competition(rendered, site):
    text = words(page(rendered, site, "sole"))
    assert "The city buys from one supplier without competition" in text
    assert "Direct award: no competition" in text


def test_the_shared_contracts_page_lists_the_open_agreement_with_firms_and_orders(rendered, site):
    soup = BeautifulSoup(rendered["shared-contracts/index.html"], "lxml")
    sections = soup.select("main section.agreement")
    assert [s.h2.get_text(strip=True) for s in sections] == ["Process fw"]
    text = words(sections[0])
    for expected in ("Firm S1", "Firm S2", "up to $500,000", "January 15, 2028", "Other public agencies in Alder County",
                     "How to order", "Process co1", "Process co2", "$60,000"):
        assert expected in text, expected
    home = BeautifulSoup(rendered["index.html"], "lxml")
    assert home.find("a", string="Contracts other agencies may use")["href"] == "shared-contracts/"


def test_the_spending_page_says_which_agreements_it_leaves_out(rendered):
    soup = BeautifulSoup(rendered["spending/index.html"], "lxml")
    assert soup.find(id="ceilings").get_text(" ", strip=True) == (
        "2 framework agreements worth up to $800,000 are not counted: money is counted when orders are placed "
        "under them.")
    assert "1 emergency purchase, worth $30,000" in words(soup)


def test_a_standby_agreement_with_one_firm_is_not_called_a_list_and_lasts_as_long_as_its_contract():
    standby = process("standby", "open", [("S1", 90000, "2024-04-11T10:00:00-05:00")], awardCriteria="priceOnly",
                      techniques=framework("withoutReopeningCompetition", high=1, period={
                          "startDate": "2024-04-29T00:00:00-05:00", "endDate": "2025-04-29T00:00:00-05:00"}))
    standby.compiled["contracts"] = [{"id": "c", "awardID": "standby-0", "status": "active", "period": {
        "startDate": "2024-04-29T00:00:00-05:00", "endDate": "2026-04-29T00:00:00-05:00",
        "maxExtentDate": "2027-04-29T00:00:00-05:00"}}]
    small = build_site([standby], CITY, TODAY, ())
    a = small.agreement(small.processes[0])
    assert a.single and a.years == 1 and a.in_force and a.end.date().isoformat() == "2027-04-29"
    soup = BeautifulSoup({x.path: x.data.decode() for x in pages.render_site(small, TEMPLATES)}[a.process.path], "lxml")
    text = words(soup)
    assert "This sets up a standing agreement with one firm for 1 year; work is then ordered from it as it is needed." in text
    assert "list of approved firms" not in text and "no single winner" not in text
    assert soup.find("dt", string="How the winner is chosen").find_next_sibling("dd").get_text(strip=True) == (
        "Open to all bidders: lowest responsive price wins")
    assert {k: v for k, v in facts(soup).items() if k in ("Firm", "Expires", "Orders so far")} == {
        "Firm": "Firm S1", "Expires": "April 29, 2027", "Orders so far": "None yet"}
