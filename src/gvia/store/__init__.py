"""Persistence adapter: Django models, migrations and the bulk read/write functions."""
