"""``secret('NAME')`` values of a Gen 2 project: ``.amplify/secrets.env``, then ``[gen2.secrets]``."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from emulator.gen2.model import Gen2Function
from emulator.gen2.secrets import SECRETS_FILE, function_secrets, secret_values
from emulator.settings import load_config


def test_the_secrets_file_then_the_config(tmp_path: Path) -> None:
    (tmp_path / SECRETS_FILE).parent.mkdir(parents=True)
    (tmp_path / SECRETS_FILE).write_text('# local secrets\nAPI_TOKEN="from-file"\nexport OTHER = plain \n\nQUOTED=\'a b\'\n')
    config = tmp_path / "appsync-emulator.toml"
    config.write_text('[gen2.secrets]\nAPI_TOKEN = "from-config"\n')
    values = secret_values(tmp_path, load_config(config).gen2_secrets)
    assert values == {"API_TOKEN": "from-config", "OTHER": "plain", "QUOTED": "a b"}
    assert secret_values(tmp_path / "elsewhere", {}) == {}


def test_a_function_gets_the_secrets_it_names_and_a_warning_for_missing_ones(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    function = Gen2Function("echo", tmp_path / "handler.ts", 3, secrets={"API_TOKEN": "API_TOKEN", "KEY": "SIGNING_KEY"})
    with caplog.at_level(logging.WARNING, logger="emulator.gen2"):
        assert function_secrets(function, {"API_TOKEN": "t", "UNUSED": "u"}, tmp_path) == {"API_TOKEN": "t"}
    assert "function echo: secret('SIGNING_KEY') has no local value" in caplog.text
    assert str(tmp_path / SECRETS_FILE) in caplog.text and "[gen2.secrets]" in caplog.text
