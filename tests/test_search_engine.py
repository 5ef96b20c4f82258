"""The search engine on its own (resolvers/search): filter operators with OpenSearch's semantics on
Amplify's dynamic mapping, sorting, paging, totals, aggregations, and the requests OpenSearch refuses."""

from __future__ import annotations

import pytest

from emulator.apimodel import FieldSpec, KeySpec, ModelSpec
from emulator.resolvers.search.aggregations import Aggregation
from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.execute import SearchRequest, run_search
from emulator.resolvers.search.fields import date_millis, field_kinds
from emulator.resolvers.search.filters import auth_query, filter_query
from emulator.resolvers.search.index import SearchIndex
from emulator.resolvers.search.query import MatchAll, Query
from emulator.resolvers.search.sorting import SortField

MODEL = ModelSpec(
    name="Post",
    primary_key=KeySpec("id"),
    fields={name: FieldSpec(name, kind, is_list=is_list) for name, kind, is_list in [
        ("id", "ID", False), ("title", "String", False), ("body", "String", False), ("rating", "Int", False),
        ("score", "Float", False), ("published", "Boolean", False), ("status", "Status", False),
        ("tags", "String", True), ("day", "AWSDate", False), ("createdAt", "AWSDateTime", False),
        ("owner", "String", False), ("editors", "String", True),
    ]},
)

