"""Call an AppSync API with IAM (SigV4) from Python, as a Lambda function does.

A Lambda function's execution role signs each GraphQL request with Signature Version 4 for the
service ``appsync``. This script does exactly what AWS's "call AppSync from Lambda" examples do,
with nothing but botocore (which every Python Lambda runtime ships) and the standard library, so
the same file runs in a Lambda against AppSync and on your machine against the emulator.

    APPSYNC_URL=http://127.0.0.1:20002/graphql AWS_REGION=us-east-1 \\
    AWS_ACCESS_KEY_ID=AKIDNOTESFUNCTION AWS_SECRET_ACCESS_KEY=notes-function-local-secret \\
    python call_api.py "Buy milk"

It prints one JSON line ``{"status", "errorType", "body"}`` and exits 0 when the call worked.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

CREATE_NOTE = """mutation CreateNote($input: CreateNoteInput!) {
  createNote(input: $input) {
    id
    content
    createdAt
  }
}"""
TIMEOUT_SECONDS = 30


def signed_request(url: str, body: bytes, region: str) -> urllib.request.Request:
    """A POST whose headers carry a SigV4 signature over the exact body that will be sent.

    botocore finds the credentials the usual way: environment variables (what Lambda sets from
    the execution role), then the shared config files.
    """
    credentials = botocore.session.get_session().get_credentials()
    if credentials is None:
        raise RuntimeError("no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
    aws_request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(credentials, "appsync", region).add_auth(aws_request)
    return urllib.request.Request(url, data=body, headers=dict(aws_request.headers.items()), method="POST")


def call_graphql(url: str, query: str, variables: dict[str, Any], region: str) -> dict[str, Any]:
    """POST one GraphQL request; HTTP errors are answers too (AppSync explains them in the body)."""
    body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
    try:
        with urllib.request.urlopen(signed_request(url, body, region), timeout=TIMEOUT_SECONDS) as response:
            return {"status": response.status, "errorType": None, "body": json.load(response)}
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = {"raw": raw.decode("utf-8", "replace")}
        return {"status": error.code, "errorType": error.headers.get("x-amzn-ErrorType"), "body": answer}


def handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """The Lambda entry point: create a note with ``event["content"]`` through the API."""
    url = os.environ["APPSYNC_URL"]
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return call_graphql(url, CREATE_NOTE, {"input": {"content": event["content"]}}, region)


def main(argv: list[str]) -> int:
    if "APPSYNC_URL" not in os.environ:
        print("set APPSYNC_URL to the GraphQL endpoint, e.g. http://127.0.0.1:20002/graphql", file=sys.stderr)
        return 2
    content = argv[1] if len(argv) > 1 else "Hello from a Lambda function"
    result = handler({"content": content})
    print(json.dumps(result))
    worked = result["status"] == 200 and not result["body"].get("errors")
    return 0 if worked else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
