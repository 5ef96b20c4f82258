"""Resolver tests on a real DynamoDB engine: tables of hand-built API models, contexts, test policies.

``Harness`` creates the tables of a hand-built ``ApiModel`` on the ``dynamodb_client`` fixture's
engine (``tests/conftest.py``) under a unique suffix, so test modules never see each other's
items, and builds ``ResolverContext`` objects for them. The two API models below are
the golden schemas' shapes (v2 ``keys-relations`` style and v1 ``keys-relations-apikey``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from emulator.apimodel import ApiModel, FieldSpec, IndexSpec, KeySpec, ModelSpec, RelationSpec, RootField
from emulator.engine import table_definition
from emulator.resolvers.context import AllowAll, AuthPolicy, ResolverContext


@dataclass
class Harness:
    """Tables of one API model on the shared engine, and contexts to call resolvers with."""

    api: ApiModel
    client: Any
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    now: datetime = datetime(2026, 11, 29, 12, 30, 45, 123456, tzinfo=UTC)

    def table_name(self, model: str) -> str:
        return f"{model}-{self.suffix}-NONE"

    def create_tables(self) -> Harness:
        for model in self.api.models.values():
            self.client.create_table(**table_definition(model, self.table_name(model.name)))
        return self

    def ctx(self, policy: AuthPolicy | None = None) -> ResolverContext:
        return ResolverContext(
            api=self.api,
            dynamodb=self.client,
            table_name=self.table_name,
            policy=policy or AllowAll(),
            now=lambda: self.now,
        )

    def root(self, parent: str, name: str) -> RootField:
        found = self.api.root(parent, name)
        assert found is not None, f"no root field {parent}.{name}"
        return found

    def raw_items(self, model: str) -> list[dict[str, Any]]:
        return self.client.scan(TableName=self.table_name(model))["Items"]


class FilterPolicy(AllowAll):
    """v2 owner-style policy: the auth filter goes into the request's FilterExpression."""

    def __init__(self, auth_filter: dict[str, Any]) -> None:
        self.auth_filter = auth_filter

    def read_filter(self, model, operation, identity):  # type: ignore[no-untyped-def]
        return self.auth_filter


def fields(*specs: tuple[str, str] | FieldSpec) -> dict[str, FieldSpec]:
    built = [spec if isinstance(spec, FieldSpec) else FieldSpec(spec[0], spec[1]) for spec in specs]
    return {spec.name: spec for spec in built}


def required(name: str, type_name: str) -> FieldSpec:
    return FieldSpec(name, type_name, non_null=True)


def timestamps() -> tuple[FieldSpec, FieldSpec]:
    return required("createdAt", "AWSDateTime"), required("updatedAt", "AWSDateTime")


def model_roots(model: str, plural: str, **queries: str) -> dict[tuple[str, str], RootField]:
    roots = {
        ("Query", f"get{model}"): RootField("Query", f"get{model}", "get", model),
        ("Query", f"list{plural}"): RootField("Query", f"list{plural}", "list", model),
    }
    for kind in ("create", "update", "delete"):
        roots[("Mutation", f"{kind}{model}")] = RootField("Mutation", f"{kind}{model}", kind, model)  # type: ignore[arg-type]
    for query_field, index in queries.items():
        roots[("Query", query_field)] = RootField("Query", query_field, "query", model, index=index)
    return roots


