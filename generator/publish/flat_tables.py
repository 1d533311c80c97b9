"""The bulk downloads' CSV tables and their data dictionary. Pure: compiled releases in, rows out.

One table per kind of OCDS object (processes, tenders, lots, awards, award suppliers, contracts,
parties, links between processes) with one row per object, joined on `ocid` and the objects' ids. Every column is an OCDS
field, named in the dictionary by its path (`awards/value/amount`, as the standard's
documentation and Flatten Tool write them), so a reader can look up what it means.
A field that holds a list of values (roles, submission methods) gives them in one cell,
separated by semicolons. Cells are written by csv_text, which neutralises text a spreadsheet
would run as a formula; numbers from the data stay numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from generator.labels import N_
from generator.publish.csv_text import csv_bytes

SEPARATOR = ";"
BATCH = 500  # rows made into CSV text at a time


@dataclass(frozen=True)
class Column:
    name: str
    path: str  # the OCDS field, from the release's root: "awards/suppliers/id"
    description: str  # an English gettext message id (N_)


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's name, without .csv
    objects: str  # the path of the objects it lists, one per row ("" = the compiled release)
    description: str  # an English gettext message id (N_)
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, path: str, description: str) -> Column:
    return Column(name, path, description)


OCID = _c("ocid", "ocid", N_("The contracting process's identifier (Open Contracting ID): joins the tables."))


def _value(prefix: str, what: str) -> tuple[Column, ...]:
    return (_c("value_amount", f"{prefix}/value/amount", what),
            _c("value_currency", f"{prefix}/value/currency", N_("The currency of the amount (ISO 4217 code).")))


def _period(prefix: str, name: str, start: str, end: str) -> tuple[Column, ...]:
    return _c(f"{name}_start", f"{prefix}/startDate", start), _c(f"{name}_end", f"{prefix}/endDate", end)


RELATED = (
    _c("id", "relatedProcesses/id", N_("The link's identifier within the process.")),
    _c("relationship", "relatedProcesses/relationship", N_(
        "How the processes relate (relatedProcess codes, separated by ;): framework (an order under the "
        "agreement), prior (renews or replaces it), renewalProcess, replacementProcess, planning...")),
    _c("title", "relatedProcesses/title", N_("The other process's title.")),
    _c("scheme", "relatedProcesses/scheme", N_(
        "How the other process is identified: ocid (a process in this data), or the scheme of another "
        "agency's contract numbers (a cooperative contract).")),
    _c("identifier", "relatedProcesses/identifier", N_("The other process's ocid, or its contract number.")),
    _c("uri", "relatedProcesses/uri", N_("Where the other process is published.")),
)

TABLES: tuple[Table, ...] = (
    Table("processes", "", N_("One row per contracting process: its compiled release (the latest value of each field)."), (
        OCID,
        _c("id", "id", N_("The compiled release's identifier.")),
        _c("date", "date", N_("The date of the process's latest release.")),
        _c("initiation_type", "initiationType", N_("How the process started (tender).")),
        _c("language", "language", N_("The language of the texts (ISO 639-1 code).")),
        _c("buyer_id", "buyer/id", N_("The buying department's party id: joins parties.id within the process.")),
        _c("buyer_name", "buyer/name", N_("The buying department's name.")),
        _c("tender_title", "tender/title", N_("The title of the process.")),
        _c("tender_status", "tender/status", N_("The tender's status code (planned, active, complete, cancelled...).")),
        _c("planning_budget_amount", "planning/budget/amount/amount", N_("The budget set aside, when published.")),
        _c("planning_budget_currency", "planning/budget/amount/currency", N_("The currency of the budget.")),
    )),
    Table("tenders", "tender", N_("One row per tender: what the city asked for, how and until when."), (
        OCID,
        _c("id", "tender/id", N_("The tender's identifier (often the solicitation number).")),
        _c("title", "tender/title", N_("The tender's title.")),
        _c("description", "tender/description", N_("What is being bought.")),
        _c("status", "tender/status", N_("The tender's status code (planned, active, complete, cancelled...).")),
        _c("procurement_method", "tender/procurementMethod", N_("open, selective, limited or direct.")),
        _c("procurement_method_details", "tender/procurementMethodDetails", N_("The method in the city's own words.")),
        _c("main_procurement_category", "tender/mainProcurementCategory", N_("goods, works or services.")),
        *_value("tender", N_("The estimated value.")),
        *_period("tender/tenderPeriod", "tender_period", N_("When bids may first be submitted."),
                 N_("The deadline for bids.")),
        _c("enquiry_period_end", "tender/enquiryPeriod/endDate", N_("The deadline for questions.")),
        _c("submission_method", "tender/submissionMethod", N_("How bids are submitted (codes, separated by ;).")),
        _c("eligibility_criteria", "tender/eligibilityCriteria", N_("Who may bid.")),
        _c("number_of_tenderers", "tender/numberOfTenderers", N_("How many businesses bid.")),
        _c("procuring_entity_id", "tender/procuringEntity/id", N_("The party id of who runs the procurement.")),
        _c("procuring_entity_name", "tender/procuringEntity/name", N_("The name of who runs the procurement.")),
        _c("sme_suitable", "tender/suitability/sme", N_("true when the city says the tender suits small "
                                                          "businesses (suitability extension).")),
        _c("procurement_method_rationale", "tender/procurementMethodRationale", N_(
            "Why the method was used, in the city's words (for example why there was no competition).")),
        _c("procurement_method_rationale_ids", "tender/procurementMethodRationaleClassifications/id", N_(
            "The reasons for the method as codes of the city's scheme, such as the 2 CFR 200.320(c) exception "
            "(ids, separated by ;; procurement method rationale classifications extension).")),
        _c("additional_classification_ids", "tender/additionalClassifications/id", N_(
            "Other classifications of the whole tender, such as a disaster declaration or a FEMA category of work "
            "(ids, separated by ;; tender classification extension).")),
        _c("has_framework_agreement", "tender/techniques/hasFrameworkAgreement", N_(
            "true when the tender sets up a framework agreement or pool of firms that later orders are placed "
            "under (techniques extension).")),
        _c("framework_method", "tender/techniques/frameworkAgreement/method", N_(
            "How orders under the framework are given out: withReopeningCompetition (mini-competition), "
            "withoutReopeningCompetition (directly, e.g. by rotation) or withAndWithoutReopeningCompetition.")),
        _c("framework_maximum_participants", "tender/techniques/frameworkAgreement/maximumParticipants",
           N_("The most firms the framework agreement may hold.")),
        _c("framework_buyer_categories", "tender/techniques/frameworkAgreement/buyerCategories",
           N_("Who else may order under the framework agreement (for example other public agencies).")),
        *(_c(f"framework_{c.name}", c.path.replace("tender/", "tender/techniques/frameworkAgreement/", 1),
             c.description) for c in _value("tender", N_(
                 "The framework agreement's ceiling: the most that may be ordered under it, not money spent."))),
        *_period("tender/techniques/frameworkAgreement/period", "framework_period",
                 N_("When the framework agreement starts."), N_("When the framework agreement ends.")),
        _c("competitive", "tender/competitive", N_(
            "For an order under a framework agreement: true when it was competed among the firms on it.")),
    )),
    Table("lots", "tender/lots", N_("One row per lot of a tender (lots extension): parts of a tender bid for and "
                                    "awarded separately."), (
        OCID,
        _c("tender_id", "tender/id", N_("The tender's identifier.")),
        _c("id", "tender/lots/id", N_("The lot's identifier: joins awards.related_lots.")),
        _c("title", "tender/lots/title", N_("The lot's title.")),
        _c("description", "tender/lots/description", N_("What the lot covers.")),
        _c("status", "tender/lots/status", N_("The lot's status code.")),
        *_value("tender/lots", N_("The lot's estimated value.")),
        _c("sme_suitable", "tender/lots/suitability/sme", N_("true when the lot suits small businesses.")),
    )),
    Table("awards", "awards", N_("One row per award: who won, what it is worth."), (
        OCID,
        _c("id", "awards/id", N_("The award's identifier: joins award_suppliers.award_id and contracts.award_id.")),
        _c("title", "awards/title", N_("The award's title.")),
        _c("description", "awards/description", N_("What was awarded.")),
        _c("status", "awards/status", N_("pending, active (in force), cancelled or unsuccessful.")),
        _c("date", "awards/date", N_("When the award was decided.")),
        *_value("awards", N_("The awarded value.")),
        *_period("awards/contractPeriod", "contract_period", N_("When the awarded contract is to start."),
                 N_("When the awarded contract is to end.")),
        _c("related_lots", "awards/relatedLots", N_("The lots awarded (lot ids, separated by ;).")),
    )),
    Table("award_suppliers", "awards/suppliers", N_("One row per supplier of an award (an award may have several)."), (
        OCID,
        _c("award_id", "awards/id", N_("The award's identifier: joins awards.id.")),
        _c("id", "awards/suppliers/id", N_("The supplier's party id: joins parties.id within the process.")),
        _c("name", "awards/suppliers/name", N_("The supplier's name.")),
    )),
    Table("contracts", "contracts", N_("One row per contract signed."), (
        OCID,
        _c("id", "contracts/id", N_("The contract's identifier.")),
        _c("award_id", "contracts/awardID", N_("The award it carries out: joins awards.id.")),
        _c("title", "contracts/title", N_("The contract's title.")),
        _c("description", "contracts/description", N_("What the contract covers.")),
        _c("status", "contracts/status", N_("pending, active, cancelled or terminated.")),
        *_value("contracts", N_("The contract's value, after amendments.")),
        *_period("contracts/period", "period", N_("When the contract starts."), N_("When the contract ends.")),
        _c("period_max_extent", "contracts/period/maxExtentDate", N_(
            "The latest the contract may end, with every renewal or option used.")),
        _c("date_signed", "contracts/dateSigned", N_("When the contract was signed.")),
        _c("has_renewal", "contracts/hasRenewal", N_("true when the contract may be renewed (renewal extension).")),
        _c("maximum_renewals", "contracts/renewal/maximumRenewals", N_("The most times the contract may be renewed.")),
        _c("renewal_description", "contracts/renewal/description", N_("The renewal terms, in the city's words.")),
    )),
    Table("related_processes", "relatedProcesses", N_(
        "One row per link from a process to another (relatedProcesses): the framework agreement or cooperative "
        "contract an order is placed under, the earlier contract a tender renews or replaces, its planning."), (
        OCID,
        *RELATED,
    )),
    Table("contract_related_processes", "contracts/relatedProcesses", N_(
        "One row per link from a contract to another process (contracts/relatedProcesses), such as the process "
        "that renews or replaces it."), (
        OCID,
        _c("contract_id", "contracts/id", N_("The contract's identifier: joins contracts.id.")),
        *(_c(c.name, c.path.replace("relatedProcesses/", "contracts/relatedProcesses/", 1), c.description)
          for c in RELATED),
    )),
    Table("parties", "parties", N_("One row per organisation taking part in a process (its buyer, bidders, suppliers...)."), (
        OCID,
        _c("id", "parties/id", N_("The party's id within the process.")),
        _c("name", "parties/name", N_("The organisation's name.")),
        _c("roles", "parties/roles", N_("Its roles in the process (codes, separated by ;).")),
        _c("identifier_scheme", "parties/identifier/scheme", N_("The register of its identifier (e.g. US-EIN).")),
        _c("identifier_id", "parties/identifier/id", N_("Its identifier in that register: the same organisation "
                                                        "across processes.")),
        _c("identifier_legal_name", "parties/identifier/legalName", N_("Its legal name.")),
        _c("street_address", "parties/address/streetAddress", N_("Street address.")),
        _c("locality", "parties/address/locality", N_("City or town.")),
        _c("region", "parties/address/region", N_("State or region.")),
        _c("postal_code", "parties/address/postalCode", N_("Postal code.")),
        _c("country_name", "parties/address/countryName", N_("Country.")),
        _c("scale", "parties/details/scale", N_("Business size: micro, sme, large... (partyScale extension).")),
        _c("classifications", "parties/details/classifications/id", N_(
            "Its classifications, such as business certifications (ids, separated by ;; "
            "organizationClassification extension).")),
    )),
)

DICTIONARY_HEADER = ("table", "column", "ocds_path", "description")


def dictionary_rows() -> list[tuple[str, str, str, str]]:
    """The data dictionary: every column of every table and the OCDS field it holds."""
    return [(t.name, c.name, c.path, c.description) for t in TABLES for c in t.columns]


def dictionary_csv() -> bytes:
    return csv_bytes([DICTIONARY_HEADER, *dictionary_rows()])


def rows(table: Table, compiled: dict, plan: tuple | None = None) -> Iterator[list[str | int | float]]:
    """The rows one compiled release gives a table: one per object at `table.objects`. A cell is
    text (a string of the data, or a list of values joined) or a number the data holds as one."""
    plan = plan or _plan(table)
    for chain in _objects((compiled,), compiled, table.objects.split("/") if table.objects else ()):
        row = []
        for depth, keys in plan:  # the hot loop of the tables: dict lookups inline, _value for lists
            value = chain[depth]
            for key in keys:
                if type(value) is not dict:
                    value = _value(chain[depth], keys)
                    break
                value = value.get(key)
            row.append(value if type(value) is str else "" if value is None else _cell(value))
        yield row


def _plan(table: Table) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Where each column's value is: (how deep in the row's chain of objects, the keys from there).
    The chain is the release, then each object down to the row's (release, award, supplier), so a
    column may name a field of the row's object or of one above it (awards/id on a supplier's row)."""
    steps = table.objects.split("/") if table.objects else []
    levels = ["", *("/".join(steps[:n]) for n in range(1, len(steps) + 1))]
    plan = []
    for column in table.columns:
        depth = max(n for n, level in enumerate(levels) if not level or column.path.startswith(level + "/"))
        plan.append((depth, tuple(column.path[len(levels[depth]):].strip("/").split("/"))))
    return tuple(plan)


