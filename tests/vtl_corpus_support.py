"""Replaying the simulator's renders of the VTL corpus with our engine.

``tests/fixtures/vtl-corpus/`` holds the templates Amplify's transformer generates (copied from
the project's reference goldens, ``transformer-golden/*/*/resolvers`` and ``pipelines.json``) and
``expected.json.gz``: every render ``scripts/vtl-oracle/render-corpus.cjs`` made with Amplify's
simulator, with the exact context it saw (stash, arguments, identity, result, ...). Each record
is replayed here with the same context, the same clock and the same ids, and compared.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_util import AUTH_TYPES, UtilRequest
from emulator.resolvers.vtl import Rendered, VtlContext, VtlTemplate
from emulator.resolvers.vtl.template import NOT_GIVEN
from tests.vtl_simulator_divergences import (
    CONDITION_VALUES,
    DENIED_FIELDS,
    ERROR_LOCATION,
    EXTENSIONS,
    FOREACH_STRING,
    NORMALIZERS,
    NULL_ATTRIBUTE,
    RETAIN_ALL_KEYS,
    SIMULATOR_LOCATION,
    UNAUTHORIZED_MESSAGE,
    Divergence,
)

CORPUS = Path(__file__).resolve().parent / "fixtures" / "vtl-corpus"
NOW_MILLIS = 1_704_164_645_678  # 2024-01-02T03:04:05.678Z, the oracle's fixed clock
MODES = {text: mode for mode, text in AUTH_TYPES.items()}
# a key attribute converted straight from the arguments (null when the caller leaves it out)
NULL_KEY_ARGUMENT = re.compile(r"\$util\.dynamodb\.toDynamoDB(?:Json)?\(\$(?:ctx|context)\.args\.[\w.]+\)")


@cache
def oracle() -> dict[str, Any]:
    with gzip.open(CORPUS / "expected.json.gz") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/*/resolvers/*.vtl"))


def template_text(ref: str) -> str:
    if ref.startswith("inline:"):
        return str(oracle()["inline"][ref.removeprefix("inline:")])
    return (CORPUS / ref).read_text()


def counting_bytes() -> Any:
    """The oracle's ids: ``autoId`` gives ``00000000-0000-4000-8000-00000000000N``, N from 1."""
    calls = [0]

    def random_bytes(size: int) -> bytes:
        calls[0] += 1
        return calls[0].to_bytes(size, "big")

    return random_bytes


def render_record(record: dict[str, Any]) -> Rendered:
    context = copy.deepcopy(record["context"])
    info = context["info"]
    util = UtilRequest(
        auth_mode=MODES.get(record["authType"], "API_KEY"),
        field_name=info["fieldName"],
        parent_type_name=info["parentTypeName"],
        clock=lambda: NOW_MILLIS,
        random_bytes=counting_bytes(),
    )
    prev = context.get("prev")
    vtl_context = VtlContext(
        arguments=context["arguments"],
        identity=context.get("identity"),
        source=context.get("source"),
        stash=context.get("stash") or {},
        result=context.get("result"),
        prev_result=prev["result"] if isinstance(prev, dict) else NOT_GIVEN,
        error=context.get("error"),
        info=info,
        request=context["request"],
        util=util,
    )
    return VtlTemplate.parse(template_text(record["template"]), record["template"]).render(vtl_context)


@dataclass
class Verdict:
    """How one render compares: ``mismatch`` is empty when it matches (``divergences`` says
    which known differences from the simulator it needed)."""

    template: str
    divergences: set[str] = field(default_factory=set)
    mismatch: str = ""


def _normalized(value: Any, verdict: Verdict, other: Any) -> tuple[Any, Any]:
    """Both sides through every normalizer; records the normalizers that mattered."""
    for divergence in NORMALIZERS:
        assert divergence.normalize is not None
        ours, theirs = divergence.normalize(value), divergence.normalize(other)
        if ours != value or theirs != other:
            verdict.divergences.add(divergence.name)
        value, other = ours, theirs
    return value, other


def _same(label: str, ours: Any, theirs: Any, verdict: Verdict) -> bool:
    if ours == theirs:
        return True
    ours, theirs = _normalized(ours, verdict, theirs)
    if ours != theirs:
        verdict.mismatch = f"{label} differs:\n ours:      {json.dumps(ours)[:1500]}\n simulator: {json.dumps(theirs)[:1500]}"
        return False
    return True


