"""One stack's resources as specs: what each AppSync/DynamoDB resource declares, and what a
``Ref``/``Fn::GetAtt`` of it evaluates to when another resource names it.

Errors name the stack file and the resource (``…/stacks/CustomResources.json: resource
QueryEchoResolver: …``) and say what to change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emulator.amplify.cfn import ACCOUNT_ID, CfnError, Stack, pseudo_parameters
from emulator.resolver_specs import (
    RUNNABLE_KINDS,
    CustomResolverError,
    DataSourceSpec,
    Handler,
    PipelineFunctionSpec,
    ResolverSpec,
    TableSpec,
    TemplateText,
)

if TYPE_CHECKING:
    from emulator.amplify.stacks import StackEnvironment

DEPLOYMENT_BUCKET = "appsync-emulator-deployment"
DEPLOYMENT_ROOT = "appsync-emulator-root"
_FUNCTION_TOKEN = "appsync-emulator-function:"
_MODEL_TABLE_EXPORT = re.compile(r"[^:]+:GetAtt:([A-Za-z_][A-Za-z0-9_]*)Table:Name")
_API_ID_EXPORT = re.compile(r"[^:]+:GetAtt:GraphQLAPI:ApiId")


def fixed_parameters(env: StackEnvironment, stack_name: str) -> dict[str, Any]:
    """The parameters Amplify passes every custom stack, and CloudFormation's pseudo parameters."""
    return {
        "AppSyncApiId": env.api_id,
        "AppSyncApiName": env.api_name,
        "env": env.env,
        "S3DeploymentBucket": DEPLOYMENT_BUCKET,
        "S3DeploymentRootKey": DEPLOYMENT_ROOT,
        **pseudo_parameters(env.region, f"{env.api_name}-{stack_name}"),
    }


