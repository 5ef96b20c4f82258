"""``appsync-emulator``: ``serve``, ``token`` (shared/CONTRACT.md), ``export`` and ``import``.

Settings come from the TOML config (``--config``, else ``./appsync-emulator.toml`` when present);
flags override it. Errors the user can fix (config, schema, engine) print one clear message and
exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from emulator.amplify.merge import resolve_project
from emulator.gen2.merge import gen2_project, resolve_gen2_project
from emulator.log_setup import configure_logging
from emulator.settings import ConfigError, Settings, load_config

DEFAULT_CONFIG = Path("appsync-emulator.toml")


def port_number(text: str) -> int:
    """``--port``: a TCP port (0: any free one). Out-of-range numbers would otherwise reach the
    socket layer, which wraps them (99999 listens on 34463) or fails after the tables were opened."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0-65535, got {port}")
    return port


def is_endpoint_url(text: str) -> bool:
    """An ``http://`` or ``https://`` URL with a host: what boto3 accepts as ``endpoint_url``."""
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or parts.port > 0  # .port raises ValueError for "x:abc"
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok


def endpoint_url(text: str) -> str:
    """``--dynamodb-endpoint``: refused here with the flag named, not as boto3's traceback.

    An empty value means the embedded engine, as ``endpoint = ""`` does in the config (and wins over
    an endpoint the config names): docker-compose.yml passes ``${DYNAMODB_ENDPOINT:-}``."""
    if text == "":
        return text
    if not is_endpoint_url(text):
        raise argparse.ArgumentTypeError(f"expected an http:// or https:// URL, got {text!r}")
    return text


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="TOML config file (default: ./appsync-emulator.toml when present)")
    parser.add_argument("--data-dir", type=Path, help="where state lives (default: ./.appsync-emulator)")
    parser.add_argument("--api", metavar="NAME", help="the GraphQL API to use when an Amplify project has several")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="appsync-emulator", description="A local AWS AppSync + DynamoDB emulator.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve an Amplify schema as an AppSync API")
    serve.add_argument("path", nargs="?", type=Path, help=".graphql file, folder of them, or Amplify project root")
    _common(serve)
    serve.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, help="one port for everything (default 20002)")
    serve.add_argument("--in-memory", action="store_true", default=None, help="keep table data in memory only")
    serve.add_argument("--dynamodb-endpoint", type=endpoint_url,
                       help="use an external DynamoDB-compatible endpoint (empty: the embedded engine)")
    serve.add_argument("--tls", action="store_true", default=None,
                       help="serve HTTPS and WSS with a certificate from a local CA in the data dir (README: TLS)")
    serve.add_argument("--no-reload", action="store_true", help="do not watch the schema and config for changes")
    serve.add_argument("--log-level", choices=["debug", "info", "warning", "error"], help="log verbosity (default info)")
    serve.add_argument("--seed", type=Path, help="JSON file of items to load at start (README: Persistence)")
    serve.add_argument("--write-client-config", type=Path, metavar="DIR",
                       help="write aws-exports.js, amplifyconfiguration.json, amplify_outputs.json for this emulator")

    token = commands.add_parser("token", help="print a signed Cognito-style JWT the emulator accepts")
    _common(token)
    token.add_argument("--username", required=True)
    token.add_argument("--sub", help="default: a stable UUID derived from the username")
    token.add_argument("--groups", default="", help="comma-separated cognito:groups")
    token.add_argument("--email")
    token.add_argument("--token-use", choices=["id", "access"], default="id")
    token.add_argument("--expires-in", type=int, default=3600, help="seconds; negative makes an expired token")
    token.add_argument("--claim", action="append", default=[], metavar="KEY=VALUE", help="extra claim (repeatable)")
    token.add_argument("--oidc", action="store_true", help="an OIDC-issuer token instead of a user-pool token")

    export = commands.add_parser("export", help="print the tables' items as JSON (README: Persistence)")
    _common(export)
    export.add_argument("--out", type=Path, help="write to this file instead of stdout")
    export.add_argument("--dynamodb-json", action="store_true", help="DynamoDB JSON, exact types (default: plain JSON)")
    export.add_argument("--dynamodb-endpoint", type=endpoint_url, help="read this endpoint instead of the data dir (e.g. a running emulator)")

    load = commands.add_parser("import", help="load items from a JSON file into the tables (README: Persistence)")
    load.add_argument("file", type=Path, help='{"Model or table": [items]}, plain or DynamoDB JSON')
    _common(load)
    load.add_argument("--dynamodb-endpoint", type=endpoint_url, help="write to this endpoint instead of the data dir (e.g. a running emulator)")
    return parser


