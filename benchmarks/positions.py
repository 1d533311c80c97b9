#!/usr/bin/env python3
"""Time how long finding the lines of JSON pointers takes in a large file (`positions.json_lines`,
what `portal check` does to give each problem in a JSON file its line) and the duplicate-key scan.

    .venv/bin/python benchmarks/positions.py [MEGABYTES] [POINTERS]    # default: 5 MB, 100 pointers

Prints the file's size and the median of 5 runs of each. The target: under 3 s for 5 MB and 100
pointers on a 2-core machine (it was a timed unit test, which a loaded machine made flaky; the
test keeps checking that every line found is right).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_positions import big_package  # noqa: E402  (the test's generator of a large package)

from generator.inputs.positions import json_duplicate_keys, json_lines  # noqa: E402


def main(argv: list[str]) -> int:
    megabytes = float(argv[0]) if argv else 5.0
    wanted = int(argv[1]) if len(argv) > 1 else 100
    text, count = big_package(int(megabytes * 1_000_000))
    step = max(count // wanted, 1)
    pointers = [f"/releases/{i}/tender/tenderPeriod/endDate" for i in range(0, count, step)][:wanted]
    lines, scans = [], []
    for _ in range(5):
        started = time.perf_counter()
        json_lines(text, pointers)
        lines.append(time.perf_counter() - started)
        started = time.perf_counter()
        json_duplicate_keys(text)
        scans.append(time.perf_counter() - started)
    print(f"{len(text) / 1e6:.1f} MB, {count:,} releases, {len(pointers)} pointers (median of 5 runs)")
    print(f"  lines of the pointers: {statistics.median(lines):.2f} s")
    print(f"  duplicate-key scan:    {statistics.median(scans):.2f} s")
    print(f"  both:                  {statistics.median(lines) + statistics.median(scans):.2f} s (target: under 3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
