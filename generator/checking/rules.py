"""OCDS rules the schema can't express, as a buyer would explain them. Pure: values in, problems out.

Release-level checks run on each release as read; process-level checks (currencies) run on
all releases of one ocid.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from generator.checking.schema_index import values_at
from generator.context import city_midnight
from generator.errors import Location, Problem, error, json_pointer, warning
from generator.inputs.parsing import SourceRelease
from generator.values import MAX_AMOUNT, parse_datetime

# Organisation references and the role their party must have.
REFERENCES = (
    (("buyer",), "buyer"),
    (("tender", "procuringEntity"), "procuringEntity"),
    (("tender", "tenderers", "*"), "tenderer"),
    (("awards", "*", "suppliers", "*"), "supplier"),
    (("contracts", "*", "implementation", "transactions", "*", "payer"), "payer"),
    (("contracts", "*", "implementation", "transactions", "*", "payee"), "payee"),
)
# Where amounts live: objects with "amount" and "currency".
VALUES = (
    ("planning", "budget", "amount"),
    ("tender", "value"),
    ("tender", "minValue"),
    ("tender", "lots", "*", "value"),
    ("awards", "*", "value"),
    ("contracts", "*", "value"),
    ("contracts", "*", "implementation", "transactions", "*", "value"),
)
# What a tag promises the release contains.
TAG_NEEDS = {"planning": ("planning", "tender"), "tender": ("tender",), "tenderAmendment": ("tender",),
             "award": ("awards",), "awardUpdate": ("awards",), "contract": ("contracts",),
             "contractAmendment": ("contracts",), "implementation": ("contracts",)}


class Checker:
    """`today` is the build's day in the city (None: unknown, and no date is called future)."""

    def __init__(self, ocid_prefixes: tuple[str, ...], today: dt.date | None, timezone: str):
        self.prefixes = tuple(p + "-" for p in ocid_prefixes)
        self.tz = ZoneInfo(timezone)
        # Midnight at the end of the build's day: anything dated from then on is in the future.
        self.end_of_today = city_midnight(today + dt.timedelta(days=1), timezone) if today else None

    def release(self, release: SourceRelease) -> list[Problem]:
        data = release.data
        if not isinstance(data, dict):
            return []
        problems: list[Problem] = []
        add = problems.append

        def where(path):
            return release.location(json_pointer(path))

        date = parse_datetime(data.get("date"), self.tz)
        if date and self.end_of_today and date >= self.end_of_today:
            add(error("date-in-future", f"The release date {data['date']} is after today.", where(("date",)),
                      "Change the date to when this notice is published: today or earlier."))
        tender = data.get("tender") if isinstance(data.get("tender"), dict) else {}
        period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
        opened, closes = parse_datetime(period.get("startDate"), self.tz), parse_datetime(period.get("endDate"), self.tz)
        if opened and closes and closes < opened:
            add(warning("tender-period-order", "The tender closes before it opens: tenderPeriod.endDate "
                      f"{period['endDate']} is before startDate {period['startDate']}.",
                      where(("tender", "tenderPeriod", "endDate")), "Swap the two dates, or correct the one that is wrong."))
        for path, award_date in values_at(data, ("awards", "*", "date")):
            awarded = parse_datetime(award_date, self.tz)
            if awarded and opened and awarded < opened:
                add(warning("award-before-tender", f"The award is dated {award_date}, before the tender opened on "
                          f"{period['startDate']}.", where(path), "Correct the award's date to the day it was decided, on or after the day the "
                          "tender opened."))
        for path, contract_period in values_at(data, ("contracts", "*", "period")):
            if isinstance(contract_period, dict):
                start, end = parse_datetime(contract_period.get("startDate"), self.tz), parse_datetime(contract_period.get("endDate"), self.tz)
                if start and end and end < start:
                    add(warning("contract-period-order", "The contract ends before it starts.", where((*path, "endDate")),
                              "Swap the two dates, or correct the one that is wrong."))
        problems += self._references(data, where)
        problems += self._amounts(data, where)
        problems += self._tags(data, where)
        return problems

    def _references(self, data: dict, where) -> list[Problem]:
        parties = {p.get("id"): (i, p) for i, p in enumerate(data["parties"] if isinstance(data.get("parties"), list) else [])
                   if isinstance(p, dict) and isinstance(p.get("id"), str)}
        problems = []
        for path, role in REFERENCES:
            for ref_path, ref in values_at(data, path):
                if not isinstance(ref, dict):
                    continue
                name = ref.get("name") if isinstance(ref.get("name"), str) and ref["name"] else None
                if not isinstance(ref.get("id"), str) or not ref["id"]:
                    problems.append(warning("party-reference-no-id", f"{name or 'An organisation'!r} is "
                                            f"named as {role} without an id, so it can't be matched to parties.",
                                            where(ref_path), "Add the id of its entry in \"parties\"."))
                    continue
                name = name or ref["id"]
                roles = parties[ref["id"]][1].get("roles") if ref["id"] in parties else None
                if ref["id"] not in parties:
                    problems.append(warning("party-missing", f"{name!r} (id {ref['id']!r}) is named as {role} but is not "
                                          "listed in this release's parties.", where((*ref_path, "id")),
                                          f"Add an entry to \"parties\" with id {ref['id']!r} and the role \"{role}\"."))
                elif not isinstance(roles, list) or role not in roles:  # "roles": 5 is a schema error, said there
                    index = parties[ref["id"]][0]
                    problems.append(warning("party-role-missing", f"{name!r} is named as {role}, but parties[{index}] "
                                          f"does not have the role \"{role}\".", where((*ref_path, "id")),
                                          f"Add \"{role}\" to the roles of parties[{index}]."))
        return problems

    def _amounts(self, data: dict, where) -> list[Problem]:
        problems = []
        for path in VALUES:
            for value_path, value in values_at(data, path):
                amount = value.get("amount") if isinstance(value, dict) else None
                if not isinstance(amount, (int, float)) or isinstance(amount, bool):
                    continue
                if value["amount"] < 0:
                    problems.append(error("amount-negative", f"The amount {value['amount']} is negative.",
                                          where((*value_path, "amount")), "Remove the minus sign; for a reduction, "
                                          "write the new, lower total."))
                if abs(value["amount"]) >= MAX_AMOUNT:
                    problems.append(warning("amount-too-large", f"The amount {value['amount']:,.0f} is larger than "
                                            "any real amount, so it is not shown or counted in any total.",
                                            where((*value_path, "amount")), "Retype the amount as a plain number "
                                            "(often digits were typed twice, or a reference number went here)."))
                if value.get("currency") is None:
                    problems.append(error("amount-no-currency", f"The amount {value['amount']} has no currency.",
                                          where((*value_path, "currency")), "Add the currency beside the amount, as "
                                          "its three-letter code: currency: USD."))
        return problems

    def _tags(self, data: dict, where) -> list[Problem]:
        tags = [t for t in data.get("tag") or [] if isinstance(t, str)] if isinstance(data.get("tag"), list) else []
        problems = []
        for tag in tags:
            needs = TAG_NEEDS.get(tag)
            if needs and not any(data.get(section) for section in needs):
                problems.append(warning("tag-mismatch", f"The release is tagged {tag!r} but has no {needs[0]} section.",
                                        where(("tag",)), f"Fill in the {needs[0]} part of this notice, as its "
                                        "template has it."))
        return problems


