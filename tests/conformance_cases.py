"""The conformance cases (tests/fixtures/conformance) and how one is checked against Amplify.

Each case of ``cases.json`` names a schema, the transformer version, the API's auth modes and the
project's feature flags; ``expected/`` holds what Amplify's own transformer said about it
(``scripts/conformance.py`` writes it). ``check_case`` runs the emulator's transform the same
way: an accepted schema must give the same API by introspection, a rejected one Amplify's message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.amplify.resolver_config import read_resolver_config
from emulator.sdl import build_appsync_schema
from emulator.transform import SchemaError, TransformOptions, transform
from tests.schema_compare import schema_differences, without_undefined_inputs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "conformance"


def load_cases(fixtures: Path = FIXTURES) -> list[dict[str, Any]]:
    return json.loads((fixtures / "cases.json").read_text())


def options_for_case(case: dict[str, Any]) -> TransformOptions:
    modes = case.get("auth") or ["API_KEY"]
    resolver_config = (case.get("transform_conf") or {}).get("ResolverConfig")
    datastore, _warnings = read_resolver_config(resolver_config, Path(case["schema"]))
    options = TransformOptions(version=case["version"], default_auth=modes[0], additional_auth=tuple(modes[1:]),
                               datastore=datastore)
    return options.with_feature_flags(case.get("flags") or {})


@dataclass(frozen=True)
class Outcome:
    amplify_rejects: bool
    starts: bool  # our transform gave a schema (or, for a rejected one, a SchemaError), no other exception
    equal: bool = False  # accepted by Amplify: same API by introspection
    same_message: bool = False  # rejected by Amplify: we reject it too, with Amplify's message
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.same_message if self.amplify_rejects else self.equal


def check_case(case: dict[str, Any], fixtures: Path = FIXTURES) -> Outcome:
    expected = fixtures / "expected"
    error_file = expected / f"{case['name']}.error.txt"
    rejects = error_file.exists()
    sdl = (fixtures / case["schema"]).read_text()
    try:
        api = transform(sdl, options_for_case(case))
        build_appsync_schema(api.sdl)  # what the server builds at start
    except SchemaError as error:
        if rejects:
            want = error_file.read_text().rstrip("\n")
            same = error.message.rstrip("\n") == want
            return Outcome(True, True, same_message=same,
                           summary="" if same else f"message differs:\n  amplify: {want}\n  ours:    {error.message}")
        return Outcome(False, False, summary=f"Amplify accepts it, we refuse it: {error}")
    except Exception as error:  # noqa: BLE001 - any other exception is the failure being reported
        return Outcome(rejects, False, summary=f"crash: {type(error).__name__}: {error}")
    if rejects:
        return Outcome(True, True, summary=f"Amplify refuses it ({error_file.read_text().strip()}), we serve it")
    amplify_sdl, _undeployable = without_undefined_inputs((expected / f"{case['name']}.graphql").read_text())
    differences = schema_differences(amplify_sdl, api.sdl)
    return Outcome(False, True, equal=not differences,
                   summary=f"{len(differences)} differences\n" + "\n".join(differences))
