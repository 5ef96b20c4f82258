"""The embedded engine passes every DynamoDB fidelity check stock moto passes (issue 15, point 7).

``tests/fixtures/dynamodb_fidelity.py`` is the project's fidelity probe (a copy of
``shared/tools/dynamodb_fidelity.py``: 48 checks of DynamoDB behaviour that AppSync resolvers rely
on, with AWS's own error texts). It runs against stock moto in its own process and against the
embedded engine; the engine must pass at least what stock moto passes (today: core 38/42, optional
and messages 21/24; the failures are moto's own).
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from emulator.engine import start_engine
from tests.paths import ROOT
from tests.stock_moto import stock_moto

PROBE = ROOT / "tests" / "fixtures" / "dynamodb_fidelity.py"

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


def probe(url: str, out: Path) -> dict[str, dict[str, Any]]:
    subprocess.run([sys.executable, str(PROBE), url, "--json", str(out)], capture_output=True, text=True,
                   timeout=300, check=False)
    return {row["name"]: row for row in json.loads(out.read_text())["rows"]}


def test_engine_passes_every_check_stock_moto_passes(tmp_path: Path) -> None:
    with stock_moto() as url:
        stock = probe(url, tmp_path / "stock.json")
    with closing(start_engine(None, "us-east-1")) as engine:
        ours = probe(engine.endpoint_url, tmp_path / "ours.json")
    assert set(ours) == set(stock)
    passed_by_stock = {name for name, row in stock.items() if row["status"] == "PASS"}
    lost = {name: ours[name]["detail"] for name in passed_by_stock if ours[name]["status"] != "PASS"}
    assert lost == {}
    core = [row for row in ours.values() if not row["optional"] and row["status"] != "INFO"]
    assert sum(row["status"] == "PASS" for row in core) >= 38
    # DynamoDB's LastEvaluatedKey when Limit ends a page on the last item (moto: none)
    assert ours["query.lek_when_limit_hits_end"]["detail"].startswith("LEK returned at the exact end")
