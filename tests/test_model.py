"""The view model: stages, deadlines, totals and organisations computed from compiled records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator.inputs.settings import Settings
from generator.publish.jobs import paginate
from generator.records import ChunkCache, CompiledRecord
from generator.site.assemble import build_site, process_views
from generator.site.process import (
    AWARDED,
    CANCELLED,
    CONTRACTED,
    EVALUATION,
    FORECAST,
    OPEN,
    UNSUCCESSFUL,
    build_process,
    classify,
)
from generator.values import Money, parse_datetime, safe_url, sum_by_currency

TODAY = dt.date(2026, 11, 16)
TZ = ZoneInfo("America/Chicago")
SETTINGS = Settings(city_name="Testville", ocid_prefixes=("ocds-test01",), publisher_name="Testville",
                    timezone="America/Chicago")


def tender(status="active", end="2026-11-20T14:00:00-06:00", **extra):
    return {"id": "t", "status": status, "title": "Work", "tenderPeriod": {"startDate": "2026-11-01T09:00:00-06:00",
                                                                         "endDate": end}, **extra}


def record(ocid, compiled, releases=None):
    compiled = {"ocid": ocid, **compiled}
    return CompiledRecord(ocid, tuple(releases or [{"id": "1", "date": "2026-11-01T09:00:00-06:00", "tag": ["tender"]}]),
                          compiled, ("f.json",))


@pytest.mark.parametrize("compiled, expected", [
    ({"tender": tender()}, OPEN),
    ({"tender": tender(end="2026-11-16T23:00:00-06:00")}, OPEN),  # closes later today
    ({"tender": tender(end="2026-11-15T14:00:00-06:00")}, EVALUATION),
    ({"tender": tender(status="complete")}, EVALUATION),
    ({"tender": tender(status="planned")}, FORECAST),
    ({"tag": ["planning"]}, FORECAST),
    ({"tender": tender(status="cancelled")}, CANCELLED),
    ({"tender": tender(status="unsuccessful")}, UNSUCCESSFUL),
    ({"tender": tender(status="complete"), "awards": [{"id": "a", "status": "active"}]}, AWARDED),
    ({"tender": tender(status="complete"), "awards": [{"id": "a", "status": "pending"}]}, EVALUATION),
    ({"tender": tender(status="complete"), "awards": [{"id": "a", "status": "active"}],
      "contracts": [{"id": "c", "status": "active"}]}, CONTRACTED),
])
def test_stage_of_a_process(compiled, expected):
    end = (compiled.get("tender") or {}).get("tenderPeriod", {}).get("endDate")
    assert classify(compiled, parse_datetime(end, TZ), TODAY, frozenset(compiled.get("tag", []))) == expected


def test_dates_are_read_in_the_city_time_zone():
    parsed = parse_datetime("2026-11-20T20:00:00Z", TZ)
    assert parsed.tzinfo is not None and parsed.utcoffset() == dt.timedelta(hours=-6)
    assert parsed.hour == 14
    assert parse_datetime("not a date", TZ) is None
    assert parse_datetime("2026-11-20", TZ).tzinfo is not None


def test_only_http_urls_become_links():
    assert safe_url("https://example.gov/a.pdf") == "https://example.gov/a.pdf"
    assert safe_url("javascript:alert(1)") == ""
    assert safe_url("data:text/html,<b>") == ""
    assert safe_url(None) == ""


def test_amounts_are_never_added_across_currencies():
    totals = sum_by_currency([Money(Decimal(10), "USD"), Money(Decimal(5), "EUR"), Money(Decimal("2.5"), "USD"), None])
    assert totals == (Money(5, "EUR"), Money(12.5, "USD"))


def test_site_listings_and_numbers():
    buyer = {"id": "PW", "name": "Public Works", "roles": ["buyer"], "contactPoint": {"email": "pw@x.gov"}}
    acme = {"id": "ACME", "name": "Acme", "roles": ["supplier"], "details": {"scale": "sme",
            "classifications": [{"scheme": "X", "id": "WBE", "description": "Women-owned"}]}}
    records = [
        record("ocds-test01-1", {"tender": tender(end="2026-11-18T14:00:00-06:00"), "parties": [buyer],
                                 "buyer": {"id": "PW", "name": "Public Works"}}),
        record("ocds-test01-2", {"tender": tender(end="2026-12-30T14:00:00-06:00"), "parties": [buyer],
                                 "buyer": {"id": "PW", "name": "Public Works"}}),
        record("ocds-test01-3", {"tender": tender(status="planned", end="2027-01-30T14:00:00-06:00")}),
        record("ocds-test01-4", {"tender": tender(status="complete"), "parties": [buyer, acme],
                                 "buyer": {"id": "PW", "name": "Public Works"},
                                 "awards": [{"id": "a1", "status": "active", "date": "2026-10-01T00:00:00-05:00",
                                             "value": {"amount": 1000, "currency": "USD"},
                                             "suppliers": [{"id": "ACME", "name": "Acme"}]}]}),
        record("ocds-test01-5", {"tender": tender(status="complete"), "parties": [acme],
                                 "awards": [{"id": "a2", "status": "active", "date": "2026-11-01T00:00:00-05:00",
                                             "value": {"amount": 50, "currency": "EUR"},
                                             "suppliers": [{"id": "ACME", "name": "Acme"}]}]}),
    ]
    site = build_site(records, SETTINGS, TODAY, ())
    assert [p.ocid for p in site.open_now] == ["ocds-test01-1", "ocds-test01-2"]
    assert [p.ocid for p in site.closing_soon] == ["ocds-test01-1"]
    assert [p.ocid for p in site.open_later] == ["ocds-test01-2"]
    assert site.closing_soon[0].days_left == 2
    assert [p.ocid for p in site.opportunities] == ["ocds-test01-1", "ocds-test01-2", "ocds-test01-3"]
    assert [r.award.id for r in site.awards] == ["a2", "a1"]  # newest first
    assert site.numbers.awarded == (Money(50, "EUR"), Money(1000, "USD"))
    (supplier,) = site.suppliers
    assert supplier.name == "Acme" and supplier.scale == "sme" and supplier.certifications == ("Women-owned",)
    assert supplier.totals == (Money(50, "EUR"), Money(1000, "USD"))
    (department,) = site.buyers
    assert len(department.processes) == 3 and department.contact.email == "pw@x.gov"
    assert site.stage_counts[OPEN] == 2 and site.stage_counts[FORECAST] == 1 and site.stage_counts[AWARDED] == 2


def test_view_model_is_frozen():
    site = build_site([record("ocds-test01-1", {"tender": tender()})], SETTINGS, TODAY, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.processes[0].title = "changed"


def test_pagination_keeps_every_item_once():
    pages = paginate(tuple(range(12)), 5)
    assert [len(p) for p in pages] == [5, 5, 2]
    assert sum(pages, ()) == tuple(range(12))
    assert paginate((), 5) == [()]


def test_amounts_are_exact_and_any_size():
    from generator.values import money
    assert sum_by_currency([money({"amount": 0.1, "currency": "USD"}), money({"amount": 0.2, "currency": "USD"})]) \
        == (Money(Decimal("0.3"), "USD"),)
    assert money({"amount": 2**70, "currency": "USD"}).amount == Decimal(2**70)
    assert money({"amount": float("inf"), "currency": "USD"}) is None
    assert money({"amount": "100", "currency": "USD"}) is None


def test_a_planning_only_process_is_a_forecast():
    planning = record("ocds-test01-9", {"tag": ["compiled"], "planning": {"rationale": "Replace roofs"}},
                      [{"id": "1", "date": "2026-10-01T00:00:00-05:00", "tag": ["planning"]}])
    (process,) = build_site([planning], SETTINGS, TODAY, ()).processes
    assert process.stage == FORECAST


def test_references_to_missing_parties_do_not_link_to_missing_pages():
    compiled = {"tender": tender(status="complete"), "buyer": {"id": "nobody", "name": "Nobody"},
                "parties": [{"id": "S1", "name": "Real Supplier", "roles": ["supplier"]}],
                "awards": [{"id": "a", "status": "active", "suppliers": [{"id": "ghost", "name": "Ghost"},
                                                                         {"id": "S1", "name": "Real Supplier"}]}]}
    site = build_site([record("ocds-test01-1", compiled)], SETTINGS, TODAY, ())
    process = site.processes[0]
    assert process.buyer.name == "Nobody" and process.buyer.path == ""
    ghost, real = process.awards[0].suppliers
    assert ghost.path == "" and real.path == site.suppliers[0].path
    assert [o.name for o in site.suppliers] == ["Real Supplier"] and site.buyers == ()


def test_organisations_are_keyed_by_identifier_across_processes():
    def supplier(party_id, name, date):
        party = {"id": party_id, "name": name, "roles": ["supplier"],
                 "identifier": {"scheme": "US-EIN", "id": "12-3456789"}}
        return record(f"ocds-test01-{party_id}", {
            "tender": tender(status="complete"), "parties": [party],
            "awards": [{"id": "a", "status": "active", "suppliers": [{"id": party_id, "name": name}]}]},
            [{"id": "1", "date": date, "tag": ["award"]}])
    site = build_site([supplier("org-1", "Acme Old Name", "2025-01-01T00:00:00-06:00"),
                       supplier("org-9", "Acme Paving LLC", "2026-01-01T00:00:00-06:00")], SETTINGS, TODAY, ())
    (acme,) = site.suppliers
    assert acme.key == "US-EIN-12-3456789" and acme.name == "Acme Paving LLC" and len(acme.awards) == 2


def test_notes_say_what_a_record_lacks():
    compiled = {"tender": {"id": "t", "status": "active", "title": "Work"},
                "awards": [{"id": "a", "status": "active"}], "contracts": [{"id": "c", "value": {"amount": 1, "currency": "USD"}}]}
    (process,) = build_site([record("ocds-test01-1", compiled)], SETTINGS, TODAY, ()).processes
    assert process.notes == ("no-deadline", "no-documents", "no-contact", "award-no-value")
    site = build_site([record("ocds-test01-1", compiled)], SETTINGS, TODAY, ())
    assert dict(site.note_counts) == {"award-no-value": 1, "no-contact": 1, "no-deadline": 1, "no-documents": 1}


def test_the_home_page_shows_the_first_ten_bids_closing_soon_and_counts_them_all():
    records = [record(f"ocds-test01-{n:02d}", {"tender": tender(end=f"2026-11-{17 + n % 5}T14:00:00-06:00")})
               for n in range(12)]
    site = build_site(records, SETTINGS, TODAY, ())
    assert len(site.closing_soon) == 12
    assert site.home_closing_soon == site.closing_soon[:10]
    deadlines = [p.deadline for p in site.home_closing_soon]
    assert deadlines == sorted(deadlines)


def test_a_department_page_shows_its_ten_soonest_open_bids():
    buyer = {"id": "B", "name": "Works", "roles": ["buyer"]}
    records = [record(f"ocds-test01-{n:02d}", {"tender": tender(end=f"2026-12-{10 + n:02d}T14:00:00-06:00"),
                                               "buyer": {"id": "B", "name": "Works"}, "parties": [buyer]})
               for n in range(12)]
    (department,) = build_site(records, SETTINGS, TODAY, ()).buyers
    assert len(department.open_bids) == 12
    assert [p.ocid for p in department.first_open_bids] == [f"ocds-test01-{n:02d}" for n in range(10)]


# --- processes' views kept between builds (site.assemble.process_views) ---------------------------

def _views_of(records, kept: dict, made: list, salt: bytes = b"salt", as_kept: bool = False):
    def make(r):
        made.append(r.ocid)
        return build_process(r, TODAY, TZ)
    def read(key):  # as inputs.compile_cache reads what was kept pickled
        return pickle.loads(kept[key]) if key in kept else None
    return process_views(records, make, ChunkCache(salt, read, kept.__setitem__), as_kept)


def _kept_records(titles: dict[str, str]) -> list[CompiledRecord]:
    """Records of two compile chunks (CompiledRecord.made_from): a chunk's key is made of its titles."""
    chunks = {"a": ("ocds-test01-1", "ocds-test01-2"), "b": ("ocds-test01-3",)}
    awarded = {"tender": tender(status="complete"), "awards": [{"id": "a", "status": "active", "suppliers": [
        {"id": "S1", "name": "Acme"}], "value": {"amount": 5, "currency": "USD"}}]}  # its stage, "awarded", is a field's name
    return [dataclasses.replace(record(ocid, {**awarded, "tender": tender(status="complete", title=titles.get(ocid, "Work"))}
                                       if ocid.endswith("2") else {"tender": tender(title=titles.get(ocid, "Work"))}),
                                made_from=name + "".join(titles.get(o, "") for o in ocids))
            for name, ocids in chunks.items() for ocid in ocids]


