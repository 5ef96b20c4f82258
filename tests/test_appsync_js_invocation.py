"""One resolver call (``JsInvocation``): its request and response handlers share a fresh context,
but each runs in a new instance of the code's module, and the context stays with its thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from emulator.resolvers.appsync_js import JsCodeLoader, JsInvocation, JsLimits
from emulator.resolvers.appsync_util import UtilRequest

COUNTER = """let calls = 0;
export function request(ctx) {
  calls = calls + 1;
  ctx.stash.seenByRequest = calls;
  return { operation: 'GetItem', calls };
}
export function response(ctx) {
  calls = calls + 1;
  return { calls, fromRequest: ctx.stash.seenByRequest, result: ctx.result };
}
"""


@pytest.fixture(scope="module")
def loader() -> JsCodeLoader:
    return JsCodeLoader()


def test_both_handlers_run_and_module_state_starts_afresh_in_each(loader: JsCodeLoader) -> None:
    request = UtilRequest(field_name="getPost", parent_type_name="Query")
    invocation = JsInvocation(loader.load(COUNTER, "counter.js"), request)
    first = invocation.evaluate("request", {"arguments": {}, "stash": {}})
    assert first.value == {"operation": "GetItem", "calls": 1}
    second = invocation.evaluate("response", {"arguments": {}, "stash": first.stash, "result": {"id": "p1"}})
    assert second.value == {"calls": 1, "fromRequest": 1, "result": {"id": "p1"}}


def test_the_cpu_limit_applies_to_each_handler(loader: JsCodeLoader) -> None:
    busy = """export function request(ctx) {
  let n = 0;
  for (const a of Array(150).fill(0)) { for (const b of Array(150).fill(0)) { n = n + 1; } }
  return n;
}
export function response(ctx) { return ctx.result; }
"""
    invocation = JsInvocation(loader.load(busy, "busy.js"), limits=JsLimits(cpu_seconds=5))
    assert invocation.evaluate("request", {"arguments": {}}).value == 22500
    assert invocation.evaluate("request", {"arguments": {}}).value == 22500  # the tick count starts again


def test_the_invocation_recovers_after_its_context_ran_out_of_memory(loader: JsCodeLoader) -> None:
    hungry = """export function request(ctx) {
  const parts = [];
  for (const i of Array(1e7).fill(0)) { parts.push('x' + i); }
  return parts.length;
}
export function response(ctx) { return ctx.result; }
"""
    invocation = JsInvocation(loader.load(hungry, "hungry.js"), limits=JsLimits(memory_bytes=8 * 1024 * 1024))
    failed = invocation.evaluate("request", {"arguments": {}})
    assert failed.error is not None and "out of memory" in failed.error.message
    assert invocation.evaluate("response", {"arguments": {}, "result": 7}).value == 7


def test_an_invocation_stays_with_the_thread_that_made_it(loader: JsCodeLoader) -> None:
    invocation = JsInvocation(loader.load(COUNTER, "counter.js"))
    with ThreadPoolExecutor(max_workers=1) as pool:
        with pytest.raises(RuntimeError, match="only by the thread that created it"):
            pool.submit(invocation.evaluate, "request", {"arguments": {}}).result()
