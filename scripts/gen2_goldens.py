"""Regenerate the Gen 2 goldens in tests/fixtures/gen2-golden/ with Amplify's own tooling, offline.

For every case folder (``<case>/project/`` holds the Amplify Gen 2 project files, written for
these tests) this copies the project into a scratch folder outside the repository, links a
``node_modules`` that has ``@aws-amplify/backend``, ``aws-cdk-lib``, ``constructs`` and ``tsx``
(by default the example's, ``examples/gen2-notes/node_modules``, after ``npm ci`` there) and:

1. reads it with the emulator's Node helper on the real ``@aws-amplify/backend``:
   ``transform.graphql`` (what ``a.schema(...).transform()`` gives) and ``extract.json`` (functions,
   handlers, auth modes; project paths written as ``<project>``);
2. synthesizes the whole backend with the AWS CDK, as ``ampx sandbox`` would before deploying, with
   no AWS account (``CDK_OUTDIR``, a sandbox context, a dummy account): ``appsync.graphql`` (the
   AppSync schema the cloud would serve), ``model-introspection.json`` (what ``ampx generate
   outputs`` puts in ``amplify_outputs.json``) and ``api-auth.json`` (the API's auth modes as
   CloudFormation would create them, with the API key's lifetime in days);
3. writes ``versions.json`` (the Amplify packages that produced them).

    .venv/bin/python scripts/gen2_goldens.py [--node-modules DIR] [--work DIR] [CASE ...]

Nothing from node_modules or the synthesis output other than those files is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "gen2-golden"
DEFAULT_NODE_MODULES = ROOT / "examples" / "gen2-notes" / "node_modules"
PROJECT_TOKEN = "<project>"
VERSIONED_PACKAGES = (
    "@aws-amplify/backend",
    "@aws-amplify/data-schema",
    "@aws-amplify/backend-data",
    "@aws-amplify/data-construct",
    "@aws-amplify/graphql-api-construct",
    "@aws-amplify/graphql-generator",
    "aws-cdk-lib",
    "tsx",
)
SYNTH_CONTEXT = {"amplify-backend-namespace": "emulocal", "amplify-backend-name": "sandbox1", "amplify-backend-type": "sandbox"}
SYNTH_TIMEOUT_S = 600


def prepare(case: str, node_modules: Path, work: Path) -> Path:
    """The case's project copied into ``work`` with ``node_modules`` linked and a lock file (CDK wants one)."""
    project = work / case
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(GOLDEN / case / "project", project)
    (project / "node_modules").symlink_to(node_modules.resolve(), target_is_directory=True)
    (project / "package.json").write_text(json.dumps({"name": f"golden-{case}", "private": True, "type": "module"}))
    (project / "package-lock.json").write_text(json.dumps({"name": f"golden-{case}", "lockfileVersion": 3, "packages": {}}))
    return project


def normalise(value: object, project: Path) -> object:
    """``value`` with the scratch project's path replaced by ``<project>`` (goldens must not name our disk)."""
    text = json.dumps(value, indent=2, sort_keys=True)
    return json.loads(text.replace(str(project), PROJECT_TOKEN))


def extract(project: Path) -> dict:
    from emulator.gen2.reader import run_helper

    answer = run_helper(project, "real", introspection=True)
    if answer.get("error"):
        raise SystemExit(f"{project}: the helper failed: {answer['error']}")
    return answer


