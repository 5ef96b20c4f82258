"""Which fields no local resolver serves, and why (issue 11 point 11): one reason per kind."""

from __future__ import annotations

from pathlib import Path

from emulator.transform import TransformOptions, transform
from emulator.unresolved import ERROR_TYPE, start_message, unresolved_error, with_project_resolvers

SCHEMA = """
type Post @model @searchable @auth(rules: [{ allow: public }]) {
  id: ID!
  title: String
  summary: String @function(name: "summarize") @function(name: "translate")
}

type Photo @model @searchable(queries: { search: "findPhotos" }) @auth(rules: [{ allow: public }]) {
  id: ID!
}

type Query {
  speak(text: String): String @predictions(actions: [convertTextToSpeech])
  weather: AWSJSON @http(method: POST, url: "https://weather.example.invalid/")
  stats: Int
}

type Mutation {
  ping: String
}

type Subscription {
  onPing: String @aws_subscribe(mutations: ["ping"])
  onAnything: String
}
"""


def _reasons() -> dict[tuple[str, str], str]:
    return transform(SCHEMA, TransformOptions(version="v2")).unresolved


def test_each_kind_is_named_with_its_reason() -> None:
    reasons = _reasons()
    assert ("Post", "summary") not in reasons  # @function is served by the function runners (issue 12)
    assert reasons[("Query", "speak")].startswith("@predictions")
    assert reasons[("Query", "weather")].startswith("@http(POST https://weather.example.invalid/)")
    assert "custom field" in reasons[("Query", "stats")]
    assert "custom field" in reasons[("Mutation", "ping")]
    assert "custom field" in reasons[("Subscription", "onAnything")]
    assert ("Subscription", "onPing") not in reasons  # served by the emulator's pub/sub
    assert ("Query", "searchPosts") not in reasons  # @searchable is served (issue 17)
    assert ("Query", "findPhotos") not in reasons  # @searchable(queries: {search:})


def test_model_fields_without_directives_are_served() -> None:
    assert ("Post", "title") not in _reasons()
    assert ("Query", "getPost") not in _reasons()


def test_a_project_resolver_template_is_named(tmp_path: Path) -> None:
    api = transform(SCHEMA, TransformOptions(version="v2"))
    (tmp_path / "resolvers").mkdir()
    (tmp_path / "resolvers" / "Query.stats.req.vtl").write_text("{}")
    reasons = with_project_resolvers(api, tmp_path)
    assert reasons[("Query", "stats")].startswith("its custom resolver Query.stats.req.vtl")
    assert reasons[("Mutation", "ping")] == api.unresolved[("Mutation", "ping")]


def test_start_message_lists_fields_and_error_names_reason() -> None:
    message = start_message({("Query", "stats"): "because"})
    assert message is not None and "1 field of the schema has no resolver" in message
    assert "  Query.stats: because" in message
    assert start_message({}) is None
    error = unresolved_error("Query", "stats", "because")
    assert (error.error_type, error.message) == (ERROR_TYPE, "Query.stats has no resolver in the emulator: because.")
