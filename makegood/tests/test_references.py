"""A malformed case reference is a 404 on every page and endpoint that takes one, never a 500."""

import pytest

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.models import find_reference, parse_reference
from makegood.cases.selectors import case_get_for_user
from makegood.cases.tests.factories import make_case, make_staff
from makegood.tests.urlwalk import operations, pages

MALFORMED = [
    "MG-0000-000001",  # year 0: a `__year` look-up raised
    "MG-9999-000001",  # a year past what the calendar types hold in every time zone
    "MG-2026-99999999999999999999",  # past the largest primary key: an integer overflow
    "MG-2026-0000000000000000000000000000001",
    "MG-2026-000000",  # there is no case 0
    "MG-\u0662\u0660\u0662\u0666-000001",  # Arabic-Indic digits
    "MG-\uff12\uff10\uff12\uff16-000001",  # full-width digits
    "MG-2026-\u0661\u0662\u0663\u0664\u0665\u0666",
    "MG-2026-1",
    "nonsense",
]
# The two that were server errors; the parse tests above cover the rest.
WALKED = ["MG-0000-000001", "MG-2026-99999999999999999999"]
REFERENCE_PAGES = [page for page in pages() if page.takes_reference]
REFERENCE_OPERATIONS = [operation for operation in operations() if operation.takes_reference]


def test_the_walk_finds_the_pages_and_endpoints_that_take_a_reference():
    # If this fails the walk is broken, and the tests below would pass by testing nothing.
    assert len(REFERENCE_PAGES) >= 15
    assert len(REFERENCE_OPERATIONS) >= 10


@pytest.mark.parametrize("reference", MALFORMED)
def test_parse_reference_refuses_what_no_case_could_have(reference):
    assert parse_reference(reference) is None
    assert find_reference(f"Re: your case {reference}") is None


def test_parse_and_find_still_read_real_references():
    assert parse_reference(" mg-2026-000123 ") == (2026, 123)
    assert parse_reference("MG-2026-1234567") == (2026, 1234567)
    assert find_reference("Re: MG-0000-000001 and MG-2026-000042") == (2026, 42)


@pytest.mark.django_db
def test_a_case_is_found_by_its_reference_in_utc_whatever_the_site_time_zone(settings, north):
    """Received at 23:30 UTC on New Year's Eve: in Berlin it is already the next year, but the
    reference names the UTC year, and looking it up must find it."""
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Europe/Berlin"
    case = make_case(received_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    case.refresh_from_db()
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    assert case.reference.startswith("MG-2025-")
    assert case_get_for_user(admin, case.reference) == case


@pytest.fixture
def admin_user(north):
    # Sees every case: nothing is hidden for want of permission, so a 404 means "no such case".
    return make_staff("ada", Role.ADMINISTRATOR, north)


@pytest.mark.django_db
@pytest.mark.parametrize("page", REFERENCE_PAGES, ids=lambda page: page.route)
@pytest.mark.parametrize("reference", WALKED)
def test_every_page_that_takes_a_reference_answers_404_to_a_malformed_one(client, admin_user, page, reference):
    client.force_login(admin_user)
    statuses = {client.get(page.url(reference)).status_code, client.post(page.url(reference)).status_code}
    # A page that only takes POST answers GET with 405 before looking anything up.
    assert statuses <= {404, 405}
    assert 404 in statuses


@pytest.mark.django_db
@pytest.mark.parametrize("operation", REFERENCE_OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
@pytest.mark.parametrize("reference", WALKED)
def test_every_endpoint_that_takes_a_reference_answers_404_to_a_malformed_one(client, admin_user, operation, reference):
    token = api_token_issue(user=admin_user)
    response = client.generic(
        operation.method,
        operation.url(reference),
        b"{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    if operation.method == "GET":
        assert response.status_code == 404, response.content
    else:
        # A body the endpoint cannot read is refused before the look-up; never a server error.
        assert response.status_code in (404, 400, 422), response.content
    assert response.json()["detail"]
