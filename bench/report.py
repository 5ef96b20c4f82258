"""``BENCHMARKS.md`` and its chart from the measured figures, each judged against its target."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench import functions, gen2_start
from bench.fanout import FanoutFigures, MemoryFigures
from bench.http_latency import OperationFigures
from bench.png import BLUE, GREY, ORANGE, Panel, Series, write_chart
from bench.search import SearchFigures
from bench.stats import Figure
from bench.table_size import SizeFigures

COLD_START_TARGET_S = 1.5
RATIO_TARGET = 1.3
FANOUT_P99_TARGET_MS = 20.0
IDLE_RSS_TARGET_MIB = 120.0
SEARCH_P50_TARGET_MS = 50.0
SEARCH_CATCH_UP_TARGET_MS = 100.0


@dataclass
class Results:
    """Everything one ``python -m bench`` run measured (sections may be skipped)."""

    machine: list[str]
    settings: str
    cold_start: tuple[Figure, Figure] | None = None
    import_profile: list[tuple[str, float]] = field(default_factory=list)
    http: list[OperationFigures] = field(default_factory=list)
    http_logging: list[OperationFigures] = field(default_factory=list)
    sizes: list[SizeFigures] = field(default_factory=list)
    fanout: list[FanoutFigures] = field(default_factory=list)
    memory: MemoryFigures | None = None
    search: SearchFigures | None = None
    functions: functions.FunctionFigures | None = None
    gen2: gen2_start.Gen2Figures | None = None
    appendix: dict[str, str] = field(default_factory=dict)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def render(results: Results, chart: str) -> str:
    lines = ["# Benchmarks", "", "Written by `make bench` (`python -m bench`); every figure is the median over "
             "rounds with the range (min–max) in brackets.", "", f"Run: {results.settings}", "", "## Machine", ""]
    lines += [f"- {line}" for line in results.machine]
    lines += ["", f"![benchmarks]({chart})", "", "## Targets", "", "| target | figure | verdict |", "|---|---|---|"]
    lines += _targets(results)
    lines += _cold_start(results) + _http(results) + _sizes(results) + _fanout(results) + _search(results)
    if results.functions is not None:
        lines += functions.section(results.functions)
    if results.gen2 is not None:
        lines += gen2_start.section(results.gen2)
    for title, text in results.appendix.items():
        lines += ["", f"## {title}", "", "```", text.rstrip(), "```"]
    return "\n".join(lines) + "\n"


def _targets(results: Results) -> list[str]:
    rows = []
    if results.cold_start:
        figure = results.cold_start[0]
        rows.append(f"| cold start ≤ {COLD_START_TARGET_S} s | {figure.text(2, ' s')} | {_verdict(figure.median <= COLD_START_TARGET_S)} |")
    for op in results.http:
        if op.name in ("getX", "createX"):
            rows.append(f"| {op.name} p50 ≤ {RATIO_TARGET} × raw boto3 | {op.ratio.text(2, '×')} | "
                        f"{_verdict(op.ratio.median <= RATIO_TARGET)} |")
    for fan in results.fanout:
        if fan.subscribers == 100:
            rows.append(f"| mutation → event p99 ≤ {FANOUT_P99_TARGET_MS:g} ms at 100 subscribers | {fan.p99.text(1, ' ms')} | "
                        f"{_verdict(fan.p99.median <= FANOUT_P99_TARGET_MS)} |")
    if results.search:
        found = results.search
        rows.append(f"| `searchX` (match + terms) on {found.items:,} items p50 ≤ {SEARCH_P50_TARGET_MS:g} ms | "
                    f"{found.common_p50.text(1, ' ms')} | {_verdict(found.common_p50.median <= SEARCH_P50_TARGET_MS)} |")
        rows.append(f"| search index catch-up after a write ≤ {SEARCH_CATCH_UP_TARGET_MS:g} ms | "
                    f"{found.catch_up.text(1, ' ms')} | {_verdict(found.catch_up.median <= SEARCH_CATCH_UP_TARGET_MS)} |")
    if results.memory:
        rows.append(f"| idle RSS ≤ {IDLE_RSS_TARGET_MIB:g} MB | {results.memory.idle_mib:.0f} MiB | "
                    f"{_verdict(results.memory.idle_mib <= IDLE_RSS_TARGET_MIB)} |")
    if results.functions is not None:
        rows += functions.targets(results.functions)
    if results.gen2 is not None:
        rows += gen2_start.targets(results.gen2)
    return rows


def _cold_start(results: Results) -> list[str]:
    if not results.cold_start:
        return []
    wall, ready = results.cold_start
    lines = ["", "## Cold start", "", "From `python -m emulator serve examples/blog/schema.graphql --config … --in-memory` "
             "to the first answered `listPosts` query (embedded engine, warm OS file cache).", "",
             f"- command → first answered query: {wall.text(2, ' s')}",
             f"- the server's own \"Ready in\" (schema, transform, engine, tables, auth, app): {ready.text(2, ' s')}",
             "- the rest is the interpreter starting and importing (slowest top-level imports below)."]
    if results.import_profile:
        lines += ["", "| import | ms |", "|---|---|"] + [f"| `{name}` | {ms:.0f} |" for name, ms in results.import_profile]
    return lines


def _http_table(figures: list[OperationFigures]) -> list[str]:
    lines = ["| operation | API p50 ms | API p99 ms | API req/s (1 / 8 clients) | raw p50 ms | raw p99 ms "
             "| raw req/s (1 / 8 clients) | p50 ratio |",
             "|---|---|---|---|---|---|---|---|"]
    for op in figures:
        lines.append(f"| `{op.name}` | {op.api_p50.text()} | {op.api_p99.text()} | {op.api_rps.text(0)} / "
                     f"{op.api_rps_concurrent.text(0)} | {op.raw_p50.text()} | {op.raw_p99.text()} | "
                     f"{op.raw_rps.text(0)} / {op.raw_rps_concurrent.text(0)} | {op.ratio.text()} |")
    return lines


def _http(results: Results) -> list[str]:
    if not results.http:
        return []
    lines = ["", "## HTTP: the API against the raw boto3 call", "",
             "Latency: one client, sequential requests on one keep-alive connection. Throughput: that client (1 / latency), "
             "then 8 client threads at once sharing a keep-alive pool (client, server and engine share 2 cores). "
             "API = GraphQL over HTTP with an API key (`--log-level warning`); raw = the equivalent boto3 call straight to "
             "the server's embedded engine port in the same run (GetItem; Scan `Limit 20`; PutItem with "
             "`attribute_not_exists`; UpdateItem with `attribute_exists`, `ALL_NEW`). 500 posts in the table.", ""]
    lines += _http_table(results.http)
    if results.http_logging:
        lines += ["", "The same with the default `--log-level info` (one log line per request):", ""]
        lines += _http_table(results.http_logging)
    return lines


def _sizes(results: Results) -> list[str]:
    if not results.sizes:
        return []
    lines = ["", "## Read latency against table size", "",
             "p50 ms through the API and for the raw call. **The growth is moto's, not the API's**: moto stores a table "
             "as a dict, so GetItem is a lookup, but Query (on the table or an index) and Scan walk every item of the "
             "table on each call. `getX` uses GetItem when no auth filter applies, so it stays flat; list and index "
             "queries grow linearly with the table, exactly as the raw calls do. A DynamoDB-compatible engine with real "
             "indexes (`--dynamodb-endpoint`) removes the growth.", "",
             "| items | operation | API p50 ms | raw p50 ms |", "|---|---|---|---|"]
    lines += [f"| {s.items:,} | `{s.operation}` | {s.api_p50.text()} | {s.raw_p50.text()} |" for s in results.sizes]
    return lines


def _fanout(results: Results) -> list[str]:
    lines: list[str] = []
    if results.fanout:
        lines += ["", "## Subscriptions: mutation → event", "",
                  "Each subscriber is its own WebSocket (Amplify's handshake, `onCreatePost`); `createPost` is sent over "
                  "HTTP and the latency runs from just before sending it to each subscriber's `data` frame, so it "
                  "includes the DynamoDB write and the benchmark client (on uvloop) reading N sockets on the same 2 cores.", "",
                  "| subscribers | events | p50 ms | p99 ms |", "|---|---|---|---|"]
        lines += [f"| {f.subscribers} | {f.events} | {f.p50.text(1)} | {f.p99.text(1)} |" for f in results.fanout]
    if results.memory:
        m = results.memory
        lines += ["", "## Memory (server RSS)", "",
                  f"- idle, after start: {m.idle_mib:.0f} MiB",
                  f"- per idle acknowledged connection (1000 opened): {m.per_connection_kib:.0f} KiB",
                  f"- per subscription on top (1000 started): {m.per_subscription_kib:.0f} KiB",
                  f"- peak under load (after the 1000-subscriber run, `VmHWM`): {m.peak_mib:.0f} MiB",
                  f"- after every connection closed: {m.after_close_mib:.0f} MiB (glibc keeps freed blocks in its "
                  "per-thread arenas; the churn test in `tests/e2e/test_concurrency.py` trims them and finds RSS back "
                  "at its baseline)"]
    return lines


def _search(results: Results) -> list[str]:
    if not results.search:
        return []
    found = results.search
    return ["", "## @searchable", "",
            f"`examples/searchable` with {found.items:,} products written straight to the engine. `searchProducts` over "
            "HTTP with a `match` filter and a `terms` aggregation on `category`, default sort (key descending), "
            "`limit` 20; the index is in process and reads the table's DynamoDB stream before each search.", "",
            "| measure | figure |", "|---|---|",
            f"| match on a word in ~20% of the items + terms, p50 | {found.common_p50.text(1, ' ms')} |",
            f"| the same, p99 | {found.common_p99.text(1, ' ms')} |",
            f"| match on a word in ~1% of the items + terms, p50 | {found.rare_p50.text(1, ' ms')} |",
            f"| one write (PutItem straight to the engine) → first search that finds it, p50 | "
            f"{found.catch_up.text(1, ' ms')} |",
            f"| writing the {found.items:,} items (BatchWriteItem) | {found.load_s:.0f} s |",
            f"| then, until the last item written is searchable | {found.backlog_s:.1f} s |",
            "", "The bulk figures are mostly the engine's: moto serialises every stream record and scanned item "
            "through its generic response serializer (about 1 ms per item on 2 cores), and the index reads each "
            "write once from the stream. A search during such a backlog waits at most 5 s for the index, then "
            "answers from what it has, as a lagging OpenSearch index does."]


def chart(results: Results, path: Path) -> None:
    panels = []
    if results.http:
        labels = tuple(op.name.split("(")[0].upper() for op in results.http)
        panels.append(Panel("HTTP P50 LATENCY: API VS RAW BOTO3", "MS", labels, (
            Series("API (GRAPHQL OVER HTTP)", BLUE, tuple(op.api_p50.median for op in results.http)),
            Series("RAW BOTO3 CALL", GREY, tuple(op.raw_p50.median for op in results.http)),
        )))
    if results.sizes:
        sizes = sorted({s.items for s in results.sizes})
        operations = list(dict.fromkeys(s.operation for s in results.sizes))
        colors = (BLUE, GREY, ORANGE)
        series = tuple(
            Series(op.split(" (")[0].upper(), colors[n % 3],
                   tuple(next(s.api_p50.median for s in results.sizes if s.items == size and s.operation == op) for size in sizes))
            for n, op in enumerate(operations)
        )
        panels.append(Panel("API P50 BY TABLE SIZE (MOTO SCANS THE TABLE)", "MS LOG",
                            tuple(f"{size // 1000}K ITEMS" for size in sizes), series, log_scale=True))
    if results.fanout:
        panels.append(Panel("MUTATION TO EVENT", "MS", tuple(f"{f.subscribers} SUBSCRIBERS" for f in results.fanout), (
            Series("P50", BLUE, tuple(f.p50.median for f in results.fanout)),
            Series("P99", ORANGE, tuple(f.p99.median for f in results.fanout)),
        )))
    if panels:
        write_chart(path, panels)
