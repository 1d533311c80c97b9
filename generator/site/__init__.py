"""The view model: every process, organisation, list, status and statistic a page shows."""
