"""lunr.js and lunr-languages for the site: from the wheel, node_modules/, the cache, or the npm
registry, always the pinned file."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import urllib.error
from pathlib import Path

import pytest

from generator.errors import PortalError
from generator.inputs import folder

REPO = Path(__file__).resolve().parents[1]
LUNR = (REPO / "node_modules/lunr/lunr.min.js").read_bytes()
NPM_PATH, TARBALL, SHA256 = folder.BROWSER_LIBRARIES["lunr.min.js"]


def tarball(content: bytes) -> bytes:
    """A registry tarball as npm publishes it: the package's files under package/."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/lunr.min.js")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture
def no_local_copy(monkeypatch, tmp_path):
    """As for a generator installed from a git URL: no packaged copy and no node_modules/."""
    monkeypatch.setitem(folder.BROWSER_LIBRARIES, "lunr.min.js", ("lunr-not-installed/lunr.min.js", TARBALL, SHA256))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "ocds-portal" / "browser" / "lunr.min.js"


@pytest.mark.parametrize("name", sorted(folder.BROWSER_LIBRARIES))
def test_the_pin_is_the_version_package_json_installs(name):
    npm_path, tarball_url, sha256 = folder.BROWSER_LIBRARIES[name]
    package = npm_path.split("/")[0]
    lock = json.loads((REPO / "package-lock.json").read_text())["packages"][f"node_modules/{package}"]
    assert tarball_url == f"https://registry.npmjs.org/{package}/-/{package}-{lock['version']}.tgz"
    assert json.loads((REPO / "package.json").read_text())["dependencies"][package] == lock["version"]
    assert hashlib.sha256((REPO / "node_modules" / npm_path).read_bytes()).hexdigest() == sha256


def test_every_library_reaches_the_site_and_the_wheel():
    assert set(folder.browser_libraries()) == set(folder.BROWSER_LIBRARIES)
    hook = (REPO / "hatch_build.py").read_text("utf-8")
    assert all(f'"{npm_path}"' in hook for npm_path, _, _ in folder.BROWSER_LIBRARIES.values()), \
        "hatch_build.py packages every library into the wheel"


def test_without_a_local_copy_it_is_downloaded_once_verified_and_cached(no_local_copy):
    asked = []

    def registry(url):
        asked.append(url)
        return tarball(LUNR)

    assert folder.browser_libraries(fetch=registry)["lunr.min.js"] == LUNR
    assert asked == [TARBALL] and no_local_copy.read_bytes() == LUNR

    def offline(url):
        raise urllib.error.URLError("no network")

    assert folder.browser_libraries(fetch=offline)["lunr.min.js"] == LUNR, "the cache serves the next build"


def test_a_changed_file_is_refused_and_not_cached(no_local_copy):
    with pytest.raises(PortalError, match="does not match its pinned checksum"):
        folder.browser_libraries(fetch=lambda url: tarball(LUNR + b"/* changed */"))
    assert not no_local_copy.exists()


def test_offline_without_a_copy_says_what_to_do(no_local_copy):
    def offline(url):
        raise urllib.error.URLError("no network")

    with pytest.raises(PortalError, match="could not be downloaded") as caught:
        folder.browser_libraries(fetch=offline)
    assert "npm ci" in caught.value.hint and "install the generator from a wheel" in caught.value.hint
