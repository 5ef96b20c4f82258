"""Every conformance schema against what Amplify's own transformer said about it.

``tests/fixtures/conformance`` holds schemas written for each category of difference found on
real Amplify projects (issue 11), with the output of Amplify's pinned v1/v2 transformers
(``scripts/conformance.py``). An accepted schema must start and serve the same API (introspection,
order aside, plus the ``@aws_*`` directives); a rejected one must be refused with Amplify's message.
"""

from __future__ import annotations

import pytest

from tests.conformance_cases import check_case, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_conformance(case: dict) -> None:
    outcome = check_case(case)
    assert outcome.ok, f"{case['name']} (issue {case.get('issue', 11)} point {case.get('points')}): {outcome.summary}"


def test_every_case_has_amplify_output() -> None:
    from tests.conformance_cases import FIXTURES

    missing = [c["name"] for c in CASES if not (FIXTURES / "expected" / f"{c['name']}.graphql").exists()
               and not (FIXTURES / "expected" / f"{c['name']}.error.txt").exists()]
    assert not missing, f"run scripts/conformance.py for: {', '.join(missing)}"


def test_every_issue_point_is_covered() -> None:
    covered = {point for case in CASES if case.get("issue", 11) == 11 for point in case.get("points", ())}
    assert covered >= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
