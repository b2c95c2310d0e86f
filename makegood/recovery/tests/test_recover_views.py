"""The guided recovery screen at /cases/<reference>/recover/: steps posted as plain forms and with
htmx, the order rules' messages, nothing lost on a refusal, the timeline, the case page and queue."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from makegood.accounts.models import Role
from makegood.cases.models import Case, CaseEvent, Feeling, Status
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff
from makegood.recovery.models import RecoveryEventKind, RecoveryStep, ScriptPrompt, StepKind, Suggestion
from makegood.recovery.scripts import DEFAULT_PROMPTS
from makegood.recovery.services import recovery_step_record

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def case(alice):
    return case_take_ownership(case=make_case(story="The lamp arrived in pieces."), user=alice)


@pytest.fixture
def owner(client, alice):
    client.force_login(alice)
    return client


def url(case, step=""):
    return f"/cases/{case.reference}/recover/" + (f"{step}/" if step else "")


def post_step(client, case, kind, data, **kwargs):
    return client.post(url(case, kind), data, **kwargs)


def kinds(case):
    return list(RecoveryStep.objects.filter(case=case).values_list("kind", flat=True))


def walk_to(case, user, last):
    """Record the conversation, through the service, up to and including `last`."""
    steps: list[tuple[str, dict[str, Any]]] = [
        (StepKind.LISTEN, {"text": "Story", "expectation": "A new lamp"}),
        (StepKind.REPEAT_BACK, {"text": "You need a new lamp.", "confirmed": True}),
        (StepKind.APOLOGIZE, {"text": "I am so sorry."}),
        (StepKind.EMPATHY, {"text": "", "feeling": Feeling.SAD}),
        (StepKind.SOLVE, {"text": "A new lamp ships today.", "accepted": True}),
        (StepKind.THANK, {"text": "Thank you for telling us."}),
    ]
    for kind, fields in steps:
        recovery_step_record(case=case, user=user, kind=kind, **fields)
        if kind == last:
            return


# Who gets the screen ------------------------------------------------------------------------------


def test_the_owner_gets_the_listen_step_prefilled_from_the_complaint_with_its_prompt(owner, case):
    Case.objects.filter(pk=case.pk).update(expectation="A new lamp by Friday.")
    response = owner.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-step="listen"' in html and 'data-testid="current-step"' in html
    assert ">\nThe lamp arrived in pieces.</textarea>" in html
    assert ">\nA new lamp by Friday.</textarea>" in html
    assert "What would make this right for you?" in html
    assert "Let the customer tell the whole story without interrupting." in html
    assert f'action="/cases/{case.reference}/recover/listen/"' in html
    assert f'hx-post="/cases/{case.reference}/recover/listen/"' in html


def test_someone_who_does_not_own_the_case_is_sent_to_the_case_page_to_take_ownership(client, alice, north):
    unowned = make_case()
    client.force_login(alice)
    response = client.get(url(unowned), follow=True)
    assert response.redirect_chain == [(f"/cases/{unowned.reference}/", 302)]
    html = response.content.decode()
    assert "Take ownership of the case first" in html
    assert f'action="/cases/{unowned.reference}/take/"' in html


def test_a_teammate_cannot_record_a_step_on_a_case_someone_else_owns(client, case, north):
    colleague = make_staff("cara", Role.FRONTLINE, north)
    client.force_login(colleague)
    response = post_step(client, case, "listen", {"text": "Story"})
    assert response.status_code == 422
    assert "Take ownership of the case before recording the conversation." in response.content.decode()
    assert not RecoveryStep.objects.exists()


def test_charlie_gets_a_404_for_the_screen_every_step_and_the_coach(client, charlie, case):
    client.force_login(charlie)
    assert client.get(url(case)).status_code == 404
    for kind in StepKind.values:
        assert post_step(client, case, kind, {"text": "x", "feeling": "sad", "confirmed": "yes"}).status_code == 404
    assert client.post(f"/cases/{case.reference}/coach/", {"body": "No."}).status_code == 404
    assert not RecoveryStep.objects.exists()


def test_the_screen_needs_a_login(client, case):
    response = client.get(url(case))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_step_is_a_404(owner, case):
    assert post_step(owner, case, "shrug", {"text": "x"}).status_code == 404


# Recording the steps ------------------------------------------------------------------------------


def test_a_whole_conversation_is_recorded_through_the_screen_and_lands_in_the_timeline(owner, case):
    posts = [
        ("listen", {"text": "It broke in transit.", "questions": "When? Monday.", "expectation": "A new lamp"}),
        ("repeat_back", {"text": "So it arrived broken.", "confirmed": "yes"}),
        ("apologize", {"text": "I am so sorry."}),
        ("empathy", {"feeling": "disappointed", "text": "I can hear how disappointing that is."}),
        ("solve", {"text": "A new lamp ships today.", "accepted": "on"}),
        ("thank", {"text": "Thank you for telling us.", "suggestion": "Better packing"}),
    ]
    expected_next = ["repeat_back", "apologize", "empathy", "solve", "thank", ""]
    for (kind, data), following in zip(posts, expected_next, strict=True):
        response = post_step(owner, case, kind, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == url(case) + (f"?step={following}" if following else "")

    assert kinds(case) == [kind for kind, _ in posts]
    case.refresh_from_db()
    assert case.expectation == "A new lamp" and case.feeling == Feeling.DISAPPOINTED
    assert Suggestion.objects.get(case=case).text == "Better packing"
    events = CaseEvent.objects.filter(case=case, kind=RecoveryEventKind.RECOVERY_STEP).order_by("at", "pk")
    assert [e.data["step"] for e in events] == [kind for kind, _ in posts]

    html = owner.get(f"/cases/{case.reference}/").content.decode()
    assert re.findall(r'class="timeline__step" data-step="(\w+)"', html) == [kind for kind, _ in posts]
    assert "Questions:</span> When? Monday." in html
    assert "The customer confirmed it." in html
    assert "Feeling named:</span> Disappointed" in html
    assert "The customer accepts this." in html
    assert "Their suggestion:</span> Better packing" in html

    done = owner.get(url(case)).content.decode()
    assert 'data-testid="complete"' in done
    assert done.count('data-state="done"') == 6
    assert 'action="/cases/MG-' in done and "/resolve/" in done
    assert ">\nA new lamp ships today.</textarea>" in done  # the resolution, prefilled with the solution


def test_a_step_posted_with_htmx_answers_with_the_next_step_in_place(owner, case):
    response = post_step(owner, case, "listen", {"text": "Story"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="recover"')
    assert "<html" not in html
    assert 'data-step="repeat_back"' in html
    assert "Listen: recorded." in html
    assert "autofocus" in html
    assert response["HX-Push-Url"] == url(case) + "?step=repeat_back"


def test_a_refused_step_with_htmx_comes_back_as_a_swappable_fragment_with_the_message(owner, case):
    response = post_step(owner, case, "thank", {"text": "Thanks a lot!"}, headers=HTMX)
    assert response.status_code == 200  # htmx swaps only 2xx answers
    html = response.content.decode()
    assert "Agree on a solution the customer accepts before thanking them and closing." in html
    assert ">\nThanks a lot!</textarea>" in html
    assert not RecoveryStep.objects.exists()


def test_thanking_before_listening_is_refused_with_a_clear_message_and_the_text_kept(owner, case):
    response = post_step(owner, case, "thank", {"text": "Thank you so much!", "suggestion": "Open on Sundays"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Agree on a solution the customer accepts before thanking them and closing." in html
    assert ">\nThank you so much!</textarea>" in html
    assert ">\nOpen on Sundays</textarea>" in html
    assert not RecoveryStep.objects.exists() and not Suggestion.objects.exists()


def test_an_empty_step_is_refused_with_a_clear_message(owner, case):
    response = post_step(owner, case, "listen", {"text": "   ", "questions": "Which day?"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This step needs some text: write what was said." in html
    assert ">\nWhich day?</textarea>" in html
    assert not RecoveryStep.objects.exists()


def test_an_overlong_step_is_refused_and_the_text_stays_in_the_form(owner, case):
    text = "word " * 2_001  # 10,005 characters, 10,004 once stripped
    response = post_step(owner, case, "listen", {"text": text})
    assert response.status_code == 422
    html = response.content.decode()
    assert "At most 10000 characters (this has 10004)." in html
    assert text.strip() in html
    assert "maxlength" not in html  # a browser would cut a long paste short without saying so
    assert not RecoveryStep.objects.exists()


def test_a_correction_needs_its_text_and_loops_back_to_listening(owner, case, alice):
    walk_to(case, alice, StepKind.LISTEN)
    missing = post_step(owner, case, "repeat_back", {"text": "You want a refund.", "confirmed": "no"})
    assert missing.status_code == 422
    assert "This step needs some text" in missing.content.decode()
    unanswered = post_step(owner, case, "repeat_back", {"text": "You want a refund."})
    assert "Say whether the customer confirmed it or corrected you." in unanswered.content.decode()

    response = post_step(
        owner, case, "repeat_back", {"text": "You want a refund.", "confirmed": "no", "correction": "A swap."}
    )
    assert response["Location"] == url(case) + "?step=listen"
    html = owner.get(url(case)).content.decode()
    assert 'data-step="listen" data-state="next"' in html
    assert 'data-step="repeat_back" data-state="waiting"' in html


def test_the_empathy_step_preselects_the_detected_feeling_and_keeps_both(owner, case, alice):
    Case.objects.filter(pk=case.pk).update(detected_feeling=Feeling.ANXIOUS, detected_feeling_confidence=0.64)
    walk_to(case, alice, StepKind.REPEAT_BACK)
    html = owner.get(url(case) + "?step=empathy").content.decode()
    assert "Makegood hears <strong>anxious</strong> (64% sure)" in html
    assert re.search(r'<input type="radio" name="feeling" value="anxious"[^>]*checked', html)

    post_step(owner, case, "empathy", {"feeling": "scared"})
    case.refresh_from_db()
    assert case.feeling == Feeling.SCARED and case.detected_feeling == Feeling.ANXIOUS
    assert RecoveryStep.objects.get(case=case, kind="empathy").data["detected"] == "anxious"


def test_a_feeling_must_be_chosen(owner, case, alice):
    walk_to(case, alice, StepKind.REPEAT_BACK)
    response = post_step(owner, case, "empathy", {"text": "That sounds hard."})
    assert response.status_code == 422
    assert "Choose the feeling you hear." in response.content.decode()


def test_a_solution_the_customer_did_not_accept_keeps_solve_next_and_thanking_waits(owner, case, alice):
    walk_to(case, alice, StepKind.EMPATHY)
    response = post_step(owner, case, "solve", {"text": "A voucher."})  # the box left unticked
    assert response["Location"] == url(case) + "?step=solve"
    refused = post_step(owner, case, "thank", {"text": "Thanks!"})
    assert "Agree on a solution the customer accepts" in refused.content.decode()
    assert RecoveryStep.objects.get(case=case, kind="solve").data["accepted"] is False


def test_any_allowed_step_can_be_revisited_and_the_screen_says_which_are_not_yet_possible(owner, case, alice):
    walk_to(case, alice, StepKind.THANK)
    html = owner.get(url(case) + "?step=apologize").content.decode()
    assert 'data-step="apologize"' in html and "Your apology" in html
    post_step(owner, case, "apologize", {"text": "Again, I am truly sorry."})
    assert kinds(case)[-1] == "apologize"

    fresh = make_case(customer_email="other@example.com")
    case_take_ownership(case=fresh, user=alice)
    waiting = owner.get(url(fresh) + "?step=solve").content.decode()
    assert "Not yet: Repeat back what you heard, and have the customer confirm it, before solving." in waiting


def test_an_administrators_script_replaces_the_default_prompt(owner, case):
    ScriptPrompt.objects.create(language="en", step=StepKind.APOLOGIZE, prompt="Say sorry like you mean it.")
    html = owner.get(url(case) + "?step=apologize").content.decode()
    assert "Say sorry like you mean it." in html
    assert DEFAULT_PROMPTS[StepKind.APOLOGIZE] not in html


def test_a_resolved_case_shows_the_conversation_without_forms_and_refuses_more_steps(owner, case, alice):
    walk_to(case, alice, StepKind.THANK)
    owner.post(f"/cases/{case.reference}/resolve/", {"resolution": "A new lamp shipped."})
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    html = owner.get(url(case)).content.decode()
    assert "This case is resolved, so no more steps can be recorded." in html
    assert 'data-testid="current-step"' not in html and "/recover/thank/" not in html
    assert "Thank you for telling us." in html  # the conversation as recorded
    response = post_step(owner, case, "apologize", {"text": "Sorry again."})
    assert "This case is no longer open" in response.content.decode()
    assert ">\nSorry again.</textarea>" in response.content.decode()
    assert kinds(case).count("apologize") == 1


# The case page and the queue ----------------------------------------------------------------------


def test_the_case_page_offers_the_owner_the_recover_button_with_the_next_step(owner, case, alice):
    html = owner.get(f"/cases/{case.reference}/").content.decode()
    assert f'href="/cases/{case.reference}/recover/"' in html
    assert "Start with: <strong>Listen</strong>" in html
    walk_to(case, alice, StepKind.LISTEN)
    html = owner.get(f"/cases/{case.reference}/").content.decode()
    assert "Next: <strong>Repeat back</strong>" in html and "Continue recovering" in html


def test_the_case_page_does_not_offer_recovery_to_someone_who_does_not_own_it(client, case, bob):
    client.force_login(bob)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'href="/cases/{case.reference}/recover/"' not in html


def test_the_case_page_shows_the_detected_and_the_named_feeling(owner, case, alice):
    Case.objects.filter(pk=case.pk).update(detected_feeling=Feeling.ANGRY, detected_feeling_confidence=0.9)
    html = owner.get(f"/cases/{case.reference}/").content.decode()
    assert re.search(r'data-testid="case-feeling">Angry <span class="muted">\(detected, 90% sure\)', html)
    walk_to(case, alice, StepKind.EMPATHY)  # names it sad
    html = owner.get(f"/cases/{case.reference}/").content.decode()
    assert re.search(r'data-testid="case-feeling">Sad <span class="muted">\(named; detected angry\)', html)


def test_the_queue_shows_the_detected_feeling(client, alice, north):
    angry = make_case(customer_name="Ann Gry", customer_email="ann@example.com")
    calm = make_case(customer_name="Cal M", customer_email="cal@example.com")
    Case.objects.filter(pk=angry.pk).update(detected_feeling=Feeling.ANGRY, detected_feeling_confidence=0.8)
    Case.objects.filter(pk=calm.pk).update(detected_feeling="", detected_feeling_confidence=None)
    client.force_login(alice)
    html = client.get("/queue/").content.decode()
    row = re.search(rf'data-reference="{angry.reference}".*?</tr>', html, re.S).group(0)
    assert 'class="tag tag--feeling"' in row and ">Angry</span>" in row
    other = re.search(rf'data-reference="{calm.reference}".*?</tr>', html, re.S).group(0)
    assert "tag--feeling" not in other


# The script in the admin ---------------------------------------------------------------------------


def test_an_administrator_edits_the_script_in_the_admin(client, north):
    admin = make_staff("ada", Role.ADMINISTRATOR, north)
    client.force_login(admin)
    add = client.get("/admin/recovery/scriptprompt/add/?step=thank")
    assert add.status_code == 200
    assert DEFAULT_PROMPTS[StepKind.THANK].split(":")[0] in add.content.decode()
    response = client.post(
        "/admin/recovery/scriptprompt/add/", {"language": "en", "step": "thank", "prompt": "Thank them warmly."}
    )
    assert response.status_code == 302
    assert ScriptPrompt.objects.get(step="thank").prompt == "Thank them warmly."


def test_a_frontline_employee_cannot_edit_the_script(client, alice):
    assert not User.objects.get(pk=alice.pk).has_perm("recovery.change_scriptprompt")
    client.force_login(alice)
    assert client.get("/admin/recovery/scriptprompt/").status_code == 302  # not staff: to the admin login


def test_the_suggestions_are_listed_read_only_in_the_admin(client, case, alice, north):
    walk_to(case, alice, StepKind.SOLVE)
    recovery_step_record(case=case, user=alice, kind=StepKind.THANK, text="Thanks!", suggestion="Open earlier")
    client.force_login(make_staff("ada", Role.ADMINISTRATOR, north))
    assert "Open earlier" in client.get("/admin/recovery/suggestion/").content.decode()
    assert client.get("/admin/recovery/suggestion/add/").status_code == 403
    assert client.get("/admin/recovery/scriptprompt/").status_code == 200


def test_an_apology_saying_no_is_refused_on_the_page_with_the_coach_and_the_text_kept(owner, case, alice):
    walk_to(case, alice, StepKind.REPEAT_BACK)
    text = "I'm so sorry, but we were short-staffed. Unfortunately we can't refund it."

    response = post_step(owner, case, "apologize", {"text": text})

    assert response.status_code == 422
    html = response.content.decode()
    assert "Not recorded: \u201cUnfortunately we can&#x27;t\u201d tells the customer no" in html
    assert 'data-rule="says_no"' in html and 'data-rule="excuse_after_apology"' in html
    assert "I&#x27;m so sorry, but we were short-staffed." in html
    assert StepKind.APOLOGIZE not in kinds(case)
