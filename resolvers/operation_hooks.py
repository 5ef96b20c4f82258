"""The one hook point inside a native model operation: between its auth step and its data step.

Amplify generates each model operation as a pipeline: ``init, preAuth, auth, postAuth,
(validate,) preUpdate|preDataLoad``, the data step (one DynamoDB call), then ``postUpdate|
postDataLoad, finish``. The emulator runs the operations natively (``reads``, ``writes``); a
project's slot templates (``emulator.resolvers.custom.slots``) run around them. Slots before
``auth`` and after the data step run outside the operation; the ones between ``auth`` and the data
step run here, through ``OperationHooks.before_data``, and may change what the data step uses,
as they change it on AppSync through the stash:

* ``args``: the arguments (``$ctx.args``, or ``$ctx.stash.transformedArgs`` when a slot set it);
* ``auth_filter``: ``$ctx.stash.authFilter`` (reads: ANDed into the Query/Scan filter);
* ``conditions``: ``$ctx.stash.conditions`` (writes: ANDed into the ConditionExpression);
* ``default_values``: ``$ctx.stash.defaultValues`` (create and update: values under the input;
  ``None`` lets the operation make its own, ``id`` and timestamps).

Without slots the operation passes its ``DataStep`` through ``NO_HOOKS`` unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.resolvers.context import FilterInput, Item


@dataclass
class DataStep:
    """What a model operation's data step uses."""

    args: Mapping[str, Any]
    auth_filter: FilterInput | None = None
    conditions: list[FilterInput] = field(default_factory=list)
    default_values: Item | None = None

    @property
    def input(self) -> Item:
        return dict(self.args.get("input") or {})


class OperationHooks:
    """Slots between auth and data; this base runs none."""

    def before_data(self, step: DataStep) -> DataStep:
        return step


NO_HOOKS = OperationHooks()
