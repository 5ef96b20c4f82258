import { util } from '@aws-appsync/utils';

// Pipeline function 2 (APPSYNC_JS, NONE data source): price the book the VTL function stashed.
export function request(ctx) {
  const { book } = ctx.stash;
  const { quantity } = ctx.args;
  if (quantity < 1) {
    util.error('quantity must be at least 1', 'BadRequest');
  }
  const discount = quantity >= 10 ? 0.1 : 0;
  return {
    payload: {
      bookId: book.id,
      title: book.title,
      quantity,
      discount,
      total: Math.round(book.price * quantity * (1 - discount) * 100) / 100,
    },
  };
}

export function response(ctx) {
  return ctx.result;
}
