"""The OpenSearch queries Amplify's search resolvers send, evaluated on a ``SearchIndex``.

Each node answers the set of document ordinals it matches. Semantics follow OpenSearch on the
dynamic mapping (``fields``):

* ``Match`` analyses its text with the field's analyzer; on a text field any token matches
  (``operator: or``), a phrase needs the tokens in a row inside one element, a phrase prefix lets
  the last token be a prefix of one of the first 50 indexed terms it starts (``max_expansions``);
  on other fields the text is parsed as the field's value;
* term-level queries (``Term``, ``Range``, ``Wildcard``, ``Regexp``) are not analysed: on a text
  field they look at its tokens (so ``wildcard: "Hello*"`` finds nothing, as in the cloud), on
  ``.keyword`` at the exact string;
* ``Bool`` is ``must`` (and), ``should`` (at least ``minimum_should_match``) and ``must_not``.

A query a field cannot run (a wildcard on a date, an unparsable number) raises ``BadQuery``,
which the resolver turns into OpenSearch's 400 error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.resolvers.search.analysis import analyze
from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.fields import BadValue, field_value
from emulator.resolvers.search.index import SearchIndex
from emulator.resolvers.search.patterns import regexp_pattern, wildcard_pattern

MAX_EXPANSIONS = 50


class Query:
    def matches(self, index: SearchIndex) -> set[int]:
        raise NotImplementedError


@dataclass(frozen=True)
class MatchAll(Query):
    def matches(self, index: SearchIndex) -> set[int]:
        return index.all()


@dataclass(frozen=True)
class MatchNone(Query):
    def matches(self, index: SearchIndex) -> set[int]:
        return set()


@dataclass(frozen=True)
class Bool(Query):
    must: tuple[Query, ...] = ()
    should: tuple[Query, ...] = ()
    must_not: tuple[Query, ...] = ()
    minimum_should_match: int | None = None

    def matches(self, index: SearchIndex) -> set[int]:
        result: set[int] | None = None
        for clause in self.must:
            found = clause.matches(index)
            result = found if result is None else result & found
            if not result:
                return set()
        required = self.minimum_should_match
        if required is None:
            required = 0 if self.must else 1
        if self.should and required > 0:
            counts = _should_counts(index, self.should)
            wanted = {ordinal for ordinal, count in counts.items() if count >= required}
            result = wanted if result is None else result & wanted
        if result is None:
            result = index.all()
        for clause in self.must_not:
            result -= clause.matches(index)
        return result


def _should_counts(index: SearchIndex, clauses: tuple[Query, ...]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for clause in clauses:
        for ordinal in clause.matches(index):
            counts[ordinal] = counts.get(ordinal, 0) + 1
    return counts


def _kind(index: SearchIndex, name: str) -> str | None:
    return index.kinds.get(name)


@dataclass(frozen=True)
class Term(Query):
    """Exact values: ``keyword`` compares ``.keyword`` strings; otherwise a text field compares its
    tokens and other fields their parsed value. Matches when any of ``values`` is there."""

    name: str
    values: tuple[Any, ...]
    keyword: bool = False

    def matches(self, index: SearchIndex) -> set[int]:
        kind = _kind(index, self.name)
        if kind is None or (self.keyword and kind != "text"):
            return set()  # an unmapped field (``createdAt.keyword`` of a date) matches nothing
        lists = index.terms[self.name] if kind == "text" and not self.keyword else index.values[self.name]
        found: set[int] = set()
        for value in self.values:
            key = value if kind == "text" else _parsed(kind, value)
            if kind == "text" and not isinstance(key, str):
                key = field_value("text", key)
            found |= lists.get(key, set())
        return found


def _parsed(kind: str, value: Any, round_up: bool = False) -> Any:
    try:
        return field_value(kind, value, round_up)  # type: ignore[arg-type]
    except BadValue as error:
        raise BadQuery(str(error)) from error


@dataclass(frozen=True)
class Match(Query):
    """``match`` (``phrase`` None), ``match_phrase`` (``phrase``) or ``match_phrase_prefix`` (``prefix``)."""

    name: str
    text: Any
    phrase: str | None = None  # None, "phrase" or "prefix"

    def matches(self, index: SearchIndex) -> set[int]:
        kind = _kind(index, self.name)
        if kind is None:
            return set()
        if kind != "text":
            return Term(self.name, (self.text,)).matches(index)
        tokens = analyze(self.text if isinstance(self.text, str) else str(field_value("text", self.text)))
        if not tokens:
            return set()
        terms = index.terms[self.name]
        if self.phrase is None:
            found: set[int] = set()
            for token in tokens:
                found |= terms.get(token, set())
            return found
        if self.phrase == "prefix":
            return _phrase_prefix(index, self.name, tokens)
        return _phrase(index, self.name, [[t] for t in tokens])


def _phrase_prefix(index: SearchIndex, name: str, tokens: list[str]) -> set[int]:
    terms = index.terms[name]
    prefix = tokens[-1]
    expansions = sorted(term for term in terms if term.startswith(prefix))[:MAX_EXPANSIONS]
    if not expansions:
        return set()
    return _phrase(index, name, [*[[t] for t in tokens[:-1]], expansions])


def _phrase(index: SearchIndex, name: str, positions: list[list[str]]) -> set[int]:
    """Documents where position i holds one of ``positions[i]``, consecutively, in one element."""
    terms = index.terms[name]
    candidates: set[int] | None = None
    for alternatives in positions:
        found: set[int] = set()
        for term in alternatives:
            found |= terms.get(term, set())
        candidates = found if candidates is None else candidates & found
        if not candidates:
            return set()
    if len(positions) == 1:
        return candidates or set()
    wanted = [set(alternatives) for alternatives in positions]
    return {o for o in candidates or () if _has_sequence(index.docs[o].tokens.get(name, ()), wanted)}


def _has_sequence(elements: tuple[tuple[str, ...], ...], wanted: list[set[str]]) -> bool:
    size = len(wanted)
    for tokens in elements:
        for start in range(len(tokens) - size + 1):
            if all(tokens[start + i] in wanted[i] for i in range(size)):
                return True
    return False


@dataclass(frozen=True)
class Range(Query):
    name: str
    gt: Any = None
    gte: Any = None
    lt: Any = None
    lte: Any = None

    def matches(self, index: SearchIndex) -> set[int]:
        kind = _kind(index, self.name)
        if kind is None:
            return set()
        test = self._test(kind)
        lists = index.terms[self.name] if kind == "text" else index.values[self.name]
        found: set[int] = set()
        for value, ordinals in lists.items():
            if test(value):
                found |= ordinals
        return found

    def _test(self, kind: str) -> Callable[[Any], bool]:
        def bound(value: Any, round_up: bool) -> Any:
            if value is None:
                return None
            if kind == "text":
                return value if isinstance(value, str) else field_value("text", value)
            return _parsed(kind, value, round_up)

        gt, gte, lt, lte = bound(self.gt, True), bound(self.gte, False), bound(self.lt, False), bound(self.lte, True)

        def test(value: Any) -> bool:
            try:
                return ((gt is None or value > gt) and (gte is None or value >= gte)
                        and (lt is None or value < lt) and (lte is None or value <= lte))
            except TypeError:
                return False

        return test


@dataclass(frozen=True)
class Pattern(Query):
    """``wildcard`` or ``regexp`` on a text field's tokens."""

    name: str
    pattern: str
    regexp: bool = False

    def matches(self, index: SearchIndex) -> set[int]:
        kind = _kind(index, self.name)
        if kind is None:
            return set()
        query = "regexp" if self.regexp else "wildcard"
        if kind != "text":
            raise BadQuery(f"Can only use {query} queries on keyword and text fields - not on [{self.name}] "
                           f"which is of type [{kind}]")
        compiled = regexp_pattern(self.pattern) if self.regexp else wildcard_pattern(self.pattern)
        found: set[int] = set()
        for term, ordinals in index.terms[self.name].items():
            if compiled.fullmatch(term):
                found |= ordinals
        return found


@dataclass(frozen=True)
class Exists(Query):
    name: str

    def matches(self, index: SearchIndex) -> set[int]:
        return set(index.present.get(self.name, ()))
