"""Whether the written site fits where it is published (settings `host`): pure, on what `write`
reports having written, before the site is swapped in."""

from __future__ import annotations

from generator.artifact import Written
from generator.errors import Location, Problem, warning
from generator.inputs.settings import MB, Host

SETTINGS = Location("content/site.yml")


def fits(host: Host, written: Written) -> list[Problem]:
    """A warning when the site, or a file of it, is larger than the host publishes."""
    problems = []
    if host.site_limit is not None and written.bytes > host.site_limit:
        parts = sorted(written.parts.items(), key=lambda item: (-item[1], item[0]))[:3]
        problems.append(warning(
            "site-too-large", f"The site is {_mb(written.bytes)}, more than the {_mb(host.site_limit)} {host.name} "
            f"publishes; its largest parts: {', '.join(f'{part} {_mb(size)}' for part, size in parts)}.",
            SETTINGS, "Publish it where larger sites are allowed, and give that host's limit as "
                      "host.site_limit_mb in content/site.yml."))
    path, size = written.largest
    if host.file_limit is not None and size > host.file_limit:
        problems.append(warning(
            "file-too-large", f"{path}, the site's largest file, is {_mb(size)}, more than the {_mb(host.file_limit)} a file may be on "
            f"{host.name}.", SETTINGS, "Publish it where larger files are allowed, and give that host's limit "
                                       "as host.file_limit_mb in content/site.yml."))
    return problems


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"
