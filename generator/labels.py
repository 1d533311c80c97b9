"""Plain-language labels for OCDS codes and the model's stages.

Each label is an English gettext message id, marked with `N_` so translation tools extract it;
templates show `label(kind, code)`, which translates it. A code without a label is shown as is.
"""

from __future__ import annotations

import re


def N_(message: str) -> str:  # noqa: N802 - the conventional name of gettext_noop
    return message


LABELS: dict[str, dict[str, str]] = {
    "stage": {
        "forecast": N_("Coming up"),
        "open": N_("Open for bids"),
        "evaluation": N_("Closed, under evaluation"),
        "awarded": N_("Awarded"),
        "contracted": N_("Under contract"),
        "cancelled": N_("Cancelled"),
        "unsuccessful": N_("No award made"),
        "lapsed": N_("No longer current"),
    },
    # How another process relates to this one (site.relations.Relations.others): "<kind>-earlier"
    # when this one follows it, "<kind>-later" when it follows this one.
    "relation": {
        "planning-earlier": N_("Planned in"),
        "planning-later": N_("Put out to bid as"),
        "follow-on-earlier": N_("Renews or replaces"),
        "follow-on-later": N_("Renewed or replaced by"),
        "renewal-earlier": N_("Renews"),
        "renewal-later": N_("Renewed by"),
        "replacement-earlier": N_("Replaces"),
        "replacement-later": N_("Replaced by"),
        "retender-earlier": N_("Tried again after"),
        "retender-later": N_("Tried again as"),
        "subcontract-earlier": N_("A sub-contract of"),
        "subcontract-later": N_("Has the sub-contract"),
    },
    "method": {
        "open": N_("Open to all bidders"),
        "selective": N_("Only pre-qualified bidders"),
        "limited": N_("Limited: the city invites chosen suppliers"),
        "direct": N_("Direct award: no competition"),
        # Not codes: how an order under an agreement was bought (site.buying), where a list groups by method.
        "cooperative": N_("Cooperative contract of another agency"),
        "call-off": N_("Order under a framework agreement"),
    },
    "tag": {
        "planning": N_("Plans announced"),
        "planningUpdate": N_("Plans updated"),
        "tender": N_("Notice published"),
        "tenderAmendment": N_("Addendum"),
        "tenderUpdate": N_("Notice updated"),
        "tenderCancellation": N_("Cancelled"),
        "award": N_("Award announced"),
        "awardUpdate": N_("Award updated"),
        "awardCancellation": N_("Award cancelled"),
        "contract": N_("Contract signed"),
        "contractUpdate": N_("Contract updated"),
        "contractAmendment": N_("Contract amended"),
        "implementation": N_("Work and payments"),
        "implementationUpdate": N_("Work and payments updated"),
        "contractTermination": N_("Contract ended"),
        "compiled": N_("Summary"),
    },
    "status": {
        "active": N_("Active"),
        "pending": N_("Pending"),
        "cancelled": N_("Cancelled"),
        "unsuccessful": N_("Unsuccessful"),
        "terminated": N_("Ended"),
    },
    # A tender's own status (tender.status), as "What changed" names it.
    "tender_status": {
        "planning": N_("Being planned"),
        "planned": N_("Planned"),
        "active": N_("Open for bids"),
        "cancelled": N_("Cancelled"),
        "unsuccessful": N_("No award made"),
        "complete": N_("Complete"),
        "withdrawn": N_("Withdrawn"),
    },
    "scale": {
        "micro": N_("Micro business"),
        "sme": N_("Small or medium-sized business"),
        "small": N_("Small business"),
        "medium": N_("Medium-sized business"),
        "large": N_("Large business"),
        "selfEmployed": N_("Self-employed"),
    },
    "criteria": {
        "priceOnly": N_("lowest responsive price wins"),
        "costOnly": N_("lowest total cost over the contract's life wins"),
        "qualityOnly": N_("best-qualified firm wins; the price is negotiated after"),
        "ratedCriteria": N_("highest score on quality and price wins"),
        "lowestCost": N_("lowest responsive price wins"),
        "bestProposal": N_("best proposal wins"),
        "bestValueToGovernment": N_("best value for the city wins"),
        "singleBidOnly": N_("the only bid received wins"),
    },
    "method_help": {
        "open": N_("Any business may bid. The bid documents say how bids are evaluated, including any preference."),
        "selective": N_("Only businesses the city has qualified may bid. Apply to be qualified first."),
        "limited": N_("The city asks a few suppliers of its choosing to bid."),
        "direct": N_("The city buys from one supplier without competition and must explain why."),
    },
    "submission": {
        "electronicSubmission": N_("Online"),
        "electronicAuction": N_("Online auction"),
        "written": N_("In writing (mail or delivery)"),
        "inPerson": N_("In person (sealed bid)"),
    },
    "electronic": {
        "required": N_("Bids must be submitted online."),
        "allowed": N_("Bids may be submitted online or on paper."),
        "notAllowed": N_("Bids must be submitted on paper; online bids are not accepted."),
    },
    "milestone": {
        "engagement": N_("Meeting with bidders"),
        "preProcurement": N_("Before the solicitation"),
        "approval": N_("Approval"),
        "assessment": N_("Evaluation"),
        "delivery": N_("Delivery"),
    },
    "document": {
        "plannedProcurementNotice": N_("Advance notice"),
        "tenderNotice": N_("Public notice"),
        "biddingDocuments": N_("Bid documents"),
        "technicalSpecifications": N_("Specifications"),
        "evaluationCriteria": N_("Evaluation criteria"),
        "eligibilityCriteria": N_("Eligibility requirements"),
        "contractDraft": N_("Draft contract"),
        "clarifications": N_("Questions and answers"),
        "billOfQuantity": N_("Price schedule"),
        "submissionDocuments": N_("Forms to submit"),
        "illustration": N_("Drawings or pictures"),
        "riskProvisions": N_("Risks and insurance"),
        "conflictOfInterest": N_("Conflict of interest"),
        "environmentalImpact": N_("Environmental impact"),
        "marketStudies": N_("Market research"),
        "cancellationDetails": N_("Cancellation notice"),
        "evaluationReports": N_("Evaluation report"),
        "awardNotice": N_("Award notice"),
        "contractNotice": N_("Contract notice"),
        "contractSigned": N_("Signed contract"),
        "completionCertificate": N_("Completion certificate"),
        "shortlistedFirms": N_("Shortlisted firms"),
        "winningBid": N_("Winning bid"),
        "bidders": N_("List of bidders"),
        "debarments": N_("Exclusion check (suspension and debarment)"),
        "costPriceAnalysis": N_("Cost or price analysis"),
        "federalContractClauses": N_("Federal contract clauses"),
        "smallBusinessOutreach": N_("Outreach to small, minority- and women-owned firms"),
    },
    "document_help": {
        "plannedProcurementNotice": N_("Early word of a purchase, so you can get ready before it opens."),
        "tenderNotice": N_("The official announcement: what is being bought, the deadline and where to bid."),
        "biddingDocuments": N_("Instructions, forms and terms: what you need to prepare and submit a bid."),
        "technicalSpecifications": N_("Exactly what must be delivered or built, and to what standard."),
        "evaluationCriteria": N_("How bids will be scored and compared."),
        "eligibilityCriteria": N_("Who may bid: licences, registration, experience."),
        "contractDraft": N_("The contract you would sign if you win; read it before you bid."),
        "clarifications": N_("The city's answers to bidders' questions; they are part of the bid documents."),
        "billOfQuantity": N_("The quantities you put prices against."),
        "submissionDocuments": N_("Forms that must come with your bid."),
        "cancellationDetails": N_("Why the city cancelled this solicitation."),
        "evaluationReports": N_("How the bids were evaluated and why."),
        "awardNotice": N_("Who won and for how much."),
        "contractSigned": N_("The contract as signed, with any amendments."),
    },
    "note": {
        "no-deadline": N_("No deadline has been published."),
        "no-documents": N_("No documents have been published."),
        "no-contact": N_("No contact for questions has been published."),
        "award-no-value": N_("An award has no value published."),
        "contract-no-value": N_("A contract has no value published."),
    },
    # How a process was bought (site.buying.way), as the spending page's method chart names it.
    "buying": {
        "open": N_("Open competition"),
        "selective": N_("Pre-qualified bidders only"),
        "limited": N_("Limited: invited suppliers"),
        "direct": N_("Sole source: one supplier, no competition"),
        "emergency": N_("Emergency purchase"),
        "cooperative": N_("Cooperative contract of another agency"),
        "call-off": N_("Order under a city framework agreement"),
        "framework": N_("Framework agreement (a ceiling, not spending)"),
        "below-threshold": N_("Small purchase below the competition threshold"),
    },
    # tender.mainProcurementCategory
    "main_category": {
        "goods": N_("Goods"),
        "works": N_("Works"),
        "services": N_("Services"),
    },
    # The stages of buying whose days the performance page measures (site.performance.STAGES).
    "cycle_stage": {
        "planning": N_("Planning to notice"),
        "notice": N_("Notice to deadline"),
        "evaluation": N_("Deadline to award"),
        "signature": N_("Award to signed contract"),
        "end-to-end": N_("Notice to signed contract (end to end)"),
    },
    # How firms are chosen to join a framework agreement or pool, by awardCriteria.
    "criteria_basis": {
        "priceOnly": N_("Firms are chosen for the list on price; there is no single winner."),
        "lowestCost": N_("Firms are chosen for the list on price; there is no single winner."),
        "costOnly": N_("Firms are chosen for the list on total cost; there is no single winner."),
        "qualityOnly": N_("Firms are chosen for the list on their qualifications; there is no single winner."),
        "ratedCriteria": N_("Firms are chosen for the list on a score of quality and price; there is no single winner."),
        "bestProposal": N_("Firms are chosen for the list on their proposals; there is no single winner."),
        "bestValueToGovernment": N_("Firms are chosen for the list on best value for the city; there is no single "
                                    "winner."),
    },
    # How work is given out to the firms on a framework agreement (frameworkAgreement.method).
    "framework_method": {
        "withoutReopeningCompetition": N_("by rotation or direct order, with no new competition"),
        "withReopeningCompetition": N_("by mini-competition among them"),
        "withAndWithoutReopeningCompetition": N_("either by rotation or direct order, or by mini-competition among "
                                                 "them"),
    },
    # Who may apply to join a framework agreement or pool, by procurementMethod.
    "framework_help": {
        "open": N_("Any business that meets the requirements may apply to join the list."),
        "selective": N_("Only businesses the city has qualified may apply to join the list."),
        "limited": N_("The city invites chosen firms to join the list."),
        "direct": N_("The city chose the firms on the list itself and must explain why."),
    },
    # Why 2 CFR 200.320(c) allows buying without competition (the ids of the city's rationale scheme).
    "reason_2cfr": {
        "micro-purchase": N_("Micro-purchase: the amount is under the micro-purchase threshold"),
        "single-source": N_("Single source: only one supplier can provide it"),
        "emergency": N_("Public exigency or emergency: the need could not wait for a public solicitation"),
        "agency-authorization": N_("Awarding agency authorization: the federal agency approved it in writing"),
        "inadequate-competition": N_("Inadequate competition: several sources were asked, and too few competed"),
    },
    # FEMA Public Assistance categories of work.
    "fema_category": {
        "A": N_("Debris removal"),
        "B": N_("Emergency protective measures"),
        "C": N_("Roads and bridges"),
        "D": N_("Water control facilities"),
        "E": N_("Public buildings and equipment"),
        "F": N_("Public utilities"),
        "G": N_("Parks, recreation and other facilities"),
    },
    # The lines of a federal reimbursement file (site.emergency.checklist).
    "federal_file": {
        "competition": N_("Competition, or the documented reason for none"),
        "cost_price_analysis": N_("Cost or price analysis"),
        "outreach": N_("Outreach to small, minority- and women-owned firms"),
        "contract_clauses": N_("Required federal contract clauses"),
        "exclusion_check": N_("Check that the firm is not suspended or debarred"),
        "conflict_of_interest": N_("Conflict of interest statements"),
        "signed_contract": N_("Signed contract"),
    },
    "federal_file_help": {
        "competition": N_("2 CFR 200.319 and 200.320: full and open competition, or one of the five reasons that "
                          "allow none, written down."),
        "cost_price_analysis": N_("2 CFR 200.324: needed above the simplified acquisition threshold."),
        "outreach": N_("2 CFR 200.321: the steps taken to reach small, minority- and women-owned businesses."),
        "contract_clauses": N_("2 CFR 200.327 and Appendix II: the clauses every federally funded contract must hold."),
        "exclusion_check": N_("2 CFR 180: a search of SAM.gov showing the firm may receive federal funds."),
        "conflict_of_interest": N_("2 CFR 200.318(c): no one with a conflict took part in choosing the firm."),
        "signed_contract": N_("The contract as signed, with its amendments."),
    },
}


def label(gettext, kind: str, code: str) -> str:
    """The translated label of `code`; a code without one is written as words ("electronicAuction"
    → "Electronic auction"), so no raw code reaches a page."""
    message = LABELS[kind].get(code)
    return gettext(message) if message else as_words(code)


def as_words(code: str) -> str:
    """A camelCase or snake_case code as a phrase; other text (a city's own words) as it is."""
    if not code or " " in code or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", code):
        return code
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", code).replace("_", " ").replace("-", " ").split()
    phrase = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return phrase[:1].upper() + phrase[1:]
