"""validate: schema and codelist checks on releases and packages, ocid prefix, duplicates, extensions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from generator.checking import rules, validate
from generator.checking.rules import Checker
from generator.errors import Location
from generator.inputs import schema_kit
from generator.inputs import settings as site_settings
from generator.inputs.folder import DataFile, SourceRelease

from conftest import REPO, SHARED_OCDS, release

RAW = "https://raw.githubusercontent.com/open-contracting-extensions"


PACKAGE_META = {"uri": "https://alderport.example.gov/ocds/p.json", "version": "1.1",
                "publishedDate": "2026-11-01T00:00:00Z", "publisher": {"name": "City of Alderport"}}



@pytest.fixture(scope="module")
def settings():
    parsed = site_settings.parse_settings((REPO / "content" / "site.yml").read_text("utf-8"))
    return dataclasses.replace(parsed, schema_dir=str(SHARED_OCDS))


@pytest.fixture(scope="module")
def kit(demo_kit):
    return demo_kit


@pytest.fixture(scope="module")
def validators(kit):
    return validate.make_validators(kit, checker=Checker(("ocds-aldrpt",), dt.date(2026, 11, 16), "America/Chicago"))


def check(data: dict, validators, settings, file="ocds_data/p.json", item=3) -> list:
    source = SourceRelease(data, file, f"/releases/{item}", item)
    return validate.check_release(source, validators, settings)


def test_valid_release_has_no_problems(validators, settings):
    assert check(release(), validators, settings) == []


def test_valid_release_using_extensions_has_no_problems(validators, settings):
    data = release(parties=[{"id": "p1", "name": "Acme", "roles": ["supplier"], "details": {"scale": "sme"}}],
                   tender={"id": "t1", "status": "active", "lots": [{"id": "lot-1", "title": "North"}],
                           "suitability": {"sme": True}})
    assert check(data, validators, settings) == []


def test_closed_codelist_code_is_an_error(validators, settings):
    [problem] = check(release(tender={"id": "t1", "status": "open"}), validators, settings)
    assert problem.is_error
    assert problem.location.pointer == "/releases/3/tender/status"
    assert (problem.location.file, problem.location.item, problem.location.ocid) == \
        ("ocds_data/p.json", 3, "ocds-aldrpt-X-1")
    assert "open" in problem.message


def test_closed_codelist_from_an_extension_is_checked(validators, settings):
    data = release(parties=[{"id": "p1", "name": "Acme", "details": {"scale": "tiny"}}])
    [problem] = check(data, validators, settings)
    assert problem.location.pointer == "/releases/3/parties/0/details/scale"
    assert "tiny" in problem.message


def test_bad_date_time_format_is_an_error(validators, settings):
    [problem] = check(release(date="2026-11-01"), validators, settings)
    assert problem.is_error
    assert problem.location.pointer == "/releases/3/date"
    assert problem.location.ocid == "ocds-aldrpt-X-1"
    assert "date and time" in problem.message


def test_missing_required_field_is_an_error(validators, settings):
    data = release()
    del data["initiationType"]
    problems = check(data, validators, settings)
    assert problems and all(p.is_error for p in problems)
    assert any("initiationType" in p.message for p in problems)


def _prefix_problems(ocids, prefixes=("ocds-aldrpt",), path="ocds_data/p.json"):
    data_file = DataFile(path, "release-package", dict(PACKAGE_META),
                         [SourceRelease(release(ocid=o, id=str(i)), path, f"/releases/{i}", i) for i, o in enumerate(ocids)])
    checker = Checker(prefixes, dt.date(2026, 11, 16), "America/Chicago")
    return rules.ocid_prefixes(checker, data_file)


def test_ocids_without_the_city_prefix_are_one_warning_per_file_naming_the_setting():
    [problem] = _prefix_problems(["ocds-aldrpt-1", "ocds-zzzzzz-1", "ocds-zzzzzz-2", "AM-PPS-3"])
    assert not problem.is_error
    assert problem.location == Location("ocds_data/p.json", None, 1, "", "/releases/1/ocid")
    assert problem.message.startswith("3 of the 4 releases in this file have ocids that do not start with ocds-aldrpt-")
    assert "'ocds-zzzzzz-1'" in problem.message
    assert "ocid_prefix in content/site.yml" in problem.hint and "null" in problem.hint


def test_ocid_that_only_starts_like_the_prefix_is_reported():
    assert [p.code for p in _prefix_problems(["ocds-aldrptx-1"])] == ["ocid-prefix"]


def test_several_prefixes_or_none():
    assert _prefix_problems(["ocds-aldrpt-1", "ocds-other1-2"], ("ocds-aldrpt", "ocds-other1")) == []
    assert _prefix_problems(["AM-PPS-1", "12345"], ()) == []
    [problem] = _prefix_problems(["ocds-aldrpt-1", "ocds-third1-2"], ("ocds-aldrpt", "ocds-other1"))
    assert "ocds-aldrpt- or ocds-other1-" in problem.message and problem.message.startswith("1 of the 2 releases")


def test_yaml_release_problem_is_located_on_its_line(validators, settings, tmp_path):
    from generator.inputs import folder
    text = "ocid: ocds-aldrpt-X-1\nid: '1'\nparties: []\ndate: soon\ntag: [tender]\n"
    (tmp_path / "ocds_data").mkdir()
    (tmp_path / "ocds_data" / "notice.yaml").write_text(text)
    source = SourceRelease(release(date="soon"), "ocds_data/notice.yaml", "", None, 1)
    [problem] = folder.locate_lines(tmp_path, validate.check_release(source, validators, settings))
    assert (problem.location.file, problem.location.line, problem.location.pointer) == \
        ("ocds_data/notice.yaml", 4, "/date")


def test_duplicate_release_across_two_files_names_the_first_file():
    first = SourceRelease(release(), "ocds_data/a.json", "/releases/0", 0)
    other = SourceRelease(release(id="2"), "ocds_data/a.json", "/releases/1", 1)
    copy_ = SourceRelease(release(), "ocds_data/b.json", "/releases/5", 5)
    [problem] = validate.check_duplicates([first, other, copy_])
    assert problem.is_error
    assert "ocds_data/a.json" in problem.message
    assert (problem.location.file, problem.location.item, problem.location.ocid, problem.location.pointer) == \
        ("ocds_data/b.json", 5, "ocds-aldrpt-X-1", "/releases/5/id")


def test_same_release_id_in_different_processes_is_fine():
    a = SourceRelease(release(), "ocds_data/a.json", "/releases/0", 0)
    b = SourceRelease(release(ocid="ocds-aldrpt-X-2"), "ocds_data/a.json", "/releases/1", 1)
    assert validate.check_duplicates([a, b]) == []


def package_file(meta: dict, releases=()) -> DataFile:
    return DataFile("ocds_data/p.json", "release-package", meta,
                    [SourceRelease(r, "ocds_data/p.json", f"/releases/{i}", i) for i, r in enumerate(releases)])


def test_valid_package_has_no_problems(validators, settings, kit):
    meta = dict(PACKAGE_META, extensions=[f"{RAW}/ocds_lots_extension/master/extension.json"])
    assert validate.check_file(package_file(meta, [release()]), validators, settings, kit) == []


def test_package_extension_at_pinned_commit_counts_as_declared(validators, settings, kit):
    commit = schema_kit.load_pins()["extensions"]["partyScale"]["commit"]
    meta = dict(PACKAGE_META, extensions=[f"{RAW}/ocds_partyDetails_scale_extension/{commit}/extension.json"])
    assert validate.check_file(package_file(meta), validators, settings, kit) == []


def test_package_declaring_an_undeclared_extension(validators, settings, kit):
    url = f"{RAW}/ocds_sustainability_extension/master/extension.json"
    meta = dict(PACKAGE_META, extensions=[f"{RAW}/ocds_lots_extension/master/extension.json", url])
    [problem] = validate.check_file(package_file(meta), validators, settings, kit)
    assert not problem.is_error  # the Data Review Tool accepts it: a warning
    assert problem.code == "extension-not-declared"
    assert url in problem.message
    assert (problem.location.file, problem.location.pointer) == ("ocds_data/p.json", "/extensions/1")
    assert "content/site.yml" in problem.hint and "extensions" in problem.hint and url in problem.hint


def test_package_metadata_is_checked(validators, settings, kit):
    meta = dict(PACKAGE_META, publishedDate="last Tuesday")
    problems = validate.check_file(package_file(meta, [release()]), validators, settings, kit)
    assert [p.location.pointer for p in problems] == ["/publishedDate"]


def test_problems_in_a_package_point_at_each_release(validators, settings, kit):
    releases = [release(), release(id="2", tender={"id": "t1", "status": "open"})]
    problems = validate.check_file(package_file(dict(PACKAGE_META), releases), validators, settings, kit)
    assert [(p.location.item, p.location.pointer) for p in problems] == [(1, "/releases/1/tender/status")]


def test_valid_record_package_has_no_problems(validators, settings, kit):
    data_file = DataFile("ocds_data/r.json", "record-package", dict(PACKAGE_META),
                         [SourceRelease(release(), "ocds_data/r.json", "/records/0/releases/0", 0)],
                         [{"ocid": "ocds-aldrpt-X-1", "releases": []}])
    assert validate.check_file(data_file, validators, settings, kit) == []


def test_record_package_problems_point_into_the_record(validators, settings, kit):
    data_file = DataFile("ocds_data/r.json", "record-package", dict(PACKAGE_META),
                         [SourceRelease(release(date="soon"), "ocds_data/r.json", "/records/2/releases/1", 2)],
                         [{"ocid": "ocds-aldrpt-X-1", "releases": []}])
    [problem] = validate.check_file(data_file, validators, settings, kit)
    assert (problem.location.item, problem.location.pointer) == (2, "/records/2/releases/1/date")


@pytest.mark.parametrize("value", ["2026-06-30T23:59:60Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z",
                                   "2026-01-01T10:00:00-06:00", "2026-01-01 10:00:00Z", "2026-01-01T10:00:00",
                                   "2026-01-01T10:00:00.123+05:30", "2026-13-01T00:00:00Z"])
def test_both_engines_agree_on_date_times(value, kit, settings):
    found = {}
    for engine in ("rs", "python"):
        validators = validate.make_validators(kit, engine)
        problems = validate.check_release(SourceRelease(release(date=value), "f.json", "/releases/0", 0),
                                          validators, settings)
        found[engine] = [p.code for p in problems]
    assert found["rs"] == found["python"]


def test_unknown_and_deprecated_fields_are_warnings(validators, settings):
    data = release(tender={"id": "t", "tenderPerod": {}, "amendment": {"date": "2026-01-01T00:00:00Z"}},
                   extraThing=1)
    problems = validate.check_release(SourceRelease(data, "f.json", "/releases/0", 0), validators, settings)
    found = {(p.code, p.location.pointer, p.is_error) for p in problems}
    assert ("field-unknown", "/releases/0/tender/tenderPerod", False) in found
    assert ("field-unknown", "/releases/0/extraThing", False) in found
    assert ("field-deprecated", "/releases/0/tender/amendment", False) in found
    assert validate.check_release(SourceRelease(release(), "f.json", "/releases/0", 0), validators, settings) == []


def test_translated_fields_are_not_unknown(validators, settings):
    data = release(tender={"id": "t", "title": "Road salt", "title_es": "Sal para carreteras"})
    problems = validate.check_release(SourceRelease(data, "f.json", "/releases/0", 0), validators, settings)
    assert problems == []


def test_a_schema_index_does_not_outlive_its_build(kit):
    """Its caches belong to it, so a long-running `portal serve` does not keep every build's index."""
    import gc

    from generator.checking.schema_index import SchemaIndex

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, SchemaIndex) for o in gc.get_objects())

    before = alive()
    index = validate.make_validators(kit).index
    assert index.fields(("tender",))[0] and index.matches_pattern(("tender",), "title_fr")
    assert alive() == before + 1
    del index
    assert alive() == before
