import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

/**
 * `myNotesInNotebook(notebookId)`: the caller's notes in one notebook. A Query on the index
 * Amplify creates for the Notebook/Note relationship (`gsi-Notebook.notes`, keyed by `notebookId`),
 * keeping the notes whose owner is the caller (Amplify stores it as `<sub>::<username>`): a custom
 * handler answers for itself, the Note model's rules do not filter what it returns.
 */
export function request(ctx) {
  const { sub, username } = ctx.identity;
  return ddb.query({
    index: 'gsi-Notebook.notes',
    query: { notebookId: { eq: ctx.args.notebookId } },
    filter: { owner: { eq: `${sub}::${username}` } },
  });
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result.items;
}
