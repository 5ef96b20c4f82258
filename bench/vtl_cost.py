"""What the VTL engine costs: parsing the generated-template corpus, rendering Amplify's create
templates (issue 13 asks a unit VTL resolver to add at most 1 ms p50 per request).

    python bench/vtl_cost.py [--iterations N]

Prints a Markdown block. Renders use the corpus fixtures (tests/fixtures/vtl-corpus), a user-pool
owner creating a record, and the stash the generated pipeline builds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import percentile  # noqa: E402
from emulator.resolvers.appsync_util import UtilRequest  # noqa: E402
from emulator.resolvers.vtl import VtlContext, VtlTemplate  # noqa: E402
from emulator.resolvers.vtl.template import _parse  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "vtl-corpus"
CASE = CORPUS / "v2" / "seed-userpools-iam-apikey"
IDENTITY = {
    "sub": "sub-owner",
    "username": "owner",
    "claims": {"sub": "sub-owner", "cognito:username": "owner", "iss": "https://cognito-idp.local"},
    "sourceIp": ["127.0.0.1"],
    "defaultAuthStrategy": "ALLOW",
}


def corpus_parse_ms(rounds: int) -> list[float]:
    texts = [(path.read_text(), str(path)) for path in sorted(CORPUS.glob("*/*/resolvers/*.vtl"))]
    timings = []
    for _ in range(rounds):
        _parse.cache_clear()
        start = time.perf_counter()
        for text, name in texts:
            VtlTemplate.parse(text, name)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def create_pipeline() -> list[tuple[str, VtlTemplate]]:
    """Mutation.createUser as Amplify's v2 pipeline runs it: before, init, auth, postAuth, data
    request, data response, after."""
    steps = json.loads((CASE / "pipelines.json").read_text())["Mutation.createUser"]
    parts = [("before", steps["request"])]
    for function in steps["functions"]:
        parts += [(function["request"].get("file", "inline"), function["request"]),
                  (function["response"].get("file", "inline") + " (response)", function["response"])]
    parts.append(("after", steps["response"]))
    templates = []
    for index, (label, ref) in enumerate(parts, start=1):
        text = (CASE / ref["file"]).read_text() if "file" in ref else ref["inline"]
        templates.append((f"{index}. {label.removeprefix('resolvers/')}", VtlTemplate.parse(text, label)))
    return templates


def run_pipeline(templates: list[tuple[str, VtlTemplate]], timings: dict[str, list[float]]) -> None:
    stash: dict[str, Any] = {}
    arguments = {"input": {"id": "user-1", "name": "Ann"}}
    previous: Any = {}
    for label, template in templates:
        result = {"id": "user-1", "name": "Ann", "owner": "sub-owner::owner"} if "res.vtl" in label else None
        context = VtlContext(
            arguments=arguments, identity=IDENTITY, stash=stash, result=result, prev_result=previous,
            info={"fieldName": "createUser", "parentTypeName": "Mutation"},
            util=UtilRequest(auth_mode="AMAZON_COGNITO_USER_POOLS", field_name="createUser", parent_type_name="Mutation"),
        )
        start = time.perf_counter()
        rendered = template.render(context)
        value = rendered.value()
        timings.setdefault(label, []).append((time.perf_counter() - start) * 1000)
        if label.endswith(("(response)", "before")):
            previous = value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    parse = corpus_parse_ms(5)
    templates = create_pipeline()
    timings: dict[str, list[float]] = {}
    totals = []
    for _ in range(args.iterations):
        start = time.perf_counter()
        run_pipeline(templates, timings)
        totals.append((time.perf_counter() - start) * 1000)
    print("| what | p50 | p99 |")
    print("|---|---|---|")
    print(f"| parse the corpus (623 templates, cold) | {statistics.median(parse):.0f} ms | {max(parse):.0f} ms (max of 5) |")
    for label, samples in timings.items():
        print(f"| render + read `{label}` | {percentile(samples, 0.5):.3f} ms | {percentile(samples, 0.99):.3f} ms |")
    print(f"| the whole createUser pipeline ({len(templates)} templates) | {percentile(totals, 0.5):.3f} ms | "
          f"{percentile(totals, 0.99):.3f} ms |")


if __name__ == "__main__":
    main()
