"""Relations by ``references`` (Amplify Gen 2): the schema, the metadata the resolvers read, and
Amplify's refusals (category-api amplify-graphql-relational-transformer, its wording)."""

from __future__ import annotations

import pytest

from emulator.apimodel import IndexSpec, KeySpec, RelationSpec
from emulator.transform import SchemaError, transform

BLOG = """
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
"""

# A parent with a composite primary key: three references, the child's GSI sorts on "year#slug".
COMPOSITE = """
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


def field_line(sdl: str, type_name: str, field: str) -> str:
    body = sdl.split(f"type {type_name} ", 1)[1].split("}", 1)[0]
    return next(line.strip() for line in body.splitlines() if line.strip().startswith(f"{field}"))


def test_references_add_no_fields_and_make_a_connection() -> None:
    api = transform(BLOG)
    assert field_line(api.sdl, "Blog", "posts") == (
        "posts(filter: ModelPostFilterInput, sortDirection: ModelSortDirection, limit: Int, nextToken: String): "
        "ModelPostConnection")
    assert field_line(api.sdl, "Blog", "settings") == "settings: BlogSettings"
    assert "blogPostsId" not in api.sdl and "blogSettingsId" not in api.sdl
    assert set(api.models["Post"].fields) == {"id", "title", "blogId", "blog", "createdAt", "updatedAt"}


def test_references_metadata_query_the_childs_relation_index() -> None:
    api = transform(BLOG)
    blog, post, settings = api.models["Blog"], api.models["Post"], api.models["BlogSettings"]
    assert blog.relations["posts"] == RelationSpec("hasMany", "posts", "Post", ("id",), KeySpec("blogId"),
                                                   "gsi-Blog.posts", 100)
    assert blog.relations["settings"] == RelationSpec("hasOne", "settings", "BlogSettings", ("id",),
                                                      KeySpec("blogId"), "gsi-Blog.settings")
    assert post.relations["blog"] == RelationSpec("belongsTo", "blog", "Blog", ("blogId",), KeySpec("id"))
    assert IndexSpec("gsi-Blog.posts", KeySpec("blogId")) in post.indexes
    assert IndexSpec("gsi-Blog.settings", KeySpec("blogId")) in settings.indexes
    assert post.key_types["blogId"] == "S"


def test_composite_parent_key_gives_a_composite_index_sort_key() -> None:
    api = transform(COMPOSITE)
    book = api.models["Book"]
    assert IndexSpec("gsi-Shelf.books", KeySpec("shelfStore", ("shelfYear", "shelfSlug"))) in book.indexes
    assert book.key_types["shelfYear#shelfSlug"] == "S"
    assert api.models["Shelf"].relations["books"].source_fields == ("store", "year", "slug")
    assert book.relations["shelf"].target_key == KeySpec("store", ("year", "slug"))


def test_override_index_name_on_the_child_names_the_index() -> None:
    sdl = BLOG.replace('blog: Blog @belongsTo(references: ["blogId"])\n}\ntype Post',
                       'blog: Blog @belongsTo(references: ["blogId"], overrideIndexName: "bySettingsBlog")\n}\ntype Post')
    api = transform(sdl)
    assert api.models["Blog"].relations["settings"].index == "bySettingsBlog"
    assert [i.name for i in api.models["BlogSettings"].indexes] == ["bySettingsBlog"]


@pytest.mark.parametrize(("change", "message"), [
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post] @hasMany(references: [])'),
     "No reference fields passed to @hasMany directive."),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post] @hasMany(references: ["blogId"], fields: ["id"])'),
     "'fields' defined on Blog.posts @hasMany. Expecting 'references' only."),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: Post @hasMany(references: ["blogId"])'),
     "@hasMany must be used with a list. Use @hasOne for non-list types."),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post] @hasMany(references: ["blogId"], indexName: "x")'),
     "Invalid @hasMany directive on Blog.posts - indexName is not supported with DynamoDB references."),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post] @hasMany(references: ["blogId", "title"])'),
     "The number of references provided to @hasMany must match the number of primary keys on Blog."),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post] @hasMany(references: ["blogRef"])'),
     "blogRef is not a field in Post"),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post]! @hasMany(references: ["blogId"])'),
     "@hasMany fields must not be required. Change 'Blog.posts: [Post]!' to 'Blog.posts: [Post]'"),
    (('posts: [Post] @hasMany(references: ["blogId"])', 'posts: [Post!] @hasMany(references: ["blogId"])'),
     "@hasMany fields must not be required. Change 'Blog.posts: [Post!]' to 'Blog.posts: [Post]'"),
    (('  title: String!\n  blogId: ID\n  blog: Blog @belongsTo(references: ["blogId"])\n', '  title: String!\n  blogId: ID\n'),
     "Uni-directional relationships are not supported. Add a @belongsTo field in Post to match the @hasMany field "
     "Blog.posts, and ensure the number and type of reference fields match the number and type of primary key "
     "fields in Blog."),
    (('  title: String!\n  blogId: ID\n', '  title: String!\n  blogId: Int\n'),
     "Type mismatch between primary key field(s) of Blog and reference fields of Post. Type of Blog.id does not "
     "match type of Post.blogId"),
])
def test_amplify_refusals_keep_its_wording(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in BLOG
    with pytest.raises(SchemaError) as raised:
        transform(BLOG.replace(old, new, 1))
    assert raised.value.message == message
    assert raised.value.line is not None


def test_belongs_to_without_a_parent_side_is_refused() -> None:
    sdl = BLOG.replace('  settings: BlogSettings @hasOne(references: ["blogId"])\n', "")
    with pytest.raises(SchemaError, match=r"^Uni-directional relationships are not supported. Add a @hasOne or "
                                          r"@hasMany field in Blog to match the @belongsTo field BlogSettings.blog"):
        transform(sdl)


def test_inconsistent_nullability_of_references_is_refused() -> None:
    sdl = COMPOSITE.replace("  shelfYear: Int\n", "  shelfYear: Int!\n")
    with pytest.raises(SchemaError) as raised:
        transform(sdl)
    assert raised.value.message.startswith(
        "Reference fields defined on related type: 'Book' for @hasMany(references: ['shelfStore', 'shelfYear', "
        "'shelfSlug']) Shelf.books relationship have inconsistent nullability.\nRequired fields: 'shelfYear'\n"
        "Nullable fields: 'shelfStore', 'shelfSlug'")


def test_an_index_named_like_the_relation_index_is_refused() -> None:
    sdl = BLOG.replace("  title: String!\n", '  title: String! @index(name: "gsi-Blog.posts")\n')
    with pytest.raises(SchemaError, match=r"^Global secondary index gsi-Blog.posts defined on Post conflicts"):
        transform(sdl)


def test_override_index_name_needs_references() -> None:
    sdl = """
    type Blog @model { posts: [Post] @hasMany }
    type Post @model { blog: Blog @belongsTo(overrideIndexName: "x") }
    """
    with pytest.raises(SchemaError, match=r"^overrideIndexName cannot be used on @belongsTo without references"):
        transform(sdl)
