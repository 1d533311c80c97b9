"""award_lists: the filters (department, year, method, value band) and orders (newest, largest)
of the awards list, on a small hand-made city; and the pages each list is written to."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from test_opportunities import local, proc, usd

from generator import routes
from generator.site import award_lists
from generator.site.award_lists import DEPARTMENT, FACET_KINDS, METHOD, VALUE, YEAR
from generator.site.awards import AwardRow, award_rows
from generator.site.contracts import Award, Contract, with_values_now
from generator.site.parties import OrgRef
from generator.site.process import AWARDED
from generator.values import Money


def eur(amount) -> Money:
    return Money(Decimal(str(amount)), "EUR")


def award(award_id: str, date=None, value=None, supplier: str = "Acme Paving") -> Award:
    return Award(award_id, "", "active", date, value, (OrgRef(supplier.lower(), supplier, ""),))


def contract(award_id: str, value: Money) -> Contract:
    return Contract(f"c-{award_id}", "", "active", None, None, value, None, 1, award_id)


def rows_of(*processes) -> tuple[AwardRow, ...]:
    """Every active award of the processes, newest first, as the view model makes site.awards (each
    award's value now from its contract, as process.build_process gives it)."""
    return award_rows((dataclasses.replace(p, awards=with_values_now(p.awards, p.contracts)) for p in processes), "USD")


PW, PARKS = ("PW", "Public Works"), ("parks", "Parks and Recreation")
CITY = rows_of(
    # o-1: two lots, one amended up past $1,000,000 by its contract
    proc("o-1", stage=AWARDED, buyer=PW, method="open", method_details="Invitation to Bid",
         awards=(award("a1", local(2026, 3, 2), usd(950_000)), award("a2", local(2026, 3, 2), usd(20_000), "Bayside")),
         contracts=(contract("a1", usd(1_050_000)),)),
    proc("o-2", stage=AWARDED, buyer=PARKS, method="direct",
         awards=(award("a1", local(2025, 12, 31, 23, 30), usd(50_000)),)),
    proc("o-3", stage=AWARDED, buyer=PW, method="open", method_details="Invitation to Bid",
         awards=(award("a1", local(2025, 6, 1), eur(80_000)),)),  # another currency: no value band
    proc("o-4", stage=AWARDED, buyer=None, method="", method_details="",
         awards=(award("a1", None, None),)),  # no department, date, method or value
    proc("o-5", stage=AWARDED, buyer=("PW", "Public Works (renamed)"), method="limited",
         awards=(award("a1", local(2024, 1, 5), usd(100_000)),)),
)


def keys(entries) -> list[str]:
    return [f"{e.process.ocid}/{e.award.id}" for e in entries]


def facets(result, kind) -> list[tuple]:
    return [(f.key, f.title, keys(f.rows)) for f in result.facets[kind]]


@pytest.fixture(scope="module")
def lists():
    return award_lists.build(CITY, "USD")


def test_every_award_newest_first_as_given(lists):
    assert keys(lists.newest) == keys(CITY) == [
        "o-1/a1", "o-1/a2", "o-2/a1", "o-3/a1", "o-5/a1", "o-4/a1"]  # undated last


def test_department_facets_by_name_titled_with_the_newest_awards_name(lists):
    assert facets(lists, DEPARTMENT) == [
        ("parks", "Parks and Recreation", ["o-2/a1"]),
        ("PW", "Public Works", ["o-1/a1", "o-1/a2", "o-3/a1", "o-5/a1"]),  # o-5's older name loses
    ]


def test_year_facets_newest_year_first_from_the_award_date_in_the_citys_time_zone(lists):
    # 31 December 2025, 11:30 PM in Chicago is 2026 in UTC, but the city's year is 2025.
    assert facets(lists, YEAR) == [("2026", "2026", ["o-1/a1", "o-1/a2"]), ("2025", "2025", ["o-2/a1", "o-3/a1"]),
                                   ("2024", "2024", ["o-5/a1"])]


def test_method_facets_use_the_citys_name_else_the_code(lists):
    assert facets(lists, METHOD) == [("direct", "direct", ["o-2/a1"]),
                                     ("Invitation to Bid", "Invitation to Bid", ["o-1/a1", "o-1/a2", "o-3/a1"]),
                                     ("limited", "limited", ["o-5/a1"])]


def test_value_bands_go_by_the_current_value_in_the_site_currency(lists):
    # o-1/a1 was awarded at $950,000; its contract now says $1,050,000. EUR and no value: no band.
    assert [(f.key, keys(f.rows), f.low, f.high, f.title) for f in lists.facets[VALUE]] == [
        ("under-25000", ["o-1/a2"], None, usd(25_000), ""),
        ("25000-100000", ["o-2/a1"], usd(25_000), usd(100_000), ""),
        ("100000-1000000", ["o-5/a1"], usd(100_000), usd(1_000_000), ""),
        ("over-1000000", ["o-1/a1"], usd(1_000_000), None, ""),
    ]


def test_counts_add_up_and_an_award_is_in_at_most_one_facet_of_each_kind(lists):
    assert list(lists.facets) == list(FACET_KINDS)
    for kind in FACET_KINDS:
        members = [k for f in lists.facets[kind] for k in keys(f.rows)]
        assert len(members) == len(set(members))
    assert "o-4/a1" not in {k for kind in FACET_KINDS for f in lists.facets[kind] for k in keys(f.rows)}


def test_entries_carry_what_rows_show_and_filter_by(lists):
    by_key = dict(zip(keys(lists.newest), lists.newest, strict=True))
    amended = by_key["o-1/a1"]
    assert (amended.value, amended.awarded_at, amended.year, amended.method, amended.band) == (
        usd(1_050_000), usd(950_000), "2026", "Invitation to Bid", "over-1000000")
    plain = by_key["o-2/a1"]
    assert (plain.value, plain.awarded_at, plain.method, plain.band) == (usd(50_000), None, "direct", "25000-100000")
    bare = by_key["o-4/a1"]
    assert (bare.value, bare.awarded_at, bare.year, bare.method, bare.band) == (None, None, "", "", "")
    assert by_key["o-3/a1"].band == ""  # EUR


def test_a_contract_repeating_the_award_value_is_no_amendment():
    p = proc("o-1", stage=AWARDED, awards=(award("a1", local(2026, 1, 1), usd(10)),),
             contracts=(contract("a1", Money(Decimal("10.00"), "USD")),))
    (entry,) = award_lists.build(rows_of(p), "USD").newest
    assert entry.value == usd(10) and entry.awarded_at is None


def test_largest_first_site_currency_then_others_then_no_value(lists):
    assert keys(lists.by_value) == ["o-1/a1", "o-5/a1", "o-2/a1", "o-1/a2", "o-3/a1", "o-4/a1"]
    pw = lists.facet_of(DEPARTMENT, "PW")
    assert keys(pw.by_value) == ["o-1/a1", "o-5/a1", "o-1/a2", "o-3/a1"]


def test_largest_first_ties_by_ocid_then_award_id_and_currencies_never_compared():
    same = (proc("o-b", stage=AWARDED, awards=(award("a2", None, usd(5)), award("a1", None, usd(5)))),
            proc("o-a", stage=AWARDED, awards=(award("z", None, usd(5)),)),
            proc("o-c", stage=AWARDED, awards=(award("a", None, eur(1_000_000)), award("b", None, Money(
                Decimal(9), "CAD")))),
            proc("o-d", stage=AWARDED, awards=(award("a", None, None),)))
    result = award_lists.build(rows_of(*same), "USD")
    # a huge EUR amount stays after every USD one; other currencies by currency code (CAD, EUR)
    assert keys(result.by_value) == ["o-a/z", "o-b/a1", "o-b/a2", "o-c/b", "o-c/a", "o-d/a"]


def test_a_departments_list_holds_the_very_rows_it_was_given(lists):
    """Lists hold the site's award rows themselves, so an organisation's page and its list show one value."""
    parks_rows = tuple(r for r in CITY if r.process.buyer and r.process.buyer.key == "parks")
    assert all(a is b for a, b in zip(lists.facet_of(DEPARTMENT, "parks").rows, parks_rows, strict=True))


def test_facet_of(lists):
    assert keys(lists.facet_of(YEAR, "2024").rows) == ["o-5/a1"]
    assert lists.facet_of(YEAR, "1999") is None and lists.facet_of("supplier", "acme") is None


def test_no_awards_no_facets():
    result = award_lists.build((), "USD")
    assert result.newest == result.by_value == () and all(result.facets[k] == () for k in FACET_KINDS)


# --- routes ---------------------------------------------------------------------------------------

def test_each_list_has_a_page_in_each_order(lists):
    pw = lists.facet_of(DEPARTMENT, "PW")
    assert routes.slug("PW").startswith("pw_")  # not lower case: hashed
    assert (pw.path, pw.value_path) == (f"awards/department/{routes.slug('PW')}/index.html",
                                        f"awards/department/{routes.slug('PW')}/by-value/index.html")
    assert routes.award_list_path() == "awards/index.html" == routes.listing_path("awards")
    assert routes.award_list_path(by_value=True) == "awards/by-value/index.html" == routes.listing_path("awards-by-value")
    assert routes.award_list_path(page=3, by_value=True) == "awards/by-value/page/3/index.html"
    assert routes.award_list_path(YEAR, "2026", 2) == "awards/year/2026/page/2/index.html"
    assert routes.award_list_path(YEAR, "2026", 2, by_value=True) == "awards/year/2026/by-value/page/2/index.html"
    assert lists.facet_of(METHOD, "Invitation to Bid").path.startswith("awards/method/invitation-to-bid_")


NASTY_KEYS = ["by-value", "page", "index.html", "Page", "BY-VALUE", "by-value_x", "2", "..", "a/b", "../x",
              "Public Works", "public-works", "", " ", "ö", "o"]


def test_no_two_lists_share_a_page_whatever_their_keys():
    """A key slugged to "by-value" or "page" could land on a list's own order or page folders."""
    paths = [routes.award_list_path(page=n, by_value=v) for n in (1, 2, 3) for v in (False, True)]
    paths += [routes.award_list_path(kind, key, n, v)
              for kind in FACET_KINDS for key in NASTY_KEYS for n in (1, 2, 3) for v in (False, True)]
    assert len(paths) == len(set(paths))
    assert all(routes.is_inside(p) for p in paths)
    # "by-value" and "page" never stand for a key: they are reserved, so such keys are hashed
    for key in ("by-value", "page"):
        assert routes.slug(key) != key and "_" in routes.slug(key)
    # and the folders of the lists' orders and pages are never a kind
    assert not {routes.BY_VALUE, routes.PAGE} & set(FACET_KINDS)

