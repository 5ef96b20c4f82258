"""Shared fixtures: ``emulator_server`` starts the real emulator (see emulator/testing.py)."""

from pathlib import Path

from emulator.testing import emulator_server  # noqa: F401  (fixture re-exported for the suite)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT.parent / "shared" / "reference" / "transformer-golden"
BLOG_SCHEMA = ROOT / "examples" / "blog" / "schema.graphql"
BLOG_CONFIG = (ROOT / "examples" / "blog" / "appsync-emulator.toml").read_text().replace(
    'schema = "schema.graphql"', f'schema = "{BLOG_SCHEMA}"'
)
