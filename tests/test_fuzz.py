"""Property-based fuzzing of check and build (issue 16): hostile files never make `portal check` or
`portal build --keep-going` raise, hang, swell, speak Python, or disagree about what is published.

The cases come from tests/fuzzing.py (valid releases, packages, JSON Lines and YAML notices,
mutated); Hypothesis draws them from a fixed seed (derandomize), so CI runs the same cases every
time, and shrinks any failure to its simplest form. scripts/fuzz.py runs thousands.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing

CASES = settings(max_examples=24, derandomize=True, deadline=None, database=None, print_blob=False,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _holds(rng: random.Random) -> None:
    files, done = fuzzing.hostile_files(rng)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as work:
        outcome = fuzzing.run_case(files, Path(work))
    assert fuzzing.failures(outcome) == [], done


@CASES
@given(st.randoms(use_true_random=False))
def test_hostile_files_never_crash_hang_or_disagree(rng):
    _holds(rng)


@CASES
@given(st.randoms(use_true_random=False))
def test_hostile_yaml_notices_never_crash_hang_or_disagree(rng):
    """YAML gets its own run: aliases, tags and names JSON lacks only exist there."""
    _holds(_Forcing(rng, "yaml"))


class _Forcing:
    """A random source whose first choice among file kinds is fixed."""

    def __init__(self, rng, kind: str):
        self._rng, self._kind, self._first = rng, kind, True

    def choice(self, options):
        if self._first and self._kind in options:
            self._first = False
            return self._kind
        return self._rng.choice(options)

    def __getattr__(self, name):
        return getattr(self._rng, name)


def test_the_properties_catch_what_they_claim_to(tmp_path):
    """The checker of properties itself: a traceback, Python's words, an exit code of 2, a slow or
    greedy case, and a build that publishes another set than the policy keeps are all failures."""
    good = fuzzing.Outcome(check_code=0, build_code=0, output="Built 1 page", published={"a"}, expected={"a"})
    assert fuzzing.failures(good) == []
    broken = [
        fuzzing.Outcome(check_code=2, build_code=0),
        fuzzing.Outcome(check_code=0, build_code=0, output="Traceback (most recent call last):"),
        fuzzing.Outcome(check_code=0, build_code=0, output="datetime.date(2026, 1, 1) is not of type 'string'"),
        fuzzing.Outcome(check_code=0, build_code=0, output="Unsupported type: 'bytes'"),
        fuzzing.Outcome(check_code=0, build_code=0, output="a\ud800"),
        fuzzing.Outcome(check_code=0, build_code=0, seconds=fuzzing.SECONDS + 1),
        fuzzing.Outcome(check_code=0, build_code=0, memory_mb=fuzzing.MEMORY_MB + 1),
        fuzzing.Outcome(check_code=0, build_code=0, published={"a", "b"}, expected={"a"}),
        fuzzing.Outcome(check_code=None, build_code=0, error="check: TypeError: boom"),
    ]
    assert [outcome for outcome in broken if not fuzzing.failures(outcome)] == []


def test_a_clean_case_publishes_every_process(tmp_path):
    """Unmutated data: check and build agree on publishing every process."""
    files = {"clean.json": fuzzing.json.dumps(fuzzing.package(
        [fuzzing.valid_release(1), fuzzing.valid_release(1, "award"), fuzzing.valid_release(2)])).encode()}
    outcome = fuzzing.run_case(files, tmp_path / "case")
    assert fuzzing.failures(outcome) == []
    assert outcome.check_code == 0
    assert outcome.published == outcome.expected == {"ocds-aldrpt-FZ-1", "ocds-aldrpt-FZ-2"}
