import { env } from '$amplify/env/word-count';
import type { Schema } from '../../data/resource';

/** `wordCount(text)`: how many words, in the unit the function's environment names. */
export const handler: Schema['wordCount']['functionHandler'] = async (event) => {
  const words = event.arguments.text.trim().split(/\s+/).filter(Boolean);
  return { count: words.length, unit: env.UNIT };
};
