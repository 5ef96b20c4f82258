"""A corpus of resolver files in the shapes Gen 2 ``a.handler.custom`` projects use (and of
AppSync's documentation examples): every file loads, and each handler gives, for its context, the
outcome listed in ``tests/fixtures/appsync_js/cases.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.resolvers.appsync_js import JsCodeLoader, JsOutcome, evaluate
from emulator.resolvers.appsync_util import UtilRequest

CORPUS = Path(__file__).parent / "fixtures" / "appsync_js"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
FIXED_CLOCK = 1_700_000_000_123


@pytest.fixture(scope="module")
def loader() -> JsCodeLoader:
    return JsCodeLoader()


def test_every_corpus_file_loads_and_has_cases(loader: JsCodeLoader) -> None:
    files = sorted(path.name for path in CORPUS.glob("*.js"))
    for name in files:
        loader.load((CORPUS / name).read_text(encoding="utf-8"), name)
    assert sorted({case["file"] for case in CASES}) == files


def observed(outcome: JsOutcome) -> dict[str, Any]:
    """The outcome in the corpus's terms (empty parts left out)."""
    seen: dict[str, Any] = {"value": outcome.value, "stash": outcome.stash}
    if outcome.error is not None:
        error = outcome.error
        seen["error"] = {"message": error.message, "type": error.error_type, "data": error.data, "info": error.error_info}
    if outcome.errors:
        seen["appendedErrors"] = [{"message": error.message, "type": error.error_type} for error in outcome.errors]
    if outcome.early_return is not None:
        seen["earlyReturn"] = {"skipTo": outcome.early_return.skip_to}
    if outcome.extensions.subscription_filters:
        seen["subscriptionFilters"] = outcome.extensions.subscription_filters
    return seen


@pytest.mark.parametrize("case", CASES, ids=[f"{case['file']}-{case['handler']}-{index}" for index, case in enumerate(CASES)])
def test_each_handler_gives_appsyncs_outcome(loader: JsCodeLoader, case: dict[str, Any]) -> None:
    code = loader.load((CORPUS / case["file"]).read_text(encoding="utf-8"), case["file"])
    context = {"arguments": {}, "stash": {}, **case["context"]}
    info = context.get("info", {})
    request = UtilRequest(
        auth_mode="AMAZON_COGNITO_USER_POOLS",
        field_name=info.get("fieldName", ""),
        parent_type_name=info.get("parentTypeName", ""),
        clock=lambda: FIXED_CLOCK,
        random_bytes=lambda count: bytes(range(count)),
    )
    assert observed(evaluate(code, case["handler"], context, request)) == case["expect"]
