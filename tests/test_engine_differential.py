"""The indexed engine answers exactly as stock moto does (issue 15, point 7).

Seeded random workloads (``tests/engine_workload.py``: puts, conditional writes, updates that move
index keys, deletes, batches, transactions with cancellations, PartiQL, a GSI added mid-run,
Query/Scan on tables, GSIs and LSIs followed page by page, stream records) run against stock moto
in its own process and against this process's embedded engine; every answer must be the same,
after ``normalise`` (the one intended difference: DynamoDB's LastEvaluatedKey when Limit ends a
page). CI runs a few seeds of a few hundred steps; a long run:

    APPSYNC_DIFFERENTIAL_SEEDS=20 APPSYNC_DIFFERENTIAL_STEPS=3000 \\
        .venv/bin/python -m pytest tests/test_engine_differential.py
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from emulator.engine import start_engine
from emulator.indexed_moto import reads
from tests.engine_runner import Runner, normalise
from tests.engine_workload import Workload
from tests.stock_moto import clients, reset, stock_moto

SEEDS = int(os.environ.get("APPSYNC_DIFFERENTIAL_SEEDS", "3"))
STEPS = int(os.environ.get("APPSYNC_DIFFERENTIAL_STEPS", "200"))

pytestmark = pytest.mark.usefixtures("own_moto_state")  # moto's tables are process-global


@pytest.fixture(scope="module")
def stock_url() -> Iterator[str]:
    with stock_moto() as url:
        yield url


def _show(value: object) -> str:
    text = json.dumps(value, default=str, sort_keys=True)
    return text if len(text) < 1500 else text[:1500] + "..."


def _difference(expected: Any, got: Any, path: str = "") -> str:
    """Where two answers first differ, and how."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got), key=str):
            if expected.get(key) != got.get(key):
                return _difference(expected.get(key), got.get(key), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for n, (one, other) in enumerate(zip(expected, got, strict=True)):
            if one != other:
                return _difference(one, other, f"{path}[{n}]")
    return f"at {path or '(top)'}: stock moto {_show(expected)}, indexed {_show(got)}"


@pytest.mark.parametrize("seed", range(SEEDS))
def test_answers_match_stock_moto(seed: int, stock_url: str) -> None:
    reset(stock_url)
    stock = Runner(*clients(stock_url), fresh_iterators=True)
    windowed_before, stock_before, errors_before = reads.COUNTS.windowed, reads.COUNTS.stock, reads.COUNTS.window_errors
    with closing(start_engine(None, "us-east-1")) as engine:
        ours = Runner(engine.client(), clients(engine.endpoint_url)[1])
        compared = 0
        for number, step in enumerate(Workload(seed).steps(STEPS)):
            expected, got = normalise(step, stock.run(step)), normalise(step, ours.run(step))
            assert got == expected, (
                f"seed {seed}, step {number}: {step.operation or step.kind} {_show(step.params)}\n"
                f"{_difference(expected, got)}"
            )
            compared += 1
    assert compared > STEPS
    assert reads.COUNTS.window_errors == errors_before
    assert reads.COUNTS.stock == stock_before, "every Query and Scan of the workload should read a window"
    assert reads.COUNTS.windowed > windowed_before
