"""Checks of OCDS data against the schema kit and the city's rules; problems as values."""
