"""``BENCHMARKS.md`` and its chart from the measured figures, each judged against its target."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench import functions, gen2_start
from bench.fanout import FanoutFigures, MemoryFigures
from bench.http_latency import OperationFigures
from bench.leak import LeakFigures
from bench.png import BLUE, GREY, ORANGE, Panel, Series, write_chart
from bench.restart import PersistenceResults
from bench.search import SearchFigures
from bench.stats import Figure
from bench.table_size import OPERATIONS, SizeFigures, growth

COLD_START_TARGET_S = 1.5
RATIO_TARGET = 1.3
FANOUT_P99_TARGET_MS = 20.0
IDLE_RSS_TARGET_MIB = 120.0
GROWTH_TARGET = 1.5  # p50 at 200k items over p50 at 1k
CLEAN_RESTART_TARGET_S = 3.0  # at 100k items
CRASH_RESTART_TARGET_S = 5.0
SNAPSHOT_HOLD_TARGET_MS = 5.0
MEMORY_TARGET_MIB_PER_1K = 2.5
LEAK_TARGET_MIB = 10.0
GREEN = (80, 160, 80)
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
    persistence: PersistenceResults | None = None
    leak: LeakFigures | None = None
    search: SearchFigures | None = None
    functions: functions.FunctionFigures | None = None
    gen2: gen2_start.Gen2Figures | None = None
    appendix: dict[str, str] = field(default_factory=dict)
    load: dict[str, tuple[float, float]] = field(default_factory=dict)  # section -> 1-min load before, after


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def render(results: Results, chart: str) -> str:
    lines = ["# Benchmarks", "", "Written by `make bench` (`python -m bench`); every figure is the median over "
             "rounds with the range (min–max) in brackets.", "", f"Run: {results.settings}", "", "## Machine", ""]
    lines += [f"- {line}" for line in results.machine]
    if results.load:
        lines.append("- Load average (1 min) before → after each section (the machine is shared; a busy machine slows "
                     "every figure): " + ", ".join(f"{name} {a:.1f} → {b:.1f}" for name, (a, b) in results.load.items()))
    lines += ["", f"![benchmarks]({chart})", "", "## Targets", "", "| target | figure | verdict |", "|---|---|---|"]
    lines += _targets(results)
    lines += _cold_start(results) + _http(results) + _sizes(results) + _leak(results)
    if results.persistence:
        lines += ["", *persistence_lines(results.persistence)]
    lines += _fanout(results) + _search(results)
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
    return rows + _engine_targets(results)


def _engine_targets(results: Results) -> list[str]:
    rows = []
    if results.sizes:
        smallest, largest = min(s.items for s in results.sizes), max(s.items for s in results.sizes)
        for operation in dict.fromkeys(s.operation for s in results.sizes):
            ratio = growth(results.sizes, operation)
            rows.append(f"| `{operation}` p50 growth {smallest // 1000}k → {largest // 1000}k items ≤ {GROWTH_TARGET}× | "
                        f"{ratio:.2f}× | {_verdict(ratio <= GROWTH_TARGET)} |")
    if results.leak:
        grown = results.leak.after_transactions_mib - results.leak.start_mib
        rows.append(f"| memory flat over {results.leak.reads:,} reads and {results.leak.transactions:,} transactions "
                    f"(≤ {LEAK_TARGET_MIB:g} MiB) | {grown:+.1f} MiB | {_verdict(grown <= LEAK_TARGET_MIB)} |")
    if results.persistence:
        for server in results.persistence.servers:
            if server.items < 100_000:
                continue
            rows.append(f"| restart with {server.items // 1000}k items after a clean stop ≤ {CLEAN_RESTART_TARGET_S:g} s | "
                        f"{server.clean_wall:.2f} s | {_verdict(server.clean_wall <= CLEAN_RESTART_TARGET_S)} |")
            rows.append(f"| restart with {server.items // 1000}k items after `kill -9` ≤ {CRASH_RESTART_TARGET_S:g} s | "
                        f"{server.kill9_wall:.2f} s | {_verdict(server.kill9_wall <= CRASH_RESTART_TARGET_S)} |")
            rows.append(f"| server memory ≤ {MEMORY_TARGET_MIB_PER_1K} MiB per 1k items ({server.items // 1000}k, after the "
                        f"fill) | {server.filled_per_1k:.2f} MiB | {_verdict(server.filled_per_1k <= MEMORY_TARGET_MIB_PER_1K)} |")
        for snap in results.persistence.snapshots:
            if snap.items >= 100_000:
                rows.append(f"| a snapshot holds writes back ≤ {SNAPSHOT_HOLD_TARGET_MS:g} ms ({snap.items // 1000}k items) | "
                            f"{snap.held_ms.text(1, ' ms')} | {_verdict(snap.held_ms.high <= SNAPSHOT_HOLD_TARGET_MS)} |")
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
    lines = ["", "## Latency against table size", "",
             "p50 ms through the API and for the raw boto3 call, one in-memory server whose Post table grows between "
             "measurements (`bench/table_size.py`). The embedded engine keeps a sorted index per table and per GSI/LSI "
             "(`emulator/indexed_moto/`): a Query or Scan bisects to its start and reads only its page, and "
             "TransactWriteItems rolls back from an undo log instead of copying the tables it touches. Stock moto read "
             "the whole table on every Query and Scan: `listX(limit: 20)` took 24 ms at 1k items, 129 ms at 10k and "
             "739 ms at 50k, the index query 825 ms at 50k, TransactWriteItems 2.8 s at 50k and 10 s at 200k.", "",
             "| items | operation | API p50 ms | raw p50 ms |", "|---|---|---|---|"]
    for s in results.sizes:
        api = s.api_p50.text() if s.api_p50 else "–"
        lines.append(f"| {s.items:,} | `{s.operation}` | {api} | {s.raw_p50.text()} |")
    smallest, largest = min(s.items for s in results.sizes), max(s.items for s in results.sizes)
    lines += ["", f"Growth of the p50 from {smallest:,} to {largest:,} items (API where there is one): " + ", ".join(
        f"`{operation}` {growth(results.sizes, operation):.2f}×" for operation in dict.fromkeys(s.operation for s in results.sizes)
    ) + "."]
    return lines


def _leak(results: Results) -> list[str]:
    if not results.leak:
        return []
    leak = results.leak
    return ["", "## Memory over reads and transactions", "",
            f"The in-memory blog server with {leak.posts:,} posts, then {leak.reads:,} Query/Scan pages of 20 and "
            f"{leak.transactions:,} TransactWriteItems on the engine's port (`bench/leak.py`). Stock moto kept every "
            "object it created (2,000 list queries: +32 MiB; 10 transactions on 5k items: +42 MiB).", "",
            f"- RSS after the warm-up: {leak.start_mib:.0f} MiB",
            f"- after {leak.reads:,} reads: {leak.after_reads_mib:.0f} MiB ({leak.after_reads_mib - leak.start_mib:+.1f} MiB)",
            f"- after {leak.transactions:,} transactions: {leak.after_transactions_mib:.0f} MiB "
            f"({leak.after_transactions_mib - leak.after_reads_mib:+.1f} MiB)"]


def persistence_lines(results: PersistenceResults) -> list[str]:
    """The persistence section (also what ``python -m bench.restart`` prints)."""
    cost = results.writes
    lines = ["## Persistence: writes, snapshots, restarts, memory", "",
             "Measured by `bench/restart.py`. Every write is journaled and synced before its answer; snapshots fold "
             "the journal in the background (format 2: items as plain data, captured under the write lock in "
             "milliseconds and encoded while writes go on).", "",
             f"- journal append + fdatasync: {cost.journal_us:.0f} µs",
             *(f"- PutItem, {threads} client thread{'s' if threads > 1 else ''}: {cost.put_ms[(threads, False)]:.2f} ms "
               f"in memory, {cost.put_ms[(threads, True)]:.2f} ms persisted" for threads in (1, 8)),
             f"- journal replay at start (no snapshot): {cost.replay_per_second:,.0f} writes/s", "",
             "Writes while snapshots are taken back to back (PutItem, one client, in process; ms):", "",
             "| items | alone p50 / p99 | during snapshots p50 / p99 / max | snapshots | writes held per snapshot | "
             "encoding (writes go on) | size |", "|---|---|---|---|---|---|---|"]
    for snap in results.snapshots:
        lines.append(f"| {snap.items:,} | {snap.alone_p50:.2f} / {snap.alone_p99:.2f} | {snap.during_p50:.2f} / "
                     f"{snap.during_p99:.2f} / {snap.during_max:.1f} | {snap.snapshots} | {snap.held_ms.text(2, ' ms')} | "
                     f"{snap.encode_s.text(2, ' s')} | {snap.size_mb:.1f} MB |")
    lines += ["", "The real server (blog example, posts of about 300 bytes filled with BatchWriteItem on its port); "
              "restart = from the command to the first answered request (\"ready\": the server's own start to "
              "listening; \"CPU\": what the server process used until then, which the machine's load does not "
              "inflate):", "",
              "| items | fill | RSS idle → filled (per 1k items) | RSS after restart (per 1k) | restart after `kill -9` | "
              "restart after a clean stop | SIGTERM → exit | on disk |", "|---|---|---|---|---|---|---|---|"]
    for server in results.servers:
        lines.append(f"| {server.items:,} | {server.fill_s:.0f} s | {server.idle_mib:.0f} → {server.filled_mib:.0f} MiB "
                     f"({server.filled_per_1k:.2f}) | {server.restarted_mib:.0f} MiB ({server.restarted_per_1k:.2f}) | "
                     f"{server.kill9_wall:.2f} s (ready {server.kill9_ready:.2f}, CPU {server.kill9_cpu:.2f}) | "
                     f"{server.clean_wall:.2f} s (ready {server.clean_ready:.2f}, CPU {server.clean_cpu:.2f}) | "
                     f"{server.sigterm_exit_s:.2f} s | {server.disk_mb:.1f} MB |")
    lines += [""] + [f"- {server.items:,} items after `kill -9`: {server.restored.split(' in ', 1)[-1]}"
                     for server in results.servers]
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


BLACKISH = (90, 90, 90)


def _chart_label(operation: str) -> str:
    return {"index query (postsByTitle)": "INDEX QUERY", "Scan page from a mid-table key": "SCAN FROM MID KEY",
            "TransactWriteItems (2 Puts)": "TRANSACT 2 PUTS"}.get(operation, operation.split("(")[0].upper())


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
        colors = (BLUE, GREY, ORANGE, GREEN, BLACKISH)

        def p50(figure: SizeFigures) -> float:
            return (figure.api_p50 or figure.raw_p50).median

        series = tuple(
            Series(_chart_label(operation), colors[n % len(colors)],
                   tuple(next(p50(s) for s in results.sizes if s.items == size and s.operation == operation) for size in sizes))
            for n, operation in enumerate(o for o in OPERATIONS if any(s.operation == o for s in results.sizes))
        )
        panels.append(Panel("P50 BY TABLE SIZE (INDEXED ENGINE)", "MS", tuple(f"{size // 1000}K ITEMS" for size in sizes),
                            series))
    if results.persistence and results.persistence.servers:
        servers = results.persistence.servers
        panels.append(Panel("RESTART: COMMAND TO FIRST ANSWER", "S", tuple(f"{s.items // 1000}K ITEMS" for s in servers), (
            Series("AFTER A CLEAN STOP", BLUE, tuple(s.clean_wall for s in servers)),
            Series("AFTER KILL -9", ORANGE, tuple(s.kill9_wall for s in servers)),
        )))
    if results.fanout:
        panels.append(Panel("MUTATION TO EVENT", "MS", tuple(f"{f.subscribers} SUBSCRIBERS" for f in results.fanout), (
            Series("P50", BLUE, tuple(f.p50.median for f in results.fanout)),
            Series("P99", ORANGE, tuple(f.p99.median for f in results.fanout)),
        )))
    if panels:
        write_chart(path, panels)
