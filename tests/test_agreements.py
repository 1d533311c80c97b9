"""Framework terms, renewals, options, items and tender classifications as the view model reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from generator.site import agreements
from generator.site.contracts import contract
from generator.site.texts import Clipper
from generator.values import Money

TZ = ZoneInfo("America/Chicago")


def test_framework_terms_only_when_the_tender_says_it_has_one():
    tender = {"techniques": {"hasFrameworkAgreement": True, "frameworkAgreement": {
        "method": "withReopeningCompetition", "minimumParticipants": 3, "maximumParticipants": 2.5,
        "buyerCategories": "Other public agencies in the county", "value": {"amount": 900000, "currency": "USD"},
        "period": {"startDate": "2026-01-01T00:00:00-06:00", "endDate": "2027-12-31T00:00:00-06:00"}}}}
    terms = agreements.framework(tender, TZ, Clipper())
    assert terms.method == "withReopeningCompetition" and terms.minimum == 3 and terms.maximum is None
    assert terms.ceiling == Money(Decimal(900000), "USD")
    assert terms.period.end == dt.datetime(2027, 12, 31, tzinfo=TZ)
    assert terms.buyer_categories == "Other public agencies in the county"
    assert agreements.framework({"techniques": {"hasFrameworkAgreement": False, "frameworkAgreement": {}}},
                                TZ, Clipper()) is None
    assert agreements.framework({"techniques": "yes"}, TZ, Clipper()) is None


def test_a_contract_reads_its_last_day_renewals_options_and_items():
    c = contract({"id": "c1", "period": {"endDate": "2027-06-30T00:00:00-05:00", "maxExtentDate": "2029-06-30T00:00:00-05:00"},
                  "hasRenewal": True, "renewal": {"maximumRenewals": 2, "minimumRenewals": True,
                                                  "period": {"durationInDays": 365}},
                  "hasOptions": False, "options": {"description": "ignored"},
                  "items": [{"description": "Debris removal", "quantity": 50000, "classification": {"id": "76111500"},
                             "unit": {"name": "cubic yard", "value": {"amount": 8.5, "currency": "USD"}}},
                            {"quantity": True}]}, TZ, Clipper())
    assert c.last_day == dt.datetime(2029, 6, 30, tzinfo=TZ) and c.end == dt.datetime(2027, 6, 30, tzinfo=TZ)
    assert c.renewal.maximum == 2 and c.renewal.minimum is None and c.renewal.period.days == 365
    assert c.options is None
    assert [(i.quantity, i.unit, i.rate, i.classification) for i in c.items] == [
        (50000, "cubic yard", Money(Decimal("8.5"), "USD"), "76111500"), (None, "", None, "")]
    plain = contract({"id": "c2", "period": {"endDate": "2027-01-01T00:00:00Z"}}, TZ, Clipper())
    assert plain.last_day == plain.end and plain.renewal is None


def test_classifications_keep_those_with_an_id_and_only_web_uris():
    found = agreements.classifications([{"scheme": "US-FEMA-DR", "id": "DR-4520-WI", "uri": "javascript:x"},
                                        {"scheme": "US-FEMA-PA", "description": "no id"}, "junk"], Clipper())
    assert found == (agreements.Classification("US-FEMA-DR", "DR-4520-WI", "", ""),)
    assert agreements.roles_of({"parties": [{"name": "FEMA", "roles": ["funder"]}, {"name": "X", "roles": "funder"},
                                            {"id": "b", "roles": ["buyer"]}]}, "funder") == ("FEMA",)
