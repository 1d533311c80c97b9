"""`portal init`: a new city's repository that checks, builds and is ready to publish as made."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import pipeline
from generator.authoring import notices, workflows
from generator.cli import main
from generator.inputs import folder
from generator.inputs import settings as site_settings

from gates import broken_links, vnu_errors
from test_workflows import actionlint


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("America/New_York")).date()


CITY = ["--city-name", "Springfield", "--ocid-prefix", "ocds-spr123", "--timezone", "America/New_York"]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """A new city made by `portal init`, then built by `portal build` with the commands' defaults."""
    folder = tmp_path_factory.mktemp("init") / "springfield"
    assert main(["init", str(folder), *CITY]) == 0
    return folder


def test_init_makes_the_files_a_city_needs(city):
    made = sorted(p.relative_to(city).as_posix() for p in city.rglob("*") if p.is_file())
    year = today().year
    assert made == [".github/workflows/check.yml", ".github/workflows/new-notice.yml", ".github/workflows/publish.yml", ".gitignore", "PUBLISHING.md",
                    "README.md", "content/finding-opportunities.md", "content/site.yml",
                    f"ocds_data/{year}/{year}-0001-tender.yaml", "requirements.txt"]
    settings = site_settings.parse_settings((city / "content/site.yml").read_text())
    assert (settings.city_name, settings.ocid_prefix, settings.timezone, settings.currency, settings.today) == \
        ("Springfield", "ocds-spr123", "America/New_York", "USD", None)
    assert (city / "requirements.txt").read_text().splitlines()[-1].startswith("ocds-portal==")
    assert "# Springfield: open contracting data" in (city / "README.md").read_text()
    assert "[[" not in "".join(p.read_text() for p in city.rglob("*") if p.is_file())


def test_the_new_city_checks_clean_and_builds(city, tmp_path, capsys):
    """Its one warning is the example notice, which is checked but not published until staff
    delete its first line; then it is, and the city checks with no problem at all."""
    assert main(["check", "--source", str(city)]) == 0
    err = capsys.readouterr().err
    assert "warning [example-not-published] line 1" in err and "0 errors, 1 warning in 1 file." in err
    assert main(["check", "--source", str(city), "--strict"]) == 1, "a city can't go live with --strict while it remains"
    site = tmp_path / "site"
    assert main(["build", "--source", str(city), "--output", str(site),
                 "--base-url", "https://example.github.io/springfield/"]) == 0
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    assert "Springfield" in home.title.text
    assert home.h1.get_text() == "Doing business with Springfield"  # not "with the Springfield"
    opportunities = BeautifulSoup((site / "opportunities/index.html").read_text(), "html.parser")
    assert "(example)" not in opportunities.get_text(), "the example is not published"
    [path] = (city / "ocds_data").rglob("*.yaml")
    kept = path.read_text()
    try:
        path.write_text(kept.split("\n", 1)[1])  # staff delete the first line: they mean it
        assert main(["check", "--source", str(city), "--strict"]) == 0
        assert main(["build", "--source", str(city), "--output", str(site), "--strict",
                     "--base-url", "https://example.github.io/springfield/"]) == 0
    finally:
        path.write_text(kept)
    opportunities = BeautifulSoup((site / "opportunities/index.html").read_text(), "html.parser")
    assert "Janitorial services for City Hall (example)" in opportunities.get_text()
    guide = site / "guides/finding-opportunities/index.html"
    assert "How to find and bid on opportunities" in guide.read_text()
    assert broken_links(site) == [], "the guide's links and the example's pages resolve"
    assert vnu_errors(site) == []


def test_the_example_opportunity_is_open_with_its_deadline_ahead(city):
    [path] = (city / "ocds_data").rglob("*.yaml")
    text = path.read_text()
    assert notices.blanks(text) == [] and "# How to fill this in" in text, "filled in, notes kept"
    release = yaml.safe_load(text)
    deadline = dt.datetime.fromisoformat(release["tender"]["tenderPeriod"]["endDate"])
    assert deadline.date() - today() == dt.timedelta(days=28) and deadline.utcoffset() in (
        dt.timedelta(hours=-5), dt.timedelta(hours=-4))
    assert release["tender"]["milestones"][0]["title"] == "Pre-bid meeting", "its optional parts are shown in use"


