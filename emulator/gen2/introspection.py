"""The model introspection schema Gen 2 functions read their data client's schema from.

On AWS, ``getAmplifyDataClientConfig(env)`` (``@aws-amplify/backend/function/runtime``) fetches
``modelIntrospectionSchema.json`` from an S3 bucket the data construct deploys. Locally the
function's ``AWS_ENDPOINT_URL_S3`` points the AWS SDK at this emulator, which answers the SDK's
path-style ``GET /<bucket>/<key>`` for that one object (and S3's ``NoSuchKey`` error for any other
key of the bucket). The schema is Amplify's own (``@aws-amplify/graphql-generator``, run by the
project's Node helper): read with the project when the client config was asked for, else on the
first request (about 1-2 s), then kept for the generation.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

import anyio
from starlette.requests import Request
from starlette.responses import Response

from emulator.gen2.model import Gen2Project
from emulator.gen2.project import Gen2ProjectError

INTROSPECTION_BUCKET = "appsync-emulator-model-introspection"
INTROSPECTION_KEY = "modelIntrospectionSchema.json"
ROUTE = f"/{INTROSPECTION_BUCKET}/{{key:path}}"


class ModelIntrospection:
    """The project's model introspection, read once on first use (thread-safe)."""

    def __init__(self, project: Gen2Project) -> None:
        self.project = project
        self._value: Mapping[str, Any] | None = project.model_introspection
        self._lock = threading.Lock()

    def get(self) -> Mapping[str, Any]:
        with self._lock:
            if self._value is None:
                from emulator.gen2.reader import read_project

                read = read_project(self.project.root, self.project.loader, introspection=True)
                if read.model_introspection is None:
                    raise Gen2ProjectError(f"{self.project.root}: no model introspection: "
                                           f"{read.model_introspection_error or 'the generator gave none'}")
                self._value = read.model_introspection
            return self._value


def _s3_error(code: str, message: str, key: str, status: int) -> Response:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{escape(message)}</Message>'
            f"<Key>{escape(key)}</Key><BucketName>{INTROSPECTION_BUCKET}</BucketName></Error>")
    return Response(body, status_code=status, media_type="application/xml")


def introspection_response(source: ModelIntrospection | None, key: str) -> Response:
    """S3's answer to ``GetObject`` of ``key`` in the introspection bucket."""
    if source is None or key != INTROSPECTION_KEY:
        return _s3_error("NoSuchKey", "The specified key does not exist.", key, 404)
    try:
        value = source.get()
    except Gen2ProjectError as error:
        return _s3_error("InternalError", str(error), key, 500)
    return Response(json.dumps(value), media_type="application/json")


async def serve_introspection(request: Request, source: ModelIntrospection | None) -> Response:
    """The route handler (the caller passes the current generation's source)."""
    key = request.path_params.get("key", "")
    return await anyio.to_thread.run_sync(introspection_response, source, key)
