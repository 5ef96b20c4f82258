// aws-amplify v6 against the emulator: the part a Node script and a browser app share.
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';

/**
 * `outputs`: the amplify_outputs.json that `appsync-emulator serve --tls --write-client-config DIR` wrote.
 * `userPoolToken` (authMode 'userPool'): Amplify sends the access token of its token provider. Without
 *   Amplify Auth signed in, give it one: `appsync-emulator token --username alice --token-use access`,
 *   or a token from your real Cognito pool (README: "Tokens from your Cognito user pool").
 * `iamCredentials` (authMode 'iam'): a key pair of the emulator ({ accessKeyId, secretAccessKey }).
 */
export function configureAmplify(outputs, { userPoolToken, iamCredentials } = {}) {
  Amplify.configure(outputs, {
    Auth: {
      tokenProvider: {
        getTokens: async () => (userPoolToken ? { accessToken: decodeJWT(userPoolToken) } : null),
      },
      credentialsProvider: {
        getCredentialsAndIdentityId: async () => (iamCredentials ? { credentials: iamCredentials } : undefined),
        clearCredentialsAndIdentityId: () => {},
      },
    },
  });
}

const onCreateMessage = /* GraphQL */ `subscription OnCreateMessage {
  onCreateMessage { id roomId content }
}`;
const createMessage = /* GraphQL */ `mutation CreateMessage($input: CreateMessageInput!) {
  createMessage(input: $input) { id roomId content }
}`;

/**
 * Subscribes to new messages, creates one once AppSync acknowledged the subscription, and
 * returns the mutation's answer with the event it caused. `authToken` (authMode 'lambda') is the
 * token your Lambda authorizer expects.
 */
export async function createAndReceive(authMode, input, authToken) {
  const client = generateClient();
  const acknowledged = new Promise((resolve) => {
    const stop = Hub.listen('api', ({ payload }) => {
      if (payload.event === 'Subscription ack') {
        stop();
        resolve();
      }
    });
  });
  let subscription;
  const received = new Promise((resolve, reject) => {
    subscription = client.graphql({ query: onCreateMessage, authMode, authToken }).subscribe({
      next: ({ data }) => data.onCreateMessage.roomId === input.roomId && resolve(data.onCreateMessage),
      error: reject,
    });
  });
  try {
    await Promise.race([acknowledged, received]);
    const { data } = await client.graphql({ query: createMessage, variables: { input }, authMode, authToken });
    return { created: data.createMessage, event: await received };
  } finally {
    subscription.unsubscribe();
  }
}
