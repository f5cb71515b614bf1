"""Data files: forms, rules, offices, measures, fonts, demo data."""
