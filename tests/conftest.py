"""Shared fixtures. ``emulator_server`` comes from our pytest plugin (``emulator.testing``,
registered as a ``pytest11`` entry point), the same one users get."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest


@pytest.fixture(scope="session")
def dynamodb_client() -> Iterator[Any]:
    """A DynamoDB client on moto's ThreadedMotoServer, one loopback server for the whole run."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = boto3.session.Session().client(
        "dynamodb",
        endpoint_url=f"http://{host}:{port}",
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    yield client
    server.stop()


@pytest.fixture
def own_moto_state() -> Iterator[None]:
    """moto's tables are process-global: start empty, give them back to other tests' engines after."""
    from moto.dynamodb.models import dynamodb_backends

    saved = {account: dict(regions) for account, regions in dynamodb_backends.items()}
    dynamodb_backends.clear()
    yield
    dynamodb_backends.clear()
    for account, regions in saved.items():
        for region, backend in regions.items():
            dynamodb_backends[account][region] = backend
