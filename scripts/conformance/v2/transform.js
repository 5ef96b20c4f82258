// Runs Amplify's own v2 GraphQL transformer (@aws-amplify/graphql-transformer, pinned in
// package.json) the way the Gen1 CLI does, on a list of jobs read as JSON from stdin; prints one
// JSON result per job ({name, schema} or {name, error}) as a JSON array on stdout.
// Driven by scripts/conformance.py; see tests/fixtures/conformance/README.md.
'use strict';

const { App, Stack, NestedStack } = require('aws-cdk-lib');
const { constructTransform } = require('@aws-amplify/graphql-transformer');
const { constructDataSourceStrategies, DDB_DEFAULT_DATASOURCE_STRATEGY } = require('@aws-amplify/graphql-transformer-core');

// Gen1 CLI: transformParameters from the project's feature flags (transformer-options-v2.ts).
function transformParameters(flags, sandbox) {
  const flag = (name, fallback) => (typeof flags[name.toLowerCase()] === 'boolean' ? flags[name.toLowerCase()] : fallback);
  return {
    enableTransformerCfnOutputs: true,
    shouldDeepMergeDirectiveConfigDefaults: flag('shouldDeepMergeDirectiveConfigDefaults', false),
    disableResolverDeduping: flag('disableResolverDeduping', false),
    sandboxModeEnabled: sandbox,
    allowDestructiveGraphqlSchemaUpdates: false,
    replaceTableUponGsiUpdate: false,
    allowGen1Patterns: true,
    useSubUsernameForDefaultIdentityClaim: flag('useSubUsernameForDefaultIdentityClaim', true),
    populateOwnerFieldForStaticGroupAuth: flag('populateOwnerFieldForStaticGroupAuth', true),
    suppressApiKeyGeneration: flag('suppressApiKeyGeneration', false),
    subscriptionsInheritPrimaryAuth: flag('subscriptionsInheritPrimaryAuth', false),
    secondaryKeyAsGSI: flag('secondaryKeyAsGSI', true),
    enableAutoIndexQueryNames: flag('enableAutoIndexQueryNames', true),
    respectPrimaryKeyAttributesOnConnectionField: flag('respectPrimaryKeyAttributesOnConnectionField', true),
    enableSearchNodeToNodeEncryption: false,
    enableSearchEncryptionAtRest: false,
  };
}

// sandbox-mode-helpers.ts: `input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`
function sandboxEnabled(schema) {
  const { parse } = require('graphql');
  try {
    return parse(schema).definitions.some((d) => d.kind === 'InputObjectTypeDefinition' && d.name.value === 'AMPLIFY'
      && (d.fields || []).some((f) => f.name.value === 'globalAuthRule' && f.defaultValue
        && (f.defaultValue.fields || []).some((e) => e.name.value === 'allow' && e.value.value === 'public')));
  } catch (e) {
    return false;
  }
}

function runJob(job) {
  const files = {};
  const app = new App();
  const stack = new Stack(app, 'transformer-root-stack'); // the Gen1 CLI's root stack id
  const transform = constructTransform({
    transformersFactoryArgs: {},
    authConfig: job.authConfig,
    resolverConfig: job.resolverConfig || undefined,
    transformParameters: transformParameters(job.flags || {}, sandboxEnabled(job.schema)),
  });
  transform.transform({
    schema: job.schema,
    scope: stack,
    nestedStackProvider: { provide: (scope, name) => new NestedStack(scope, name) },
    assetProvider: {
      provide: (scope, name, props) => {
        files[props.fileName] = props.fileContent;
        return { assetHash: 'h', httpUrl: 'https://example.invalid/' + props.fileName, s3BucketName: 'b',
          s3ObjectKey: props.fileName, s3ObjectUrl: 's3://b/' + props.fileName };
      },
    },
    synthParameters: {
      amplifyEnvironmentName: 'NONE', apiName: 'conformance', authenticatedUserRoleName: 'authRole',
      unauthenticatedUserRoleName: 'unauthRole', userPoolId: 'us-east-1_XXXXXXXX', adminRoles: job.adminRoles || [], identityPoolId: 'us-east-1:identity-pool',
      enableIamAccess: false, provisionHotswapFriendlyResources: false,
    },
    dataSourceStrategies: constructDataSourceStrategies(job.schema, DDB_DEFAULT_DATASOURCE_STRATEGY),
    rdsLayerMapping: {},
    rdsSnsTopicMapping: {},
  });
  const assembly = app.synth();
  const schemaFile = Object.keys(files).find((n) => n.endsWith('schema.graphql'));
  if (!schemaFile) throw new Error('the transformer produced no schema.graphql');
  const result = { schema: files[schemaFile] };
  if (job.artifacts) {
    result.resolvers = Object.fromEntries(Object.entries(files)
      .filter(([name]) => name.endsWith('.vtl'))
      .map(([name, content]) => [name.split('/').pop(), content])
      .sort(([a], [b]) => a.localeCompare(b)));
    result.resources = dataResources(assembly.directory);
  }
  return result;
}

// The DynamoDB tables, AppSync data sources and functions' SyncConfig of every synthesized template
// (nested stacks included), by logical id: what decides tables, versioning and conflict handling.
function dataResources(directory) {
  const fs = require('fs');
  const path = require('path');
  const KEPT = {
    'AWS::DynamoDB::Table': ['TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes',
      'TimeToLiveSpecification', 'StreamSpecification'],
    'AWS::AppSync::DataSource': ['Name', 'Type', 'DynamoDBConfig'],
    'AWS::AppSync::FunctionConfiguration': ['Name', 'DataSourceName', 'SyncConfig'],
  };
  const found = {};
  for (const file of fs.readdirSync(directory).filter((n) => n.endsWith('.json')).sort()) {
    const template = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'));
    for (const [id, resource] of Object.entries(template.Resources || {})) {
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
  const originalWarn = console.warn;
  for (const job of jobs) {
    const logs = [];
    console.warn = (...args) => logs.push(args.join(' '));
    try {
      results.push({ name: job.name, ...runJob(job), logs });
    } catch (error) {
      results.push({ name: job.name, error: String(error && error.message ? error.message : error), logs });
    } finally {
      console.warn = originalWarn;
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main();
