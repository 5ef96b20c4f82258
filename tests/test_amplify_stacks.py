"""Custom resolvers of a Gen 1 project as ``amplify push`` leaves it: stacks/*.json resources,
resolvers/ templates, JS code, slots and overrides, read into specs (issue 13, point 4)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from emulator.resolver_specs import CustomResolverError, CustomResolvers
from tests.custom_resolvers_support import API_DIR, PROJECT, STACK, copy_project, edit_stack, load_project

RESOLVERS = PROJECT / API_DIR / "resolvers"


@pytest.fixture(scope="module")
def declared() -> CustomResolvers:
    return load_project()[0]


def test_data_sources_of_every_kind_with_their_targets(declared: CustomResolvers) -> None:
    sources = declared.data_sources
    assert (sources["ProductTable"].kind, sources["ProductTable"].table, sources["ProductTable"].model) == (
        "AMAZON_DYNAMODB", "Product-emulator-local", "Product")
    assert sources["ProductMirror"].table == "Product-emulator-local"  # Fn::ImportValue of the model table's export
    assert sources["ProductMirror"].model == "Product"
    assert sources["AuditTableDataSource"].table == "AuditTable-emulator-local"  # Ref to the stack's table
    echo = sources["EchoLambda"]
    assert (echo.kind, echo.function_name) == ("AWS_LAMBDA", "shopEcho")  # the project's function, by its ARN
    assert echo.function_arn == "arn:aws:lambda:us-east-1:123456789012:function:shopEcho-local"
    assert (sources["WeatherService"].kind, sources["WeatherService"].endpoint) == ("HTTP", "https://api.weather.example")
    assert sources["LocalNone"].kind == sources["NONE_DS"].kind == "NONE"
    assert str(PROJECT / STACK) in sources["EchoLambda"].origin and "EchoLambdaDataSource" in sources["EchoLambda"].origin


def test_unit_pipeline_and_js_resolvers_with_their_templates(declared: CustomResolvers) -> None:
    products = declared.resolver("Query", "productsInCategory")
    assert products is not None and (products.kind, products.data_source) == ("UNIT", "ProductTable")
    assert products.handler.runtime == "VTL"
    assert products.handler.request.path == (RESOLVERS / "Query.productsInCategory.req.vtl").resolve()
    assert '"index": "byCategory"' in products.handler.request.text
    assert declared.resolver("Query", "echo").data_source == "EchoLambda"  # Fn::GetAtt [..., Name]
    quote = declared.resolver("Query", "quote")
    assert quote.kind == "PIPELINE" and [f.name for f in quote.functions] == ["loadProduct", "price"]
    load, price = quote.functions
    assert load.data_source == "ProductTable" and "GetItem" in load.handler.request.text
    assert price.data_source == "LocalNone" and price.handler.request.path is None  # inline template
    assert "$ctx.stash.product.price" in price.handler.request.text
    assert quote.handler.request.text.startswith('$util.qr($ctx.stash.put("requestedAt"')
    audit = declared.resolver("Query", "auditLog")
    assert audit.handler.runtime == "APPSYNC_JS" and audit.handler.code.path == (RESOLVERS / "auditLog.js").resolve()
    assert audit.handler.request is None and "ddb.query" in audit.handler.code.text
    record = declared.resolver("Mutation", "recordAudit")
    assert record.handler.runtime == "APPSYNC_JS" and "operation: 'PutItem'" in record.handler.code.text
    assert record.handler.code.path is None and "MutationRecordAuditResolver" in record.handler.code.origin
    assert set(declared.resolvers) == {("Query", f) for f in
                                       ("productsInCategory", "echo", "quote", "weather", "auditLog", "serverTime")} | {
        ("Mutation", "recordAudit")}


def test_stack_tables_are_declared_with_their_keys_and_indexes(declared: CustomResolvers) -> None:
    (table,) = declared.tables
    assert table.name == "AuditTable-emulator-local"
    assert table.definition["KeySchema"] == [{"AttributeName": "day", "KeyType": "HASH"},
                                             {"AttributeName": "at", "KeyType": "RANGE"}]
    (index,) = table.definition["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "byAuthor" and "ProvisionedThroughput" not in index


def test_slots_overrides_and_unused_files_are_classified(declared: CustomResolvers) -> None:
    (pre_update,) = declared.slots_for("Mutation", "createOrder")
    assert (pre_update.slot, pre_update.order, pre_update.replaces_generated) == ("preUpdate", 1, False)
    assert "quantity must be at least 1" in pre_update.request.text and pre_update.response is not None
    (post_auth,) = declared.slots_for("Query", "getProduct")
    assert post_auth.slot == "postAuth" and post_auth.replaces_generated  # Amplify generates postAuth.1 itself
    override = declared.override_for("Query", "listOrders")
    assert override is not None and override.request is None and "$util.toJson($ctx.result)" in override.response.text
    assert declared.warnings == (
        f"{RESOLVERS / 'Query.legacySearch.req.vtl'}: not used: Query.legacySearch has no generated resolver and no "
        "custom resolver (declare an AWS::AppSync::Resolver in stacks/CustomResources.json or [resolvers] in the config)",
    )


def test_env_and_conditions_follow_the_emulators_settings() -> None:
    dev = load_project(env="dev", api_id="shop")[0]
    assert dev.tables[0].name == "AuditTable-shop-dev"
    assert dev.data_sources["EchoLambda"].function_arn.endswith(":function:shopEcho-dev")
    no_env = load_project(env="NONE")[0]  # Amplify's "no environment": the condition picks the short name
    assert no_env.tables[0].name == "AuditTable-emulator"


def test_build_resolvers_decide_which_slot_files_replace_generated_steps(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    built = project / API_DIR / "build" / "resolvers"
    built.mkdir(parents=True)
    for name in ("Query.getProduct.auth.1.req.vtl", "Query.getProduct.req.vtl", "Mutation.createOrder.init.1.req.vtl"):
        (built / name).write_text("{}")
    (project / API_DIR / "resolvers" / "Query.getProduct.auth.1.req.vtl").write_text("{}")
    slots = {(s.slot, s.order): s.replaces_generated for s in load_project(project)[0].slots_for("Query", "getProduct")}
    assert slots == {("auth", 1): True, ("postAuth", 1): False}  # the build lists auth.1, not postAuth.1


def test_v1_projects_have_overrides_but_no_slots(tmp_path: Path) -> None:
    project = tmp_path / "notes"
    shutil.copytree(PROJECT.parent / "amplify-v1-legacy", project)
    resolvers = project / "amplify/backend/api/notesapi/resolvers"
    resolvers.mkdir()
    (resolvers / "Query.getNote.req.vtl").write_text('{"version": "2017-02-28", "operation": "GetItem"}')
    (resolvers / "Query.getNote.postAuth.1.req.vtl").write_text("{}")
    declared = load_project(project)[0]
    assert declared.override_for("Query", "getNote").request.text.startswith('{"version"')
    assert declared.slots == () and "slot files are a transformer v2 feature" in declared.warnings[0]


def _resource(name: str, properties: dict[str, Any], kind: str = "AWS::AppSync::Resolver") -> Any:
    def change(template: dict[str, Any]) -> None:
        template["Resources"][name] = {"Type": kind, "Properties": properties}
    return change


def _patch(name: str, **properties: Any) -> Any:
    def change(template: dict[str, Any]) -> None:
        template["Resources"][name]["Properties"].update(properties)
    return change


BROKEN = [
    (_patch("QueryEchoResolver", FieldName="shout"), "QueryEchoResolver", "type Query has no field 'shout'"),
    (_patch("QueryEchoResolver", DataSourceName="Ghost"), "QueryEchoResolver", "no data source named 'Ghost'"),
    (_patch("QueryEchoResolver", FieldName="getProduct"), "QueryEchoResolver", "Query.getProduct is generated by Amplify"),
    (_patch("QueryEchoResolver", RequestMappingTemplateS3Location="s3://my-bucket/templates/echo.vtl"),
     "QueryEchoResolver", "reads templates from the API folder only"),
    (_patch("QueryEchoResolver", RequestMappingTemplateS3Location={"Fn::Sub": [
        "s3://${S3DeploymentBucket}/${S3DeploymentRootKey}/resolvers/Query.shout.req.vtl",
        {"S3DeploymentBucket": {"Ref": "S3DeploymentBucket"}, "S3DeploymentRootKey": {"Ref": "S3DeploymentRootKey"}}]}),
     "QueryEchoResolver", "names resolvers/Query.shout.req.vtl, but"),
    (_patch("QueryServerTimeResolver", ResponseMappingTemplate=None), "QueryServerTimeResolver",
     "needs a request and a response template"),
    (_patch("QueryQuoteResolver", PipelineConfig={"Functions": ["abc123function"]}), "QueryQuoteResolver",
     "PipelineConfig.Functions names 'abc123function'"),
    (_patch("QueryAuditLogResolver", RequestMappingTemplate="{}"), "QueryAuditLogResolver", "has Code, not RequestMappingTemplate"),
    (_patch("ProductMirrorDataSource", DynamoDBConfig={"TableName": {"Fn::ImportValue": "shared-orders-table"}}),
     "ProductMirrorDataSource", "knows the API's own exports only"),
    (_patch("AuditTable", KeySchema=[{"AttributeName": "at", "KeyType": "RANGE"}]), "AuditTable", "KeySchema must be"),
    (_patch("AuditTable", AttributeDefinitions=[{"AttributeName": "day", "AttributeType": "S"}]), "AuditTable",
     "key attributes ['at', 'author'] are missing from AttributeDefinitions"),
    (_patch("WeatherHttpDataSource", HttpConfig={"Endpoint": {"Ref": "WeatherUrl"}}), "WeatherHttpDataSource",
     "Ref to 'WeatherUrl', which is neither a parameter nor a resource"),
    (_resource("SecondEcho", {"Name": "EchoLambda", "Type": "NONE"}, "AWS::AppSync::DataSource"), "SecondEcho",
     "a data source named 'EchoLambda' is already declared"),
    (_patch("QueryEchoResolver", Kind="BATCH"), "QueryEchoResolver", "Kind must be UNIT or PIPELINE"),
    (_patch("LocalNoneDataSource", Name={"Fn::GetAtt": ["LocalNoneDataSource", "Name"]}), "LocalNoneDataSource",
     "LocalNoneDataSource.Name refers to itself"),
]


@pytest.mark.parametrize(("change", "resource", "message"), BROKEN)
def test_broken_declarations_name_the_file_and_the_resource(tmp_path: Path, change: Any, resource: str, message: str) -> None:
    project = copy_project(tmp_path)
    stack = edit_stack(project, change)
    with pytest.raises(CustomResolverError) as raised:
        load_project(project)
    assert f"{stack}: resource {resource}" in str(raised.value)
    assert message in str(raised.value)


def test_broken_files_name_the_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / STACK).write_text('{"Resources": {')
    with pytest.raises(CustomResolverError, match=r"CustomResources\.json: not valid JSON"):
        load_project(project)
    project = copy_project(tmp_path / "again")
    slot = project / API_DIR / "resolvers" / "Query.getProduct.preUpdate.1.req.vtl"
    slot.write_text("{}")
    with pytest.raises(CustomResolverError) as raised:
        load_project(project)
    assert str(slot) in str(raised.value) and "'preUpdate' is not a slot of Query.getProduct" in str(raised.value)