class ResourceReader:
    """Reads the resources of one stack (``stack`` is set once the evaluator exists)."""

    def __init__(
        self,
        path: Path,
        env: StackEnvironment,
        resources: Mapping[str, Any],
        used_files: set[Path],
        warnings: list[str],
    ) -> None:
        self.path = path
        self.env = env
        self.resources = resources
        self.used_files = used_files
        self.warnings = warnings
        self.stack: Stack | None = None
        self._functions: dict[str, PipelineFunctionSpec] = {}
        self._evaluating: set[tuple[str, str]] = set()  # (resource, property): a cycle is an error

    # -- errors and evaluation ---------------------------------------------------------------

    def origin(self, name: str) -> str:
        return f"{self.path}: resource {name}"

    def fail(self, name: str, problem: str) -> CustomResolverError:
        return CustomResolverError(f"{self.origin(name)}: {problem}")

    def properties(self, name: str) -> dict[str, Any]:
        properties = self.resources[name].get("Properties") or {}
        if not isinstance(properties, dict):
            raise self.fail(name, "Properties must be an object")
        return properties

    def value(self, name: str, prop: str, *, required: bool = False) -> Any:
        raw = self.properties(name).get(prop)
        if raw is None:
            if required:
                raise self.fail(name, f"{prop} is required")
            return None
        assert self.stack is not None
        if (name, prop) in self._evaluating:
            raise CfnError(f"{name}.{prop} refers to itself")
        self._evaluating.add((name, prop))
        try:
            return self.stack.evaluate(raw)
        except CfnError as exc:
            raise self.fail(name, f"{prop}: {exc}") from exc
        finally:
            self._evaluating.discard((name, prop))

    def text(self, name: str, prop: str, *, required: bool = False) -> str | None:
        value = self.value(name, prop, required=required)
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise self.fail(name, f"{prop} must be a string, got {value!r}")
        return str(value)

    # -- Ref / Fn::GetAtt / Fn::ImportValue ---------------------------------------------------

    def _type(self, name: str) -> str:
        return str(self.resources[name].get("Type"))

    def ref(self, name: str) -> Any:
        kind = self._type(name)
        if kind == "AWS::DynamoDB::Table":
            return self.table_name(name)
        if kind == "AWS::Lambda::Function":
            return self.text(name, "FunctionName") or name
        if kind == "AWS::AppSync::DataSource":
            return f"arn:aws:appsync:{self.env.region}:{ACCOUNT_ID}:apis/{self.env.api_id}/datasources/{name}"
        if kind == "AWS::AppSync::FunctionConfiguration":
            return _FUNCTION_TOKEN + name
        return name

    def get_att(self, name: str, attribute: str) -> Any:
        kind = self._type(name)
        region, account = self.env.region, ACCOUNT_ID
        if kind == "AWS::AppSync::DataSource" and attribute == "Name":
            return self.text(name, "Name", required=True)
        if kind == "AWS::AppSync::FunctionConfiguration" and attribute in ("FunctionId", "FunctionArn"):
            return _FUNCTION_TOKEN + name
        if kind == "AWS::AppSync::FunctionConfiguration" and attribute == "Name":
            return self.text(name, "Name", required=True)
        if kind == "AWS::DynamoDB::Table" and attribute in ("Arn", "StreamArn"):
            arn = f"arn:aws:dynamodb:{region}:{account}:table/{self.table_name(name)}"
            return arn if attribute == "Arn" else f"{arn}/stream/local"
        if kind == "AWS::Lambda::Function" and attribute == "Arn":
            return f"arn:aws:lambda:{region}:{account}:function:{self.ref(name)}"
        if kind == "AWS::IAM::Role" and attribute == "Arn":
            return f"arn:aws:iam::{account}:role/{name}"
        raise CfnError(f"Fn::GetAtt {name}.{attribute} ({kind}) is not something the emulator can evaluate")

    def import_value(self, export: str) -> Any:
        model = _MODEL_TABLE_EXPORT.fullmatch(export)
        if model and model.group(1) in self.env.model_tables:
            return self.env.model_tables[model.group(1)]
        if _API_ID_EXPORT.fullmatch(export):
            return self.env.api_id
        raise CfnError(
            f"Fn::ImportValue {export!r}: the emulator knows the API's own exports only "
            "('<AppSyncApiId>:GetAtt:<Model>Table:Name' and '<AppSyncApiId>:GetAtt:GraphQLAPI:ApiId')"
        )

    # -- DynamoDB tables ----------------------------------------------------------------------

    def table_name(self, name: str) -> str:
        return self.text(name, "TableName") or name

    def table(self, name: str) -> TableSpec:
        table_name = self.table_name(name)
        key_schema = self._key_schema(name, self.value(name, "KeySchema", required=True), "KeySchema")
        attributes = self.value(name, "AttributeDefinitions", required=True)
        if not isinstance(attributes, list) or not all(
            isinstance(a, dict) and isinstance(a.get("AttributeName"), str) and a.get("AttributeType") in ("S", "N", "B")
            for a in attributes
        ):
            raise self.fail(name, "AttributeDefinitions must be a list of {AttributeName, AttributeType: S|N|B}")
        definition: dict[str, Any] = {
            "TableName": table_name,
            "KeySchema": key_schema,
            "AttributeDefinitions": [{"AttributeName": a["AttributeName"], "AttributeType": a["AttributeType"]}
                                     for a in attributes],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        }
        for prop in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            indexes = self.value(name, prop)
            if indexes:
                definition[prop] = [self._index(name, prop, index) for index in indexes]
        declared = {a["AttributeName"] for a in attributes}
        used = {part["AttributeName"] for part in key_schema} | {
            part["AttributeName"] for prop in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
            for index in definition.get(prop, []) for part in index["KeySchema"]
        }
        if used - declared:
            raise self.fail(name, f"key attributes {sorted(used - declared)} are missing from AttributeDefinitions")
        return TableSpec(table_name, definition, self.origin(name))

    def _key_schema(self, name: str, value: Any, where: str) -> list[dict[str, str]]:
        if not isinstance(value, list) or not 1 <= len(value) <= 2 or not all(
            isinstance(p, dict) and isinstance(p.get("AttributeName"), str) and p.get("KeyType") in ("HASH", "RANGE")
            for p in value
        ) or value[0].get("KeyType") != "HASH":
            raise self.fail(name, f"{where} must be [{{AttributeName, KeyType: HASH}}] plus an optional RANGE part")
        return [{"AttributeName": p["AttributeName"], "KeyType": p["KeyType"]} for p in value]

    def _index(self, name: str, prop: str, index: Any) -> dict[str, Any]:
        if not isinstance(index, dict) or not isinstance(index.get("IndexName"), str):
            raise self.fail(name, f"each of {prop} needs an IndexName")
        projection = index.get("Projection") or {"ProjectionType": "ALL"}
        return {
            "IndexName": index["IndexName"],
            "KeySchema": self._key_schema(name, index.get("KeySchema"), f"{prop} {index['IndexName']}: KeySchema"),
            "Projection": projection,
        }

    # -- data sources -------------------------------------------------------------------------

    def data_source(self, name: str) -> DataSourceSpec:
        source_name = self.text(name, "Name", required=True) or ""
        kind = self.text(name, "Type", required=True) or ""
        origin = self.origin(name)
        if kind == "AMAZON_DYNAMODB":
            config = self._config(name, "DynamoDBConfig")
            table = _text(config.get("TableName"))
            if not table:
                raise self.fail(name, "DynamoDBConfig.TableName is required")
            if config.get("Versioned") in (True, "true"):
                self.warnings.append(f"{origin}: a versioned data source (DataStore conflict detection) runs unversioned")
            model = next((m for m, t in self.env.model_tables.items() if t == table), None)
            return DataSourceSpec(source_name, kind, origin, table=table, model=model)
        if kind == "AWS_LAMBDA":
            arn = _text(self._config(name, "LambdaConfig").get("LambdaFunctionArn"))
            if not arn:
                raise self.fail(name, "LambdaConfig.LambdaFunctionArn is required")
            return DataSourceSpec(source_name, kind, origin, function_name=self._function_name(name, arn), function_arn=arn)
        if kind == "HTTP":
            endpoint = _text(self._config(name, "HttpConfig").get("Endpoint"))
            if not endpoint or not endpoint.startswith(("http://", "https://")):
                raise self.fail(name, f"HttpConfig.Endpoint must be an http(s) URL, got {endpoint!r}")
            return DataSourceSpec(source_name, kind, origin, endpoint=endpoint)
        if kind not in RUNNABLE_KINDS:
            self.warnings.append(f"{origin}: data source {source_name} is of type {kind}, which the emulator does not "
                                 "run; resolvers using it answer with an error")
        return DataSourceSpec(source_name, kind, origin)

    def _config(self, name: str, prop: str) -> dict[str, Any]:
        config = self.value(name, prop, required=True)
        if not isinstance(config, dict):
            raise self.fail(name, f"{prop} must be an object")
        return config

    def _function_name(self, name: str, arn: str) -> str:
        """The project function an ARN names (the longest project function name in it, as
        ``amplify mock`` matches them), else the ARN's function name."""
        function = arn.split(":function:", 1)[-1].split(":", 1)[0]
        matches = [candidate for candidate in self.env.functions if candidate in function]
        if matches:
            return max(matches, key=len)
        self.warnings.append(
            f"{self.origin(name)}: the Lambda function {function!r} is not one of the project's functions "
            f"(amplify/backend/function/); calls go to a function named {function!r}"
        )
        return function

    # -- functions and resolvers --------------------------------------------------------------

    def function(self, name: str) -> PipelineFunctionSpec:
        if name not in self._functions:
            self._functions[name] = PipelineFunctionSpec(
                name=self.text(name, "Name", required=True) or name,
                data_source=self.text(name, "DataSourceName", required=True) or "",
                handler=self.handler(name),
                origin=self.origin(name),
                max_batch_size=self._batch_size(name),
            )
        return self._functions[name]

    def resolver(self, name: str) -> ResolverSpec:
        type_name = self.text(name, "TypeName", required=True) or ""
        field_name = self.text(name, "FieldName", required=True) or ""
        kind = (self.text(name, "Kind") or "UNIT").upper()
        handler = self.handler(name)
        if kind == "PIPELINE":
            config = self.value(name, "PipelineConfig") or {}
            references = config.get("Functions") if isinstance(config, dict) else None
            if not isinstance(references, list):
                raise self.fail(name, "a PIPELINE resolver needs PipelineConfig.Functions (a list)")
            functions = tuple(self._pipeline_function(name, reference) for reference in references)
            return ResolverSpec(type_name, field_name, "PIPELINE", handler, self.origin(name),
                                functions=functions, max_batch_size=self._batch_size(name))
        if kind != "UNIT":
            raise self.fail(name, f"Kind must be UNIT or PIPELINE, got {kind!r}")
        data_source = self.text(name, "DataSourceName", required=True)
        return ResolverSpec(type_name, field_name, "UNIT", handler, self.origin(name), data_source=data_source,
                            max_batch_size=self._batch_size(name))

    def _pipeline_function(self, name: str, reference: Any) -> PipelineFunctionSpec:
        if isinstance(reference, str) and reference.startswith(_FUNCTION_TOKEN):
            logical = reference[len(_FUNCTION_TOKEN):]
            if self._type(logical) == "AWS::AppSync::FunctionConfiguration":
                return self.function(logical)
        raise self.fail(
            name,
            f"PipelineConfig.Functions names {reference!r}; name each function with "
            "{\"Fn::GetAtt\": [\"<FunctionConfiguration resource>\", \"FunctionId\"]} of this stack",
        )

    def _batch_size(self, name: str) -> int | None:
        size = self.value(name, "MaxBatchSize")
        if size is None:
            return None
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= 2000:
            raise self.fail(name, f"MaxBatchSize must be an integer from 0 to 2000, got {size!r}")
        return size

    def handler(self, name: str) -> Handler:
        """The templates or code of a resolver or function."""
        runtime = self.value(name, "Runtime")
        runtime_name = runtime.get("Name") if isinstance(runtime, dict) else runtime
        if runtime_name is not None and runtime_name != "APPSYNC_JS":
            raise self.fail(name, f"Runtime.Name must be APPSYNC_JS (or no Runtime, for VTL), got {runtime_name!r}")
        if runtime_name == "APPSYNC_JS":
            for prop in ("RequestMappingTemplate", "RequestMappingTemplateS3Location",
                         "ResponseMappingTemplate", "ResponseMappingTemplateS3Location"):
                if prop in self.properties(name):
                    raise self.fail(name, f"an APPSYNC_JS resolver has Code, not {prop}")
            code = self._template(name, "Code", "CodeS3Location")
            if code is None:
                raise self.fail(name, "an APPSYNC_JS resolver needs Code or CodeS3Location")
            return Handler("APPSYNC_JS", code=code)
        for prop in ("Code", "CodeS3Location"):
            if prop in self.properties(name):
                raise self.fail(name, f"{prop} needs Runtime {{\"Name\": \"APPSYNC_JS\", \"RuntimeVersion\": \"1.0.0\"}}")
        return Handler(
            "VTL",
            request=self._template(name, "RequestMappingTemplate", "RequestMappingTemplateS3Location"),
            response=self._template(name, "ResponseMappingTemplate", "ResponseMappingTemplateS3Location"),
        )

    def _template(self, name: str, inline: str, location: str) -> TemplateText | None:
        text = self.text(name, inline)
        s3 = self.text(name, location)
        if text is not None and s3 is not None:
            raise self.fail(name, f"give {inline} or {location}, not both")
        if text is not None:
            return TemplateText(text, None, f"{self.origin(name)} ({inline})")
        if s3 is None:
            return None
        path = self._deployed_file(name, location, s3)
        self.used_files.add(path)
        try:
            return TemplateText(path.read_text(encoding="utf-8"), path, f"{self.origin(name)} ({location})")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.fail(name, f"{location}: cannot read {path}: {exc}") from exc

    def _deployed_file(self, name: str, prop: str, location: str) -> Path:
        prefix = f"s3://{DEPLOYMENT_BUCKET}/{DEPLOYMENT_ROOT}/"
        if not location.startswith(prefix):
            raise self.fail(
                name,
                f"{prop} is {location!r}; the emulator reads templates from the API folder only: use "
                "{\"Fn::Sub\": [\"s3://${S3DeploymentBucket}/${S3DeploymentRootKey}/resolvers/<file>\", {...}]} "
                f"and put the file in {self.env.api_dir / 'resolvers'}",
            )
        relative = location[len(prefix):]
        path = (self.env.api_dir / relative).resolve()
        if not path.is_relative_to(self.env.api_dir.resolve()):
            raise self.fail(name, f"{prop} {location!r} points outside the API folder")
        if not path.is_file():
            raise self.fail(name, f"{prop} names {relative}, but {path} does not exist")
        return path


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
