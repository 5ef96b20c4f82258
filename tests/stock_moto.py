"""Stock moto in a process of its own, for comparisons: this test process runs the indexed engine
(``emulator.indexed_moto`` patches moto in every process that starts the embedded engine)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import httpx

_SERVER = """
import logging
import sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"""


@contextmanager
def stock_moto() -> Iterator[str]:
    """A stock ThreadedMotoServer; yields its URL, stops when the block ends."""
    process = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def reset(url: str) -> None:
    """Forget every table of a stock server (moto's reset API)."""
    httpx.post(f"{url}/moto-api/reset", timeout=30).raise_for_status()


def clients(url: str) -> tuple[Any, Any]:
    """A DynamoDB and a DynamoDB Streams client on ``url``."""
    options: dict[str, Any] = {"endpoint_url": url, "region_name": "us-east-1",
                               "aws_access_key_id": "local", "aws_secret_access_key": "local"}
    session = boto3.session.Session()
    return session.client("dynamodb", **options), session.client("dynamodbstreams", **options)
