"""Data nobody here wrote publishes honestly: tests/fixtures/real_world/ reproduces, in small
files, what published OCDS from other governments looks like (legacy ocids without a registered
prefix, a package without its uri, a record package that only links its releases, a bare record,
Ukrainian and Spanish texts, wrong-case codes, dates without a time zone, amounts as text,
undeclared extensions, references to parties without the role, OCDS 1.0, a repeated release).

Every process with a readable ocid is published, with its problems as notes, except the one
whose page would state an amount in no currency."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import pipeline, routes
from generator.checking.policy import Policy

from conftest import copy_source

REAL_WORLD = Path(__file__).resolve().parent / "fixtures" / "real_world"
PREFIXES = ["ocds-be6bcu", "ocds-03ad3f", "ocds-k50g02", "ocds-mx0001", "ocds-zz0001", "ocds-md0001", "ocds-pe0001"]
WRONG = "ocds-zz0001-BAD-1"  # an amount without a currency


def readable_ocids() -> set[str]:
    ocids = set()
    for path in REAL_WORLD.iterdir():
        lines = path.read_text("utf-8").splitlines() if path.suffix == ".jsonl" else [path.read_text("utf-8")]
        for line in lines:
            data = json.loads(line)
            for item in data.get("releases", []) + data.get("records", []) + [data]:
                if isinstance(item.get("ocid"), str):
                    ocids.add(item["ocid"])
    return ocids


@pytest.fixture(scope="module", params=["none", "several"])
def built(request, tmp_path_factory):
    """The corpus built with no prefix (a city publishing legacy data) and with several."""
    tmp = tmp_path_factory.mktemp(f"real-{request.param}")
    source = copy_source(tmp, with_data=False)
    shutil.copytree(REAL_WORLD, source / "ocds_data")
    site_yml = source / "content" / "site.yml"
    prefix = "null" if request.param == "none" else json.dumps(PREFIXES)
    site_yml.write_text("\n".join(f"ocid_prefix: {prefix}" if line.startswith("ocid_prefix:") else line
                                  for line in site_yml.read_text("utf-8").splitlines()) + "\n", "utf-8")
    settings = pipeline.settings_for(source)
    report = pipeline.build(source, tmp / "site", settings, settings.today, policy=Policy())
    return request.param, report, tmp / "site"


def test_at_least_nine_in_ten_processes_publish_and_only_a_wrong_page_is_left_out(built):
    _, report, site = built
    ocids = readable_ocids()
    published = {o for o in ocids if (site / routes.process_path(o)).is_file()}
    assert len(published) >= 0.9 * len(ocids)
    assert ocids - published == {WRONG} and report.left_out == (WRONG,)


def test_imperfect_processes_carry_their_problems_on_their_page(built):
    _, report, site = built
    page = (site / routes.process_path("ocds-k50g02-CO1.PCCNTR.1001")).read_text("utf-8")
    assert "Notes on this data" in page and "tender.status is &#39;Active&#39;" in page
    quality = (site / "data-quality" / "index.html").read_text("utf-8")
    assert WRONG in quality and "published with problems" in quality
    assert report.counts["processes with notes"] >= 5


def test_a_package_problem_never_drops_its_valid_releases(built):
    _, report, site = built
    assert any(p.code == "schema-required" and p.location.pointer == "/uri" for p in report.problems)
    for ocid in ("AM-PPS-2019-001", "90004"):
        assert (site / routes.process_path(ocid)).is_file()


def test_records_that_link_their_releases_and_a_bare_record_are_published(built):
    _, report, site = built
    codes = {p.code for p in report.problems}
    assert {"record-compiled-only", "not-a-record-package"} <= codes
    assert (site / routes.process_path("ocds-03ad3f-300001")).is_file()
    bare = (site / routes.process_path("ocds-md0001-MD-2016-77")).read_text("utf-8")
    assert "SRL Construct" in bare  # its second release (the award) was read too


def test_the_prefix_setting_is_named_once_per_file(built):
    kind, report, _ = built
    mismatches = [p for p in report.problems if p.code == "ocid-prefix"]
    if kind == "none":
        assert mismatches == []
    else:
        [problem] = mismatches
        assert problem.location.file == "ocds_data/legacy-ocids-no-package-uri.json" and not problem.is_error
        assert problem.message.startswith("5 of the 5 releases in this file have ocids")
        assert "ocid_prefix in content/site.yml" in problem.hint


def test_checks_the_data_review_tool_does_not_make_are_warnings(built):
    _, report, _ = built
    severities = {p.code: p.severity.value for p in report.problems}
    for code in ("party-role-missing", "party-missing", "extension-not-declared"):
        assert severities[code] == "warning", code


def test_pages_of_imperfect_data_are_valid_html(built, tmp_path):
    """The notes, the data-quality page and the pages of other governments' data pass the Nu checker."""
    _, _, site = built
    from gates import vnu_errors

    for ocid in ("ocds-k50g02-CO1.PCCNTR.1001", "ocds-be6bcu-UA-2017-03-01-000001-a", "ocds-03ad3f-300001"):
        target = tmp_path / routes.process_path(ocid)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(site / routes.process_path(ocid), target)
    shutil.copytree(site / "data-quality", tmp_path / "data-quality")
    assert vnu_errors(tmp_path) == []
