'use strict';
/**
 * Plumbing shared by the client scripts, so each script shows only how its client is used.
 *
 * Every script: `node <script> <MODE> <GRAPHQL_ENDPOINT>`, credentials from the environment
 * (APPSYNC_API_KEY, APPSYNC_AUTH_TOKEN, APPSYNC_ID_TOKEN, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION), CLIENT_TIMEOUT_MS bounds every wait.
 * It subscribes, waits for the subscription to be acknowledged, runs a mutation, waits for the
 * subscription event of that mutation, runs a query, and prints ONE JSON line on stdout:
 *   {"client", "mode", "ok", "acknowledged", "mutation", "event", "query", "error", "elapsedMs"}
 * Exit status 0 when every step worked, 1 otherwise (the JSON line is printed either way).
 * CLIENT_HTTP_ONLY=1 skips the subscription (to see how the client reports HTTP-level refusals).
 */

const WS = require('ws');

const DEFAULT_TIMEOUT_MS = 20000;

/** The GraphQL documents, written as an app using the Amplify-generated API would. */
const DOCUMENTS = {
  onCreate: /* GraphQL */ `subscription OnCreateMessage {
  onCreateMessage {
    id
    roomId
    content
  }
}`,
  create: /* GraphQL */ `mutation CreateMessage($input: CreateMessageInput!) {
  createMessage(input: $input) {
    id
    roomId
    content
  }
}`,
  get: /* GraphQL */ `query GetMessage($id: ID!) {
  getMessage(id: $id) {
    id
    roomId
    content
  }
}`,
};

/** `<MODE> <ENDPOINT>` from argv; exits with a usage line when they are missing or unknown. */
function parseArgs(argv, modes) {
  const [mode, endpoint] = argv.slice(2);
  if (!modes.includes(mode) || !/^https?:\/\//.test(endpoint || '')) {
    process.stderr.write(`usage: node ${argv[1]} <${modes.join('|')}> <http(s)://host:port/graphql>\n`);
    process.exit(2);
  }
  return { mode, endpoint };
}

/** An environment variable the chosen mode needs; a clear error when absent. */
function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required for this auth mode`);
  return value;
}

/** True when the run should stay on HTTP (mutation and query only). */
function httpOnly() {
  return process.env.CLIENT_HTTP_ONLY === '1';
}

function timeoutMs() {
  const value = Number(process.env.CLIENT_TIMEOUT_MS || DEFAULT_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/** Resolves like `promise`, or rejects with "timed out waiting for <what>" after `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Node 20 has no global WebSocket; both AppSync clients look for one. Amplify v6 always dials
 * `wss://` (even for an `http://` endpoint), so against a plain-HTTP server the scheme is
 * rewritten to `ws://`; everything else the client sends (subprotocols, frames) is untouched.
 */
function installWebSocket(endpoint) {
  const plain = endpoint.startsWith('http://');
  globalThis.WebSocket = class RewritingWebSocket extends WS {
    constructor(url, protocols, options) {
      const target = plain ? String(url).replace(/^wss:\/\//, 'ws://') : String(url);
      super(target, protocols, options);
    }
  };
}

/** A JSON-friendly picture of whatever a client threw (Amplify throws plain objects). */
function describeError(error) {
  if (error === undefined || error === null) return null;
  if (typeof error !== 'object') return { message: String(error) };
  const described = { name: error.name || error.constructor?.name, message: error.message };
  for (const key of ['errors', 'data', 'statusCode', 'result', 'bodyText', 'networkError', 'underlyingError']) {
    if (error[key] !== undefined) described[key] = toPlain(error[key]);
  }
  if (error.cause !== undefined) described.cause = describeError(error.cause);
  if (!described.message && !described.errors) described.message = JSON.stringify(toPlain(error));
  return described;
}

function toPlain(value) {
  try {
    return JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Error ? { name: v.name, message: v.message } : v)));
  } catch {
    return String(value);
  }
}

/**
 * Runs `scenario(report)` (which fills `report`), prints the JSON line and exits. The whole run
 * is bounded by twice the per-step timeout, so a stuck client never hangs the test.
 */
async function runScenario(client, mode, scenario) {
  const started = Date.now();
  const report = { client, mode, ok: false, acknowledged: false, mutation: null, event: null, query: null, error: null };
  const overall = setTimeout(() => finish(new Error('the whole scenario timed out')), timeoutMs() * 3);
  let finished = false;
  function finish(error) {
    if (finished) return;
    finished = true;
    clearTimeout(overall);
    report.error = describeError(error);
    report.ok = !error;
    report.elapsedMs = Date.now() - started;
    process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(report.ok ? 0 : 1));
  }
  try {
    await scenario(report);
    finish(null);
  } catch (error) {
    finish(error);
  }
}

/** A fresh room id per run, so this run's event is recognisable among others. */
function uniqueRoom(client, mode) {
  return `${client}-${mode}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A promise for the first value `accept` likes, plus the callbacks to feed it. */
function firstMatching(accept) {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a failure before anyone awaits must not crash Node (unhandled rejection)
  return {
    promise,
    offer(value) {
      if (accept(value)) resolve(value);
    },
    fail(error) {
      reject(error);
    },
  };
}

module.exports = {
  DOCUMENTS,
  describeError,
  firstMatching,
  httpOnly,
  installWebSocket,
  parseArgs,
  requireEnv,
  runScenario,
  timeoutMs,
  uniqueRoom,
  withTimeout,
};
