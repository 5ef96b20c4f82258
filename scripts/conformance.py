"""Run Amplify's own GraphQL transformer on every conformance schema and store what it says.

    .venv/bin/python scripts/conformance.py              # every case in tests/fixtures/conformance
    .venv/bin/python scripts/conformance.py NAME ...     # only these cases
    .venv/bin/python scripts/conformance.py --report     # compare the emulator's transform to the stored output

For each case of ``cases.json`` it writes ``expected/<name>.graphql`` (the AppSync schema Amplify
generates) or ``expected/<name>.error.txt`` (the message Amplify rejects the schema with). A case
with ``"artifacts": true`` also keeps ``expected/<name>.resources.json`` (its DynamoDB tables, data
sources and conflict-handling config) and, in ``expected/<name>.resolvers/``, the resolver templates
that handle DataStore's versioning (those naming ``_version`` or the ``Sync`` operation). The
transformers are the pinned npm packages of ``scripts/conformance/v1`` and ``v2``; ``npm ci`` runs
there when their ``node_modules`` is missing. ``make test`` never runs this: the tests only read
the stored output (``tests/test_conformance.py``).

Driving the transformer as the Gen1 CLI does: the feature flags of a case are ``amplify/cli.json``'s
``features.graphqltransformer`` (new-project defaults for the rest), v1 gets ``transformConfig``
``Version: 5`` plus the case's ``transform_conf``, v2 gets ``transformParameters`` from the flags and
sandbox mode from ``input AMPLIFY``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "scripts" / "conformance"
FIXTURES = ROOT / "tests" / "fixtures" / "conformance"

#: AppSync mode -> the auth provider config the Amplify CLI hands the transformer.
_PROVIDER_CONFIG: dict[str, dict[str, Any]] = {
    "API_KEY": {"authenticationType": "API_KEY", "apiKeyConfig": {"apiKeyExpirationDays": 7}},
    "AMAZON_COGNITO_USER_POOLS": {"authenticationType": "AMAZON_COGNITO_USER_POOLS",
                                  "userPoolConfig": {"userPoolId": "us-east-1_XXXXXXXX"}},
    "AWS_IAM": {"authenticationType": "AWS_IAM"},
    "OPENID_CONNECT": {"authenticationType": "OPENID_CONNECT",
                       "openIDConnectConfig": {"name": "oidc", "issuerUrl": "https://issuer.example.invalid/",
                                               "clientId": "client", "iatTTL": 0, "authTTL": 0}},
    "AWS_LAMBDA": {"authenticationType": "AWS_LAMBDA",
                   "lambdaAuthorizerConfig": {"lambdaFunction": "authorizer", "ttlSeconds": 300}},
}


def auth_config(modes: list[str]) -> dict[str, Any]:
    """``["AMAZON_COGNITO_USER_POOLS", "API_KEY"]`` -> default user pools, API key additional."""
    return {"defaultAuthentication": _PROVIDER_CONFIG[modes[0]],
            "additionalAuthenticationProviders": [_PROVIDER_CONFIG[m] for m in modes[1:]]}


def load_cases(fixtures: Path) -> list[dict[str, Any]]:
    cases = json.loads((fixtures / "cases.json").read_text())
    names = [c["name"] for c in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"conformance: duplicate case names in cases.json: {', '.join(duplicates)}")
    return cases


def _ensure_installed(version: str) -> Path:
    folder = HARNESS / version
    if not (folder / "node_modules").exists():
        print(f"conformance: npm ci in {folder} (once)", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=folder, check=True)
    return folder


def _job(case: dict[str, Any], fixtures: Path) -> dict[str, Any]:
    return {
        "name": case["name"],
        "schema": (fixtures / case["schema"]).read_text(),
        "authConfig": auth_config(case.get("auth") or ["API_KEY"]),
        "flags": {k.lower(): v for k, v in (case.get("flags") or {}).items()},
        "transformConfig": case.get("transform_conf") or {},
        "resolverConfig": (case.get("transform_conf") or {}).get("ResolverConfig"),
        "artifacts": bool(case.get("artifacts")),
    }


def run_amplify(cases: list[dict[str, Any]], fixtures: Path) -> dict[str, dict[str, Any]]:
    """Amplify's result for each case, by name: ``{"schema": ...}`` or ``{"error": ...}``."""
    results: dict[str, dict[str, Any]] = {}
    for version in ("v1", "v2"):
        jobs = [_job(c, fixtures) for c in cases if c["version"] == version]
        if not jobs:
            continue
        folder = _ensure_installed(version)
        done = subprocess.run(["node", "transform.js"], cwd=folder, input=json.dumps(jobs), text=True,
                              capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"conformance: the {version} harness failed:\n{done.stderr}")
        results.update({r["name"]: r for r in json.loads(done.stdout)})
    return results


