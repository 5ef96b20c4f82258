"""Typed settings: the TOML config file (shared/CONTRACT.md) plus CLI overrides.

Which keys each table accepts, with their types, defaults and meanings, is listed in
``emulator.config_schema`` (the README's configuration reference is rendered from it).

One ``Settings`` object is built at start and passed down; nothing reads the config file or the
environment after that. Every value is checked here, so a wrong key, type or path fails at start
with the file, the key and what was expected, instead of failing later mid-request.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulator.function_config import FunctionSettings
    from emulator.resolver_config import CustomConfig

from emulator.config_reader import ConfigError, TableReader
from emulator.config_schema import table_keys
from emulator.datastore_settings import DataStoreSettings, read_datastore_settings

AUTH_MODES = ("API_KEY", "AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT", "AWS_LAMBDA")


@dataclass(frozen=True)
class ApiKey:
    key: str
    expires: datetime | None = None


@dataclass(frozen=True)
class IamCredential:
    access_key_id: str
    secret_access_key: str
    role_arn: str
    session_token: str | None = None
    # the root types its role's policy grants (``appsync:GraphQL`` on ``types/Query/*`` ...); None: all.
    # A Gen 2 function gets those of its ``allow.resource(fn).to([...])``.
    root_types: tuple[str, ...] | None = None
    function: str | None = None  # the project function these credentials are given to


DEFAULT_USER_POOL_ID = "us-east-1_Local"


@dataclass(frozen=True)
class UserPoolSettings:
    user_pool_id: str = DEFAULT_USER_POOL_ID
    app_client_id: str = "localclient"
    region: str = "us-east-1"
    jwks_file: Path | None = None
    jwks_url: str | None = None  # None: Cognito's URL for a real pool id; "": fetch nothing

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def fetched_jwks_url(self) -> str | None:
        """Where the pool's public keys are fetched at start: ``jwks_url``, else Cognito's
        ``/.well-known/jwks.json`` of the pool; None for the emulator's own pool (a default start
        makes no network call) or when ``jwks_url = ""``."""
        if self.jwks_url is not None:
            return self.jwks_url or None
        if self.user_pool_id == DEFAULT_USER_POOL_ID:
            return None
        return f"{self.issuer}/.well-known/jwks.json"


@dataclass(frozen=True)
class OidcSettings:
    issuer: str = "https://oidc.appsync-emulator.local"
    client_id: str = "oidc-client"
    jwks_file: Path | None = None
    iat_ttl_seconds: int = 0  # 0: not checked (AppSync's iatTTL)
    auth_ttl_seconds: int = 0  # 0: not checked (AppSync's authTTL)


@dataclass(frozen=True)
class IamSettings:
    region: str = "us-east-1"
    auth_role_arn: str = "arn:aws:iam::123456789012:role/amplify-authRole"
    unauth_role_arn: str = "arn:aws:iam::123456789012:role/amplify-unauthRole"
    admin_role_names: tuple[str, ...] = ()
    credentials: tuple[IamCredential, ...] = ()
    # the Cognito identity pool whose users hold the auth/unauth roles ($ctx.identity.cognitoIdentityPoolId)
    identity_pool_id: str = "us-east-1:00000000-0000-4000-8000-00000000e001"
    # the key pairs the emulator gives a project's functions (Gen 2: one per function, its own role)
    function_credentials: tuple[IamCredential, ...] = ()

    @property
    def accepted_credentials(self) -> tuple[IamCredential, ...]:
        """Every key pair a SigV4 caller may sign with: the configured (or generated) ones and the functions'."""
        return (*self.credentials, *self.function_credentials)


@dataclass(frozen=True)
class LambdaSettings:
    handler: str | None = None  # "module:function" (in process), "file.ts:export" or a function's name
    search_path: Path | None = None  # the config file's folder: the module is looked up there first


@dataclass(frozen=True)
class AuthSettings:
    default: str = "API_KEY"
    additional: tuple[str, ...] = ("AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT")
    api_keys: tuple[ApiKey, ...] = ()
    user_pools: UserPoolSettings = UserPoolSettings()
    oidc: OidcSettings = OidcSettings()
    iam: IamSettings = IamSettings()
    lambda_: LambdaSettings = LambdaSettings()

    @property
    def modes(self) -> tuple[str, ...]:
        """Every enabled mode, the default first."""
        return (self.default, *[m for m in self.additional if m != self.default])


@dataclass(frozen=True)
class LimitsSettings:
    """AppSync's per-request and real-time limits (``[limits]``), AppSync's values by default.

    ``query_depth_limit`` and ``resolver_count_limit`` are the API settings ``queryDepthLimit``
    and ``resolverCountLimit``: 0 means off, as on AppSync (whose built-in ceiling of 10,000
    resolvers per request still applies).
    """

    query_depth_limit: int = 0  # 1..75 when set
    resolver_count_limit: int = 0  # 1..10000 when set
    max_request_bytes: int = 1024 * 1024
    max_response_bytes: int = 5 * 1024 * 1024
    resolver_timeout_seconds: float = 30.0
    max_subscriptions_per_connection: int = 100
    max_message_bytes: int = 240 * 1024  # real-time frames in and events out
    connection_timeout_ms: int = 300_000
    keep_alive_seconds: float = 60.0
    connection_init_timeout_seconds: float = 300.0
    send_queue_size: int = 1000


