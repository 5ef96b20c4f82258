import { defineFunction } from '@aws-amplify/backend';

export const noteDigest = defineFunction({
  name: 'note-digest',
  timeoutSeconds: 10,
});
