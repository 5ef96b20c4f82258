"""Shared fixtures: ``emulator_server`` starts the real emulator (see emulator/testing.py)."""

from emulator.testing import emulator_server  # noqa: F401  (fixture re-exported for the suite)
