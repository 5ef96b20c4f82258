import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import { noteDigest } from '../functions/note-digest/resource';
import { wordCount } from '../functions/word-count/resource';

/**
 * Notebooks holding notes (a hasMany/belongsTo relationship), notes with owner and group rules,
 * public profiles with a custom identifier, a secondary index with its own query field, an enum,
 * and two queries served by functions: `wordCount` (a TypeScript handler reading its environment
 * through `$amplify/env`) and `noteDigest` (a handler calling this API with the Amplify data
 * client and its own IAM access). Served locally by `appsync-emulator serve`.
 */
const schema = a
  .schema({
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
    WordCount: a.customType({ count: a.integer().required(), unit: a.string() }),
    wordCount: a
      .query()
      .arguments({ text: a.string().required() })
      .returns(a.ref('WordCount'))
      .handler(a.handler.function(wordCount))
      .authorization((allow) => [allow.publicApiKey(), allow.authenticated()]),
    NoteDigest: a.customType({ total: a.integer().required(), done: a.integer().required(), titles: a.string().array() }),
    noteDigest: a
      .query()
      .returns(a.ref('NoteDigest'))
      .handler(a.handler.function(noteDigest))
      .authorization((allow) => [allow.authenticated()]),
  })
  .authorization((allow) => [allow.resource(noteDigest).to(['query'])]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'apiKey',
    apiKeyAuthorizationMode: { expiresInDays: 30 },
  },
});
