"""site.performance: every statistic of the performance page against a hand-computed fixture of five
processes, with missing dates, dates out of order, mixed currencies and purchases without competition.

    process dept  method  planning    notice      deadline    award       signed      est.      award (now)         supplier
    P1      A     open    2025-01-01  2025-01-10  2025-02-09  2025-03-11  2025-03-21  1100 USD  1000 USD (1200)     S1 small, WBE
    P2      A     direct  -           2025-02-01  -           2025-02-21  -           15000 USD 15000 USD           S2 large
    P3      B     direct  -           2026-02-01  -           2026-03-01  -           -         9000 USD            S4 micro
    P4      B     open    -           2026-01-05  2026-01-15  2026-01-10  2026-01-20  1900 EUR  2000 EUR            S3 size unknown
    P5      A     open    2025-11-01m 2026-01-01  2026-01-21  2026-02-20  2026-03-02  4000 USD  3000 USD            S1

Bidders: P1 3, P2 1, P4 1, P5 not published. P1 plans in a planning release; P5 in a pre-procurement
milestone (m). P4 was awarded before its deadline (dates out of order). The small-purchase limit is 10,000 USD.
Categories: P1, P2 and P5 are item class X1; P1 goods, P4 works, P5 services.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from generator.inputs.performance_settings import PerformanceSettings
from generator.inputs.settings import CertificationProgram
from generator.site import performance
from generator.site.assemble import build_site
from generator.site.performance import BELOW_THRESHOLD

from test_model import SETTINGS, TODAY, record

PARTIES = {
    "A": {"id": "A", "name": "Parks", "roles": ["buyer"]},
    "B": {"id": "B", "name": "Works", "roles": ["buyer"]},
    "S1": {"id": "S1", "name": "Small Co", "roles": ["supplier"],
           "details": {"scale": "small", "classifications": [{"scheme": "X-CERT", "id": "WBE"}]}},
    "S2": {"id": "S2", "name": "Large Co", "roles": ["supplier"], "details": {"scale": "large"}},
    "S3": {"id": "S3", "name": "Unknown Co", "roles": ["supplier"]},
    "S4": {"id": "S4", "name": "Micro Co", "roles": ["supplier"], "details": {"scale": "micro"}},
}
CT = "T10:00:00-06:00"


def money(amount, currency="USD"):
    return {"amount": amount, "currency": currency}


def process(n, buyer, method, *, notice, award_date, value, supplier, deadline=None, signed=None, estimate=None,
            bidders=None, contract_value=None, planning_release=None, milestone=None, category="", item=None):
    ocid = f"ocds-test01-p{n}"
    tender = {"id": "t", "status": "complete", "title": ocid, "procurementMethod": method}
    if deadline:
        tender["tenderPeriod"] = {"startDate": notice + CT, "endDate": deadline + CT}
    if estimate:
        tender["value"] = estimate
    if bidders is not None:
        tender["numberOfTenderers"] = bidders
    if category:
        tender["mainProcurementCategory"] = category
    if item:
        tender["items"] = [{"id": "1", "classification": {"scheme": "X", "id": item, "description": item}}]
    compiled = {"tender": tender, "buyer": {"id": buyer, "name": PARTIES[buyer]["name"]},
                "parties": [PARTIES[buyer], PARTIES[supplier]],
                "awards": [{"id": "a", "status": "active", "suppliers": [{"id": supplier}], "date": award_date + CT,
                            "value": value}]}
    if milestone:
        compiled["planning"] = {"milestones": [{"id": "m", "type": "preProcurement", "dateMet": milestone + CT}]}
    if signed:
        compiled["contracts"] = [{"id": "c", "awardID": "a", "status": "active", "dateSigned": signed + CT,
                                  **({"value": contract_value} if contract_value else {})}]
    releases = [{"id": "1", "date": notice + CT, "tag": ["tender"]}]
    if planning_release:
        releases.insert(0, {"id": "0", "date": planning_release + CT, "tag": ["planning"]})
    return record(ocid, compiled, releases)


def records():
    return [
        process(1, "A", "open", notice="2025-01-10", deadline="2025-02-09", award_date="2025-03-11", signed="2025-03-21",
                value=money(1000), contract_value=money(1200), estimate=money(1100), bidders=3, supplier="S1",
                planning_release="2025-01-01", category="goods", item="X1"),
        process(2, "A", "direct", notice="2025-02-01", award_date="2025-02-21", value=money(15000),
                estimate=money(15000), bidders=1, supplier="S2", item="X1"),
        process(3, "B", "direct", notice="2026-02-01", award_date="2026-03-01", value=money(9000), supplier="S4"),
        process(4, "B", "open", notice="2026-01-05", deadline="2026-01-15", award_date="2026-01-10", signed="2026-01-20",
                value=money(2000, "EUR"), estimate=money(1900, "EUR"), bidders=1, supplier="S3", category="works"),
        process(5, "A", "open", notice="2026-01-01", deadline="2026-01-21", award_date="2026-02-20", signed="2026-03-02",
                value=money(3000), estimate=money(4000), supplier="S1", milestone="2025-11-01", category="services",
                item="X1"),
    ]


WBE = CertificationProgram("WBE", "Women-owned Business Enterprise", "Owned by women.")


@pytest.fixture(scope="module")
def perf():
    settings = replace(SETTINGS, certification_programs=(WBE,),
                       performance=PerformanceSettings(small_purchase_limit=Decimal(10000)))
    return build_site(records(), settings, TODAY, ()).performance


def stage(perf, name):
    return next(s for s in perf.cycle.stages if s.stage == name)


def test_cycle_time_per_stage(perf):
    planning = stage(perf, performance.PLANNING)
    assert (planning.spread.count, planning.spread.median, planning.spread.missing) == (2, Decimal(35), 3)  # 9, 61
    notice = stage(perf, performance.NOTICE)
    assert (notice.spread.count, notice.spread.median, notice.spread.missing) == (3, Decimal(20), 2)  # 30, 10, 20
    evaluation = stage(perf, performance.EVALUATION)
    assert (evaluation.spread.count, evaluation.spread.median, evaluation.out_of_order, evaluation.spread.missing) == (
        2, Decimal(30), 1, 2)  # P4 awarded before its deadline: counted apart
    signature = stage(perf, performance.SIGNATURE)
    assert (signature.spread.count, signature.spread.median, signature.spread.missing) == (3, Decimal(10), 0)
    whole = stage(perf, performance.END_TO_END)
    assert (whole.spread.count, whole.spread.median, whole.spread.low, whole.spread.high) == (3, Decimal(60), 15, 70)


def test_cycle_time_by_year_method_and_department(perf):
    years = {g.key: g for g in perf.cycle.by_year}
    end = performance.STAGES.index(performance.END_TO_END)
    assert years["2025"].medians[end] == Decimal(70) and years["2026"].medians[end] == Decimal("37.5")
    assert years["2025"].counts[0] == 1 and years["2026"].counts[0] == 1  # planning ended 2025-01-10 and 2026-01-01
    ways = {g.key: g for g in perf.cycle.by_way}
    assert set(ways) == {"open"}  # the sole-source purchases publish no deadline and no contract
    departments = {g.name: g for g in perf.cycle.by_department}
    assert departments["Parks"].medians[end] == Decimal(65) and departments["Works"].medians[end] == Decimal(15)


def test_competition_counts_open_and_selective_only(perf):
    c = perf.competition
    assert (c.with_count, c.missing, c.average_bidders, c.single_bidder, c.not_competitive) == (2, 1, Decimal("2.0"), 1, 2)
    by_department = {g.name: g.competition for g in perf.competition_by_department}
    assert by_department["Parks"].average_bidders == Decimal(3) and by_department["Parks"].missing == 1
    assert by_department["Works"].single_percent() == Decimal(100)
    by_category = {g.key: g.competition.with_count for g in perf.competition_by_category}
    assert by_category == {"goods": 1, "works": 1, "services": 0}
    by_year = {g.key: g.competition.single_bidder for g in perf.competition_by_year}
    assert by_year == {"2025": 0, "2026": 1}


def test_purchases_without_competition_by_reason(perf):
    reasons = {g.key: (g.totals.count, g.totals.value) for g in perf.without_competition}
    assert set(reasons) == {BELOW_THRESHOLD, "direct"}  # P3 (9,000) is under the limit; P2 (15,000) is not
    assert reasons[BELOW_THRESHOLD][0] == 1 and reasons[BELOW_THRESHOLD][1][0].amount == Decimal(9000)


def test_micro_purchase_rationale_is_below_threshold_without_a_limit():
    rows = records()
    rows[1].compiled["tender"]["procurementMethodRationaleClassifications"] = [
        {"scheme": "US-2CFR200.320", "id": "micro-purchase", "description": "Micro-purchase"}]
    perf = build_site(rows, SETTINGS, TODAY, ()).performance  # no small-purchase limit set
    assert {g.key for g in perf.without_competition} == {BELOW_THRESHOLD, "direct"}  # P2 by its rationale, P3 sole source


def test_diversity_shares(perf):
    small = perf.diversity.small
    assert (small.part.count, small.known.count, small.unknown) == (3, 4, 1)  # P4's supplier publishes no size
    assert small.count_percent() == Decimal(75) and small.value_percent("USD") == Decimal("46.8")  # 13,200 / 28,200
    (wbe,) = perf.diversity.programs
    assert (wbe.part.count, wbe.known.count) == (2, 5) and wbe.count_percent() == Decimal(40)
    years = {g.key: g.small.count_percent() for g in perf.diversity_by_year}
    assert years == {"2025": Decimal(50), "2026": Decimal(100)}


def test_first_time_winners(perf):
    assert [(y.year, y.winners, y.first_time, y.first_year) for y in perf.new_winners] == [
        ("2025", 2, 2, True), ("2026", 3, 2, False)]  # S1 won again in 2026


def test_concentration(perf):
    c = perf.concentration
    assert (c.currency, c.awards, c.total, c.other_currencies) == ("USD", 4, Decimal(28200), 1)
    assert c.steps == ((50, 1), (80, 2), (90, 3))  # 15,000; +9,000 = 24,000 ≥ 22,560; +3,000 = 27,000 ≥ 25,380
    assert [g.name for g in c.top_suppliers] == ["Large Co", "Micro Co", "Small Co"] and c.top_share == Decimal(100)
    assert [(x.key, x.awards, x.suppliers) for x in perf.category_suppliers] == [("X1", 3, 2), ("", 2, 2)]


def test_savings_same_currency_only(perf):
    s = perf.savings
    o = s.overall
    assert (o.processes, o.estimate, o.awarded, o.below, o.above) == (3, Decimal(20100), Decimal(19000), 2, 0)
    assert o.percent == Decimal("5.5")  # 1,100 under 20,100; P1 compared as awarded (1,000), not as amended (1,200)
    assert (s.no_estimate, s.no_award_value, s.other_currency) == (1, 0, 1)


def test_no_awards_at_all():
    perf = build_site([], SETTINGS, TODAY, ()).performance
    assert perf.concentration is None and perf.new_winners == () and perf.savings.overall.processes == 0
    assert all(s.spread.count == 0 for s in perf.cycle.stages)
