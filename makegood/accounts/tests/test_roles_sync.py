"""The role groups after a migrate (and after each transactional test's flush): synced once, when
every app's permissions exist, not once per app."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal

from makegood.accounts.models import Role
from makegood.accounts.roles import ROLE_PERMISSIONS


@pytest.mark.django_db
def test_post_migrate_syncs_the_roles_once_and_every_group_gets_its_permissions():
    Group.objects.all().delete()
    with mock.patch("makegood.accounts.services.roles_sync") as spy:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert spy.call_count == 1

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    held = {
        g.name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()} for g in Group.objects.all()
    }
    assert held == {role.value: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    assert set(held) == {role.value for role in Role}