def _objects(chain: tuple, node, steps) -> Iterator[tuple]:
    """Each object at the path `steps` below `node`, with the objects above it."""
    if not steps:
        yield chain
        return
    child = node.get(steps[0]) if type(node) is dict else None
    for item in child if type(child) is list else (child,):
        if type(item) is dict:
            yield from _objects((*chain, item), item, steps[1:])


def _value(node, keys: tuple[str, ...]):
    """The value at `keys` below `node`. A list on the way (classifications) gives the values of
    each of its items, as a list."""
    for n, key in enumerate(keys):
        if type(node) is dict:
            node = node.get(key)
        elif type(node) is list:
            found = [_value(item, keys[n:]) for item in node]
            return [v for value in found for v in (value if type(value) is list else (value,)) if v is not None]
        else:
            return None
    return node


def _cell(value) -> str | int | float:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value  # a number: csv_text writes it as one
    if isinstance(value, list):  # text, whatever its values: "-1;2" is not a number
        return SEPARATOR.join(str(_cell(v)) for v in value if not isinstance(v, (dict, list)))
    return ""  # nothing, or an object where the standard has a value: not shown in a flat table


def could_have_rows(table: Table) -> Callable[[bytes], bool]:
    """Whether a compiled release, as compact JSON, may give the table rows, known without decoding
    it: not when no key of it is named as the table's objects are ("lots": a process without lots
    gives the lots table none). Decoding every process again for each table was most of their time."""
    if not table.objects:
        return lambda _: True
    name = b'"' + table.objects.rsplit("/", 1)[-1].encode() + b'":'
    return lambda compiled_json: name in compiled_json


def rows_csv(table: Table, compiled_releases: Iterable[dict]) -> tuple[bytes, int]:
    """The CSV of the rows some compiled releases give a table (no header), and how many rows."""
    plan = _plan(table)
    made = [row for compiled in compiled_releases for row in rows(table, compiled, plan)]
    return csv_bytes(made), len(made)


def table_csv(table: Table, compiled_releases: Iterable[dict], counted: Callable[[int], None]) -> Iterator[bytes]:
    """A table's CSV, a few hundred rows at a time; `counted(n)` is told of every n rows."""
    yield csv_bytes([table.header])
    batch: list[list] = []
    plan = _plan(table)
    for compiled in compiled_releases:
        batch.extend(rows(table, compiled, plan))
        if len(batch) >= BATCH:
            counted(len(batch))
            yield csv_bytes(batch)
            batch = []
    counted(len(batch))
    yield csv_bytes(batch)
