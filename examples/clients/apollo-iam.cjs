// Apollo Client 4 with aws-appsync-auth-link and aws-appsync-subscription-link, signing with IAM.
//   APPSYNC_URL=http://127.0.0.1:20002/graphql AWS_REGION=us-east-1 \
//   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... node apollo-iam.cjs
// - require() the links (their CommonJS build): their ESM build throws "Sha256 is not a constructor".
// - Apollo 4 adds `extensions.clientLibrary` to the body after the auth link signed it, so the
//   signature no longer matches (on AppSync too): `enhancedClientAwareness: { transport: false }`.
const { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } = require('@apollo/client');
const { createAuthLink } = require('aws-appsync-auth-link');
const { createSubscriptionHandshakeLink } = require('aws-appsync-subscription-link');

globalThis.WebSocket ??= require('ws'); // for subscriptions: Node 20 has no WebSocket (22 and later do)

const url = process.env.APPSYNC_URL;
const auth = {
  type: 'AWS_IAM',
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
};
const config = { url, region: process.env.AWS_REGION ?? 'us-east-1', auth };
const httpLink = new HttpLink({ uri: url, enhancedClientAwareness: { transport: false } });
const client = new ApolloClient({
  link: ApolloLink.from([createAuthLink(config), createSubscriptionHandshakeLink(config, httpLink)]),
  cache: new InMemoryCache(),
});

const CREATE = gql`mutation CreateMessage($input: CreateMessageInput!) {
  createMessage(input: $input) { id roomId content }
}`;
const GET = gql`query GetMessage($id: ID!) {
  getMessage(id: $id) { id roomId content }
}`;

async function main() {
  const input = { roomId: `apollo-${Date.now()}`, content: 'hello from Apollo, signed with SigV4' };
  const created = await client.mutate({ mutation: CREATE, variables: { input } });
  const id = created.data.createMessage.id;
  const fetched = await client.query({ query: GET, variables: { id }, fetchPolicy: 'network-only' });
  console.log(JSON.stringify({ created: created.data.createMessage, fetched: fetched.data.getMessage }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
