"""The admin: administrators edit the catalog; the ledger is for looking at only."""

import pytest
from django.urls import reverse

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.remedies.models import Grant, RemedyType
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, north, shop):
    client.force_login(make_staff("ada", Role.ADMINISTRATOR, north))
    return client


def test_an_administrator_edits_a_remedy_and_sees_the_ledger(admin_client, alice):
    note = RemedyType.objects.get(code="handwritten-note")
    page = admin_client.get(reverse("admin:remedies_remedytype_change", args=[note.pk]))
    assert page.status_code == 200
    grant = remedy_grant(case=case_with_loss(), user=alice, remedy_type=note)
    assert admin_client.get(reverse("admin:remedies_grant_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:remedies_grant_change", args=[grant.pk])).status_code == 200
    # Looking only: no add, no delete, and a post changes nothing.
    assert admin_client.get(reverse("admin:remedies_grant_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:remedies_grant_delete", args=[grant.pk]), {"post": "yes"}).status_code == 403
    )
    assert Grant.objects.filter(pk=grant.pk).exists()


def test_frontline_staff_have_no_admin(client, alice, shop):
    client.force_login(alice)
    response = client.get(reverse("admin:remedies_remedytype_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
