"""Gen 2 ``a.handler.custom`` handlers over the wire (tests/fixtures/gen2-custom-handlers): a handler
on a model's table, a pipeline of two handlers sharing the stash, a table named from the stash
Amplify's wrapping pipeline sets, a NONE handler, ``@auth`` checked before the handler, and a
subscription whose handler sets an enhanced filter when a client subscribes.

Node and the Gen 2 example's dependencies come from ``tests/node_projects.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.realtime_client import Subscription
from tests.node_projects import GEN2_EXAMPLE, gen2_project_copy, node_with_installed
from tests.paths import ROOT

PROJECT = ROOT / "tests" / "fixtures" / "gen2-custom-handlers"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    node_with_installed(GEN2_EXAMPLE, "serving Amplify Gen 2 projects")
    project = gen2_project_copy(PROJECT, tmp_path_factory.mktemp("gen2-handlers") / "project")
    running = start_emulator(project, data_dir=tmp_path_factory.mktemp("gen2-handlers-data"), extra_args=["--no-reload"])
    yield running
    running.stop()


def ask(server: RunningEmulator, query: str, **kwargs: Any) -> dict[str, Any]:
    return server.graphql(query, **kwargs).json()


def create_post(server: RunningEmulator, post_id: str) -> None:
    created = ask(server, f'mutation {{ createPost(input: {{id: "{post_id}", title: "T", likes: 0}}) {{ id }} }}')
    assert created["data"]["createPost"]["id"] == post_id, created


def test_the_start_runs_the_handlers_instead_of_listing_them(server: RunningEmulator) -> None:
    output = "\n".join(server.output)
    assert "likePost" not in output and "not run by the emulator" not in output


def test_handler_on_a_models_table_and_its_error(server: RunningEmulator) -> None:
    create_post(server, "h1")
    assert ask(server, 'mutation { likePost(postId: "h1") { id likes } }') == {"data": {"likePost": {"id": "h1", "likes": 1}}}
    missing = ask(server, 'mutation { likePost(postId: "nope") { id } }')
    assert missing["data"] == {"likePost": None}
    assert missing["errors"][0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"


def test_pipeline_of_two_handlers_shares_the_stash_and_prev_result(server: RunningEmulator) -> None:
    create_post(server, "h2")
    tagged = ask(server, 'mutation { likeAndTag(postId: "h2", tag: "news") { likes tags } }')
    assert tagged == {"data": {"likeAndTag": {"likes": 1, "tags": ["news"]}}}


def test_table_named_from_the_pipelines_stash(server: RunningEmulator) -> None:
    create_post(server, "h3")
    create_post(server, "h4")
    found = ask(server, '{ postsById(ids: ["h3", "missing", "h4"]) { id } }')["data"]["postsById"]
    assert found == [{"id": "h3"}, None, {"id": "h4"}]


def test_none_handler_and_auth_rules_first(server: RunningEmulator) -> None:
    assert ask(server, "{ ping }") == {"data": {"ping": "pong"}}
    refused = ask(server, "{ secret }")
    assert refused["data"] == {"secret": None}
    assert refused["errors"][0]["message"] == "Not Authorized to access secret on type Query"


def test_subscription_handler_sets_a_filter_when_a_client_subscribes(server: RunningEmulator) -> None:
    create_post(server, "h5")

    async def scenario() -> dict[str, Any]:
        async with Subscription(server, "subscription { onLike { id likes } }") as subscription:
            ask(server, 'mutation { likePost(postId: "h5") { id likes } }')  # 1 like: filtered out
            ask(server, 'mutation { likePost(postId: "h5") { id likes } }')  # 2 likes: delivered
            return await subscription.next_event()

    event = asyncio.run(scenario())
    assert event["payload"]["data"]["onLike"] == {"id": "h5", "likes": 2}
