"""Shared fixtures. ``emulator_server`` comes from our pytest plugin (``emulator.testing``,
registered as a ``pytest11`` entry point), the same one users get."""
