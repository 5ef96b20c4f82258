"""examples/custom-resolvers does what its README says, over the real wire (the README's tour)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.realtime_client import Subscription
from tests.paths import ROOT

EXAMPLE = ROOT / "examples" / "custom-resolvers"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    running = start_emulator(EXAMPLE, data_dir=tmp_path_factory.mktemp("bookshop"),
                             extra_args=["--seed", str(EXAMPLE / "seed.json"), "--no-reload"])
    yield running
    running.stop()


def q(server: RunningEmulator, query: str) -> dict[str, Any]:
    return server.graphql(query).json()


def test_the_readme_tour(server: RunningEmulator) -> None:
    page = q(server, '{ booksInGenre(genre: "scifi", limit: 2) { items { title } nextToken } }')["data"]["booksInGenre"]
    assert len(page["items"]) == 2 and page["nextToken"]
    rest = server.graphql('query($t: String) { booksInGenre(genre: "scifi", limit: 2, nextToken: $t) { items { title } } }',
                          {"t": page["nextToken"]}).json()
    assert len(rest["data"]["booksInGenre"]["items"]) == 1

    assert q(server, '{ priceQuote(bookId: "b2", quantity: 10) { title total discount } }') == {
        "data": {"priceQuote": {"title": "Solaris", "total": 89.1, "discount": 0.1}}}
    missing = q(server, '{ priceQuote(bookId: "nope", quantity: 1) { total } }')["errors"][0]
    assert (missing["errorType"], missing["message"]) == ("NotFound", "No book nope")

    async def sell() -> dict[str, Any]:
        async with Subscription(server, "subscription { onSale { id title stock } }") as subscription:
            short = q(server, 'mutation { sellBook(bookId: "b3", quantity: 2) { stock } }')
            assert short["errors"][0]["errorType"] == "OutOfStock"
            sold = q(server, 'mutation { sellBook(bookId: "b3", quantity: 1) { id title stock } }')
            assert sold == {"data": {"sellBook": {"id": "b3", "title": "Kindred", "stock": 0}}}
            return await subscription.next_event()

    event = asyncio.run(sell())
    assert event["payload"]["data"]["onSale"] == {"id": "b3", "title": "Kindred", "stock": 0}

    refused = q(server, 'mutation { createBook(input: {title: "Free", genre: "scifi", price: 0}) { id } }')
    assert refused["errors"][0]["errorType"] == "ValidationError"
    created = q(server, 'mutation { createBook(input: {title: "Dune", genre: "scifi", price: 10}) { stock } }')
    assert created == {"data": {"createBook": {"stock": 0}}}
