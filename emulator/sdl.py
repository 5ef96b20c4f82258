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
    prelude = [line for line in APPSYNC_PRELUDE.splitlines() if _declaration(line) not in sdl]
    return build_schema("\n".join(prelude) + "\n" + sdl, assume_valid_sdl=False)


def _declaration(prelude_line: str) -> str:
    """``scalar AWSDate`` / ``directive @aws_iam``: found in an SDL that declares it itself, whose own
    declaration then stands alone (graphql-core rejects a second one)."""
    keyword, name = prelude_line.split()[:2]
    return f"{keyword} {name.split('(')[0]}"
