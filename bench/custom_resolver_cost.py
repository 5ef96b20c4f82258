"""What a custom resolver adds per request over its data-source call (issue 13: a unit VTL or JS
resolver adds <= 1 ms p50).

Run: ``.venv/bin/python bench/custom_resolver_cost.py [--iterations N]``. On the emulator's own
embedded engine (in memory), in one thread, after a warm-up, each iteration times three things on
the same item, interleaved so the machine's load hits them alike:

* the data-source call alone: ``execute(PostTable, <GetItem document>)``, the document already made;
* a unit VTL resolver doing that GetItem (request and response templates, ``$util.error`` on an
  error, the call's context built);
* a unit APPSYNC_JS resolver doing the same with ``ddb.get`` (a fresh QuickJS context per call).

The resolver's cost is its p50 minus the data-source call's p50 (wall clock and this thread's CPU
time). Prints a Markdown block.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator.apimodel import ApiModel, FieldSpec, KeySpec, ModelSpec  # noqa: E402
from emulator.engine import start_engine, table_definition  # noqa: E402
from emulator.resolvers.appsync_js import load_code  # noqa: E402
from emulator.resolvers.context import ResolverContext  # noqa: E402
from emulator.resolvers.custom import CustomResolver, JsCode, ResolverCall, VtlCode  # noqa: E402
from emulator.resolvers.datasources import DynamoDBSource, TableNames, execute  # noqa: E402
from emulator.resolvers.vtl import VtlTemplate  # noqa: E402

TABLE = "Post-bench-local"
DOCUMENT = {"version": "2018-05-29", "operation": "GetItem", "key": {"id": {"S": "p1"}}}
VTL_REQUEST = """{
  "version": "2018-05-29",
  "operation": "GetItem",
  "key": { "id": $util.dynamodb.toDynamoDBJson($ctx.args.id) }
}"""
VTL_RESPONSE = """#if( $ctx.error )
  $util.error($ctx.error.message, $ctx.error.type)
#end
$util.toJson($ctx.result)"""
JS_CODE = """import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return ddb.get({ key: { id: ctx.args.id } });
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
"""


def setup() -> tuple[Any, ResolverContext, DynamoDBSource]:
    engine = start_engine(None, "us-east-1")
    client = engine.client()
    post = ModelSpec(name="Post", primary_key=KeySpec("id"), fields={"id": FieldSpec("id", "ID", non_null=True)})
    client.create_table(**table_definition(post, TABLE))
    client.put_item(TableName=TABLE, Item={"id": {"S": "p1"}, "title": {"S": "Hello"}, "likes": {"N": "3"}})
    api = ApiModel(version="v2", sdl="", models={"Post": post}, root_fields={})
    context = ResolverContext(api=api, dynamodb=client, table_name=lambda model: TABLE)
    return engine, context, DynamoDBSource("PostTable", TABLE, TableNames())


def sample(action: Callable[[], Any]) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.thread_time()
    action()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - start_cpu) * 1000


def p50(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    iterations = parser.parse_args().iterations
    engine, context, source = setup()
    vtl = CustomResolver("Query", "getPost", "UNIT", VtlCode(VtlTemplate.parse(VTL_REQUEST, "req.vtl"),
                                                             VtlTemplate.parse(VTL_RESPONSE, "res.vtl")), "bench",
                         data_source=source)
    js = CustomResolver("Query", "getPost", "UNIT", JsCode(load_code(JS_CODE, "getPost.js")), "bench", data_source=source)

    def call(resolver: CustomResolver) -> Callable[[], Any]:
        return lambda: resolver.resolve(ResolverCall.of(context, "Query", "getPost", {"id": "p1"}))

    actions = {"data source": lambda: execute(source, DOCUMENT, context), "VTL": call(vtl), "JS": call(js)}
    assert actions["VTL"]() == actions["JS"]() == {"id": "p1", "title": "Hello", "likes": 3}
    wall: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(min(100, iterations)):
        for action in actions.values():
            action()
    for _ in range(iterations):
        for name, action in actions.items():
            w, c = sample(action)
            wall[name].append(w)
            cpu[name].append(c)
    engine.close()
    base_wall, base_cpu = p50(wall["data source"]), p50(cpu["data source"])
    print(f"{iterations} iterations, one thread, embedded engine in memory; GetItem of one item.\n")
    print("| | p50 wall ms | p99 wall ms | p50 CPU ms | added over the data source (p50 wall / CPU ms) |")
    print("|---|---|---|---|---|")
    for name in actions:
        added = "" if name == "data source" else f"{p50(wall[name]) - base_wall:.3f} / {p50(cpu[name]) - base_cpu:.3f}"
        label = {"data source": "data-source call alone", "VTL": "unit VTL resolver", "JS": "unit APPSYNC_JS resolver"}[name]
        print(f"| {label} | {p50(wall[name]):.3f} | {p99(wall[name]):.3f} | {p50(cpu[name]):.3f} | {added} |")


if __name__ == "__main__":
    main()
