"""Producers that only format the view model: pages, figures, feeds, calendars, search, bulk data."""
