"""Nested parents are resolved without N×M engine calls: a page of posts with their blog costs
one Scan plus one BatchGetItem, which the request log line counts (``ddb_calls``)."""

from __future__ import annotations

import time

import pytest

from emulator.testing import RunningEmulator
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA


@pytest.fixture(scope="module")
def blog(emulator_server) -> RunningEmulator:  # type: ignore[no-untyped-def]
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG)


def logged_calls(server: RunningEmulator, before: int, operation: str) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in server.output[before:]:
            if f" {operation} " in line and "ddb_calls=" in line:
                return int(line.split("ddb_calls=")[1].split()[0])
        time.sleep(0.05)
    raise AssertionError(f"no log line for {operation}")


def test_belongs_to_of_a_page_is_one_batch_get(blog: RunningEmulator) -> None:
    blog_ids = []
    for name in ("A", "B", "C"):
        body = blog.graphql("mutation($n: String!) { createBlog(input: {name: $n}) { id } }", {"n": name}).json()
        blog_ids.append(body["data"]["createBlog"]["id"])
    for n, blog_id in enumerate(blog_ids * 2):
        blog.graphql(
            "mutation($t: String!, $b: ID) { createPost(input: {title: $t, blogPostsId: $b}) { id } }",
            {"t": f"batched {n}", "b": blog_id},
        )
    before = len(blog.output)
    body = blog.graphql(
        'query PostsWithBlogs { listPosts(filter: {title: {beginsWith: "batched"}}) { items { title blog { name } } } }'
    ).json()
    items = body["data"]["listPosts"]["items"]
    assert len(items) == 6 and {item["blog"]["name"] for item in items} == {"A", "B", "C"}
    assert logged_calls(blog, before, "PostsWithBlogs") == 2  # one Scan, one BatchGetItem for 3 blogs
