"""Real public Amplify Gen 2 projects, each reduced to a fixture written for this test
(tests/fixtures/gen2-public/<name>/ORIGIN.md says from which repository and commit), started with
``appsync-emulator serve <project>`` and asked for their models over HTTP; the three with
relationships (``references``, as every Gen 2 relationship) serve them both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from emulator.testing import RunningEmulator, start_emulator
from tests.node_projects import GEN2_EXAMPLE, gen2_project_copy, node_with_installed
from tests.paths import ROOT

PUBLIC = ROOT / "tests" / "fixtures" / "gen2-public"


@pytest.fixture(scope="module")
def node() -> str:
    return node_with_installed(GEN2_EXAMPLE, "serving Amplify Gen 2 projects")


def serve(name: str, tmp_path: Path) -> RunningEmulator:
    project = gen2_project_copy(PUBLIC / name, tmp_path / name)
    return start_emulator(project, data_dir=tmp_path / "data", extra_args=["--no-reload"])


def todo_owner_reads_back(server: RunningEmulator) -> None:
    alice, bob = server.token("alice"), server.token("bob")
    created = server.graphql('mutation { createTodo(input: {content: "buy milk"}) { id owner } }', token=alice).json()
    assert created["data"]["createTodo"]["owner"] == "alice"
    assert server.graphql("{ listTodos { items { content } } }", token=alice).json()["data"]["listTodos"]["items"] == [
        {"content": "buy milk"}]
    assert server.graphql("{ listTodos { items { content } } }", token=bob).json()["data"]["listTodos"]["items"] == []


def composite_key_round_trip(server: RunningEmulator) -> None:
    created = server.graphql(
        'mutation { createEntrydata(input: {tenant_id: "t1", tran_id: "x1", name: "first"}) { tenant_id tran_id } }'
    ).json()
    assert created["data"]["createEntrydata"] == {"tenant_id": "t1", "tran_id": "x1"}, created
    got = server.graphql('{ getEntrydata(tenant_id: "t1", tran_id: "x1") { name } }').json()
    assert got["data"]["getEntrydata"] == {"name": "first"}


def project_tasks(server: RunningEmulator) -> None:
    alice, bob = server.token("alice"), server.token("bob")
    project = server.graphql('mutation { createProject(input: {name: "Launch"}) { id } }', token=alice).json()
    project_id = project["data"]["createProject"]["id"]
    for title in ("design", "build"):
        server.graphql('mutation($p: ID!, $t: String!) { createTask(input: {title: $t, done: false, projectId: $p}) '
                       '{ id } }', {"p": project_id, "t": title}, token=alice)
    listed = server.graphql("{ listProjects { items { name tasks { items { title } } } } }", token=alice).json()
    (launch,) = listed["data"]["listProjects"]["items"]
    assert sorted(t["title"] for t in launch["tasks"]["items"]) == ["build", "design"]
    tasks = server.graphql("{ listTasks { items { title project { id name } } } }", token=alice).json()
    assert {t["project"]["name"] for t in tasks["data"]["listTasks"]["items"]} == {"Launch"}
    assert server.graphql("{ listTasks { items { title } } }", token=bob).json()["data"]["listTasks"]["items"] == []


def tenant_users(server: RunningEmulator) -> None:
    admin = server.token("root", groups=("SaaSAdmin",))
    tenant = server.graphql('mutation { createTenant(input: {name: "acme", pricing: PRO}) { id } }', token=admin).json()
    tenant_id = tenant["data"]["createTenant"]["id"]
    created = server.graphql('mutation($t: ID!) { createUser(input: {email: "a@acme.test", tenantId: $t, '
                             'group: "acme", role: ADMIN}) { id tenant { name pricing } } }', {"t": tenant_id},
                             token=admin).json()
    assert created["data"]["createUser"]["tenant"] == {"name": "acme", "pricing": "PRO"}, created
    member = server.token("ann", groups=("acme",))
    got = server.graphql('query($t: ID!) { getTenant(id: $t) { name users { items { email role } } } }',
                         {"t": tenant_id}, token=member).json()
    assert got["data"]["getTenant"] == {"name": "acme", "users": {"items": [{"email": "a@acme.test", "role": "ADMIN"}]}}


def boxes_with_parts(server: RunningEmulator) -> None:
    admin = server.token("root", groups=("SuperAdmin",))
    org = server.graphql('mutation { createOrganization(input: {orgName: "Yard", contactEmail: "y@yard.test"}) '
                         '{ id country } }', token=admin).json()["data"]["createOrganization"]
    assert org["country"] == "Canada"
    box = server.graphql('mutation($o: ID!) { createBox(input: {orgID: $o, sellerID: "s1", materialType: copper}) '
                         '{ id isFinalized partsCount } }', {"o": org["id"]}, token=admin).json()["data"]["createBox"]
    assert (box["isFinalized"], box["partsCount"]) == (False, 0)
    server.graphql('mutation($b: ID!) { createPart(input: {boxID: $b, weightLb: 12.5, fillLevel: full}) { id } }',
                   {"b": box["id"]}, token=admin)
    read = server.graphql('query($o: ID!) { getOrganization(id: $o) { boxes { items { materialType '
                          'parts { items { weightLb box { organization { orgName } } } } } } } }',
                          {"o": org["id"]}, token=admin).json()
    (only_box,) = read["data"]["getOrganization"]["boxes"]["items"]
    assert only_box["materialType"] == "copper"
    assert only_box["parts"]["items"] == [{"weightLb": 12.5, "box": {"organization": {"orgName": "Yard"}}}]
    public = server.graphql("{ listParts { items { fillLevel box { materialType } } } }").json()  # the API key reads
    assert public["data"]["listParts"]["items"] == [{"fillLevel": "full", "box": {"materialType": "copper"}}]


SERVED: dict[str, Callable[[RunningEmulator], None]] = {
    "localstack-todo": todo_owner_reads_back,
    "vite-composite-key": composite_key_round_trip,
    "project-management": project_tasks,
    "saas-starter": tenant_users,
    "smash-scrap": boxes_with_parts,
}


@pytest.mark.parametrize("name", list(SERVED))
def test_public_project_starts_and_serves_its_models(name: str, node: str, tmp_path: Path) -> None:
    server = serve(name, tmp_path)
    try:
        SERVED[name](server)
    finally:
        server.stop()


def test_every_fixture_names_its_origin() -> None:
    names = sorted(p.name for p in PUBLIC.iterdir() if p.is_dir())
    assert names == sorted(SERVED)
    for name in names:
        origin = (PUBLIC / name / "ORIGIN.md").read_text()
        assert origin.startswith("Reduced from `") and " @ " in origin
