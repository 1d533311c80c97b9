"""Organisations as one process names them: references, contact points and city-wide keys. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from generator.inputs.settings import SiteContact
from generator.site.texts import TITLE_CHARS, cut
from generator.values import address_line, listed, safe_url, text


def _short(value) -> str:
    """A name, an address or a telephone number as a page shows it: cut to a title's length."""
    return cut(text(value), TITLE_CHARS)[0]


@dataclass(frozen=True)
class OrgRef:
    key: str
    name: str
    path: str  # output path of the organisation's page ("" when it has none)


Contact = SiteContact  # one kind of contact, the city's or a party's


def contact_of(party: dict | None) -> Contact:
    if not isinstance(party, dict):
        return Contact()
    point = party.get("contactPoint") if isinstance(party.get("contactPoint"), dict) else {}
    return Contact(name=_short(point.get("name")), email=_short(point.get("email")),
                   telephone=_short(point.get("telephone")), url=safe_url(point.get("url")),
                   address=_short(address_line(party.get("address"))))


def org_key(reference) -> str:
    """A party's id within its process (OCDS party ids are only unique within a process)."""
    if not isinstance(reference, dict):
        return ""
    return text(reference.get("id")) or text(reference.get("name"))


def city_key(party: dict) -> str:
    """An organisation's key across processes: its registered identifier when it has one
    (scheme-id, e.g. US-EIN-12-3456789), else its party id."""
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    scheme, number = text(identifier.get("scheme")), text(identifier.get("id"))
    return f"{scheme}-{number}" if scheme and number else org_key(party)


@dataclass(frozen=True)
class PartyIndex:
    """The parties of one process: party id → (city-wide key, roles)."""

    parties: dict[str, dict]

    @classmethod
    def of(cls, compiled: dict) -> PartyIndex:
        return cls({org_key(p): p for p in listed(compiled.get("parties")) if isinstance(p, dict) and org_key(p)})

    def ref(self, reference, role: str, path_of) -> OrgRef | None:
        """An organisation reference; it links to the organisation's page only when that page
        exists, i.e. when the referenced party is listed with the role."""
        local = org_key(reference)
        if not local:
            return None
        party = self.parties.get(local)
        key = city_key(party) if party else local
        has_page = party is not None and role in listed(party.get("roles"))
        return OrgRef(key, _short(text(reference.get("name")) or text((party or {}).get("name")) or local),
                      path_of(key) if has_page else "")
