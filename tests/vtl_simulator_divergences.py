"""Where Amplify's simulator (``amplify mock``) renders the corpus differently from AppSync, and why.

The corpus check (``tests/test_vtl_corpus.py``) compares every render of the generated templates
with the simulator's, after applying these divergences; each one says what AppSync does instead
and where that is documented or recorded. A divergence that no record exercises fails the check,
so the list stays true.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Divergence:
    name: str
    reason: str
    # Rewrites a value (an expected output from the simulator, or ours) so the divergent aspect
    # compares equal; returns the value unchanged where it does not apply.
    normalize: Callable[[Any], Any] | None = None


def _walk(value: Any, change: Callable[[Any], Any]) -> Any:
    value = change(value)
    if isinstance(value, dict):
        return {key: _walk(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, change) for item in value]
    return value


def _number_as_text(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"N"} and not isinstance(value["N"], str):
        return {"N": str(value["N"])}
    if isinstance(value, dict) and set(value) == {"NS"} and isinstance(value["NS"], list):
        return {"NS": [str(item) for item in value["NS"]]}
    return value


BETWEEN_NAMES = {"_between_1": "_between_start", "_between_2": "_between_end"}


def _expression_shape(value: Any) -> Any:
    """Expression text without parentheses or spaces, between-bounds named AppSync's way."""
    if not (isinstance(value, dict) and isinstance(value.get("expression"), str) and "expressionNames" in value):
        return value
    rename = lambda text: re.sub(r"_between_[12]\b", lambda match: BETWEEN_NAMES[match.group()], text)  # noqa: E731
    changed = dict(value)
    changed["expression"] = re.sub(r"[()\s]", "", rename(value["expression"]))
    if isinstance(value.get("expressionValues"), dict):
        changed["expressionValues"] = {rename(key): item for key, item in value["expressionValues"].items()}
    return changed


def _without_condition_values(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("condition"), dict):
        condition = {key: item for key, item in value["condition"].items() if key != "expressionValues"}
        return {**value, "condition": condition}
    return value


NUMBERS = Divergence(
    "dynamodb-numbers-stay-numbers",
    "AppSync's $util.dynamodb.toDynamoDB keeps a number a JSON number ({\"N\": 12345}, the examples of "
    "AppSync's dynamodb-helpers-in-util-dynamodb page); the simulator marshals with the AWS SDK and writes "
    "a string ({\"N\": \"12345\"}). Both are accepted by the DynamoDB data source.",
    lambda value: _walk(value, _number_as_text),
)
EXPRESSION_TEXT = Divergence(
    "filter-expression-text",
    "AppSync's $util.transform.toDynamoDBFilterExpression / ...ConditionExpression parenthesise every "
    "condition and group ('((#a = :and_0_a_eq) AND (attribute_exists(#b)))'), write functions without a "
    "space ('begins_with(#a,:a_beginsWith)') and name between bounds ':a_between_start'/'_end' (recorded "
    "from AWS: the AppSync event in public code and LocalStack's appsync-utils snapshots); the simulator "
    "writes '#a = :and_0_a_eq AND attribute_exists(#b)' and ':a_between_1'/'_2'. Same placeholders, same "
    "meaning.",
    lambda value: _walk(value, _expression_shape),
)
CONDITION_VALUES = Divergence(
    "condition-expression-values",
    "AppSync's $util.transform.toDynamoDBConditionExpression returns expressionValues like the filter "
    "variant (recorded from AWS: both entry points give identical output); the simulator drops them, so "
    "a condition with values loses them, and v1 templates given a `condition` argument crash in "
    "`$condition.expressionValues.putAll(undefined)` (recorded as a simulator crash).",
    lambda value: _walk(value, _without_condition_values),
)
EXTENSIONS = Divergence(
    "extensions",
    "The simulator has no $extensions: v2 subscription response templates render "
    "'$extensions.setSubscriptionFilter(...)' as text and fail as non-JSON. AppSync records the "
    "filter (the subscription hub applies it) and the call renders nothing.",
)
FOREACH_STRING = Divergence(
    "foreach-over-a-string",
    "Velocity 1.7 (AppSync) cannot iterate a String: #foreach over a single owner string runs zero times, "
    "so multi-owner auth with a string-valued owner field is Unauthorized on AppSync; the simulator "
    "(velocity.js) iterates the string as one item and authorizes.",
)
UNAUTHORIZED_MESSAGE = Divergence(
    "unauthorized-message",
    "AppSync's $util.unauthorized() fails the field with 'Not Authorized to access <field> on type "
    "<type>' (errorType Unauthorized); the simulator's message is just 'Unauthorized'.",
)

NULL_ATTRIBUTE = Divergence(
    "null-to-dynamodb",
    "AppSync's $util.dynamodb.toDynamoDB(null) (an argument the caller left out, e.g. a key field of a "
    "@key model) is {\"NULL\": null}; the simulator passes `undefined` to the AWS SDK's marshaller, which "
    "throws ('Pass options.removeUndefinedValues=true ...'), so the render crashes.",
)
RETAIN_ALL_KEYS = Divergence(
    "copy-and-retain-all-keys",
    "The simulator's $util.map.copyAndRetainAllKeys reads each key string as a [key, value] pair and "
    "fails on a plain list, so the field-auth loop over null-valued input fields never runs and the "
    "'Unauthorized on [...]' list comes out in another order; AppSync (a copy of the map holding the "
    "listed keys) denies the null-valued fields first. Same fields are denied.",
)
DENIED_FIELDS = re.compile(r"^(Unauthorized on )\[(.*)\]$")
ERROR_LOCATION = Divergence(
    "error-message-location",
    "An error thrown by $util.error / $util.unauthorized reaches the client with the template's message "
    "on AppSync; the simulator's template engine appends where the call was "
    "(' on $util.error(...) at L/N 2:0') to the message.",
)
SIMULATOR_LOCATION = re.compile(r" on \$util\.\w+\(.*\) at L/N \d+:\d+$", re.DOTALL)

DIVERGENCES = [
    NUMBERS, EXPRESSION_TEXT, CONDITION_VALUES, NULL_ATTRIBUTE, EXTENSIONS, FOREACH_STRING, UNAUTHORIZED_MESSAGE,
    RETAIN_ALL_KEYS, ERROR_LOCATION,
]
NORMALIZERS = [divergence for divergence in DIVERGENCES if divergence.normalize is not None]


def normalized(value: Any) -> Any:
    for divergence in NORMALIZERS:
        value = divergence.normalize(value)  # type: ignore[misc]
    return value
