"""A 403 or a 404 is logged as one line, not a traceback: probes and stale links are not bugs."""

import logging

import pytest

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def logged(caplog, response_status):
    records = [record for record in caplog.records if record.name == "django.request"]
    assert [record.status_code for record in records] == [response_status]
    # Formatted by the project's own logging configuration (the console handler's filter sits on
    # the django.request logger, so every handler sees the record without its traceback).
    return logging.Formatter().format(records[0])


def test_a_404_is_one_line(client, alice, caplog):
    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/cases/MG-2026-999999/")
    assert response.status_code == 404
    line = logged(caplog, 404)
    assert line == "Not Found: /cases/MG-2026-999999/"


def test_a_403_is_one_line(client, north, caplog):
    client.force_login(make_staff("olga", Role.PROCESS_OWNER, north))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/cases/new/")
    assert response.status_code == 403
    line = logged(caplog, 403)
    assert line == "Forbidden (Permission denied): /cases/new/"


def test_a_server_error_keeps_its_traceback(client, alice, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("makegood.cases.views.case_get_for_user", broken)
    client.raise_request_exception = False
    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/cases/MG-2026-000001/").status_code == 500
    assert "Traceback" in logged(caplog, 500)
