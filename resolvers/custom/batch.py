"""``BatchInvoke``: one Lambda call for a field resolved on many sibling items.

A unit resolver on a Lambda data source with ``maxBatchSize`` (``max_batch_size`` in the config)
whose request is a ``BatchInvoke`` (or a direct Lambda resolver without templates) is batched as
AppSync batches it: when the field is first resolved on one item of a list, the request handler
runs for every sibling item (items a list result returned together, ``resolvers.loader``), their
payloads go to the function in one call per ``maxBatchSize``, and each item's response handler
then gets its own element of the answer when graphql-core resolves the field on that item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.resolvers.custom.call import ResolverCall
from emulator.resolvers.custom.code import StepCode
from emulator.resolvers.custom.handlers import HandlerRun, start
from emulator.resolvers.custom.steps import StepValue, answer
from emulator.resolvers.datasources import DataSourceResult, LambdaSource, execute_batch
from emulator.resolvers.loader import siblings_of


@dataclass
class _Pending:
    """One sibling's call, between its request (done with the batch) and its response."""

    call: ResolverCall
    run: HandlerRun
    document: Any
    early: StepValue | None = None
    outcome: DataSourceResult | None = None


def batched_value(code: StepCode, source: LambdaSource, max_batch_size: int, call: ResolverCall) -> Any:
    """The field's value on ``call.source``, its siblings' requests sent in the same batch."""
    memo: dict[int, _Pending] = call.context.loaders.setdefault(f"batch:{call.type_name}.{call.field_name}:{id(code)}", {})
    if id(call.source) not in memo:
        _send(code, source, max_batch_size, call, memo)
    pending = memo.pop(id(call.source))
    call.stash = pending.call.stash
    call.util.appended_errors.extend(pending.call.util.appended_errors)
    if pending.early is not None:
        return pending.early.value
    assert pending.outcome is not None
    return answer(pending.run, pending.document, pending.outcome, unit=True).value


def _send(code: StepCode, data_source: LambdaSource, size: int, call: ResolverCall, memo: dict[int, _Pending]) -> None:
    siblings = [call.source, *(s for s in siblings_of(call.context, call.source) if s is not call.source)]
    waiting = []
    for source in siblings:
        if id(source) in memo:
            continue
        sibling = call if source is call.source else call.for_source(source)
        run = start(code, sibling)
        if run.has_request:
            request = run.request()
            pending = _Pending(sibling, run, request.value)
            if request.early:
                pending.early = StepValue(request.value)
        else:
            pending = _Pending(sibling, run, {"operation": "BatchInvoke", "payload": sibling.direct_lambda_payload()})
        memo[id(source)] = pending
        if pending.early is None:
            waiting.append(pending)
    for start_at in range(0, len(waiting), size):
        chunk = waiting[start_at:start_at + size]
        for pending, outcome in zip(chunk, execute_batch(data_source, [p.document for p in chunk], call.context),
                                    strict=True):
            pending.outcome = outcome
