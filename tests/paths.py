"""Paths the suite shares: the bundled example and the reference goldens beside the project."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT.parent / "shared" / "reference" / "transformer-golden"
BLOG_SCHEMA = ROOT / "examples" / "blog" / "schema.graphql"
BLOG_CONFIG = (ROOT / "examples" / "blog" / "appsync-emulator.toml").read_text().replace(
    'schema = "schema.graphql"', f'schema = "{BLOG_SCHEMA}"'
)
