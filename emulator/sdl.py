"""AppSync's built-in schema vocabulary, which AppSync schemas use without declaring.

AppSync provides the AWS scalars and the ``@aws_*`` directives implicitly; graphql-core needs them
declared. ``build_appsync_schema`` adds exactly those declarations to an AppSync SDL (such as the
transform's output or a golden file) and builds a schema with no resolvers bound.
"""

from __future__ import annotations

from graphql import GraphQLSchema, build_schema

AWS_SCALARS = (
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)

APPSYNC_PRELUDE = "\n".join(
    [*(f"scalar {name}" for name in AWS_SCALARS),
     "directive @aws_api_key on FIELD_DEFINITION | OBJECT",
     "directive @aws_iam on FIELD_DEFINITION | OBJECT",
     "directive @aws_oidc on FIELD_DEFINITION | OBJECT",
     "directive @aws_lambda on FIELD_DEFINITION | OBJECT",
     "directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT",
     "directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION",
     "directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION",
     "directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION",
     ""]
)


def build_appsync_schema(sdl: str) -> GraphQLSchema:
    """Build a resolver-less schema from AppSync SDL, declaring AppSync's implicit vocabulary."""
    declared = {name for name in AWS_SCALARS if f"scalar {name}" in sdl}
    prelude = "\n".join(line for line in APPSYNC_PRELUDE.splitlines()
                        if not (line.startswith("scalar ") and line.split()[1] in declared)
                        and not (line.startswith("directive @") and line.split()[1].split("(")[0] in sdl
                                 and f"directive {line.split()[1].split('(')[0]}" in sdl))
    return build_schema(prelude + "\n" + sdl, assume_valid_sdl=False)
