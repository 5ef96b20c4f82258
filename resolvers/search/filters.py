"""``Searchable<X>FilterInput`` and the ``@auth`` filter as OpenSearch queries.

The user's filter goes through AppSync's ``$util.transform.toElasticsearchQueryDSL``: conditions
on one field and the fields of one object are ANDed, ``and``/``or``/``not`` nest, and per
operator:

==================  ===========================================================================
``eq`` / ``ne``     ``match`` on ``<field>.keyword`` for a string (exact), on the field for a
                    number or boolean; ``ne`` is its ``must_not``
``match``...        ``match``, ``match_phrase``, ``match_phrase_prefix`` on the analysed field;
                    ``multiMatch`` matches on its own field
``gt``...           ``range`` on the field (on a text field: on its tokens)
``range: [a, b]``   ``range`` with ``gte: a, lte: b``
``exists``          ``exists`` (``false``: its ``must_not``)
``wildcard``...     ``wildcard``/``regexp`` on the field's tokens
==================  ===========================================================================

The ``@auth`` filter of a v2 search (``AuthPolicy.read_filter(model, "search", ...)``) is the
``terms_set`` Amplify's auth slot builds: owner and scalar groups fields on ``.keyword`` (exact),
list fields on the analysed field (their tokens), any one value enough.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.resolvers.search.errors import BadQuery
from emulator.resolvers.search.query import Bool, Exists, Match, MatchAll, Pattern, Query, Range, Term

_EMPTY = "query malformed, empty clause found"


def filter_query(filter_input: Mapping[str, Any]) -> Query:
    """The query for a ``Searchable<X>FilterInput`` (not empty; null conditions are left out)."""
    clauses = _clauses(filter_input)
    return _combined(clauses) if clauses or not filter_input else MatchAll()


def _combined(clauses: list[Query]) -> Query:
    if not clauses:
        raise BadQuery(_EMPTY)
    return clauses[0] if len(clauses) == 1 else Bool(must=tuple(clauses))


def _clauses(filter_input: Mapping[str, Any]) -> list[Query]:
    clauses: list[Query] = []
    for key, value in filter_input.items():
        if value is None:
            continue
        if key in ("and", "or"):
            parts = tuple(_combined(_clauses(part)) for part in value if part is not None)
            if not parts:
                raise BadQuery(_EMPTY)
            clauses.append(Bool(must=parts) if key == "and" else Bool(should=parts, minimum_should_match=1))
        elif key == "not":
            clauses.append(Bool(must_not=(_combined(_clauses(value)),)))
        elif value and all(condition is None for condition in value.values()):
            continue  # only null conditions: nothing asked of this field
        else:
            clauses.append(_combined(_conditions(key, value)))
    return clauses


def _conditions(name: str, conditions: Mapping[str, Any]) -> list[Query]:
    queries: list[Query] = []
    for operator, value in conditions.items():
        if value is None:
            continue
        queries.append(_condition(name, operator, value))
    return queries


def _equals(name: str, value: Any) -> Query:
    return Term(name, (value,), keyword=True) if isinstance(value, str) else Match(name, value)


def _condition(name: str, operator: str, value: Any) -> Query:
    if operator == "eq":
        return _equals(name, value)
    if operator == "ne":
        return Bool(must_not=(_equals(name, value),))
    if operator in ("match", "multiMatch"):
        return Match(name, value)
    if operator == "matchPhrase":
        return Match(name, value, phrase="phrase")
    if operator == "matchPhrasePrefix":
        return Match(name, value, phrase="prefix")
    if operator in ("gt", "gte", "lt", "lte"):
        return Range(name, **{operator: value})
    if operator == "range":
        bounds = list(value) + [None, None]
        return Range(name, gte=bounds[0], lte=bounds[1])
    if operator == "exists":
        return Exists(name) if value else Bool(must_not=(Exists(name),))
    if operator in ("wildcard", "regexp"):
        return Pattern(name, str(value), regexp=operator == "regexp")
    raise BadQuery(f"Could not construct an Elasticsearch Query DSL from {operator} and {value}")


def auth_query(auth_filter: Mapping[str, Any]) -> Query:
    """The ``bool.should`` of ``terms_set`` clauses for ``{"or": [{field: {eq|in|contains: v}}, ...]}``."""
    terms: list[Query] = []
    for term in auth_filter.get("or", ()):
        for name, condition in term.items():
            for operator, value in condition.items():
                values = tuple(value) if isinstance(value, list | tuple) else (value,)
                terms.append(Term(name, values, keyword=operator != "contains"))
    return Bool(should=tuple(terms), minimum_should_match=1)
