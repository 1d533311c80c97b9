"""Publishing from the browser: the New notice workflow (workflow_dispatch) runs `portal new` and
opens a pull request. Its script is run here as GitHub would run it, in a new city's repository,
with a local bare repository as GitHub and a stand-in `gh` that records the pull request."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main

WORKFLOW = ".github/workflows/new-notice.yml"
TITLE = "Road salt for the 2027 winter"


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def city(tmp_path):
    """A new city's repository, pushed to a bare repository that stands in for GitHub."""
    city = tmp_path / "city"
    assert main(["init", str(city), "--city-name", "Springfield", "--ocid-prefix", "ocds-abc123",
                 "--timezone", "America/Chicago"]) == 0
    git("init", "--quiet", "--initial-branch", "main", cwd=city)
    git("add", ".", cwd=city)
    git("-c", "user.name=Clerk", "-c", "user.email=clerk@example.gov", "commit", "--quiet", "-m", "New city", cwd=city)
    remote = tmp_path / "github.git"
    git("init", "--quiet", "--bare", str(remote))
    git("push", "--quiet", str(remote), "main", cwd=city)
    return city, remote


def the_step(city: Path) -> dict:
    workflow = yaml.safe_load((city / WORKFLOW).read_text("utf-8"))
    [step] = [s for s in workflow["jobs"]["notice"]["steps"] if "gh pr create" in s.get("run", "")]
    return step


def run(city: Path, remote: Path, tmp_path: Path, **form) -> tuple[subprocess.CompletedProcess, Path]:
    """The step's script with the form's values, as the runner would give them."""
    step = the_step(city)
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    gh = fake / "gh"
    gh.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_LOG"\n'
                  'while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$GH_LOG.body"; shift; done\n')
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    values = {"KIND": form.get("kind", ""), "OCID": form.get("ocid", ""), "TITLE": form.get("title", ""),
              "DEPARTMENT": form.get("department", ""), "GH_TOKEN": "t0ken", "ACTOR": "jdoe", "ACTOR_ID": "4242",
              "BASE": "main", "PUSH_URL": str(remote), "SERVER": "https://github.com",
              "REPOSITORY": "springfield/portal", "RUN": "1234"}
    assert set(values) == set(step["env"]), "the test gives the script what the workflow gives it"
    log = tmp_path / "gh.log"
    env = {**os.environ, **values, "GH_LOG": str(log), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "PATH": os.pathsep.join([str(fake), str(Path(sys.executable).parent), os.environ["PATH"]])}
    return subprocess.run(["bash", "-c", step["run"]], cwd=city, env=env, capture_output=True, text=True,
                          timeout=120), log


def test_the_form_asks_for_the_kind_ocid_title_and_department(city):
    workflow = yaml.safe_load((city[0] / WORKFLOW).read_text("utf-8"))
    form = workflow.get("on", workflow.get(True))["workflow_dispatch"]["inputs"]
    assert list(form) == ["kind", "ocid", "title", "department"]
    assert form["kind"]["options"] == ["opportunity", "addendum", "award", "contract"] and form["kind"]["required"]
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["notice"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert all("${{" not in line for line in the_step(city[0])["run"].splitlines()), "no form value inline"


def test_a_new_opportunity_from_the_browser_arrives_as_a_pull_request(city, tmp_path):
    city, remote = city
    done, log = run(city, remote, tmp_path, kind="opportunity", title=TITLE, department="public-works")
    assert done.returncode == 0, done.stdout + done.stderr
    changed = git("--git-dir", str(remote), "show", "--name-status", "--format=%an <%ae>%n%s",
                  "notice/opportunity-1234").split("\n")
    assert changed[0] == "jdoe <4242+jdoe@users.noreply.github.com>"
    [(status, path)] = [line.split("\t") for line in changed[2:] if line]
    assert status == "A" and path.startswith("ocds_data/") and path.endswith("-tender.yaml")
    notice = yaml.safe_load(git("--git-dir", str(remote), "show", f"notice/opportunity-1234:{path}"))
    assert notice["tender"]["title"] == TITLE
    assert notice["buyer"] == {"id": "public-works", "name": "Department of Public Works"}
    args = log.read_text().splitlines()
    assert args[:7] == ["pr", "create", "--base", "main", "--head", "notice/opportunity-1234", "--title"]
    assert args[7] == f"New opportunity: {TITLE}"
    body = Path(f"{log}.body").read_text()
    assert f"[Edit the notice](https://github.com/springfield/portal/edit/notice/opportunity-1234/{path})" in body
    assert "Fill in its" in body and "blanks marked FILL IN" in body
    assert "Opened a pull request" in (tmp_path / "summary.md").read_text()
    assert git("status", "--porcelain", cwd=city) == "", "nothing is left behind"


def test_a_mistyped_ocid_fails_the_run_with_the_reason_and_opens_nothing(city, tmp_path):
    city, remote = city
    done, log = run(city, remote, tmp_path, kind="award", ocid="ocds-abc123-2026-9999")
    assert done.returncode == 1
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("### The notice was not written") and "No process with the ocid" in summary
    assert "notice/" not in git("--git-dir", str(remote), "branch", "--list")
    assert not log.exists(), "no pull request"


def test_a_hostile_title_is_only_text(city, tmp_path):
    city, remote = city
    hostile = '$(touch pwned) `touch pwned2` "; exit 0 # \\'
    done, _ = run(city, remote, tmp_path, kind="opportunity", title=hostile)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (city / "pwned").exists() and not (city / "pwned2").exists()
    [path] = [p for p in git("--git-dir", str(remote), "show", "--name-only", "--format=",
                              "notice/opportunity-1234").split() if p]
    notice = yaml.safe_load(git("--git-dir", str(remote), "show", f"notice/opportunity-1234:{path}"))
    assert notice["tender"]["title"] == hostile
