/**
 * aws-amplify v6, unmodified, against an AppSync endpoint: `node amplify_client.mjs <mode> <endpoint>`.
 *
 * Modes are Amplify's own `defaultAuthMode` names. Credentials come the way an app supplies them:
 * the API key in the config; JWTs through Amplify's `tokenProvider` (Amplify sends the access
 * token); the Lambda token as `authToken`; IAM keys through a `credentialsProvider`.
 * See lib/common.cjs for the scenario and the JSON result line.
 */
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';

import common from './lib/common.cjs';

const MODES = ['apiKey', 'userPool', 'oidc', 'lambda', 'iam'];
const { mode, endpoint } = common.parseArgs(process.argv, MODES);
const region = process.env.AWS_REGION || 'us-east-1';

/** Amplify's resource config and library options for one auth mode. */
function amplifyConfig() {
  const graphQL = { endpoint, region, defaultAuthMode: mode };
  const libraryOptions = { Auth: {} };
  if (mode === 'apiKey') graphQL.apiKey = common.requireEnv('APPSYNC_API_KEY');
  if (mode === 'userPool' || mode === 'oidc') {
    const accessToken = decodeJWT(common.requireEnv('APPSYNC_AUTH_TOKEN'));
    const idToken = decodeJWT(process.env.APPSYNC_ID_TOKEN || accessToken.toString());
    libraryOptions.Auth.tokenProvider = { getTokens: async () => ({ accessToken, idToken }) };
  }
  if (mode === 'iam') {
    const credentials = {
      accessKeyId: common.requireEnv('AWS_ACCESS_KEY_ID'),
      secretAccessKey: common.requireEnv('AWS_SECRET_ACCESS_KEY'),
      sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
    };
    libraryOptions.Auth.credentialsProvider = {
      getCredentialsAndIdentityId: async () => ({ credentials, identityId: `${region}:local-identity` }),
      clearCredentialsAndIdentityId: () => {},
    };
  }
  return [{ API: { GraphQL: graphQL } }, libraryOptions];
}

/** Per-call options: only the Lambda mode passes a token on each call. */
function callOptions() {
  return mode === 'lambda' ? { authToken: common.requireEnv('APPSYNC_AUTH_TOKEN') } : {};
}

/** Resolves on Amplify's own "Subscription ack" Hub event (the server's `start_ack`). */
function subscriptionAcknowledged() {
  return new Promise((resolve) => {
    const stop = Hub.listen('api', ({ payload }) => {
      if (payload?.event === 'Subscription ack') {
        stop();
        resolve(true);
      }
    });
  });
}

await common.runScenario('amplify', mode, async (report) => {
  common.installWebSocket(endpoint);
  Amplify.configure(...amplifyConfig());
  const client = generateClient();
  const limit = common.timeoutMs();
  const room = common.uniqueRoom('amplify', mode);
  const content = `hello from amplify ${mode}`;

  const listening = !common.httpOnly();
  const acknowledged = subscriptionAcknowledged();
  const event = common.firstMatching((message) => message?.roomId === room);
  const subscription = listening
    ? client.graphql({ query: common.DOCUMENTS.onCreate, ...callOptions() }).subscribe({
        next: ({ data }) => event.offer(data?.onCreateMessage),
        error: (error) => event.fail(error),
      })
    : null;
  try {
    if (listening) {
      report.acknowledged = await common.withTimeout(
        Promise.race([acknowledged, event.promise.then(() => false)]),
        limit,
        'the subscription to be acknowledged (start_ack)',
      );
    }
    const created = await common.withTimeout(
      client.graphql({ query: common.DOCUMENTS.create, variables: { input: { roomId: room, content } }, ...callOptions() }),
      limit,
      'the mutation response',
    );
    report.mutation = created.data.createMessage;
    if (listening) {
      report.event = await common.withTimeout(event.promise, limit, 'the subscription event of the mutation');
    }
    const fetched = await common.withTimeout(
      client.graphql({ query: common.DOCUMENTS.get, variables: { id: report.mutation.id }, ...callOptions() }),
      limit,
      'the query response',
    );
    report.query = fetched.data.getMessage;
  } finally {
    subscription?.unsubscribe();
  }
});
