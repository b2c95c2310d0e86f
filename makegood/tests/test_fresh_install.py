"""A fresh install without the demo: no team marked for unrouted complaints (or no team at all),
one administrator and one API token. A case posted through the API is never invisible: the
client reads it back, and it shows in a queue page."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from makegood.accounts.models import Role, Team
from makegood.cases.models import Case
from makegood.cases.tests.factories import TeamFactory, make_staff

pytestmark = pytest.mark.django_db


def issue_token(*args):
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().splitlines()[-1]


def post_case(client, token, **extra):
    return client.post(
        "/api/v1/cases",
        data={"channel": "web", "customer": {"email": "dana@example.com"}, "story": "Parcel never came.", **extra},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def read_case(client, token, reference):
    return client.get(f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"})


def test_with_no_team_at_all_a_case_is_read_back_and_shows_in_the_unrouted_queue(client):
    assert not Team.objects.exists() and not Case.objects.exists()
    admin = User.objects.create_superuser("admin", "admin@example.com", "pw-admin-123")
    token = issue_token("shop-integration")

    created = post_case(client, token)
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    read = read_case(client, token, reference)
    assert read.status_code == 200
    assert read.json()["team"] is None
    listed = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert reference in listed.content.decode()

    client.force_login(admin)
    queue = client.get("/queue/")
    assert queue.status_code == 200
    page = queue.content.decode()
    assert "Unrouted" in page
    assert reference in page


def test_a_manager_sees_the_unrouted_cases_and_a_frontline_employee_does_not(client):
    token = issue_token("shop-integration")
    reference = post_case(client, token).json()["reference"]
    north = TeamFactory.create(name="North")  # created after the case: the case stays in no team
    client.force_login(make_staff("mona", Role.MANAGER, north))
    assert reference in client.get("/queue/?team=unrouted").content.decode()
    assert client.get(f"/cases/{reference}/").status_code == 200
    client.force_login(make_staff("fred", Role.FRONTLINE, north))
    assert reference not in client.get("/queue/?team=unrouted").content.decode()
    assert client.get(f"/cases/{reference}/").status_code == 404


def test_with_teams_but_no_routing_complaints_go_to_the_first_team(client):
    first = TeamFactory.create(name="Riverside")
    TeamFactory.create(name="Harbour")
    assert not Team.objects.filter(receives_unrouted=True).exists()
    token = issue_token("shop-integration")
    reference = post_case(client, token).json()["reference"]
    assert Case.objects.get().team == first
    assert read_case(client, token, reference).status_code == 200

    client.force_login(make_staff("rita", Role.FRONTLINE, first))
    assert reference in client.get("/queue/").content.decode()


def test_a_client_reads_back_a_case_it_filed_for_another_team(client):
    TeamFactory.create(name="North", receives_unrouted=True)
    TeamFactory.create(name="South")
    token = issue_token("shop-integration", "--team", "north")
    reference = post_case(client, token, team="south").json()["reference"]
    assert Case.objects.get().team.slug == "south"
    assert read_case(client, token, reference).status_code == 200
