import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';
import { env } from '$amplify/env/note-digest';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../data/resource';

// As Amplify's docs show: the data client, configured from the function's environment, calls the
// API with the function's own IAM credentials (allowed by `allow.resource(noteDigest)`).
const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(env);
Amplify.configure(resourceConfig, libraryOptions);
const client = generateClient<Schema>();

/** `noteDigest`: every note of every user, counted (only the function's IAM access can see them all). */
export const handler: Schema['noteDigest']['functionHandler'] = async () => {
  const { data: notes, errors } = await client.models.Note.list();
  if (errors?.length) throw new Error(errors.map((error) => error.message).join('; '));
  return {
    total: notes.length,
    done: notes.filter((note) => note.done).length,
    titles: notes.map((note) => note.title).sort(),
  };
};
