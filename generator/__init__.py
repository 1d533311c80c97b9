"""ocds-portal: build an open contracting website from a city's OCDS data."""

__version__ = "0.1.0"
