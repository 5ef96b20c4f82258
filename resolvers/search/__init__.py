"""``@searchable``: OpenSearch's part of Amplify's search queries, in process.

``SearchService`` keeps one index per searchable table, built from a scan and kept in step
through the table's DynamoDB stream; ``search_items`` (``resolver``) is Amplify's search resolver
on top of it. Modules: ``analysis`` (standard analyzer), ``fields`` (dynamic mapping), ``index``,
``query`` (+ ``patterns``), ``filters`` (filter input and auth filter to queries), ``sorting``,
``aggregations``, ``execute`` (one ``_search``), ``stream``, ``service``, ``resolver``.
"""

from emulator.resolvers.search.service import SearchService

__all__ = ["SearchService"]
