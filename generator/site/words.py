"""Words a first-time bidder may not know, and what the site says about how to bid. Pure.

`terms` lists the abbreviations pages explain on first use and the glossary lists: the city's
certification programs (site.yml), the classification schemes its data uses (their titles from
the OCDS codelist), and the common words of procurement notices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.inputs.settings import CertificationProgram, Settings
from generator.labels import N_
from generator.site.tender_details import Goal

GLOSSARY = "glossary"  # the guide that lists the terms (made when the city has none)


@dataclass(frozen=True)
class Term:
    short: str
    long: str
    explanation: str = ""
    url: str = ""  # where to apply (a certification program)
    ours: bool = False  # the site's own words (translated), not the city's or the data's

    @property
    def anchor(self) -> str:
        return "term-" + "".join(c if c.isalnum() else "-" for c in self.short.lower())


# Abbreviations notices use for the kind of solicitation: explained wherever the data says them.
COMMON = (
    Term("RFP", N_("Request for proposals"),
         N_("A solicitation where the city compares proposals on quality and price."), ours=True),
    Term("RFQ", N_("Request for quotations"), N_("A solicitation for prices on a smaller, well-defined purchase."),
         ours=True),
    Term("RFI", N_("Request for information"),
         N_("The city asks businesses for information before it buys; it is not a bid."), ours=True),
    Term("IFB", N_("Invitation for bids"), N_("A solicitation where the lowest responsive, responsible bid wins."),
         ours=True),
    Term("ITB", N_("Invitation to bid"), N_("A solicitation where the lowest responsive, responsible bid wins."),
         ours=True),
    Term("OCDS", N_("Open Contracting Data Standard"),
         N_("The international format this site's data is published in."), ours=True),
)


def terms(settings: Settings, schemes: Iterable[str], scheme_titles: Mapping[str, str]) -> tuple[Term, ...]:
    """The city's programs first, then the classification schemes in `schemes` that the codelist
    names, then the common abbreviations; each abbreviation once (the city's meaning wins)."""
    found: dict[str, Term] = {}
    for program in settings.certification_programs:
        found.setdefault(program.abbreviation, Term(program.abbreviation, program.name, program.explanation,
                                                    program.apply_url))
    for scheme in sorted(set(schemes)):
        title = scheme_titles.get(scheme, "")
        if title and scheme.isalnum():
            found.setdefault(scheme, Term(scheme, title, N_("A list of codes for what governments buy."), ours=True))
    for term in COMMON:
        found.setdefault(term.short, term)
    return tuple(found.values())


def program_of(goal: Goal, programs: tuple[CertificationProgram, ...]) -> CertificationProgram | None:
    """The city's program a certification goal names: by the id the data gives it, else by its
    abbreviation or name written out."""
    folded = goal.text.casefold()
    for program in programs:
        if goal.code in program.ids or folded in (program.abbreviation.casefold(), program.name.casefold()):
            return program
    return None


def submit_links(submit_urls: tuple[str, ...], methods: tuple[str, ...], electronic: str,
                 city_url: str) -> tuple[str, ...]:
    """Where to submit a bid online: the web addresses the notice gives; else the city's e-bidding
    system, unless the notice says bids are on paper only."""
    if submit_urls:
        return submit_urls
    paper_only = electronic == "notAllowed" or (methods and "electronicSubmission" not in methods)
    return (city_url,) if city_url and not paper_only else ()
