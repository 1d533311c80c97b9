"""Shared fixtures. Tests use the OCDS schema kit beside the repository (../shared/ocds)."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCHEMA_DIR = REPO.parent / "shared" / "ocds"
SHARED_OCDS = SCHEMA_DIR
DEMO_TODAY = "2026-11-16"

# A minimal valid release; tests change what they need with `release(...)`.
RELEASE = {"ocid": "ocds-aldrpt-X-1", "id": "1", "date": "2026-11-01T09:00:00-06:00", "tag": ["tender"],
           "parties": [{"id": "PW", "name": "Public Works", "roles": ["buyer"]}],
           "initiationType": "tender", "tender": {"id": "t1", "status": "active"}}


def release(**changes) -> dict:
    data = copy.deepcopy(RELEASE)
    data.update(copy.deepcopy(changes))
    return data

os.environ.setdefault("OCDS_PORTAL_SCHEMA_DIR", str(SCHEMA_DIR))
# The validation cache of a test run stays out of the user's own cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ocds-portal-test-cache-")


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    return SCHEMA_DIR


@pytest.fixture(scope="session")
def demo_source() -> Path:
    """The repository itself is the demo city's source folder."""
    return REPO


@pytest.fixture(scope="session")
def demo_kit(demo_source):
    """The demo's schema kit (the release schema with the city's extensions), read as the build reads it."""
    from generator.inputs import folder

    kit, _ = folder.read_kit(folder.read_settings(demo_source), demo_source)
    return kit


@pytest.fixture(scope="session")
def demo_view():
    """The demo's view model, from the pipeline as a build makes it (per xdist worker)."""
    from generator import pipeline

    return pipeline.site_of(REPO, pipeline.settings_for(REPO))


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo built once per test session (per xdist worker)."""
    from generator import pipeline

    output = tmp_path_factory.mktemp("demo") / "site"
    settings = pipeline.settings_for(REPO)
    pipeline.build(REPO, output, settings, settings.today)
    return output


def copy_source(tmp_path: Path, with_data: bool = True) -> Path:
    """A copy of the demo's source folder that a test may change."""
    target = tmp_path / "src"
    (target / "content").mkdir(parents=True)
    shutil.copy(REPO / "content" / "site.yml", target / "content" / "site.yml")
    if with_data and (REPO / "ocds_data").is_dir():
        shutil.copytree(REPO / "ocds_data", target / "ocds_data")
    return target


def pytest_terminal_summary(terminalreporter):
    """Print the demo's largest pages (recorded by the page-weight gate)."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        if report.when == "call" and "test_page_and_css_weight" in report.nodeid and report.user_properties:
            terminalreporter.write_line("Largest pages of the demo site:")
            for path, size in report.user_properties:
                terminalreporter.write_line(f"  {size / 1024:6.1f} KB  {path}")


# The browser and the demo served under a sub-path, for the browser tests (one per test module).
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    import gates

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=gates.CHROMIUM, args=gates.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(demo_site):
    import gates

    with gates.serve(demo_site) as base:
        yield base


@pytest.fixture
def open_at(browser):
    """Open a URL with the visitor's clock fixed at `now`; collect console errors."""
    contexts = []

    def go(url: str, now: dt.datetime):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(f"{m.text} {m.location}") if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("response", lambda r: page.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.clock.set_fixed_time(now)
        page.goto(url, wait_until="load")
        return page

    yield go
    for context in contexts:
        context.close()
