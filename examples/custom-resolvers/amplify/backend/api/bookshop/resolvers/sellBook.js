import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

// Decrement the stock only if enough copies are left.
export function request(ctx) {
  const { bookId, quantity } = ctx.args;
  return ddb.update({
    key: { id: bookId },
    update: { stock: ddb.operations.decrement(quantity), updatedAt: util.time.nowISO8601() },
    condition: { stock: { ge: quantity } },
  });
}

export function response(ctx) {
  if (ctx.error) {
    if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
      util.error(`Not enough copies of ${ctx.args.bookId} in stock`, 'OutOfStock');
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
