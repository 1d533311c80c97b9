"""The command line as a city's staff and CI use it: exit codes, messages, and what gets written."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.publish import search

from conftest import DEMO_TODAY, REPO, copy_source

RELEASE = """\
ocid: ocds-aldrpt-CLI-1
id: r1
date: 2026-11-01T09:00:00-06:00
tag: [tender]
initiationType: tender
parties:
  - {id: PW, name: Public Works, roles: [buyer]}
buyer: {id: PW, name: Public Works}
tender:
  id: t1
  title: Road salt
  status: active
  tenderPeriod: {startDate: 2026-11-01T09:00:00-06:00, endDate: 2026-11-30T14:00:00-06:00}
"""


@pytest.fixture
def small_source(tmp_path) -> Path:
    source = copy_source(tmp_path, with_data=False)
    (source / "ocds_data").mkdir()
    (source / "ocds_data" / "one.yaml").write_text(RELEASE)
    return source


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_a_site_and_a_summary(small_source, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", "--source", str(small_source), "--output", str(out), "--today", DEMO_TODAY]) == 0
    assert (out / "index.html").is_file() and (out / "sitemap.xml").is_file() and (out / "404.html").is_file()
    summary = capsys.readouterr().out
    assert "Built" in summary and "1 process from 1 release in 1 file" in summary and " s " in summary
    assert "(1 release)" in summary and "(1 record)" in summary
    assert "Search shard search/current.json: " in summary
    assert "Search references: 1 file (search/references-0.json), " in summary and "references-0.json:" not in summary


def test_the_references_files_are_one_line_of_the_summary(capsys):
    from generator.cli import print_shards

    shards = [search.Shard("current", "search/current.json", 3, 2048, 1024)] + [
        search.Shard(f"references-{n}", f"search/references-{n}.json", 10, 1024 * (n + 1), 512) for n in range(300)]
    print_shards(shards)
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Search shard search/current.json: 3 documents, 2.0 KB, 1.0 KB gzipped",
                     "Search references: 300 files (search/references-0.json to search/references-299.json), "
                     "45,150.0 KB, 150.0 KB gzipped; the largest search/references-299.json, 300.0 KB"]


def test_same_inputs_and_today_give_identical_bytes(small_source, tmp_path):
    for name in ("a", "b"):
        assert main(["build", "--source", str(small_source), "--output", str(tmp_path / name),
                     "--today", DEMO_TODAY]) == 0
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_check_writes_nothing_and_fails_on_errors(small_source, capsys):
    before = digest(small_source)
    assert main(["check", "--source", str(small_source)]) == 0
    (small_source / "ocds_data" / "bad.yaml").write_text(RELEASE.replace("ocds-aldrpt-CLI-1", "ocds-other1-9")
                                                         .replace("status: active", "status: opened"))
    assert main(["check", "--source", str(small_source), "--format", "json"]) == 1
    output = json.loads(capsys.readouterr().out)
    assert output["summary"]["errors"] >= 1 and output["summary"]["warnings"] >= 1
    codes = {(p["code"], p["file"], e["pointer"]) for p in output["problems"] for e in p["examples"]}
    assert ("ocid-prefix", "ocds_data/bad.yaml", "/ocid") in codes
    assert ("codelist-closed", "ocds_data/bad.yaml", "/tender/status") in codes
    assert set(digest(small_source)) == set(before) | {"ocds_data/bad.yaml"}


def test_a_failed_build_leaves_the_published_site_untouched(small_source, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", "--source", str(small_source), "--output", str(out), "--today", DEMO_TODAY]) == 0
    published = digest(out)
    (small_source / "ocds_data" / "broken.json").write_text('{"releases": [1, 2,,]}')
    assert main(["build", "--source", str(small_source), "--output", str(out), "--today", DEMO_TODAY]) == 1
    err = capsys.readouterr().err
    assert "ocds_data/broken.json" in err and "not valid JSON" in err and "Traceback" not in err
    assert digest(out) == published
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_output_may_not_be_or_contain_the_source(small_source, capsys):
    assert main(["build", "--source", str(small_source), "--output", str(small_source)]) == 1
    assert main(["build", "--source", str(small_source), "--output", str(small_source.parent)]) == 1
    err = capsys.readouterr().err
    assert "would delete the city's data" in err
    assert (small_source / "ocds_data" / "one.yaml").is_file()


def test_bad_settings_are_reported_with_line_numbers(small_source, capsys):
    settings = small_source / "content" / "site.yml"
    settings.write_text(settings.read_text().replace("city_name:", "city_nam:"))
    assert main(["check", "--source", str(small_source)]) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(settings.read_text().splitlines(), 1) if text.startswith("city_nam:"))
    assert f"content/site.yml:{line}" in err and "unknown key 'city_nam'" in err and "'city_name' is required" in err


def test_offline_without_schema_names_both_remedies(small_source, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("OCDS_PORTAL_SCHEMA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))

    def offline(*args, **kwargs):
        import urllib.error
        raise urllib.error.URLError("no network")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    assert main(["check", "--source", str(small_source)]) == 1
    err = capsys.readouterr().err
    assert "portal schema fetch" in err and "OCDS_PORTAL_SCHEMA_DIR" in err and "Traceback" not in err


def test_schema_fetch_into_a_folder_uses_the_pins(tmp_path, schema_dir, monkeypatch, capsys):
    def from_shared(url, timeout=30):
        import json as _json
        pins = _json.loads((REPO / "generator" / "schema_pins.json").read_text())
        path = next(f["path"] for f in pins["files"] if f["url"] == url)

        class Response:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def read(self):
                return (schema_dir / path).read_bytes()
        return Response()

    monkeypatch.setattr("urllib.request.urlopen", from_shared)
    assert main(["schema", "fetch", "--source", str(REPO), "--into", str(tmp_path / "kit")]) == 0
    assert (tmp_path / "kit" / "1.1.5" / "release-schema.json").read_bytes() == (
        schema_dir / "1.1.5" / "release-schema.json").read_bytes()
    assert "verified" in capsys.readouterr().out


def test_python_dash_m_and_the_console_script_agree():
    result = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("portal ")


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback test server
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30.0):
    import time
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_serve_builds_serves_and_rebuilds_on_change(small_source, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--source", str(small_source), "--output", str(tmp_path / "site"),
         "--port", str(port), "--today", DEMO_TODAY], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        home = f"http://127.0.0.1:{port}/"
        assert "Road salt" in wait_for(lambda: fetch(home))
        release = small_source / "ocds_data" / "one.yaml"
        release.write_text(release.read_text().replace("Road salt", "Road gravel"))
        assert wait_for(lambda: "Road gravel" in fetch(home))
        import urllib.error
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(home + "no/such/page/")
        assert missing.value.code == 404 and b"Page not found" in missing.value.read()
    finally:
        process.terminate()
        process.wait(timeout=10)


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_rewrites_one_line_on_a_terminal_and_prints_plain_lines_elsewhere(monkeypatch):
    from generator.cli import Progress

    monkeypatch.delenv("CI", raising=False)
    terminal = FakeTerminal()
    progress = Progress(terminal)
    for done in range(1, 11):
        progress("files read", done, 10)
    assert terminal.getvalue().count("\r") == 10 and terminal.getvalue().endswith("files read: 10/10\n")

    log = io.StringIO()
    progress = Progress(log)
    for done in range(1, 101):
        progress("pages written", done, 100)
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and lines[-1] == "pages written: 100/100" and 2 <= len(lines) <= 5

    monkeypatch.setenv("CI", "true")
    ci = FakeTerminal()
    Progress(ci)("files read", 1, 1)
    assert ci.getvalue() == "files read: 1/1\n"


def test_a_bad_base_url_is_refused(small_source, tmp_path, capsys):
    assert main(["build", "--source", str(small_source), "--output", str(tmp_path / "s"),
                 "--base-url", "javascript:alert(1)//"]) == 1
    assert "is not a web address" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_an_unusable_output_path_is_a_message_not_a_traceback(small_source, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["build", "--source", str(small_source), "--output", str(tmp_path / "afile" / "sub")]) == 1
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_a_failed_build_ends_with_a_summary_line(small_source, tmp_path, capsys):
    (small_source / "ocds_data" / "bad.yaml").write_text("tender: [unclosed\n")
    assert main(["build", "--source", str(small_source), "--output", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("Build failed: 1 error, 0 warnings in 1 release,") and "nothing was written" in err[-1]
    assert any("1 file could not be read (ocds_data/bad.yaml)" in line and "--keep-going" in line for line in err)
    assert not (tmp_path / "s").exists()


def test_a_guide_that_is_not_utf8_is_a_problem_for_check(small_source, capsys):
    (small_source / "content" / "guide.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    (small_source / "content" / "nofront.md").write_text("Just text\n")
    assert main(["check", "--source", str(small_source)]) == 1
    err = capsys.readouterr().err
    assert "content/guide.md" in err and "not UTF-8" in err and "content/nofront.md" in err


def test_check_prints_github_annotations_on_the_line(small_source, capsys):
    (small_source / "ocds_data" / "bad.yaml").write_text(RELEASE.replace("status: active", "status: opened")
                                                          .replace("id: r1", "id: r2"))
    assert main(["check", "--source", str(small_source), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    status_line = next(n for n, text in enumerate(RELEASE.splitlines(), 1) if "status: active" in text)
    assert f"::error file=ocds_data/bad.yaml,line={status_line},title=codelist-closed::" \
           "tender.status is 'opened', which is not a code of the closed tenderStatus codelist. " \
           "What to do: Use one of: planning, planned, active, cancelled, unsuccessful, complete, withdrawn." in lines


def test_check_text_names_file_line_problem_and_fix(small_source, capsys):
    (small_source / "ocds_data" / "bad.yaml").write_text(RELEASE.replace("status: active", "status: opened")
                                                          .replace("id: r1", "id: r2"))
    assert main(["check", "--source", str(small_source)]) == 1
    err = capsys.readouterr().err
    status_line = next(n for n, text in enumerate(RELEASE.splitlines(), 1) if "status: active" in text)
    assert "ocds_data/bad.yaml" in err and f"line {status_line}," in err and "tender.status is 'opened'" in err
    assert "what to do: Use one of:" in err


def test_build_publishes_with_notes_and_leaves_out_only_what_would_be_wrong(small_source, tmp_path, capsys):
    from generator import routes
    noted = RELEASE.replace("ocds-aldrpt-CLI-1", "ocds-aldrpt-CLI-2").replace("status: active", "status: opened")
    wrong = RELEASE.replace("ocds-aldrpt-CLI-1", "ocds-aldrpt-CLI-3").replace(
        "  status: active", "  status: active\n  value: {amount: 5000}")
    (small_source / "ocds_data" / "noted.yaml").write_text(noted)
    (small_source / "ocds_data" / "wrong.yaml").write_text(wrong)
    out = tmp_path / "site"
    assert main(["check", "--source", str(small_source)]) == 1  # a pull request's check stays strict
    assert main(["build", "--source", str(small_source), "--output", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Published 1 process with data-quality notes" in err
    assert "Left out 1 process whose data would make their page wrong (the data-quality page lists them): " \
           "ocds-aldrpt-CLI-3" in err
    assert (out / routes.process_path("ocds-aldrpt-CLI-1")).is_file()
    page = (out / routes.process_path("ocds-aldrpt-CLI-2")).read_text()
    assert "Notes on this data" in page and "tender.status is &#39;opened&#39;" in page
    assert "Notes on this data" not in (out / routes.process_path("ocds-aldrpt-CLI-1")).read_text()
    assert not (out / routes.process_path("ocds-aldrpt-CLI-3")).exists()
    quality = (out / "data-quality" / "index.html").read_text()
    assert "codelist-closed" in quality and "ocds-aldrpt-CLI-3" in quality and "Road salt" in quality
    assert "1 of the 2 contracting processes on this site was published with problems" in quality


def test_keep_going_publishes_without_a_file_that_cannot_be_read(small_source, tmp_path, capsys):
    from generator import routes
    (small_source / "ocds_data" / "broken.json").write_text('{"releases": [1, 2,,]}')
    out = tmp_path / "site"
    assert main(["build", "--source", str(small_source), "--output", str(out), "--keep-going"]) == 0
    assert "ocds_data/broken.json" in capsys.readouterr().err
    assert (out / routes.process_path("ocds-aldrpt-CLI-1")).is_file()


def test_strict_makes_warnings_fail(small_source, tmp_path, capsys):
    release = small_source / "ocds_data" / "one.yaml"
    release.write_text(release.read_text().replace("roles: [buyer]", "roles: [buyer, Buyer]"))
    assert main(["check", "--source", str(small_source)]) == 0
    assert main(["check", "--source", str(small_source), "--strict"]) == 1
    assert main(["build", "--source", str(small_source), "--output", str(tmp_path / "s"), "--strict"]) == 1
    assert "codelist-open" in capsys.readouterr().err


def test_unchanged_files_are_not_checked_again(small_source, tmp_path, monkeypatch):
    from generator import pipeline

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (small_source / "ocds_data" / "two.yaml").write_text(RELEASE.replace("CLI-1", "CLI-2").replace("active", "opened"))
    settings = pipeline.settings_for(small_source)
    _, first = pipeline.check(small_source, settings)
    _, second = pipeline.check(small_source, settings)
    assert first.counts["files from cache"] == 0 and second.counts["files from cache"] == 2
    assert [(p.code, p.location) for p in first.problems] == [(p.code, p.location) for p in second.problems]
    (small_source / "ocds_data" / "two.yaml").write_text(RELEASE.replace("CLI-1", "CLI-2"))
    _, third = pipeline.check(small_source, settings)
    assert third.counts["files from cache"] == 1 and not third.errors


def test_github_annotations_name_files_from_the_repository_root(small_source, capsys, monkeypatch):
    """A portal in a sub-folder of the repository (the workflow runs at the root): its files are
    named with the folder, so GitHub puts each annotation on the changed line."""
    (small_source / "ocds_data" / "bad.yaml").write_text(RELEASE.replace("status: active", "status: opened")
                                                          .replace("id: r1", "id: r2"))
    monkeypatch.chdir(small_source.parent)
    assert main(["check", "--source", small_source.name, "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith(f"::error file={small_source.name}/ocds_data/bad.yaml,line=")
    monkeypatch.chdir(small_source)
    assert main(["check", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=ocds_data/bad.yaml,line=")


def test_check_changed_since_counts_only_what_the_change_touches(small_source, capsys):
    """A pull request is answerable for the files it changes, not for old problems elsewhere."""
    import subprocess

    def git(*args):
        subprocess.run(["git", "-C", str(small_source), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)

    old = RELEASE.replace("ocds-aldrpt-CLI-1", "ocds-aldrpt-CLI-2").replace("status: active", "status: opened")
    (small_source / "ocds_data" / "old.yaml").write_text(old)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "old data with a problem")
    git("checkout", "-q", "-b", "change")
    assert main(["check", "--source", str(small_source), "--changed-since", "main"]) == 0
    assert "1 problem in files not changed since main were not counted" in capsys.readouterr().err
    (small_source / "ocds_data" / "new.yaml").write_text(old.replace("CLI-2", "CLI-3"))  # untracked, new
    assert main(["check", "--source", str(small_source), "--changed-since", "main", "--format", "json"]) == 1
    files = {p["file"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert files == {"ocds_data/new.yaml"}
    assert main(["check", "--source", str(small_source), "--changed-since", "no-such-branch"]) == 1
    assert "git could not compare with 'no-such-branch'" in capsys.readouterr().err


def test_a_pull_request_fails_on_a_warning_in_a_file_it_changes_and_only_annotates_one_elsewhere(small_source, capsys):
    """The check workflow's policy (--changed-since): a warning in a file the change touches fails
    the check (it is usually a mistake just made); problems in other files are annotated as
    warnings and fail nothing."""
    import subprocess

    def git(*args):
        subprocess.run(["git", "-C", str(small_source), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)

    warned = RELEASE.replace("  title: Road salt\n", "  title: Road salt\n  description: ''\n")  # empty-value: a warning
    (small_source / "ocds_data" / "old.yaml").write_text(warned.replace("CLI-1", "CLI-2").replace("id: r1", "id: r2"))
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "old data with a warning")
    git("checkout", "-q", "-b", "change")
    args = ["check", "--source", str(small_source), "--changed-since", "main", "--format", "github"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("::warning file=ocds_data/old.yaml,line=") and "title=empty-value" in out
    (small_source / "ocds_data" / "one.yaml").write_text(warned)  # the change adds the same warning here
    assert main(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in out] == ["::warning file=ocds_data/old.yaml", "::warning file=ocds_data/one.yaml"]
    assert main(["check", "--source", str(small_source)]) == 0, "without a pull request, warnings alone pass"
