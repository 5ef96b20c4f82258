"""v2 ``@manyToMany``: the generated join model (filled in by a later step)."""

from __future__ import annotations

from emulator.transform.parse import SourceSchema


def add_many_to_many(schema: SourceSchema) -> SourceSchema:
    """The schema with the join models ``@manyToMany`` implies (none yet)."""
    return schema
