import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

/**
 * Notes with owner and group rules, public profiles with a custom identifier, a secondary
 * index with its own query field, and an enum. Served locally by `appsync-emulator serve`.
 */
const schema = a.schema({
  Priority: a.enum(['LOW', 'NORMAL', 'HIGH']),
  Note: a
    .model({
      title: a.string().required(),
      content: a.string(),
      priority: a.ref('Priority'),
      done: a.boolean().default(false),
      tags: a.string().array(),
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
