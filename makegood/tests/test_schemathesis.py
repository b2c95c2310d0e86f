"""The whole API fuzzed against its own OpenAPI schema (schemathesis): for every operation, a
bounded number of generated requests as a frontline employee and as a manager, on whichever
database the suite runs on. No answer may be a server error, and every answer must be one the
schema declares, with the declared content type and body.

It runs without schemathesis' pytest plugin (off for the rest of the suite, whose start-up it
would slow): each operation is one test that draws its cases through hypothesis.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.tests.factories import make_case, make_staff
from makegood.tests.urlwalk import operations

# Examples per operation and role: enough to reach every field's edge cases often, few enough
# that both roles over every operation stay near 30 s per database on two cores.
EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

_schema: schemathesis.BaseSchema | None = None


def api_schema() -> schemathesis.BaseSchema:
    global _schema
    if _schema is None:
        _schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    return _schema


@pytest.fixture
def in_the_test_transaction():
    """Requests go through the WSGI application itself, which closes the database connection at
    the end of each request; inside a test's transaction (on PostgreSQL) that would lose it. Django's
    test client holds the same two signals back for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def people(north, in_the_test_transaction):
    """A frontline employee and a manager of the team that owns a case; about half the generated
    requests to an endpoint that takes a reference are sent to that case."""
    case = make_case()
    frontline = make_staff("fran", Role.FRONTLINE, north)
    manager = make_staff("mona", Role.MANAGER, north)
    return {
        "frontline": api_token_issue(user=frontline),
        "manager": api_token_issue(user=manager),
        "reference": case.reference,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["frontline", "manager"])
@pytest.mark.parametrize("operation", operations(), ids=lambda op: f"{op.method} {op.path}")
def test_the_api_answers_as_its_schema_says(people, role, operation):
    api_operation = api_schema()[operation.path][operation.method]
    headers = {"Authorization": f"Bearer {people[role]}"}

    @given(case=api_operation.as_strategy(), real_case=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case, real_case):
        if real_case and "reference" in (case.path_parameters or {}):
            case.path_parameters["reference"] = people["reference"]  # past the 404, into the endpoint
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    answers_as_documented()
