"""Model operations over the DynamoDB API, as Amplify's generated resolvers perform them.

Entry points for the execution layer (synchronous; run in a worker thread):

* ``resolve_root(ctx, root_field, args)`` for Query/Mutation fields of kind get, list, query,
  create, update, delete;
* ``resolve_relation(ctx, model, relation, source, args)`` for relational fields.
"""

from emulator.resolvers.relations import resolve_relation
from emulator.resolvers.root import resolve_root
from emulator.resolvers.writes import strip_internal

__all__ = ["resolve_relation", "resolve_root", "strip_internal"]
