"""Hand-built API models of the golden auth schemas, and callers of every mode, for the auth-rule tests.

The models mirror what the transform produces for ``schemas/v2/auth-matrix.graphql``,
``seed-v2.graphql`` and ``seed-v1.graphql`` (rules normalised, ``read`` expanded);
``test_auth_rules_models`` checks them against the generated VTL.
"""

from __future__ import annotations

from emulator.apimodel import (
    ALL_OPERATIONS,
    ApiModel,
    AuthRule,
    FieldSpec,
    KeySpec,
    ModelOperations,
    ModelSpec,
)
from emulator.auth.identity import AuthMode, Identity
from emulator.settings import IamSettings

READ = ("get", "list", "listen", "sync", "search")
DEFAULT_PROVIDER = {"owner": "userPools", "groups": "userPools", "private": "userPools", "public": "apiKey",
                    "custom": "function"}

AUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-authRole"
UNAUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-unauthRole"
AUTH_CALLER = "arn:aws:sts::123456789012:assumed-role/amplify-authRole/CognitoIdentityCredentials"
UNAUTH_CALLER = "arn:aws:sts::123456789012:assumed-role/amplify-unauthRole/CognitoIdentityCredentials"
IAM = IamSettings(auth_role_arn=AUTH_ROLE, unauth_role_arn=UNAUTH_ROLE)
ALICE = "sub-alice::alice"  # user()'s owner value, as Amplify stores it: sub::username


def rule(allow: str, provider: str | None = None, operations: tuple[str, ...] | None = None, *,
         owner_field: str = "owner", identity_claim: str = "sub::username", groups: tuple[str, ...] = (),
         groups_field: str | None = None, group_claim: str = "cognito:groups") -> AuthRule:
    """An AuthRule as the transform normalises it (default provider, ``read`` expanded)."""
    expanded: list[str] = []
    for op in operations or ALL_OPERATIONS:
        expanded.extend(READ if op == "read" else (op,))
    return AuthRule(allow=allow, provider=provider or DEFAULT_PROVIDER[allow],  # type: ignore[arg-type]
                    operations=tuple(dict.fromkeys(expanded)), owner_field=owner_field,  # type: ignore[arg-type]
                    identity_claim=identity_claim, groups=groups, groups_field=groups_field,
                    group_claim=group_claim)


def field(name: str, type_name: str = "String", *, is_list: bool = False, non_null: bool = False,
          rules: tuple[AuthRule, ...] | None = None) -> FieldSpec:
    return FieldSpec(name, type_name, is_list=is_list, non_null=non_null, auth_rules=rules)


def model(name: str, fields: list[FieldSpec], rules: tuple[AuthRule, ...] | None, owner_fields: tuple[str, ...] = (),
          plural: str | None = None) -> ModelSpec:
    """A model with ``id``, the given fields, timestamps, and any owner fields the transform adds."""
    every = [field("id", "ID", non_null=True), *fields, field("createdAt", "AWSDateTime", non_null=True),
             field("updatedAt", "AWSDateTime", non_null=True)]
    every += [field(name_) for name_ in owner_fields if all(f.name != name_ for f in every)]
    plural = plural or f"{name}s"
    ops = ModelOperations(get=f"get{name}", list=f"list{plural}", create=f"create{name}", update=f"update{name}",
                          delete=f"delete{name}", on_create=f"onCreate{name}", on_update=f"onUpdate{name}",
                          on_delete=f"onDelete{name}")
    return ModelSpec(name=name, primary_key=KeySpec("id"), fields={f.name: f for f in every}, operations=ops,
                     auth_rules=rules)


def api(version: str, *models: ModelSpec, sandbox: bool = False) -> ApiModel:
    return ApiModel(version=version, sdl="", models={m.name: m for m in models}, root_fields={},  # type: ignore[arg-type]
                    sandbox=sandbox)


CONTENT = field("content")

MATRIX_MODELS = (
    model("OwnerDefault", [CONTENT], (rule("owner"),), ("owner",)),
    model("OwnerCustom", [CONTENT, field("author")],
          (rule("owner", operations=("create", "read", "update"), owner_field="author", identity_claim="email"),)),
    model("MultiOwner", [CONTENT, field("editors", is_list=True)], (rule("owner", owner_field="editors"),)),
    model("StaticGroups", [CONTENT], (rule("groups", groups=("Admin", "Editors")),), plural="StaticGroups"),
    model("DynamicGroups", [CONTENT, field("groups", is_list=True)], (rule("groups", groups_field="groups"),),
          plural="DynamicGroups"),
    model("PublicApiKey", [CONTENT], (rule("public"),)),
    model("PublicIam", [CONTENT], (rule("public", "identityPool", ("read",)), rule("private", "identityPool")),
          plural="PublicIam"),
    model("PrivateOidc", [CONTENT], (rule("private", "oidc"), rule("owner", "oidc", identity_claim="sub")),
          ("owner",)),
    model("CustomLambda", [CONTENT], (rule("custom"),)),
    model("FineGrained", [CONTENT], (
        rule("owner", operations=("create", "get", "list", "listen", "update", "delete")),
        rule("public", operations=("get",)),
        rule("private", operations=("list", "sync", "search")),
    ), ("owner",)),
    model("FieldLevel", [
        CONTENT,
        field("secret", rules=(rule("owner"),)),
        field("adminNote", rules=(rule("groups", groups=("Admin",)), rule("owner", operations=("read",)))),
    ], (rule("owner"), rule("private", operations=("read",)), rule("public", operations=("read",))), ("owner",)),
)
MATRIX = api("v2", *MATRIX_MODELS)
SEED_USER_RULES = (rule("owner"), rule("private", "userPools", ("read",)),
                   rule("private", "identityPool", ("create", "update")))
SEED_USER = model("User", [field("name")], SEED_USER_RULES, ("owner",))
SEED_POST = model("Post", [field("title", non_null=True)], None)
SEED_V2 = api("v2", SEED_USER, SEED_POST)

SEED_USER_V1 = model("User", [field("name")], (
    rule("owner", identity_claim="username"), rule("private", "userPools", ("read",)),
    rule("private", "identityPool", ("create", "update"))), ("owner",))
SEED_V1 = api("v1", SEED_USER_V1, SEED_POST)


def user(username: str = "alice", sub: str | None = None, groups: tuple[str, ...] = (), **claims: object) -> Identity:
    """A user-pool caller with Cognito's claims."""
    sub = sub or f"sub-{username}"
    body: dict[str, object] = {"sub": sub, "cognito:username": username, **claims}
    if groups:
        body["cognito:groups"] = list(groups)
    return Identity(AuthMode.AMAZON_COGNITO_USER_POOLS, claims=body, sub=sub, username=username, groups=groups,
                    issuer="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Local")


def oidc(sub: str = "oidc-sub", **claims: object) -> Identity:
    return Identity(AuthMode.OPENID_CONNECT, claims={"sub": sub, **claims}, sub=sub, issuer="https://issuer.local")


def api_key() -> Identity:
    return Identity(AuthMode.API_KEY, api_key="da2-local")


def iam(user_arn: str = AUTH_CALLER) -> Identity:
    return Identity(AuthMode.AWS_IAM, user_arn=user_arn, account_id="123456789012")


def lambda_(denied: frozenset[str] = frozenset()) -> Identity:
    return Identity(AuthMode.AWS_LAMBDA, denied_fields=denied)
