"""Hand-built API models of the golden auth schemas, callers, and the matrix checked against the VTL.

The models mirror what the transform produces for ``schemas/v2/auth-matrix.graphql``,
``seed-v2.graphql`` and ``seed-v1.graphql`` (rules normalised, ``read`` expanded). The tests at the
bottom compare what ``rules_acm`` derives (allowed fields per role, which fields get a read
check, which owner fields are shown as the username) with the generated VTL in
``transformer-golden/v2/auth-matrix-all-providers``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from auth.identity import AuthMode, Identity
from auth.rules_acm import model_auth
from emulator.apimodel import (
    ALL_OPERATIONS,
    ApiModel,
    AuthRule,
    FieldSpec,
    KeySpec,
    ModelOperations,
    ModelSpec,
)

GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "reference" / "transformer-golden"
MATRIX_RESOLVERS = GOLDEN / "v2" / "auth-matrix-all-providers" / "resolvers"
READ = ("get", "list", "listen", "sync", "search")
DEFAULT_PROVIDER = {"owner": "userPools", "groups": "userPools", "private": "userPools", "public": "apiKey",
                    "custom": "function"}
AUTO_FIELDS = ("createdAt", "updatedAt")  # added by the transform, never in the inputs

AUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-authRole"
UNAUTH_ROLE = "arn:aws:iam::123456789012:role/amplify-unauthRole"
AUTH_CALLER = "arn:aws:sts::123456789012:assumed-role/amplify-authRole/CognitoIdentityCredentials"
UNAUTH_CALLER = "arn:aws:sts::123456789012:assumed-role/amplify-unauthRole/CognitoIdentityCredentials"


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
DECLARED = {  # fields written in auth-matrix.graphql (what Amplify's matrix is built from)
    "OwnerDefault": {"id", "content"}, "OwnerCustom": {"id", "content", "author"},
    "MultiOwner": {"id", "content", "editors"}, "StaticGroups": {"id", "content"},
    "DynamicGroups": {"id", "content", "groups"}, "PublicApiKey": {"id", "content"},
    "PublicIam": {"id", "content"}, "PrivateOidc": {"id", "content"}, "CustomLambda": {"id", "content"},
    "FineGrained": {"id", "content"}, "FieldLevel": {"id", "content", "secret", "adminNote"},
}

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


# -- the matrix against the generated VTL -------------------------------------------------------

needs_golden = pytest.mark.skipif(not MATRIX_RESOLVERS.is_dir(), reason="golden VTL not present")


def _vtl(name: str) -> str:
    return (MATRIX_RESOLVERS / name).read_text()


def _user_pool_section(text: str) -> str:
    start = text.index('#if( $util.authType() == "User Pool Authorization" )')
    end = text.index('#if( $util.authType() == "Open ID Connect Authorization" )')
    return text[start:end]


Grant = tuple[set[str], set[str], bool]  # allowed fields, null-allowed fields, authorized on all fields


def _golden_grants(text: str) -> dict[str, Grant]:
    """Each user-pool role's grant in a mutation template (null-allowed fields only on update)."""
    section = _user_pool_section(text)
    grants: dict[str, Grant] = {}
    static = re.search(r"#set\( \$staticGroupRoles = (\[.*\]) \)", section)
    for entry in json.loads(static.group(1)) if static else []:
        grants[f"group:{entry['entity']}"] = (set(entry.get("allowedFields", [])),
                                             set(entry.get("nullAllowedFields", [])), entry["isAuthorizedOnAllFields"])
    for kind in ("owner", "group"):
        for index, fields in re.findall(rf"#set\( \${kind}AllowedFields(\d+) = (\[.*?\]) \)", section):
            nullable = re.search(rf"#set\( \${kind}NullAllowedFields{index} = (\[.*?\]) \)", section)
            full = re.search(rf"#set\( \$isAuthorizedOnAllFields{index} = (true|false) \)", section)
            grants[f"{kind}{index}"] = (set(json.loads(fields)), set(json.loads(nullable.group(1))) if nullable else set(),
                                        full is not None and full.group(1) == "true")
    return grants


