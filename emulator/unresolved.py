"""Fields with no local resolver: the start message that lists them, and the error they answer.

The transform records which fields no local resolver serves and why (``ApiModel.unresolved``,
see ``emulator.transform.unresolved``). At start the emulator says so, naming each field and its
reason; a request selecting such a field gets an error naming the reason instead of a silent
``null``. A project's own resolver templates (``amplify/backend/api/<name>/resolvers/``) are
named in the reason, since that is where the cloud gets those resolvers from.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from emulator.apimodel import ApiModel
from emulator.errors import AppSyncError

ERROR_TYPE = "AppSyncEmulator:NoLocalResolver"


def unresolved_error(parent: str, name: str, reason: str) -> AppSyncError:
    """The error a field with no local resolver answers with."""
    return AppSyncError(f"{parent}.{name} has no resolver in the emulator: {reason}.", ERROR_TYPE)


def _template(resolvers_dir: Path | None, parent: str, name: str) -> Path | None:
    if resolvers_dir is None:
        return None
    for suffix in (".req.vtl", ".js"):
        candidate = resolvers_dir / f"{parent}.{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def with_project_resolvers(api: ApiModel, api_dir: Path | None) -> dict[tuple[str, str], str]:
    """``api.unresolved``, with the project's own resolver template named where one exists."""
    resolvers_dir = api_dir / "resolvers" if api_dir is not None else None
    reasons = {}
    for (parent, name), reason in api.unresolved.items():
        template = _template(resolvers_dir, parent, name)
        if template is not None:
            reason = (f"its custom resolver {template.name} (in {template.parent}) is declared by no "
                      "AWS::AppSync::Resolver in stacks/ and no [resolvers] entry of the config")
        reasons[(parent, name)] = reason
    return reasons


def without_custom_resolvers(
    reasons: dict[tuple[str, str], str], served: Collection[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The reasons of the fields a custom resolver does not serve."""
    return {where: reason for where, reason in reasons.items() if where not in served}


def start_message(reasons: dict[tuple[str, str], str]) -> str | None:
    """One message listing every field with no local resolver and why (None when there is none)."""
    if not reasons:
        return None
    lines = [f"  {parent}.{name}: {reason}" for (parent, name), reason in reasons.items()]
    count = len(lines)
    return (f"{count} field{'s' if count != 1 else ''} of the schema {'have' if count != 1 else 'has'} no resolver "
            "in the emulator and answer with an error (errorType " + ERROR_TYPE + "):\n" + "\n".join(lines))