def resolve_settings(args: argparse.Namespace) -> Settings:
    """Config file first, then flags on top."""
    config_path = args.config or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    settings = load_config(config_path) if config_path else Settings()
    if settings.dynamodb_endpoint and not is_endpoint_url(settings.dynamodb_endpoint):
        raise ConfigError(f"{config_path}: key 'dynamodb.endpoint' must be an http:// or https:// URL, "
                          f"got {settings.dynamodb_endpoint!r}")
    settings, from_project = resolve_project(settings, getattr(args, "path", None), getattr(args, "api", None))
    if not from_project:
        settings, from_project = resolve_gen2_project(
            settings,
            getattr(args, "path", None),
            getattr(args, "data_dir", None) or settings.data_dir,
            introspection=getattr(args, "write_client_config", None) is not None,
        )
    overrides: dict[str, object] = {}
    if getattr(args, "path", None) and not from_project:
        overrides["schema"] = args.path
    elif settings.schema is None:
        overrides["schema"] = Path("schema.graphql")
    for name in ("host", "port", "data_dir", "in_memory", "tls", "dynamodb_endpoint", "log_level"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    if overrides.get("dynamodb_endpoint") == "":
        overrides["dynamodb_endpoint"] = None  # the embedded engine
    if getattr(args, "seed", None) is not None:
        overrides["extra"] = {**settings.extra, "seed": args.seed}
    return replace(settings, **overrides)


def _claims(pairs: list[str]) -> dict[str, str]:
    claims = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--claim expects KEY=VALUE, got {pair!r}")
        claims[key] = value
    return claims


def warn_about_undefined_groups(settings: Settings, groups: tuple[str, ...]) -> None:
    """In a Gen 2 project, a group its ``defineAuth`` does not define is worth a word (the token is still made)."""
    project = gen2_project(settings)
    if project is None or project.auth_resource is None:
        return
    defined = ", ".join(project.groups) or "none"
    where = project.auth_resource.relative_to(project.root)
    for group in groups:
        if group not in project.groups:
            print(f"appsync-emulator: group {group!r} is not defined in {where} (defined: {defined})", file=sys.stderr)


def run_token(args: argparse.Namespace) -> int:
    from emulator.auth.tokens import mint_token

    settings = resolve_settings(args)
    groups = tuple(g for g in args.groups.split(",") if g)
    warn_about_undefined_groups(settings, groups)
    print(
        mint_token(
            settings.auth,
            settings.data_dir,
            username=args.username,
            sub=args.sub,
            groups=groups,
            email=args.email,
            token_use=args.token_use,
            expires_in=args.expires_in,
            claims=_claims(args.claim),
            oidc=args.oidc,
        )
    )
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Serve. The server's modules (a second or more of imports) load in a thread while the settings
    are resolved, which for an Amplify Gen 2 project is mostly waiting for the Node helper."""
    server_modules = threading.Thread(target=importlib.import_module, args=("emulator.server",), daemon=True)
    server_modules.start()
    configure_logging(args.log_level or "info")  # the level is a flag only: set before the project is read
    settings = resolve_settings(args)
    server_modules.join()
    from emulator.server import serve

    if args.write_client_config:
        write_client_config(args.write_client_config, settings)
    return serve(settings, None if args.no_reload else (lambda: reload_settings(args)))


def reload_settings(args: argparse.Namespace) -> Settings:
    """Settings for a hot reload; a Gen 2 project's client config follows its models."""
    settings = resolve_settings(args)
    if args.write_client_config and gen2_project(settings) is not None:
        write_client_config(args.write_client_config, settings)
    return settings


def write_client_config(directory: Path, settings: Settings) -> None:
    from emulator.client_config import ClientConfigError, write_for_settings

    try:
        written = write_for_settings(directory, settings)
    except (ClientConfigError, OSError) as exc:
        raise ConfigError(f"--write-client-config: {exc}") from exc
    print(f"appsync-emulator: client config written: {', '.join(str(p) for p in written)}", file=sys.stderr)


def run_data_command(args: argparse.Namespace) -> int:
    """``export`` and ``import``: on the data dir's tables, or on ``--dynamodb-endpoint``."""
    from emulator.app import StartupError, load_api
    from emulator.data_export import export_tables
    from emulator.data_files import DataFileError, import_tables
    from emulator.engine import EngineError

    settings = resolve_settings(args)
    try:
        if args.command == "export":
            text = export_tables(settings, dynamodb_json=args.dynamodb_json)
            if args.out:
                args.out.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return 0
        api = load_api(settings) if settings.schema and settings.schema.exists() else None
        for table, count in import_tables(settings, args.file, api).items():
            print(f"{table}: {count} items", file=sys.stderr)
        return 0
    except (DataFileError, EngineError, StartupError) as exc:
        print(f"appsync-emulator: {exc}", file=sys.stderr)
        return 2


def describe_os_error(error: OSError) -> str:
    """One line for a file the user pointed at (data dir, config, ``export --out``) that cannot be used."""
    where = f"{error.filename}: " if error.filename else ""
    return f"appsync-emulator: cannot use {where}{error.strerror or error}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "token":
            return run_token(args)
        if args.command in ("export", "import"):
            return run_data_command(args)
        return run_serve(args)
    except ConfigError as exc:
        print(f"appsync-emulator: config error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a data dir that is a file, a config that is a folder, …
        print(describe_os_error(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
