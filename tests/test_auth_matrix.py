"""The negative matrix against the auth gateway: each forged credential refused in AppSync's shape.

``POSITIVE`` proves the unbroken credentials pass, so each refusal is the forgery's doing; the
exception note names the check that refused it. The cases are in ``tests/auth_matrix_cases.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from emulator.auth.gateway import AuthGateway
from emulator.auth.identity import AuthMode, AuthRequest
from emulator.errors import UnauthorizedRequest
from emulator.settings import load_config
from tests.auth_matrix_cases import CASES, POSITIVE, Case, World, write_config


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("matrix")
    settings = load_config(write_config(folder)).auth
    return World(settings=settings, data_dir=folder / "data", host="127.0.0.1:20002")


@pytest.fixture(scope="module")
def gateway(world: World) -> AuthGateway:
    return AuthGateway(world.settings, world.data_dir)


def test_the_matrix_is_large_enough() -> None:
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_forged_credential_is_refused(case: Case, world: World, gateway: AuthGateway) -> None:
    with pytest.raises(UnauthorizedRequest) as refused:
        gateway.authenticate(case.build(world))
    error = refused.value
    assert (error.status, error.error_type) == (case.status, case.error_type)
    assert error.message.startswith(case.message), error.message
    assert error.body() == {"errors": [{"errorType": case.error_type, "message": error.message}]}
    notes = " ".join(getattr(error, "__notes__", []))
    assert case.reason in notes, notes


@pytest.mark.parametrize(("name", "build", "mode"), POSITIVE, ids=[p[0] for p in POSITIVE])
def test_unforged_credential_passes(
    name: str, build: Callable[[World], AuthRequest], mode: AuthMode, world: World, gateway: AuthGateway
) -> None:
    assert gateway.authenticate(build(world)).mode is mode
