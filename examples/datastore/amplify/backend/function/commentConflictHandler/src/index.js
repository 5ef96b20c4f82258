/**
 * The DataStore conflict handler of Comment (transform.conf.json: ResolverConfig.models.Comment,
 * ConflictHandler LAMBDA). AppSync calls it when a client's updateComment or deleteComment carries
 * a _version that is no longer the stored one, with
 *   { newItem, existingItem, arguments, resolver, identity }
 * (newItem: the stored item with the client's changes on it; null for a delete), and writes what
 * it answers: RESOLVE writes `item` as the next version, REJECT fails the mutation with
 * ConflictUnhandled (the client's own conflict handler then decides), REMOVE deletes the item.
 *
 * This one keeps both edits of a comment's body and says so in `resolvedBy`; a locked comment
 * takes no late edits; a late delete still deletes.
 */
exports.handler = async (event) => {
  const { newItem, existingItem } = event;
  if (existingItem.locked) {
    return { action: 'REJECT' };
  }
  if (newItem === null) {
    return { action: 'REMOVE' };
  }
  const bodies = [existingItem.body, newItem.body].filter((body, i, all) => body && all.indexOf(body) === i);
  return {
    action: 'RESOLVE',
    item: { ...newItem, body: bodies.join(' + '), resolvedBy: 'commentConflictHandler' },
  };
};
