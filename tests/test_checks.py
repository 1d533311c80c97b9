"""OCDS rules beyond the schema: one case per rule, with the exact code and pointer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.checking.rules import Checker, currencies
from generator.inputs.parsing import SourceRelease

from conftest import release

CHECKER = Checker(("ocds-aldrpt",), dt.date(2026, 11, 16), "America/Chicago")
BUYER = {"id": "PW", "name": "Public Works", "roles": ["buyer"]}


def found(data) -> set[tuple[str, str]]:
    return {(p.code, p.location.pointer) for p in CHECKER.release(SourceRelease(data, "f.json", "/releases/0", 0))}


@pytest.mark.parametrize("changes, expected", [
    ({"date": "2026-11-17T00:00:00-06:00"}, ("date-in-future", "/releases/0/date")),
    ({"tender": {"id": "t", "tenderPeriod": {"startDate": "2026-10-02T00:00:00Z", "endDate": "2026-10-01T00:00:00Z"}}},
     ("tender-period-order", "/releases/0/tender/tenderPeriod/endDate")),
    ({"tender": {"id": "t", "tenderPeriod": {"startDate": "2026-10-02T00:00:00Z"}}, "tag": ["award"],
      "awards": [{"id": "a", "date": "2026-10-01T00:00:00Z"}]}, ("award-before-tender", "/releases/0/awards/0/date")),
    ({"tag": ["contract"], "contracts": [{"id": "c", "awardID": "a", "period": {
        "startDate": "2026-10-02T00:00:00Z", "endDate": "2026-10-01T00:00:00Z"}}]},
     ("contract-period-order", "/releases/0/contracts/0/period/endDate")),
    ({"buyer": {"id": "nobody", "name": "Nobody"}}, ("party-missing", "/releases/0/buyer/id")),
    ({"parties": [{"id": "PW", "name": "Public Works", "roles": ["procuringEntity"]}], "buyer": {"id": "PW"}},
     ("party-role-missing", "/releases/0/buyer/id")),
    ({"tender": {"id": "t", "value": {"amount": -5, "currency": "USD"}}}, ("amount-negative", "/releases/0/tender/value/amount")),
    ({"tender": {"id": "t", "value": {"amount": 5}}}, ("amount-no-currency", "/releases/0/tender/value/currency")),
    ({"tag": ["award"]}, ("tag-mismatch", "/releases/0/tag")),
    ({"tender": {"id": "t", "value": {"amount": 10**30, "currency": "USD"}}},
     ("amount-too-large", "/releases/0/tender/value/amount")),
])
def test_each_rule(changes, expected):
    assert found(release(**changes)) == {expected}


# Rules the OCDS Data Review Tool does not apply are warnings unless the page would be wrong
# because of them (issue 16): dates out of order are shown as the data gives them.
WARNINGS = {"party-missing", "party-role-missing", "tender-period-order", "award-before-tender",
            "contract-period-order", "tag-mismatch", "amount-too-large"}


@pytest.mark.parametrize("changes, expected", test_each_rule.pytestmark[0].args[1])
def test_which_rules_are_warnings(changes, expected):
    [problem] = CHECKER.release(SourceRelease(release(**changes), "f.json", "/releases/0", 0))
    assert problem.is_error == (expected[0] not in WARNINGS)


def test_a_valid_release_has_no_problems():
    assert found(release(parties=[BUYER], buyer={"id": "PW", "name": "Public Works"},
                         date="2026-11-16T23:59:00-06:00")) == set()


def test_mixed_currencies_in_one_process_are_a_warning():
    usd = SourceRelease(release(tender={"id": "t", "value": {"amount": 1, "currency": "USD"}}), "a.json", "/releases/0", 0)
    eur = SourceRelease(release(id="2", awards=[{"id": "a", "value": {"amount": 1, "currency": "EUR"}}]), "a.json",
                        "/releases/1", 1)
    (problem,) = currencies([usd, eur])
    assert problem.code == "currency-mixed" and not problem.is_error and "EUR, USD" in problem.message
    assert currencies([usd]) == []


def test_an_amount_too_large_to_be_real_is_shown_nowhere():
    from generator.values import money
    assert money({"amount": 10**30, "currency": "USD"}) is None and money({"amount": -1e24, "currency": "USD"}) is None
    assert money({"amount": 10**24 - 1, "currency": "IDR"}) is not None


def test_the_largest_amounts_and_their_totals_format_exactly():
    from babel import Locale

    from generator.publish.formats import money_text
    from generator.values import money, sum_by_currency
    largest = money({"amount": 10**24 - 1, "currency": "USD"})
    [total] = sum_by_currency([largest] * 100_000 + [money({"amount": 0.01, "currency": "USD"})])
    assert total.amount == Decimal("99999999999999999999999900000.01")  # not rounded to 28 digits
    assert money_text(total, Locale.parse("en_US")) == f"${total.amount:,}"
