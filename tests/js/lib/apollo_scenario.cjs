'use strict';
/**
 * The Apollo Client 4 + aws-appsync-auth-link + aws-appsync-subscription-link scenario, shared by
 * apollo_client.mjs (ESM builds) and apollo_client_iam.cjs (CJS builds, which AWS_IAM needs).
 * The caller passes the library modules it loaded, so each script really uses its own build.
 */
const { tap } = require('rxjs');

const common = require('./common.cjs');

/** The `auth` object of the AppSync links for one auth type, from the environment. */
function linkAuth(type) {
  switch (type) {
    case 'API_KEY':
      return { type, apiKey: common.requireEnv('APPSYNC_API_KEY') };
    case 'AMAZON_COGNITO_USER_POOLS':
    case 'OPENID_CONNECT': {
      const token = common.requireEnv('APPSYNC_AUTH_TOKEN');
      return { type, jwtToken: async () => token };
    }
    case 'AWS_LAMBDA':
      return { type, token: common.requireEnv('APPSYNC_AUTH_TOKEN') };
    case 'AWS_IAM':
      return {
        type,
        credentials: {
          accessKeyId: common.requireEnv('AWS_ACCESS_KEY_ID'),
          secretAccessKey: common.requireEnv('AWS_SECRET_ACCESS_KEY'),
          sessionToken: process.env.AWS_SESSION_TOKEN || undefined,
        },
      };
    default:
      throw new Error(`unknown auth type ${type}`);
  }
}

/**
 * A link that reports the subscription link's CONNECTED control message (sent on `start_ack`).
 * Apollo Client 4 drops results without data before they reach `subscribe()`, so the app has to
 * look at them inside the link chain, as this link does.
 */
function ackWatchingLink(apollo, onAck) {
  return new apollo.ApolloLink((operation, forward) =>
    forward(operation).pipe(
      tap((result) => {
        if (result?.extensions?.controlMsgType === 'CONNECTED') onAck();
      }),
    ),
  );
}

/**
 * The client as AWS's README for the links builds it. The HttpLink leaves out Apollo 4's
 * `extensions.clientLibrary`: Apollo adds it after the auth link has signed the body, which
 * breaks AWS_IAM signatures on real AppSync as well.
 */
function buildClient({ apollo, authLink, subscriptionLink }, type, endpoint, onAck) {
  const region = process.env.AWS_REGION || 'us-east-1';
  const config = { url: endpoint, region, auth: linkAuth(type) };
  const httpLink = new apollo.HttpLink({ uri: endpoint, enhancedClientAwareness: { transport: false } });
  const link = apollo.ApolloLink.from([
    ackWatchingLink(apollo, onAck),
    authLink.createAuthLink(config),
    subscriptionLink.createSubscriptionHandshakeLink(config, httpLink),
  ]);
  return new apollo.ApolloClient({ link, cache: new apollo.InMemoryCache() });
}

/** Starts the onCreateMessage subscription; errors reach both the ack and the event waiters. */
function listen(apolloClient, gql, acknowledged, event) {
  return apolloClient
    .subscribe({
      query: gql(common.DOCUMENTS.onCreate),
      fetchPolicy: 'no-cache',
      context: { controlMessages: { '@@controlEvents': true } },
    })
    .subscribe({
      next: (result) => {
        if (result.error) {
          event.fail(result.error);
          acknowledged.fail(result.error);
          return;
        }
        event.offer(result.data?.onCreateMessage);
      },
      error: (error) => {
        event.fail(error);
        acknowledged.fail(error);
      },
    });
}

/** Subscribe, await start_ack (the link's CONNECTED control message), mutate, get the event, query. */
async function runApolloScenario(libraries, client, type, endpoint) {
  await common.runScenario(client, type, async (report) => {
    common.installWebSocket(endpoint);
    const { gql } = libraries.apollo;
    const acknowledged = common.firstMatching(() => true);
    const apolloClient = buildClient(libraries, type, endpoint, () => acknowledged.offer(true));
    const limit = common.timeoutMs();
    const room = common.uniqueRoom(client, type);
    const content = `hello from ${client} ${type}`;
    const listening = !common.httpOnly();
    const event = common.firstMatching((message) => message?.roomId === room);
    const subscription = listening ? listen(apolloClient, gql, acknowledged, event) : null;
    try {
      if (listening) {
        report.acknowledged = await common.withTimeout(
          acknowledged.promise.then(() => true),
          limit,
          'the subscription to be acknowledged (start_ack)',
        );
      }
      const created = await common.withTimeout(
        apolloClient.mutate({
          mutation: gql(common.DOCUMENTS.create),
          variables: { input: { roomId: room, content } },
          fetchPolicy: 'no-cache',
        }),
        limit,
        'the mutation response',
      );
      report.mutation = created.data.createMessage;
      if (listening) {
        report.event = await common.withTimeout(event.promise, limit, 'the subscription event of the mutation');
      }
      const fetched = await common.withTimeout(
        apolloClient.query({ query: gql(common.DOCUMENTS.get), variables: { id: report.mutation.id }, fetchPolicy: 'network-only' }),
        limit,
        'the query response',
      );
      report.query = fetched.data.getMessage;
    } finally {
      subscription?.unsubscribe();
    }
  });
}

module.exports = { runApolloScenario };
