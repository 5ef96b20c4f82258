"""moto's instance tracking, switched off for DynamoDB: it kept every object ever created.

``BaseModel.__new__`` appends every instance of a moto model to its class's ``instances_tracked``
list (for moto's dashboard, ``/moto-api/data.json``) and nothing ever removes them: every item
copied into a Query result, every stream record, every table copy of a transaction stayed in
memory (32 MiB per 2,000 list queries). The emulator never shows that dashboard, so those lists
are replaced by one that keeps nothing.
"""

from __future__ import annotations

from typing import Any

SERVICES = ("dynamodb", "dynamodbstreams")


class Untracked(list):  # type: ignore[type-arg]
    """A list that drops what is appended to it."""

    def append(self, item: Any) -> None:
        pass


def stop_tracking() -> None:
    """Make every DynamoDB and DynamoDB Streams model class forget its instances."""
    import moto.dynamodb.models  # noqa: F401  (registers the model classes)
    import moto.dynamodbstreams.models  # noqa: F401
    from moto.core.model_instances import model_data

    for service in SERVICES:
        for model in model_data[service].values():
            model.instances_tracked = Untracked()
