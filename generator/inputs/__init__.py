"""Every read: the portal's folder, settings, OCDS files and their parsing, the schema kit, caches."""
