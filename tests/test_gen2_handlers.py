"""Gen 2 ``a.handler.custom`` as pipeline resolver specs (``emulator.gen2.handlers``), from the
golden project's extraction (tests/fixtures/gen2-golden/custom-operations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.gen2.handlers import custom_handler_resolvers
from emulator.gen2.model import project_from_answer
from emulator.resolver_specs import CustomResolverError
from emulator.resolvers.appsync_js import JsInvocation, load_code
from tests.paths import ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "gen2-golden" / "custom-operations"


def project(root: Path = GOLDEN / "project"):  # type: ignore[no-untyped-def]
    answer = json.loads((GOLDEN / "extract.json").read_text().replace("<project>", str(root)))
    return project_from_answer(answer, root, root / "amplify/data/resource.ts", None, "fast")


def test_each_handler_is_a_function_of_a_pipeline_on_its_data_source() -> None:
    specs = custom_handler_resolvers(project(), "emulator", "local")
    assert set(specs) == {("Mutation", "likePost"), ("Query", "ping"), ("Mutation", "likeTwice"), ("Subscription", "onLike")}
    twice = specs[("Mutation", "likeTwice")]
    assert twice.kind == "PIPELINE" and [f.data_source for f in twice.functions] == ["PostTable", "PostTable"]
    assert [f.name for f in twice.functions] == ["Fn_Mutation_likeTwice_1", "Fn_Mutation_likeTwice_2"]
    assert twice.functions[0].handler.runtime == "APPSYNC_JS" and "ddb.update" in twice.functions[0].handler.code.text
    assert specs[("Query", "ping")].functions[0].data_source == "NONE_DS"


def test_the_wrapping_resolver_stashes_the_api_id_and_environment() -> None:
    wrapper = custom_handler_resolvers(project(), "emulator", "local")[("Query", "ping")].handler.code
    code = load_code(wrapper.text, "pipeline.js")  # AppSync's rules hold for it
    invocation = JsInvocation(code)
    before = invocation.evaluate("request", {"stash": {}, "arguments": {}})
    assert before.stash == {"awsAppsyncApiId": "emulator", "amplifyApiEnvironmentName": "local"} and before.value == {}
    assert invocation.evaluate("response", {"stash": before.stash, "prev": {"result": "pong"}}).value == "pong"


def test_a_missing_entry_names_the_handler(tmp_path: Path) -> None:
    with pytest.raises(CustomResolverError, match=r"Mutation.likePost \(a.handler.custom\): cannot read the handler's entry"):
        custom_handler_resolvers(project(tmp_path), "emulator", "local")
