"""The Amplify directive vocabulary of each transformer version, as GraphQL definitions.

Validating the user's SDL against these definitions (graphql-core's SDL rules) gives graphql-js's
own messages for unknown directives and arguments, and lets directive arguments be coerced to
Python values with their declared types (a single string where a list is declared becomes a list,
as in GraphQL input coercion).
"""

from __future__ import annotations

from functools import cache

from graphql import GraphQLSchema, build_schema

from emulator.apimodel import TransformerVersion
from emulator.sdl import AWS_SCALARS

#: Directives that only exist in one version; a schema forced to the other version rejects them.
V1_ONLY_DIRECTIVES = ("connection", "key", "versioned")
V2_ONLY_DIRECTIVES = ("primaryKey", "index", "hasMany", "hasOne", "belongsTo", "manyToMany", "default")

#: Directives the transform consumes; they never reach the AppSync schema.
AMPLIFY_DIRECTIVES = frozenset(
    {*V1_ONLY_DIRECTIVES, *V2_ONLY_DIRECTIVES, "model", "auth", "searchable", "function", "http", "predictions",
     "mapsTo", "refersTo", "sql", "validate", "generation", "conversation"}
)

_APPSYNC = """
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
"""

_COMMON = """
input ModelQueryMap { get: String list: String }
input ModelMutationMap { create: String update: String delete: String }
input ModelSubscriptionMap { onCreate: [String] onUpdate: [String] onDelete: [String] level: ModelSubscriptionLevel }
enum ModelSubscriptionLevel { off public on }
input TimestampConfiguration { createdAt: String updatedAt: String }
directive @model(queries: ModelQueryMap, mutations: ModelMutationMap, subscriptions: ModelSubscriptionMap,
                 timestamps: TimestampConfiguration) on OBJECT
directive @searchable(queries: SearchableQueryMap) on OBJECT
input SearchableQueryMap { search: String }
directive @function(name: String!, region: String, accountId: String, invocationType: InvocationType = RequestResponse)
  repeatable on FIELD_DEFINITION
enum InvocationType { RequestResponse Event }
directive @http(method: HttpMethod = GET, url: String!, headers: [HttpHeader] = []) on FIELD_DEFINITION
enum HttpMethod { GET POST PUT DELETE PATCH }
input HttpHeader { key: String value: String }
directive @predictions(actions: [PredictionsActions!]!) on FIELD_DEFINITION
enum PredictionsActions { identifyText identifyLabels convertTextToSpeech translateText }
"""

_V2 = """
directive @primaryKey(sortKeyFields: [String]) on FIELD_DEFINITION
directive @index(name: String, sortKeyFields: [String], queryField: String) repeatable on FIELD_DEFINITION
directive @hasMany(indexName: String, fields: [String!], references: [String!], limit: Int = 100) on FIELD_DEFINITION
directive @hasOne(fields: [String!], references: [String!]) on FIELD_DEFINITION
directive @belongsTo(fields: [String!], references: [String!], overrideIndexName: String) on FIELD_DEFINITION
directive @manyToMany(relationName: String!, limit: Int = 100) on FIELD_DEFINITION
directive @default(value: String) on FIELD_DEFINITION
directive @mapsTo(name: String!) on OBJECT
directive @refersTo(name: String!) on OBJECT | FIELD_DEFINITION
directive @auth(rules: [AuthRule!]!) on OBJECT | FIELD_DEFINITION
input AuthRule {
  allow: AuthStrategy!
  provider: AuthProvider
  identityClaim: String
  groupClaim: String
  ownerField: String
  groupsField: String
  groups: [String]
  operations: [ModelOperation]
}
enum AuthStrategy { owner groups private public custom }
enum AuthProvider { apiKey iam identityPool oidc userPools function }
enum ModelOperation { create update delete read list get sync listen search }
"""

_V1 = """
directive @key(name: String, fields: [String!]!, queryField: String) repeatable on OBJECT
directive @connection(name: String, keyField: String, sortField: String, keyName: String, limit: Int,
                      fields: [String!]) on FIELD_DEFINITION
directive @versioned(versionField: String = "version", versionInput: String = "expectedVersion") on OBJECT
directive @auth(rules: [AuthRule!]!) on OBJECT | FIELD_DEFINITION
input AuthRule {
  allow: AuthStrategy!
  provider: AuthProvider
  ownerField: String
  identityField: String
  identityClaim: String
  groupsField: String
  groupClaim: String
  groups: [String]
  operations: [ModelOperation]
  queries: [ModelQuery]
  mutations: [ModelMutation]
}
enum AuthStrategy { owner groups private public }
enum AuthProvider { apiKey iam oidc userPools }
enum ModelOperation { create update delete read }
enum ModelQuery { get list }
enum ModelMutation { create update delete }
"""


@cache
def vocabulary_schema(version: TransformerVersion) -> GraphQLSchema:
    """A schema declaring exactly the directives (and their input types) ``version`` understands."""
    scalars = "\n".join(f"scalar {name}" for name in AWS_SCALARS)
    body = _V2 if version == "v2" else _V1
    return build_schema("\n".join([scalars, _APPSYNC, _COMMON, body]))
