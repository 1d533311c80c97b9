"""The GitHub Actions workflows of a portal's repository, rendered from one set of templates.

`generator/scaffold/workflows/` holds them as Jinja templates with their own delimiters
(`[[ ]]`, `[% %]`, `[# #]`) so that GitHub's `${{ }}` passes through untouched. The same templates
serve a new city's repository (`portal init`: the generator installed from requirements.txt) and
this repository (the demo city: the generator installed from the checkout by `make setup`);
`Setup` is what differs. Pure: the caller reads the templates (`load.package_texts("scaffold")`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import DictLoader, Environment, StrictUndefined

TEMPLATE_DIR = "workflows/"
OUTPUT_DIR = ".github/workflows/"
# The rebuild runs this long after local midnight: GitHub delays scheduled runs at the top of the hour.
AFTER_MIDNIGHT = dt.timedelta(minutes=20)
# The year whose 1 January and 1 July give a zone's winter and summer offsets (fixed, so the
# rendered files do not change with the date they are rendered on).
REFERENCE_YEAR = 2026
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Setup:
    """How a workflow installs the generator."""

    pip_cache_file: str                 # the file setup-python's pip cache is keyed on
    node: bool                          # whether to set up Node.js (npm ci for the browser assets)
    install: tuple[str, ...]            # the shell lines that put `portal` on PATH
    schema_kit_files: tuple[str, ...]   # the files that decide which OCDS schema files are needed


CITY = Setup(
    pip_cache_file="requirements.txt",
    node=False,
    install=("python -m pip install -r requirements.txt",),
    schema_kit_files=("requirements.txt", "content/site.yml"),
)

REPOSITORY = Setup(
    pip_cache_file="pyproject.toml",
    node=True,
    install=("make setup", 'echo "$PWD/.venv/bin" >> "$GITHUB_PATH"'),
    schema_kit_files=("generator/schema_pins.json", "content/site.yml"),
)


def _offsets(timezone: str) -> list[int]:
    """The zone's distinct UTC offsets in minutes on 1 January and 1 July, smallest first."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{timezone!r} is not a time zone name such as America/Chicago") from None
    offsets = {dt.datetime(REFERENCE_YEAR, month, 1, 12, tzinfo=zone).utcoffset() for month in (1, 7)}
    return sorted(int(offset.total_seconds()) // 60 for offset in offsets)


def _utc_minutes(timezone: str) -> int:
    """Minutes after UTC midnight of the daily run: shortly after local midnight at the zone's
    smallest offset, so at a larger offset (summer time) it is still after midnight, never before."""
    return (-_offsets(timezone)[0] + int(AFTER_MIDNIGHT.total_seconds()) // 60) % DAY_MINUTES


def daily_cron(timezone: str) -> str:
    """The UTC cron schedule of the daily rebuild, e.g. "20 6 * * *" for America/Chicago."""
    hours, minutes = divmod(_utc_minutes(timezone), 60)
    return f"{minutes} {hours} * * *"


def _clock(minutes: int) -> str:
    return "{:02d}:{:02d}".format(*divmod(minutes % DAY_MINUTES, 60))


def _utc_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{_clock(abs(minutes))}"


def schedule_note(timezone: str) -> str:
    """Which local time the daily run is, e.g. "06:20 UTC daily = 00:20 in America/Chicago at UTC-06:00,
    01:20 at UTC-05:00: shortly after local midnight all year"."""
    utc = _utc_minutes(timezone)
    local = ", ".join(f"{_clock(utc + offset)}{f' in {timezone}' if i == 0 else ''} at {_utc_offset(offset)}"
                      for i, offset in enumerate(_offsets(timezone)))
    return f"{_clock(utc)} UTC daily = {local}: shortly after local midnight all year"


def environment(templates: dict[str, str]) -> Environment:
    """Jinja for the scaffold's templates (workflows, and the files of `portal init`): `[[ ]]`,
    `[% %]` and `[# #]`, so that GitHub's `${{ }}` passes through untouched."""
    return Environment(
        loader=DictLoader(templates),
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
        undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        autoescape=False,
    )


def workflow_files(templates: dict[str, str], setup: Setup, timezone: str) -> dict[str, str]:
    """{".github/workflows/check.yml": text, ".github/workflows/publish.yml": text}, from the scaffold's
    templates ({path relative to generator/scaffold/: text}; entries outside workflows/ are ignored,
    and so are partials, whose names start with "_")."""
    env = environment(templates)
    context = {
        "setup": setup,
        "schema_kit_files": ", ".join(f"'{path}'" for path in setup.schema_kit_files),
        "cron": daily_cron(timezone),
        "schedule_note": schedule_note(timezone),
    }
    names = sorted(path[len(TEMPLATE_DIR):] for path in templates
                   if path.startswith(TEMPLATE_DIR) and not path[len(TEMPLATE_DIR):].startswith("_"))
    return {OUTPUT_DIR + name: env.get_template(TEMPLATE_DIR + name).render(context) for name in names}
