"""A longer fuzz run than the test suite's: N hostile cases through `portal check` and `portal build --keep-going`.

    .venv/bin/python scripts/fuzz.py 3000 [--seed 16] [--show 5]

Each case is a valid release, package, JSON Lines file or YAML notice mutated as tests/fuzzing.py
describes (case i uses random.Random(seed * 1_000_003 + i), so a failing case can be replayed
with --only i). Prints the cases run, the failures (the first few in full), the slowest case's
seconds and the peak memory of the run. Exit code 1 if any case failed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
os.environ.setdefault("OCDS_PORTAL_SCHEMA_DIR", str(REPO.parent / "shared" / "ocds"))
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="ocds-portal-fuzz-cache-"))

import fuzzing  # noqa: E402 - after the path and environment it needs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", type=int)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--show", type=int, default=5, help="failures to print in full")
    parser.add_argument("--only", type=int, default=None, help="run only this case number")
    args = parser.parse_args()
    numbers = [args.only] if args.only is not None else range(args.cases)
    failed: list[tuple[int, list[str], list[str]]] = []
    kinds: Counter = Counter()
    slowest, slowest_case, started = 0.0, None, time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ocds-portal-fuzz-") as work:
        for n, number in enumerate(numbers, 1):
            rng = random.Random(args.seed * 1_000_003 + number)
            files, done = fuzzing.hostile_files(rng)
            kinds[done[0]] += 1
            outcome = fuzzing.run_case(files, Path(work) / "case")
            if outcome.seconds > slowest:
                slowest, slowest_case = outcome.seconds, number
            found = fuzzing.failures(outcome)
            if found:
                failed.append((number, done, found))
            if n % 250 == 0:
                print(f"{n:,} cases, {len(failed)} failures, {time.perf_counter() - started:,.0f} s", file=sys.stderr)
    for number, done, found in failed[:args.show]:
        print(f"case {number} ({'; '.join(done)}):")
        for line in found:
            print(f"  {line[:600]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases run: {len(numbers):,} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"failures: {len(failed)}")
    print(f"slowest case: {slowest:.2f} s (case {slowest_case}, check and build together)")
    print(f"peak memory: {peak:,.0f} MiB")
    print(f"wall time: {time.perf_counter() - started:,.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