@dataclass(frozen=True)
class Settings:
    schema: Path | None = None
    api_id: str = "emulator"
    env: str = "local"
    transformer: str | None = None  # "v1" | "v2" | None (detect)
    host: str = "127.0.0.1"
    port: int = 20002
    data_dir: Path = Path(".appsync-emulator")
    in_memory: bool = False
    tls: bool = False  # HTTPS and WSS on the one port, certificate from a CA in the data dir (emulator/tls.py)
    dynamodb_endpoint: str | None = None
    dynamodb_region: str = "us-east-1"
    auth: AuthSettings = AuthSettings()
    limits: LimitsSettings = LimitsSettings()
    datastore: DataStoreSettings = DataStoreSettings()
    config_file: Path | None = None
    log_level: str = "info"
    gen2_loader: str = "fast"  # Amplify Gen 2 projects: "fast" (no CDK) or "real" (@aws-amplify/backend)
    gen2_secrets: Mapping[str, str] = field(default_factory=dict)  # [gen2.secrets]: secret('NAME') values
    extra: dict[str, Any] = field(default_factory=dict)
    custom: CustomConfig | None = None  # [data_sources], [resolvers], [pipeline_functions]
    functions: tuple[FunctionSettings, ...] = ()

    def table_name(self, model: str) -> str:
        """Amplify's table naming: ``<Model>-<api_id>-<env>``."""
        return f"{model}-{self.api_id}-{self.env}"

    @property
    def public_host(self) -> str:
        """The host clients use to reach us (0.0.0.0 is not something a client can dial)."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host


# ---------------------------------------------------------------------------------------------
# Loading


def _parse_datetime(path: Path, key: str, value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise ConfigError(f"{path}: key {key!r} must be an ISO 8601 date-time, got {value!r}")


def _api_keys(reader: TableReader) -> tuple[ApiKey, ...]:
    raw = reader.table.get("keys", [])
    name = reader._name("keys")
    if not isinstance(raw, list):
        raise ConfigError(f"{reader.file}: key {name!r} must be a list of keys, got {raw!r}")
    keys = []
    for entry in raw:
        if isinstance(entry, str):
            keys.append(ApiKey(entry))
        elif isinstance(entry, dict) and isinstance(entry.get("key"), str) and set(entry) <= {"key", "expires"}:
            expires = entry.get("expires")
            keys.append(ApiKey(entry["key"], _parse_datetime(reader.file, name, expires) if expires else None))
        else:
            raise ConfigError(
                f"{reader.file}: key {name!r}: each entry must be a string or {{ key = \"...\", expires = \"...\" }},"
                f" got {entry!r}"
            )
    return tuple(keys)


def _iam(reader: TableReader) -> IamSettings:
    defaults = IamSettings()
    raw_creds = reader.table.get("credentials", [])
    if not isinstance(raw_creds, list):
        raise ConfigError(f"{reader.file}: key {reader._name('credentials')!r} must be an array of tables")
    creds = []
    for index, entry in enumerate(raw_creds):
        if not isinstance(entry, dict):
            raise ConfigError(f"{reader.file}: key {reader._name('credentials')}[{index}] must be a table")
        item = TableReader(
            reader.file,
            f"{reader._name('credentials')}[{index}].",
            entry,
            table_keys("auth.iam.credentials"),
        )
        access, secret = item.text("access_key_id", None), item.text("secret_access_key", None)
        if not access or not secret:
            raise ConfigError(f"{reader.file}: {item.prefix}access_key_id and secret_access_key are required")
        creds.append(
            IamCredential(access, secret, item.text("role_arn", defaults.auth_role_arn) or "", item.text("session_token", None))
        )
    return IamSettings(
        region=reader.text("region", defaults.region) or defaults.region,
        auth_role_arn=reader.text("auth_role_arn", defaults.auth_role_arn) or defaults.auth_role_arn,
        unauth_role_arn=reader.text("unauth_role_arn", defaults.unauth_role_arn) or defaults.unauth_role_arn,
        admin_role_names=reader.text_list("admin_role_names", ()),
        credentials=tuple(creds),
        identity_pool_id=reader.text("identity_pool_id", defaults.identity_pool_id) or defaults.identity_pool_id,
    )


def _auth(path: Path, top: TableReader) -> AuthSettings:
    if "auth" not in top.table:
        return AuthSettings()
    auth = top.sub("auth", table_keys("auth"))
    default = auth.choice("default", "API_KEY", AUTH_MODES) or "API_KEY"
    additional = auth.text_list("additional", ())
    for mode in additional:
        if mode not in AUTH_MODES:
            raise ConfigError(f"{path}: key 'auth.additional' has {mode!r}; expected modes from: {', '.join(AUTH_MODES)}")
    up = auth.sub("user_pools", table_keys("auth.user_pools"))
    jwks_url = up.text("jwks_url", None)
    if jwks_url and not jwks_url.startswith(("http://", "https://")):
        raise up.fail("jwks_url", 'an http:// or https:// URL (or "" to fetch nothing)')
    upd = UserPoolSettings()
    oidc = auth.sub("oidc", table_keys("auth.oidc"))
    od = OidcSettings()
    lam = auth.sub("lambda", table_keys("auth.lambda"))
    handler = lam.text("handler", None)
    modes = (default, *additional)
    if "AWS_LAMBDA" in modes and not handler:
        raise ConfigError(f"{path}: AWS_LAMBDA is enabled, so key 'auth.lambda.handler' is required: a Python "
                          "'module:function', a handler file 'file:export' (.js/.mjs/.cjs/.ts/.py) or a function's name")
    return AuthSettings(
        default=default,
        additional=additional,
        api_keys=_api_keys(auth.sub("api_key", table_keys("auth.api_key"))),
        user_pools=UserPoolSettings(
            user_pool_id=up.text("user_pool_id", upd.user_pool_id) or upd.user_pool_id,
            app_client_id=up.text("app_client_id", upd.app_client_id) or upd.app_client_id,
            region=up.text("region", upd.region) or upd.region,
            jwks_file=up.file_path("jwks_file"),
            jwks_url=jwks_url,
        ),
        oidc=OidcSettings(
            issuer=oidc.text("issuer", od.issuer) or od.issuer,
            client_id=oidc.text("client_id", od.client_id) or od.client_id,
            jwks_file=oidc.file_path("jwks_file"),
            iat_ttl_seconds=oidc.integer("iat_ttl", 0),
            auth_ttl_seconds=oidc.integer("auth_ttl", 0),
        ),
        iam=_iam(auth.sub("iam", table_keys("auth.iam"))),
        lambda_=LambdaSettings(handler=handler, search_path=path.parent.resolve()),
    )


# (key, lowest allowed, highest allowed or None); AppSync's own bounds where it has them
_LIMIT_BOUNDS: dict[str, tuple[float, float | None]] = {
    "query_depth_limit": (0, 75),
    "resolver_count_limit": (0, 10_000),
    "max_request_bytes": (1, None),
    "max_response_bytes": (1, None),
    "resolver_timeout_seconds": (0.001, None),
    "max_subscriptions_per_connection": (1, None),
    "max_message_bytes": (1, None),
    "connection_timeout_ms": (1, None),
    "keep_alive_seconds": (0.01, None),
    "connection_init_timeout_seconds": (0.01, None),
    "send_queue_size": (1, None),
}
_FLOAT_LIMITS = {"resolver_timeout_seconds", "keep_alive_seconds", "connection_init_timeout_seconds"}


def _limits(top: TableReader) -> LimitsSettings:
    reader = top.sub("limits", table_keys("limits"))
    defaults = LimitsSettings()
    values: dict[str, Any] = {}
    for key, (low, high) in _LIMIT_BOUNDS.items():
        default = getattr(defaults, key)
        value = reader.number(key, default) if key in _FLOAT_LIMITS else reader.integer(key, default)
        if value < low or (high is not None and value > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise reader.fail(key, f"{bounds}")
        values[key] = value
    return LimitsSettings(**values)


def _gen2_secrets(gen2: TableReader) -> dict[str, str]:
    """``[gen2.secrets]``: ``NAME = "value"`` for each ``secret('NAME')`` of a Gen 2 project's functions."""
    secrets = gen2.sub("secrets", set(gen2.table.get("secrets", {}) or {}))
    return {name: secrets.text(name, None) or "" for name in secrets.table}


