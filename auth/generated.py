"""Credentials generated into the data dir when the config names none.

With no config at all the emulator still enforces API_KEY and AWS_IAM, so it needs a key to hand
out: one API key and two IAM key pairs (a signed-in identity-pool user's, with the auth role, and
a guest's, with the unauth role) are generated once, kept in ``<data dir>/auth/`` and reused on
every restart (a client configured yesterday keeps working). Files are written with
create-exclusive semantics, so a ``serve`` and a ``token`` command started together agree on one
value instead of each writing its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from emulator.settings import ApiKey, AuthSettings, IamCredential

AUTH_DIR = "auth"
CREDENTIALS_FILE = "generated-credentials.json"
GUEST_CREDENTIALS_FILE = "generated-guest-credentials.json"  # a file of its own: older data dirs lack it
_API_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_ACCESS_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def auth_dir(data_dir: Path) -> Path:
    """Where auth state lives inside the data dir (created when missing)."""
    path = data_dir / AUTH_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes; when it does not exist, ``make()`` is written first, readable by the owner only.

    The new content goes to a temporary file that is then hard-linked into place, which fails if
    another process won the race; the loser then reads the winner's file.
    """
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(make())
        os.chmod(tmp_name, 0o600)
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp_name)
    return path.read_bytes()


def new_api_key() -> str:
    """An AppSync-shaped API key: ``da2-`` and 26 lowercase letters and digits."""
    return "da2-" + "".join(secrets.choice(_API_KEY_ALPHABET) for _ in range(26))


def new_access_key_id() -> str:
    """An IAM-shaped access key id (``AKIA`` and 16 upper-case characters)."""
    return "AKIA" + "".join(secrets.choice(_ACCESS_KEY_ALPHABET) for _ in range(16))


def _new_key_pair() -> dict[str, str]:
    return {"access_key_id": new_access_key_id(), "secret_access_key": secrets.token_urlsafe(30)}


def _new_credentials_file() -> bytes:
    return json.dumps({"api_key": new_api_key(), "iam": _new_key_pair()}, indent=2).encode()


def _new_guest_file() -> bytes:
    return json.dumps({"iam": _new_key_pair()}, indent=2).encode()


def load_generated(data_dir: Path) -> dict[str, object]:
    """The generated credentials document, creating it on first use."""
    return json.loads(read_or_create(auth_dir(data_dir) / CREDENTIALS_FILE, _new_credentials_file))


def load_generated_guest(data_dir: Path) -> dict[str, str]:
    """The generated guest key pair (``access_key_id``, ``secret_access_key``), created on first use."""
    return json.loads(read_or_create(auth_dir(data_dir) / GUEST_CREDENTIALS_FILE, _new_guest_file))["iam"]


def generated_credentials_file(data_dir: Path, access_key_id: str) -> Path | None:
    """The file holding ``access_key_id``'s secret when that key pair is the generated one, else None."""
    path = data_dir / AUTH_DIR / CREDENTIALS_FILE
    try:
        iam = json.loads(path.read_text(encoding="utf-8")).get("iam", {})
    except (OSError, ValueError, AttributeError):
        return None
    return path if isinstance(iam, dict) and iam.get("access_key_id") == access_key_id else None


def ensure_credentials(settings: AuthSettings, data_dir: Path) -> AuthSettings:
    """``settings`` with a generated API key and IAM key pairs wherever an enabled mode has none.

    API_KEY enabled without keys gets the stored ``da2-…`` key; AWS_IAM enabled without
    credentials gets the stored key pair, acting as ``settings.iam.auth_role_arn`` (the role
    Amplify gives signed-in users), then the guest pair acting as ``unauth_role_arn``.
    Configured credentials are never touched.
    """
    needs_key = "API_KEY" in settings.modes and not settings.api_keys
    needs_iam = "AWS_IAM" in settings.modes and not settings.iam.credentials
    if not (needs_key or needs_iam):
        return settings
    generated = load_generated(data_dir)
    if needs_key:
        settings = replace(settings, api_keys=(ApiKey(str(generated["api_key"])),))
    if needs_iam:
        iam = generated["iam"]
        assert isinstance(iam, dict)
        guest = load_generated_guest(data_dir)
        credentials = (
            IamCredential(str(iam["access_key_id"]), str(iam["secret_access_key"]), settings.iam.auth_role_arn),
            IamCredential(guest["access_key_id"], guest["secret_access_key"], settings.iam.unauth_role_arn),
        )
        settings = replace(settings, iam=replace(settings.iam, credentials=credentials))
    return settings


def function_credential(data_dir: Path, function: str, role_arn: str, root_types: tuple[str, ...]) -> IamCredential:
    """The key pair a project function calls the API with: its own, derived from the data dir's
    generated secret (the same on every start, different for every function), acting as ``role_arn``
    with a policy granting ``root_types``."""
    iam = load_generated(data_dir)["iam"]
    assert isinstance(iam, dict)
    seed = str(iam["secret_access_key"]).encode()

    def derived(purpose: str) -> bytes:
        return hmac.new(seed, f"{purpose}:{function}".encode(), hashlib.sha256).digest()

    access_key_id = "AKIA" + base64.b32encode(derived("access-key-id")).decode()[:16]
    secret_access_key = base64.urlsafe_b64encode(derived("secret-access-key")).decode().rstrip("=")
    return IamCredential(access_key_id, secret_access_key, role_arn, root_types=root_types, function=function)
