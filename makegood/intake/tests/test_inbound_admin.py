"""Administrators see rejected e-mails with the reason, and retry one once its cause is fixed."""

from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError

from makegood.accounts.models import Role
from makegood.cases.models import Case
from makegood.cases.tests.factories import make_staff
from makegood.intake.mail.ingest import Outcome, email_ingest
from makegood.intake.models import InboundMessage, InboundStatus

pytestmark = pytest.mark.django_db

MAIL = Path(__file__).parent / "mail"
LIST = "/admin/intake/inboundmessage/"


@pytest.fixture
def dana(north):
    return make_staff("dana", Role.ADMINISTRATOR, north)


@pytest.fixture
def rejected(north):
    assert email_ingest((MAIL / "no_sender.eml").read_bytes()).outcome == Outcome.REJECTED
    return InboundMessage.objects.get(status=InboundStatus.REJECTED)


def test_an_administrator_sees_rejected_messages_with_the_reason(client, dana, rejected):
    client.force_login(dana)
    response = client.get(LIST, {"status__exact": "rejected"})
    assert response.status_code == 200
    html = response.content.decode()
    assert rejected.error[:60] in html
    detail = client.get(f"{LIST}{rejected.pk}/change/")
    assert detail.status_code == 200
    assert rejected.error in detail.content.decode()


def test_a_frontline_employee_sees_no_inbound_messages(client, alice, rejected):
    client.force_login(alice)
    assert client.get(LIST).status_code in (302, 403)


def test_an_administrator_retries_a_rejected_message_after_fixing_its_cause(client, dana, north, monkeypatch):
    def misconfigured(**kwargs):
        raise ValidationError({"story": ["The service was misconfigured."]})

    # The cause, fixed below: intake could not use the message when it came.
    with monkeypatch.context() as patch:
        patch.setattr("makegood.intake.mail.ingest.case_open", misconfigured)
        assert email_ingest((MAIL / "plain.eml").read_bytes()).outcome == Outcome.REJECTED
    inbound = InboundMessage.objects.get()
    assert "misconfigured" in inbound.error
    assert Case.objects.count() == 0

    client.force_login(dana)
    response = client.post(LIST, {"action": "retry_messages", ACTION_CHECKBOX_NAME: [str(inbound.pk)]}, follow=True)
    assert response.status_code == 200
    case = Case.objects.get()
    assert f"opened {case.reference}" in response.content.decode()
    retried = InboundMessage.objects.get()
    assert (retried.status, retried.case) == (InboundStatus.OPENED_CASE, case)
    assert retried.received_at == inbound.received_at


def test_a_retry_that_is_rejected_again_keeps_the_message_with_the_new_reason(client, dana, rejected):
    client.force_login(dana)
    response = client.post(LIST, {"action": "retry_messages", ACTION_CHECKBOX_NAME: [str(rejected.pk)]}, follow=True)
    assert "rejected: no sender" in response.content.decode()
    again = InboundMessage.objects.get(status=InboundStatus.REJECTED)
    assert again.raw_message == (MAIL / "no_sender.eml").read_bytes()


def test_only_someone_allowed_to_retry_sees_the_action(client, north, rejected):
    from django.contrib.auth.models import Permission

    viewer = make_staff("vic", Role.FRONTLINE, north)
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_inboundmessage"))
    client.force_login(viewer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "retry_messages" not in response.content.decode()
    client.post(LIST, {"action": "retry_messages", ACTION_CHECKBOX_NAME: [str(rejected.pk)]})
    assert InboundMessage.objects.get(pk=rejected.pk).status == InboundStatus.REJECTED
