// aws-amplify v6 in Node, subscriptions included, with no WebSocket shim: serve with TLS, trust its CA.
//   appsync-emulator serve --config appsync-emulator.toml --tls --write-client-config .
//   NODE_EXTRA_CA_CERTS=.appsync-emulator/tls/ca.pem node amplify-node.mjs apiKey
// Node 20 needs `node --experimental-websocket` (Node 22 and later have WebSocket built in).
// userPool: USER_POOL_TOKEN="$(appsync-emulator token --username alice --token-use access)"
// iam: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of a key pair the emulator knows; lambda: LAMBDA_TOKEN.
import { readFileSync } from 'node:fs';

import { configureAmplify, createAndReceive } from './amplify-app.mjs';

const outputs = JSON.parse(readFileSync(new URL('./amplify_outputs.json', import.meta.url), 'utf8'));
const authMode = process.argv[2] ?? 'apiKey'; // apiKey | userPool | iam | lambda
const { USER_POOL_TOKEN, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, LAMBDA_TOKEN } = process.env;

configureAmplify(outputs, {
  userPoolToken: USER_POOL_TOKEN,
  iamCredentials: AWS_ACCESS_KEY_ID && { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY },
});
setTimeout(() => {
  console.error('no subscription event within 20 s');
  process.exit(1);
}, 20_000).unref();
try {
  const message = { roomId: `node-${Date.now()}`, content: `hello from Node (${authMode})` };
  console.log(JSON.stringify(await createAndReceive(authMode, message, LAMBDA_TOKEN)));
  process.exit(0);
} catch (error) {
  console.error(JSON.stringify(error.errors ?? error.message ?? error));
  process.exit(1);
}
