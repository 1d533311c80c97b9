"""Time full portal builds on synthetic data of growing size.

    python benchmarks/run.py [N ...]        (default: 1000 10000)

For each N (number of contracting processes) this generates ``benchmarks/out/src-N`` with
``synthetic.py`` (reused when its marker file says it already holds the same data), then runs

    <python> -m generator build --source benchmarks/out/src-N --output benchmarks/out/site-N
        --today 2026-11-16

in a child process with OCDS_PORTAL_SCHEMA_DIR pointing at ``<repo>/../shared/ocds`` (unless
already set), and prints one table: wall time, the child's peak memory, HTML pages written,
pages per second and output size. Then it times two builds over that site with the caches the
first left: the same data again (which keys the pages: the first build, into a new folder, did
not), and after one release file changed (one release's title in the first file, in a copy of
the source whose other files are hard links). Exits non-zero, showing the end of its stderr,
when a build fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson
import synthetic

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
TODAY = date(2026, 11, 16)
SEED = 1
MARKER = ".synthetic.json"
STDERR_TAIL_LINES = 40


@dataclass
class Result:
    n: int
    releases: int
    wall: float
    peak_mib: float
    pages: int
    output_mib: float
    floor: float = 0.0  # seconds: read every file, group by ocid, write one 2 KB page per process
    stages: str = ""  # the build's own "Seconds by stage" line
    largest: tuple[str, float] = ("", 0.0)  # the largest output file and its MiB
    cpu: float = 0.0  # seconds of CPU the build and its workers used (user and system)
    again: float = 0.0  # seconds: the same data built again over the site, with the caches the first left
    one_file: float = 0.0  # seconds: built again after one release file changed
    one_file_written: int = 0  # files the one-file build wrote (the others hard-linked from the site before)

    @property
    def ratio(self) -> float:
        return self.wall / self.floor if self.floor else 0.0


# --------------------------------------------------------------------------------------------
# Source data
# --------------------------------------------------------------------------------------------


def marker_for(n: int) -> dict:
    """What a source folder must have been generated with to be reused.

    The hash of synthetic.py and of the site template make a changed generator or template
    regenerate the data instead of silently benchmarking stale files.
    """
    digest = hashlib.sha256(Path(synthetic.__file__).read_bytes())
    digest.update(synthetic.SITE_TEMPLATE.read_bytes())
    return {"n": n, "seed": SEED, "today": TODAY.isoformat(), "generator": digest.hexdigest()}


def read_marker(src: Path) -> dict | None:
    try:
        return json.loads((src / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ensure_source(n: int, force: bool) -> int:
    """Generate ``out/src-N`` unless it is already current; return its number of releases."""
    src = OUT_DIR / f"src-{n}"
    wanted = marker_for(n)
    found = read_marker(src)
    if not force and found is not None and {k: found.get(k) for k in wanted} == wanted:
        print(f"src-{n}: reusing {found['releases']} releases")
        return found["releases"]
    (src / MARKER).unlink(missing_ok=True)  # an interrupted run must not look complete
    started = time.perf_counter()
    counts = synthetic.generate(n, src, seed=SEED, today=TODAY)
    elapsed = time.perf_counter() - started
    (src / MARKER).write_text(json.dumps({**wanted, **counts}, indent=1), encoding="utf-8")
    print(
        f"src-{n}: generated {counts['releases']} releases in {counts['files']} files "
        f"({counts['bytes'] / 2**20:.1f} MiB) in {elapsed:.1f} s"
    )
    return counts["releases"]


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


def build_env(cache: Path) -> dict[str, str]:
    """The child's environment: the schema kit beside the repository, and an empty cache folder, so
    every build is cold (no validation results or compiled templates from an earlier run)."""
    env = dict(os.environ)
    default = (REPO_ROOT.parent / "shared" / "ocds").resolve()
    env.setdefault("OCDS_PORTAL_SCHEMA_DIR", str(default))
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def run_build(src: Path, site: Path, log: Path, cold: bool = True) -> tuple[int, float, float, float]:
    """Run one build (`cold`: with an empty cache folder); return (exit code, wall seconds, the
    child's peak RSS in MiB, the CPU seconds of the child and of the workers it waited for)."""
    command = [
        sys.executable, "-m", "generator", "build",
        "--source", str(src), "--output", str(site), "--today", TODAY.isoformat(),
    ]
    cache = OUT_DIR / "cache"
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    with log.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=REPO_ROOT, env=build_env(cache),
                                 stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux: the largest of the build and its workers, not their sum
    return child.returncode, wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def tail(path: Path, lines: int = STDERR_TAIL_LINES) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def measure_output(site: Path) -> tuple[int, int, tuple[str, int]]:
    """Number of HTML pages, total bytes under ``site``, and its largest file with its bytes."""
    pages = size = 0
    largest = ("", 0)
    for folder, _, files in os.walk(site):
        for name in files:
            path = os.path.join(folder, name)
            bytes_ = os.path.getsize(path)
            size += bytes_
            pages += name.endswith(".html")
            if bytes_ > largest[1]:
                largest = (os.path.relpath(path, site), bytes_)
    return pages, size, largest


FLOOR_PAGE = 2048  # bytes of each process's page in the floor


def floor(src: Path, target: Path) -> float:
    """The least a build of this data does, timed: read and parse every file, group the releases
    by ocid, and write one 2 KB page per process (what the build is compared with: issue 22)."""
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    by_ocid: dict[str, list] = {}
    for path in sorted((src / "ocds_data").rglob("*.json")):
        for release in orjson.loads(path.read_bytes()).get("releases", []):
            by_ocid.setdefault(release["ocid"], []).append(release)
    target.mkdir(parents=True)
    for n, (ocid, releases) in enumerate(by_ocid.items()):
        folder = target / str(n // 1000)
        if n % 1000 == 0:
            folder.mkdir()
        page = f"<h1>{ocid}</h1><p>{len(releases)} releases</p>".encode()
        (folder / f"{n}.html").write_bytes(page.ljust(FLOOR_PAGE, b" "))
    elapsed = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def benchmark(n: int, releases: int) -> Result:
    """Build out/site-N from out/src-N (a copy: out/edit-N), then again, then after one file
    changed; exits the program if a build fails."""
    src, site = edit_copy(OUT_DIR / f"src-{n}", OUT_DIR / f"edit-{n}"), OUT_DIR / f"site-{n}"
    log = OUT_DIR / f"build-{n}.log"
    shutil.rmtree(site, ignore_errors=True)  # count only what this build writes
    _, wall, peak, cpu = checked_build(n, src, site, log)
    stages = [line for line in log.read_text("utf-8", errors="replace").splitlines()
              if line.startswith("Seconds by stage")]
    if stages:
        print(f"src-{n}: {stages[-1]}")
        validate_s = re.search(r"validate ([0-9.]+)", stages[-1])
        if validate_s and float(validate_s.group(1)) > 0:
            print(f"src-{n}: validation rate {releases / float(validate_s.group(1)):,.0f} releases/s "
                  "(schema with 10 extensions, codelists and OCDS checks)")
    pages, size, (largest, largest_bytes) = measure_output(site)
    again = checked_build(n, src, site, OUT_DIR / f"build-{n}-again.log", cold=False)[1]
    edit_one_file(src)
    one_log = OUT_DIR / f"build-{n}-one-file.log"
    one_file = checked_build(n, src, site, one_log, cold=False)[1]
    written = re.findall(r"([0-9,]+) files? written", one_log.read_text("utf-8", errors="replace"))
    print(f"src-{n}: built again in {again:.1f} s; after one file changed in {one_file:.1f} s")
    seconds = floor(OUT_DIR / f"src-{n}", OUT_DIR / f"floor-{n}")
    return Result(n, releases, wall, peak, pages, size / 2**20, seconds,
                  stages[-1].removeprefix("Seconds by stage: ") if stages else "", (largest, largest_bytes / 2**20),
                  cpu, again, one_file, int(written[-1].replace(",", "")) if written else 0)


def checked_build(n: int, src: Path, site: Path, log: Path, cold: bool = True) -> tuple[int, float, float, float]:
    found = run_build(src, site, log, cold)
    if found[0] != 0:
        print(f"\nbuild of src-{n} failed with exit code {found[0]}; end of its stderr ({log}):", file=sys.stderr)
        print(tail(log), file=sys.stderr)
        sys.exit(1)
    return found


def edit_copy(src: Path, target: Path) -> Path:
    """A copy of `src` whose files are hard links (the data is not copied); edit_one_file replaces
    the one it changes instead of writing through the link."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(src, target, copy_function=os.link)
    return target


def edit_one_file(src: Path) -> Path:
    """Change one release's tender title in the first data file: the edit a clerk makes."""
    path = sorted((src / "ocds_data").rglob("*.json"))[0]
    package = orjson.loads(path.read_bytes())
    release = package["releases"][0]
    release.setdefault("tender", {})["title"] = f"{release.get('tender', {}).get('title', '')} (changed)"
    data = orjson.dumps(package)
    path.unlink()  # a hard link to the source: write a new file
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------------
# Report and command line
# --------------------------------------------------------------------------------------------


def print_table(results: list[Result]) -> None:
    header = (f"{'N':>8} {'releases':>9} {'wall s':>8} {'cores':>6} {'floor s':>8} {'ratio':>6} {'peak MiB':>9} "
              f"{'pages':>8} {'pages/s':>8} {'output MiB':>11} {'largest MiB':>12} {'again s':>8} {'1 file s':>9} "
              f"{'written':>8}")
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        rate = r.pages / r.wall if r.wall > 0 else 0.0
        print(f"{r.n:>8} {r.releases:>9} {r.wall:>8.1f} {r.cpu / r.wall if r.wall else 0:>6.2f} {r.floor:>8.1f} "
              f"{r.ratio:>6.1f} {r.peak_mib:>9.0f} {r.pages:>8} {rate:>8.0f} {r.output_mib:>11.1f} "
              f"{r.largest[1]:>12.1f} {r.again:>8.1f} {r.one_file:>9.1f} {r.one_file_written:>8}")
    print()
    for r in results:
        print(f"{r.n:>8}: largest file {r.largest[0]}; seconds by stage: {r.stages}")


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=positive_int, metavar="N", default=[1000, 10000],
                        help="numbers of contracting processes (default: 1000 10000)")
    parser.add_argument("--force", action="store_true", help="regenerate the source data")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sources = {n: ensure_source(n, args.force) for n in dict.fromkeys(args.sizes)}
    results = [benchmark(n, releases) for n, releases in sources.items()]
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
