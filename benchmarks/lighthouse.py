"""Lighthouse on a phone: one page of every kind of the demo, scored as Lighthouse scores mobile.

    python benchmarks/lighthouse.py [--runs 1] [KIND ...]

Builds the demo (the repository's own data, as of the day it runs) into ``benchmarks/out/lighthouse-site``,
serves it under a sub-path as GitHub Pages serves a project site, and runs the pinned Lighthouse
(``node_modules/.bin/lighthouse``, package.json) with its default mobile settings (a mid-range
phone, simulated slow 4G and CPU) in Debian's Chromium on each page that the browser gates open
(tests/gates.py ``page_kinds``). Prints, per page, the performance score and the three metrics it
weighs most: Cumulative Layout Shift, Largest Contentful Paint and Total Blocking Time (with
``--runs N``, the median of N runs). Exits non-zero when a page scores under 95 or shifts by 0.1
or more: the targets of issue 17. Too slow for the test suite (about 15 s a page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

import gates  # noqa: E402 - the test suite's server and page kinds

LIGHTHOUSE = REPO_ROOT / "node_modules" / ".bin" / "lighthouse"
SITE = BENCH_DIR / "out" / "lighthouse-site"
MIN_SCORE = 95
MAX_CLS = 0.1


def build_demo() -> None:
    env = dict(os.environ)
    env.setdefault("OCDS_PORTAL_SCHEMA_DIR", str((REPO_ROOT.parent / "shared" / "ocds").resolve()))
    # Built for the day it runs, as the nightly build is: on its pinned day the demo would be read
    # weeks later, and the visitor's clock (static/opportunities.js) would close every bid on the page.
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(REPO_ROOT),
                             "--output", str(SITE), "--today", dt.date.today().isoformat()], env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"the demo did not build:\n{result.stderr[-2000:]}")


def lighthouse(url: str) -> dict[str, float]:
    """One mobile Lighthouse run: performance score (0-100), CLS, LCP and TBT (ms)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as profile:
        result = subprocess.run(
            [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--only-categories=performance",
             "--quiet", f"--chrome-flags=--headless=new --no-sandbox --user-data-dir={profile}"],
            env={**os.environ, "CHROME_PATH": gates.CHROMIUM}, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    return {"score": round(100 * (report["categories"]["performance"]["score"] or 0)),
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"]}


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kinds", nargs="*", help="page kinds to run (default: all), e.g. home awards")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make setup` (npm ci).")
    build_demo()
    kinds = gates.page_kinds(SITE)
    unknown = set(args.kinds) - set(kinds)
    if unknown:
        raise SystemExit(f"unknown page kinds: {', '.join(sorted(unknown))}; known: {', '.join(kinds)}")
    failing = []
    print(f"{'page':<24} {'score':>5} {'CLS':>6} {'LCP ms':>7} {'TBT ms':>7}")
    with gates.serve(SITE) as base:
        for kind, path in kinds.items():
            if args.kinds and kind not in args.kinds:
                continue
            m = median([lighthouse(base + path.removesuffix("index.html")) for _ in range(args.runs)])
            print(f"{kind:<24} {m['score']:>5.0f} {m['cls']:>6.3f} {m['lcp']:>7.0f} {m['tbt']:>7.0f}", flush=True)
            if m["score"] < MIN_SCORE or m["cls"] >= MAX_CLS:
                failing.append(kind)
    if failing:
        print(f"Under target (performance >= {MIN_SCORE}, CLS < {MAX_CLS}): {', '.join(failing)}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
