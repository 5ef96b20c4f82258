"""How a ``@function`` name finds a function of the catalog, and the start error when none matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.apimodel import FunctionStep
from emulator.resolvers.functions import FunctionCatalog, FunctionSpec, UnknownFunction


def spec(name: str) -> FunctionSpec:
    return FunctionSpec(name=name, handler_file=Path(f"/x/{name}.mjs"), export="handler", runtime="node",
                        origin="test", task_root=Path("/x"))


CATALOG = FunctionCatalog([spec("echo"), spec("resize-images")], env="dev", searched=["amplify/backend/function"])


@pytest.mark.parametrize(("written", "found"), [
    ("echo", "echo"),
    ("echo-${env}", "echo"),
    ("echo-dev", "echo"),
    ("resize-images-${env}", "resize-images"),
])
def test_names_match_with_and_without_the_env_suffix(written: str, found: str) -> None:
    assert CATALOG.lookup(written).name == found


def test_another_envs_suffix_does_not_match() -> None:
    with pytest.raises(UnknownFunction) as failed:
        CATALOG.lookup("echo-prod")
    assert failed.value.message == ("no function named 'echo-prod' (looked in amplify/backend/function); "
                                    "functions found: echo, resize-images")
    assert failed.value.error_type == "Lambda:ResourceNotFoundException"


def test_the_first_reader_naming_a_function_wins() -> None:
    first = spec("echo")
    catalog = FunctionCatalog([first, FunctionSpec(**{**first.__dict__, "export": "other"})])
    assert catalog.lookup("echo").export == "handler" and len(catalog) == 1


def test_a_pipeline_naming_an_unknown_function_is_named_in_the_error() -> None:
    CATALOG.check_pipelines({("Query", "ok"): (FunctionStep("echo-${env}"),)})
    with pytest.raises(UnknownFunction) as failed:
        CATALOG.check_pipelines({("Query", "bad"): (FunctionStep("echo"), FunctionStep("missing-${env}"))})
    assert failed.value.message.startswith('@function(name: "missing-${env}") on Query.bad: no function named')
    assert "functions found: echo, resize-images" in failed.value.message
