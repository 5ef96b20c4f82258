"""Relations against a real engine: v2 hasMany/belongsTo/manyToMany, v1 @connection, batching."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers import resolve_relation, resolve_root
from emulator.resolvers.context import ResolverContext
from tests.resolvers_engine import FilterPolicy, Harness, v1_api, v2_api


def relation(ctx: ResolverContext, model: str, field: str, source: dict[str, Any], **args: Any) -> Any:
    spec = ctx.api.models[model]
    return resolve_relation(ctx, spec, spec.relations[field], source, args)


def create(harness: Harness, model: str, **values: Any) -> dict[str, Any]:
    return resolve_root(harness.ctx(), harness.root("Mutation", f"create{model}"), {"input": values})


@pytest.fixture(scope="module")
def v2(dynamodb_client: Any) -> Harness:
    harness = Harness(v2_api(), dynamodb_client).create_tables()
    for blog in ("b1", "b2", "b3"):
        create(harness, "Blog", id=blog, name=f"Blog {blog}")
    for number in range(9):
        create(harness, "Post", id=f"p{number}", title=f"post {number}", rating=number, blogPostsId=f"b{number % 3 + 1}")
    create(harness, "Post", id="orphan", title="no blog")
    for letter in "cabd":
        create(harness, "Comment", id=f"c-{letter}", postID="p0", content=f"{letter} comment")
    for tag in ("red", "blue"):
        create(harness, "Tag", id=tag, label=tag.upper())
        create(harness, "PostTags", id=f"p0-{tag}", postId="p0", tagId=tag)
    return harness


def test_has_many_queries_the_relation_index(v2: Harness) -> None:
    ctx = v2.ctx()
    page = relation(ctx, "Blog", "posts", {"id": "b1"})
    assert sorted(post["id"] for post in page["items"]) == ["p0", "p3", "p6"]
    filtered = relation(ctx, "Blog", "posts", {"id": "b1"}, filter={"rating": {"gt": 2}})
    assert sorted(post["id"] for post in filtered["items"]) == ["p3", "p6"]
    assert [call["field"] for call in ctx.stats.calls] == ["Blog.posts", "Blog.posts"]
    assert relation(ctx, "Blog", "posts", {"id": None}) == {"items": [], "nextToken": None}


def test_has_many_pages_with_limit_and_token(v2: Harness) -> None:
    ctx = v2.ctx()
    seen, token = [], None
    while True:
        page = relation(ctx, "Blog", "posts", {"id": "b2"}, limit=2, nextToken=token)
        seen += [post["id"] for post in page["items"]]
        token = page["nextToken"]
        if token is None:
            break
    assert sorted(seen) == ["p1", "p4", "p7"]


def test_has_many_with_sort_key_condition_and_direction(v2: Harness) -> None:
    ctx = v2.ctx()
    page = relation(ctx, "Post", "comments", {"id": "p0"}, sortDirection="DESC")
    assert [c["content"][0] for c in page["items"]] == ["d", "c", "b", "a"]
    page = relation(ctx, "Post", "comments", {"id": "p0"}, content={"between": ["b", "c zzz"]})
    assert [c["content"][0] for c in page["items"]] == ["b", "c"]
    page = relation(ctx, "Post", "comments", {"id": "p0"}, content={"beginsWith": "d"})
    assert [c["id"] for c in page["items"]] == ["c-d"]


def test_belongs_to_resolves_and_handles_missing_keys(v2: Harness) -> None:
    ctx = v2.ctx()
    assert relation(ctx, "Post", "blog", {"id": "p4", "blogPostsId": "b2"})["name"] == "Blog b2"
    calls = ctx.dynamodb_calls
    assert relation(ctx, "Post", "blog", {"id": "orphan", "blogPostsId": None}) is None
    assert ctx.dynamodb_calls == calls  # a null foreign key costs no call
    assert relation(ctx, "Post", "blog", {"id": "blank", "blogPostsId": ""}) is None
    assert relation(ctx, "Post", "blog", {"id": "x", "blogPostsId": "missing"}) is None


def test_belongs_to_of_a_list_costs_one_batch_call(v2: Harness) -> None:
    ctx = v2.ctx()
    posts = resolve_root(ctx, v2.root("Query", "listPosts"), {"filter": {"rating": {"ge": 0}}})["items"]
    assert len(posts) == 9
    before = ctx.dynamodb_calls
    blogs = [relation(ctx, "Post", "blog", post) for post in posts]
    assert ctx.dynamodb_calls - before == 1
    assert {post["id"]: blog["id"] for post, blog in zip(posts, blogs, strict=True)} == {
        f"p{n}": f"b{n % 3 + 1}" for n in range(9)
    }
    comments = relation(ctx, "Post", "comments", {"id": "p0"})["items"]
    before = ctx.dynamodb_calls
    assert {relation(ctx, "Comment", "post", c)["id"] for c in comments} == {"p0"}
    assert ctx.dynamodb_calls - before == 1


def test_writes_clear_the_request_memo(v2: Harness) -> None:
    ctx = v2.ctx()
    post = {"id": "p5", "blogPostsId": "b3"}
    assert relation(ctx, "Post", "blog", post)["name"] == "Blog b3"
    resolve_root(ctx, v2.root("Mutation", "updateBlog"), {"input": {"id": "b3", "name": "Renamed"}})
    assert relation(ctx, "Post", "blog", post)["name"] == "Renamed"
    resolve_root(ctx, v2.root("Mutation", "updateBlog"), {"input": {"id": "b3", "name": "Blog b3"}})


def test_v2_belongs_to_with_auth_filter_is_a_query_and_can_be_unauthorized(v2: Harness) -> None:
    ctx = v2.ctx(FilterPolicy({"name": {"eq": "Blog b1"}}))
    assert relation(ctx, "Post", "blog", {"id": "p0", "blogPostsId": "b1"})["id"] == "b1"
    with pytest.raises(AppSyncError) as caught:
        relation(ctx, "Post", "blog", {"id": "p1", "blogPostsId": "b2"})
    assert caught.value.message == "Not Authorized to access blog on type Post"
    assert relation(ctx, "Post", "blog", {"id": "x", "blogPostsId": "missing"}) is None


def test_many_to_many_goes_through_the_join_model(v2: Harness) -> None:
    ctx = v2.ctx()
    links = relation(ctx, "Post", "tagLinks", {"id": "p0"})["items"]
    assert sorted(link["tagId"] for link in links) == ["blue", "red"]
    assert sorted(relation(ctx, "PostTags", "tag", link)["label"] for link in links) == ["BLUE", "RED"]


def test_children_of_a_mutation_result_carry_the_operation_mark(v2: Harness) -> None:
    ctx = v2.ctx()
    created = resolve_root(ctx, v2.root("Mutation", "createPost"), {"input": {"title": "m", "blogPostsId": "b1"}})
    assert relation(ctx, "Post", "blog", created)["__operation"] == "Mutation"
    blog = resolve_root(ctx, v2.root("Mutation", "updateBlog"), {"input": {"id": "b1", "name": "Blog b1"}})
    assert {post["__operation"] for post in relation(ctx, "Blog", "posts", blog)["items"]} == {"Mutation"}
    plain = resolve_root(ctx, v2.root("Query", "getBlog"), {"id": "b1"})
    assert all("__operation" not in post for post in relation(ctx, "Blog", "posts", plain)["items"])
    resolve_root(ctx, v2.root("Mutation", "deletePost"), {"input": {"id": created["id"]}})


# ---------------------------------------------------------------------------------------------
# v1 @connection


@pytest.fixture(scope="module")
def v1(dynamodb_client: Any) -> Harness:
    harness = Harness(v1_api(), dynamodb_client).create_tables()
    create(harness, "Blog", id="b1", name="First")
    for number in range(3):
        create(harness, "Post", id=f"p{number}", title=f"t{number}", postBlogId="b1")
    for letter in "ba":
        create(harness, "Comment", id=f"c{letter}", postID="p0", content=letter)
    return harness


def test_v1_connections_resolve_nested_data(v1: Harness) -> None:
    ctx = v1.ctx()
    posts = relation(ctx, "Blog", "posts", {"id": "b1"})["items"]
    assert sorted(post["id"] for post in posts) == ["p0", "p1", "p2"]
    before = ctx.dynamodb_calls
    assert {relation(ctx, "Post", "blog", post)["name"] for post in posts} == {"First"}
    assert ctx.dynamodb_calls - before == 1
    comments = relation(ctx, "Post", "comments", {"id": "p0"}, content={"eq": "a"})["items"]
    assert [c["id"] for c in comments] == ["ca"]
    assert relation(ctx, "Comment", "post", comments[0])["title"] == "t0"
    assert relation(ctx, "Post", "blog", {"id": "p9", "postBlogId": None}) is None
    assert relation(ctx, "Post", "blog", {"id": "p9", "postBlogId": ""}) is None


# Gen 2 relations by references: the child declares the key, the parent queries its relation index.
REFERENCES_SDL = """
type Blog @model {
  name: String!
  posts: [Post] @hasMany(references: ["blogId"])
  settings: BlogSettings @hasOne(references: ["blogId"])
}
type BlogSettings @model {
  theme: String
  blogId: ID
  blog: Blog @belongsTo(references: ["blogId"])
}
type Post @model {
  title: String!
  blogId: ID
  blog: Blog @belongsTo(references: ["blogId"])
}
type Shelf @model {
  store: String! @primaryKey(sortKeyFields: ["year", "slug"])
  year: Int!
  slug: String!
  books: [Book] @hasMany(references: ["shelfStore", "shelfYear", "shelfSlug"])
}
type Book @model {
  title: String
  shelfStore: String
  shelfYear: Int
  shelfSlug: String
  shelf: Shelf @belongsTo(references: ["shelfStore", "shelfYear", "shelfSlug"])
}
"""


@pytest.fixture(scope="module")
def references(dynamodb_client: Any) -> Harness:
    from emulator.transform import transform

    harness = Harness(transform(REFERENCES_SDL), dynamodb_client).create_tables()
    for blog in ("b1", "b2"):
        create(harness, "Blog", id=blog, name=f"Blog {blog}")
    for number in range(5):
        create(harness, "Post", id=f"p{number}", title=f"post {number}", blogId="b1" if number < 3 else "b2")
    create(harness, "BlogSettings", id="s1", theme="dark", blogId="b1")
    create(harness, "Shelf", store="north", year=2024, slug="new")
    create(harness, "Shelf", store="north", year=2023, slug="new")
    for title, year in (("a", 2024), ("b", 2024), ("c", 2023)):
        create(harness, "Book", id=title, title=title, shelfStore="north", shelfYear=year, shelfSlug="new")
    return harness


def test_references_has_many_reads_the_childs_relation_index(references: Harness) -> None:
    ctx = references.ctx()
    page = relation(ctx, "Blog", "posts", {"id": "b1"})
    assert sorted(post["id"] for post in page["items"]) == ["p0", "p1", "p2"]
    limited = relation(ctx, "Blog", "posts", {"id": "b2"}, limit=1)
    assert len(limited["items"]) == 1 and limited["nextToken"] is not None
    assert relation(ctx, "Blog", "posts", {"id": "b1"}, filter={"title": {"eq": "post 2"}})["items"][0]["id"] == "p2"


def test_references_belongs_to_and_has_one(references: Harness) -> None:
    ctx = references.ctx()
    assert relation(ctx, "Post", "blog", {"id": "p4", "blogId": "b2"})["name"] == "Blog b2"
    assert relation(ctx, "Post", "blog", {"id": "p9", "blogId": None}) is None
    assert relation(ctx, "Blog", "settings", {"id": "b1"})["theme"] == "dark"
    assert relation(ctx, "Blog", "settings", {"id": "b2"}) is None
    assert relation(ctx, "BlogSettings", "blog", {"id": "s1", "blogId": "b1"})["name"] == "Blog b1"


def test_references_has_one_with_an_auth_filter_that_removes_the_item_is_unauthorized(references: Harness) -> None:
    ctx = references.ctx(FilterPolicy({"theme": {"eq": "light"}}))
    with pytest.raises(AppSyncError, match="Not Authorized"):
        relation(ctx, "Blog", "settings", {"id": "b1"})
    assert relation(references.ctx(FilterPolicy({"theme": {"eq": "dark"}})), "Blog", "settings", {"id": "b1"})["id"] == "s1"


def test_references_to_a_composite_key_match_every_part(references: Harness) -> None:
    ctx = references.ctx()
    shelf = {"store": "north", "year": 2024, "slug": "new"}
    assert sorted(book["id"] for book in relation(ctx, "Shelf", "books", shelf)["items"]) == ["a", "b"]
    stored = {item["id"]["S"]: item for item in references.raw_items("Book")}
    assert stored["c"]["shelfYear#shelfSlug"] == {"S": "2023#new"}
    book = relation(ctx, "Book", "shelf", {"id": "c", "shelfStore": "north", "shelfYear": 2023, "shelfSlug": "new"})
    assert (book["year"], book["slug"]) == (2023, "new")
