"""The user admin: administrators manage staff through roles and teams; only a superuser makes a
superuser, hands out raw permissions or groups that are not roles."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(north):
    return make_staff("dana", Role.ADMINISTRATOR, north)


def change_data(user, **extra):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "groups": [str(group.pk) for group in user.groups.all()],
    }
    data.update(extra)
    return data


def test_an_administrator_cannot_make_a_frontline_employee_a_superuser(client, dana, alice):
    everything = Permission.objects.get(codename="view_all_cases")
    client.force_login(dana)
    response = client.post(
        f"/admin/auth/user/{alice.pk}/change/",
        change_data(alice, is_superuser="on", user_permissions=[str(everything.pk)]),
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_superuser
    assert not alice.user_permissions.exists()
    assert not alice.has_perm("cases.view_all_cases")


def test_an_administrators_user_form_has_no_superuser_status_or_raw_permissions(client, dana, alice):
    client.force_login(dana)
    html = client.get(f"/admin/auth/user/{alice.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' in html


def test_an_administrator_may_give_roles_but_no_other_group(client, dana, alice):
    secret = Group.objects.create(name="Everything")
    secret.permissions.add(Permission.objects.get(codename="view_all_cases"))
    manager = Group.objects.get(name=Role.MANAGER.value)
    client.force_login(dana)
    form = client.get(f"/admin/auth/user/{alice.pk}/change/").context["adminform"].form
    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == set(Role.values)

    response = client.post(f"/admin/auth/user/{alice.pk}/change/", change_data(alice, groups=[str(secret.pk)]))
    assert response.status_code == 200  # the form refuses the choice
    assert not alice.groups.filter(pk=secret.pk).exists()

    response = client.post(f"/admin/auth/user/{alice.pk}/change/", change_data(alice, groups=[str(manager.pk)]))
    assert response.status_code == 302
    assert list(alice.groups.values_list("name", flat=True)) == [Role.MANAGER.value]


def test_groups_a_superuser_gave_survive_an_administrators_edit(client, dana, alice):
    extra = Group.objects.create(name="Auditors")
    alice.groups.add(extra)
    client.force_login(dana)
    role = Group.objects.get(name=Role.FRONTLINE.value)
    response = client.post(
        f"/admin/auth/user/{alice.pk}/change/", change_data(alice, first_name="Ali", groups=[str(role.pk)])
    )
    assert response.status_code == 302
    assert set(alice.groups.values_list("name", flat=True)) == {Role.FRONTLINE.value, "Auditors"}


def test_an_administrator_cannot_change_a_superuser_or_their_password(client, dana):
    root = User.objects.create_superuser("root", "root@example.com", "pw-root")
    client.force_login(dana)
    response = client.post(f"/admin/auth/user/{root.pk}/change/", change_data(root, is_active=""))
    assert response.status_code == 403
    response = client.post(
        f"/admin/auth/user/{root.pk}/password/", {"password1": "taken-over-1", "password2": "taken-over-1"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.check_password("pw-root")


def test_a_superuser_still_grants_superuser_status(client, alice):
    root = User.objects.create_superuser("root", "root@example.com", "pw-root")
    client.force_login(root)
    response = client.post(f"/admin/auth/user/{alice.pk}/change/", change_data(alice, is_superuser="on"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.is_superuser
