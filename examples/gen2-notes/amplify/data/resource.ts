import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

/**
 * Notebooks holding notes (a hasMany/belongsTo relationship), notes with owner and group rules,
 * public profiles with a custom identifier, a secondary index with its own query field, and an
 * enum. Served locally by `appsync-emulator serve`.
 */
const schema = a.schema({
  Priority: a.enum(['LOW', 'NORMAL', 'HIGH']),
  Notebook: a
    .model({
      name: a.string().required(),
      notes: a.hasMany('Note', 'notebookId'),
    })
    .authorization((allow) => [allow.owner(), allow.publicApiKey().to(['read'])]),
  Note: a
    .model({
      title: a.string().required(),
      content: a.string(),
      priority: a.ref('Priority'),
      done: a.boolean().default(false),
      tags: a.string().array(),
      notebookId: a.id(),
      notebook: a.belongsTo('Notebook', 'notebookId'),
    })
    .secondaryIndexes((index) => [index('priority').sortKeys(['title']).queryField('notesByPriority')])
    .authorization((allow) => [allow.owner(), allow.group('Admin'), allow.publicApiKey().to(['read'])]),
  Profile: a
    .model({
      handle: a.string().required(),
      displayName: a.string(),
      bio: a.string(),
    })
    .identifier(['handle'])
    .authorization((allow) => [allow.publicApiKey()]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'apiKey',
    apiKeyAuthorizationMode: { expiresInDays: 30 },
  },
});
