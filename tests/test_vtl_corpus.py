"""The VTL engine on the templates Amplify's transformer generates (v1 and v2 goldens).

Every template parses; every render the simulator made of them (callers: API key, owner, other
user, admin group, IAM auth/unauth/other role, OIDC; create/update/delete/get/list/index/
subscription/relation arguments; failing data sources) renders the same here, except for the
listed divergences where AppSync differs from the simulator (``tests/vtl_simulator_divergences``).
"""

from __future__ import annotations

import collections

import pytest

from emulator.resolvers.vtl import VtlTemplate
from tests.vtl_corpus_support import compare, corpus_files, oracle
from tests.vtl_simulator_divergences import DIVERGENCES


def test_the_corpus_is_the_generated_templates() -> None:
    files = corpus_files()
    assert len(files) == 623
    assert {path.parent.parent.parent.name for path in files} == {"v1", "v2"}


def test_every_generated_template_parses() -> None:
    for path in corpus_files():
        template = VtlTemplate.parse(path.read_text(), str(path.name))
        assert template.nodes, path


def test_renders_match_the_simulator_except_known_divergences() -> None:
    records = oracle()["records"]
    assert len(records) > 6000
    mismatches = []
    used: collections.Counter[str] = collections.Counter()
    for record in records:
        verdict = compare(record)
        used.update(verdict.divergences)
        if verdict.mismatch:
            mismatches.append(f"{verdict.template} ({record['authType']}): {verdict.mismatch}")
    assert not mismatches, f"{len(mismatches)} renders differ; first:\n" + "\n".join(mismatches[:3])
    unused = [divergence.name for divergence in DIVERGENCES if not used[divergence.name]]
    assert not unused, f"divergences no render needs any more: {unused}"


@pytest.mark.parametrize("divergence", DIVERGENCES, ids=lambda divergence: divergence.name)
def test_each_divergence_says_why(divergence) -> None:  # type: ignore[no-untyped-def]
    assert "AppSync" in divergence.reason and "simulator" in divergence.reason
