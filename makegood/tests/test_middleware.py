"""The pages' middleware (session, CSRF, the session's user, messages) is passed by the API's
operations, which authenticate with a token; pages and the API's documentation still get it all."""

import pytest
from django.conf import settings

from makegood.accounts.services import api_token_issue
from makegood.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_an_api_call_reads_no_session_and_sets_no_cookie_even_from_a_logged_in_browser(client, alice, bob):
    case = make_case()
    client.force_login(bob)  # a session cookie goes along, for someone else than the token's owner
    response = client.get(
        f"/api/v1/cases/{case.reference}", headers={"Authorization": f"Bearer {api_token_issue(user=alice)}"}
    )
    assert response.status_code == 200, response.content
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    # Security headers are the same as a page's.
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_a_session_alone_does_not_open_the_api(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/cases")
    assert response.status_code == 401


def test_pages_still_have_their_session_user_csrf_cookie_and_messages(client, alice):
    login_page = client.get("/accounts/login/")
    assert settings.CSRF_COOKIE_NAME in login_page.cookies
    client.force_login(alice)
    queue = client.get("/queue/")
    assert queue.status_code == 200
    assert queue.wsgi_request.user == alice
    assert hasattr(queue.wsgi_request, "_messages")


def test_the_api_documentation_is_served_like_a_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")
