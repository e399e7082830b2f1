"""The Settings area and the first-run set-up wizard: site settings and master data."""
