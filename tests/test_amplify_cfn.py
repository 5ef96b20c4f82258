"""The CloudFormation intrinsics custom stacks use, evaluated against the emulator's parameters."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.amplify.cfn import CfnError, ResourceLookup, Stack

TEMPLATE = {
    "Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table"},
        "Role": {"Type": "AWS::IAM::Role"},
    },
    "Conditions": {
        "HasEnvironmentParameter": {"Fn::Not": [{"Fn::Equals": [{"Ref": "env"}, "NONE"]}]},
        "IsProd": {"Fn::Equals": [{"Ref": "env"}, "prod"]},
        "ProdWithEnv": {"Fn::And": [{"Condition": "HasEnvironmentParameter"}, {"Condition": "IsProd"}]},
        "EitherOne": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "HasEnvironmentParameter"}]},
        "Loop": {"Fn::Not": [{"Condition": "Loop"}]},
    },
    "Mappings": {"Sizes": {"dev": {"Limit": "10"}}},
}


def stack(env: str = "dev") -> Stack:
    lookup = ResourceLookup(
        ref=lambda name: f"{name}-physical",
        get_att=lambda name, attribute: f"{name}.{attribute}-value",
        import_value=lambda export: f"imported({export})",
    )
    return Stack(TEMPLATE, {"env": env, "AppSyncApiId": "api1", "AWS::Region": "us-east-1"}, lookup)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"Ref": "env"}, "dev"),
        ({"Ref": "Table"}, "Table-physical"),
        ({"Fn::Sub": "arn:${AWS::Region}:${AppSyncApiId}/${Table}/${Role.Arn}/${!Literal}"},
         "arn:us-east-1:api1/Table-physical/Role.Arn-value/${Literal}"),
        ({"Fn::Sub": ["fn-${name}-${env}", {"name": {"Fn::Join": ["", ["a", "b"]]}}]}, "fn-ab-dev"),
        ({"Fn::Join": ["-", ["t", {"Ref": "env"}]]}, "t-dev"),
        ({"Fn::GetAtt": ["Table", "Arn"]}, "Table.Arn-value"),
        ({"Fn::GetAtt": "Role.Arn"}, "Role.Arn-value"),
        ({"Fn::If": ["HasEnvironmentParameter", "with-env", "without"]}, "with-env"),
        ({"Fn::If": ["ProdWithEnv", "prod", "not-prod"]}, "not-prod"),
        ({"Fn::If": ["EitherOne", "yes", "no"]}, "yes"),
        ({"Fn::ImportValue": {"Fn::Sub": "${AppSyncApiId}:GetAtt:PostTable:Name"}}, "imported(api1:GetAtt:PostTable:Name)"),
        ({"Fn::Select": [1, {"Fn::Split": [":", "a:b:c"]}]}, "b"),
        ({"Fn::FindInMap": ["Sizes", {"Ref": "env"}, "Limit"]}, "10"),
        ({"Fn::Base64": "hi"}, "aGk="),
        ({"Name": "x", "Tags": [{"Ref": "AWS::NoValue"}, "kept"], "Gone": {"Ref": "AWS::NoValue"}}, {"Name": "x", "Tags": ["kept"]}),
    ],
)
def test_intrinsics(expression: Any, expected: Any) -> None:
    assert stack().evaluate(expression) == expected


def test_conditions_follow_the_parameters() -> None:
    assert stack("NONE").evaluate({"Fn::If": ["HasEnvironmentParameter", "with-env", "without"]}) == "without"
    assert stack("prod").evaluate({"Fn::If": ["ProdWithEnv", "prod", "not-prod"]}) == "prod"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ({"Ref": "Nope"}, "Ref to 'Nope', which is neither a parameter nor a resource"),
        ({"Fn::If": ["Missing", 1, 2]}, "unknown condition 'Missing'"),
        ({"Fn::If": ["Loop", 1, 2]}, "condition 'Loop' depends on itself"),
        ({"Fn::GetAtt": ["Ghost", "Arn"]}, "Fn::GetAtt of 'Ghost', which is not a resource"),
        ({"Fn::Join": ["-", "not-a-list"]}, "Fn::Join needs a list"),
        ({"Fn::Sub": ["${x}", {"x": ["a"]}]}, "Fn::Sub variable ${x} is not a string"),
        ({"Fn::Select": [5, ["a"]]}, "Fn::Select index 5"),
        ({"Fn::FindInMap": ["Sizes", "prod", "Limit"]}, "no Sizes/prod/Limit"),
    ],
)
def test_expressions_the_emulator_cannot_evaluate_say_why(expression: Any, message: str) -> None:
    with pytest.raises(CfnError, match=message.replace("$", r"\$").replace("{", r"\{").replace("}", r"\}")):
        stack().evaluate(expression)
