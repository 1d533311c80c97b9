"""Hostile OCDS files made from valid ones, and what `check` and `build` must do with them (issue 16).

`hostile_files(rng)` turns a random source (a `random.Random`, or Hypothesis's `st.randoms()`,
which shrinks a failure to its simplest case) into the files of one portal: a valid release,
release package, JSON Lines file or YAML notice, mutated once or several times: a wrong type at
any path, truncated text, deep nesting, huge texts, odd characters (lone surrogates, NUL, line
breaks, direction marks), YAML aliases, tags and names JSON lacks, flipped bytes.

`run_case(files, folder)` writes them into a portal folder, runs `portal check` and
`portal build --keep-going` through `generator.cli.main`, and returns what was seen; `failures`
says which property it broke: an exit code other than 0 or 1, an exception or a traceback,
Python's words in a message, output that can't be printed as UTF-8, a time or memory budget
passed, or a build that publishes other processes than those the policy keeps after check.

Used by tests/test_fuzz.py (a fixed seed, a few dozen cases) and scripts/fuzz.py (thousands).
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import re
import resource
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import cli, pipeline, records
from generator.checking.policy import leave_out
from generator.inputs import folder as inputs_folder

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-16"
SECONDS = 30.0  # for check and build of one case together; the alias bomb used to take minutes
MEMORY_MB = 400  # growth of the process's peak memory in one case

# What a message must never show: Python's own words for its objects, types and failures.
PYTHON_WORDS = re.compile(r"Traceback|datetime\.|<class |object at 0x|NoneType|Unsupported type|\bbytes\b|"
                          r"surrogates not allowed|codec can't|\bdict\b|\bstr\b|RecursionError|Error\(")


def valid_release(n: int = 1, stage: str = "tender") -> dict:
    """A valid release of the demo city (prefix ocds-aldrpt), with parties, items, a value and,
    for an award, the award and its contract."""
    ocid = f"ocds-aldrpt-FZ-{n}"
    release = {
        "ocid": ocid, "id": f"{ocid}-{stage}", "date": "2026-11-01T09:00:00-06:00", "tag": [stage],
        "initiationType": "tender", "language": "en",
        "parties": [{"id": "PW", "name": "Public Works", "roles": ["buyer", "procuringEntity"],
                     "address": {"streetAddress": "1 Main St", "locality": "Alderport"},
                     "contactPoint": {"name": "Ann Buyer", "email": "ann@example.gov"}},
                    {"id": "S1", "name": "Salt & Co", "roles": ["supplier", "tenderer"]}],
        "buyer": {"id": "PW", "name": "Public Works"},
        "tender": {"id": f"t{n}", "title": "Road salt", "description": "Rock salt for the winter, delivered.",
                   "status": "active", "procurementMethod": "open", "mainProcurementCategory": "goods",
                   "procuringEntity": {"id": "PW", "name": "Public Works"},
                   "value": {"amount": 120000, "currency": "USD"},
                   "tenderPeriod": {"startDate": "2026-11-01T09:00:00-06:00", "endDate": "2026-12-01T17:00:00-06:00"},
                   "items": [{"id": "1", "description": "Rock salt", "quantity": 500,
                              "classification": {"scheme": "UNSPSC", "id": "12352300", "description": "Salt"}}],
                   "tenderers": [{"id": "S1", "name": "Salt & Co"}]},
    }
    if stage == "award":
        release["tender"]["status"] = "complete"
        release["awards"] = [{"id": "a1", "title": "Road salt", "status": "active", "date": "2026-11-10T10:00:00-06:00",
                              "value": {"amount": 110000, "currency": "USD"},
                              "suppliers": [{"id": "S1", "name": "Salt & Co"}]}]
        release["contracts"] = [{"id": "c1", "awardID": "a1", "status": "active",
                                 "value": {"amount": 110000, "currency": "USD"},
                                 "period": {"startDate": "2026-11-15T00:00:00-06:00",
                                            "endDate": "2027-11-15T00:00:00-06:00"}}]
    return release


def package(releases: list[dict]) -> dict:
    return {"uri": "https://alderport.example.gov/ocds/fuzz.json", "version": "1.1",
            "publishedDate": "2026-11-02T00:00:00-06:00",
            "publisher": {"name": "City of Alderport"}, "releases": releases}


ODD_VALUES = (5, -1, 0, 1.5, 10 ** 30, True, False, None, "", " ", "x", [], {}, [1, "a"], {"a": 1}, "FILL IN",
              "2026-13-45", "=1+1", [[[]]], {"id": 5})
ODD_CHARS = ("\x00", "\n", "\r", "\t", "\x1b", "\x07", "\x7f", "\x85", "\u202e", "\u2066", "\u200f", "\ud800",
             "\udfff", "\ufeff", "\ufffe", "\U0001f600", "\u0301", "\U0010ffff", "\u2028", "\\", '"', "<script>")
DEPTHS = (63, 64, 65, 200, 999, 3000, 10_000)
LENGTHS = (100_000, 100_001, 1_000_000)
YAML_VALUES = ("!!binary aGVsbG8=", "!!timestamp 2026-01-01", "!!set {a, b}", "!!omap [a: 1, b: 2]", ".nan",
               "-.inf", "!!python/object:os.system x", "!custom x", "*nowhere", "&anchor x", "2026-01-01",
               "yes", "~", "0x1F", "1_000", "'unterminated", "[1, 2", "{a: 1, a: 2}")
YAML_KEYS = ("1", "yes", "null", "~", "? [a, b]", "3.5", "'quoted'", "<<")


def _paths(data, path=()) -> list[tuple]:
    """Every path in the data (containers and leaves), the root excluded."""
    found, stack = [], [(data, path)]
    while stack:
        value, at = stack.pop()
        if at:
            found.append(at)
        if isinstance(value, dict):
            stack.extend((v, (*at, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*at, i)) for i, v in enumerate(value))
    return sorted(found, key=lambda p: [str(s) for s in p])


def _set(data, path: tuple, value) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _get(data, path: tuple):
    for step in path:
        data = data[step]
    return data


DEEP = re.compile(r"""["']?@@DEEP:(\d+):(list|dict)@@["']?""")


def _nested(depth: int, kind: str):
    """Data nested `depth` levels; past 200, a token that the writers replace by the brackets
    themselves (json and yaml can't write what Python can't recurse into)."""
    if depth > 200:
        return f"@@DEEP:{depth}:{kind}@@"
    value: object = "bottom"
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


def _deepen(text: str) -> str:
    def brackets(match) -> str:
        depth = int(match.group(1))
        return "[" * depth + "]" * depth if match.group(2) == "list" else '{"a": ' * depth + "1" + "}" * depth
    return DEEP.sub(brackets, text)


def mutate(data, rng) -> str:
    """Change the data in place, one way chosen by `rng`; returns what was done (for reports)."""
    paths = _paths(data)
    if not paths:
        return "nothing to mutate"
    path = rng.choice(paths)
    how = rng.choice(("type", "type", "type", "delete", "deep", "huge", "char", "char", "char", "id-char", "key"))
    if how == "type":
        _set(data, path, copy.deepcopy(rng.choice(ODD_VALUES)))
    elif how == "delete":
        parent = _get(data, path[:-1])
        del parent[path[-1]]
    elif how == "deep":
        _set(data, path, _nested(rng.choice(DEPTHS), rng.choice(("list", "dict"))))
    elif how == "huge":
        _set(data, path, "x" * rng.choice(LENGTHS))
    elif how in ("char", "id-char"):
        texts = [p for p in paths if isinstance(_get(data, p), str)]
        if how == "id-char":
            texts = [p for p in texts if p[-1] in ("id", "ocid")] or texts
        if not texts:
            return "no text"
        path = rng.choice(texts)
        text = _get(data, path)
        at = rng.randint(0, len(text))
        _set(data, path, text[:at] + rng.choice(ODD_CHARS) * rng.choice((1, 1, 3)) + text[at:])
    else:
        parent = _get(data, path[:-1]) if len(path) > 1 else data
        if isinstance(parent, dict):
            parent[rng.choice(("", "x" * 300, "a\x00b", "\ud800", "tender", "ocid", "id", "\u202eid"))] = \
                copy.deepcopy(rng.choice(ODD_VALUES))
    return f"{how} at {path[:6]}"


def _to_json(data, rng) -> bytes:
    text = _deepen(json.dumps(data, ensure_ascii=rng.random() < 0.7, indent=rng.choice((None, 2))))
    return text.encode("utf-8", "surrogatepass")  # a raw lone surrogate is bytes no UTF-8 reader takes


def _to_yaml(data, rng) -> bytes:
    try:
        text = yaml.safe_dump(data, allow_unicode=rng.random() < 0.5, sort_keys=False, width=1000)
    except (yaml.YAMLError, RecursionError):
        text = json.dumps(data)  # JSON is YAML too
    lines = _deepen(text).split("\n")
    for _ in range(rng.choice((0, 1, 1, 2))):
        how = rng.choice(("value", "key", "alias", "bomb", "loop"))
        at = rng.randrange(len(lines))
        indent = re.match(r"[ -]*", lines[at]).group()
        if how == "value" and ": " in lines[at]:
            lines[at] = lines[at].split(": ", 1)[0] + ": " + rng.choice(YAML_VALUES)
        elif how == "key":
            lines.insert(at, f"{indent.replace('-', ' ')}{rng.choice(YAML_KEYS)}: 1")
        elif how == "alias":
            lines += ["fuzzParty: &p {id: PW, name: Public Works}", "fuzzCopy: *p"]
        elif how == "bomb":
            levels = rng.choice((3, 5, 9))
            lines += ["fuzzA0: &a0 [x, x, x, x, x, x, x, x, x]"] + [
                f"fuzzA{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
        else:
            lines += ["fuzzLoop: &loop", "  self: *loop"]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _damage(raw: bytes, rng) -> bytes:
    """Sometimes, damage the bytes: cut the file short, or change a byte."""
    roll = rng.random()
    if roll < 0.12 and raw:
        return raw[:rng.randrange(len(raw))]
    if roll < 0.2 and raw:
        at = rng.randrange(len(raw))
        return raw[:at] + bytes([rng.randrange(256)]) + raw[at + 1:]
    return raw


def hostile_files(rng) -> tuple[dict[str, bytes], list[str]]:
    """The files of one case (path under ocds_data/ → bytes), and what was done to make them."""
    kind = rng.choice(("release", "package", "jsonl", "yaml", "records"))
    releases = [valid_release(1), valid_release(1, "award"), valid_release(2)]
    if kind == "release":
        data: object = releases[0]
    elif kind == "records":
        data = {k: v for k, v in package([]).items() if k != "releases"} | {
            "records": [{"ocid": "ocds-aldrpt-FZ-1", "releases": releases[:2]}]}
    else:
        data = package(releases) if kind == "package" else releases
    done = [kind]
    for _ in range(rng.choice((1, 1, 2, 3))):
        done.append(mutate(data, rng))
    if kind == "jsonl":
        raw = b"\n".join(_to_json(r, rng).replace(b"\n", b" ") for r in data)
        name = "fuzz.jsonl"
    elif kind == "yaml":
        raw, name = _to_yaml(data[0] if data else {}, rng), "fuzz.yaml"
    else:
        raw, name = _to_json(data, rng), "fuzz.json"
    files = {name: _damage(raw, rng)}
    if rng.random() < 0.3:  # a clean file beside it, whose process must still be published
        files["clean.json"] = json.dumps(package([valid_release(9)])).encode()
    return files, done


@dataclass
class Outcome:
    check_code: int | None = None
    build_code: int | None = None
    output: str = ""  # everything both commands printed
    error: str = ""  # an exception that escaped the command line
    seconds: float = 0.0
    memory_mb: float = 0.0  # growth of the process's peak memory
    published: set[str] = field(default_factory=set)
    expected: set[str] = field(default_factory=set)


def _run(argv: list[str], outcome: Outcome) -> int | None:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
    except BaseException as exc:  # noqa: BLE001 - whatever escapes the command line is the finding
        outcome.error += f"{' '.join(argv[:1])}: {type(exc).__name__}: {str(exc)[:300]}\n"
        code = None
    outcome.output += out.getvalue() + err.getvalue()
    return code


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(files: dict[str, bytes], workdir: Path) -> Outcome:
    """Check and build a portal holding `files`; what they printed, returned, published and should have."""
    source, output = workdir / "src", workdir / "site"
    shutil.rmtree(workdir, ignore_errors=True)
    (source / "content").mkdir(parents=True)
    shutil.copy(REPO / "content" / "site.yml", source / "content" / "site.yml")
    (source / "ocds_data").mkdir()
    for name, raw in files.items():
        (source / "ocds_data" / name).write_bytes(raw)
    outcome = Outcome()
    memory, started = _peak_mb(), time.perf_counter()
    outcome.check_code = _run(["check", "--source", str(source)], outcome)
    outcome.build_code = _run(["build", "--keep-going", "--source", str(source), "--output", str(output),
                               "--today", TODAY], outcome)
    outcome.seconds = time.perf_counter() - started
    outcome.memory_mb = _peak_mb() - memory
    if outcome.build_code is not None and (output / "data" / "ocds-record-package.json.gz").is_file():
        with gzip.open(output / "data" / "ocds-record-package.json.gz") as handle:
            outcome.published = {r["ocid"] for r in json.load(handle)["records"]}
    if not outcome.error:
        try:
            outcome.expected = kept_by_policy(source)
        except Exception as exc:  # noqa: BLE001 - the same finding as above, met through the pipeline
            outcome.error = f"check (pipeline): {type(exc).__name__}: {str(exc)[:300]}"
    return outcome


def kept_by_policy(source: Path) -> set[str]:
    """The processes a build should publish: those of every release check read, less those the
    build policy leaves out because of the problems check reported (the same function build uses)."""
    settings = pipeline.settings_for(source)
    inputs, report = pipeline.check(source, settings, today=settings.today)
    return set(records.group_by_ocid(inputs_folder.iter_releases(inputs.data_files))) - set(leave_out(report.problems))


def failures(outcome: Outcome) -> list[str]:
    """The properties this case broke (none, one hopes)."""
    found = []
    if outcome.error:
        found.append(f"an exception escaped: {outcome.error.strip()}")
    for name, code in (("check", outcome.check_code), ("build --keep-going", outcome.build_code)):
        if code is not None and code not in (0, 1):
            found.append(f"{name} exited with {code}")
    if "Traceback" in outcome.output:
        found.append("a traceback was printed")
    if match := PYTHON_WORDS.search(outcome.output):
        start = max(match.start() - 120, 0)
        found.append(f"Python's words in the output: ...{outcome.output[start:match.end() + 60]!r}")
    try:
        outcome.output.encode("utf-8")
    except UnicodeEncodeError:
        found.append("the output holds a character that can't be printed as UTF-8")
    if outcome.seconds > SECONDS:
        found.append(f"took {outcome.seconds:.1f} s (budget {SECONDS:.0f} s)")
    if outcome.memory_mb > MEMORY_MB:
        found.append(f"peak memory grew by {outcome.memory_mb:.0f} MB (budget {MEMORY_MB} MB)")
    if outcome.build_code is not None and not outcome.error and outcome.published != outcome.expected:
        found.append(f"build published {sorted(outcome.published)[:5]}, but after check's problems the policy "
                     f"keeps {sorted(outcome.expected)[:5]}")
    return found
