/**
 * The aws-amplify v6 DataStore client, unmodified, driven command by command:
 * `node datastore_client.cjs <graphql endpoint>` with APPSYNC_API_KEY in the environment.
 *
 * Reads one JSON command per line on stdin and answers one JSON line on stdout per command:
 * `{"seq": n, "ok": true, "result": ...}` or `{"seq": n, "ok": false, "error": "..."}`, `seq` being
 * the command's own.
 * Commands: configure {conflict: "merge"|"discard"}, start, save {model, values}, update {model,
 * id, values}, delete {model, id}, get {model, id}, list {model}, waitFor {model, id, match,
 * timeoutMs} (match null: until it is gone), offline, online, stop, report.
 * The store is IndexedDB (in memory, fake-indexeddb); see environment.cjs for what stands in for
 * the browser. `report` gives the DataStore Hub events, the conflict handler calls, the error
 * handler calls and the variables of every syncX request the client sent.
 */
'use strict';

// CommonJS throughout: @aws-amplify/datastore has only a CommonJS entry for Node, so the client
// must load Amplify's core the same way to share its configuration (one Amplify, not two).
const { setOnline } = require('./environment.cjs');

const { createInterface } = require('node:readline');
const { Amplify } = require('aws-amplify');
const { DISCARD, DataStore, initSchema } = require('aws-amplify/datastore');
const { Hub } = require('aws-amplify/utils');
const indexedDB = require('@aws-amplify/datastore/dist/cjs/storage/adapter/IndexedDBAdapter.js');

const { schema } = require('./schema.cjs');

const endpoint = process.argv[2];
const apiKey = process.env.APPSYNC_API_KEY;
if (!endpoint || !apiKey) {
  process.stderr.write('usage: APPSYNC_API_KEY=... node datastore_client.cjs <graphql endpoint>\n');
  process.exit(2);
}

const models = initSchema(schema);
const seen = { events: [], conflicts: [], errors: [], syncRequests: [] };

Hub.listen('datastore', ({ payload }) => {
  seen.events.push(payload.event);
});

// DataStore says its subscriptions are established on the first `start_ack` of the six (three per
// model), so a write right after `ready` could reach the server before its subscription does; the
// client is only said started once every subscription is acknowledged.
const SUBSCRIPTIONS = Object.keys(schema.models).length * 3;
let acknowledged = 0;
Hub.listen('api', ({ payload }) => {
  if (payload?.event === 'Subscription ack') acknowledged += 1;
});

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  try {
    const body = init && typeof init.body === 'string' ? JSON.parse(init.body) : null;
    if (body && /\bsync\w+\s*\(/.test(body.query || '')) seen.syncRequests.push(body.variables || {});
  } catch {
    // not a GraphQL body
  }
  return originalFetch(input, init);
};

Amplify.configure({ API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } } });

/**
 * The app's conflict handler: "merge" puts the fields this client changed (those its mutation
 * sent) on the server's item, as Amplify's docs show it; "discard" keeps the server's item.
 */
function configure({ conflict = 'merge' } = {}) {
  DataStore.configure({
    storageAdapter: indexedDB.default,
    conflictHandler: async ({ modelConstructor, localModel, remoteModel, operation, attempts }) => {
      seen.conflicts.push({ operation, attempts, local: plain(localModel), remote: plain(remoteModel) });
      if (conflict === 'discard') return DISCARD;
      const changed = Object.entries(plain(localModel)).filter(([k, v]) => v !== null && k !== 'id' && !k.startsWith('_'));
      return modelConstructor.copyOf(remoteModel, (draft) => {
        for (const [k, v] of changed) draft[k] = v;
      });
    },
    errorHandler: (error) => {
      seen.errors.push({ message: error.message, errorType: error.errorType, operation: error.operation });
    },
  });
}

function plain(model) {
  return model ? JSON.parse(JSON.stringify(model)) : null;
}

function modelOf(name) {
  const model = models[name];
  if (!model) throw new Error(`no model ${name}`);
  return model;
}

function until(check, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = async () => {
      try {
        const value = await check();
        if (value !== undefined) return resolve(value);
      } catch (error) {
        return reject(error);
      }
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

function matches(item, match) {
  return item && Object.entries(match).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v));
}

function eventSince(name, count) {
  return until(() => (seen.events.slice(count).includes(name) ? true : undefined), 30000, `DataStore ${name}`);
}

const commands = {
  configure: ({ conflict }) => {
    options.conflict = conflict;
  },
  start: async () => {
    const before = seen.events.length;
    if (!options.configured) configure(options);  // DataStore keeps the first conflict handler it is given
    options.configured = true;
    await DataStore.start();
    await eventSince('ready', before);
    await until(() => (acknowledged >= SUBSCRIPTIONS ? true : undefined), 30000, 'every subscription acknowledged');
    return true;
  },
  save: async ({ model, values }) => plain(await DataStore.save(new (modelOf(model))(values))),
  update: async ({ model, id, values }) => {
    const original = await DataStore.query(modelOf(model), id);
    if (!original) throw new Error(`${model} ${id} is not in the local store`);
    return plain(await DataStore.save(modelOf(model).copyOf(original, (draft) => Object.assign(draft, values))));
  },
  delete: async ({ model, id }) => plain(await DataStore.delete(modelOf(model), id)),
  get: async ({ model, id }) => plain(await DataStore.query(modelOf(model), id)) ?? null,
  list: async ({ model }) => plain(await DataStore.query(modelOf(model))),
  waitFor: ({ model, id, match, timeoutMs = 20000 }) => until(async () => {
    const item = plain(await DataStore.query(modelOf(model), id));
    if (match === null) return item ? undefined : null;
    return matches(item, match) ? item : undefined;
  }, timeoutMs, `${model} ${id} ${JSON.stringify(match)}`),
  offline: () => setOnline(false),
  online: () => setOnline(true),
  stop: () => DataStore.stop(),
  report: () => seen,
};

const options = { conflict: 'merge', configured: false };
const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    let command;
    try {
      command = JSON.parse(line);
      const handler = commands[command.cmd];
      if (!handler) throw new Error(`unknown command ${command.cmd}`);
      const result = await handler(command);
      process.stdout.write(JSON.stringify({ seq: command.seq, ok: true, result: result ?? null }) + '\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ seq: command?.seq, ok: false, error: String(error?.stack || error) }) + '\n');
    }
  });
});
lines.on('close', async () => {
  await queue;
  try {
    await DataStore.stop();
  } finally {
    process.exit(0);
  }
});
