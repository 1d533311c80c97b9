"""Safe YAML that keeps dates and times as text, as OCDS and JSON Schema expect.

PyYAML's safe loader turns `2026-03-01` into a `datetime.date`; OCDS dates are strings, so the
timestamp resolver is removed. No tags beyond the safe ones are ever constructed.
"""

from __future__ import annotations

import yaml


class TextDateLoader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type."""


TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str):
    return yaml.load(text, Loader=TextDateLoader)  # noqa: S506 - a SafeLoader subclass


def compose_yaml(text: str):
    return yaml.compose(text, Loader=TextDateLoader)
