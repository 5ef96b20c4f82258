"""Reads against a real engine: the list trap, index queries, keys, tokens, get and filters."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from emulator.errors import AppSyncError, unauthorized
from emulator.resolvers import resolve_root
from emulator.resolvers.context import AllowAll, ResolverContext
from tests.resolvers_engine import FilterPolicy, Harness, v1_api, v2_api


class VisiblePolicy(AllowAll):
    """v1 style: items are dropped after the read."""

    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed

    def visible_items(self, model, identity, items):  # type: ignore[no-untyped-def]
        return [item for item in items if item.get("id") in self.allowed]


class DenyPolicy(AllowAll):
    def read_filter(self, model, operation, identity):  # type: ignore[no-untyped-def]
        raise unauthorized("listPosts", "Query")


@pytest.fixture(scope="module")
def blog(dynamodb_client: Any) -> Harness:
    harness = Harness(v2_api(), dynamodb_client).create_tables()
    ctx = harness.ctx()
    create = harness.root("Mutation", "createPost")
    for number in range(20):
        title = "needle!" if number == 13 else f"hay {number:02d}"
        resolve_root(ctx, create, {"input": {
            "id": f"post-{number:02d}", "title": title, "rating": number, "score": number / 4,
            "tags": ["even" if number % 2 == 0 else "odd", f"t{number}"], "published": number % 3 == 0,
            "status": "PUBLISHED" if number < 5 else "DRAFT", "blogPostsId": "blog-1" if number < 4 else None,
        }})
    for number in range(25):
        resolve_root(ctx, harness.root("Mutation", "createComment"), {"input": {
            "id": f"c-{number:02d}", "postID": "post-00", "content": f"comment {number:02d}",
        }})
    return harness


def list_all(ctx: ResolverContext, root: Any, args: dict[str, Any]) -> list[dict[str, Any]]:
    pages, token = [], None
    while True:
        page = resolve_root(ctx, root, {**args, "nextToken": token})
        pages.append(page)
        token = page["nextToken"]
        if token is None:
            return pages


# ---------------------------------------------------------------------------------------------
# The list trap


def test_limit_one_with_filter_pages_through_every_item_and_returns_the_match_once(blog: Harness) -> None:
    ctx = blog.ctx()
    pages = list_all(ctx, blog.root("Query", "listPosts"), {"filter": {"title": {"eq": "needle!"}}, "limit": 1})
    found = [item["id"] for page in pages for item in page["items"]]
    assert found == ["post-13"]
    assert 19 <= len(pages) <= 21
    assert sum(1 for page in pages if not page["items"] and page["nextToken"]) >= 18
    assert all(page["scannedCount"] <= 1 for page in pages)


def test_index_query_finds_the_match_in_one_page(blog: Harness) -> None:
    page = resolve_root(blog.ctx(), blog.root("Query", "postsByTitle"), {"title": "needle!"})
    assert [item["id"] for item in page["items"]] == ["post-13"]
    assert page["nextToken"] is None


def test_limit_ten_over_twenty_five_items_returns_each_once(blog: Harness) -> None:
    pages = list_all(blog.ctx(), blog.root("Query", "listComments"), {"limit": 10})
    ids = [item["id"] for page in pages for item in page["items"]]
    assert sorted(ids) == [f"c-{n:02d}" for n in range(25)]
    assert [len(page["items"]) for page in pages][:3] == [10, 10, 5]


def test_default_limit_is_one_hundred(blog: Harness) -> None:
    page = resolve_root(blog.ctx(), blog.root("Query", "listComments"), {})
    assert len(page["items"]) == 25 and page["nextToken"] is None


def test_short_page_is_recorded_and_logged_once_with_an_index_hint(blog: Harness, caplog: Any) -> None:
    ctx = blog.ctx()
    with caplog.at_level(logging.INFO, logger="appsync_emulator.resolvers"):
        page = resolve_root(ctx, blog.root("Query", "listPosts"), {"filter": {"rating": {"eq": 3}}, "limit": 5})
    assert len(page["items"]) <= 1
    [call] = ctx.stats.calls
    assert call["field"] == "listPosts" and call["scannedCount"] == 5 and call["limit"] == 5
    assert call["nextToken"] is True
    messages = [r.getMessage() for r in caplog.records if r.name == "appsync_emulator.resolvers"]
    assert len(messages) == 1
    assert messages[0].startswith("listPosts read 5 items, kept ")
    assert "(filter on rating); an @index on Post.rating would let a Query serve this" in messages[0]


def test_hint_names_the_existing_index_query(blog: Harness) -> None:
    ctx = blog.ctx()
    resolve_root(ctx, blog.root("Query", "listPosts"), {"filter": {"title": {"eq": "needle!"}}, "limit": 3})
    hint = ctx.stats.calls[0]["hint"]
    assert hint is None or "the query postsByTitle (index byTitle) would serve this" in hint


def test_auth_filter_counts_against_limit_too(blog: Harness) -> None:
    ctx = blog.ctx(FilterPolicy({"rating": {"eq": 7}}))
    pages = list_all(ctx, blog.root("Query", "listPosts"), {"limit": 4})
    assert [item["id"] for page in pages for item in page["items"]] == ["post-07"]
    assert "auth filter on rating" in " ".join(call["hint"] or "" for call in ctx.stats.calls)


def test_denied_list_raises_the_policy_error(blog: Harness) -> None:
    with pytest.raises(AppSyncError) as caught:
        resolve_root(blog.ctx(DenyPolicy()), blog.root("Query", "listPosts"), {})
    assert caught.value.error_type == "Unauthorized"


# ---------------------------------------------------------------------------------------------
# Tokens


def test_tampered_and_foreign_tokens_are_refused_as_appsync_does(blog: Harness) -> None:
    ctx = blog.ctx()
    page = resolve_root(ctx, blog.root("Query", "listPosts"), {"limit": 2})
    token = page["nextToken"]
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    foreign = resolve_root(ctx, blog.root("Query", "listComments"), {"limit": 2})["nextToken"]
    for bad in (tampered, foreign, "not-a-token", "", "eyJ2ZXJzaW9uIjozfQ=="):
        with pytest.raises(AppSyncError) as caught:
            resolve_root(ctx, blog.root("Query", "listPosts"), {"limit": 2, "nextToken": bad})
        assert caught.value.error_type == "DynamoDB:UserIllegalArgumentException"
        assert caught.value.message.endswith("Invalid pagination token given.")


# ---------------------------------------------------------------------------------------------
# get


def test_v2_get_is_a_query_and_unauthorized_when_the_auth_filter_removes_the_item(blog: Harness) -> None:
    get = blog.root("Query", "getPost")
    assert resolve_root(blog.ctx(), get, {"id": "post-03"})["title"] == "hay 03"
    assert resolve_root(blog.ctx(), get, {"id": "missing"}) is None
    with pytest.raises(AppSyncError) as caught:
        resolve_root(blog.ctx(FilterPolicy({"rating": {"eq": 99}})), get, {"id": "post-03"})
    assert caught.value.error_type == "Unauthorized"
    assert caught.value.message == "Not Authorized to access getPost on type Query"
    assert resolve_root(blog.ctx(FilterPolicy({"rating": {"eq": 99}})), get, {"id": "missing"}) is None


def test_items_come_back_in_graphql_form(blog: Harness) -> None:
    item = resolve_root(blog.ctx(), blog.root("Query", "getPost"), {"id": "post-06"})
    assert item["rating"] == 6 and isinstance(item["rating"], int)
    assert item["score"] == 1.5 and item["published"] is True and item["tags"] == ["even", "t6"]
    assert item["__typename"] == "Post" and item["createdAt"] == "2026-11-29T12:30:45.123Z"


# ---------------------------------------------------------------------------------------------
# Filters


@pytest.mark.parametrize(
    ("filter_input", "expected"),
    [
        ({"rating": {"between": [3, 5]}}, {3, 4, 5}),
        ({"rating": {"ge": 18}}, {18, 19}),
        ({"rating": {"lt": 2}}, {0, 1}),
        ({"score": {"gt": 4.6}}, {19}),
        ({"title": {"beginsWith": "need"}}, {13}),
        ({"title": {"contains": "y 1"}}, {10, 11, 12, 14, 15, 16, 17, 18, 19}),
        ({"tags": {"contains": "t7"}}, {7}),
        ({"tags": {"notContains": "even"}, "rating": {"le": 5}}, {1, 3, 5}),
        ({"published": {"eq": True}, "rating": {"gt": 10}}, {12, 15, 18}),
        ({"status": {"eq": "PUBLISHED"}, "rating": {"ne": 0}}, {1, 2, 3, 4}),
        ({"or": [{"rating": {"eq": 1}}, {"rating": {"eq": 19}}]}, {1, 19}),
        ({"and": [{"rating": {"lt": 4}}, {"not": {"rating": {"eq": 2}}}]}, {0, 1, 3}),
        ({"blogPostsId": {"attributeExists": True}}, {0, 1, 2, 3}),
        ({"blogPostsId": {"attributeExists": False}, "rating": {"lt": 6}}, {4, 5}),
        ({"tags": {"attributeType": "list"}, "rating": {"eq": 9}}, {9}),
        ({"title": {"size": {"eq": 7}}}, {13}),
        ({"title": {"size": {"between": [7, 9]}}}, {13}),
        ({"rating": {"eq": 2, "ne": None}}, {2}),
    ],
)
def test_filter_operators(blog: Harness, filter_input: dict[str, Any], expected: set[int]) -> None:
    page = resolve_root(blog.ctx(), blog.root("Query", "listPosts"), {"filter": filter_input})
    assert {item["rating"] for item in page["items"]} == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"rating": {"between": [1]}},
        {"rating": {"almost": 3}},
        {"rating": 3},
        {"and": "nope"},
        {"tags": {"attributeType": "vector"}},
        {"title": {"size": {"like": 3}}},
    ],
)
def test_bad_filters_are_unrecognized_not_crashes(blog: Harness, bad: dict[str, Any]) -> None:
    with pytest.raises(AppSyncError) as caught:
        resolve_root(blog.ctx(), blog.root("Query", "listPosts"), {"filter": bad})
    assert (caught.value.message, caught.value.error_type) == (
        "Unable to process the filter expression",
        "Unrecognized Filter",
    )


# ---------------------------------------------------------------------------------------------
# Sort keys


@pytest.fixture(scope="module")
def shop(dynamodb_client: Any) -> Harness:
    harness = Harness(v2_api(), dynamodb_client).create_tables()
    ctx = harness.ctx()
    for day in range(1, 7):
        resolve_root(ctx, harness.root("Mutation", "createOrder"), {"input": {
            "customerId": "alice" if day % 2 else "bob", "createdAt": f"2024-01-0{day}T00:00:00.000Z",
            "status": "OPEN" if day < 4 else "SHIPPED", "total": day * 1.5,
        }})
    places = [("US", "Boston"), ("US", "Austin"), ("US", "Denver"), ("FR", "Paris"), ("DE", "Berlin")]
    for number, (country, city) in enumerate(places):
        resolve_root(ctx, harness.root("Mutation", "createInventory"), {"input": {
            "productId": "p1", "warehouseId": f"w{number}", "region": "EU" if country != "US" else "NA",
            "country": country, "city": city, "count": number,
        }})
    return harness


def test_list_with_partition_is_a_query_with_sort_condition_and_direction(shop: Harness) -> None:
    root = shop.root("Query", "listOrders")
    page = resolve_root(shop.ctx(), root, {"customerId": "alice", "sortDirection": "DESC"})
    assert [o["createdAt"][:10] for o in page["items"]] == ["2024-01-05", "2024-01-03", "2024-01-01"]
    page = resolve_root(shop.ctx(), root, {"customerId": "bob", "createdAt": {"gt": "2024-01-03"}})
    assert [o["createdAt"][:10] for o in page["items"]] == ["2024-01-04", "2024-01-06"]
    page = resolve_root(shop.ctx(), root, {"customerId": "bob", "createdAt": {"beginsWith": "2024-01-0"}})
    assert len(page["items"]) == 3
    assert len(resolve_root(shop.ctx(), root, {})["items"]) == 6  # no partition: Scan


@pytest.mark.parametrize(
    ("root_name", "args", "message"),
    [
        ("listOrders", {"sortDirection": "ASC"},
         "When providing argument 'sortDirection' you must also provide argument 'customerId'."),
        ("listOrders", {"createdAt": {"eq": "x"}},
         "When providing argument 'createdAt' you must also provide arguments customerId"),
        ("listOrders", {"customerId": "a", "createdAt": {"ge": "a", "le": "b"}},
         "KeyConditionExpressions must only contain one condition per key. Provide a single operator "
         "(one of eq, lt, le, gt, ge, beginsWith, between) on the sort key argument."),
        ("postsByTitle", {"title": "x", "sortDirection": "DESC"},
         "sortDirection is not supported for List operations without a Sort key defined."),
        ("inventoryByRegion", {"countryCity": {"eq": {"country": "US"}}},
         "When providing argument 'countryCity' you must also provide 'region'."),
        ("inventoryByRegion", {"region": "NA", "countryCity": {"eq": {"country": "US"}, "gt": {"country": "A"}}},
         "Argument countryCity must specify at most one key condition operation."),
        ("inventoryByRegion", {"region": "NA", "countryCity": {"between": [{"country": "US"}]}},
         "Argument 'countryCity.between' expects exactly two elements."),
        ("inventoryByRegion", {"region": "NA", "countryCity": {"beginsWith": {"city": "Boston"}}},
         "When providing argument 'countryCity.beginsWith.city' you must also provide 'countryCity.beginsWith.country'."),
    ],
)
def test_key_argument_errors_use_amplify_texts(shop: Harness, root_name: str, args: dict[str, Any], message: str) -> None:
    with pytest.raises(AppSyncError) as caught:
        resolve_root(shop.ctx(), shop.root("Query", root_name), args)
    assert (caught.value.message, caught.value.error_type) == (message, "InvalidArgumentsError")


def test_composite_sort_key_query(shop: Harness) -> None:
    root = shop.root("Query", "inventoryByRegion")
    ctx = shop.ctx()

    def cities(condition: dict[str, Any] | None, **extra: Any) -> list[str]:
        args = {"region": "NA", **extra} | ({"countryCity": condition} if condition else {})
        return [item["city"] for item in resolve_root(ctx, root, args)["items"]]

    assert cities(None) == ["Austin", "Boston", "Denver"]
    assert cities({"beginsWith": {"country": "US"}}, sortDirection="DESC") == ["Denver", "Boston", "Austin"]
    assert cities({"eq": {"country": "US", "city": "Boston"}}) == ["Boston"]
    assert cities({"between": [{"country": "US", "city": "B"}, {"country": "US", "city": "C"}]}) == ["Boston"]
    assert cities({"gt": {"country": "US", "city": "Boston"}}) == ["Denver"]
    stored = shop.raw_items("Inventory")
    assert {row["country#city"]["S"] for row in stored} >= {"US#Boston", "FR#Paris"}


# ---------------------------------------------------------------------------------------------
# v1


@pytest.fixture(scope="module")
def v1_blog(dynamodb_client: Any) -> Harness:
    harness = Harness(v1_api(), dynamodb_client).create_tables()
    for number in range(6):
        resolve_root(harness.ctx(), harness.root("Mutation", "createPost"), {"input": {
            "id": f"p{number}", "title": f"title {number}",
        }})
    return harness


def test_v1_get_is_a_getitem_and_checks_the_item_afterwards(v1_blog: Harness) -> None:
    get = v1_blog.root("Query", "getPost")
    ctx = v1_blog.ctx(VisiblePolicy({"p1"}))
    assert resolve_root(ctx, get, {"id": "p1"})["title"] == "title 1"
    assert resolve_root(ctx, get, {"id": "nope"}) is None
    with pytest.raises(AppSyncError) as caught:
        resolve_root(ctx, get, {"id": "p2"})
    assert caught.value.error_type == "Unauthorized"


def test_v1_list_filters_after_the_read_so_limit_still_counts_reads(v1_blog: Harness) -> None:
    ctx = v1_blog.ctx(VisiblePolicy({"p4"}))
    pages = list_all(ctx, v1_blog.root("Query", "listPosts"), {"limit": 2})
    assert [item["id"] for page in pages for item in page["items"]] == ["p4"]
    assert all(call["scannedCount"] <= 2 for call in ctx.stats.calls)
    assert any(call["hint"] for call in ctx.stats.calls)
