"""``TransformOptions``: what the transform needs besides the schema text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from emulator.apimodel import Provider, TransformerVersion
from emulator.datastore_settings import DataStoreSettings
from emulator.settings import AUTH_MODES, Settings

#: AppSync auth mode (emulator/settings.py names) -> Amplify @auth provider.
MODE_PROVIDERS: dict[str, Provider] = {
    "API_KEY": "apiKey",
    "AMAZON_COGNITO_USER_POOLS": "userPools",
    "AWS_IAM": "identityPool",
    "OPENID_CONNECT": "oidc",
    "AWS_LAMBDA": "function",
}


_FLAG_OPTIONS = {
    "improvepluralization": "improve_pluralization",
    "usesubusernamefordefaultidentityclaim": "use_sub_username_for_default_identity_claim",
    "enableautoindexquerynames": "enable_auto_index_query_names",
    "respectprimarykeyattributesonconnectionfield": "respect_primary_key_attributes_on_connection_field",
    "shoulddeepmergedirectiveconfigdefaults": "should_deep_merge_directive_config_defaults",
    "addmissingownerfields": "add_missing_owner_fields",
    "secondarykeyasgsi": "secondary_key_as_gsi",
    "populateownerfieldforstaticgroupauth": "populate_owner_field_for_static_group_auth",
    "validatetypenamereservedwords": "validate_type_name_reserved_words",
}


#: Values the Gen1 CLI uses for flags an existing project's ``cli.json`` does not set, where they
#: differ from the new-project values the options default to (amplify-cli-core ``featureFlags.js``).
EXISTING_PROJECT_FLAGS: dict[str, bool] = {
    "addmissingownerfields": False,
    "secondarykeyasgsi": False,
    "enableautoindexquerynames": False,
    "respectprimarykeyattributesonconnectionfield": False,
    "populateownerfieldforstaticgroupauth": False,
}


@dataclass(frozen=True)
class TransformOptions:
    """The API's auth modes drive where ``@aws_*`` directives go; flags cover v1/v2 differences.

    The flags are Amplify's ``graphqltransformer`` feature flags with their new-project values
    (``existing_project_flags`` gives the values the CLI uses when a project's ``cli.json`` lacks
    one). ``improve_pluralization`` only matters to v1: v2 always pluralises in English.
    """

    version: TransformerVersion | None = None
    default_auth: str = "API_KEY"
    additional_auth: tuple[str, ...] = ()
    improve_pluralization: bool | None = None
    use_sub_username_for_default_identity_claim: bool = True  # v2 owner default claim "sub::username"
    enable_auto_index_query_names: bool = True  # v2 @index without queryField gets ``postsByTitle``
    respect_primary_key_attributes_on_connection_field: bool = True  # FK names/types follow the related key
    should_deep_merge_directive_config_defaults: bool = False  # v2: @model maps merge with the defaults
    populate_owner_field_for_static_group_auth: bool = True  # v2: a static-group create fills the owner in
    secondary_key_as_gsi: bool = True  # v2: False makes an @index on the table's partition key a local index
    add_missing_owner_fields: bool = True  # v1: owner fields an @auth rule names are added to the type
    validate_type_name_reserved_words: bool = True  # v1: a @model named Query/Mutation/Subscription is an error
    # IAM reaches every model node (Gen1 custom-roles.json adminRoleNames, and every Gen 2 API): Amplify
    # adds the identityPool provider to every model's, operation's and nested type's providers.
    iam_access: bool = False
    # DataStore conflict detection (transform.conf.json ResolverConfig / [datastore]): versioned models
    datastore: DataStoreSettings = DataStoreSettings()
    # Gen 2 (Amplify's ``enableIamAccess``): custom operations, non-model types and the declared
    # Query/Mutation/Subscription types get @aws_iam too, as in sandbox mode; any IAM principal that
    # is not an identity-pool user passes every model rule (emulator.auth.rules).
    generic_iam_access: bool = False

    def __post_init__(self) -> None:
        for mode in (self.default_auth, *self.additional_auth):
            if mode not in AUTH_MODES:
                raise ValueError(f"unknown auth mode {mode!r}; expected one of {', '.join(AUTH_MODES)}")

    @classmethod
    def from_settings(cls, settings: Settings) -> TransformOptions:
        """Auth modes and version from the settings; feature flags from an Amplify project's ``cli.json``."""
        version = settings.transformer if settings.transformer in ("v1", "v2") else None
        iam_enabled = "AWS_IAM" in settings.auth.modes
        gen2 = "gen2" in settings.extra and iam_enabled
        options = cls(
            version=version,  # type: ignore[arg-type]
            default_auth=settings.auth.default,
            additional_auth=tuple(m for m in settings.auth.additional if m != settings.auth.default),
            iam_access=(bool(settings.auth.iam.admin_role_names) and iam_enabled) or gen2,
            generic_iam_access=gen2,
            datastore=settings.datastore,
        )
        amplify = settings.extra.get("amplify") if isinstance(settings.extra.get("amplify"), dict) else {}
        return options.with_feature_flags(amplify.get("feature_flags") or {}, existing_project=bool(amplify))

    def with_feature_flags(self, flags: Mapping[str, Any], existing_project: bool = False) -> TransformOptions:
        """These options with Amplify's ``graphqltransformer`` feature flags (names case-insensitive).

        In an existing project the CLI gives a flag missing from ``cli.json`` its value for existing
        projects (``amplify-cli-core`` ``featureFlags``), not its new-project value."""
        lowered = {str(k).lower(): v for k, v in flags.items()}
        if existing_project:
            lowered = {**EXISTING_PROJECT_FLAGS, **lowered}
        chosen: dict[str, Any] = {}
        for flag, option in _FLAG_OPTIONS.items():
            if isinstance(lowered.get(flag), bool):
                chosen[option] = lowered[flag]
        return replace(self, **chosen)

    @property
    def default_provider(self) -> Provider:
        return MODE_PROVIDERS[self.default_auth]

    @property
    def providers(self) -> frozenset[Provider]:
        """Every configured provider, the default included."""
        return frozenset(MODE_PROVIDERS[m] for m in (self.default_auth, *self.additional_auth))

    def pluralizes_in_english(self, version: TransformerVersion) -> bool:
        """v2 always pluralises in English (it never reads ``improvePluralization``); v1 follows the flag."""
        if version == "v2":
            return True
        return bool(self.improve_pluralization)
