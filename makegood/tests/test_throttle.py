"""Rate limits: failed sign-ins and bad tokens locked out, API use limited per token and per
address, all answered 429 with Retry-After, and the client's address read through trusted proxies."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import caches
from django.test import RequestFactory

from makegood.accounts.models import Role
from makegood.accounts.services import api_token_issue
from makegood.cases.models import Case
from makegood.cases.tests.factories import make_staff
from makegood.intake.tests.test_webform import fields
from makegood.throttle import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
# The middle of a rate window, frozen: no test may straddle a window's end and see its count reset.
NOW = datetime(2026, 3, 2, 9, 0, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.MAKEGOOD_RATE_AUTH_FAILURES = "20/m"
    settings.MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER = "10/15m"
    settings.MAKEGOOD_RATE_API_TOKEN = "1200/m"
    settings.MAKEGOOD_RATE_API_ADDRESS = "2400/m"
    settings.MAKEGOOD_PROXY_COUNT = 0
    settings.MAKEGOOD_TRUSTED_PROXIES = []
    caches["default"].clear()
    caches[settings.MAKEGOOD_API_RATELIMIT_CACHE].clear()
    with time_machine.travel(NOW, tick=False):
        yield
    caches[settings.MAKEGOOD_API_RATELIMIT_CACHE].clear()


def login(client, username, password, address="203.0.113.7", path=LOGIN):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_thirty_wrong_passwords_are_not_followed_by_a_successful_login(client, alice, settings):
    settings.MAKEGOOD_RATE_LOGIN_FAILURES_PER_USER = "1000/m"  # the address's limit alone
    statuses = [login(client, "alice", f"guess-{n}").status_code for n in range(30)]
    assert statuses[:20] == [200] * 20  # the form again, "wrong password"
    assert set(statuses[20:]) == {429}
    response = login(client, "alice", "pw-alice")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else, elsewhere, signs in as usual.
    assert login(client, "alice", "pw-alice", address="198.51.100.2").status_code == 302


def test_a_username_tried_from_many_addresses_is_locked_out(client, alice):
    for n in range(10):
        login(client, "alice", f"guess-{n}", address=f"198.51.100.{n + 1}")
    response = login(client, "alice", "pw-alice", address="192.0.2.50")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    # Others are not locked out with alice.
    make_staff("zoe", Role.FRONTLINE)
    assert login(client, "zoe", "pw-zoe", address="192.0.2.50").status_code == 302


def test_the_admin_login_is_limited_too(client, north):
    make_staff("dana", Role.ADMINISTRATOR, north)
    for n in range(20):
        login(client, "dana", f"guess-{n}", path="/admin/login/")
    assert login(client, "dana", "pw-dana", path="/admin/login/").status_code == 429


def test_a_login_page_read_is_never_limited(client, alice):
    for n in range(25):
        login(client, "alice", f"guess-{n}")
    assert client.get(LOGIN, REMOTE_ADDR="203.0.113.7").status_code == 200


# --- the API ------------------------------------------------------------------------------------


def api_get(client, token, address="203.0.113.7"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/cases", headers=headers, REMOTE_ADDR=address)


def test_bad_tokens_from_one_address_are_answered_429_after_twenty(client, alice):
    statuses = [api_get(client, f"wrong-{n}").status_code for n in range(25)]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
    response = api_get(client, "wrong-again")
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert api_get(client, None).status_code == 429  # no token at all is a failure too
    # Another address is not affected; a real token (unguessable) still works from anywhere.
    assert api_get(client, "wrong", address="198.51.100.2").status_code == 401
    assert api_get(client, api_token_issue(user=alice)).status_code == 200


def test_one_token_is_limited_per_minute_and_another_is_not(client, alice, bob, settings):
    settings.MAKEGOOD_RATE_API_TOKEN = "5/m"
    token, other = api_token_issue(user=alice), api_token_issue(user=bob)
    assert [api_get(client, token).status_code for _ in range(5)] == [200] * 5
    limited = api_get(client, token)
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60
    assert limited.json()["detail"].startswith("Too many requests.")
    assert api_get(client, other).status_code == 200


def test_sixty_case_creations_in_a_row_are_limited(client, alice, north, settings):
    settings.MAKEGOOD_RATE_API_TOKEN = "30/m"
    token = api_token_issue(user=alice)
    body = {"channel": "phone", "customer": {"name": "Ann", "phone": "+1 202 555 0143"}, "story": "Broken again."}
    statuses = [
        client.post(
            "/api/v1/cases", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        for _ in range(60)
    ]
    assert statuses.count(201) == 30
    assert set(statuses[30:]) == {429}
    assert Case.objects.count() == 30


def test_one_address_is_limited_whatever_the_token(client, alice, bob, settings):
    settings.MAKEGOOD_RATE_API_ADDRESS = "6/m"
    tokens = [api_token_issue(user=alice), api_token_issue(user=bob)]
    assert [api_get(client, tokens[n % 2]).status_code for n in range(6)] == [200] * 6
    assert api_get(client, tokens[0]).status_code == 429
    assert api_get(client, tokens[1], address="198.51.100.2").status_code == 200


def test_a_limit_set_to_nothing_is_off(client, alice, settings):
    settings.MAKEGOOD_RATE_API_TOKEN = ""
    settings.MAKEGOOD_RATE_API_ADDRESS = ""
    token = api_token_issue(user=alice)
    assert {api_get(client, token).status_code for _ in range(30)} == {200}


# --- who the client is --------------------------------------------------------------------------


def request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxy_settings_x_forwarded_for_is_ignored():
    assert client_ip(request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


def test_with_one_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.MAKEGOOD_PROXY_COUNT = 1
    assert client_ip(request("10.0.0.2", "203.0.113.7")) == "203.0.113.7"
    # What the client wrote itself, to the left, is not believed.
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    # Straight to the app, past the proxy: nothing vouches for the header.
    assert client_ip(request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_with_two_proxies_the_second_forwarded_address_from_the_right_is_the_client(settings):
    settings.MAKEGOOD_PROXY_COUNT = 2
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    assert client_ip(request("10.0.0.2", "203.0.113.7")) == "10.0.0.2"


def test_trusted_proxies_are_skipped_from_the_right(settings):
    settings.MAKEGOOD_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.7, 192.0.2.10")) == "203.0.113.7"
    assert client_ip(request("10.0.0.2", "2001:db8::1")) == "2001:db8::1"
    # From an untrusted peer the header is the client's own claim: ignored.
    assert client_ip(request("198.51.100.2", "203.0.113.7")) == "198.51.100.2"


def test_behind_a_proxy_customers_do_not_share_one_web_form_bucket(client, north, settings):
    def post(customer):
        return client.post("/complain/", fields(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=customer)

    # Not configured: every customer is the proxy, and the sixth form of the minute is refused.
    assert [post(f"203.0.113.{n}").status_code for n in range(6)] == [302] * 5 + [429]
    caches["default"].clear()
    settings.MAKEGOOD_PROXY_COUNT = 1
    assert [post(f"198.51.100.{n}").status_code for n in range(8)] == [302] * 8
    limited = [post("192.0.2.1") for _ in range(6)]
    assert [response.status_code for response in limited] == [302] * 5 + [429]
    assert limited[-1]["Retry-After"] == "60"


def test_the_api_limits_key_on_the_client_behind_the_proxy(client, alice, bob, settings):
    settings.MAKEGOOD_PROXY_COUNT = 1
    settings.MAKEGOOD_RATE_API_ADDRESS = "3/m"
    token = api_token_issue(user=alice)

    def get(customer):
        return client.get(
            "/api/v1/cases",
            headers={"Authorization": f"Bearer {token}"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=customer,
        ).status_code

    assert [get("203.0.113.7") for _ in range(4)] == [200, 200, 200, 429]
    assert get("198.51.100.2") == 200