def _our_grants(model_spec: ModelSpec, operation: str) -> dict[str, Grant]:
    auth = model_auth(model_spec, "v2")
    plan = auth.creates if operation == "create" else auth.updates
    ours: dict[str, Grant] = {}
    dynamic = [g for g in plan if g.role.provider == "userPools" and not g.role.static]
    for grant in plan:
        if grant.role.provider != "userPools" or grant.role.strategy == "private":
            continue
        if grant.role.static:
            key = f"group:{grant.role.entity}"
        else:
            kind = "owner" if grant.role.strategy == "owner" else "group"
            key = f"{kind}{dynamic.index(grant)}"
        declared = DECLARED[model_spec.name]
        ours[key] = (set(grant.allowed) & declared, set(grant.null_allowed) & declared, grant.full)
    return ours


@needs_golden
@pytest.mark.parametrize("model_spec", MATRIX_MODELS, ids=lambda m: m.name)
@pytest.mark.parametrize("operation", ["create", "update"])
def test_allowed_fields_match_the_generated_templates(model_spec: ModelSpec, operation: str) -> None:
    suffix = "auth.1.req.vtl" if operation == "create" else "auth.1.res.vtl"
    golden = _golden_grants(_vtl(f"Mutation.{operation}{model_spec.name}.{suffix}"))
    assert _our_grants(model_spec, operation) == golden


@needs_golden
def test_field_read_checks_match_the_generated_field_resolvers() -> None:
    for model_spec in MATRIX_MODELS:
        auth = model_auth(model_spec, "v2")
        golden_protected = {
            path.name.split(".")[1] for path in MATRIX_RESOLVERS.glob(f"{model_spec.name}.*.req.vtl")
            if "Field Authorization Steps" in path.read_text()
        }
        golden_owner_display = {
            path.name.split(".")[1] for path in MATRIX_RESOLVERS.glob(f"{model_spec.name}.*.res.vtl")
            if "Parse owner field auth" in path.read_text()
        }
        assert set(auth.protected_fields) == golden_protected, model_spec.name
        assert auth.owner_display_fields == golden_owner_display, model_spec.name


@needs_golden
def test_delete_roles_match_the_generated_templates() -> None:
    """FieldLevel and OwnerCustom: no role may delete every field, so delete is denied to all."""
    for model_spec in MATRIX_MODELS:
        text = _user_pool_section(_vtl(f"Mutation.delete{model_spec.name}.auth.1.res.vtl"))
        has_user_pool_check = "isAuthorized = true" in text
        auth = model_auth(model_spec, "v2")
        assert any(r.provider == "userPools" for r in auth.deletes) == has_user_pool_check, model_spec.name


def test_field_level_readers() -> None:
    auth = model_auth(MATRIX.models["FieldLevel"], "v2")
    assert [r.name for r in auth.protected_fields["secret"]] == ["userPools:owner:owner:sub::username"]
    assert [r.name for r in auth.protected_fields["adminNote"]] == [
        "userPools:owner:owner:sub::username", "userPools:staticGroup:Admin:cognito:groups"]
    assert "content" not in auth.protected_fields


def _plans(auth: object) -> tuple:
    """A ModelAuth's decisions, independent of how the spec lists operations."""
    from auth.rules_acm import ModelAuth

    assert isinstance(auth, ModelAuth)
    return (
        {op: [r.name for r in roles] for op, roles in auth.reads.items()},
        [(g.role.name, g.full, set(g.allowed), set(g.null_allowed)) for g in auth.creates],
        [(g.role.name, g.full, set(g.allowed), set(g.null_allowed)) for g in auth.updates],
        [r.name for r in auth.deletes],
        {name: [r.name for r in roles] for name, roles in auth.protected_fields.items()},
        auth.owner_display_fields,
    )


@needs_golden
def test_the_transforms_matrix_model_compiles_to_the_same_plans() -> None:
    """Once ``emulator.transform`` is in the tree: its ApiModel of auth-matrix.graphql (auth-all.json
    modes) gives the same role plans as the hand-built models above."""
    transform_module = pytest.importorskip("emulator.transform")
    sdl = (GOLDEN / "schemas" / "v2" / "auth-matrix.graphql").read_text()
    options = transform_module.TransformOptions(
        default_auth="AMAZON_COGNITO_USER_POOLS",
        additional_auth=("AWS_IAM", "API_KEY", "OPENID_CONNECT", "AWS_LAMBDA"))
    transformed = transform_module.transform(sdl, options)
    for name, ours in MATRIX.models.items():
        assert _plans(model_auth(transformed.models[name], "v2")) == _plans(model_auth(ours, "v2")), name
