"""The pipeline's shape, checked by package so a new module is covered the day it is added.

- Only the reading package (`inputs/`), `write`, `pipeline` and `cli` touch files or the clock;
  every other module is pure.
- Stages import only earlier stages: inputs → checking → records → site → publish → write →
  authoring → pipeline → cli, with the shared basics (errors, routes, labels, values, ...) under all.
- No import cycles.
- Producers (the publish modules that make artifacts) never import each other.
"""

from __future__ import annotations

import ast
import builtins
import io
import os
import sys
from pathlib import Path

import pytest

from generator import pipeline

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
# The stages in pipeline order; a module's stage is its package (inputs/, checking/, ...) or, at the
# top level, its own name. Top-level modules not named here are shared basics, below every stage.
STAGES = ("inputs", "checking", "records", "site", "publish", "write", "authoring", "pipeline", "cli", "__main__")
# The stages that may read files and the clock: reading, writing, and the two that drive them.
IO_STAGES = {"inputs", "write", "pipeline", "cli", "__main__"}

CLOCK_CALLS = {"now", "utcnow", "today", "time", "time_ns", "monotonic", "perf_counter", "localtime", "gmtime"}
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink", "rename",
              "rmtree", "listdir", "scandir", "walk", "glob", "rglob", "iterdir", "stat", "exists",
              "is_file", "is_dir", "urlopen"}
FORBIDDEN_IMPORTS = {"shutil", "tempfile", "urllib.request", "subprocess", "socket", "time", "glob"}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (generator.site.process, ...)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def stage_of(module: str) -> str:
    """"inputs" for generator.inputs.folder, "pipeline" for generator.pipeline, "" for the basics."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else ""


def rank(module: str) -> int:
    stage = stage_of(module)
    return STAGES.index(stage) + 1 if stage else 0


def imports_of(module: str, path: Path) -> set[str]:
    """The package's modules that `module` imports (`from generator.x import y` counts y when it is a module)."""
    known = modules()
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return found - {module}


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


PURE = sorted(m for m in modules() if stage_of(m) not in IO_STAGES)


def test_every_stage_and_the_basics_are_covered():
    """The checks below see every module: the pure ones include each middle stage's package."""
    stages = {stage_of(m) for m in PURE}
    assert {"", "checking", "records", "site", "publish", "authoring"} <= stages
    assert "generator.site" in PURE and "generator.routes" in PURE


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_have_no_io_or_clock(module):
    assert forbidden_uses(modules()[module].read_text("utf-8")) == []


def test_the_checker_catches_what_it_should():
    bad = "import os\nimport datetime as dt\n\ndef f(p):\n    dt.date.today()\n    return open(p).read()\n"
    found = forbidden_uses(bad)
    assert any("clock call today()" in f for f in found)
    assert any("file-system call open()" in f for f in found)
    assert any("imports os" in f for f in found)


def test_no_stage_imports_a_later_stage():
    upward = [f"{m} ({stage_of(m) or 'basics'}) imports {t} ({stage_of(t) or 'basics'})"
              for m, path in modules().items() for t in imports_of(m, path) if rank(t) > rank(m)]
    assert upward == []


def test_no_import_cycles():
    graph = {m: imports_of(m, p) for m, p in modules().items()}
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target):], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_layer_check_catches_an_upward_import():
    assert rank("generator.checking.validate") < rank("generator.authoring.notices")
    assert rank("generator.routes") == 0 < rank("generator.inputs.folder")


def producers() -> set[str]:
    """The publish modules that make artifacts (they import `Artifact`)."""
    return {m for m, p in modules().items() if stage_of(m) == "publish"
            and "generator.artifact" in imports_of(m, p)}


def test_producers_do_not_import_each_other():
    found = producers()
    assert {"generator.publish.pages", "generator.publish.feeds", "generator.publish.search",
            "generator.publish.bulk"} <= found
    crossing = [f"{m} imports {t}" for m in found for t in imports_of(m, modules()[m]) if t in found]
    assert crossing == []


LIBRARY_DATA = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, "/usr/share/zoneinfo"})


def test_middle_stages_open_no_files_while_running(demo_source, monkeypatch):
    """Run compile → model → pages, feeds, search and bulk with every open() outside library data refused."""
    from generator.inputs import folder
    from generator.publish import bulk, feeds, pages

    settings = pipeline.settings_for(demo_source)
    inputs, _ = pipeline.check(demo_source, settings)
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
    from generator import records
    from generator.site.assemble import build_site
    from generator.site.guides import parse_guides
    merger = records.make_merger(inputs.kit.release_schema)
    compiled, _ = records.compile_all(records.group_by_ocid(folder.iter_releases(inputs.data_files)), merger)
    guides, _ = parse_guides(inputs.guides)
    site = build_site(compiled, settings, settings.today, guides)
    rendered = list(pages.render_site(site, inputs.templates))
    assert rendered, "the demo renders pages"
    assert list(feeds.feed_artifacts(site)), "and calendars and feeds"
    assert [b"".join(a.chunks()) for a in bulk.BulkData(compiled, settings, settings.today).artifacts()], "and bulk data"
    assert opened == []