def test_the_city_gets_the_workflows_for_its_time_zone_and_they_pass_actionlint(city):
    expected = workflows.workflow_files(folder.package_texts("scaffold"), workflows.CITY, "America/New_York")
    for path, text in expected.items():
        assert (city / path).read_text() == text
    assert '- cron: "20 5 * * *"' in expected[".github/workflows/publish.yml"]
    code, findings = actionlint(*(city / path for path in expected))
    assert (code, findings) == (0, [])


def test_staff_publish_from_the_new_city_with_portal_new(city, capsys):
    assert main(["new", "opportunity", "--source", str(city), "--buyer", "public-works"]) == 0
    year = today().year
    made = city / f"ocds_data/{year}/{year}-0002-tender.yaml"
    assert "Department of Public Works" in made.read_text()
    assert main(["check", "--source", str(city)]) == 1, "its blanks fail the check until filled in"
    made.unlink()


def test_init_never_overwrites_and_writes_nothing_then(tmp_path, capsys):
    (tmp_path / "README.md").write_text("ours")
    assert main(["init", str(tmp_path), *CITY]) == 1
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"] and (tmp_path / "README.md").read_text() == "ours"


def test_init_without_a_terminal_names_the_option_it_needs(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["init", str(tmp_path / "x"), "--city-name", "Springfield"]) == 2
    assert "`portal init` needs --ocid-prefix" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_init_asks_on_a_terminal(tmp_path, capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal("Shelbyville\nocds-shb456\nAmerica/Chicago\n\n"))
    assert main(["init", str(tmp_path / "shelbyville")]) == 0
    asked = capsys.readouterr().out
    assert "The city's name" in asked and "Its time zone (IANA name, e.g. America/Chicago) [UTC]" in asked
    settings = pipeline.settings_for(tmp_path / "shelbyville")
    assert (settings.city_name, settings.ocid_prefix, settings.timezone, settings.currency) == \
        ("Shelbyville", "ocds-shb456", "America/Chicago", "USD")


def test_bad_answers_are_named_and_nothing_is_written(tmp_path, capsys):
    assert main(["init", str(tmp_path / "x"), "--city-name", "Springfield", "--ocid-prefix", "spr-123",
                 "--timezone", "Mars/Olympus"]) == 1
    err = capsys.readouterr().err
    assert "ocid_prefix: 'spr-123' is not an OCID prefix" in err and "timezone: 'Mars/Olympus'" in err
    assert not (tmp_path / "x").exists()


def test_the_gitignore_ignores_the_site_and_what_interrupted_builds_leave(city, tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(city / ".gitignore", repo / ".gitignore")
    ignored = ["_site/index.html", "._site.staging-k2x_9q0z/index.html", "._site.old-4242/data/csv/awards.csv",
               "build/.site.staging-abcd1234/index.html", "._site.spare/index.html"]
    kept = ["content/site.yml", "ocds_data/2026/2026-0001-tender.yaml", "PUBLISHING.md", ".github/workflows/check.yml"]
    for path in ignored + kept:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("x")
    result = subprocess.run(["git", "-C", str(repo), "check-ignore", *ignored, *kept], capture_output=True, text=True)
    assert result.stdout.splitlines() == ignored, result.stderr


@pytest.mark.parametrize(("name", "language", "in_a_sentence"), [
    ("Springfield", "en", "Springfield"),
    ("City of Springfield", "en", "the City of Springfield"),
    ("County of Cook", "en", "the County of Cook"),
    ("The City of Springfield", "en", "The City of Springfield"),
    ("Ciudad de Alderport", "es", "la Ciudad de Alderport"),
    ("Condado de Cook", "es", "el Condado de Cook"),
    ("Springfield", "es", "Springfield"),
])
def test_a_city_name_as_staff_write_it_reads_right_in_a_sentence(name, language, in_a_sentence):
    from generator.publish.formats import sentence_name
    assert sentence_name(name, language) == in_a_sentence
