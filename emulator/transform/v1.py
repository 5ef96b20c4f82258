"""The v1 front-end: ``@model``, ``@key``, ``@connection`` and v1 ``@auth`` read into ``ModelPlan``s."""

from __future__ import annotations

from emulator.transform.connections import read_v1_connections
from emulator.transform.generate import Planned
from emulator.transform.keys import read_v1_keys
from emulator.transform.options import TransformOptions
from emulator.transform.parse import SourceSchema
from emulator.transform.planning import plan_model


def plan_v1(schema: SourceSchema, options: TransformOptions) -> Planned:
    keys = {obj.name: read_v1_keys(obj, schema) for obj in schema.models}
    effects = read_v1_connections(schema, keys)
    planned = [plan_model(obj, schema, options, "v1", keys[obj.name], effects) for obj in schema.models]
    return Planned(tuple(p for p, _ in planned), {p.name: a for p, a in planned}, effects)
