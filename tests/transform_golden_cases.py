"""The golden transform cases (Amplify's own output, tests/fixtures/transformer-golden) and their options."""

from __future__ import annotations

import json

from emulator.transform import TransformOptions
from tests.paths import GOLDEN

# folder, version, input schema, auth config (None: API_KEY only)
CASES = [
    ("v2/post-nosandbox-apikey", "v2", "schemas/v2/post.graphql", None),
    ("v2/post-sandbox-apikey", "v2", "schemas/v2/post-sandbox.graphql", None),
    ("v2/seed-userpools-iam-apikey", "v2", "schemas/v2/seed-v2.graphql", "schemas/v2/auth-userpools-iam-apikey.json"),
    ("v2/auth-matrix-all-providers", "v2", "schemas/v2/auth-matrix.graphql", "schemas/v2/auth-all.json"),
    ("v1/post-apikey", "v1", "schemas/v1/post-v1.graphql", None),
    ("v1/seed-userpools-iam-apikey", "v1", "schemas/v1/seed-v1.graphql", "schemas/v1/auth-v1.json"),
    ("v1/keys-relations-apikey", "v1", "schemas/v1/keys-relations-v1.graphql", None),
]


def options_for(version: str, auth_file: str | None) -> TransformOptions:
    """TransformOptions from an Amplify auth config (defaultAuthentication + additional providers)."""
    if auth_file is None:
        return TransformOptions(version=version, default_auth="API_KEY")  # type: ignore[arg-type]
    config = json.loads((GOLDEN / auth_file).read_text())
    default = config["defaultAuthentication"]["authenticationType"]
    additional = tuple(p["authenticationType"] for p in config.get("additionalAuthenticationProviders", []))
    return TransformOptions(version=version, default_auth=default, additional_auth=additional)  # type: ignore[arg-type]
