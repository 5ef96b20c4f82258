// Runs Amplify's own v1 GraphQL transformer (graphql-transformer-core and its transformers, pinned
// in package.json) the way the Gen1 CLI does, on a list of jobs read as JSON from stdin; prints one
// JSON result per job ({name, schema} or {name, error}) as a JSON array on stdout.
// Driven by scripts/conformance.py; see tests/fixtures/conformance/README.md.
'use strict';

const { GraphQLTransform } = require('graphql-transformer-core');
const { DynamoDBModelTransformer } = require('graphql-dynamodb-transformer');
const { VersionedModelTransformer } = require('graphql-versioned-transformer');
const { FunctionTransformer } = require('graphql-function-transformer');
const { HttpTransformer } = require('graphql-http-transformer');
const { KeyTransformer } = require('graphql-key-transformer');
const { ModelConnectionTransformer } = require('graphql-connection-transformer');
const { PredictionsTransformer } = require('graphql-predictions-transformer');
const { SearchableModelTransformer } = require('graphql-elasticsearch-transformer');
const { ModelAuthTransformer } = require('graphql-auth-transformer');

// The CLI's graphQLTransformer flags with their new-project defaults (amplify-cli-core featureFlags.js);
// a job's flags (lower-cased names, as in amplify/cli.json) override them.
const NEW_PROJECT_DEFAULTS = {
  addmissingownerfields: true,
  improvepluralization: false,
  validatetypenamereservedwords: true,
  enableiterativegsiupdates: true,
  secondarykeyasgsi: true,
  skipoverridemutationinputtypes: true,
};

class FlagProvider {
  constructor(flags) {
    this.flags = { ...NEW_PROJECT_DEFAULTS, ...flags };
  }
  getBoolean(name, fallback) {
    const value = this.flags[name.toLowerCase()];
    if (typeof value === 'boolean') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`No value found for feature ${name}`);
  }
  getNumber(name, fallback) {
    return this.getBoolean(name, fallback);
  }
  getObject() {
    throw new Error('Not implemented');
  }
}

// transform-graphql-schema.ts (v1): the transformer list, @searchable only when used, auth last.
function transformers(job) {
  const list = [
    new DynamoDBModelTransformer(),
    new VersionedModelTransformer(),
    new FunctionTransformer(),
    new HttpTransformer(),
    new KeyTransformer(),
    new ModelConnectionTransformer(),
    new PredictionsTransformer({}),
  ];
  if (/@searchable\b/.test(job.schema)) list.push(new SearchableModelTransformer());
  list.push(new ModelAuthTransformer({ authConfig: job.authConfig, addAwsIamAuthInOutputSchema: false }));
  return list;
}

function runJob(job) {
  const transform = new GraphQLTransform({
    transformers: transformers(job),
    featureFlags: new FlagProvider(job.flags || {}),
    transformConfig: { Version: 5, ...(job.transformConfig || {}) },
  });
  const output = transform.transform(job.schema);
  const result = { schema: output.schema };
  if (job.artifacts) {
    result.resolvers = Object.fromEntries(Object.entries(output.resolvers || {})
      .sort(([a], [b]) => a.localeCompare(b)));
    result.resources = dataResources([output.rootStack, ...Object.values(output.stacks || {})]);
  }
  return result;
}

// The DynamoDB tables, AppSync data sources and resolvers' SyncConfig of the root and nested stacks,
// by logical id: what decides tables, versioning and conflict handling.
function dataResources(templates) {
  const KEPT = {
    'AWS::DynamoDB::Table': ['TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes',
      'TimeToLiveSpecification', 'StreamSpecification'],
    'AWS::AppSync::DataSource': ['Name', 'Type', 'DynamoDBConfig'],
    'AWS::AppSync::Resolver': ['TypeName', 'FieldName', 'DataSourceName', 'SyncConfig'],
  };
  const found = {};
  for (const template of templates) {
    for (const [id, resource] of Object.entries((template && template.Resources) || {})) {
      const keep = KEPT[resource.Type];
      if (!keep) continue;
      const properties = Object.fromEntries(keep.filter((k) => k in (resource.Properties || {}))
        .map((k) => [k, resource.Properties[k]]));
      found[id] = { Type: resource.Type, Properties: properties };
    }
  }
  return Object.fromEntries(Object.entries(found).sort(([a], [b]) => a.localeCompare(b)));
}

function main() {
  const jobs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const results = [];
  for (const job of jobs) {
    try {
      results.push({ name: job.name, ...runJob(job) });
    } catch (error) {
      results.push({ name: job.name, error: String(error && error.message ? error.message : error) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main();
