"""The two errors ``@auth`` rules raise, in AppSync's shapes.

``NotAuthorized`` is ``$util.unauthorized()``. Its message names the field and its parent type
(``Not Authorized to access listPosts on type Query``), which the rules do not know: the policy is
asked about a model and an operation, not about a GraphQL field. So the rules raise it bare and
the execution layer, which holds ``info``, completes it with ``error.at(info.field_name,
info.parent_type.name)`` before it reaches the client. Until completed, its message names the
model, so a forgotten completion is visible rather than silent.

``Unauthorized on [a, b]`` is the field-restriction error of create/update; it needs no field name.
"""

from __future__ import annotations

from collections.abc import Iterable

from emulator.errors import AppSyncError, unauthorized

UNAUTHORIZED = "Unauthorized"


class NotAuthorized(AppSyncError):
    """``$util.unauthorized()`` for the field being resolved (completed by the caller)."""

    def __init__(self, subject: str = "") -> None:
        super().__init__(f"Not Authorized to access {subject or 'this field'}", UNAUTHORIZED)
        self.subject = subject

    def at(self, field_name: str, parent_type: str) -> AppSyncError:
        """The error AppSync returns: ``Not Authorized to access <field> on type <Parent>``."""
        return unauthorized(field_name, parent_type)


def denied_fields_error(fields: Iterable[str]) -> AppSyncError:
    """``$util.error("Unauthorized on ${deniedFields}", "Unauthorized")`` (Java list rendering)."""
    return AppSyncError(f"Unauthorized on [{', '.join(fields)}]", UNAUTHORIZED)
