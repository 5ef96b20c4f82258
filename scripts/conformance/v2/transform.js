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
  app.synth();
  const schemaFile = Object.keys(files).find((n) => n.endsWith('schema.graphql'));
  if (!schemaFile) throw new Error('the transformer produced no schema.graphql');
  return files[schemaFile];
}

function main() {
  const jobs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const results = [];
  const originalWarn = console.warn;
  for (const job of jobs) {
    const logs = [];
    console.warn = (...args) => logs.push(args.join(' '));
    try {
      results.push({ name: job.name, schema: runJob(job), logs });
    } catch (error) {
      results.push({ name: job.name, error: String(error && error.message ? error.message : error), logs });
    } finally {
      console.warn = originalWarn;
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main();