def synthesize(project: Path) -> Path:
    """Run ``amplify/backend.ts`` as the CDK app; returns the output folder."""
    out = project / "cdkout"
    env = {
        **os.environ,
        "CDK_OUTDIR": str(out),
        "CDK_CONTEXT_JSON": json.dumps(SYNTH_CONTEXT),
        "AWS_REGION": "us-east-1",
        "CDK_DEFAULT_REGION": "us-east-1",
        "CDK_DEFAULT_ACCOUNT": "123456789012",
    }
    done = subprocess.run(
        [str(project / "node_modules" / ".bin" / "tsx"), "amplify/backend.ts"],
        cwd=project, env=env, capture_output=True, text=True, timeout=SYNTH_TIMEOUT_S, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{project}: synthesis failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return out


def only(paths: list[Path], what: str) -> Path:
    if len(paths) != 1:
        raise SystemExit(f"expected one {what}, found {[str(p) for p in paths]}")
    return paths[0]


def api_auth(out: Path) -> dict:
    """The GraphQL API's auth as CloudFormation would create it: default and additional modes (with
    their OIDC and Lambda settings; the user pool and Lambda references left out) and the API key's
    lifetime in days."""
    found: dict = {}
    for template in out.glob("*.template.json"):
        for resource in json.loads(template.read_text()).get("Resources", {}).values():
            properties = resource.get("Properties", {})
            if resource.get("Type") == "AWS::AppSync::GraphQLApi":
                found["AuthenticationType"] = properties["AuthenticationType"]
                found["AdditionalAuthenticationProviders"] = [
                    {k: v for k, v in provider.items() if k not in ("LambdaAuthorizerConfig", "UserPoolConfig")}
                    | ({"AuthorizerResultTtlInSeconds": provider["LambdaAuthorizerConfig"]["AuthorizerResultTtlInSeconds"]}
                       if "LambdaAuthorizerConfig" in provider else {})
                    for provider in properties.get("AdditionalAuthenticationProviders", [])
                ]
            if resource.get("Type") == "AWS::AppSync::ApiKey":
                found["ApiKeyExpiresInDays"] = round((int(properties["Expires"]) - time.time()) / 86400)
    return found


def versions(node_modules: Path) -> dict[str, str]:
    found = {}
    for name in VERSIONED_PACKAGES:
        manifest = node_modules / name / "package.json"
        if manifest.is_file():
            found[name] = json.loads(manifest.read_text())["version"]
    return found


def regenerate(case: str, node_modules: Path, work: Path) -> None:
    project = prepare(case, node_modules, work)
    answer = extract(project)
    target = GOLDEN / case
    introspection = answer.pop("modelIntrospection")
    answer.pop("timings", None)
    (target / "transform.graphql").write_text(answer["data"]["schema"].rstrip("\n") + "\n")
    (target / "extract.json").write_text(json.dumps(normalise(answer, project), indent=2, sort_keys=True) + "\n")
    out = synthesize(project)
    appsync = only(sorted(out.glob("asset.*.graphql")), "AppSync schema asset")
    shutil.copyfile(appsync, target / "appsync.graphql")
    synthesized = json.loads(only(sorted(out.glob("asset.*/modelIntrospectionSchema.json")), "model introspection").read_text())
    if synthesized != introspection:
        raise SystemExit(f"{case}: the helper's model introspection differs from the synthesized one")
    (target / "model-introspection.json").write_text(json.dumps(synthesized, indent=2) + "\n")
    (target / "api-auth.json").write_text(json.dumps(api_auth(out), indent=2, sort_keys=True) + "\n")
    (target / "versions.json").write_text(json.dumps(versions(node_modules), indent=2, sort_keys=True) + "\n")
    print(f"{case}: {appsync.stat().st_size} bytes of AppSync SDL, {len(synthesized.get('models', {}))} models")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case folders (default: all)")
    parser.add_argument("--node-modules", type=Path, default=DEFAULT_NODE_MODULES)
    parser.add_argument("--work", type=Path, help="scratch folder outside the repository (default: a temporary one)")
    args = parser.parse_args(argv)
    if not (args.node_modules / "@aws-amplify" / "backend").is_dir():
        print(f"{args.node_modules}: no @aws-amplify/backend; run `npm ci` in {args.node_modules.parent}", file=sys.stderr)
        return 2
    cases = args.cases or sorted(p.parent.name for p in GOLDEN.glob("*/project"))
    work = args.work or Path(tempfile.mkdtemp(prefix="gen2-goldens-"))
    work.mkdir(parents=True, exist_ok=True)
    for case in cases:
        regenerate(case, args.node_modules, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
