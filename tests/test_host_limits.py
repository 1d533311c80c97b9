"""A site that fits its host (issue 22, item 4): the `host` setting, and the build's warning when
the site, or a file of it, is larger than the host publishes; with --strict the build fails and
the previous site stays."""

from __future__ import annotations

import os

import pytest

from generator import pipeline
from generator.artifact import Written
from generator.checking import host as host_check
from generator.checking.policy import Policy
from generator.errors import SettingsError
from generator.inputs import settings as site_settings
from generator.inputs.settings import MB, Host
from generator.report import BuildFailed

from conftest import copy_source

MINIMAL = "city_name: Testville\npublisher:\n  name: Test City\nocid_prefix: ocds-abc123\n"


def sizes(folder) -> tuple[int, dict[str, int]]:
    """Bytes under `folder` in all, and by part (first folder, or the file's name at the root)."""
    total, parts = 0, {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            if path == ".ocds-portal-site":
                continue
            size = os.path.getsize(os.path.join(root, name))
            part = path.split("/", 1)[0] + ("/" if "/" in path else "")
            total, parts[part] = total + size, parts.get(part, 0) + size
    return total, parts


# --- the setting ---------------------------------------------------------------------------------

def test_the_default_host_is_github_pages():
    assert site_settings.parse_settings(MINIMAL).host == Host("GitHub Pages", 1000 * MB, 100 * MB)


@pytest.mark.parametrize("text, expected", [
    ("host:\n  name: Netlify\n", Host("Netlify", 1000 * MB, 100 * MB)),  # a key left out keeps its default
    ("host:\n  site_limit_mb: 2500\n  file_limit_mb: null\n", Host("GitHub Pages", 2500 * MB, None)),
    ("host:\n  name: Our server\n  site_limit_mb: null\n  file_limit_mb: 0.5\n", Host("Our server", None, MB // 2)),
])
def test_the_host_setting_is_read(text, expected):
    assert site_settings.parse_settings(MINIMAL + text).host == expected


@pytest.mark.parametrize("text, pointer, line", [
    ("host:\n  site_limit_mb: 0\n", "/host/site_limit_mb", 6),
    ("host:\n  name: Pages\n  file_limit: 100\n", "/host/file_limit", 7),
    ("host:\n  site_limit_mb: 1 GB\n", "/host/site_limit_mb", 6),
])
def test_a_wrong_host_setting_is_named_at_its_line(text, pointer, line):
    with pytest.raises(SettingsError) as info:
        site_settings.parse_settings(MINIMAL + text, "content/site.yml")
    (problem,) = info.value.problems
    assert (problem.location.file, problem.location.line, problem.location.pointer) == \
        ("content/site.yml", line, pointer)


# --- the check, on what was written -------------------------------------------------------------

def written(*files: tuple[str, int]) -> Written:
    done = Written()
    for path, size in files:
        done.add(path, size)
    return done


def test_a_site_within_its_host_gets_no_warning():
    """At the limits exactly is within them."""
    site = written(("index.html", 10 * MB), *((f"processes/{n}/index.html", 89 * MB) for n in range(10)),
                   ("data/x.csv", 100 * MB))
    assert site.bytes == 1000 * MB and site.largest == ("data/x.csv", 100 * MB) and host_check.fits(Host(), site) == []
    assert host_check.fits(Host("Anywhere", None, None), written(("big.bin", 5000 * MB))) == []


def test_a_site_larger_than_its_host_is_warned_of_with_its_largest_parts():
    site = written(("index.html", 1 * MB), *((f"processes/{n}/index.html", 61 * MB) for n in range(10)),
                   *((f"es/processes/{n}/index.html", 50 * MB) for n in range(10)), ("awards/index.html", 3 * MB),
                   ("data/p.json", 2 * MB))
    (problem,) = host_check.fits(Host(), site)
    assert problem.code == "site-too-large" and not problem.is_error
    assert problem.message == ("The site is 1,116 MB, more than the 1,000 MB GitHub Pages publishes; its largest "
                               "parts: processes/ 610 MB, es/ 500 MB, awards/ 3.0 MB.")
    assert problem.location.file == "content/site.yml" and "host.site_limit_mb" in problem.hint


def test_a_file_larger_than_its_host_takes_is_named():
    site = written(("data/csv/parties.csv", 123_400_000), ("data/csv/awards.csv", 101 * MB), ("index.html", 1000))
    (problem,) = host_check.fits(Host("GitHub Pages", None, 100 * MB), site)
    assert problem.code == "file-too-large"
    assert problem.message == ("data/csv/parties.csv, the site's largest file, is 123 MB, more than the 100 MB "
                               "a file may be on GitHub Pages.")


# --- a build ---------------------------------------------------------------------------------------

def test_a_build_counts_what_it_wrote_and_warns_when_the_host_is_too_small(tmp_path):
    source = copy_source(tmp_path)
    settings = pipeline.settings_for(source)
    output = tmp_path / "site"
    report = pipeline.build(source, output, settings.with_overrides(host=Host("Tiny host", 1 * MB, 20_000)),
                            settings.today)
    total, parts = sizes(output)
    too_large = {p.code: p for p in report.problems if p.code in ("site-too-large", "file-too-large")}
    assert set(too_large) == {"site-too-large", "file-too-large"}
    largest = sorted(parts.items(), key=lambda item: (-item[1], item[0]))[:3]
    mb = host_check._mb  # as the unit tests above show it
    assert too_large["site-too-large"].message == (
        f"The site is {mb(total)}, more than the 1.0 MB Tiny host publishes; its largest parts: "
        + ", ".join(f"{part} {mb(size)}" for part, size in largest) + ".")
    assert "a file may be on Tiny host" in too_large["file-too-large"].message
    biggest = max((os.path.getsize(p), str(p.relative_to(output))) for p in output.rglob("*") if p.is_file())
    assert too_large["file-too-large"].message.startswith(f"{biggest[1]}, the site's largest file")
    # the default host takes the demo: no warning
    report = pipeline.build(source, output, settings, settings.today)
    assert not [p for p in report.problems if p.code in ("site-too-large", "file-too-large")]


def test_a_strict_build_too_large_for_its_host_fails_and_keeps_the_previous_site(tmp_path):
    source = copy_source(tmp_path)
    (source / "ocds_data" / "airport" / "records.json").unlink()  # its mixed currencies are a warning
    settings = pipeline.settings_for(source, base_url="https://city.example.gov/contracts/")
    output = tmp_path / "site"
    pipeline.build(source, output, settings, settings.today, policy=Policy(strict=True))
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*")}
    with pytest.raises(BuildFailed) as info:
        pipeline.build(source, output, settings.with_overrides(host=Host("Tiny host", 1 * MB, None)), settings.today,
                       policy=Policy(strict=True))
    assert [p.code for p in info.value.report.problems if not p.is_error] == ["site-too-large"]
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*")} == before
    assert sorted(e.name for e in output.parent.iterdir()) == ["site", "src"]  # no staging folder left
