"""What verifying credentials costs per request, for each auth mode.

Run: ``.venv/bin/python bench/auth_cost.py [--iterations N]``. Each row is the time of one
``AuthGateway.authenticate`` call (mode selection included), best of five rounds, on credentials
made by the real client code paths (botocore SigV4, ``mint_token``). Signing and minting are not
counted: a client does them, not the emulator.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.auth.gateway import AuthGateway
from emulator.auth.identity import AuthRequest, Headers
from emulator.auth.tokens import mint_token
from emulator.settings import ApiKey, AuthSettings, IamCredential, IamSettings, LambdaSettings

HOST = "127.0.0.1:20002"
BODY = b'{"query": "query { listPosts { items { id title } } }", "variables": {}}'
CREDENTIALS = Credentials("AKIABENCHMARK0000001", "bench-secret", "bench-session-token")
AUTHORIZER = "def check(event, context):\n    return {'isAuthorized': True, 'ttlOverride': int(event['authorizationToken'][-1])}\n"


def bench_settings(folder: Path) -> AuthSettings:
    (folder / "bench_authorizer.py").write_text(AUTHORIZER)
    return AuthSettings(
        default="API_KEY",
        additional=("AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT", "AWS_LAMBDA"),
        api_keys=(ApiKey("da2-benchmarkkey0000000000000"),),
        iam=IamSettings(
            credentials=(
                IamCredential(
                    CREDENTIALS.access_key,
                    CREDENTIALS.secret_key,
                    "arn:aws:iam::123456789012:role/amplify-authRole",
                    CREDENTIALS.token,
                ),
            )
        ),
        lambda_=LambdaSettings("bench_authorizer:check", folder),
    )


def sigv4_request() -> AuthRequest:
    request = AWSRequest(method="POST", url=f"https://{HOST}/graphql", data=BODY, headers={"Content-Type": "application/json"})
    SigV4Auth(CREDENTIALS, "appsync", "us-east-1").add_auth(request)
    return AuthRequest(Headers({"host": HOST, **dict(request.headers)}), BODY)


def requests(settings: AuthSettings, data_dir: Path) -> dict[str, AuthRequest]:
    def jwt(**kwargs: object) -> AuthRequest:
        token = mint_token(settings, data_dir, username="bench", groups=("admin",), **kwargs)  # type: ignore[arg-type]
        return AuthRequest(Headers({"host": HOST, "Authorization": token}), BODY)

    return {
        "API_KEY": AuthRequest(Headers({"host": HOST, "x-api-key": settings.api_keys[0].key}), BODY),
        "AMAZON_COGNITO_USER_POOLS (id token)": jwt(),
        "AMAZON_COGNITO_USER_POOLS (access token)": jwt(token_use="access"),
        "OPENID_CONNECT": jwt(oidc=True),
        "AWS_IAM (SigV4, session token)": sigv4_request(),
        "AWS_LAMBDA (cached answer)": AuthRequest(Headers({"host": HOST, "Authorization": "bench-token-5"}), BODY),
        "AWS_LAMBDA (ttlOverride 0, handler called)": AuthRequest(
            Headers({"host": HOST, "Authorization": "bench-token-0"}), BODY
        ),
    }


def per_call_seconds(call: Callable[[], object], iterations: int, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, (time.perf_counter() - started) / iterations)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        settings = bench_settings(data_dir)
        gateway = AuthGateway(settings, data_dir)
        print(f"{'mode':45} {'µs / request':>12} {'requests / s':>13}")
        for name, request in requests(settings, data_dir).items():
            seconds = per_call_seconds(lambda r=request: gateway.authenticate(r), args.iterations)
            print(f"{name:45} {seconds * 1e6:12.1f} {1 / seconds:13,.0f}")
        minting = per_call_seconds(lambda: mint_token(settings, data_dir, username="bench"), max(1, args.iterations // 20))
        print(f"{'(mint_token, for comparison)':45} {minting * 1e6:12.1f} {1 / minting:13,.0f}")


if __name__ == "__main__":
    main()
