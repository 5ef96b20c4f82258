// aws-amplify v6 in a browser app (bundled by your bundler: Vite, webpack, esbuild). The emulator runs
// with --tls and the browser trusts its CA (README: "TLS"); amplify_outputs.json is the file that
// `--write-client-config` wrote into your source folder.
import outputs from './amplify_outputs.json';
import { configureAmplify, createAndReceive } from './amplify-app.mjs';

// To try it: ?authMode=userPool&token=<an access token from `appsync-emulator token --token-use access`>
const params = new URLSearchParams(location.search);
configureAmplify(outputs, { userPoolToken: params.get('token') ?? undefined });

const show = (value) => {
  document.querySelector('#result').textContent = JSON.stringify(value);
};
const message = { roomId: `browser-${Date.now()}`, content: 'hello from the browser' };
createAndReceive(params.get('authMode') ?? 'apiKey', message).then(show, (error) =>
  show({ error: error.errors ?? String(error) }),
);
