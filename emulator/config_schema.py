"""Every key of the TOML config: its table, type, default and meaning, in one place.

The loader (``emulator.settings``) accepts in each table exactly the keys listed here, and the
README's configuration reference is rendered from this list (``python -m emulator.config_schema
README.md`` rewrites it; ``tests/test_config_schema.py`` fails when the two differ, and checks each
default against what the loader gives). A key added to the loader without a line here is refused as
unknown, so the reference cannot fall behind.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


class Computed:
    """A default that is not one value (generated, detected, taken from elsewhere)."""


COMPUTED = Computed()


@dataclass(frozen=True)
class ConfigKey:
    table: str  # "" for the top level, "auth.user_pools", "auth.iam.credentials" (an array of tables)
    name: str
    type: str  # as the user writes it in TOML
    default: object  # the loaded value when the key is absent (its table present), or COMPUTED
    meaning: str
    setting: str | None = None  # where the loaded value lives on ``Settings`` (dotted), when it has one place
    shown_default: str | None = None  # the README's wording, when the value alone does not say it


@dataclass(frozen=True)
class ConfigTable:
    name: str
    about: str
    array: bool = False  # [[name]]: an array of tables
    named: bool = False  # [name.<entry>]: tables of named entries, each with the keys listed


TABLES = (
    ConfigTable("", "the schema and the tables' names"),
    ConfigTable("auth", "which auth modes the API accepts"),
    ConfigTable("auth.api_key", "the `API_KEY` mode"),
    ConfigTable("auth.user_pools", "the `AMAZON_COGNITO_USER_POOLS` mode: which tokens are accepted"),
    ConfigTable("auth.oidc", "the `OPENID_CONNECT` mode: which tokens are accepted"),
    ConfigTable("auth.iam", "the `AWS_IAM` mode: the roles callers act as"),
    ConfigTable("auth.iam.credentials", "the key pairs IAM callers sign with (one table per pair)", array=True),
    ConfigTable("auth.lambda", "the `AWS_LAMBDA` mode"),
    ConfigTable("dynamodb", "the DynamoDB engine"),
    ConfigTable("limits", "AppSync's limits (AppSync's values by default; see \"Limits\")"),
    ConfigTable("datastore", "DataStore conflict detection for every model (see \"DataStore\"); a Gen 1 project's "
                "`transform.conf.json` gives it too"),
    ConfigTable("datastore.models", "a model's own conflict handler, e.g. `[datastore.models.Post]`", named=True),
    ConfigTable("gen2", "Amplify Gen 2 projects (see \"Amplify Gen 2\")"),
    ConfigTable("functions", "Lambda functions of any project, one table per function (see \"Lambda functions\")",
                named=True),
    ConfigTable("data_sources", "custom resolvers' data sources, one table per name (see \"Custom resolvers\")",
                named=True),
    ConfigTable("resolvers", 'custom resolvers, one table per field, e.g. `[resolvers."Query.echo"]`', named=True),
    ConfigTable("pipeline_functions", "the functions pipeline resolvers name, one table per name", named=True),
)

_MODES = "`API_KEY`, `AMAZON_COGNITO_USER_POOLS`, `AWS_IAM`, `OPENID_CONNECT` or `AWS_LAMBDA`"
_AUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-authRole"
_UNAUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-unauthRole"

_HANDLER_KEYS = (
    ("request", "path", "A VTL request template."),
    ("response", "path", "A VTL response template."),
    ("code", "path", "An APPSYNC_JS file (instead of `request`/`response`)."),
    ("max_batch_size", "integer", "For a Lambda data source: sibling fields batched into one `BatchInvoke`."),
)


def _handler_keys(table: str) -> tuple[ConfigKey, ...]:
    return tuple(ConfigKey(table, name, kind, None, meaning, None, "none") for name, kind, meaning in _HANDLER_KEYS)


KEYS = (
    ConfigKey("", "schema", "path", None, "The Amplify schema: a `.graphql` file or a folder of them. The `PATH` "
              "argument wins.", "schema", "the `PATH` argument, else `./schema.graphql`"),
    ConfigKey("", "api_id", "string", "emulator", "The middle of every table name: `<Model>-<api_id>-<env>`.", "api_id"),
    ConfigKey("", "env", "string", "local", "Amplify's environment name, the end of every table name.", "env"),
    ConfigKey("", "transformer", '`"v1"` or `"v2"`', None, "Which Amplify GraphQL transformer's semantics to serve.",
              "transformer", "detected from the directives (v2 when undecidable)"),
    ConfigKey("", "tls", "boolean", False, "Serve HTTPS and WSS on the one port, with a certificate from a local CA "
              "generated into the data dir (see \"TLS\"). `--tls` wins.", "tls"),
    ConfigKey("auth", "default", "mode", "API_KEY", f"The default auth mode: {_MODES}.", "auth.default"),
    ConfigKey("auth", "additional", "list of modes", (), "The other modes the API accepts.", "auth.additional",
              "none; with no `[auth]` table at all: user pools, IAM and OIDC"),
    ConfigKey("auth.api_key", "keys", 'list of strings or `{ key = "...", expires = "..." }`', COMPUTED,
              "The keys accepted in `x-api-key`; after `expires` (an ISO 8601 date-time) a key is refused as an "
              "expired AppSync key is.", None, "one key generated into the data dir"),
    ConfigKey("auth.user_pools", "user_pool_id", "string", "us-east-1_Local", "Tokens must carry `iss` = "
              "`https://cognito-idp.<region>.amazonaws.com/<user_pool_id>` (the `token` command and the explorer "
              "sign them so).", "auth.user_pools.user_pool_id"),
    ConfigKey("auth.user_pools", "app_client_id", "string", "localclient", "Checked against `aud` (id tokens) or "
              "`client_id` (access tokens).", "auth.user_pools.app_client_id"),
    ConfigKey("auth.user_pools", "region", "string", "us-east-1", "The pool's region, part of `iss`.",
              "auth.user_pools.region"),
    ConfigKey("auth.user_pools", "jwks_file", "path", None, "Public keys (a JWKS file) accepted besides the "
              "emulator's own signing key, e.g. your real pool's.", "auth.user_pools.jwks_file", "none"),
    ConfigKey("auth.user_pools", "jwks_url", "URL string", None, "Where your real pool's public keys are fetched at "
              "start (cached in the data dir); `\"\"`: fetch nothing.", "auth.user_pools.jwks_url",
              "Cognito's URL for a pool id other than the default, else none"),
    ConfigKey("auth.oidc", "issuer", "string", "https://oidc.appsync-emulator.local", "The `iss` of accepted "
              "tokens.", "auth.oidc.issuer"),
    ConfigKey("auth.oidc", "client_id", "string", "oidc-client", "Must be in `aud` (or, for an access token, "
              "`client_id`).", "auth.oidc.client_id"),
    ConfigKey("auth.oidc", "jwks_file", "path", None, "The issuer's public keys (a JWKS file), accepted besides "
              "the emulator's own.", "auth.oidc.jwks_file", "none"),
    ConfigKey("auth.oidc", "iat_ttl", "integer (seconds)", 0, "Tokens issued longer ago are refused (AppSync's "
              "`iatTTL`); 0: not checked.", "auth.oidc.iat_ttl_seconds"),
    ConfigKey("auth.oidc", "auth_ttl", "integer (seconds)", 0, "Tokens whose `auth_time` is older are refused "
              "(`authTTL`); 0: not checked.", "auth.oidc.auth_ttl_seconds"),
    ConfigKey("auth.iam", "region", "string", "us-east-1", "The region requests must be signed for.",
              "auth.iam.region"),
    ConfigKey("auth.iam", "auth_role_arn", "string", _AUTH_ROLE, "Amplify's role for signed-in users: key pairs "
              "without `role_arn` act as it; IAM `private` and `owner` rules allow it.", "auth.iam.auth_role_arn"),
    ConfigKey("auth.iam", "unauth_role_arn", "string", _UNAUTH_ROLE, "Amplify's role for guests: IAM `public` "
              "rules allow it.", "auth.iam.unauth_role_arn"),
    ConfigKey("auth.iam", "admin_role_names", "list of strings", (), "Roles with full access, as Amplify v2's "
              "`adminRoles` (`custom-roles.json`).", "auth.iam.admin_role_names"),
    ConfigKey("auth.iam", "identity_pool_id", "string", "us-east-1:00000000-0000-4000-8000-00000000e001",
              "The Cognito identity pool callers with the auth or unauth role belong to "
              "(`$ctx.identity.cognitoIdentityPoolId`).", "auth.iam.identity_pool_id"),
    ConfigKey("auth.iam", "credentials", "array of tables", COMPUTED, "The key pairs IAM callers sign with "
              "(`[[auth.iam.credentials]]`, below).", None,
              "one key pair generated into the data dir (printed at start)"),
    ConfigKey("auth.iam.credentials", "access_key_id", "string", COMPUTED, "The pair's access key id.", None,
              "required"),
    ConfigKey("auth.iam.credentials", "secret_access_key", "string", COMPUTED, "The pair's secret.", None,
              "required"),
    ConfigKey("auth.iam.credentials", "role_arn", "string", COMPUTED, "The role a caller signing with this pair "
              "acts as (its `userArn` is that role's assumed-role session).", None, "`auth_role_arn`"),
    ConfigKey("auth.iam.credentials", "session_token", "string", COMPUTED, "For temporary credentials: requests "
              "must carry this `X-Amz-Security-Token` (`AWS_SESSION_TOKEN`); without it they must carry none.",
              None, "none"),
    ConfigKey("auth.lambda", "handler", '`"module:function"`', None, "Your Python Lambda authorizer; the module "
              "is looked up beside this file first.", "auth.lambda_.handler",
              "none (required when `AWS_LAMBDA` is enabled)"),
    ConfigKey("dynamodb", "endpoint", "URL string", None, "An external DynamoDB-compatible endpoint (DynamoDB Local, "
              "real DynamoDB, ...); empty: the embedded engine. `--dynamodb-endpoint` wins.", "dynamodb_endpoint",
              '`""` (the embedded engine)'),
    ConfigKey("dynamodb", "region", "string", "us-east-1", "The region of the DynamoDB calls.", "dynamodb_region"),
    ConfigKey("limits", "query_depth_limit", "integer", 0, "AppSync's `queryDepthLimit`: 0 = off, else 1..75.",
              "limits.query_depth_limit"),
    ConfigKey("limits", "resolver_count_limit", "integer", 0, "`resolverCountLimit`: 0 = AppSync's built-in 10000, "
              "else 1..10000.", "limits.resolver_count_limit"),
    ConfigKey("limits", "max_request_bytes", "integer", 1_048_576, "Largest request body.",
              "limits.max_request_bytes"),
    ConfigKey("limits", "max_response_bytes", "integer", 5_242_880, "Largest encoded response body.",
              "limits.max_response_bytes"),
    ConfigKey("limits", "resolver_timeout_seconds", "number", 30.0, "Execution time of one request.",
              "limits.resolver_timeout_seconds"),
    ConfigKey("limits", "max_subscriptions_per_connection", "integer", 100, "Subscriptions on one real-time "
              "connection.", "limits.max_subscriptions_per_connection"),
    ConfigKey("limits", "max_message_bytes", "integer", 245_760, "Real-time frames in and events out (240 KB).",
              "limits.max_message_bytes"),
    ConfigKey("limits", "connection_timeout_ms", "integer", 300_000, "Sent in `connection_ack`.",
              "limits.connection_timeout_ms"),
    ConfigKey("limits", "keep_alive_seconds", "number", 60.0, "The `ka` interval.", "limits.keep_alive_seconds"),
    ConfigKey("limits", "connection_init_timeout_seconds", "number", 300.0, "From the upgrade to "
              "`connection_init`.", "limits.connection_init_timeout_seconds"),
    ConfigKey("limits", "send_queue_size", "integer", 1000, "Frames queued for a slow reader before it is dropped "
              "(close code 1013).", "limits.send_queue_size"),
    ConfigKey("datastore", "conflict_handler", '`"AUTOMERGE"`, `"OPTIMISTIC_CONCURRENCY"` or `"LAMBDA"`', None,
              "Turns conflict detection on for every model, with this handler.", None, "none (off)"),
    ConfigKey("datastore", "lambda_function", "string", None, "LAMBDA: the conflict handler function's name.",
              None, "none"),
    ConfigKey("datastore", "delta_sync_table_ttl", "integer (minutes)", 30, "How long the delta sync table keeps a "
              "change.", "datastore.delta_sync_table_ttl"),
    ConfigKey("datastore", "base_table_ttl", "integer (minutes)", 43200, "How long a deleted item stays "
              "(`_deleted: true`).", "datastore.base_table_ttl"),
    ConfigKey("datastore.models", "conflict_handler", '`"AUTOMERGE"`, `"OPTIMISTIC_CONCURRENCY"` or `"LAMBDA"`', None,
              "This model's handler (and conflict detection on for it).", None, "required"),
    ConfigKey("datastore.models", "lambda_function", "string", None, "LAMBDA: the function's name.", None, "none"),
    ConfigKey("gen2", "loader", '`"fast"` or `"real"`', "fast", "How a Gen 2 project is read: a shim without the "
              "AWS CDK, or the project's own `@aws-amplify/backend`.", "gen2_loader"),
    ConfigKey("gen2", "secrets", "table of strings", {}, "`secret('NAME')` values of the project's functions, "
              "`NAME = \"value\"` (over `.amplify/secrets.env`).", "gen2_secrets", "none"),
    ConfigKey("functions", "handler", '`"file:export"`', None, "The handler file (`.js`, `.mjs`, `.cjs`, `.ts`, "
              "`.py`) and its export.", None, "required; export `handler`"),
    ConfigKey("functions", "runtime", '`"node"` or `"python"`', None, "When the file's extension does not say it.",
              None, "from the file"),
    ConfigKey("functions", "timeout", "number (seconds)", 3.0, "Lambda's `Timeout`, 1..900.", None),
    ConfigKey("functions", "environment", "table of strings", None, "Variables added to the function's environment.",
              None, "none"),
    ConfigKey("functions", "python", "path", None, "The interpreter of a Python function (its virtualenv's).",
              None, "the function's `.venv`, else the emulator's"),
    ConfigKey("functions", "max_instances", "integer", 4, "Runner processes when calls overlap, 1..64.", None),
    ConfigKey("functions", "triggers", "list of models", None, "Models whose table stream feeds the function.",
              None, "none"),
    ConfigKey("functions", "batch_size", "integer", 100, "Stream records per trigger call, 1..10000.", None),
    ConfigKey("data_sources", "type", "`AMAZON_DYNAMODB`, `AWS_LAMBDA`, `HTTP` or `NONE`", None, "The kind; "
              "without it the entry adjusts the project's data source of that name.", None, "none"),
    ConfigKey("data_sources", "table", "string", None, "DynamoDB: a model (`Post`), its data source (`PostTable`) "
              "or a table name.", None, "none"),
    ConfigKey("data_sources", "partition_key", '`"name"` or `"name:S\\|N\\|B"`', None, "DynamoDB: declares a "
              "table that is not a model's, created at start.", None, "none"),
    ConfigKey("data_sources", "sort_key", '`"name"` or `"name:S\\|N\\|B"`', None, "Its sort key.", None, "none"),
    ConfigKey("data_sources", "indexes", "list of `{ name, partition_key, sort_key }`", None, "Its global secondary "
              "indexes.", None, "none"),
    ConfigKey("data_sources", "function", "string", None, "Lambda: the function it calls.", None,
              "the data source's name"),
    ConfigKey("data_sources", "endpoint", "URL string", None, "HTTP: the endpoint.", None, "none"),
    ConfigKey("data_sources", "allow_external", "boolean", None, "HTTP: may call a host other than loopback.",
              None, "`false`"),
    *_handler_keys("resolvers"),
    ConfigKey("resolvers", "data_source", "string", None, "A unit resolver's data source.", None, "none"),
    ConfigKey("resolvers", "pipeline", "list of strings", None, "A pipeline resolver's functions, in order.", None,
              "none"),
    *_handler_keys("pipeline_functions"),
    ConfigKey("pipeline_functions", "data_source", "string", None, "The function's data source.", None, "none"),
)


def table_keys(table: str) -> set[str]:
    """What a table accepts: its keys and the names of its sub-tables."""
    prefix = f"{table}." if table else ""
    children = {t.name.removeprefix(prefix).split(".")[0] for t in TABLES
                if t.name.startswith(prefix) and t.name != table and "." not in t.name.removeprefix(prefix)}
    return {key.name for key in KEYS if key.table == table} | children


# ---------------------------------------------------------------------------------------------
# The README's reference

BEGIN = "<!-- config-reference: generated from emulator/config_schema.py (python -m emulator.config_schema README.md) -->"
END = "<!-- end of config-reference -->"


def _shown(key: ConfigKey) -> str:
    if key.shown_default is not None:
        return key.shown_default
    if isinstance(key.default, str):
        return f'`"{key.default}"`'
    if isinstance(key.default, tuple):
        return f"`{list(key.default)}`"
    return f"`{key.default}`"


def render_reference() -> str:
    """The reference as Markdown, one table per TOML table, between the README markers."""
    lines = [BEGIN]
    for table in TABLES:
        heading = "Top level" if not table.name else (
            f"`[[{table.name}]]`" if table.array else f"`[{table.name}.<name>]`" if table.named else f"`[{table.name}]`")
        lines += ["", f"**{heading}**: {table.about}.", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        lines += [f"| `{key.name}` | {key.type} | {_shown(key)} | {key.meaning} |" for key in KEYS if key.table == table.name]
    return "\n".join([*lines, "", END])


def replace_reference(readme: str) -> str:
    """``readme`` with the text between the markers replaced by the current reference."""
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + render_reference() + readme[end:]


if __name__ == "__main__":  # python -m emulator.config_schema README.md
    target = Path(sys.argv[1])
    target.write_text(replace_reference(target.read_text(encoding="utf-8")), encoding="utf-8")
