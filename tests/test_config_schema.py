"""The config keys' one list (``emulator.config_schema``): what the loader accepts, the defaults it
gives, and the README's configuration reference, all the same."""

from __future__ import annotations

import re
from functools import reduce
from pathlib import Path
from typing import Any

import pytest

from emulator.config_schema import COMPUTED, KEYS, TABLES, ConfigKey, render_reference, table_keys
from emulator.settings import ConfigError, Settings, load_config
from tests.paths import ROOT

# One value of each key's type, so that a config holding every key loads.
EXAMPLES: dict[str, str] = {
    "schema": '"schema.graphql"', "transformer": '"v2"', "default": '"API_KEY"', "additional": '["AWS_IAM"]',
    "keys": '["da2-example"]', "jwks_file": '"jwks.json"', "iat_ttl": "60", "auth_ttl": "60",
    "admin_role_names": '["admin"]', "handler": '"authorizers:check"', "endpoint": '"http://127.0.0.1:8000"',
    "resolver_timeout_seconds": "5", "keep_alive_seconds": "5", "connection_init_timeout_seconds": "5",
    "query_depth_limit": "5", "resolver_count_limit": "5", "tls": "false", "loader": "\"fast\"",
    "jwks_url": "\"\"", "secrets": '{ API_TOKEN = "local-token" }', "conflict_handler": '"AUTOMERGE"',
}


def every_key_config(folder: Path) -> Path:
    """A config naming every key of the schema once, with a valid value."""
    (folder / "schema.graphql").write_text("type Q @model { id: ID! }\n")
    (folder / "jwks.json").write_text('{"keys": []}')
    lines = []
    for table in TABLES:
        if table.named:  # entries whose keys depend on each other: tests/test_resolver_config.py
            continue
        if table.name:
            lines.append(f"[[{table.name}]]" if table.array else f"[{table.name}]")
        for key in KEYS:
            if key.table == table.name and f"{key.table}.{key.name}" != "auth.iam.credentials":
                lines.append(f"{key.name} = {EXAMPLES.get(key.name, _example(key))}")
    path = folder / "appsync-emulator.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _example(key: ConfigKey) -> str:
    if key.type.startswith("integer"):
        return "1"
    return '"x"'


def test_a_config_with_every_listed_key_loads(tmp_path: Path) -> None:
    settings = load_config(every_key_config(tmp_path))
    assert settings.limits.query_depth_limit == 5 and settings.auth.iam.credentials[0].session_token == "x"


@pytest.mark.parametrize("table", [t.name for t in TABLES], ids=lambda name: name or "top")
def test_a_key_not_listed_is_refused_in_every_table(tmp_path: Path, table: str) -> None:
    config = every_key_config(tmp_path)
    text = config.read_text()
    if next(t for t in TABLES if t.name == table).named:
        config.write_text(f"{text}\n[{table}.example]\nnot_a_key = 1\n")
    else:
        header = "" if not table else (f"[[{table}]]" if table == "auth.iam.credentials" else f"[{table}]")
        marker = f"{header}\n" if header else ""
        config.write_text(text.replace(marker, f"{marker}not_a_key = 1\n", 1) if marker else "not_a_key = 1\n" + text)
    with pytest.raises(ConfigError, match=r"unknown key '(.+\.)?not_a_key'; expected one of: (.+)") as refused:
        load_config(config)
    listed = set(re.search(r"expected one of: (.+)$", str(refused.value)).group(1).split(", "))
    assert listed == table_keys(table)


def _loaded(settings: Settings, dotted: str) -> Any:
    return reduce(getattr, dotted.split("."), settings)


def test_the_listed_defaults_are_what_the_loader_gives(tmp_path: Path) -> None:
    """Every table present and empty: each key's listed default is its loaded value."""
    config = tmp_path / "appsync-emulator.toml"
    config.write_text("\n".join(f"[{t.name}]" for t in TABLES if t.name and not t.array) + "\n")
    settings = load_config(config)
    checked = [key for key in KEYS if key.setting is not None and key.default is not COMPUTED]
    assert len(checked) >= 30
    for key in checked:
        loaded = _loaded(settings, key.setting)  # type: ignore[arg-type]
        assert loaded == key.default, f"{key.table}.{key.name}: listed {key.default!r}, loaded {loaded!r}"


def test_the_readme_reference_is_the_schema_rendered() -> None:
    readme = (ROOT / "README.md").read_text()
    reference = render_reference()
    first, last = reference.splitlines()[0], reference.splitlines()[-1]
    assert first in readme and last in readme, "README.md lacks the config-reference markers"
    current = readme[readme.index(first): readme.index(last) + len(last)]
    assert current == reference, "README's config reference is stale: run python -m emulator.config_schema README.md"
