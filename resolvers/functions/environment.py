"""The environment a function runs with: Lambda's variables, the API's outputs as Amplify wires
them, this emulator's endpoints, and one of the emulator's IAM key pairs as credentials.

Built from scratch for each runner: the emulator's own environment is passed on (``PATH``,
``HOME`` …) without any ``AWS_*`` variable, and the shared AWS config and credential files are
pointed at nothing, so a function can never use the developer's own AWS credentials and reach
the cloud by accident. Then, lowest first:

1. Lambda's basics (``AWS_LAMBDA_FUNCTION_NAME``, ``_HANDLER``, ``LAMBDA_TASK_ROOT``, ``TZ`` …);
2. what Amplify gives a Gen 1 function with API access: ``ENV``, ``REGION``,
   ``API_<APINAME>_GRAPHQLAPIENDPOINTOUTPUT`` / ``…IDOUTPUT`` / ``…KEYOUTPUT`` and
   ``API_<APINAME>_<MODEL>TABLE_NAME``, plus ``AWS_ENDPOINT_URL_DYNAMODB`` (this emulator's
   DynamoDB API, so the AWS SDKs reach the API's tables);
3. the function's own variables (its template's ``Environment.Variables``, its ``.env``, the
   config's ``environment``), which may override the above;
4. what Lambda reserves and a function cannot set: ``AWS_REGION``, the credentials (the
   function's own key pair when it has one, as each Gen 2 function has).

Values known only once the server listens (its URL, when started on port 0) are written by
readers as ``GRAPHQL_ENDPOINT_TOKEN`` and ``BASE_URL_TOKEN`` and filled in here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from emulator.resolvers.functions.spec import FunctionSpec

GRAPHQL_ENDPOINT_TOKEN = "{{appsync-emulator:graphql-endpoint}}"
BASE_URL_TOKEN = "{{appsync-emulator:base-url}}"


@dataclass(frozen=True)
class FunctionCredentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None


@dataclass(frozen=True)
class FunctionEnvironment:
    """What every function of one API generation shares."""

    api_name: str  # the ``<APINAME>`` of Amplify's variables: the Gen 1 API's name, else the api_id
    api_id: str
    env: str
    region: str
    credentials: FunctionCredentials
    api_key: str | None = None
    tables: Mapping[str, str] = field(default_factory=dict)  # model -> table name
    dynamodb_endpoint: str | None = None  # an external engine; None: this emulator's own port
    account_id: str = "123456789012"
    # functions with key pairs of their own (Gen 2: one per function); the others get ``credentials``
    function_credentials: Mapping[str, FunctionCredentials] = field(default_factory=dict)

    def variables(self, spec: FunctionSpec, base_url: str) -> dict[str, str]:
        """The whole environment of a runner of ``spec`` on a server listening at ``base_url``."""
        graphql_endpoint = f"{base_url}/graphql"
        prefix = "API_" + re.sub(r"[^A-Za-z0-9]", "", self.api_name).upper()
        variables = {k: v for k, v in os.environ.items() if not k.upper().startswith("AWS_")}
        variables.update({
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime_name or spec.runtime}",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": "appsync-emulator",
            "LAMBDA_TASK_ROOT": str(spec.task_root),
            "TZ": "UTC",
            "PYTHONUNBUFFERED": "1",
            "ENV": self.env,
            "REGION": self.region,
            f"{prefix}_GRAPHQLAPIENDPOINTOUTPUT": graphql_endpoint,
            f"{prefix}_GRAPHQLAPIIDOUTPUT": self.api_id,
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb_endpoint or base_url,
        })
        if self.api_key:
            variables[f"{prefix}_GRAPHQLAPIKEYOUTPUT"] = self.api_key
        for model, table in self.tables.items():
            variables[f"{prefix}_{model.upper()}TABLE_NAME"] = table
        for name, value in spec.environment.items():
            variables[name] = value.replace(GRAPHQL_ENDPOINT_TOKEN, graphql_endpoint).replace(BASE_URL_TOKEN, base_url)
        credentials = self.function_credentials.get(spec.name, self.credentials)
        variables.update({
            "_HANDLER": spec.handler,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_ACCESS_KEY_ID": credentials.access_key_id,
            "AWS_SECRET_ACCESS_KEY": credentials.secret_access_key,
        })
        if credentials.session_token:
            variables["AWS_SESSION_TOKEN"] = credentials.session_token
        else:
            variables.pop("AWS_SESSION_TOKEN", None)
        return variables