TOP_KEYS = table_keys("")
GEN2_LOADERS = ("fast", "real")


def load_config(path: Path) -> Settings:
    """Read a TOML config into ``Settings`` (CLI overrides are applied by the caller)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: is a folder; --config expects a TOML file") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    from emulator.function_config import read_function_settings  # lazily: they import this module
    from emulator.resolver_config import read_custom_config

    top = TableReader(path, "", raw, TOP_KEYS)
    dynamo = top.sub("dynamodb", table_keys("dynamodb"))
    endpoint = dynamo.text("endpoint", None) or None
    if endpoint is not None and not endpoint.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: key 'dynamodb.endpoint' must be an http:// or https:// URL, got {endpoint!r}")
    return Settings(
        schema=top.file_path("schema"),
        api_id=top.text("api_id", "emulator") or "emulator",
        env=top.text("env", "local") or "local",
        transformer=top.choice("transformer", None, ("v1", "v2")),
        tls=top.boolean("tls", False),
        dynamodb_endpoint=endpoint,
        dynamodb_region=dynamo.text("region", "us-east-1") or "us-east-1",
        auth=_auth(path, top),
        datastore=read_datastore_settings(top),
        limits=_limits(top),
        gen2_loader=top.sub("gen2", table_keys("gen2")).choice("loader", "fast", GEN2_LOADERS) or "fast",
        gen2_secrets=_gen2_secrets(top.sub("gen2", table_keys("gen2"))),
        config_file=path.resolve(),
        custom=read_custom_config(top),
        functions=read_function_settings(top),
    )