def test_a_chunk_s_views_are_taken_from_the_cache_while_its_records_are_the_same():
    kept: dict[str, bytes] = {}
    fresh = {r.ocid: build_process(r, TODAY, TZ) for r in _kept_records({})}
    first = _views_of(_kept_records({}), kept, made := [])
    assert first == fresh and made == list(fresh) and len(kept) == 2
    again = _views_of(_kept_records({}), kept, made := [])
    assert again == fresh and made == []
    changed = _views_of(_kept_records({"ocds-test01-3": "Roof (changed)"}), kept, made := [])
    assert made == ["ocds-test01-3"] and changed["ocds-test01-3"].title == "Roof (changed)"
    assert changed["ocds-test01-1"] == fresh["ocds-test01-1"]
    _views_of(_kept_records({}), kept, made := [], salt=b"another day or code")
    assert made == list(fresh)  # what else decides a view (its salt) changed: all made again


def test_a_damaged_kept_view_or_one_missing_a_process_is_made_again():
    kept: dict[str, bytes] = {}
    _views_of(_kept_records({}), kept, [])
    for key in kept:
        kept[key] = pickle.dumps({"ocds-test01-1": "not a view"})
    again = _views_of(_kept_records({}), kept, made := [])
    assert made == ["ocds-test01-1", "ocds-test01-2", "ocds-test01-3"]
    assert again == {r.ocid: build_process(r, TODAY, TZ) for r in _kept_records({})}
    unkeyed = [dataclasses.replace(r, made_from="") for r in _kept_records({})]
    _views_of(unkeyed, kept := {}, made := [])
    assert made == [r.ocid for r in unkeyed] and kept == {}  # compiled without a chunk key: nothing kept


def test_views_made_as_kept_are_digested_as_the_next_build_reads_them():
    """A page's digest pickles the views it shows: a build keeping digests uses its views as the next
    build reads them back, or each page would be made again once (an unpickled string is not the
    interned one a fresh view holds)."""
    kept: dict[str, bytes] = {}
    made_here = _views_of(_kept_records({}), kept, [], as_kept=True)
    read_back = _views_of(_kept_records({}), kept, made := [], as_kept=True)
    assert made == [] and made_here == read_back
    assert [pickle.dumps(made_here[o], 5) for o in made_here] == [pickle.dumps(read_back[o], 5) for o in read_back]
    assert pickle.dumps(made_here, 5) == pickle.dumps(read_back, 5)  # a list of them too: keyed by the same strings
