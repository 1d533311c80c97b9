"""statistics: every dashboard number checked against a hand-computed fixture of four awards in
two currencies, with a missing value, a missing date, a missing bidder count, a supplier of
unknown size and an amended contract.

    process  department  method   opened      bidders  award date   award value  contract  supplier
    P1       Parks (A)   open     2025-01-10  3        2025-03-11   1,000 USD    1,200 USD S1 small, certified
    P2       Parks (A)   direct   2025-02-01  1        2025-02-21     500 USD    -         S2 large
    P3       Works (B)   limited  2026-01-05  -        2026-02-04     300 EUR    -         S1
    P4       Works (B)   open     -           2        -            -            -         S3 size unknown
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.site import statistics
from generator.site.assemble import build_site
from generator.values import Money

from test_model import SETTINGS, TODAY, record

PARTIES = {
    "A": {"id": "A", "name": "Parks", "roles": ["buyer"]},
    "B": {"id": "B", "name": "Works", "roles": ["buyer"]},
    "S1": {"id": "S1", "name": "Small Co", "roles": ["supplier"],
           "details": {"scale": "small", "classifications": [{"scheme": "X-CERT", "id": "WBE", "description": "WBE"}]}},
    "S2": {"id": "S2", "name": "Large Co", "roles": ["supplier"], "details": {"scale": "large"}},
    "S3": {"id": "S3", "name": "Unknown Co", "roles": ["supplier"]},
}


def process(ocid, buyer, method, opened, bidders, award, contract=None):
    tender = {"id": "t", "status": "complete", "title": ocid, "procurementMethod": method,
              "tenderPeriod": {"endDate": "2024-12-01T14:00:00-06:00", **({"startDate": opened} if opened else {})}}
    if bidders is not None:
        tender["numberOfTenderers"] = bidders
    supplier = award.pop("supplier")
    compiled = {"tender": tender, "buyer": {"id": buyer, "name": PARTIES[buyer]["name"]},
                "parties": [PARTIES[buyer], PARTIES[supplier]],
                "awards": [{"id": f"{ocid}-a", "status": "active", "suppliers": [{"id": supplier}], **award}]}
    if contract:
        compiled["contracts"] = [{"id": f"{ocid}-c", "awardID": f"{ocid}-a", "status": "active", "value": contract}]
    return record(ocid, compiled)


def usd(n):
    return {"amount": n, "currency": "USD"}


def first_three():
    """P1 to P3 of the table above (fresh each call: `process` consumes its award dict)."""
    return [
        process("ocds-test01-p1", "A", "open", "2025-01-10T09:00:00-06:00", 3,
                {"supplier": "S1", "date": "2025-03-11T10:00:00-05:00", "value": usd(1000)}, contract=usd(1200)),
        process("ocds-test01-p2", "A", "direct", "2025-02-01T09:00:00-06:00", 1,
                {"supplier": "S2", "date": "2025-02-21T10:00:00-06:00", "value": usd(500)}),
        process("ocds-test01-p3", "B", "limited", "2026-01-05T09:00:00-06:00", None,
                {"supplier": "S1", "date": "2026-02-04T10:00:00-06:00", "value": {"amount": 300, "currency": "EUR"}}),
    ]


@pytest.fixture(scope="module")
def board():
    records = [*first_three(), process("ocds-test01-p4", "B", "open", None, 2, {"supplier": "S3"})]
    return build_site(records, SETTINGS, TODAY, ()).dashboard


def money(**amounts):
    return tuple(Money(Decimal(str(v)), c) for c, v in sorted(amounts.items()))


def test_totals_are_per_currency_with_the_contracts_current_value(board):
    assert board.currencies == ("USD", "EUR")  # the most used first
    assert board.total == statistics.Totals(4, money(EUR=300, USD=1700), missing_value=1)


def test_by_department_largest_first(board):
    assert [(g.name, g.totals) for g in board.by_department] == [
        ("Parks", statistics.Totals(2, money(USD=1700), 0)),
        ("Works", statistics.Totals(2, money(EUR=300), 1)),
    ]
    assert board.by_department[0].path.startswith("buyers/")


def test_by_year_oldest_first_with_undated_awards_last(board):
    assert [(g.key, g.totals) for g in board.by_year] == [
        ("2025", statistics.Totals(2, money(USD=1700), 0)),
        ("2026", statistics.Totals(1, money(EUR=300), 0)),
        ("", statistics.Totals(1, (), 1)),
    ]


def test_by_method_and_the_non_competitive_share(board):
    assert [(g.key, g.totals.count) for g in board.by_method] == [("open", 2), ("direct", 1), ("limited", 1)]
    share = board.non_competitive
    assert share.part == statistics.Totals(2, money(EUR=300, USD=500), 0)
    assert share.unknown == 0
    assert share.count_percent() == Decimal("50.0")
    assert share.value_percent("USD") == Decimal("29.4")  # 500 / 1,700
    assert share.value_percent("EUR") == Decimal("100.0")


def test_small_business_share_counts_unknown_sizes_apart(board):
    share = board.small
    assert share.part == statistics.Totals(2, money(EUR=300, USD=1200), 0)
    assert share.known == statistics.Totals(3, money(EUR=300, USD=1700), 0)
    assert share.unknown == 1  # S3 publishes no size
    assert share.count_percent() == Decimal("66.7")
    assert share.value_percent("USD") == Decimal("70.6")  # 1,200 / 1,700


def test_certified_share(board):
    share = board.certified
    assert share.part.count == 2 and share.known.count == 4 and share.unknown == 0
    assert share.count_percent() == Decimal("50.0")
    assert share.value_percent("USD") == Decimal("70.6")
    assert share.value_percent("GBP") is None  # nothing awarded in it


def test_competition_counts_open_and_selective_procedures_only(board):
    # P1 (open, 3 bidders) and P4 (open, 2); P2 (direct, 1 bidder by design) and P3 (limited) are left out
    assert board.competition == statistics.Competition(with_count=2, missing=0, average_bidders=Decimal("2.5"),
                                                       single_bidder=0, by_bidders=(0, 1, 1, 0, 0), not_competitive=2)
    assert board.competition.single_percent() == Decimal("0.0")


def test_a_competitive_procedure_without_a_bidder_count_is_missing_and_orders_are_left_out():
    records = [process("ocds-test01-q1", "A", "selective", None, 1, {"supplier": "S1"}),
               process("ocds-test01-q2", "A", "open", None, None, {"supplier": "S1"}),
               process("ocds-test01-q3", "A", "direct", None, 1, {"supplier": "S2"})]
    order = records[2].compiled
    order["relatedProcesses"] = [{"id": "1", "relationship": ["framework"], "scheme": "SOURCEWELL",
                                  "identifier": "S-1"}]
    order["tender"]["procurementMethod"] = "open"  # an order under a cooperative contract, published as open
    competition = build_site(records, SETTINGS, TODAY, ()).dashboard.competition
    assert (competition.with_count, competition.missing, competition.single_bidder, competition.not_competitive) == (
        1, 1, 1, 1)
    assert competition.single_percent() == Decimal("100.0")


def test_days_from_opening_to_award(board):
    # P1 60 days, P2 20, P3 30; P4 has neither an opening nor an award date
    assert board.days_to_award == statistics.Spread(count=3, missing=1, median=Decimal("30"), q1=Decimal("25"),
                                                    q3=Decimal("45"), low=20, high=60,
                                                    bands=(2, 1, 0, 0, 0))  # <= 30, 31-60, 61-90, 91-180, > 180


def test_bidder_counts_from_five_up_are_grouped():
    rows = [process(f"ocds-test01-b{n}", "A", "open", None, n, {"supplier": "S2"}) for n in (1, 5, 9, 0)]
    board = build_site(rows, SETTINGS, TODAY, ()).dashboard
    assert board.competition.by_bidders == (1, 0, 0, 0, 2)
    assert board.competition.average_bidders == Decimal("3.8")  # (1 + 5 + 9 + 0) / 4


@pytest.fixture(scope="module")
def site():
    records = [*first_three(), process("ocds-test01-p5", "A", "open", None, 2, {"supplier": "S1", "value": usd(50)})]
    return build_site(records, SETTINGS, TODAY, ())


def test_a_suppliers_awards_by_year_departments_served_and_contracts(site):
    small = next(o for o in site.suppliers if o.name == "Small Co")
    profile = small.profile
    assert profile.currencies == ("USD", "EUR")
    assert [(g.key, g.totals) for g in profile.by_year] == [
        ("2025", statistics.Totals(1, money(USD=1200), 0)),  # the contract's value, not the award's 1,000
        ("2026", statistics.Totals(1, money(EUR=300), 0)),
        ("", statistics.Totals(1, money(USD=50), 0)),
    ]
    assert [(g.name, g.totals) for g in profile.by_department] == [
        ("Parks", statistics.Totals(2, money(USD=1250), 0)), ("Works", statistics.Totals(1, money(EUR=300), 0))]
    assert [(p.ocid, c.id, c.value) for p, c in profile.contracts] == [
        ("ocds-test01-p1", "ocds-test01-p1-c", Money(Decimal(1200), "USD"))]


def test_a_departments_spending_by_supplier_and_category(site):
    parks = next(o for o in site.buyers if o.name == "Parks")
    profile = parks.profile
    assert [(g.name, g.totals) for g in profile.by_supplier] == [
        ("Small Co", statistics.Totals(2, money(USD=1250), 0)), ("Large Co", statistics.Totals(1, money(USD=500), 0))]
    assert profile.by_supplier[0].path.startswith("suppliers/")
    assert [(g.key, g.totals.count) for g in profile.by_category] == [("", 3)]  # no item classifications


def test_an_empty_city_has_no_numbers_and_no_errors():
    board = build_site([], SETTINGS, TODAY, ()).dashboard
    assert board.total == statistics.Totals(0, (), 0)
    assert board.small.count_percent() is None and board.competition.average_bidders is None
    assert board.days_to_award.median is None and board.by_department == ()
