"""DynamoDB calls and their failures, worded as AppSync words them.

AppSync hands a failed DynamoDB call to the response template as ``$ctx.error`` with type
``DynamoDB:<ExceptionName>`` and a message ending in ``(Service: DynamoDb, Status Code: 400,
Request ID: …)``; Amplify's templates re-raise it with ``$util.error(message, type)``. Every
engine call goes through ``call`` so it is counted for the request log and mapped the same way.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from emulator.errors import AppSyncError

if TYPE_CHECKING:
    from emulator.resolvers.context import ResolverContext


def call(ctx: ResolverContext, operation: str, **params: Any) -> dict[str, Any]:
    """Run one low-level DynamoDB operation (``"query"``, ``"put_item"``…) for a resolver."""
    ctx.dynamodb_calls += 1
    try:
        return getattr(ctx.dynamodb, operation)(**params)
    except ClientError as exc:
        raise appsync_error(exc) from exc
    except ParamValidationError as exc:
        raise AppSyncError(f"{exc} (Service: DynamoDb, Status Code: 400)", "DynamoDB:ValidationException") from exc
    except BotoCoreError as exc:
        raise AppSyncError(f"The DynamoDB engine could not be reached: {exc}", "DynamoDB:ServiceUnavailable") from exc


def appsync_error(exc: ClientError) -> AppSyncError:
    """A ClientError as AppSync's ``$ctx.error`` surfaces it to the client."""
    code, message, status, request_id = error_parts(exc)
    if status >= 500 and message.lstrip().startswith("<"):
        # moto answers malformed expressions with an HTML 500 page; DynamoDB would say ValidationException.
        code, message = "InternalServerError", "The DynamoDB engine failed to process the request"
    return AppSyncError(
        f"{message} (Service: DynamoDb, Status Code: {status}, Request ID: {request_id})",
        f"DynamoDB:{code}",
    )


def error_parts(exc: ClientError) -> tuple[str, str, int, str]:
    """(exception name, message, HTTP status, request id) of a ClientError."""
    error = exc.response.get("Error", {})
    metadata = exc.response.get("ResponseMetadata", {})
    code = str(error.get("Code") or "InternalServerError")
    code = code.rsplit("#", 1)[-1]  # "com.amazonaws.dynamodb.v20120810#ValidationException"
    message = str(error.get("Message") or code)
    status = int(metadata.get("HTTPStatusCode") or 400)
    request_id = str(metadata.get("RequestId") or uuid.uuid4().hex.upper())
    return code, message, status, request_id
