"""Persistence over the real wire: what a client saw acknowledged survives ``kill -9``; ``--in-memory``
forgets; export/import round-trips through the CLI; ``--seed`` loads fixtures at start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.graphql_answers import data
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA, ROOT

CREATE_BLOG = "mutation($name: String!) { createBlog(input: {name: $name}) { id } }"
CREATE_POST = """mutation($input: CreatePostInput!) { createPost(input: $input) { id } }"""
READ_BLOG = """query($id: ID!) { getBlog(id: $id) { name posts { items { title status rating } } } }"""
LIST_BLOGS = "{ listBlogs { items { id name createdAt __typename } } }"


def start(data_dir: Path, *, in_memory: bool = False, extra: list[str] | None = None) -> RunningEmulator:
    return start_emulator(BLOG_SCHEMA, BLOG_CONFIG, data_dir=data_dir, in_memory=in_memory, extra_args=extra)


def kill_9(running: RunningEmulator) -> None:
    running.process.kill()
    running.process.wait(timeout=10)


def write_blog_with_posts(running: RunningEmulator) -> str:
    blog = data(running.graphql(CREATE_BLOG, {"name": "Durable"}))["createBlog"]["id"]
    for n in range(3):
        data(running.graphql(CREATE_POST, {"input": {"title": f"post {n}", "status": "live", "rating": n, "blogPostsId": blog}}))
    return blog


def blog_view(running: RunningEmulator, blog: str) -> dict[str, Any]:
    found = data(running.graphql(READ_BLOG, {"id": blog}))["getBlog"]
    if found is not None:
        found["posts"]["items"].sort(key=lambda post: post["title"])
    return found


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "emulator", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    running = start(tmp_path)
    try:
        blog = write_blog_with_posts(running)
        running.dynamodb().put_item(TableName="Blog-emulator-local", Item={  # via the proxied DynamoDB API
            "id": {"S": "direct"}, "name": {"S": "Direct"}, "__typename": {"S": "Blog"},
            "createdAt": {"S": "2026-01-01T00:00:00.000Z"}, "updatedAt": {"S": "2026-01-01T00:00:00.000Z"}})
        before = blog_view(running, blog)
    finally:
        kill_9(running)
    assert before["name"] == "Durable" and len(before["posts"]["items"]) == 3

    running = start(tmp_path)
    try:
        assert blog_view(running, blog) == before  # items and the GSI behind posts
        names = {item["name"] for item in data(running.graphql(LIST_BLOGS))["listBlogs"]["items"]}
        assert names == {"Durable", "Direct"}
        data(running.graphql("mutation($id: ID!) { deleteBlog(input: {id: $id}) { id } }", {"id": "direct"}))
    finally:
        kill_9(running)

    running = start(tmp_path)
    try:
        assert {item["name"] for item in data(running.graphql(LIST_BLOGS))["listBlogs"]["items"]} == {"Durable"}
    finally:
        assert running.stop() == 0  # a clean stop folds the journal into the snapshot
    assert (tmp_path / "tables" / "snapshot.bin").exists()


def test_in_memory_forgets_on_restart(tmp_path: Path) -> None:
    running = start(tmp_path, in_memory=True)
    try:
        blog = write_blog_with_posts(running)
    finally:
        kill_9(running)
    running = start(tmp_path, in_memory=True)
    try:
        assert blog_view(running, blog) is None
    finally:
        running.stop()
    assert not (tmp_path / "tables").exists()


def test_export_import_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "source"
    running = start(source)
    config = str(source / "appsync-emulator.toml")
    try:
        blog = write_blog_with_posts(running)
        before = blog_view(running, blog)
        refused = cli("export", "--config", config, "--data-dir", str(source))
        assert refused.returncode == 2 and "in use by another appsync-emulator process" in refused.stderr
        through_server = cli("export", "--config", config, "--dynamodb-endpoint", running.base_url)
        assert through_server.returncode == 0, through_server.stderr
    finally:
        kill_9(running)

    exported = tmp_path / "export.json"
    done = cli("export", "--config", config, "--data-dir", str(source), "--out", str(exported))
    assert done.returncode == 0, done.stderr
    assert json.loads(exported.read_text()) == json.loads(through_server.stdout)
    assert {post["title"] for post in json.loads(exported.read_text())["Post"]} == {"post 0", "post 1", "post 2"}

    target = tmp_path / "target"
    done = cli("import", str(exported), "--config", config, "--data-dir", str(target))
    assert done.returncode == 0, done.stderr
    running = start(target)
    try:
        assert blog_view(running, blog) == before
    finally:
        running.stop()


def test_seed_loads_fixtures_at_start_without_duplicates(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({
        "Blog": [{"id": "b1", "name": "Seeded"}, {"name": "No id given"}],
        "Post": [{"title": "hello", "status": "live", "rating": 5, "blogPostsId": "b1"}],
    }))
    data_dir = tmp_path / "data"
    for _ in range(2):  # persisted and seeded again: same items, not twice as many
        running = start(data_dir, extra=["--seed", str(seed)])
        try:
            blogs = data(running.graphql(LIST_BLOGS))["listBlogs"]["items"]
            assert sorted(blog["name"] for blog in blogs) == ["No id given", "Seeded"]
            assert all(blog["createdAt"] and blog["__typename"] == "Blog" for blog in blogs)
            assert blog_view(running, "b1")["posts"]["items"] == [{"title": "hello", "status": "live", "rating": 5}]
        finally:
            running.stop()


def test_bad_seed_file_stops_the_start_with_its_name(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text('{"Nope": [{"id": "x"}]}')
    (tmp_path / "appsync-emulator.toml").write_text(BLOG_CONFIG)
    done = cli("serve", str(BLOG_SCHEMA), "--config", str(tmp_path / "appsync-emulator.toml"),
               "--data-dir", str(tmp_path), "--seed", str(seed), "--port", "1")
    assert done.returncode == 2
    assert f"{seed}: 'Nope' is neither a model of the schema nor a table" in done.stderr
    assert "Traceback" not in done.stderr
