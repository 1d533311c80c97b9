"""site.flags: each red flag against hand-made processes with exact values, at its boundaries and
with the messy data real cities publish (missing dates, mixed currencies, no supplier, time zones).

Defaults (FlagSettings): a submission period under 15 days; a contract more than 25% over its
award; 3 purchases without competition, one department, one supplier, within 365 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from generator.inputs.performance_settings import FlagSettings, PerformanceSettings
from generator.site import flags
from generator.site.assemble import build_site
from generator.values import Money

from test_model import SETTINGS, TODAY, TZ, record

PARTIES = [{"id": "A", "name": "Parks", "roles": ["buyer"]}, {"id": "B", "name": "Works", "roles": ["buyer"]},
           {"id": "S1", "name": "One Co", "roles": ["supplier"]}, {"id": "S2", "name": "Two Co", "roles": ["supplier"]}]
EMERGENCY = [{"scheme": "US-2CFR200.320", "id": "emergency"}]


def usd(n):
    return {"amount": n, "currency": "USD"}


def proc(ocid, method="open", buyer="A", bidders=None, opened="2025-01-01T09:00:00-06:00",
         closes="2025-02-01T09:00:00-06:00", awards=(), contracts=(), **tender):
    period = {k: v for k, v in (("startDate", opened), ("endDate", closes)) if v}
    t = {"id": ocid, "status": "complete", "title": f"Process {ocid}", "procurementMethod": method,
         "tenderPeriod": period, **tender}
    if bidders is not None:
        t["numberOfTenderers"] = bidders
    return record(f"ocds-test01-{ocid}", {"tender": t, "buyer": {"id": buyer}, "parties": PARTIES,
                                          "awards": list(awards), "contracts": list(contracts)})


def award(aid, date="2025-03-01T10:00:00-06:00", value=None, suppliers=("S1",), status="active"):
    a = {"id": aid, "status": status, "suppliers": [{"id": s} for s in suppliers]}
    if date:
        a["date"] = date
    if value:
        a["value"] = value
    return a


def kinds(records, **settings):
    site = build_site(records, replace(SETTINGS, performance=PerformanceSettings(flags=FlagSettings(**settings))),
                      TODAY, ())
    return {k.code: k for k in site.flag_kinds}, site


def ocids(kind):
    return [f.ocid.removeprefix("ocds-test01-") for f in kind.flags]


def test_single_bid_only_in_open_and_selective_procedures():
    found, site = kinds([proc("open1", bidders=1), proc("sel1", "selective", bidders=1), proc("open2", bidders=2),
                         proc("direct1", "direct", bidders=1), proc("limited1", "limited", bidders=1),
                         proc("emerg1", "direct", bidders=1, procurementMethodRationaleClassifications=EMERGENCY),
                         proc("unknown", bidders=None)])
    single = found[flags.SINGLE_BID]
    assert sorted(ocids(single)) == ["open1", "sel1"]
    assert (single.processes, single.checked, single.unchecked) == (2, 3, 1)  # open1, sel1, open2; unknown
    by = {f.ocid: f for f in single.flags}
    assert by["ocds-test01-sel1"].method == "selective" and by["ocds-test01-open1"].buyer.name == "Parks"
    assert by["ocds-test01-open1"].date == dt.datetime(2025, 2, 1, 9, tzinfo=TZ)
    assert [f.code for f in next(p for p in site.processes if p.ocid.endswith("open1")).flags] == [flags.SINGLE_BID]
    assert next(p for p in site.processes if p.ocid.endswith("direct1")).flags == ()


@pytest.mark.parametrize("opened, closes, days", [
    ("2025-01-01T09:00:00-06:00", "2025-01-15T09:00:00-06:00", 14),
    ("2025-01-01T09:00:00-06:00", "2025-01-16T08:59:00-06:00", 14),  # a minute short of 15 days
    ("2025-01-01T09:00:00-06:00", "2025-01-01T17:00:00-06:00", 0),
    ("2025-01-01T15:00:00Z", "2025-01-15T14:00:00Z", 13),  # UTC, read on the city's clock: 13 days 23 hours
    ("2026-03-01T15:00:00Z", "2026-03-15T14:00:00Z", 14),  # 9:00 to 9:00 on the city's clock, across daylight saving
])
def test_a_short_submission_period_in_whole_days(opened, closes, days):
    found, _ = kinds([proc("p", opened=opened, closes=closes)])
    [flag] = found[flags.SHORT_PERIOD].flags
    assert (flag.days, flag.opened, flag.date) == (days, dt.datetime.fromisoformat(opened).astimezone(TZ),
                                                   dt.datetime.fromisoformat(closes).astimezone(TZ))


def test_fifteen_days_is_not_short_and_daylight_saving_time_takes_no_hour_off():
    found, _ = kinds([proc("exact", opened="2025-01-01T09:00:00-06:00", closes="2025-01-16T09:00:00-06:00"),
                      # Chicago moves its clocks on 8 March 2026: 15 days on the clock, 14 days 23 hours elapsed
                      proc("dst", opened="2026-03-01T09:00:00-06:00", closes="2026-03-16T09:00:00-05:00")])
    short = found[flags.SHORT_PERIOD]
    assert short.flags == () and (short.checked, short.unchecked) == (2, 0)


def test_the_threshold_is_the_citys():
    found, _ = kinds([proc("p", opened="2025-01-01T09:00:00-06:00", closes="2025-01-16T09:00:00-06:00")],
                     short_submission_days=21)
    assert [f.days for f in found[flags.SHORT_PERIOD].flags] == [15]


def test_a_short_period_needs_an_open_procedure_with_both_dates_in_order():
    found, _ = kinds([proc("selective", "selective", closes="2025-01-03T09:00:00-06:00"),
                      proc("direct", "direct", closes="2025-01-03T09:00:00-06:00"),
                      proc("no-start", opened=None), proc("no-end", closes=None),
                      proc("backwards", opened="2025-02-01T09:00:00-06:00", closes="2025-01-01T09:00:00-06:00"),
                      proc("same-time", closes="2025-01-01T09:00:00-06:00")])
    short = found[flags.SHORT_PERIOD]
    assert short.flags == ()  # a deadline at or before the opening is a data problem, never a flag
    assert (short.checked, short.unchecked) == (0, 4)


def amended(ocid, awarded, now, **kwargs):
    return proc(ocid, awards=[award(f"{ocid}-a", value=awarded)],
                contracts=[{"id": f"{ocid}-c", "awardID": f"{ocid}-a", "status": "active", "value": now}], **kwargs)


def test_a_large_amendment_is_more_than_the_percent_in_one_currency():
    found, _ = kinds([amended("over", usd(1000), usd(1251)), amended("exact", usd(1000), usd(1250)),
                      amended("down", usd(1000), usd(100)),
                      amended("currency", usd(1000), {"amount": 5000, "currency": "EUR"}),
                      amended("zero", usd(0), usd(500)), amended("same", usd(1000), usd(1000)),
                      proc("no-value", awards=[award("n")])])
    large = found[flags.LARGE_AMENDMENT]
    [flag] = large.flags
    assert (flag.ocid, flag.percent, flag.awarded, flag.value) == (
        "ocds-test01-over", Decimal("25.1"), Money(Decimal(1000), "USD"), Money(Decimal(1251), "USD"))
    assert flag.supplier.name == "One Co" and flag.award is not None
    assert (large.checked, large.unchecked) == (4, 3)  # over, exact, down, same; currency, zero, no value


def test_each_award_of_a_process_is_compared_with_its_own_contract():
    found, site = kinds([proc("two", awards=[award("a1", value=usd(100)), award("a2", value=usd(100), suppliers=("S2",))],
                              contracts=[{"id": "c1", "awardID": "a1", "value": usd(200)},
                                         {"id": "c2", "awardID": "a2", "value": usd(130)}])],
                        large_amendment_percent=Decimal(20))
    large = found[flags.LARGE_AMENDMENT]
    assert [(f.percent, f.supplier.name) for f in large.flags] == [(Decimal(100), "One Co"), (Decimal(30), "Two Co")]
    assert large.processes == 1 and len(site.processes[0].flags) == 2


def direct(ocid, date, method="direct", buyer="A", suppliers=("S1",), **kwargs):
    return proc(ocid, method, buyer=buyer, awards=[award(f"{ocid}-a", date=date, suppliers=suppliers)], **kwargs)


def test_repeated_direct_awards_within_the_window_are_each_flagged_and_name_the_others():
    found, site = kinds([direct("d1", "2024-01-10T10:00:00-06:00"), direct("d2", "2024-06-01T10:00:00-05:00"),
                         direct("d3", "2025-01-09T10:00:00-06:00", "limited"),  # 365 days after d1: within
                         direct("d4", "2026-06-01T10:00:00-05:00")])  # too late: alone
    repeated = found[flags.REPEATED_DIRECT]
    assert ocids(repeated) == ["d3", "d2", "d1"]  # newest first
    d2 = next(f for f in repeated.flags if f.ocid.endswith("d2"))
    assert [p.ocid.removeprefix("ocds-test01-") for p in d2.others] == ["d1", "d3"]
    assert len(d2.run) == 3 and d2.supplier.name == "One Co" and d2.buyer.name == "Parks"
    assert d2.date == dt.datetime(2024, 6, 1, 10, tzinfo=TZ) and d2.run[0].path.startswith("processes/")
    assert (repeated.processes, repeated.checked, repeated.unchecked) == (3, 4, 0)
    assert [f.code for f in next(p for p in site.processes if p.ocid.endswith("d4")).flags] == []


def test_one_day_past_the_window_is_no_run():
    found, _ = kinds([direct("d1", "2024-01-10T10:00:00-06:00"), direct("d2", "2024-06-01T10:00:00-05:00"),
                      direct("d3", "2025-01-10T10:00:00-06:00")])  # 366 days after d1
    assert found[flags.REPEATED_DIRECT].flags == ()


def test_only_purchases_without_competition_of_one_department_and_one_supplier_count():
    found, _ = kinds([direct("d1", "2025-01-10T10:00:00-06:00"),
                      direct("e1", "2025-02-10T10:00:00-06:00", procurementMethodRationaleClassifications=EMERGENCY),
                      direct("open", "2025-03-10T10:00:00-05:00", "open"),  # competed
                      direct("other-dept", "2025-03-10T10:00:00-05:00", buyer="B"),
                      direct("other-supplier", "2025-03-10T10:00:00-05:00", suppliers=("S2",)),
                      direct("nobody", "2025-03-10T10:00:00-05:00", suppliers=()),  # no supplier named
                      direct("undated", None)])
    repeated = found[flags.REPEATED_DIRECT]
    assert repeated.flags == ()
    assert (repeated.checked, repeated.unchecked) == (4, 2)  # d1, e1, other-dept, other-supplier; nobody, undated
    found, _ = kinds([direct("d1", "2025-01-10T10:00:00-06:00"),
                      direct("e1", "2025-02-10T10:00:00-06:00", procurementMethodRationaleClassifications=EMERGENCY),
                      direct("both", "2025-03-10T10:00:00-05:00", suppliers=("S1", "S2"))])
    assert ocids(found[flags.REPEATED_DIRECT]) == ["both", "e1", "d1"]  # an emergency counts, as does a joint award


def test_a_purchase_without_an_award_date_is_dated_by_its_contracts_signature():
    signed = {"id": "c", "awardID": "late-a", "dateSigned": "2025-03-01T10:00:00-06:00"}
    found, _ = kinds([direct("d1", "2025-01-10T10:00:00-06:00"), direct("d2", "2025-02-10T10:00:00-06:00"),
                      direct("late", None, contracts=[signed])], repeated_direct_awards=3)
    late = next(f for f in found[flags.REPEATED_DIRECT].flags if f.ocid.endswith("late"))
    assert late.date == dt.datetime(2025, 3, 1, 10, tzinfo=TZ)


def dates(*days):
    return [dt.datetime(2025, 1, 1, tzinfo=TZ) + dt.timedelta(days=d) for d in days]


@pytest.mark.parametrize("days, count, window, expected", [
    ((0, 10, 20), 3, 20, [(0, 3)]),
    ((0, 10, 21), 3, 20, []),
    ((0, 10, 20, 30, 100, 101, 102), 3, 20, [(0, 4), (4, 7)]),  # overlapping windows merge; a second run later
    ((0, 0, 0), 3, 0, [(0, 3)]),  # the same day
    ((), 3, 20, []),
])
def test_runs(days, count, window, expected):
    assert flags.runs(dates(*days), count, window) == expected


def test_site_flags_lists_every_kind_in_order():
    _, site = kinds([proc("p1", bidders=1, closes="2025-01-05T09:00:00-06:00"), amended("p2", usd(10), usd(20))])
    assert [(f.code, f.ocid) for f in site.flags] == [(flags.SINGLE_BID, "ocds-test01-p1"),
                                                      (flags.SHORT_PERIOD, "ocds-test01-p1"),
                                                      (flags.LARGE_AMENDMENT, "ocds-test01-p2")]
    assert [f.code for f in site.processes[0].flags] == [flags.SINGLE_BID, flags.SHORT_PERIOD]
    assert site.flag_kinds[0].anchor == "flag-single-bid" == site.flags[0].anchor


def test_long_lists_show_the_first_and_count_the_rest():
    found, _ = kinds([proc(f"p{n:03}", bidders=1) for n in range(flags.LISTED + 3)])
    single = found[flags.SINGLE_BID]
    assert (len(single.shown), single.more, single.processes) == (flags.LISTED, 3, flags.LISTED + 3)
