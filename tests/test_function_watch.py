"""What a change under the watched folders does (``emulator.function_watch``): code restarts the
function, a Gen 1 definition reloads the API; nested folders are watched once."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from emulator.function_watch import FunctionWatcher
from emulator.resolvers.functions import FunctionCatalog, FunctionSpec


class Runners:
    def __init__(self) -> None:
        self.changed: list[Path] = []

    def restart_changed(self, paths: list[Path]) -> list[str]:
        self.changed += paths
        return []


def watcher(tmp_path: Path) -> tuple[FunctionWatcher, Runners, Path]:
    folder = tmp_path / "amplify" / "backend" / "function" / "echofn"
    (folder / "src").mkdir(parents=True)
    (tmp_path / "loose").mkdir()
    specs = [FunctionSpec(name=name, handler_file=root / "index.js", export="handler", runtime="node", origin="t",
                          task_root=root) for name, root in (("echofn", folder / "src"), ("loose", tmp_path / "loose"))]
    runners = Runners()
    state = SimpleNamespace(
        generation=SimpleNamespace(functions=FunctionCatalog(specs)),
        settings=SimpleNamespace(extra={"amplify": {"project_root": str(tmp_path)}}, data_dir=tmp_path / "data"),
        functions=runners,
    )
    return FunctionWatcher(state), runners, folder  # type: ignore[arg-type]


def test_each_folder_is_watched_once(tmp_path: Path) -> None:
    watch, _, _ = watcher(tmp_path)
    assert watch.roots() == [tmp_path / "loose", tmp_path / "amplify" / "backend" / "function"]


def test_code_restarts_and_definitions_reload(tmp_path: Path) -> None:
    watch, runners, folder = watcher(tmp_path)
    assert watch.handle([folder / "src" / "index.js"]) is False
    assert watch.handle([tmp_path / "loose" / "helper.py"]) is False
    assert watch.handle([folder / "echofn-cloudformation-template.json"]) is True
    assert watch.handle([folder / ".env"]) is True
    assert runners.changed[:2] == [folder / "src" / "index.js", tmp_path / "loose" / "helper.py"]