def _error_matches(ours: AppSyncError, theirs: dict[str, Any], record: dict[str, Any], verdict: Verdict) -> bool:
    if ours.error_type != theirs["type"]:
        verdict.mismatch = f"error type {ours.error_type!r} ({ours.message}), simulator {theirs['type']!r} ({theirs['message']})"
        return False
    message = theirs["message"]
    if ours.message == message:
        return True
    if SIMULATOR_LOCATION.search(message):
        verdict.divergences.add(ERROR_LOCATION.name)
        message = SIMULATOR_LOCATION.sub("", message)
        if ours.message == message:
            return True
    ours_denied, their_denied = DENIED_FIELDS.match(ours.message), DENIED_FIELDS.match(message)
    if ours_denied and their_denied and sorted(ours_denied[2].split(", ")) == sorted(their_denied[2].split(", ")):
        verdict.divergences.add(RETAIN_ALL_KEYS.name)
        return True
    info = record["context"]["info"]
    if theirs["type"] == "Unauthorized" and message == "Unauthorized":
        if ours.message == f"Not Authorized to access {info['fieldName']} on type {info['parentTypeName']}":
            verdict.divergences.add(UNAUTHORIZED_MESSAGE.name)
            return True
    verdict.mismatch = f"error message {ours.message!r}, simulator {message!r}"
    return False


def compare(record: dict[str, Any]) -> Verdict:
    verdict = Verdict(record["template"])
    expected = record["expected"]
    rendered = render_record(record)
    text = template_text(record["template"])
    if "mappingError" in expected or expected.get("crash"):
        return _simulator_failed(record, rendered, text, verdict)
    if expected["hadException"]:
        thrown, appended = expected["errors"][-1], expected["errors"][:-1]
        if rendered.error is None:
            verdict.mismatch = f"the simulator failed with {thrown}, we did not"
        elif _error_matches(rendered.error, thrown, record, verdict):
            _same("appended errors", _errors(rendered.errors), _errors_of(appended), verdict)
            if not verdict.mismatch:
                _same("stash", rendered.stash, expected["stash"], verdict)
        return verdict
    if rendered.error is not None:
        if rendered.error.error_type == "Unauthorized" and "#foreach( $allowedOwner in $ownerEntity" in text:
            verdict.divergences.add(FOREACH_STRING.name)
            return verdict
        verdict.mismatch = f"we failed with {rendered.error.error_type}: {rendered.error.message}"
        return verdict
    try:
        value = rendered.value()
    except AppSyncError as exc:
        verdict.mismatch = f"our output is not JSON ({exc.message}): {rendered.text[:500]}"
        return verdict
    (
        _same("output", value, expected["output"], verdict)
        and _same("stash", rendered.stash, expected["stash"], verdict)
        and _same("arguments", rendered.arguments, expected["arguments"], verdict)
        and _same("appended errors", _errors(rendered.errors), _errors_of(expected["errors"]), verdict)
    )
    return verdict


def _errors(errors: list[AppSyncError]) -> list[dict[str, Any]]:
    return [{"message": error.message, "type": error.error_type, "data": error.data} for error in errors]


def _errors_of(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"message": error["message"], "type": error["type"], "data": error["data"]} for error in errors]


def _simulator_failed(record: dict[str, Any], rendered: Rendered, text: str, verdict: Verdict) -> Verdict:
    """The simulator could not render this; we must, as AppSync does, for a known reason."""
    expected = record["expected"]
    if rendered.error is not None:
        verdict.mismatch = f"the simulator failed and so did we: {rendered.error.message}"
        return verdict
    try:
        rendered.value()
    except AppSyncError as exc:
        verdict.mismatch = f"the simulator failed and our output is not JSON either: {exc.message}"
        return verdict
    if "mappingError" in expected and "$extensions." in text:
        wanted = record["context"]["arguments"].get("filter")
        if wanted and not rendered.extensions.subscription_filters:
            verdict.mismatch = "the subscription filter was not recorded"
        verdict.divergences.add(EXTENSIONS.name)
    elif expected.get("crash") and record["context"]["arguments"].get("condition") is not None:
        verdict.divergences.add(CONDITION_VALUES.name)
    elif expected.get("crash") and NULL_KEY_ARGUMENT.search(text):
        verdict.divergences.add(NULL_ATTRIBUTE.name)
    else:
        verdict.mismatch = f"the simulator failed ({expected}) for no known reason"
    return verdict


def divergence_names(divergences: list[Divergence]) -> set[str]:
    return {divergence.name for divergence in divergences}
