"""Invalid data is published with notes, so every stage after checking must cope with any JSON
type anywhere. One sweep: the demo's richest process (seven releases: plan, tender, addenda,
award, contract, amendments), copied once for every value in it with that value replaced by a
value of another type, all built together. Nothing may raise; each copy is either published or
left out as the policy says; the pages are written."""

from __future__ import annotations

import copy
import gzip
import json

import pytest
from bs4 import BeautifulSoup

from generator import routes
from generator.cli import main

from conftest import REPO, copy_source

SOURCE_OCID = "ocds-aldrpt-2025-FD-0006"


def source_releases() -> list[dict]:
    found = []
    for path in sorted((REPO / "ocds_data").rglob("*.json")):
        found += [r for r in json.loads(path.read_text("utf-8")).get("releases", []) if r["ocid"] == SOURCE_OCID]
    return sorted(found, key=lambda r: r["date"])


def paths(value, prefix=()):
    """Every path to a value, containers included (not the ocid and id, which name the copy)."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        if prefix == () and key in ("ocid", "id"):
            continue
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def other_type(value, n: int):
    """A value of another JSON type, varied by `n`."""
    if isinstance(value, (dict, list)):
        return [5, "x", None, True][n % 4]
    if isinstance(value, str):
        return [{"a": 1}, [value], 7.5, False][n % 4]
    return [{"a": 1}, ["x"], "text", None][n % 4]


PER_COPY = 4  # values changed in each copy, far apart (so the sweep stays a few seconds)


def _replace(release: dict, path: tuple, n: int) -> None:
    target = release
    for key in path[:-1]:
        target = target.get(key) if isinstance(target, dict) else (
            target[key] if isinstance(target, list) and key < len(target) else None)
    if isinstance(target, dict) and path[-1] in target or isinstance(target, list) and path[-1] < len(target):
        target[path[-1]] = other_type(target[path[-1]], n)


def mutated_copies() -> list[list[dict]]:
    """Each path of the process changed once, in every release that has it (a type that changed
    between releases could not be merged at all, so the pages would never meet it), PER_COPY
    paths per copy, a quarter of the list apart."""
    releases = source_releases()
    every = list(dict.fromkeys(path for release in releases for path in paths(release)))
    stride = -(-len(every) // PER_COPY)
    copies = []
    for start in range(stride):
        changed = copy.deepcopy(releases)
        for n, path in enumerate(every[start::stride]):
            for release in changed:
                _replace(release, path, start + n)
        ocid = f"{SOURCE_OCID}-M{len(copies):04d}"
        for each in changed:
            each["ocid"] = ocid
            each["id"] = each["id"].replace(SOURCE_OCID, ocid)
        copies.append(changed)
    return copies


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wrong-types")
    source = copy_source(tmp, with_data=False)
    (source / "ocds_data").mkdir()
    copies = mutated_copies()
    package = {"uri": "https://example.gov/p.json", "version": "1.1", "publishedDate": "2026-11-01T00:00:00Z",
               "publisher": {"name": "Alderport"}, "releases": [r for c in copies for r in c]}
    (source / "ocds_data" / "mutated.json").write_text(json.dumps(package), "utf-8")
    return source, tmp / "site", copies


def test_every_value_of_another_type_is_published_or_left_out_without_a_crash(swept, capsys):
    source, site, copies = swept
    code = main(["build", "--source", str(source), "--output", str(site), "--keep-going"])
    out = capsys.readouterr()
    assert code == 0, out.err[-3000:]
    assert "Traceback" not in out.err
    records = json.loads(gzip.decompress((site / "data" / "ocds-record-package.json.gz").read_bytes()))["records"]
    published = {r["ocid"] for r in records}
    quality = BeautifulSoup((site / "data-quality" / "index.html").read_text("utf-8"), "lxml")
    left_out = {code.get_text() for code in quality.select("li > code")}
    everyone = {c[0]["ocid"] for c in copies}
    assert published | left_out == everyone and not published & left_out
    assert len(published) >= 0.75 * len(everyone)  # most wrong types are notes, not missing pages
    assert len(everyone) > 100
    for ocid in sorted(published)[:: max(len(published) // 20, 1)]:
        assert (site / routes.process_path(ocid)).is_file()


def test_the_sweep_reaches_every_section_pages_read():
    sections = {path[0] for release in source_releases() for path in paths(release)}
    assert {"tender", "awards", "contracts", "parties", "buyer", "tag", "date"} <= sections
