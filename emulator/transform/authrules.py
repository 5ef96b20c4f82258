"""``@auth`` rules: reading, defaults, validation against the API's configured providers.

The result is ``emulator.apimodel.AuthRule`` with every default filled in, so downstream code never
needs to know a default: providers use v2 names (``iam`` becomes ``identityPool``), ``read`` is
expanded to get/list/listen/search/sync, and v1's identity claim defaults to ``username``.
"""

from __future__ import annotations

from typing import Any

from emulator.apimodel import ALL_OPERATIONS, AuthRule, Operation, Provider, Strategy, TransformerVersion
from emulator.transform.errors import schema_error
from emulator.transform.options import TransformOptions
from emulator.transform.parse import DirectiveUse

READ_OPERATIONS: tuple[Operation, ...] = ("get", "list", "listen", "search", "sync")

DEFAULT_PROVIDERS: dict[str, Provider] = {
    "owner": "userPools", "groups": "userPools", "private": "userPools", "public": "apiKey", "custom": "function",
}

_ALLOWED_PROVIDERS: dict[str, tuple[str, ...]] = {
    "groups": ("userPools", "oidc"),
    "owner": ("userPools", "oidc"),
    "public": ("apiKey", "iam", "identityPool"),
    "private": ("userPools", "iam", "identityPool", "oidc"),
    "custom": ("function",),
}

_STRATEGY_PROVIDER_MESSAGES = {
    "groups": "@auth directive with 'groups' strategy only supports 'userPools' and 'oidc' providers, "
              "but found '{p}' assigned.",
    "owner": "@auth directive with 'owner' strategy only supports 'userPools' (default) and 'oidc' providers, "
             "but found '{p}' assigned.",
    "public": "@auth directive with 'public' strategy only supports 'apiKey' (default) and 'identityPool' "
              "providers, but found '{p}' assigned.",
    "private": "@auth directive with 'private' strategy only supports 'userPools' (default) and 'identityPool' "
               "providers, but found '{p}' assigned.",
    "custom": "@auth directive with 'custom' strategy only supports 'function' (default) provider, "
              "but found '{p}' assigned.",
}

_MISSING_PROVIDER_MESSAGES: dict[str, str] = {
    "apiKey": "API Key", "oidc": "OPENID_CONNECT", "userPools": "Cognito User Pools", "iam": "IAM",
    "identityPool": "IAM", "function": "Lambda",
}


def _expand_operations(raw: list[str] | None, version: TransformerVersion, rule: dict[str, Any],
                       directive: DirectiveUse) -> tuple[Operation, ...]:
    if raw is None:
        if version == "v1" and ("queries" in rule or "mutations" in rule):
            raw = _legacy_v1_operations(rule)
        else:
            return ALL_OPERATIONS
    fine_reads = [op for op in raw if op in READ_OPERATIONS]
    if "read" in raw and fine_reads:
        offending = ",".join(fine_reads)
        raise schema_error(
            f"'{offending}' operations are specified in addition to 'read'. Either remove 'read' to limit access "
            f"only to '{offending}' or only keep 'read' to grant all get,list,search,listen,sync access.",
            directive.node)
    expanded: list[Operation] = []
    for op in raw:
        for one in (READ_OPERATIONS if op == "read" else (op,)):
            if one not in expanded:
                expanded.append(one)  # type: ignore[arg-type]
    return tuple(expanded)


def _legacy_v1_operations(rule: dict[str, Any]) -> list[str]:
    """v1's deprecated ``queries``/``mutations`` rule arguments: absent means all, null means none."""
    mutations = rule["mutations"] if "mutations" in rule else ["create", "update", "delete"]
    queries = rule["queries"] if "queries" in rule else ["get", "list"]
    return [*(mutations or ()), *(["read"] if queries else [])]


def read_rules(directive: DirectiveUse, version: TransformerVersion, options: TransformOptions,
               owner_name: str, is_field: bool = False) -> tuple[AuthRule, ...]:
    """The rules of one ``@auth`` directive, validated and with defaults filled in."""
    raw_rules = directive.args.get("rules") or []
    if not raw_rules:
        raise schema_error(f"@auth on {owner_name} does not have any auth rules.", directive.node)
    return tuple(_read_rule(rule, directive, version, options, is_field) for rule in raw_rules)


def _read_rule(rule: dict[str, Any], directive: DirectiveUse, version: TransformerVersion,
               options: TransformOptions, is_field: bool) -> AuthRule:
    strategy: Strategy = rule["allow"]
    given_provider = rule.get("provider")
    provider = given_provider or DEFAULT_PROVIDERS[strategy]
    if provider not in _ALLOWED_PROVIDERS[strategy]:
        raise schema_error(_STRATEGY_PROVIDER_MESSAGES[strategy].format(p=provider), directive.node)
    if strategy == "groups" and not rule.get("groups") and not rule.get("groupsField"):
        raise schema_error("@auth directive with 'groups' should have a defined groups list or a groupsField.",
                           directive.node)
    normalized: Provider = "identityPool" if provider == "iam" else provider
    if normalized not in options.providers:
        raise schema_error(
            f"@auth directive with '{provider}' provider found, but the project has no "
            f"{_MISSING_PROVIDER_MESSAGES[provider]} authentication provider configured.", directive.node)
    raw_operations = rule.get("operations")
    if is_field and raw_operations and any(op in READ_OPERATIONS for op in raw_operations):
        offending = ",".join(op for op in raw_operations if op in READ_OPERATIONS)
        raise schema_error(f"'{offending}' operation is not allowed at the field level.", directive.node)
    unique_claim = version == "v2" and options.use_sub_username_for_default_identity_claim
    identity_claim = rule.get("identityClaim") or rule.get("identityField") or (
        "sub::username" if unique_claim else "username")
    groups = tuple(rule.get("groups") or ())
    groups_field = rule.get("groupsField")
    if strategy == "groups" and not groups and groups_field is None:
        groups_field = "groups"
    return AuthRule(
        allow=strategy,
        provider=normalized,
        operations=_expand_operations(raw_operations, version, rule, directive),
        owner_field=rule.get("ownerField") or "owner",
        identity_claim=identity_claim,
        groups=groups if not groups_field else (),
        groups_field=groups_field if strategy == "groups" and not groups else None,
        group_claim=rule.get("groupClaim") or "cognito:groups",
    )
