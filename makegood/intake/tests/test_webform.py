"""The public complaint form at /complain/: filing, confirmation, double submit, bad input and abuse."""

import logging
import re

import pytest
import time_machine
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client

from makegood.cases.models import AuditEntry, Case, CaseEvent, Customer
from makegood.intake.forms import form_token_new
from makegood.intake.models import IdempotencyKey

pytestmark = pytest.mark.django_db

URL = "/complain/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def fields(**overrides):
    data = {
        "name": "Dana Whitfield",
        "email": "dana@example.com",
        "phone": "+1 415 555 0100",
        "story": "The sofa arrived with a torn cushion and nobody called back.",
        "expectation": "A new cushion before the weekend.",
        "website": "",
        "form_token": form_token_new(),
    }
    data.update(overrides)
    return data


def token_in(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


def nothing_written():
    return (
        Case.objects.count() == 0
        and Customer.objects.count() == 0
        and CaseEvent.objects.count() == 0
        and AuditEntry.objects.count() == 0
        and IdempotencyKey.objects.count() == 0
    )


def test_the_form_is_public_accessible_and_carries_a_one_time_token(client, north):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert token_in(html)
    assert '<label for="id_story"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="tel"' in html and 'autocomplete="name"' in html
    assert 'maxlength="20000"' in html
    assert 'name="viewport"' in html
    # Two renderings, two different tokens.
    assert token_in(client.get(URL).content.decode()) != token_in(html)


def test_a_customer_files_a_complaint_and_sees_the_reference_and_what_happens_next(client, north):
    response = client.post(URL, fields())
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "web" and case.team == north
    assert case.customer.email == "dana@example.com"
    assert case.story.startswith("The sofa arrived")

    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert thanks.status_code == 200
    assert case.reference in html
    assert "within 1 hour" in html
    assert "What happens next" in html


def test_the_confirmation_url_carries_only_a_signed_token(client, north):
    location = client.post(URL, fields())["Location"]
    case = Case.objects.get()
    assert "dana" not in location.lower()
    assert "whitfield" not in location.lower()
    assert case.reference not in location
    assert not re.search(rf"/{case.pk}/", location)
    # Someone who changes the token gets nothing; a token for another case cannot be made up.
    assert client.get(location.rstrip("/") + "x/").status_code == 404
    forged = signing.Signer(salt="another-salt").sign_object({"case": case.pk})
    assert client.get(f"/complain/thanks/{forged}/").status_code == 404


def test_the_customer_gets_one_acknowledgement_email(client, north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, fields())
    case = Case.objects.get()
    assert len(mail.outbox) == 1
    assert case.reference in mail.outbox[0].subject


def test_a_second_submit_of_the_same_form_shows_the_same_confirmation_and_opens_no_second_case(
    client, north, django_capture_on_commit_callbacks
):
    data = fields()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.filter(scope="webform", key=data["form_token"]).count() == 1
    assert len(mail.outbox) == 1


def test_a_resubmit_after_going_back_and_editing_still_opens_no_second_case(client, north):
    data = fields()
    first = client.post(URL, data)
    second = client.post(URL, {**data, "story": "Actually it was two cushions."})
    assert second["Location"] == first["Location"]
    assert Case.objects.count() == 1


def test_a_fresh_form_opens_a_new_case_for_a_new_complaint(client, north):
    client.post(URL, fields())
    client.post(URL, fields(story="And now the legs are wobbly."))
    assert Case.objects.count() == 2
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"story": ""}, "story", "Tell us what happened."),
        ({"story": "   "}, "story", "Tell us what happened."),
        ({"name": ""}, "name", "Tell us your name."),
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
        ({"email": "", "phone": ""}, "email", "Give an e-mail address or a phone number"),
        ({"phone": "call me maybe"}, "phone", "Enter a valid phone number."),
        ({"story": "x" * 20_001}, "story", "20000 characters"),
        ({"expectation": "y" * 5_001}, "expectation", "5000 characters"),
        ({"name": "z" * 201}, "name", "200 characters"),
        ({"email": "a" * 250 + "@example.com"}, "email", "254 characters"),
    ],
)
def test_bad_input_re_renders_the_form_with_a_message_on_the_field_and_writes_nothing(
    client, north, overrides, field, message
):
    response = client.post(URL, fields(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    # The message is tied to its field for screen readers.
    assert re.search(rf'id="id_{field}_error"', html)
    assert re.search(rf'<(input|textarea)[^>]*aria-invalid="true"[^>]*id="id_{field}"', html) or re.search(
        rf'<(input|textarea)[^>]*id="id_{field}"[^>]*aria-invalid="true"', html
    )
    assert nothing_written()


def test_a_rerendered_form_keeps_what_the_customer_typed_escaped(client, north):
    response = client.post(URL, fields(name="<script>alert(1)</script>", email="bad"))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert nothing_written()


def test_a_nul_character_is_refused_not_a_500(client, north):
    response = client.post(URL, fields(story="broken\x00sofa"))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert nothing_written()


def test_an_expired_or_forged_form_token_asks_to_send_again_and_keeps_the_text(client, north):
    response = client.post(URL, fields(form_token="made-up"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "please check your details and send it again" in html
    assert "The sofa arrived with a torn cushion" in html
    assert nothing_written()
    # The re-rendered form has a good token: sending it again works.
    again = client.post(URL, fields(form_token=token_in(html)))
    assert again.status_code == 302
    assert Case.objects.count() == 1


# "mangled" stands for a real token with its signature tampered; it is made in the test, so that
# every pytest-xdist worker collects the same parameters.
@pytest.mark.parametrize("token", ["", "x" * 5000, "abc\x00def", "mangled"])
def test_a_missing_or_mangled_form_token_never_causes_an_error(client, north, token):
    if token == "mangled":
        token = form_token_new()[:-3] + "xyz"
    response = client.post(URL, fields(form_token=token))
    html = response.content.decode()
    assert response.status_code == 200
    assert "please check your details and send it again" in html
    assert token_in(html) != token
    assert nothing_written()


def test_a_double_submit_of_a_form_left_open_too_long_still_shows_the_first_confirmation(client, north):
    with time_machine.travel("2026-11-01 09:00:00+00:00"):
        data = fields()
        first = client.post(URL, data)
    with time_machine.travel("2026-11-04 09:00:00+00:00"):
        second = client.post(URL, data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Case.objects.count() == 1


def test_a_form_left_open_for_days_asks_to_be_sent_again(client, north):
    with time_machine.travel("2026-11-01 09:00:00+00:00"):
        old_token = form_token_new()
    with time_machine.travel("2026-11-04 09:00:00+00:00"):
        response = client.post(URL, fields(form_token=old_token))
    assert response.status_code == 200
    assert "please check your details and send it again" in response.content.decode()
    assert nothing_written()


def test_a_filled_honeypot_looks_like_success_but_opens_no_case_and_is_logged(client, north, caplog):
    with caplog.at_level(logging.WARNING, logger="makegood.intake.views"):
        response = client.post(URL, fields(website="http://spam.example"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert nothing_written()
    assert "honeypot" in caplog.text


def test_the_honeypot_is_hidden_from_people(client, north):
    html = client.get(URL).content.decode()
    assert re.search(r'<div class="hp" aria-hidden="true">', html)
    assert re.search(r'name="website"[^>]*tabindex="-1"|tabindex="-1"[^>]*name="website"', html)


def test_the_sixth_complaint_in_a_minute_from_one_address_is_refused_with_what_was_typed(client, north, caplog):
    for _ in range(5):
        assert client.post(URL, fields(), REMOTE_ADDR="203.0.113.7").status_code == 302
    with caplog.at_level(logging.WARNING, logger="makegood.intake.views"):
        limited = client.post(URL, fields(story="The bell fell off on the first ride."), REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    html = limited.content.decode()
    assert "please send it again in a minute" in html
    assert "The bell fell off on the first ride." in html  # nothing typed is lost
    assert 'value="dana@example.com"' in html
    assert Case.objects.count() == 5
    assert "rate limit" in caplog.text
    # Another address is not held up, and reading the form is never limited.
    assert client.post(URL, fields(), REMOTE_ADDR="198.51.100.2").status_code == 302
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_refused_submissions_do_not_count_towards_the_rate_limit(client, north):
    for _ in range(8):
        invalid = client.post(URL, fields(email="not an address", phone=""), REMOTE_ADDR="203.0.113.8")
        assert invalid.status_code == 200
        assert "not an address" in invalid.content.decode()
    for _ in range(5):
        assert client.post(URL, fields(), REMOTE_ADDR="203.0.113.8").status_code == 302
    assert client.post(URL, fields(), REMOTE_ADDR="203.0.113.8").status_code == 429
    assert Case.objects.count() == 5


def test_a_post_without_a_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, fields())
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_an_unknown_method_is_refused(client, north):
    assert client.put(URL).status_code == 405
