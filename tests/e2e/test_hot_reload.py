"""Hot reload over the real wire: a changed schema is served without a restart, data is kept, and
a broken schema leaves the previous API serving with the error printed."""

from __future__ import annotations

import time
from pathlib import Path

from emulator.testing import RunningEmulator, start_emulator
from tests.e2e.waiting import eventually

KEY = "da2-hotreloadkey0000000000000"
CONFIG = f'[auth]\ndefault = "API_KEY"\n[auth.api_key]\nkeys = ["{KEY}"]\n'
V1 = 'input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\ntype Todo @model { id: ID! name: String! }\n'
V2 = V1.replace("name: String! }", "name: String! done: Boolean }") + "type Tag @model { id: ID! label: String }\n"
BROKEN = V2 + "type Broken @model { id: ID! x: String @index(nme: \"bad\") }\n"




def type_names(server: RunningEmulator) -> set[str]:
    body = server.graphql("{ __schema { types { name } } }").json()
    return {t["name"] for t in body["data"]["__schema"]["types"]}


def test_schema_changes_are_served_without_restart(tmp_path: Path) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(V1)
    server = start_emulator(schema, CONFIG, data_dir=tmp_path / "data", extra_args=[])
    try:
        created = server.graphql('mutation { createTodo(input: {name: "keep me"}) { id } }').json()
        todo_id = created["data"]["createTodo"]["id"]

        schema.write_text(V2)
        eventually(lambda: "Tag" in type_names(server))
        assert any("Reloaded the API" in line for line in server.output)
        both = server.graphql(
            'query($id: ID!) { getTodo(id: $id) { name done } }', {"id": todo_id}
        ).json()
        assert both == {"data": {"getTodo": {"name": "keep me", "done": None}}}
        tag = server.graphql('mutation { createTag(input: {label: "new table"}) { label } }').json()
        assert tag == {"data": {"createTag": {"label": "new table"}}}

        schema.write_text(BROKEN)
        eventually(lambda: any("reload failed" in line for line in server.output))
        assert "Broken" not in type_names(server)
        still = server.graphql('query($id: ID!) { getTodo(id: $id) { name } }', {"id": todo_id}).json()
        assert still == {"data": {"getTodo": {"name": "keep me"}}}
    finally:
        assert server.stop() == 0


def test_no_reload_flag_keeps_the_schema(tmp_path: Path) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(V1)
    server = start_emulator(schema, CONFIG, data_dir=tmp_path / "data", extra_args=["--no-reload"])
    try:
        schema.write_text(V2)
        time.sleep(1.5)
        assert "Tag" not in type_names(server)
    finally:
        server.stop()
