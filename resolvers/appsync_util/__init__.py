"""AppSync's ``util`` library (and ``extensions``) as plain Python over JSON-like values.

Both template runtimes call it: the VTL engine (``emulator.resolvers.vtl``) through its Java-like
values, and an APPSYNC_JS runtime through host functions taking JSON values. Look a helper up in
``UTIL`` by AppSync's names and call it with a ``UtilRequest``::

    request = UtilRequest(auth_mode="AMAZON_COGNITO_USER_POOLS", field_name="getPost", parent_type_name="Query")
    UTIL.member("time").member("nowISO8601").call(request, [])

``util.error`` / ``util.unauthorized`` / ``util.validate`` raise ``emulator.errors.AppSyncError``;
``appendError``, logs, response headers and extensions accumulate on the request.
"""

from emulator.resolvers.appsync_util.extensions import EXTENSIONS
from emulator.resolvers.appsync_util.namespace import Helper, HelperArgumentError, HelperFailure, Namespace
from emulator.resolvers.appsync_util.request import AUTH_TYPES, Extensions, UtilRequest
from emulator.resolvers.appsync_util.tree import UTIL

__all__ = [
    "AUTH_TYPES",
    "EXTENSIONS",
    "UTIL",
    "Extensions",
    "Helper",
    "HelperArgumentError",
    "HelperFailure",
    "Namespace",
    "UtilRequest",
]
