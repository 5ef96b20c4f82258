"""Reading Gen 2 projects with the Node helper: fast path = real ``@aws-amplify/backend``, the goldens'
extraction and model introspection reproduced, and one clear message per way it can go wrong.

Projects are the golden cases' ``project/`` folders, copied to a temporary folder with the
example's ``node_modules`` (``npm ci`` in ``examples/gen2-notes`` when needed) linked in.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from emulator import cli
from emulator.gen2.project import Gen2ProjectError
from emulator.gen2.reader import read_project, run_helper
from tests.node_projects import GEN2_EXAMPLE, gen2_project_copy, node_with_installed
from tests.paths import ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "gen2-golden"
CASES = sorted(p.parent.name for p in GOLDEN.glob("*/project"))


@pytest.fixture(scope="module")
def node() -> str:
    return node_with_installed(GEN2_EXAMPLE, "reading Amplify Gen 2 projects")


@pytest.fixture(scope="module")
def projects(node: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("gen2-projects")
    return {case: gen2_project_copy(GOLDEN / case / "project", base / case) for case in CASES}


def normalised(answer: dict, project: Path) -> dict:
    answer = {k: v for k, v in answer.items() if k not in ("timings", "modelIntrospection")}
    return json.loads(json.dumps(answer).replace(str(project), "<project>"))


@pytest.mark.parametrize("case", CASES)
def test_fast_and_real_paths_read_the_same_project(case: str, projects: dict[str, Path]) -> None:
    fast = run_helper(projects[case], "fast", introspection=True)
    real = run_helper(projects[case], "real", introspection=True)
    assert "error" not in fast and "error" not in real
    assert normalised(fast, projects[case]) == normalised(real, projects[case])
    assert fast["modelIntrospection"] == real["modelIntrospection"]
    golden = json.loads((GOLDEN / case / "extract.json").read_text())
    assert normalised(fast, projects[case]) == golden
    assert fast["data"]["schema"].rstrip("\n") == (GOLDEN / case / "transform.graphql").read_text().rstrip("\n")
    assert fast["modelIntrospection"] == json.loads((GOLDEN / case / "model-introspection.json").read_text())


def test_functions_and_handlers_are_described_for_the_runners(projects: dict[str, Path]) -> None:
    project = read_project(projects["custom-operations"])
    root = projects["custom-operations"]
    echo = project.function_for("FnEcho")
    assert echo is not None and project.function_for("FnEchoLater") == echo
    assert echo.entry == root / "amplify/functions/echo/handler.ts"
    assert (echo.timeout_seconds, dict(echo.environment), dict(echo.secrets)) == (10, {"GREETING": "hello"}, {"API_TOKEN": "API_TOKEN"})
    stats = project.function_for("FnPostStats")
    assert stats is not None and (stats.name, stats.entry, stats.timeout_seconds) == (
        "compute-stats", root / "amplify/functions/stats/compute-stats.ts", 3)
    handlers = {(h.type_name, h.field_name): h.steps for h in project.custom_handlers}
    like = root / "amplify/data/increment-like.js"
    assert [(s.data_source, s.entry) for s in handlers[("Mutation", "likeTwice")]] == [("PostTable", like), ("PostTable", like)]
    assert [(s.data_source, s.entry.name) for s in handlers[("Query", "ping")]] == [("NONE_DS", "ping.js")]
    assert project.loader == "fast"


def test_a_relative_project_path_is_read_from_the_project_folder(node: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GEN2_EXAMPLE.parent)
    project = read_project(Path(GEN2_EXAMPLE.name))
    assert project.root == GEN2_EXAMPLE and "type Profile @model" in project.sdl


def test_auth_resource_groups_and_modes(projects: dict[str, Path]) -> None:
    project = read_project(projects["auth-rules"])
    assert project.groups == ("Admin", "Editors") and project.has_auth
    modes = project.authorization_modes or {}
    assert modes["defaultAuthorizationMode"] == "userPool"
    assert modes["lambdaAuthorizationMode"] == {"function": "authorizer", "timeToLiveInSeconds": 300}
    assert modes["oidcAuthorizationMode"]["oidcIssuerUrl"] == "https://issuer.example.com"
    assert [(a.function, a.actions) for a in project.function_access] == [("reporter", ("query", "mutate", "listen"))]


def test_what_resource_ts_prints_stays_out_of_the_answer(
    node: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    project = gen2_project_copy(GOLDEN / "notes" / "project", tmp_path / "noisy")
    resource = project / "amplify/data/resource.ts"
    resource.write_text("console.log('{\"not\": \"json\"}');\nprocess.stdout.write('raw stdout\\n');\n" + resource.read_text())
    read = read_project(project)
    assert "type Note @model" in read.sdl
    err = capfd.readouterr().err
    assert '[amplify/data/resource.ts] {"not": "json"}' in err and "[amplify/data/resource.ts] raw stdout" in err


def _broken(tmp_path: Path, edit: str) -> Path:
    project = gen2_project_copy(GOLDEN / "notes" / "project", tmp_path / "broken")
    resource = project / "amplify/data/resource.ts"
    resource.write_text(edit + "\n" + resource.read_text())
    return project


def test_typescript_syntax_error_names_the_file_and_line(node: str, tmp_path: Path) -> None:
    project = _broken(tmp_path, "const oops: = 1;")
    with pytest.raises(Gen2ProjectError) as caught:
        read_project(project)
    message = str(caught.value)
    assert "amplify/data/resource.ts: TypeScript error" in message and "resource.ts:1:" in message


def test_missing_package_says_npm_install(node: str, tmp_path: Path) -> None:
    project = _broken(tmp_path, "import 'left-pad-that-is-not-installed';")
    with pytest.raises(Gen2ProjectError, match=r"cannot import left-pad-that-is-not-installed; run `npm install` in"):
        read_project(project)


def test_error_thrown_while_loading_names_where(node: str, tmp_path: Path) -> None:
    project = _broken(tmp_path, "throw new Error('boom from the project');")
    with pytest.raises(Gen2ProjectError, match=r"/amplify/data/resource.ts:1:\d+: error while loading the project: boom from the project$"):
        read_project(project)


def test_schema_amplify_rejects(node: str, tmp_path: Path) -> None:
    project = gen2_project_copy(GOLDEN / "notes" / "project", tmp_path / "bad-schema")
    resource = project / "amplify/data/resource.ts"
    resource.write_text(resource.read_text().replace("allow.group('Admin')", "allow.groupDefinedIn('priority')"))
    with pytest.raises(Gen2ProjectError, match=r"Amplify rejected the schema: .*priority"):
        read_project(project)


def test_resource_without_define_data(node: str, tmp_path: Path) -> None:
    project = gen2_project_copy(GOLDEN / "notes" / "project", tmp_path / "no-data")
    (project / "amplify/data/resource.ts").write_text("export const data = { schema: 'type Query { a: String }' };\n")
    with pytest.raises(Gen2ProjectError, match=r"resource.ts exports no defineData\(\.\.\.\) result"):
        read_project(project)


def test_project_without_node_modules(tmp_path: Path) -> None:
    project = tmp_path / "fresh"
    (project / "amplify/data").mkdir(parents=True)
    (project / "amplify/data/resource.ts").write_text("export const data = 1;\n")
    with pytest.raises(Gen2ProjectError, match=r"has no node_modules; run `npm install` in"):
        read_project(project)


def test_without_node_serve_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "app"
    (project / "amplify/data").mkdir(parents=True)
    (project / "amplify/data/resource.ts").write_text("export const data = 1;\n")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    status = cli.main(["serve", str(project), "--data-dir", str(tmp_path / "data"), "--no-reload"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and "needs Node.js 18 or later, and `node` is not on the PATH" in err[0], err


def test_cli_reports_a_typescript_error_without_traceback(node: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _broken(tmp_path, "export const = ;")
    status = cli.main(["serve", str(project), "--data-dir", str(tmp_path / "data"), "--no-reload"])
    err = capsys.readouterr().err
    assert status == 2 and "TypeScript error" in err and "Traceback" not in err


def test_the_shipped_helper_is_package_data() -> None:
    from emulator.gen2.reader import helper_dir

    assert {p.name for p in helper_dir().glob("*.mjs")} == {"extract.mjs", "fast-path.mjs", "fast-hooks.mjs", "backend-shim.mjs"}
    assert os.access(helper_dir() / "extract.mjs", os.R_OK)
