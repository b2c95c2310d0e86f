"""`makegood create_api_token`: a working token on the last line, the user created when missing."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from makegood.accounts.models import ApiToken, Role, Team
from makegood.accounts.roles import role_of

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def last_line(output):
    assert output.endswith("\n")
    return output.splitlines()[-1]


def test_the_last_line_is_a_token_that_opens_cases_through_the_api(client, north):
    output = run("shop-integration")
    token = last_line(output)
    response = client.post(
        "/api/v1/cases",
        data={"channel": "web", "customer": {"email": "dana@example.com"}, "story": "Broken on arrival."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    # The new integration lands on the intake team, so it can read back what it filed.
    reference = response.json()["reference"]
    read = client.get(f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"})
    assert read.status_code == 200


def test_a_missing_user_is_created_as_staff_in_the_role_and_team_asked_for(north):
    run("mia", "--role", "manager", "--team", "Harbour Store", "--create-team")
    mia = User.objects.get(username="mia")
    assert role_of(mia) == Role.MANAGER
    assert mia.staff.team == Team.objects.get(slug="harbour-store", name="Harbour Store")
    assert not mia.check_password("")  # a token user; nobody logs in as them without a password set
    assert ApiToken.objects.filter(user=mia).count() == 1


def test_the_default_role_is_frontline():
    run("ned")
    assert role_of(User.objects.get(username="ned")) == Role.FRONTLINE


def test_a_team_is_found_by_its_slug_or_its_name_in_any_case(north):
    run("ona", "--team", "north")
    run("pia", "--team", "NORTH")
    assert Team.objects.count() == 1
    assert User.objects.get(username="ona").staff.team == north
    assert User.objects.get(username="pia").staff.team == north


def test_an_existing_user_gets_another_token_and_keeps_their_role_and_team(alice, north):
    first, second = last_line(run("alice")), last_line(run("alice"))
    assert first != second
    assert ApiToken.objects.filter(user=alice).count() == 2
    assert role_of(alice) == Role.FRONTLINE
    alice.refresh_from_db()
    assert alice.staff.team == north


def test_an_existing_users_role_can_be_changed_with_force(alice, north):
    run("alice", "--role", "process-owner", "--force")
    alice = User.objects.get(username="alice")
    assert role_of(alice) == Role.PROCESS_OWNER
    assert alice.staff.team == north


def test_an_existing_users_role_is_not_changed_without_force(alice, north):
    with pytest.raises(CommandError, match=r"alice already exists \(role frontline, team North\); add --force"):
        run("alice", "--role", "administrator")
    assert role_of(User.objects.get(username="alice")) == Role.FRONTLINE
    assert not ApiToken.objects.filter(user=alice).exists()


def test_naming_the_role_an_existing_user_already_has_needs_no_force(alice, north):
    assert last_line(run("alice", "--role", "frontline")).startswith("mg_")
    assert role_of(User.objects.get(username="alice")) == Role.FRONTLINE


def test_an_unknown_team_is_a_clear_error_and_creates_nothing(north):
    with pytest.raises(CommandError, match=r"No team 'nowhere' \(teams: North\)\. Add --create-team"):
        run("sid", "--team", "nowhere")
    assert Team.objects.count() == 1
    assert not User.objects.filter(username="sid").exists()
    assert not ApiToken.objects.exists()


def test_the_command_line_exits_non_zero_with_one_clear_line_on_stderr(north, capsys):
    from makegood.accounts.management.commands.create_api_token import Command

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["makegood", "create_api_token", "sid", "--team", "nowhere"])
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "No team 'nowhere'" in err
    assert "Traceback" not in err


def test_only_the_hash_of_the_token_is_stored():
    token = last_line(run("rae"))
    stored = ApiToken.objects.get()
    assert token.startswith("mg_")
    assert stored.digest != token and token not in stored.digest
    assert ApiToken.find_active(token) == stored