def v2_api() -> ApiModel:
    """Blog/Post/Comment (hasMany, belongsTo, manyToMany), Order (sort key), Inventory (composite)."""
    post = ModelSpec(
        name="Post",
        primary_key=KeySpec("id"),
        fields=fields(
            required("id", "ID"), required("title", "String"), ("rating", "Int"), ("score", "Float"),
            FieldSpec("tags", "String", is_list=True), ("published", "Boolean"), ("status", "Status"),
            ("blogPostsId", "ID"), ("meta", "AWSJSON"), *timestamps(),
        ),
        indexes=(
            IndexSpec("byTitle", KeySpec("title"), query_field="postsByTitle"),
            IndexSpec("gsi-Blog.posts", KeySpec("blogPostsId")),
        ),
        relations={
            "blog": RelationSpec("belongsTo", "blog", "Blog", ("blogPostsId",), KeySpec("id")),
            "comments": RelationSpec(
                "hasMany", "comments", "Comment", ("id",), KeySpec("postID", ("content",)), index="byPost"
            ),
            "tagLinks": RelationSpec(
                "manyToMany", "tagLinks", "PostTags", ("id",), KeySpec("postId"), index="byPost"
            ),
        },
        defaults={"status": "DRAFT"},
    )
    blog = ModelSpec(
        name="Blog",
        primary_key=KeySpec("id"),
        fields=fields(required("id", "ID"), required("name", "String"), *timestamps()),
        relations={
            "posts": RelationSpec(
                "hasMany", "posts", "Post", ("id",), KeySpec("blogPostsId"), index="gsi-Blog.posts"
            )
        },
    )
    comment = ModelSpec(
        name="Comment",
        primary_key=KeySpec("id"),
        fields=fields(required("id", "ID"), required("postID", "ID"), required("content", "String"), *timestamps()),
        indexes=(IndexSpec("byPost", KeySpec("postID", ("content",)), query_field="commentsByPostIDAndContent"),),
        relations={"post": RelationSpec("belongsTo", "post", "Post", ("postID",), KeySpec("id"))},
    )
    tag = ModelSpec(name="Tag", primary_key=KeySpec("id"), fields=fields(required("id", "ID"), ("label", "String")))
    post_tags = ModelSpec(
        name="PostTags",
        primary_key=KeySpec("id"),
        fields=fields(required("id", "ID"), required("postId", "ID"), required("tagId", "ID"), *timestamps()),
        indexes=(IndexSpec("byPost", KeySpec("postId")), IndexSpec("byTag", KeySpec("tagId"))),
        relations={"tag": RelationSpec("belongsTo", "tag", "Tag", ("tagId",), KeySpec("id"))},
    )
    order = ModelSpec(
        name="Order",
        primary_key=KeySpec("customerId", ("createdAt",)),
        fields=fields(
            required("customerId", "ID"), required("createdAt", "AWSDateTime"), required("status", "String"),
            ("total", "Float"), required("updatedAt", "AWSDateTime"),
        ),
        indexes=(IndexSpec("byStatus", KeySpec("status", ("createdAt",)), query_field="ordersByStatus"),),
    )
    inventory = ModelSpec(
        name="Inventory",
        primary_key=KeySpec("productId", ("warehouseId",)),
        fields=fields(
            required("productId", "ID"), required("warehouseId", "ID"), required("region", "String"),
            required("country", "String"), required("city", "String"), ("count", "Int"), *timestamps(),
        ),
        indexes=(
            IndexSpec("byRegionCountryCity", KeySpec("region", ("country", "city")), query_field="inventoryByRegion"),
        ),
    )
    reading = ModelSpec(
        name="Reading",
        primary_key=KeySpec("sensorId", ("day", "seq")),
        fields=fields(
            required("sensorId", "ID"), required("day", "AWSDate"), required("seq", "Int"), ("value", "Float"),
            *timestamps(),
        ),
    )
    models = {m.name: m for m in (post, blog, comment, tag, post_tags, order, inventory, reading)}
    roots = {
        **model_roots("Post", "Posts", postsByTitle="byTitle"),
        **model_roots("Blog", "Blogs"),
        **model_roots("Comment", "Comments", commentsByPostIDAndContent="byPost"),
        **model_roots("Tag", "Tags"),
        **model_roots("PostTags", "PostTags"),
        **model_roots("Order", "Orders", ordersByStatus="byStatus"),
        **model_roots("Inventory", "Inventories", inventoryByRegion="byRegionCountryCity"),
        **model_roots("Reading", "Readings"),
    }
    return ApiModel(version="v2", sdl="", models=models, root_fields=roots)


def v1_api() -> ApiModel:
    """The v1 golden ``keys-relations-apikey`` shape: named @connection and @key(keyName)."""
    blog = ModelSpec(
        name="Blog",
        primary_key=KeySpec("id"),
        fields=fields(required("id", "ID"), required("name", "String"), *timestamps()),
        relations={
            "posts": RelationSpec("hasMany", "posts", "Post", ("id",), KeySpec("postBlogId"), index="gsi-BlogPosts")
        },
    )
    post = ModelSpec(
        name="Post",
        primary_key=KeySpec("id"),
        fields=fields(required("id", "ID"), required("title", "String"), ("postBlogId", "ID"), *timestamps()),
        indexes=(
            IndexSpec("byTitle", KeySpec("title"), query_field="postsByTitle"),
            IndexSpec("gsi-BlogPosts", KeySpec("postBlogId")),
        ),
        relations={
            "blog": RelationSpec("belongsTo", "blog", "Blog", ("postBlogId",), KeySpec("id")),
            "comments": RelationSpec(
                "hasMany", "comments", "Comment", ("id",), KeySpec("postID", ("content",)), index="byPost"
            ),
        },
    )
    comment = ModelSpec(
        name="Comment",
        primary_key=KeySpec("id"),
        fields=fields(required("id", "ID"), required("postID", "ID"), required("content", "String"), *timestamps()),
        indexes=(IndexSpec("byPost", KeySpec("postID", ("content",))),),
        relations={"post": RelationSpec("belongsTo", "post", "Post", ("postID",), KeySpec("id"))},
    )
    models = {m.name: m for m in (blog, post, comment)}
    roots = {
        **model_roots("Blog", "Blogs"),
        **model_roots("Post", "Posts", postsByTitle="byTitle"),
        **model_roots("Comment", "Comments"),
    }
    return ApiModel(version="v1", sdl="", models=models, root_fields=roots)
