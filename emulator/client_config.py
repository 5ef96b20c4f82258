"""``--write-client-config DIR``: point a frontend's Amplify config files at the emulator.

Three files, the ones Amplify's libraries read, so the app switches over with no code change:

- ``aws-exports.js`` (Gen1, JavaScript): the flat ``aws_appsync_*`` keys;
- ``amplifyconfiguration.json`` (Gen1): the native libraries' ``api.plugins.awsAPIPlugin`` entry,
  and the same flat keys the JavaScript library reads (each library ignores the other's keys);
- ``amplify_outputs.json`` (Gen2): the ``data`` section.

As ``amplify mock`` did, a file that already exists is updated in place: only the API entries
change, and everything else (Cognito ids, storage, Gen2 ``model_introspection``) is kept, so a
user-pool app keeps signing in where it did. ``amplify pull`` / ``ampx generate outputs``
restore the cloud values.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from emulator.json_files import read_json_object
from emulator.settings import AuthSettings, Settings

AWS_EXPORTS = "aws-exports.js"
AMPLIFY_CONFIGURATION = "amplifyconfiguration.json"
AMPLIFY_OUTPUTS = "amplify_outputs.json"
OUTPUTS_VERSION = "1.4"
_AWS_EXPORTS_OBJECT = re.compile(r"=\s*(\{.*\})\s*;?\s*export\s+default", re.DOTALL)


class ClientConfigError(Exception):
    """A config file exists but cannot be updated safely; the message names it."""


@dataclass(frozen=True)
class ClientApi:
    """What a client needs to reach this API: endpoint, region, auth modes, API key."""

    name: str
    graphql_url: str
    region: str
    default_mode: str
    additional_modes: tuple[str, ...]
    api_key: str | None
    model_introspection: Mapping[str, Any] | None = None  # Gen 2 projects: the served models


def first_valid_api_key(auth: AuthSettings, now: datetime | None = None) -> str | None:
    """The first configured key that has not expired (an expired key would only produce 401s)."""
    now = now or datetime.now(UTC)
    for key in auth.api_keys:
        expires = key.expires
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        if expires is None or expires > now:
            return key.key
    return None


def client_api(settings: Settings) -> ClientApi:
    """The API as the running emulator serves it (``settings`` with credentials filled in)."""
    from emulator.gen2.merge import gen2_project

    amplify = settings.extra.get("amplify") or {}
    gen2 = gen2_project(settings)
    auth = settings.auth
    return ClientApi(
        name=str(amplify.get("api") or (gen2.api_name if gen2 else settings.api_id)),
        graphql_url=f"{'https' if settings.tls else 'http'}://{settings.public_host}:{settings.port}/graphql",
        region=auth.iam.region,
        default_mode=auth.default,
        additional_modes=tuple(m for m in auth.modes if m != auth.default),
        api_key=first_valid_api_key(auth) if "API_KEY" in auth.modes else None,
        model_introspection=gen2.model_introspection if gen2 else None,
    )


# ---------------------------------------------------------------------------------------------
# The three documents


def gen1_flat_keys(api: ClientApi) -> dict[str, Any]:
    """The ``aws_appsync_*`` keys of ``aws-exports.js`` (and of a JavaScript ``amplifyconfiguration.json``)."""
    keys: dict[str, Any] = {
        "aws_appsync_graphqlEndpoint": api.graphql_url,
        "aws_appsync_region": api.region,
        "aws_appsync_authenticationType": api.default_mode,
    }
    if api.graphql_url.startswith("http://"):
        # Amplify's own mock wrote this so that the JS library (v5) connects over ws:// instead of wss://.
        keys["aws_appsync_dangerously_connect_to_http_endpoint_for_testing"] = True
    if api.api_key:
        keys["aws_appsync_apiKey"] = api.api_key
    return keys


def update_gen1_flat(existing: dict[str, Any], api: ClientApi) -> dict[str, Any]:
    replaced = ("aws_appsync_apiKey", "aws_appsync_dangerously_connect_to_http_endpoint_for_testing")
    document = {k: v for k, v in existing.items() if k not in replaced}
    document.setdefault("aws_project_region", api.region)
    document.update(gen1_flat_keys(api))
    return document


def _api_plugin_entry(api: ClientApi) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "endpointType": "GraphQL",
        "endpoint": api.graphql_url,
        "region": api.region,
        "authorizationType": api.default_mode,
    }
    if api.api_key:
        entry["apiKey"] = api.api_key
    return entry


def _with_api_plugin(document: dict[str, Any], api: ClientApi) -> dict[str, Any]:
    plugins = dict(((document.get("api") or {}).get("plugins") or {}).get("awsAPIPlugin") or {})
    graphql_names = [
        name for name, entry in plugins.items() if isinstance(entry, dict) and entry.get("endpointType") == "GraphQL"
    ]
    for name in graphql_names or [api.name]:
        kept = {k: v for k, v in (plugins.get(name) or {}).items() if k != "apiKey"}
        plugins[name] = {**kept, **_api_plugin_entry(api)}
    api_section = dict(document.get("api") or {})
    api_section["plugins"] = {**(api_section.get("plugins") or {}), "awsAPIPlugin": plugins}
    return {**document, "api": api_section}


def update_amplify_configuration(existing: dict[str, Any] | None, api: ClientApi) -> dict[str, Any]:
    """Native ``api.plugins.awsAPIPlugin`` and/or the flat JavaScript keys, as the file already has them.

    A new file gets both forms; existing GraphQL plugin entries are repointed and REST ones kept.
    """
    if existing is None:
        return _with_api_plugin(update_gen1_flat({"UserAgent": "aws-amplify-cli/2.0", "Version": "1.0"}, api), api)
    is_flat = any(key.startswith("aws_") for key in existing)
    document = update_gen1_flat(existing, api) if is_flat else dict(existing)
    if "api" in existing or not is_flat:
        document = _with_api_plugin(document, api)
    return document


def update_amplify_outputs(existing: dict[str, Any] | None, api: ClientApi) -> dict[str, Any]:
    """Gen2 ``data``: endpoint, region, auth modes and key; ``model_introspection`` is kept, or
    replaced by the served one for a Gen 2 project (what ``generateClient<Schema>()`` builds on)."""
    document = dict(existing or {})
    document.setdefault("version", OUTPUTS_VERSION)
    data = {k: v for k, v in (document.get("data") or {}).items() if k != "api_key"}
    data.update(
        url=api.graphql_url,
        aws_region=api.region,
        default_authorization_type=api.default_mode,
        authorization_types=list(api.additional_modes),
    )
    if api.api_key:
        data["api_key"] = api.api_key
    if api.model_introspection is not None:
        data["model_introspection"] = api.model_introspection
    document["data"] = data
    return document


def render_aws_exports(document: dict[str, Any]) -> str:
    body = json.dumps(document, indent=4)
    return (
        "/* eslint-disable */\n"
        "// Written by appsync-emulator --write-client-config: the API points at the local emulator.\n"
        "// `amplify pull` writes the cloud values back.\n\n"
        f"const awsmobile = {body};\n\n\nexport default awsmobile;\n"
    )


def parse_aws_exports(path: Path) -> dict[str, Any]:
    """The object literal of a generated ``aws-exports.js`` (it is JSON, as the CLI writes it)."""
    match = _AWS_EXPORTS_OBJECT.search(path.read_text(encoding="utf-8"))
    try:
        value = json.loads(match[1]) if match else None
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ClientConfigError(
            f"{path}: not in the generated `const awsmobile = {{...}}; export default awsmobile;` form; "
            "move it away to have it written fresh"
        )
    return value


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    return read_json_object(path, ClientConfigError, "; move it away to have it written fresh")


def _file_mode(path: Path) -> int:
    """The mode the written file gets: an existing file keeps its own; a new one gets what the user's
    umask gives any new file (``mkstemp``'s private 0600 would hide it from a dev server or a build
    running as another user, and these files hold no secret the frontend does not ship anyway)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; an unchanged file is left alone (no event for
    file watchers, such as hot reload when the files live in a watched folder)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_client_config(directory: Path, api: ClientApi) -> list[Path]:
    """Write (or update) the three files in ``directory``; returns their paths.

    Every file is read and checked before any is written, so a bad one changes nothing.
    """
    directory.mkdir(parents=True, exist_ok=True)
    exports_path = directory / AWS_EXPORTS
    configuration_path = directory / AMPLIFY_CONFIGURATION
    outputs_path = directory / AMPLIFY_OUTPUTS
    exports = parse_aws_exports(exports_path) if exports_path.exists() else {}
    configuration = _read_json(configuration_path)
    outputs = _read_json(outputs_path)
    documents = {
        exports_path: render_aws_exports(update_gen1_flat(exports, api)),
        configuration_path: json.dumps(update_amplify_configuration(configuration, api), indent=4) + "\n",
        outputs_path: json.dumps(update_amplify_outputs(outputs, api), indent=2) + "\n",
    }
    for path, text in documents.items():
        _write_atomically(path, text)
    return list(documents)


def write_for_settings(directory: Path, settings: Settings) -> list[Path]:
    """``write_client_config`` for the emulator these settings start (generated credentials included)."""
    from emulator.auth.generated import ensure_credentials

    auth = ensure_credentials(settings.auth, settings.data_dir)
    return write_client_config(directory, client_api(replace(settings, auth=auth)))
