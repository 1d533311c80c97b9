"""Emergency buying (the 2 CFR 200.320(c) reason, declaration, category, federal-file checklist), the
`emergency` settings, and storm readiness (standby contracts against the next season), on small
hand-made processes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator.errors import SettingsError
from generator.inputs import settings as site_settings
from generator.inputs.emergency_settings import EmergencySettings, Need, Schemes, Season
from generator.records import CompiledRecord
from generator.site import emergency, readiness
from generator.site.assemble import with_relations
from generator.site.process import build_process

TZ = ZoneInfo("America/Chicago")
TODAY = dt.date(2026, 11, 16)
P = "ocds-test01-"
SETTINGS = EmergencySettings()
MINIMAL = "city_name: T\nocid_prefix: ocds-test01\npublisher:\n  name: T\n"
FEMA = {"id": "fema", "name": "Federal Emergency Management Agency", "roles": ["funder"]}


def usd(amount) -> dict:
    return {"amount": amount, "currency": "USD"}


def compiled(key: str, method="open", value=100_000, classify=(), reasons=(), docs=(), contracts=None, related=(),
             framework=False, competitive=None, parties=(), items=()) -> dict:
    """A contracted process: one award, one contract (unless `contracts` says otherwise)."""
    tender = {"id": key, "status": "complete", "title": key, "procurementMethod": method, "value": usd(value),
              "documents": [{"id": f"d{i}", "documentType": t} for i, t in enumerate(docs)],
              "items": [{"id": str(i), "classification": {"scheme": s, "id": c}} for i, (s, c) in enumerate(items)]}
    if classify:
        tender["additionalClassifications"] = [{"scheme": s, "id": i} for s, i in classify]
    if reasons:
        tender["procurementMethodRationaleClassifications"] = [{"scheme": s, "id": i} for s, i in reasons]
    if framework:
        tender["techniques"] = {"hasFrameworkAgreement": True, "frameworkAgreement": {
            "method": "withoutReopeningCompetition", "period": {"startDate": "2026-01-01T00:00:00-06:00",
                                                                "endDate": "2028-12-31T00:00:00-06:00"}}}
    if competitive is not None:
        tender["competitive"] = competitive
    release = {"ocid": P + key, "tender": tender, "parties": [{"id": "s1", "name": "Firm", "roles": ["supplier"]},
                                                             *parties],
               "awards": [{"id": "a1", "status": "active", "value": usd(value), "suppliers": [{"id": "s1", "name": "Firm"}],
                           "date": "2026-01-10T00:00:00-06:00"}],
               "contracts": [contract()] if contracts is None else contracts}
    if related:
        release["relatedProcesses"] = [{"id": "1", "relationship": ["framework"], "scheme": "ocid",
                                        "identifier": P + r} for r in related]
    return release


def contract(cid="c1", start="2026-01-15T00:00:00-06:00", end="2028-01-14T23:59:00-06:00", status="active", value=None,
             docs=(), items=(), **extra) -> dict:
    c = {"id": cid, "awardID": "a1", "status": status, "period": {"startDate": start, "endDate": end},
         "documents": [{"id": f"{cid}-{t}", "documentType": t} for t in docs], **extra}
    if value is not None:
        c["value"] = usd(value)
    if items:
        c["items"] = [{"id": str(i), "classification": {"scheme": "UNSPSC", "id": code}, "quantity": q,
                       "unit": {"name": "cubic yard", "value": usd(rate)}} for i, (code, q, rate) in enumerate(items)]
    return c


def processes(*releases, settings=SETTINGS):
    built = {r["ocid"]: build_process(CompiledRecord(r["ocid"], ({"id": "1", "date": "2026-01-10T00:00:00-06:00",
                                                                  "tag": ["contract"]},), r, ()), TODAY, TZ)
             for r in releases}
    return emergency.with_facts(with_relations(built), settings, "USD")


def one(release, settings=SETTINGS):
    return processes(release, settings=settings)[release["ocid"]]


def lines(checklist) -> dict[str, tuple[str, str]]:
    return {line.key: (line.status, line.note) for line in checklist}


# --- emergency buying ---------------------------------------------------------------------------

def test_an_emergency_purchase_says_its_reason_declaration_category_and_funder():
    p = one(compiled("pump", method="direct", value=186_500, parties=[FEMA],
                     reasons=[("US-2CFR200.320", "emergency")],
                     classify=[("US-FEMA-DR", "DR-4912-WI"), ("US-FEMA-PA", "B")], docs=["costPriceAnalysis"]))
    e = p.emergency
    assert e.without_competition and e.is_emergency and not e.call_off
    assert [r.id for r in e.reasons] == ["emergency"]
    assert [d.id for d in e.declarations] == ["DR-4912-WI"] and [c.id for c in e.categories] == ["B"]
    assert e.funders == ("Federal Emergency Management Agency",)
    assert emergency.is_emergency(p, SETTINGS)
    assert lines(e.checklist)["competition"] == (emergency.SHOWN, "exception")


def test_no_competition_without_a_reason_in_the_citys_scheme_is_missing_its_exception():
    p = one(compiled("x", method="direct", reasons=[("OTHER-SCHEME", "emergency")], classify=[("US-FEMA-DR", "DR-1")]))
    assert p.emergency.reasons == () and p.emergency.is_emergency  # the declaration says it was an emergency
    assert lines(p.emergency.checklist)["competition"] == (emergency.MISSING, "no-reason")
    plain = one(compiled("y", method="direct", reasons=[("OTHER-SCHEME", "emergency")]))
    assert plain.emergency is None, "no reason, declaration or category in the city's schemes: nothing to say"


def test_a_single_source_purchase_is_not_an_emergency_and_the_schemes_are_the_citys():
    settings = EmergencySettings(schemes=Schemes(reasons="CITY-WHY"))
    p = one(compiled("s", method="direct", reasons=[("city-why", "single-source")]), settings)
    assert [r.id for r in p.emergency.reasons] == ["single-source"] and not p.emergency.is_emergency
    assert one(compiled("s", method="direct", reasons=[("US-2CFR200.320", "single-source")]), settings).emergency is None


def test_an_order_under_a_standby_contract_is_not_bought_without_competition():
    found = processes(compiled("standby", framework=True, classify=[("US-FEMA-PA", "A")]),
                      compiled("order", method="direct", competitive=False, related=["standby"],
                               classify=[("US-FEMA-DR", "DR-1"), ("US-FEMA-PA", "A")]))
    order = found[P + "order"].emergency
    assert order.call_off and not order.without_competition and not order.is_emergency
    assert lines(order.checklist)["competition"] == (emergency.ELSEWHERE, "call-off")


@pytest.mark.parametrize("docs, status", [((), emergency.MISSING), (("bidders",), emergency.SHOWN),
                                          (("evaluationReports",), emergency.SHOWN)])
def test_competition_is_shown_by_a_bid_tabulation_or_an_evaluation_report(docs, status):
    p = one(compiled("c", classify=[("US-FEMA-PA", "A")], docs=docs))
    assert lines(p.emergency.checklist)["competition"] == (status, "competed")


def test_each_line_is_present_or_missing_by_document_type_wherever_it_is_published():
    p = one(compiled("c", classify=[("US-FEMA-PA", "A")], docs=["smallBusinessOutreach"],
                     contracts=[contract(docs=["federalContractClauses", "contractSigned"])]))
    found = lines(p.emergency.checklist)
    assert found["outreach"][0] == found["contract_clauses"][0] == found["signed_contract"][0] == emergency.SHOWN
    assert found["exclusion_check"][0] == emergency.MISSING
    assert "conflict_of_interest" not in found, "a line without document types is left out"
    settings = EmergencySettings(documents={**SETTINGS.documents, "conflict_of_interest": ("conflictOfInterest",),
                                            "signed_contract": ()})
    found = lines(one(compiled("c", classify=[("US-FEMA-PA", "A")]), settings).emergency.checklist)
    assert found["conflict_of_interest"] == (emergency.MISSING, "") and "signed_contract" not in found
    unsigned = one(compiled("u", classify=[("US-FEMA-PA", "A")], contracts=[]))
    assert lines(unsigned.emergency.checklist)["signed_contract"] == (emergency.NOT_NEEDED, "not-signed")


@pytest.mark.parametrize("value, currency, threshold, expected", [
    (250_000, "USD", 250_000, (emergency.NOT_NEEDED, "below-threshold")),  # "in excess of": equal is not above
    (250_000.01, "USD", 250_000, (emergency.MISSING, "above-threshold")),
    (150_000, "USD", 100_000, (emergency.MISSING, "above-threshold")),  # the city's own threshold
    (900_000, "EUR", 250_000, (emergency.UNKNOWN, "no-value")),  # never compared across currencies
])
def test_a_cost_or_price_analysis_is_needed_above_the_simplified_acquisition_threshold(value, currency, threshold,
                                                                                      expected):
    release = compiled("c", classify=[("US-FEMA-PA", "B")], contracts=[contract(value=value)])
    release["contracts"][0]["value"]["currency"] = currency
    release["awards"][0]["value"]["currency"] = currency
    release["tender"]["value"]["currency"] = currency
    p = one(release, EmergencySettings(threshold=Decimal(threshold)))
    line = next(x for x in p.emergency.checklist if x.key == "cost_price_analysis")
    assert (line.status, line.note) == expected
    assert line.value == (p.contracts[0].value if currency == "USD" else None)


def test_a_published_analysis_counts_and_a_missing_value_cannot_be_judged():
    p = one(compiled("c", value=1_000_000, classify=[("US-FEMA-PA", "B")], docs=["costPriceAnalysis"]))
    assert lines(p.emergency.checklist)["cost_price_analysis"] == (emergency.SHOWN, "above-threshold")
    release = compiled("n", classify=[("US-FEMA-PA", "B")])
    for holder in (release["tender"], release["awards"][0]):
        del holder["value"]
    assert lines(one(release).emergency.checklist)["cost_price_analysis"] == (emergency.UNKNOWN, "no-value")


# --- settings -----------------------------------------------------------------------------------

def test_emergency_settings_default_when_absent_and_merge_what_is_given():
    assert site_settings.parse_settings(MINIMAL).emergency == EmergencySettings()
    s = site_settings.parse_settings(MINIMAL + "emergency:\n  season: {name: severe-weather season, start: '03-01', "
                                                "end: '08-31'}\n  simplified_acquisition_threshold: 150000\n"
                                                "  schemes: {categories: CITY-PA}\n"
                                                "  needs:\n    - {name: Sandbags, codes: ['3011']}\n").emergency
    assert s.season == Season("severe-weather season", (3, 1), (8, 31), builtin=False)
    assert s.threshold == Decimal(150000) and s.schemes.categories == "CITY-PA" and s.schemes.reasons == "US-2CFR200.320"
    assert s.needs == (Need("Sandbags", (), ("3011",)),)
    assert s.documents == SETTINGS.documents


@pytest.mark.parametrize("snippet, pointer", [("season: {end: '02-30'}", "/emergency/season/end"),
                                              ("season: {start: '6-1'}", "/emergency/season/start"),
                                              ("needs: [{name: Water}]", "/emergency/needs/0"),
                                              ("documents: {lunch: [x]}", "/emergency/documents/lunch")])
def test_bad_emergency_settings_are_reported_with_their_place(snippet, pointer):
    with pytest.raises(SettingsError) as caught:
        site_settings.parse_settings(MINIMAL + "emergency:\n  " + snippet + "\n")
    assert [p.location.pointer for p in caught.value.problems] == [pointer]
    assert caught.value.problems[0].location.line == 6


# --- the season ---------------------------------------------------------------------------------

@pytest.mark.parametrize("today, current, upcoming", [
    (dt.date(2026, 3, 1), None, (dt.date(2026, 6, 1), dt.date(2026, 11, 30))),
    (dt.date(2026, 6, 1), (dt.date(2026, 6, 1), dt.date(2026, 11, 30)), (dt.date(2027, 6, 1), dt.date(2027, 11, 30))),
    (dt.date(2026, 11, 30), (dt.date(2026, 6, 1), dt.date(2026, 11, 30)), (dt.date(2027, 6, 1), dt.date(2027, 11, 30))),
    (dt.date(2026, 12, 1), None, (dt.date(2027, 6, 1), dt.date(2027, 11, 30))),
])
def test_the_next_season_is_the_next_to_start(today, current, upcoming):
    now, following = readiness.seasons(today, Season())
    assert ((now.start, now.end) if now else None) == current
    assert (following.start, following.end) == upcoming


def test_a_season_may_run_into_the_next_year_and_start_on_february_29():
    now, following = readiness.seasons(dt.date(2027, 1, 10), Season("cyclone season", (11, 1), (4, 30), False))
    assert (now.start, now.end) == (dt.date(2026, 11, 1), dt.date(2027, 4, 30))
    assert (following.start, following.end) == (dt.date(2027, 11, 1), dt.date(2028, 4, 30))
    _, leap = readiness.seasons(dt.date(2026, 3, 1), Season("x", (2, 29), (3, 31), False))
    assert leap.start == dt.date(2027, 2, 28)


# --- readiness ----------------------------------------------------------------------------------

NEEDS = (Need("Debris", ("A",), ("7612",)), Need("Generators", (), ("261116",)), Need("Shelters", (), ("931318",)),
         Need("Repairs", ("C",), standby=False))


def ready(*releases, today=TODAY, guides=()):
    settings = EmergencySettings(needs=NEEDS)
    return readiness.build(processes(*releases, settings=settings), settings, "USD", today, guides)


def need(r, name):
    return next(n for n in r.needs if n.need.name == name)


def test_a_need_with_nothing_in_place_is_a_gap_and_permanent_work_is_never_one():
    r = ready()
    assert need(r, "Shelters").level == readiness.NONE and need(r, "Shelters").is_gap
    assert need(r, "Repairs").level == readiness.NOT_NEEDED and need(r, "Repairs") not in r.gaps
    assert (r.season.start, r.season.end) == (dt.date(2027, 6, 1), dt.date(2027, 11, 30))


@pytest.mark.parametrize("end, max_extent, level, before_start", [
    ("2027-11-30T23:59:00-06:00", None, readiness.COVERED, False),  # runs through the season's last day
    ("2027-11-29T23:59:00-06:00", None, readiness.ENDS, False),  # one day short
    ("2027-05-31T23:59:00-05:00", None, readiness.ENDS, True),  # ends before the season starts
    ("2027-05-31T23:59:00-05:00", "2028-05-31T23:59:00-05:00", readiness.RENEW, True),  # only if renewed
])
def test_a_contract_must_run_to_the_end_of_the_next_season(end, max_extent, level, before_start):
    period = {"maxExtentDate": max_extent} if max_extent else {}
    c = contract(end=end, items=[("76121500", 250000, 9.85)])
    c["period"].update(period)
    r = ready(compiled("debris", classify=[("US-FEMA-PA", "A")], contracts=[c]))
    debris = need(r, "Debris")
    assert debris.level == level and debris.is_gap == (level == readiness.ENDS)
    assert debris.contracts[0].ends_before_season == before_start


def test_contracts_match_by_item_code_prefix_or_by_fema_category():
    r = ready(compiled("gen", framework=True, contracts=[contract(items=[("26111603", 10, 295)])]),
              compiled("cat", classify=[("US-FEMA-PA", "a")], contracts=[contract()]),
              compiled("near", framework=True, contracts=[contract(items=[("76111500", 1, 1)])]))
    assert [s.process.ocid for s in need(r, "Generators").contracts] == [P + "gen"]
    assert [s.process.ocid for s in need(r, "Debris").contracts] == [P + "cat"], "7611 is not 7612"
    gen = need(r, "Generators").contracts[0]
    assert [(i.quantity, i.unit, i.rate.amount) for i in gen.items] == [(10, "cubic yard", Decimal(295))]
    assert [s.name for s in gen.suppliers] == ["Firm"]


def test_a_tender_items_code_in_another_scheme_does_not_match():
    r = ready(compiled("cpv", framework=True, items=[("CPV", "76121500")]),
              compiled("unspsc", framework=True, items=[("UNSPSC", "76121500")]))
    assert [s.process.ocid for s in need(r, "Debris").contracts] == [P + "unspsc"]


def test_only_contracts_the_data_marks_as_standby_and_in_place_today_count():
    r = ready(compiled("plain", contracts=[contract(items=[("76121500", 1, 1)])]),  # ordinary refuse collection
              compiled("emergency", method="direct", reasons=[("US-2CFR200.320", "emergency")],
                       classify=[("US-FEMA-PA", "A")]),
              compiled("future", classify=[("US-FEMA-PA", "A")], contracts=[contract(start="2026-11-17T00:00:00-06:00")]),
              compiled("over", classify=[("US-FEMA-PA", "A")], contracts=[contract(end="2026-11-15T23:59:00-06:00")]),
              compiled("cancelled", classify=[("US-FEMA-PA", "A")], contracts=[contract(status="cancelled")]),
              compiled("today", classify=[("US-FEMA-PA", "A")], contracts=[contract(end="2026-11-16T00:00:00-06:00")]))
    assert [s.process.ocid for s in need(r, "Debris").contracts] == [P + "today"]
    assert need(r, "Debris").level == readiness.ENDS


def test_the_last_activation_is_the_latest_order_under_the_contract():
    def order(key, day):
        release = compiled(key, method="direct", competitive=False, related=["standby"],
                           classify=[("US-FEMA-DR", "DR-1"), ("US-FEMA-PA", "A")])
        release["awards"][0]["date"] = f"{day}T10:00:00-05:00"
        return release
    r = ready(compiled("standby", framework=True, classify=[("US-FEMA-PA", "A")]),
              order("to1", "2025-09-02"), order("to2", "2026-06-22"))
    (standby,) = need(r, "Debris").contracts
    assert standby.activations == 2 and standby.last_activation.path.startswith("processes/")
    assert standby.last_activation.date.date() == dt.date(2026, 6, 22)


def test_an_awarded_framework_without_a_contract_runs_for_its_own_period():
    r = ready(compiled("fw", framework=True, classify=[("US-FEMA-PA", "A")], contracts=[]))
    (standby,) = need(r, "Debris").contracts
    assert standby.contract is None and standby.end.date() == dt.date(2028, 12, 31)
    assert standby.cover == readiness.COVERED and standby.name == standby.process.name


def test_the_guide_is_linked_only_when_the_city_publishes_it():
    assert ready().guide == ""
    assert ready(guides=("guides/emergency-list/index.html",)).guide == "guides/emergency-list/index.html"
