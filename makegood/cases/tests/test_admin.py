"""The Django admin: every model registered, the audit log untouchable, tokens never readable."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from makegood.accounts.models import ApiToken
from makegood.accounts.services import api_token_issue
from makegood.cases.models import AuditEntry, ResponseTarget
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root", "root@example.com", "pw-root")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "model",
    [
        "accounts/team",
        "accounts/staffprofile",
        "accounts/apitoken",
        "cases/responsetarget",
        "cases/customer",
        "cases/case",
        "cases/auditentry",
        "intake/inboundmessage",
        "intake/idempotencykey",
    ],
)
def test_every_model_has_a_working_admin_list(client, root, alice, model):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    api_token_issue(user=alice, name="shop")
    response = client.get(f"/admin/{model}/")
    assert response.status_code == 200


def test_a_case_is_read_only_with_its_timeline_inline(client, root, alice):
    case = make_case()
    case_take_ownership(case=case, user=alice)
    response = client.get(f"/admin/cases/case/{case.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "I am taking ownership." in html
    assert 'name="story"' not in html  # shown, not editable
    assert client.post(f"/admin/cases/case/{case.pk}/change/", {"story": "rewritten"}).status_code == 403
    assert client.get("/admin/cases/case/add/").status_code == 403


def test_cases_can_be_found_by_reference(client, root, north):
    case = make_case()
    other = make_case(customer_email="other@example.com")
    html = client.get("/admin/cases/case/", {"q": case.reference}).content.decode()
    assert f"/admin/cases/case/{case.pk}/change/" in html
    assert f"/admin/cases/case/{other.pk}/change/" not in html


def test_the_audit_log_cannot_be_added_to_changed_or_deleted_in_the_admin(client, root, north):
    make_case()
    entry = AuditEntry.objects.get()
    assert client.get("/admin/cases/auditentry/add/").status_code == 403
    assert client.post(f"/admin/cases/auditentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert client.post(f"/admin/cases/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get().action == "case.opened"


def test_an_administrator_changes_a_response_target(client, root):
    target = ResponseTarget.objects.get(channel="email")
    response = client.post(
        f"/admin/cases/responsetarget/{target.pk}/change/", {"channel": "email", "target": "00:30:00"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target == timedelta(minutes=30)


def test_an_api_token_shows_its_prefix_never_its_plain_text_and_cannot_be_added(client, root, alice):
    plain = api_token_issue(user=alice, name="shop")
    token = ApiToken.objects.get()
    html = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert plain not in html
    assert token.prefix in html
    assert 'name="digest"' not in html
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_tokens_can_be_revoked_from_the_list(client, root, alice):
    api_token_issue(user=alice, name="shop")
    token = ApiToken.objects.get()
    client.post("/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}, follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