def ocid_prefixes(checker: Checker, data_file) -> list[Problem]:
    """Ocids outside the city's prefixes, once per file with a count: the usual cause is one
    setting (the prefix in content/site.yml), not every release. Without prefixes, none is checked."""
    if not checker.prefixes:
        return []
    outside = [r for r in data_file.releases if isinstance(r.get("ocid"), str)
               and not r.get("ocid").startswith(checker.prefixes)]
    if not outside:
        return []
    first = outside[0]
    where = Location(data_file.path, first.line if data_file.path.endswith(".jsonl") else None, first.item,
                     pointer=first.pointer + "/ocid")
    expected = " or ".join(checker.prefixes)
    count = len(outside)
    return [warning("ocid-prefix", f"{count:,} of the {len(data_file.releases):,} releases in this file "
                    f"{'has an ocid' if count == 1 else 'have ocids'} that {'does' if count == 1 else 'do'} not start "
                    f"with {expected}, e.g. {first.get('ocid')!r}.", where,
                    "If these are the city's ocids, set ocid_prefix in content/site.yml to their prefix (a list "
                    "when there are several), or to null for legacy ocids without a registered prefix. "
                    "Otherwise, correct the ocids.")]


def currencies(releases: list[SourceRelease]) -> list[Problem]:
    """A process whose amounts use more than one currency (a warning: totals can't be added)."""
    seen: set[str] = set()
    for release in releases:
        data = release.data
        if not isinstance(data, dict):
            continue
        for path in VALUES:
            for _, value in values_at(data, path):
                if isinstance(value, dict) and isinstance(value.get("currency"), str):
                    seen.add(value["currency"])
    if len(seen) < 2:
        return []
    first = releases[0]
    return [warning("currency-mixed", f"This process uses several currencies ({', '.join(sorted(seen))}); their "
                    "amounts are shown separately and never added.", first.location(),
                    "Correct any currency typed by mistake; several currencies are fine when they are real.")]
