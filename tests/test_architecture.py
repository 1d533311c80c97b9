"""The pipeline's shape: only `load` reads and only `write` writes; no middle stage reads the clock."""

from __future__ import annotations

import ast
import builtins
import io
import os
import sys
from pathlib import Path

import pytest

from generator import build, bulk, feeds, load, records, render
from generator.guides import parse_guides
from generator.model import build_site

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
MIDDLE_STAGES = ["validate", "records", "model", "routes", "render", "guides", "reading", "checks", "schema_index",
                 "positions", "report", "labels", "values", "vendor", "opportunities", "statistics", "formats",
                 "search", "feeds", "charts", "figures", "bulk", "flat_tables", "award_lists", "notices", "scaffold",
                 "workflows"]
PRODUCERS = ["render", "feeds", "search", "bulk"]

CLOCK_CALLS = {"now", "utcnow", "today", "time", "time_ns", "monotonic", "perf_counter", "localtime", "gmtime"}
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink", "rename",
              "rmtree", "listdir", "scandir", "walk", "glob", "rglob", "iterdir", "stat", "exists",
              "is_file", "is_dir", "urlopen"}
FORBIDDEN_IMPORTS = {"shutil", "tempfile", "urllib.request", "subprocess", "socket", "time", "glob"}


def forbidden_uses(source: str) -> list[str]:
    """Calls and imports a pure stage must not make (what the AST shows)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in CLOCK_CALLS:
                found.append(f"line {node.lineno}: clock call {name}()")
            if name in FILE_CALLS:
                found.append(f"line {node.lineno}: file-system call {name}()")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for n in names:
                if n in FORBIDDEN_IMPORTS or n.startswith("os"):
                    found.append(f"line {node.lineno}: imports {n}")
    return found


@pytest.mark.parametrize("module", MIDDLE_STAGES)
def test_middle_stage_source_has_no_io_or_clock(module):
    source = (PACKAGE / f"{module}.py").read_text("utf-8")
    assert forbidden_uses(source) == []


def test_the_checker_catches_what_it_should():
    bad = "import os\nimport datetime as dt\n\ndef f(p):\n    dt.date.today()\n    return open(p).read()\n"
    found = forbidden_uses(bad)
    assert any("clock call today()" in f for f in found)
    assert any("file-system call open()" in f for f in found)
    assert any("imports os" in f for f in found)


@pytest.mark.parametrize("producer", PRODUCERS)
def test_producers_do_not_import_each_other(producer):
    tree = ast.parse((PACKAGE / f"{producer}.py").read_text("utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "generator" for a in n.names}
    imported |= {n.module.rsplit(".", 1)[-1] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not (imported & (set(PRODUCERS) - {producer}))


LIBRARY_DATA = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, "/usr/share/zoneinfo"})


def test_middle_stages_open_no_files_while_running(demo_source, monkeypatch):
    """Run validate → compile → model → render, feeds and bulk with every open() outside library data refused."""
    settings = build.settings_for(demo_source)
    inputs, report = build.check(demo_source, settings)
    opened = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def guard(real):
        def guarded(file, *args, **kwargs):
            path = str(Path(os.fsdecode(file)).resolve()) if isinstance(file, (str, bytes, os.PathLike)) else ""
            if path and not path.startswith(LIBRARY_DATA):
                opened.append(path)
            return real(file, *args, **kwargs)
        return guarded

    monkeypatch.setattr(builtins, "open", guard(real_open))
    monkeypatch.setattr(io, "open", guard(real_io_open))
    monkeypatch.setattr(os, "open", guard(real_os_open))
    merger = records.make_merger(inputs.kit.release_schema)
    compiled, _ = records.compile_all(records.group_by_ocid(load.iter_releases(inputs.data_files)), merger)
    guides, _ = parse_guides(inputs.guides)
    site = build_site(compiled, settings, settings.today, guides)
    pages = list(render.render_site(site, inputs.templates))
    assert pages, "the demo renders pages"
    assert list(feeds.feed_artifacts(site)), "and calendars and feeds"
    assert [b"".join(a.chunks()) for a in bulk.BulkData(compiled, settings, settings.today).artifacts()], "and bulk data"
    assert opened == []