ITEMS = [
    {"id": "p1", "title": "Hello World", "body": "The quick brown fox jumps", "rating": 5, "score": 4.5,
     "published": True, "status": "PUBLISHED", "tags": ["news", "tech"], "day": "2024-01-01",
     "createdAt": "2024-01-01T10:00:00.000Z", "owner": "sub1::alice", "editors": ["bob", "Carol"]},
    {"id": "p2", "title": "hello again, world!", "body": "lazy dogs sleep", "rating": 3, "score": 2.0,
     "published": False, "status": "DRAFT", "tags": ["tech"], "day": "2024-02-15",
     "createdAt": "2024-02-15T08:30:00.000Z", "owner": "sub2::bob"},
    {"id": "p3", "title": "Goodbye Moon", "body": "quick thinking wins", "rating": 4, "score": 3.25,
     "published": True, "status": "PUBLISHED", "tags": ["art"], "day": "2024-03-31",
     "createdAt": "2024-03-31T23:59:59.999Z", "owner": "sub1::alice"},
    {"id": "p4", "title": "Untitled", "rating": 1},
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    built = SearchIndex(field_kinds(MODEL))
    for item in ITEMS:
        built.put((item["id"],), item)
    return built


def _ids(index: SearchIndex, query: Query) -> list[str]:
    return sorted(index.docs[o].source["id"] for o in query.matches(index))


def _found(index: SearchIndex, filter_input: dict) -> list[str]:
    return _ids(index, filter_query(filter_input))


@pytest.mark.parametrize(("filter_input", "expected"), [
    ({"title": {"eq": "Hello World"}}, ["p1"]),  # exact, on .keyword
    ({"title": {"eq": "hello world"}}, []),  # .keyword is case-sensitive
    ({"title": {"ne": "Hello World"}}, ["p2", "p3", "p4"]),
    ({"rating": {"eq": 4}}, ["p3"]),
    ({"rating": {"ne": 4}}, ["p1", "p2", "p4"]),
    ({"published": {"eq": True}}, ["p1", "p3"]),
    ({"published": {"ne": True}}, ["p2", "p4"]),  # must_not: items without the field too
    ({"status": {"eq": "DRAFT"}}, ["p2"]),
    ({"tags": {"eq": "tech"}}, ["p1", "p2"]),  # any element of a list
    ({"createdAt": {"eq": "2024-01-01T10:00:00.000Z"}}, []),  # dates have no .keyword, as in the cloud
    ({"title": {"match": "HELLO"}}, ["p1", "p2"]),  # analysed: lower-cased tokens
    ({"title": {"match": "world moon"}}, ["p1", "p2", "p3"]),  # any token
    ({"body": {"match": "fox!"}}, ["p1"]),
    ({"title": {"match": "!!!"}}, []),  # no tokens, no match
    ({"body": {"matchPhrase": "quick brown"}}, ["p1"]),
    ({"body": {"matchPhrase": "brown quick"}}, []),
    ({"body": {"matchPhrasePrefix": "quick bro"}}, ["p1"]),
    ({"body": {"matchPhrasePrefix": "qui"}}, ["p1", "p3"]),
    ({"title": {"multiMatch": "goodbye"}}, ["p3"]),
    ({"rating": {"gt": 3}}, ["p1", "p3"]),
    ({"rating": {"gte": 3}}, ["p1", "p2", "p3"]),
    ({"rating": {"lt": 3}}, ["p4"]),
    ({"rating": {"lte": 3}}, ["p2", "p4"]),
    ({"rating": {"range": [2, 4]}}, ["p2", "p3"]),
    ({"score": {"range": [2.5, 10.0]}}, ["p1", "p3"]),
    ({"title": {"gt": "n"}}, ["p1", "p2", "p4"]),  # on a text field: any token ("world", "untitled")
    ({"title": {"lt": "b"}}, ["p2"]),  # "again"
    ({"createdAt": {"gte": "2024-02-01"}}, ["p2", "p3"]),
    ({"createdAt": {"lte": "2024-03-31"}}, ["p1", "p2", "p3"]),  # a date-only upper bound covers its whole day
    ({"createdAt": {"lt": "2024-03-31"}}, ["p1", "p2"]),
    ({"day": {"range": ["2024-01-01", "2024-02-15"]}}, ["p1", "p2"]),
    ({"body": {"exists": True}}, ["p1", "p2", "p3"]),
    ({"body": {"exists": False}}, ["p4"]),
    ({"title": {"wildcard": "hel*"}}, ["p1", "p2"]),
    ({"title": {"wildcard": "Hel*"}}, []),  # not analysed: tokens are lower case
    ({"title": {"wildcard": "w?rld"}}, ["p1", "p2"]),
    ({"title": {"regexp": "go+dbye"}}, ["p3"]),
    ({"title": {"regexp": "hel.*|moo."}}, ["p1", "p2", "p3"]),
    ({"title": {"regexp": "hello world"}}, []),  # one token at a time
    ({"title": {"match": "hello"}, "rating": {"gt": 4}}, ["p1"]),  # fields are ANDed
    ({"rating": {"gt": 1, "lt": 5}}, ["p2", "p3"]),  # and so are conditions
    ({"and": [{"title": {"match": "hello"}}, {"tags": {"eq": "news"}}]}, ["p1"]),
    ({"or": [{"rating": {"eq": 1}}, {"status": {"eq": "DRAFT"}}]}, ["p2", "p4"]),
    ({"not": {"title": {"match": "hello"}}}, ["p3", "p4"]),
    ({"or": [{"not": {"rating": {"gte": 2}}}, {"and": [{"published": {"eq": True}}, {"title": {"match": "moon"}}]}]},
     ["p3", "p4"]),
    ({"title": {"eq": None}}, ["p1", "p2", "p3", "p4"]),  # a null condition is left out
])
def test_every_operator(index: SearchIndex, filter_input: dict, expected: list[str]) -> None:
    assert _found(index, filter_input) == expected


def test_owner_and_group_filters_use_keyword_and_tokens(index: SearchIndex) -> None:
    # scalar owner field: exact .keyword; list field: analysed tokens ("Carol" is indexed as "carol")
    assert _ids(index, auth_query({"or": [{"owner": {"eq": "sub1::alice"}}]})) == ["p1", "p3"]
    assert _ids(index, auth_query({"or": [{"owner": {"eq": "alice"}}]})) == []
    assert _ids(index, auth_query({"or": [{"owner": {"in": ["sub2::bob", "x"]}}]})) == ["p2"]
    assert _ids(index, auth_query({"or": [{"editors": {"contains": "carol"}}]})) == ["p1"]
    assert _ids(index, auth_query({"or": [{"editors": {"contains": "Carol"}}]})) == []


def _search(index: SearchIndex, **kwargs) -> list[str]:
    response = run_search(index, SearchRequest(**kwargs))
    return [hit.source["id"] for hit in response.hits]


def test_sorting_with_missing_values_last(index: SearchIndex) -> None:
    by_score = (SortField("score", descending=False), SortField("id", keyword=True))
    assert _search(index, query=MatchAll(), sort=by_score) == ["p2", "p3", "p1", "p4"]
    by_score_desc = (SortField("score"), SortField("id", keyword=True))
    assert _search(index, query=MatchAll(), sort=by_score_desc) == ["p1", "p3", "p2", "p4"]
    by_title = (SortField("title", keyword=True, descending=False),)
    assert _search(index, query=MatchAll(), sort=by_title) == ["p3", "p1", "p4", "p2"]  # byte order: upper first
    # a list field sorts by its smallest (ascending) or largest (descending) value
    by_tags = (SortField("tags", keyword=True, descending=False), SortField("id", keyword=True, descending=False))
    assert _search(index, query=MatchAll(), sort=by_tags) == ["p3", "p1", "p2", "p4"]
    by_status_then_rating = (SortField("status", keyword=True, descending=False), SortField("rating"))
    assert _search(index, query=MatchAll(), sort=by_status_then_rating) == ["p2", "p1", "p3", "p4"]


def test_search_after_and_from_page_through(index: SearchIndex) -> None:
    sort = (SortField("rating"), SortField("id", keyword=True))
    first = run_search(index, SearchRequest(query=MatchAll(), sort=sort, size=2))
    assert [h.source["id"] for h in first.hits] == ["p1", "p3"] and first.hits[-1].sort == [4, "p3"]
    second = run_search(index, SearchRequest(query=MatchAll(), sort=sort, size=2, search_after=first.hits[-1].sort))
    assert [h.source["id"] for h in second.hits] == ["p2", "p4"]
    third = run_search(index, SearchRequest(query=MatchAll(), sort=sort, size=2, search_after=second.hits[-1].sort))
    assert third.hits == [] and third.total == 4
    assert _search(index, query=MatchAll(), sort=sort, size=2, offset=1) == ["p3", "p2"]
    # values of another type than the field's are refused
    with pytest.raises(BadQuery, match="search_after has 1 value"):
        run_search(index, SearchRequest(query=MatchAll(), sort=sort, search_after=[5]))


def test_total_is_capped_like_track_total_hits(index: SearchIndex) -> None:
    response = run_search(index, SearchRequest(query=MatchAll(), sort=(), size=1, track_total_hits=2))
    assert response.total == 2 and len(response.hits) == 1
    assert run_search(index, SearchRequest(query=MatchAll(), sort=(), size=0)).total == 4


def _aggregate(index: SearchIndex, *aggregations: Aggregation, query: Query | None = None) -> dict:
    request = SearchRequest(query=query or MatchAll(), sort=(), size=0, aggregations=aggregations)
    return run_search(index, request).aggregations


def test_aggregations(index: SearchIndex) -> None:
    result = _aggregate(
        index,
        Aggregation("tags", "terms", "tags", keyword=True),
        Aggregation("ratings", "terms", "rating"),
        Aggregation("published", "terms", "published"),
        Aggregation("avg", "avg", "rating"), Aggregation("min", "min", "score"), Aggregation("max", "max", "score"),
        Aggregation("sum", "sum", "rating"), Aggregation("distinct", "cardinality", "status", keyword=True),
        Aggregation("latest", "max", "createdAt"),
    )
    assert result["tags"] == {"buckets": [{"key": "tech", "doc_count": 2}, {"key": "art", "doc_count": 1},
                                          {"key": "news", "doc_count": 1}]}
    assert result["ratings"]["buckets"][0] == {"key": 1, "doc_count": 1}
    assert result["published"] == {"buckets": [{"key": 1, "doc_count": 2}, {"key": 0, "doc_count": 1}]}
    assert result["avg"] == {"value": 3.25} and result["sum"] == {"value": 13.0}
    assert result["min"] == {"value": 2.0} and result["max"] == {"value": 4.5}
    assert result["distinct"] == {"value": 2}
    assert result["latest"] == {"value": float(date_millis("2024-03-31T23:59:59.999Z"))}


def test_aggregations_follow_the_query_and_their_filter(index: SearchIndex) -> None:
    only_alice = auth_query({"or": [{"owner": {"eq": "sub1::alice"}}]})
    result = _aggregate(index, Aggregation("n", "sum", "rating", filter=only_alice),
                        Aggregation("none", "min", "rating"), query=filter_query({"title": {"match": "hello"}}))
    assert result == {"n": {"value": 5.0}, "none": {"value": 3.0}}
    empty = _aggregate(index, Aggregation("min", "min", "rating"), Aggregation("sum", "sum", "rating"),
                       Aggregation("terms", "terms", "title", keyword=True), query=filter_query({"rating": {"gt": 9}}))
    assert empty == {"min": {"value": None}, "sum": {"value": 0.0}, "terms": {"buckets": []}}


def test_terms_returns_the_ten_largest_buckets() -> None:
    many = SearchIndex({"id": "text", "n": "long"})
    for i in range(30):
        many.put((str(i),), {"id": str(i), "n": i % 12})
    buckets = _aggregate(many, Aggregation("n", "terms", "n"))["n"]["buckets"]
    assert len(buckets) == 10 and buckets[0] == {"key": 0, "doc_count": 3} and buckets[-1]["doc_count"] == 2


@pytest.mark.parametrize(("request_", "reason"), [
    (SearchRequest(MatchAll(), (), size=-1), "[size] parameter cannot be negative"),
    (SearchRequest(MatchAll(), (), size=9_000, offset=1_001), "Result window is too large"),
    (SearchRequest(MatchAll(), (), offset=3, search_after=["x"]), "`from` parameter must be set to 0"),
    (SearchRequest(MatchAll(), (SortField("title"),)), "Text fields are not optimised"),
    (SearchRequest(MatchAll(), (SortField("rating", keyword=True),)), "No mapping found for [rating.keyword]"),
    (SearchRequest(MatchAll(), (), aggregations=(Aggregation("a", "avg", "title", keyword=True),)),
     "Field [title.keyword] of type [keyword] is not supported for aggregation [avg]"),
    (SearchRequest(filter_query({"createdAt": {"wildcard": "2024*"}}), ()), "Can only use wildcard queries"),
    (SearchRequest(filter_query({"rating": {"gt": "many"}}), ()), 'For input string: "many"'),
    (SearchRequest(filter_query({"createdAt": {"gt": "yesterday"}}), ()), "failed to parse date field"),
    (SearchRequest(filter_query({"title": {"regexp": "(unclosed"}}), ()), "invalid regular expression"),
])
def test_requests_opensearch_refuses(index: SearchIndex, request_: SearchRequest, reason: str) -> None:
    with pytest.raises(BadQuery) as refused:
        run_search(index, request_)
    assert reason in str(refused.value)


def test_empty_clauses_are_refused() -> None:
    with pytest.raises(BadQuery, match="empty clause"):
        filter_query({"and": []})
    with pytest.raises(BadQuery, match="empty clause"):
        filter_query({"title": {}})


def test_updates_replace_and_removes_forget(index: SearchIndex) -> None:
    changing = SearchIndex(field_kinds(MODEL))
    changing.put(("a",), {"id": "a", "title": "first words"})
    changing.put(("a",), {"id": "a", "title": "second words"})
    assert _ids(changing, filter_query({"title": {"match": "first"}})) == []
    assert _ids(changing, filter_query({"title": {"match": "second"}})) == ["a"]
    changing.remove(("a",))
    assert len(changing) == 0 and changing.terms["title"] == {} and changing.values["title"] == {}
    changing.remove(("missing",))  # removing what is not there is nothing


def test_long_strings_have_no_keyword_but_are_searchable() -> None:
    long_index = SearchIndex({"id": "text", "title": "text"})
    text = "word " * 60  # 300 characters: over ignore_above 256
    long_index.put(("x",), {"id": "x", "title": text})
    assert _ids(long_index, filter_query({"title": {"eq": text}})) == []
    assert _ids(long_index, filter_query({"title": {"match": "word"}})) == ["x"]


def test_wide_and_narrow_searches_page_alike() -> None:
    """A search matching much of the index pages through the index's cached order, a narrow one sorts
    its matches: both give the same pages, with from and with search_after."""
    import random

    from emulator.resolvers.search.sorting import hit_sort_values, page_of_hits

    rng = random.Random(5)
    wide = SearchIndex({"id": "text", "rating": "long", "name": "text"})
    for n in range(80):
        item = {"id": f"i{n:02d}", "name": rng.choice(["a", "b", "c"])}
        if rng.random() < 0.8:
            item["rating"] = rng.randint(1, 5)
        wide.put((item["id"],), item)
    sort = (SortField("rating", descending=False), SortField("name", descending=False, keyword=True),
            SortField("id", descending=False, keyword=True))
    for matched in (wide.all(), set(rng.sample(sorted(wide.all()), 5))):
        reference = sorted(matched, key=lambda o: (o not in wide.lowest["rating"], wide.lowest["rating"].get(o, 0),
                                                   wide.docs[o].source["name"], wide.docs[o].source["id"]))
        assert page_of_hits(wide, matched, sort, 2, 3, None) == reference[2:5]
        after = hit_sort_values(wide, reference[1], sort)
        assert page_of_hits(wide, matched, sort, 0, 3, after) == reference[2:5]
