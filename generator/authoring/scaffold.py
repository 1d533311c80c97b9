"""`portal init`: a new city's repository, ready to build and publish.

Pure: the scaffold's templates (generator/scaffold/), the city's answers and "now" come in; a
mapping of relative paths to file texts goes out, which `cli` writes. The repository holds the
settings, one guide for businesses, one example opportunity (the opportunity notice template,
filled in), the GitHub workflows, a README for staff and the staff guide (PUBLISHING.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.authoring import notices, workflows
from generator.inputs.parsing import EXAMPLE
from generator.inputs.settings import Settings

# Scaffold template → the file it becomes in the city's repository (workflows/ are rendered by
# generator.workflows).
FILES = {
    "README.md": "README.md",
    "PUBLISHING.md": "PUBLISHING.md",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "site.yml": "content/site.yml",
    "content/finding-opportunities.md": "content/finding-opportunities.md",
}


@dataclass(frozen=True)
class City:
    city_name: str
    ocid_prefix: str
    timezone: str = "UTC"
    currency: str = "USD"
    requirement: str = ""  # how requirements.txt names the generator, e.g. ocds-portal==0.1.0


def environment(templates: dict[str, str]):
    env = workflows.environment(templates)
    env.filters["q"] = notices.quote
    return env


def settings_text(templates: dict[str, str], city: City) -> str:
    """content/site.yml for the city (which `cli` checks like any site.yml before going on)."""
    return environment(templates).get_template("site.yml").render(vars(city))


def new_city(templates: dict[str, str], notice_templates: dict[str, str], city: City, settings: Settings,
             release_schema: dict, now: dt.datetime) -> dict[str, str]:
    """Every file of the new repository, by path."""
    env = environment(templates)
    files = {target: env.get_template(name).render(vars(city)) for name, target in FILES.items()}
    files |= workflows.workflow_files(templates, workflows.CITY, city.timezone)
    example = notices.new_notice("opportunity", notice_templates, settings, release_schema, now,
                                 notices.Survey({}, {}))
    files[example.path] = (f"{EXAMPLE} not published while this line is here. Delete this file once your first "
                           "real notice is published.\n"
                           + notices.fill(notices.uncomment(example.text), notices.example_answers(settings, now)))
    return files
