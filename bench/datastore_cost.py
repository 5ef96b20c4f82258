"""What DataStore's versioning costs per request: versioned writes and syncs against plain ones.

Run: ``.venv/bin/python bench/datastore_cost.py [--iterations N] [--items N]``. Two servers serve the
same schema, one with conflict detection on (AUTOMERGE) and one without. Each row is the p50 of
``iterations`` sequential requests over one keep-alive connection (API key): createX, updateX
(the stored ``_version``), a page of ``syncX`` against the same page of ``listX`` on ``items``
items, and a delta ``syncX`` returning the last 100 changes. A versioned write reads the item
first (version check) and logs the change in the delta sync table, so it makes more DynamoDB calls.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from emulator.testing import RunningEmulator, start_emulator

SCHEMA = "type Note @model @auth(rules: [{allow: public}]) { id: ID! title: String! body: String }\n"
KEY = "da2-datastorebenchkey00000000"
CONFIG = f'[auth]\ndefault = "API_KEY"\n[auth.api_key]\nkeys = ["{KEY}"]\n'
DATASTORE = '[datastore]\nconflict_handler = "AUTOMERGE"\n'
FIELDS = "id title body"
META = " _version _lastChangedAt _deleted"


class Api:
    def __init__(self, server: RunningEmulator, versioned: bool) -> None:
        self.http = httpx.Client(timeout=60)
        self.url = server.graphql_url
        self.fields = FIELDS + (META if versioned else "")

    def call(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self.http.post(self.url, json={"query": query, "variables": variables}, headers={"x-api-key": KEY}).json()
        if body.get("errors"):
            raise RuntimeError(f"benchmark request failed: {body['errors']}")
        return body["data"]

    def create(self, title: str) -> dict[str, Any]:
        query = f"mutation($i: CreateNoteInput!) {{ createNote(input: $i) {{ {self.fields} }} }}"
        return self.call(query, i={"title": title, "body": "x" * 200})["createNote"]


def p50_ms(action: Callable[[], Any], iterations: int) -> float:
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(api: Api, versioned: bool, iterations: int, items: int) -> dict[str, float]:
    notes = [api.create(f"seed {n}") for n in range(items)]
    versions = {note["id"]: note.get("_version") for note in notes}
    turn = iter(range(10**9))

    def update() -> None:
        note_id = notes[next(turn) % len(notes)]["id"]
        values: dict[str, Any] = {"id": note_id, "title": "changed"}
        if versioned:
            values["_version"] = versions[note_id]
        query = f"mutation($i: UpdateNoteInput!) {{ updateNote(input: $i) {{ {api.fields} }} }}"
        versions[note_id] = api.call(query, i=values)["updateNote"].get("_version")

    figures = {
        "createX": p50_ms(lambda: api.create("bench"), iterations),
        "updateX": p50_ms(update, iterations),
        f"listX(limit: {items})": p50_ms(lambda: api.call(
            f"query($l: Int) {{ listNotes(limit: $l) {{ items {{ {api.fields} }} }} }}", l=items), max(5, iterations // 10)),
    }
    if versioned:
        page = f"query($l: Int, $s: AWSTimestamp) {{ syncNotes(limit: $l, lastSync: $s) {{ items {{ {api.fields} }} startedAt }} }}"
        figures[f"syncX base (limit: {items})"] = p50_ms(lambda: api.call(page, l=items), max(5, iterations // 10))
        last_sync = int(time.time() * 1000)
        for _ in range(100):
            update()
        figures["syncX delta (100 changes)"] = p50_ms(lambda: api.call(page, l=1000, s=last_sync), max(5, iterations // 10))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        schema = Path(folder) / "schema.graphql"
        schema.write_text(SCHEMA)
        for label, config in (("plain", CONFIG), ("versioned", CONFIG + DATASTORE)):
            server = start_emulator(schema, config, data_dir=Path(folder) / label)
            try:
                results[label] = measure(Api(server, label == "versioned"), label == "versioned", args.iterations,
                                         args.items)
            finally:
                server.stop()
    print(f"| p50 ms ({args.iterations} requests, {args.items} items) | without DataStore | with DataStore |")
    print("|---|---|---|")
    for name in results["versioned"]:
        plain = results["plain"].get(name)
        print(f"| {name} | {f'{plain:.2f}' if plain is not None else '-'} | {results['versioned'][name]:.2f} |")


if __name__ == "__main__":
    main()
