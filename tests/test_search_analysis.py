"""OpenSearch's standard analyzer (resolvers/search/analysis.py): the tokens ``match`` sees.

Expected tokens are Lucene StandardTokenizer's (UAX #29 word boundaries) plus lower-casing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.resolvers.search.analysis import _words, analyze


@pytest.mark.parametrize(("text", "tokens"), [
    ("Hello, World!", ["hello", "world"]),
    ("The QUICK brown-fox", ["the", "quick", "brown", "fox"]),
    ("don't O'Neil's", ["don't", "o'neil's"]),  # an apostrophe inside a word joins
    ("e.g. U.S.A. example.com", ["e.g", "u.s.a", "example.com"]),  # so does a period between letters
    ("john.doe@example.com", ["john.doe", "example.com"]),
    ("3.14 1,000,000 10:30 v1.2.3", ["3.14", "1,000,000", "10", "30", "v1.2.3"]),  # digits join on . , but not :
    ("sub:alice sub::alice", ["sub:alice", "sub", "alice"]),  # one colon joins letters, two do not
    ("foo_bar _private __", ["foo_bar", "_private"]),  # underscores join; alone they are no token
    ("a1.b 1.a", ["a1", "b", "1", "a"]),
    ("Ünïcödé ÉCOLE straße", ["ünïcödé", "école", "straße"]),
    ("北京大学 ひらがな カタカナ", ["北", "京", "大", "学", "ひ", "ら", "が", "な", "カタカナ"]),
    ("I love 🐍 python", ["i", "love", "🐍", "python"]),
    ("  --- !!! ", []),
    ("x" * 300, ["x" * 255, "x" * 45]),  # max_token_length
])
def test_standard_analyzer(text: str, tokens: list[str]) -> None:
    assert list(analyze(text)) == tokens


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ09_.,;:'- @x", max_size=30))
def test_the_ascii_fast_path_cuts_words_like_the_full_rules(text: str) -> None:
    full_rules = [w.lower() for w in _words(text) if w.strip("_")]
    assert list(analyze(text)) == full_rules
