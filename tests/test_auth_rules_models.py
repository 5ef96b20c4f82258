"""The hand-built auth models against the generated VTL of the golden auth matrix.

The tests compare what ``rules_acm`` derives from ``tests.auth_rules_support``'s models (allowed
fields per role, which fields get a read check, which owner fields are shown as the username)
with the generated VTL in ``transformer-golden/v2/auth-matrix-all-providers``.
"""

from __future__ import annotations

import json
import re

import pytest

from emulator.apimodel import ModelSpec
from emulator.auth.rules_acm import model_auth
from emulator.transform import TransformOptions, transform
from tests.auth_rules_support import MATRIX, MATRIX_MODELS
from tests.paths import GOLDEN

MATRIX_RESOLVERS = GOLDEN / "v2" / "auth-matrix-all-providers" / "resolvers"
DECLARED = {  # fields written in auth-matrix.graphql (what Amplify's matrix is built from)
    "OwnerDefault": {"id", "content"}, "OwnerCustom": {"id", "content", "author"},
    "MultiOwner": {"id", "content", "editors"}, "StaticGroups": {"id", "content"},
    "DynamicGroups": {"id", "content", "groups"}, "PublicApiKey": {"id", "content"},
    "PublicIam": {"id", "content"}, "PrivateOidc": {"id", "content"}, "CustomLambda": {"id", "content"},
    "FineGrained": {"id", "content"}, "FieldLevel": {"id", "content", "secret", "adminNote"},
}



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


@pytest.mark.parametrize("model_spec", MATRIX_MODELS, ids=lambda m: m.name)
@pytest.mark.parametrize("operation", ["create", "update"])
def test_allowed_fields_match_the_generated_templates(model_spec: ModelSpec, operation: str) -> None:
    suffix = "auth.1.req.vtl" if operation == "create" else "auth.1.res.vtl"
    golden = _golden_grants(_vtl(f"Mutation.{operation}{model_spec.name}.{suffix}"))
    assert _our_grants(model_spec, operation) == golden


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
    from emulator.auth.rules_acm import ModelAuth

    assert isinstance(auth, ModelAuth)
    return (
        {op: [r.name for r in roles] for op, roles in auth.reads.items()},
        [(g.role.name, g.full, set(g.allowed), set(g.null_allowed)) for g in auth.creates],
        [(g.role.name, g.full, set(g.allowed), set(g.null_allowed)) for g in auth.updates],
        [r.name for r in auth.deletes],
        {name: [r.name for r in roles] for name, roles in auth.protected_fields.items()},
        auth.owner_display_fields,
    )


def test_the_transforms_matrix_model_compiles_to_the_same_plans() -> None:
    """The transform's ApiModel of auth-matrix.graphql (auth-all.json modes) gives the same role
    plans as the hand-built models above."""
    sdl = (GOLDEN / "schemas" / "v2" / "auth-matrix.graphql").read_text()
    options = TransformOptions(
        default_auth="AMAZON_COGNITO_USER_POOLS",
        additional_auth=("AWS_IAM", "API_KEY", "OPENID_CONNECT", "AWS_LAMBDA"))
    transformed = transform(sdl, options)
    for name, ours in MATRIX.models.items():
        assert _plans(model_auth(transformed.models[name], "v2")) == _plans(model_auth(ours, "v2")), name
