"""Reading a Gen 1 project's functions (``emulator.amplify.functions``) and evaluating their
templates' intrinsics locally (``emulator.amplify.cfn``)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from emulator.amplify.cfn import CfnError
from emulator.amplify.files import AmplifyProjectError
from emulator.amplify.functions import ApiOutputs, function_stack, project_functions, read_dotenv
from emulator.resolvers.functions import StreamTrigger
from emulator.resolvers.functions.environment import GRAPHQL_ENDPOINT_TOKEN
from tests.paths import ROOT

PROJECT = ROOT / "tests" / "fixtures" / "amplify-functions"
OUTPUTS = ApiOutputs("fnapi", "apiid", "da2-key", "local", "us-east-1", lambda model: f"{model}-apiid-local")


def test_every_node_and_python_function_is_found_and_layers_are_not() -> None:
    specs = {spec.name: spec for spec in project_functions(PROJECT, OUTPUTS)}
    assert sorted(specs) == ["echofn", "fnapiAuthorizer", "todoaudit"]
    echo = specs["echofn"]
    assert (echo.runtime, echo.runtime_name, echo.export, echo.timeout_seconds) == ("node", "nodejs18.x", "handler", 7.0)
    assert echo.handler_file == (PROJECT / "amplify/backend/function/echofn/src/index.js").resolve()
    assert echo.task_root == (PROJECT / "amplify/backend/function/echofn/src").resolve()
    audit = specs["todoaudit"]
    assert (audit.runtime, audit.handler_file.name, audit.timeout_seconds) == ("python", "index.py", 25.0)
    assert audit.triggers == (StreamTrigger("Todo", batch_size=100, starting_position="LATEST"),)
    assert audit.environment["API_FNAPI_AUDITTABLE_NAME"] == "Audit-apiid-local"


def test_the_environment_is_resolved_locally_with_the_env_file_on_top(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        echo = next(s for s in project_functions(PROJECT, OUTPUTS) if s.name == "echofn")
    assert dict(echo.environment) == {
        "ENV": "local",
        "REGION": "us-east-1",
        "GREETING": "hello from team-provider-info",
        "API_FNAPI_GRAPHQLAPIIDOUTPUT": "apiid",
        "API_FNAPI_GRAPHQLAPIENDPOINTOUTPUT": GRAPHQL_ENDPOINT_TOKEN,
        "API_FNAPI_GRAPHQLAPIKEYOUTPUT": "da2-key",
        "API_FNAPI_TODOTABLE_NAME": "Todo-apiid-local",
        "API_FNAPI_TODOTABLE_ARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Todo-apiid-local",
        "ROLE_ARN": "arn:aws:iam::123456789012:role/LambdaExecutionRole",
        "DOTENV_VALUE": "from the function's .env",
    }
    assert "environment variable FROM_SSM left out" in caplog.text


def copy_project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "app")
    return tmp_path / "app"


def test_other_runtimes_are_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path)
    template = project / "amplify/backend/function/echofn/echofn-cloudformation-template.json"
    document = json.loads(template.read_text())
    document["Resources"]["LambdaFunction"]["Properties"]["Runtime"] = "java11"
    template.write_text(json.dumps(document))
    with caplog.at_level(logging.WARNING):
        names = [spec.name for spec in project_functions(project, OUTPUTS)]
    assert "echofn" not in names
    assert "uses runtime 'java11', which the emulator does not run" in caplog.text


def test_a_handler_file_that_is_not_there_stops_the_start_naming_the_function(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "amplify/backend/function/echofn/src/index.js").rename(project / "amplify/backend/function/echofn/src/main.js")
    with pytest.raises(AmplifyProjectError) as failed:
        project_functions(project, OUTPUTS)
    assert "function echofn: Handler 'index.handler': no index{.js/.mjs/.cjs/.ts/.mts/.cts} in" in str(failed.value)


def test_dotenv_lines(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text('# comment\nA=1\nexport B="two words"\nC=\'q\'\nD=plain # trailing\n\nnot a line\n')
    assert read_dotenv(path) == {"A": "1", "B": "two words", "C": "q", "D": "plain"}


TEMPLATE = function_stack(
    {"Parameters": {"p": {"Type": "String", "Default": "dflt"}},
     "Conditions": {"IsDev": {"Fn::Equals": [{"Ref": "env"}, "dev"]}, "NotDev": {"Fn::Not": [{"Condition": "IsDev"}]}},
     "Resources": {"Role": {"Type": "AWS::IAM::Role"}, "Fn": {"Type": "AWS::Lambda::Function"}}},
    {"env": "dev", "apiX": "api1"}, "myfn",
    ApiOutputs(api_name="x", api_id="id", api_key=None, env="dev", region="eu-west-1", table_name=lambda model: f"{model}-T"),
)


@pytest.mark.parametrize(("node", "value"), [
    ({"Ref": "env"}, "dev"),
    ({"Ref": "p"}, "dflt"),
    ({"Ref": "AWS::Region"}, "eu-west-1"),
    ({"Ref": "Fn"}, "myfn"),
    ({"Fn::Join": ["-", ["a", {"Ref": "env"}]]}, "a-dev"),
    ({"Fn::Sub": "${apiX}:${AWS::AccountId}:${!Literal}"}, "api1:123456789012:${Literal}"),
    ({"Fn::Sub": ["${a}/${Role.Arn}", {"a": {"Ref": "env"}}]}, "dev/arn:aws:iam::123456789012:role/Role"),
    ({"Fn::If": ["NotDev", "prod-ish", "dev-ish"]}, "dev-ish"),
    ({"Fn::Select": [1, {"Fn::Split": [",", "x,y,z"]}]}, "y"),
    ({"Fn::GetAtt": ["Fn", "Arn"]}, "arn:aws:lambda:eu-west-1:123456789012:function:myfn"),
    ({"Fn::ImportValue": {"Fn::Sub": "${apiX}:GetAtt:PostTable:Name"}}, "Post-T"),
    ({"Fn::ImportValue": "api1:GetAtt:PostTable:StreamArn"},
     "arn:aws:dynamodb:eu-west-1:123456789012:table/Post-T/stream/appsync-emulator"),
])
def test_intrinsics_have_local_values(node: object, value: str) -> None:
    assert TEMPLATE.text(node, "the value") == value


@pytest.mark.parametrize("node", [{"Ref": "nowhere"}, {"Fn::ImportValue": "other-stack-output"},
                                  {"Fn::GetAtt": ["Role", "RoleId"]}, {"Fn::If": ["Missing", "a", "b"]}])
def test_what_has_no_local_value_is_unresolved(node: object) -> None:
    with pytest.raises(CfnError):
        TEMPLATE.text(node, "the value")
