"""`portal new`: the notice templates staff fill in, and the check that catches a blank left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from generator import pipeline, records, write
from generator.authoring import notices
from generator.cli import main
from generator.errors import OutputError, PortalError
from generator.inputs import folder
from generator.inputs.yaml_text import load_yaml
from generator.site.process import build_process

from conftest import copy_source

CHICAGO = ZoneInfo("America/Chicago")
# The demo's "today", in the morning: notices dated now are not in the future.
NOW = dt.datetime(2026, 11, 16, 9, 30, tzinfo=CHICAGO)
OPEN_OCID = "ocds-aldrpt-2026-FD-0010"  # an open demo solicitation: deadline 2026-12-17, one addendum so far
AWARDED_OCID = "ocds-aldrpt-2026-FD-0006"  # one award, no contract yet
SEVERAL_AWARDS_OCID = "ocds-aldrpt-2026-FLT-0009"  # three awards (one per lot), no contract yet

ADDENDUM_ANSWERS = {
    "/tender/amendments/0/description": "The deadline moves to January 7 at 2 PM.",
    "/tender/amendments/0/rationale": "To give bidders time to read the answers to their questions.",
    "/tender/documents/0/description": "Answers to 3 questions and the new deadline.",
    "/tender/documents/0/url": "https://alderport.example.gov/procurement/itb-26-fd-010/addendum-2.pdf",
    "/tender/tenderPeriod/endDate": "2027-01-07T14:00:00-06:00",
}
AWARD_ANSWERS = {
    "/parties/0/id": "harbor-fleet-repair", "/parties/0/name": "Harbor Fleet Repair LLC",
    "/parties/0/address/streetAddress": "12 Dock Road", "/parties/0/address/locality": "Alderport",
    "/parties/0/address/region": "WI", "/parties/0/address/postalCode": "53590",
    "/parties/0/address/countryName": "United States", "/parties/0/details/scale": "sme",
    "/parties/0/details/classifications/0/id": "SLBE",
    "/parties/0/details/classifications/0/description": "Small local business enterprise",
    "/tender/numberOfTenderers": 3, "/awards/0/value/amount": 312400.5,
    "/awards/0/suppliers/0/id": "harbor-fleet-repair", "/awards/0/suppliers/0/name": "Harbor Fleet Repair LLC",
    "/awards/0/documents/0/title": "Notice of award, ITB-26-FD-010",
    "/awards/0/documents/0/url": "https://alderport.example.gov/procurement/itb-26-fd-010/award.pdf",
}
CONTRACT_ANSWERS = {
    "/contracts/0/dateSigned": "2026-11-12T11:00:00-06:00",
    "/contracts/0/period/startDate": "2026-12-01T00:00:00-06:00",
    "/contracts/0/period/endDate": "2027-11-30T23:59:00-06:00",
    "/contracts/0/documents/0/title": "Executed contract C-26-FD-006",
    "/contracts/0/documents/0/url": "https://alderport.example.gov/procurement/contracts/c-26-fd-006.pdf",
    "/contracts/0/description": "Forty breathing apparatus sets, delivered and fitted.",
}


@pytest.fixture(scope="module")
def demo_data(demo_source):
    files, _ = folder.read_data_files(demo_source)
    return notices.survey(folder.iter_releases(files))


@pytest.fixture(scope="module")
def templates():
    return folder.package_texts("notice_templates")


@pytest.fixture
def source(tmp_path):
    return copy_source(tmp_path)


def compiled_of(data, kit, ocid):
    record, _ = records.compile_one(ocid, data.processes[ocid], records.make_merger(kit.release_schema))
    return record.compiled


def make(kind, templates, demo_data, demo_kit, ocid=None, buyer=None):
    settings = pipeline.settings_for(Path(__file__).resolve().parents[1])
    compiled = compiled_of(demo_data, demo_kit, ocid) if kind != "opportunity" else None
    return notices.new_notice(kind, templates, settings, demo_kit.release_schema, NOW, demo_data, compiled, ocid, buyer)


def problems_of(source: Path, path: str):
    settings = pipeline.settings_for(source)
    _, report = pipeline.check(source, settings, today=settings.today)
    return [p for p in report.problems if p.location.file == path]


def answers_for(kind):
    if kind == "opportunity":
        return notices.example_answers(pipeline.settings_for(Path(__file__).resolve().parents[1]), NOW)
    return {"addendum": ADDENDUM_ANSWERS, "award": AWARD_ANSWERS, "contract": CONTRACT_ANSWERS}[kind]


KIND_OCIDS = [("opportunity", None), ("addendum", OPEN_OCID), ("award", OPEN_OCID), ("contract", AWARDED_OCID)]


@pytest.mark.parametrize(("kind", "ocid"), KIND_OCIDS)
def test_each_template_validates_once_its_blanks_are_filled(kind, ocid, templates, demo_data, demo_kit, source):
    notice = make(kind, templates, demo_data, demo_kit, ocid)
    assert notice.blanks, "a template leaves the buyer something to fill in"
    filled = notices.fill(notice.text, answers_for(kind))
    assert notices.blanks(filled) == []
    write.create_files(source, {notice.path: filled})
    assert problems_of(source, notice.path) == []


@pytest.mark.parametrize(("kind", "ocid"), KIND_OCIDS)
def test_optional_parts_switched_on_and_filled_validate_too(kind, ocid, templates, demo_data, demo_kit, source):
    notice = make(kind, templates, demo_data, demo_kit, ocid)
    switched_on = notices.uncomment(notice.text)
    assert len(notices.blanks(switched_on)) > len(notice.blanks) or kind == "addendum"
    assert load_yaml(switched_on) != load_yaml(notice.text)
    filled = notices.fill(switched_on, answers_for(kind))
    assert notices.blanks(filled) == [], "every optional blank has an example answer"
    write.create_files(source, {notice.path: filled})
    assert problems_of(source, notice.path) == []


@pytest.mark.parametrize(("kind", "ocid"), KIND_OCIDS)
def test_every_blank_left_is_an_error_on_its_line_and_nothing_else(kind, ocid, templates, demo_data, demo_kit, source):
    notice = make(kind, templates, demo_data, demo_kit, ocid)
    write.create_files(source, {notice.path: notice.text})
    found = problems_of(source, notice.path)
    assert {(p.code, p.location.line, p.location.pointer) for p in found} == \
        {("unfilled-blank", b.line, b.pointer) for b in notice.blanks}
    assert all(p.is_error for p in found)
    lines = notice.text.splitlines()
    assert all("FILL IN" in lines[p.location.line - 1] for p in found)


def test_a_filled_opportunity_is_an_open_opportunity(templates, demo_data, demo_kit):
    notice = make("opportunity", templates, demo_data, demo_kit)
    release = load_yaml(notices.fill(notices.uncomment(notice.text), answers_for("opportunity")))
    record = records.CompiledRecord(notice.ocid, (release,), release, (notice.path,))
    process = build_process(record, NOW.date(), CHICAGO)
    assert process.stage == "open" and process.title == "Janitorial services for City Hall (example)"
    assert process.deadline == dt.datetime(2026, 12, 14, 14, tzinfo=CHICAGO)
    assert process.sme_suitable and process.contact.email == "procurement@example.gov"
    assert [m.title for m in process.milestones] == ["Pre-bid meeting"]


def test_an_addendum_moves_the_deadline_and_adds_its_document(templates, demo_data, demo_kit, source):
    notice = make("addendum", templates, demo_data, demo_kit, OPEN_OCID)
    assert notice.path == "ocds_data/fire/2026-FD-0010-addendum-2.yaml", "beside the process's other notices"
    switched_on = notices.uncomment(notice.text).replace("  status: cancelled\n", "")
    moved = switched_on.replace('  endDate: "2026-12-17T14:00:00-06:00"', '  endDate: "2027-01-07T14:00:00-06:00"')
    assert moved != switched_on, "the deadline's line shows its value now, ready to change"
    release = load_yaml(notices.fill(moved, ADDENDUM_ANSWERS))
    before = compiled_of(demo_data, demo_kit, OPEN_OCID)
    sources = [s.data for s in demo_data.processes[OPEN_OCID]] + [release]
    after = records.make_merger(demo_kit.release_schema).create_compiled_release(sources)
    assert before["tender"]["tenderPeriod"]["endDate"] == "2026-12-17T14:00:00-06:00"
    assert after["tender"]["tenderPeriod"]["endDate"] == "2027-01-07T14:00:00-06:00"
    assert after["tender"]["title"] == before["tender"]["title"], "what the addendum leaves out stays"
    assert [d["title"] for d in after["tender"]["documents"]][-1] == "Addendum 2"
    assert release["id"] == f"{OPEN_OCID}-addendum-2" and release["tag"] == ["tenderAmendment"]


def test_an_addendum_shows_the_current_values_to_change(templates, demo_data, demo_kit):
    text = make("addendum", templates, demo_data, demo_kit, OPEN_OCID).text
    assert "# Optional: the deadline for bids. Now: Thursday, December 17, 2026, 2:00 PM CST." in text
    assert '  #tenderPeriod:\n  #  endDate: "2026-12-17T14:00:00-06:00"\n' in text
    assert "# Optional: the estimated value. Now: $350,000." in text


def test_an_award_makes_the_process_awarded_to_its_supplier(templates, demo_data, demo_kit):
    notice = make("award", templates, demo_data, demo_kit, OPEN_OCID)
    release = load_yaml(notices.fill(notice.text, AWARD_ANSWERS))
    sources = [s.data for s in demo_data.processes[OPEN_OCID]] + [release]
    compiled = records.make_merger(demo_kit.release_schema).create_compiled_release(sources)
    process = build_process(records.CompiledRecord(OPEN_OCID, tuple(sources), compiled, ()), NOW.date(), CHICAGO)
    assert process.stage == "awarded" and process.number_of_tenderers == 3
    assert [(s.name, str(a.value.amount)) for a in process.awards for s in a.suppliers] == \
        [("Harbor Fleet Repair LLC", "312400.5")]


def test_a_contract_carries_out_the_award_with_its_value(templates, demo_data, demo_kit):
    notice = make("contract", templates, demo_data, demo_kit, AWARDED_OCID)
    assert notice.path == "ocds_data/fire/2026-FD-0006-contract.yaml"
    award = compiled_of(demo_data, demo_kit, AWARDED_OCID)["awards"][0]
    release = load_yaml(notices.fill(notice.text, CONTRACT_ANSWERS))
    contract = release["contracts"][0]
    assert release["tag"] == ["contract"] and contract["awardID"] == award["id"] == "ITB-26-FD-006-A1"
    assert contract["value"] == award["value"], "the award's amount, to change if the signed contract differs"
    assert {b.pointer for b in notice.blanks} == set(CONTRACT_ANSWERS) - {"/contracts/0/description"}
    sources = [s.data for s in demo_data.processes[AWARDED_OCID]] + [release]
    compiled = records.make_merger(demo_kit.release_schema).create_compiled_release(sources)
    process = build_process(records.CompiledRecord(AWARDED_OCID, tuple(sources), compiled, ()), NOW.date(), CHICAGO)
    assert [(c.award_id, str(c.value.amount)) for c in process.contracts] == [("ITB-26-FD-006-A1", "1112141")]


def test_with_several_awards_the_contract_lists_them_to_choose_from(templates, demo_data, demo_kit):
    notice = make("contract", templates, demo_data, demo_kit, SEVERAL_AWARDS_OCID)
    assert "#   ITB-26-FLT-009-A1: Lakeland Fleet & Truck Center, $1,303,972\n" in notice.text
    assert {"/contracts/0/awardID", "/contracts/0/value/amount"} <= {b.pointer for b in notice.blanks}


def test_a_contract_needs_an_award_first(templates, demo_data, demo_kit):
    with pytest.raises(PortalError, match="has no award yet") as caught:
        make("contract", templates, demo_data, demo_kit, OPEN_OCID)
    assert caught.value.hint == f"Publish the award first: `portal new award --ocid {OPEN_OCID}`."


def test_an_opportunity_in_lots_shows_each_lot(templates, demo_data, demo_kit):
    notice = make("opportunity", templates, demo_data, demo_kit)
    assert "  #lots:\n" in notice.text and '      #relatedLot: "1"\n' in notice.text, "lots are optional"
    release = load_yaml(notices.fill(notices.uncomment(notice.text), answers_for("opportunity")))
    assert release["tender"]["items"][0]["relatedLot"] == release["tender"]["lots"][0]["id"] == "1"
    record = records.CompiledRecord(notice.ocid, (release,), release, (notice.path,))
    process = build_process(record, NOW.date(), CHICAGO)
    assert [(lot.title, str(lot.value.amount), lot.sme_suitable) for lot in process.lots] == [("City Hall", "180000", True)]


def test_a_new_opportunity_gets_the_next_free_ocid_and_a_known_department():
    assert notices.next_ocid("ocds-abc123", 2027, {"ocds-abc123-2027-0001", "ocds-abc123-2027-0009",
                                                   "ocds-abc123-2027-HLT-0040", "ocds-abc123-2026-0077"}) \
        == "ocds-abc123-2027-0010"
    assert notices.next_ocid("ocds-abc123", 2027, set()) == "ocds-abc123-2027-0001"


def test_a_known_department_is_filled_in(templates, demo_data, demo_kit):
    notice = make("opportunity", templates, demo_data, demo_kit, buyer="alderport-health")
    release = load_yaml(notice.text)
    assert release["buyer"] == {"id": "alderport-health", "name": "Health Department"}
    assert release["parties"][0]["contactPoint"]["email"] == "health.admin@alderport.example.gov"
    assert not any(b.pointer.startswith(("/parties", "/buyer")) for b in notice.blanks)
    with pytest.raises(PortalError, match="No department with the id 'nobody'"):
        make("opportunity", templates, demo_data, demo_kit, buyer="nobody")


def test_without_a_department_the_template_lists_those_in_the_data(templates, demo_data, demo_kit):
    text = make("opportunity", templates, demo_data, demo_kit).text
    assert "#   alderport-health: Health Department\n" in text


def test_untrusted_titles_stay_on_their_comment_line(templates, demo_kit):
    hostile = {"ocid": "ocds-aldrpt-X", "id": "1", "date": "2026-11-01T00:00:00Z",
               "tender": {"id": "t", "title": "Roof\nocid: hacked # \"quoted\""}}
    data = notices.survey([folder.SourceRelease(hostile, "ocds_data/x.json")])
    settings = pipeline.settings_for(Path(__file__).resolve().parents[1])
    notice = notices.new_notice("award", templates, settings, demo_kit.release_schema, NOW, data, hostile,
                                "ocds-aldrpt-X")
    release = load_yaml(notice.text)
    assert release["ocid"] == "ocds-aldrpt-X" and release["awards"][0]["title"] == hostile["tender"]["title"]


def test_blanks_and_fill_keep_comments_and_layout():
    text = 'a: "FILL IN"   # a note\nb:\n  - c: FILL IN\n  # d: "FILL IN"\ne: "kept"\n'
    assert [(b.pointer, b.line) for b in notices.blanks(text)] == [("/a", 1), ("/b/0/c", 3)]
    filled = notices.fill(text, {"/a": 'say "hi" # not a comment', "/b/0/c": 12})
    assert filled == 'a: "say \\"hi\\" # not a comment"   # a note\nb:\n  - c: 12\n  # d: "FILL IN"\ne: "kept"\n'
    assert yaml.safe_load(filled) == {"a": 'say "hi" # not a comment', "b": [{"c": 12}], "e": "kept"}


def test_uncomment_switches_on_commented_yaml_but_never_a_note(templates):
    changed = 0
    for name, text in templates.items():
        switched = notices.uncomment(text)
        for before, after in zip(text.splitlines(), switched.splitlines(), strict=True):
            if before == after:
                continue
            changed += 1
            assert after == before.replace("#", "", 1), name
            assert name != "_help.yaml" and not any(word in before for word in ("Optional", "Now:", "How", "Made by"))
    assert changed > 10, "the templates have optional parts"


def test_a_notice_never_overwrites_a_file(tmp_path):
    (tmp_path / "ocds_data").mkdir()
    (tmp_path / "ocds_data" / "x.yaml").write_text("kept")
    with pytest.raises(OutputError, match="already exists"):
        write.create_files(tmp_path, {"ocds_data/new.yaml": "a", "ocds_data/x.yaml": "b"})
    assert (tmp_path / "ocds_data" / "x.yaml").read_text() == "kept"
    assert not (tmp_path / "ocds_data" / "new.yaml").exists(), "nothing is written when one file exists"
    with pytest.raises(OutputError, match="outside"):
        write.create_files(tmp_path, {"../escape.yaml": "a"})


# --- the command -------------------------------------------------------------------------

def test_portal_new_writes_a_notice_and_says_which_lines_to_fill(source, capsys):
    assert main(["new", "addendum", "--source", str(source), "--ocid", OPEN_OCID]) == 0
    out = capsys.readouterr().out
    path = source / "ocds_data/fire/2026-FD-0010-addendum-2.yaml"
    assert f"Wrote {path} ({OPEN_OCID})." in out
    lines = [b.line for b in notices.blanks(path.read_text())]
    assert f"Fill in its {len(lines)} blanks marked FILL IN (lines {', '.join(map(str, lines))})" in out
    release = load_yaml(path.read_text())
    stamped = dt.datetime.fromisoformat(release["date"])
    assert stamped.utcoffset() == dt.datetime.now(CHICAGO).utcoffset()
    assert abs(dt.datetime.now(dt.UTC) - stamped) < dt.timedelta(minutes=5)


def test_portal_new_opportunity_twice_gives_two_processes(source, capsys):
    assert main(["new", "opportunity", "--source", str(source)]) == 0
    assert main(["new", "opportunity", "--source", str(source)]) == 0
    year = dt.datetime.now(CHICAGO).year
    made = sorted(p.name for p in (source / "ocds_data" / str(year)).iterdir())
    assert made == [f"{year}-0001-tender.yaml", f"{year}-0002-tender.yaml"]


def test_portal_new_fills_a_new_opportunitys_title_and_only_its(source, capsys):
    assert main(["new", "opportunity", "--source", str(source), "--title", "  Road salt\nfor winter "]) == 0
    year = dt.datetime.now(CHICAGO).year
    written = (source / "ocds_data" / str(year) / f"{year}-0001-tender.yaml").read_text()
    assert load_yaml(written)["tender"]["title"] == "Road salt for winter"
    assert "/tender/title" not in {b.pointer for b in notices.blanks(written)}
    assert main(["new", "award", "--source", str(source), "--ocid", OPEN_OCID, "--title", "x"]) == 1
    assert "--title is for a new opportunity; an award takes its title from its process." in capsys.readouterr().err


def test_portal_new_names_a_mistyped_ocid_and_what_it_meant(source, capsys):
    assert main(["new", "award", "--source", str(source), "--ocid", "ocds-aldrpt-2026-FD-010"]) == 1
    err = capsys.readouterr().err
    assert "No process with the ocid 'ocds-aldrpt-2026-FD-010'" in err and "Did you mean ocds-aldrpt-2026-FD-0010" in err
    assert main(["new", "addendum", "--source", str(source)]) == 1
    assert "needs the ocid of the process" in capsys.readouterr().err


def test_github_annotations_of_a_notice_left_blank_are_exact(source, capsys, templates, demo_data, demo_kit):
    notice = make("addendum", templates, demo_data, demo_kit, OPEN_OCID)
    write.create_files(source, {notice.path: notice.text})
    assert main(["check", "--source", str(source), "--format", "github"]) == 1
    first, *others = notice.blanks
    # the demo's own one warning (an estimate in euros, awarded in dollars) comes first, then the notice's error
    mixed = "::warning file=ocds_data/airport/records.json,line=1598,title=currency-mixed::This process uses several "
    out = capsys.readouterr().out
    assert out.startswith(mixed) and out.count("\n") == 2
    assert out.split("\n", 1)[1] == (
        f"::error file={notice.path},line={first.line},title=unfilled-blank::tender.amendments[0].description is "
        f"still FILL IN, a blank of the notice template. (and {len(others)} more like this: lines "
        f"{', '.join(str(b.line) for b in others[:2])}, …) What to do: Replace FILL IN with the value (the note "
        "beside or above it says what goes there), keeping the quotes around text.\n")
