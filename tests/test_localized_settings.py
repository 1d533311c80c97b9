"""Settings text in several languages (inputs.localized): one text or one per language, read as
the first language's text, given in another language by Settings.in_language."""

from __future__ import annotations

import pickle

import pytest

from generator.errors import SettingsError
from generator.inputs import localized
from generator.inputs import settings as site_settings

BILINGUAL = """city_name: {en: Testville, es: Villa Prueba}
publisher:
  name: Test City
ocid_prefix: ocds-abc123
languages: [en, es]
contact: {name: {en: Purchasing, es: Compras}, email: buy@example.com, address: 1 Main St}
navigation:
  - {title: {en: Bids, es-MX: Licitaciones}, page: opportunities}
  - {title: Guides, page: guides}
certification_programs:
  - {abbreviation: SLBE, name: {en: Small Local Business, es: Pequeña empresa local}, explanation: {en: Local., es: Local (es).}}
vendor_registration: {url: "https://example.com/r", text: {en: Register first., es: Regístrese primero.}}
"""


def test_a_text_per_language_reads_as_the_first_language_and_gives_the_others():
    settings = site_settings.parse_settings(BILINGUAL)
    assert settings.city_name == "Testville" and isinstance(settings.city_name, str)
    spanish = settings.in_language("es")
    assert spanish.city_name == "Villa Prueba" and type(spanish.city_name) is str
    assert spanish.contact.name == "Compras" and spanish.contact.address == "1 Main St"
    assert [n.title for n in spanish.navigation] == ["Licitaciones", "Guides"]  # es-MX serves es; one text serves all
    assert spanish.certification_programs[0].name == "Pequeña empresa local"
    assert spanish.vendor_registration.text == "Regístrese primero."
    assert settings.in_language("fr").city_name == "Testville"  # not given: the first language's
    assert settings.in_language("en") == settings


def test_the_first_language_comes_from_languages_not_the_order_of_the_mapping():
    text = BILINGUAL.replace("languages: [en, es]", "languages: [es, en]")
    assert site_settings.parse_settings(text).city_name == "Villa Prueba"


def test_a_text_keeps_its_languages_through_a_pickle():
    value = localized.text({"en": "City", "es": "Ciudad"}, ("en",))
    again = pickle.loads(pickle.dumps(value))
    assert again == "City" and again.in_language("es") == "Ciudad"


@pytest.mark.parametrize("value, says", [
    ("{english: Testville}", "one text per language by language tag"),
    ("{en: 5}", "one text per language"),
    ("{}", "must be a text"),
])
def test_a_wrong_text_is_reported_on_its_line(value, says):
    with pytest.raises(SettingsError) as info:
        site_settings.parse_settings(BILINGUAL.replace("{en: Testville, es: Villa Prueba}", value))
    assert "content/site.yml:1: /city_name:" in str(info.value) and says in str(info.value)