def store(cases: list[dict[str, Any]], results: dict[str, dict[str, Any]], fixtures: Path) -> None:
    expected = fixtures / "expected"
    expected.mkdir(exist_ok=True)
    for case in cases:
        result = results[case["name"]]
        schema_file, error_file = expected / f"{case['name']}.graphql", expected / f"{case['name']}.error.txt"
        if "error" in result:
            error_file.write_text(result["error"].rstrip("\n") + "\n")
            schema_file.unlink(missing_ok=True)
            print(f"{case['name']}: rejected: {result['error'].splitlines()[0][:100]}")
        else:
            schema_file.write_text(result["schema"])
            error_file.unlink(missing_ok=True)
            print(f"{case['name']}: schema ({len(result['schema'])} characters)")
        if "resources" in result:
            _store_artifacts(expected, case["name"], result)


#: What marks a resolver template as part of DataStore's versioning (kept next to the schema).
_VERSIONING_MARKS = ("_version", '"Sync"', "lastSync")


def _store_artifacts(expected: Path, name: str, result: dict[str, Any]) -> None:
    (expected / f"{name}.resources.json").write_text(json.dumps(result["resources"], indent=1, sort_keys=True) + "\n")
    folder = expected / f"{name}.resolvers"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.vtl"):
        old.unlink()
    kept = {file: text for file, text in result["resolvers"].items() if any(m in text for m in _VERSIONING_MARKS)}
    for file, text in kept.items():
        (folder / file).write_text(text)
    print(f"{name}: {len(result['resources'])} data resources, {len(kept)} versioning templates")


def report(cases: list[dict[str, Any]], fixtures: Path) -> int:
    """How many cases start, equal Amplify's schema, and are refused with Amplify's message."""
    sys.path.insert(0, str(ROOT))
    from tests.conformance_cases import check_case  # the tests' own comparison

    counts = {"cases": len(cases), "accepted": 0, "start": 0, "equal": 0, "rejected": 0, "same_message": 0}
    for case in cases:
        outcome = check_case(case, fixtures)
        counts["accepted" if not outcome.amplify_rejects else "rejected"] += 1
        counts["start"] += outcome.starts
        counts["equal"] += outcome.equal
        counts["same_message"] += outcome.same_message
        if not outcome.ok:
            print(f"{case['name']}: {outcome.summary}")
    print(json.dumps(counts))
    return 0 if counts["equal"] + counts["same_message"] == counts["cases"] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these cases")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="folder with cases.json (default: %(default)s)")
    parser.add_argument("--report", action="store_true", help="compare the emulator to the stored output")
    args = parser.parse_args(argv)
    cases = load_cases(args.fixtures)
    if args.names:
        unknown = sorted(set(args.names) - {c["name"] for c in cases})
        if unknown:
            raise SystemExit(f"conformance: no case named {', '.join(unknown)}")
        cases = [c for c in cases if c["name"] in args.names]
    if args.report:
        return report(cases, args.fixtures)
    store(cases, run_amplify(cases, args.fixtures), args.fixtures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
