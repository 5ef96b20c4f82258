"""``extensions`` (``$extensions`` in VTL): subscription filters, invalidation and cache eviction,
recorded on the request for the caller (the subscription hub, the cache) to act on."""

from __future__ import annotations

from typing import Any

from emulator.resolvers.appsync_util.namespace import Helper, HelperFailure, Namespace
from emulator.resolvers.appsync_util.request import UtilRequest
from emulator.resolvers.appsync_util.values import is_map, java_string, plain
from emulator.subscription_filter import FilterError, from_filter_json


def _checked_filter(filter_json: Any, name: str) -> Any:
    """The filter JSON, refused now (with AppSync's reason) when AppSync would refuse it."""
    value = plain(filter_json)
    if not is_map(value):
        raise HelperFailure(f"extensions.{name} expects a filter object, got {java_string(filter_json)}")
    try:
        from_filter_json(value)
    except FilterError as exc:
        raise HelperFailure(str(exc)) from exc
    return value


def set_subscription_filter(request: UtilRequest, filter_json: Any) -> None:
    request.extensions.subscription_filters.append(_checked_filter(filter_json, "setSubscriptionFilter"))


def set_subscription_invalidation_filter(request: UtilRequest, filter_json: Any) -> None:
    request.extensions.invalidation_filters.append(_checked_filter(filter_json, "setSubscriptionInvalidationFilter"))


def invalidate_subscriptions(request: UtilRequest, invalidation: Any) -> None:
    """``{"subscriptionField": "...", "payload": {...}}``: close matching subscriptions."""
    value = plain(invalidation)
    if not is_map(value) or not isinstance(value.get("subscriptionField"), str):
        raise HelperFailure("extensions.invalidateSubscriptions needs a 'subscriptionField' name and a 'payload'")
    request.extensions.invalidations.append(value)


def evict_from_api_cache(request: UtilRequest, type_name: Any, field_name: Any, keys: Any) -> None:
    request.extensions.cache_evictions.append(
        {"typeName": java_string(type_name), "fieldName": java_string(field_name), "keys": plain(keys)}
    )


EXTENSIONS = Namespace(
    "extensions",
    {
        "setSubscriptionFilter": Helper(set_subscription_filter, uses_request=True, void=True),
        "setSubscriptionInvalidationFilter": Helper(set_subscription_invalidation_filter, uses_request=True, void=True),
        "invalidateSubscriptions": Helper(invalidate_subscriptions, uses_request=True, void=True),
        "evictFromApiCache": Helper(evict_from_api_cache, uses_request=True, void=True),
    },
)
