"""The v2 front-end: ``@model``, ``@primaryKey``/``@index``, ``@hasMany``/``@hasOne``/``@belongsTo``/
``@manyToMany``, ``@default`` and ``@auth`` read into ``ModelPlan``s for the shared generator.
"""

from __future__ import annotations

from emulator.transform.generate import Planned
from emulator.transform.keys import read_v2_keys
from emulator.transform.manytomany import add_many_to_many
from emulator.transform.options import TransformOptions
from emulator.transform.parse import SourceSchema
from emulator.transform.planning import plan_model
from emulator.transform.relations import read_v2_relations


def plan_v2(schema: SourceSchema, options: TransformOptions) -> Planned:
    schema = add_many_to_many(schema, options.respect_primary_key_attributes_on_connection_field)
    keys = {obj.name: read_v2_keys(obj, schema, options.enable_auto_index_query_names, options.secondary_key_as_gsi)
            for obj in schema.models}
    effects = read_v2_relations(schema, keys, options.respect_primary_key_attributes_on_connection_field)
    planned = [plan_model(obj, schema, options, "v2", keys[obj.name], effects) for obj in schema.models]
    return Planned(tuple(p for p, _ in planned), {p.name: a for p, a in planned}, effects)
