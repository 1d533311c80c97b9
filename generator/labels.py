"""Plain-language labels for OCDS codes and the model's stages.

Each label is an English gettext message id, marked with `N_` so translation tools extract it;
templates show `label(kind, code)`, which translates it. A code without a label is shown as is.
"""

from __future__ import annotations


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
        "unsuccessful": N_("Unsuccessful"),
    },
    "method": {
        "open": N_("Open to all bidders"),
        "selective": N_("Only pre-qualified bidders"),
        "limited": N_("Limited: the city invites chosen suppliers"),
        "direct": N_("Direct award: no competition"),
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
    "scale": {
        "micro": N_("Micro business"),
        "sme": N_("Small or medium-sized business"),
        "small": N_("Small business"),
        "medium": N_("Medium-sized business"),
        "large": N_("Large business"),
        "selfEmployed": N_("Self-employed"),
    },
    "note": {
        "no-deadline": N_("No deadline has been published."),
        "no-documents": N_("No documents have been published."),
        "no-contact": N_("No contact for questions has been published."),
        "award-no-value": N_("An award has no value published."),
        "contract-no-value": N_("A contract has no value published."),
    },
}


def label(gettext, kind: str, code: str) -> str:
    """The translated label of `code`, or the code itself when it has none."""
    message = LABELS[kind].get(code)
    return gettext(message) if message else code
