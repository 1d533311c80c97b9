"""config.parse_settings: the demo settings, every problem at once with its line, text dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import SettingsError
from generator.inputs import settings as site_settings

REPO = Path(__file__).resolve().parents[1]

MINIMAL = "city_name: Testville\npublisher:\n  name: Test City\nocid_prefix: ocds-abc123\n"


def _problems(text: str) -> SettingsError:
    with pytest.raises(SettingsError) as info:
        site_settings.parse_settings(text, "content/site.yml")
    return info.value


def test_demo_site_yml_parses():
    settings = site_settings.parse_settings((REPO / "content" / "site.yml").read_text("utf-8"))
    assert settings.city_name == "City of Alderport"
    assert settings.ocid_prefix == "ocds-aldrpt"
    assert settings.today == dt.date(2026, 11, 16)
    assert len(settings.extensions) == 15
    assert all(url.startswith("https://raw.githubusercontent.com/open-contracting-extensions/")
               for url in settings.extensions)
    assert [n.page for n in settings.navigation] == ["opportunities", "awards", "spending", "buyers", "suppliers", "guides"]


def test_minimal_settings_get_defaults():
    settings = site_settings.parse_settings(MINIMAL)
    assert settings.publisher_name == "Test City"
    assert settings.today is None
    assert settings.extensions == ()
    assert settings.navigation == site_settings.DEFAULT_NAVIGATION


@pytest.mark.parametrize("value, prefixes", [
    ("ocds-abc123", ("ocds-abc123",)),
    ("[ocds-abc123, ocds-def456, ocds-abc123]", ("ocds-abc123", "ocds-def456")),
    ("null", ()),
])
def test_ocid_prefix_is_one_several_or_none(value, prefixes):
    settings = site_settings.parse_settings(MINIMAL.replace("ocds-abc123", value))
    assert settings.ocid_prefixes == prefixes
    assert settings.ocid_prefix == (prefixes[0] if prefixes else "")


@pytest.mark.parametrize("value", ["[]", "[ocds-abc123, AM-PPS]", "ocds-BAD", "5"])
def test_a_wrong_ocid_prefix_is_reported_on_its_line(value):
    problems = _problems(MINIMAL.replace("ocds-abc123", value)).problems
    assert [(p.location.pointer.split("/")[1], p.location.line) for p in problems] == [("ocid_prefix", 4)]


def test_every_problem_is_reported_at_once_with_path_and_line():
    text = (
        "city_name: Testville\n"          # 1
        "publisher:\n"                     # 2
        "  name: Test City\n"              # 3
        "ocid_prefix: ocds-BAD\n"          # 4
        "colour: blue\n"                   # 5
        "navigation:\n"                    # 6
        "  - title: Home\n"                # 7
        "    page: home\n"                 # 8
        "  - title: Bids\n"                # 9
        "    page: bids\n"                 # 10
        "today: 2026-02-30\n"              # 11
    )
    exc = _problems(text)
    found = {p.location.pointer: p for p in exc.problems}
    assert set(found) == {"/colour", "/ocid_prefix", "/today", "/navigation/1/page"}
    assert {p.location.pointer: p.location.line for p in exc.problems} == {
        "/colour": 5, "/ocid_prefix": 4, "/today": 11, "/navigation/1/page": 10,
    }
    assert all(p.location.file == "content/site.yml" for p in exc.problems)
    assert all(p.is_error for p in exc.problems)
    assert "colour" in found["/colour"].message and "unknown" in found["/colour"].message
    assert "ocds-BAD" in found["/ocid_prefix"].message
    assert "2026-02-30" in found["/today"].message
    assert "bids" in found["/navigation/1/page"].message
    # The exception's own message lists every problem with file:line, for the CLI to print.
    for line in ("content/site.yml:4", "content/site.yml:5", "content/site.yml:10", "content/site.yml:11"):
        assert line in exc.message
    assert exc.hint


def test_unknown_nested_key_is_named_at_its_own_line():
    exc = _problems(MINIMAL.replace("  name: Test City\n", "  name: Test City\n  nickname: TC\n"))
    [problem] = exc.problems
    assert problem.location.pointer == "/publisher/nickname"
    assert problem.location.line == 4


def test_missing_required_key_is_reported():
    exc = _problems("city_name: Testville\npublisher:\n  name: Test City\n")
    assert any("ocid_prefix" in p.message for p in exc.problems)


def test_invalid_yaml_names_the_line():
    exc = _problems("city_name: Testville\n  publisher: indented wrongly\nocid_prefix: ocds-abc123\n")
    assert exc.message == ("content/site.yml:2: Line 2 is indented more than the field above it, so YAML can't tell "
                           "which field it belongs to.")
    assert exc.hint == "Line it up with the field above it."


def test_top_level_must_be_a_mapping():
    exc = _problems("- just\n- a list\n")
    assert "mapping" in exc.message


def test_dates_in_yaml_stay_text():
    # PyYAML would turn these into date/datetime objects; string settings must keep the text.
    settings = site_settings.parse_settings(
        "city_name: 2026-01-01\npublisher:\n  name: 2026-01-02T10:00:00Z\nocid_prefix: ocds-abc123\n"
        "today: 2026-03-01\n")
    assert settings.city_name == "2026-01-01"
    assert settings.publisher_name == "2026-01-02T10:00:00Z"
    assert type(settings.today) is dt.date and settings.today == dt.date(2026, 3, 1)


def test_today_null_means_build_day():
    settings = site_settings.parse_settings(MINIMAL + "today: null\n")
    assert settings.today is None


def test_with_overrides_ignores_none():
    settings = site_settings.parse_settings(MINIMAL + "base_url: https://a.example/\n")
    changed = settings.with_overrides(base_url=None, today=dt.date(2026, 1, 2))
    assert changed.base_url.url == "https://a.example/"
    assert changed.today == dt.date(2026, 1, 2)


def test_an_unknown_time_zone_is_reported_at_its_line():
    text = (REPO / "content" / "site.yml").read_text("utf-8").replace("America/Chicago", "Mars/Olympus_Mons")
    with pytest.raises(SettingsError) as caught:
        site_settings.parse_settings(text)
    (problem,) = caught.value.problems
    assert problem.location.pointer == "/timezone"
    assert text.splitlines()[problem.location.line - 1].startswith("timezone:")


def test_a_language_without_translations_is_refused():
    text = (REPO / "content" / "site.yml").read_text("utf-8").replace("languages: [en, es]", "languages: [en, xx]")
    with pytest.raises(SettingsError) as caught:
        site_settings.parse_settings(text)
    (problem,) = caught.value.problems
    assert problem.location.pointer == "/languages/1" and "no translation" in problem.message


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    for key in site_settings.settings_schema()["properties"]:
        assert f"| `{key}`" in readme or f"| `{key}." in readme, f"{key} is not in README's settings reference"


@pytest.mark.parametrize("line, value", [("", "linked"), ("process_records: full\n", "full"),
                                         ("process_records: linked\n", "linked")])
def test_process_records_are_linked_unless_a_city_asks_for_them_in_full(line, value):
    assert site_settings.parse_settings(MINIMAL + line).process_records == value


def test_an_unknown_process_records_value_is_reported_on_its_line():
    problems = _problems(MINIMAL + "process_records: everything\n").problems
    assert [(p.location.pointer, p.location.line) for p in problems] == [("/process_records", 5)]
    assert "linked" in problems[0].message and "full" in problems[0].message
