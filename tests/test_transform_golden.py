"""The transform's AppSync schema equals Amplify's own output for every golden case.

Compared as ``tests/schema_compare.py`` does: introspection, then the applied ``@aws_*`` directives.
"""

from __future__ import annotations

import pytest

from emulator.transform import transform
from tests.schema_compare import schema_differences
from tests.transform_golden_cases import CASES, GOLDEN, options_for


@pytest.mark.parametrize("folder,version,schema_file,auth_file", CASES, ids=[c[0] for c in CASES])
def test_schema_equals_golden(folder: str, version: str, schema_file: str, auth_file: str | None) -> None:
    expected_sdl = (GOLDEN / folder / "schema.graphql").read_text()
    api = transform((GOLDEN / schema_file).read_text(), options_for(version, auth_file))
    assert api.version == version
    differences = schema_differences(expected_sdl, api.sdl)
    assert not differences, f"{folder}: {len(differences)} differences\n" + "\n".join(differences)
