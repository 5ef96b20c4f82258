"""What the search engine refuses: OpenSearch answers such a request with HTTP 400."""

from __future__ import annotations


class BadQuery(ValueError):
    """OpenSearch refuses the query or request (HTTP 400); the message says why."""
