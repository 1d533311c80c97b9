"""OCDS 1.0 data upgraded to 1.1 with ocdskit before it is checked, with a warning. Pure."""

from __future__ import annotations

import copy
import logging

from ocdskit.upgrade import upgrade_10_11

from generator.errors import Location, Problem, error, warning


def upgrade(rel: str, data) -> tuple[object, list[Problem]]:
    """Upgrade OCDS 1.0 data (a package without "version", or a release without "parties")."""
    if not isinstance(data, dict) or not ("releases" in data or "records" in data or "ocid" in data):
        return data, []
    if "ocid" in data and ("releases" in data or "compiledRelease" in data):
        return data, []  # a record without its package: its releases are read as they are
    package = "releases" in data or "records" in data
    version = data.get("version")
    if package and version not in (None, "1.0", "1.1"):
        return data, [error("unsupported-version", f"This package declares OCDS version {version!r}; this portal reads "
                            "OCDS 1.1 (and upgrades 1.0).", Location(rel, None, pointer="/version"),
                            "Set \"version\" to \"1.1\".")]
    old = version in (None, "1.0") if package else "parties" not in data
    if not old:
        return data, []
    original = None if package else copy.deepcopy(data)
    conflicts = _Conflicts()
    ocdskit_log = logging.getLogger("ocdskit")
    ocdskit_log.addHandler(conflicts)  # ocdskit logs organisations it merged; said below, never printed
    ocdskit_log.propagate = False
    try:
        upgraded = upgrade_10_11(data, reorder=False)
    except (KeyError, TypeError, AttributeError):
        return data, []  # malformed data: validation will say what is wrong
    finally:
        ocdskit_log.removeHandler(conflicts)
        ocdskit_log.propagate = True
    if original is not None and upgraded == original:
        return upgraded, []  # a 1.1 release that names no organisation (an addendum) needs no "parties"
    what = "declares OCDS 1.0" if package and version == "1.0" else (
        "declares no OCDS version" if package else "has no \"parties\", as in OCDS 1.0")
    if conflicts.count:
        what += (f" (in doing so, {conflicts.count} organisation(s) named in several places with different details "
                 "became one entry in parties, with the details first met)")
    return upgraded, [warning("upgraded-1.0", f"This data {what}; it was upgraded to OCDS 1.1 before checking.",
                              Location(rel, 1), "Publish OCDS 1.1: add \"version\": \"1.1\" to the package and list "
                              "every organisation in \"parties\".")]


class _Conflicts(logging.Handler):
    """Counts what ocdskit's upgrade logs (organisations whose details differ between roles)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
