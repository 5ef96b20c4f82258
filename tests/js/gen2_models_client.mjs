/**
 * aws-amplify v6's Gen 2 data client, unmodified, against an emulator serving examples/gen2-notes:
 * `node gen2_models_client.mjs <amplify_outputs.json>` (the file `--write-client-config` wrote).
 *
 * `Amplify.configure(outputs)` then `generateClient()` from `aws-amplify/data`: the client builds
 * every operation from `model_introspection`, so this only works when the emulator's outputs and
 * schema match what the cloud would give. Runs client.models.<Model>.create / get / list / update /
 * delete / onCreate / observeQuery and a secondary-index query, on an API-key model and an owner
 * model (user pool token in APPSYNC_AUTH_TOKEN), then reads the Notebook/Note relationship both
 * ways (selection sets and the lazy loaders), and prints one JSON line (lib/common.cjs).
 */
import fs from 'node:fs';

import { Amplify } from 'aws-amplify';
import { decodeJWT } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import { Hub } from 'aws-amplify/utils';

import common from './lib/common.cjs';

const outputs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

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

/** The `data` of a client.models call, or a thrown error carrying its GraphQL errors. */
function dataOf(result, what) {
  if (result.errors?.length) throw Object.assign(new Error(`${what} failed`), { errors: result.errors });
  return result.data;
}

await common.runScenario('amplify-gen2', 'models', async (report) => {
  common.installWebSocket(outputs.data.url);
  const accessToken = decodeJWT(common.requireEnv('APPSYNC_AUTH_TOKEN'));
  Amplify.configure(outputs, {
    Auth: { tokenProvider: { getTokens: async () => ({ accessToken, idToken: accessToken }) } },
  });
  const client = generateClient();
  const limit = common.timeoutMs();
  const handle = `ada-${Date.now().toString(36)}`;

  // onCreate on the API-key model, acknowledged before the create
  const acknowledged = subscriptionAcknowledged();
  const created = common.firstMatching((profile) => profile?.handle === handle);
  const subscription = client.models.Profile.onCreate().subscribe({
    next: (profile) => created.offer(profile),
    error: (error) => created.fail(error),
  });
  // observeQuery: a first synced snapshot, then one that holds the new profile
  const snapshots = [];
  const observedNew = common.firstMatching((snapshot) => snapshot.items.some((p) => p.handle === handle));
  const observed = client.models.Profile.observeQuery().subscribe({
    next: (snapshot) => {
      snapshots.push({ count: snapshot.items.length, isSynced: snapshot.isSynced });
      observedNew.offer(snapshot);
    },
    error: (error) => observedNew.fail(error),
  });
  try {
    report.acknowledged = await common.withTimeout(acknowledged, limit, 'the onCreate subscription ack');
    report.create = dataOf(await client.models.Profile.create({ handle, displayName: 'Ada' }), 'create');
    report.event = await common.withTimeout(created.promise, limit, 'the onCreate event');
    const snapshot = await common.withTimeout(observedNew.promise, limit, 'observeQuery to show the new profile');
    report.observed = { snapshots, hasNew: snapshot.items.some((p) => p.handle === handle) };
  } finally {
    subscription.unsubscribe();
    observed.unsubscribe();
  }
  report.get = dataOf(await client.models.Profile.get({ handle }), 'get');
  report.update = dataOf(await client.models.Profile.update({ handle, bio: 'First programmer' }), 'update');
  report.list = dataOf(await client.models.Profile.list({ filter: { handle: { eq: handle } } }), 'list');
  report.delete = dataOf(await client.models.Profile.delete({ handle }), 'delete');
  report.afterDelete = dataOf(await client.models.Profile.get({ handle }), 'get after delete');

  // the owner model with the user pool, and its secondary index query
  const title = `note ${handle}`;
  report.note = dataOf(
    await client.models.Note.create({ title, priority: 'HIGH', tags: ['local'] }, { authMode: 'userPool' }),
    'Note.create',
  );
  report.byPriority = dataOf(
    await client.models.Note.notesByPriority({ priority: 'HIGH' }, { authMode: 'userPool' }),
    'Note.notesByPriority',
  );
  report.publicRead = dataOf(await client.models.Note.get({ id: report.note.id }), 'Note.get with the API key');

  // the relationship (references: the note holds notebookId), both ways
  const userPool = { authMode: 'userPool' };
  const notebook = dataOf(await client.models.Notebook.create({ name: `book ${handle}` }, userPool), 'Notebook.create');
  for (const title of ['first', 'second']) {
    dataOf(await client.models.Note.create({ title, notebookId: notebook.id }, userPool), 'Note.create in a notebook');
  }
  report.notebookWithNotes = dataOf(
    await client.models.Notebook.get({ id: notebook.id }, { ...userPool, selectionSet: ['name', 'notes.title', 'notes.notebookId'] }),
    'Notebook.get with notes',
  );
  const inBook = dataOf(await client.models.Note.list({ filter: { notebookId: { eq: notebook.id } }, ...userPool }), 'Note.list');
  report.noteWithNotebook = dataOf(
    await client.models.Note.get({ id: inBook[0].id }, { ...userPool, selectionSet: ['title', 'notebook.name'] }),
    'Note.get with its notebook',
  );
  const plainNotebook = dataOf(await client.models.Notebook.get({ id: notebook.id }, userPool), 'Notebook.get');
  report.lazyNotes = dataOf(await plainNotebook.notes(userPool), 'notebook.notes()').map((note) => note.title).sort();
  report.lazyNotebook = dataOf(await inBook[0].notebook(userPool), 'note.notebook()').name;
  report.mutation = report.create;
  report.query = report.get;
});
