"""With no endpoint wanting the event, intake pays nothing for webhooks: not one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makegood.cases import signals
from makegood.cases.tests.factories import make_case
from makegood.webhooks import receivers, selectors
from makegood.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def _queries_of_an_intake() -> int:
    with CaptureQueriesContext(connection) as queries:
        make_case()
    return len(queries)


def _queries_without_the_receiver() -> int:
    signals.case_opened.disconnect(dispatch_uid="webhooks_case_opened")
    try:
        return _queries_of_an_intake()
    finally:
        signals.case_opened.connect(receivers.on_case_opened, dispatch_uid="webhooks_case_opened")


def test_with_no_endpoint_opening_a_case_runs_no_query_for_webhooks(north, django_assert_num_queries):
    make_case()  # warms every per-process memory, the subscriptions included
    baseline = _queries_without_the_receiver()
    with django_assert_num_queries(baseline):
        make_case()


def test_an_endpoint_that_does_not_want_case_opened_costs_intake_nothing_either(north, django_assert_num_queries):
    WebhookEndpoint.objects.create(url="https://crm.example.com/hooks", events=["follow_up.answered"])
    make_case()
    baseline = _queries_without_the_receiver()
    with django_assert_num_queries(baseline):
        make_case()
    assert not WebhookDelivery.objects.exists()


def test_the_endpoints_are_read_again_once_the_memory_is_older_than_its_ttl(north, monkeypatch):
    make_case()
    baseline = _queries_without_the_receiver()
    now = selectors._subscriptions._clock()
    monkeypatch.setattr(selectors._subscriptions, "_clock", lambda: now + selectors.SUBSCRIPTIONS_TTL_SECONDS + 1)
    assert _queries_of_an_intake() == baseline + 1
    assert _queries_of_an_intake() == baseline


def test_an_endpoint_added_in_this_process_gets_the_very_next_case(north, django_capture_on_commit_callbacks):
    make_case()  # remembers "nobody is subscribed"
    WebhookEndpoint.objects.create(url="https://crm.example.com/hooks")
    with django_capture_on_commit_callbacks(execute=False):
        make_case()
    assert WebhookDelivery.objects.filter(event="case.opened").count() == 1


def test_a_deleted_endpoint_is_forgotten_at_once(north):
    endpoint = WebhookEndpoint.objects.create(url="https://crm.example.com/hooks", events=["case.closed"])
    make_case()
    endpoint.delete()
    assert selectors.subscribed_events() == frozenset()
