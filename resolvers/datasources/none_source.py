"""The NONE data source: the request document's ``payload`` becomes ``$ctx.result``, untouched."""

from __future__ import annotations

from emulator.resolvers.datasources.documents import Document
from emulator.resolvers.datasources.result import DataSourceResult


def execute_none(document: Document) -> DataSourceResult:
    document.only({"version", "payload"})
    return DataSourceResult(result=document.value.get("payload"))
