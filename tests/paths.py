"""Paths the suite shares: the bundled example and the transformer goldens copied into tests/fixtures."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "transformer-golden"  # Amplify's output; see its README.md
BLOG_SCHEMA = ROOT / "examples" / "blog" / "schema.graphql"
BLOG_CONFIG = (ROOT / "examples" / "blog" / "appsync-emulator.toml").read_text().replace(
    'schema = "schema.graphql"', f'schema = "{BLOG_SCHEMA}"'
)
