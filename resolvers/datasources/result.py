"""What a data source hands back to the resolver: ``$ctx.result`` and ``$ctx.error``.

AppSync gives a response template both: on success the result and no error; on a data-source
failure the error (``{message, type}``, sometimes ``data``) and, for some failures, a result too:
a failed condition check leaves the item currently stored in ``$ctx.result`` (and in the error's
``data``), a cancelled transaction its ``cancellationReasons``. Whether the error then fails the
field is the template's choice (``$util.error($ctx.error.message, $ctx.error.type)``), or, for
``2017-02-28`` templates, AppSync's: that is the execution layer's business, not the data source's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.errors import AppSyncError


@dataclass(frozen=True)
class DataSourceResult:
    """``$ctx.result`` and ``$ctx.error`` after one data-source call."""

    result: Any = None
    error: AppSyncError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def context_error(self) -> dict[str, Any] | None:
        """``$ctx.error`` as templates and JS handlers read it: ``{message, type}`` (+ ``data``)."""
        if self.error is None:
            return None
        error: dict[str, Any] = {"message": self.error.message, "type": self.error.error_type}
        if self.error.data is not None:
            error["data"] = self.error.data
        return error


def failed(error: AppSyncError, result: Any = None) -> DataSourceResult:
    return DataSourceResult(result=result, error=error)
