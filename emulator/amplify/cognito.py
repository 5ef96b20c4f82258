"""The Cognito user pool a Gen1 project signs its users in with: pool id, web app client id, region.

With these the emulator accepts the tokens a frontend gets from the project's real pool (their
keys are fetched from the pool's JWKS URL, ``emulator.auth.jwks_fetch``). They are read from:

1. ``amplify/backend/amplify-meta.json`` (written by ``amplify push`` / ``amplify pull``): the
   ``auth`` resource whose ``service`` is ``Cognito``, ``output.UserPoolId`` and
   ``output.AppClientIDWeb`` (``AppClientID`` for a native-only app);
2. else the client config the CLI wrote for the frontend: ``aws-exports.js`` or
   ``amplifyconfiguration.json`` in the JavaScript source folder (``amplify/.config/project-config.json``,
   ``src`` by default), the Android ``res/raw`` folder or the project root (iOS).

``None`` when the project has no user pool: the emulator's own pool settings stay.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from emulator.amplify.files import BACKEND_DIR, AmplifyProjectError, read_json
from emulator.client_config import AMPLIFY_CONFIGURATION, AWS_EXPORTS, ClientConfigError, parse_aws_exports
from emulator.settings import UserPoolSettings

AMPLIFY_META = BACKEND_DIR / "amplify-meta.json"
PROJECT_CONFIG = Path("amplify") / ".config" / "project-config.json"
_POOL_REGION = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)_")


def project_user_pool(root: Path) -> tuple[UserPoolSettings, Path] | None:
    """The project's user pool and the file it was read from; None when the project has none."""
    meta = _from_amplify_meta(root / AMPLIFY_META)
    if meta is not None:
        return meta, root / AMPLIFY_META
    for path in _client_config_files(root):
        found = _from_client_config(path)
        if found is not None:
            return found, path
    return None


def _dig(document: Any, *keys: str) -> Any:
    """``document[k1][k2]...``, or None as soon as a level is missing or not an object."""
    for key in keys:
        if not isinstance(document, Mapping):
            return None
        document = document.get(key)
    return document


def _pool(pool_id: Any, client_id: Any, region: Any = None) -> UserPoolSettings | None:
    """Settings for a pool id and app client id (both needed); the region defaults to the pool id's prefix."""
    if not isinstance(pool_id, str) or not pool_id or not isinstance(client_id, str) or not client_id:
        return None
    match = _POOL_REGION.match(pool_id)
    if not isinstance(region, str) or not region:
        region = match[1] if match else UserPoolSettings().region
    return UserPoolSettings(user_pool_id=pool_id, app_client_id=client_id, region=region)


def _from_amplify_meta(path: Path) -> UserPoolSettings | None:
    meta = read_json(path) or {}
    resources = _dig(meta, "auth")
    region = _dig(meta, "providers", "awscloudformation", "Region")
    for resource in resources.values() if isinstance(resources, Mapping) else ():
        if _dig(resource, "service") != "Cognito":
            continue
        client = _dig(resource, "output", "AppClientIDWeb") or _dig(resource, "output", "AppClientID")
        found = _pool(_dig(resource, "output", "UserPoolId"), client, region)
        if found is not None:
            return found
    return None


def _client_config_files(root: Path) -> list[Path]:
    """Where the CLI wrote the frontend's config, per ``project-config.json`` (JavaScript ``src`` by default)."""
    project = read_json(root / PROJECT_CONFIG) or {}
    javascript = _dig(project, "javascript", "config", "SourceDir")
    android = _dig(project, "android", "config", "ResDir")
    folders = [root / (javascript if isinstance(javascript, str) and javascript else "src")]
    if isinstance(android, str):
        folders.append(root / android / "raw")
    folders.append(root)
    return [folder / name for folder in folders for name in (AWS_EXPORTS, AMPLIFY_CONFIGURATION)]


def _from_client_config(path: Path) -> UserPoolSettings | None:
    if not path.is_file():
        return None
    try:
        document = parse_aws_exports(path) if path.name == AWS_EXPORTS else read_json(path)
    except ClientConfigError as exc:
        raise AmplifyProjectError(str(exc)) from exc
    document = document or {}
    flat = _pool(_dig(document, "aws_user_pools_id"), _dig(document, "aws_user_pools_web_client_id"),
                 _dig(document, "aws_cognito_region"))
    return flat or _from_native_plugin(document)


def _from_native_plugin(document: Mapping[str, Any]) -> UserPoolSettings | None:
    """``auth.plugins.awsCognitoAuthPlugin.CognitoUserPool.Default`` of the native libraries' file."""
    default = _dig(document, "auth", "plugins", "awsCognitoAuthPlugin", "CognitoUserPool", "Default")
    return _pool(_dig(default, "PoolId"), _dig(default, "AppClientId"), _dig(default, "Region"))
