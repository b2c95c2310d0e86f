import pytest
from django.core.exceptions import ValidationError

from makegood.cases.models import Feeling
from makegood.cases.services import CaseActionError, case_resolve, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.recovery.models import RecoveryEventKind, RecoveryStep, StepKind, Suggestion
from makegood.recovery.scripts import DEFAULT_PROMPTS, script_prompts
from makegood.recovery.services import recovery_progress, recovery_step_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_case(alice):
    return case_take_ownership(case=make_case(), user=alice)


def record(case, user, kind, text="…", **kw):
    return recovery_step_record(case=case, user=user, kind=kind, text=text, **kw)


def test_a_whole_conversation_is_recorded_in_order_and_in_the_timeline(owned_case, alice):
    case = owned_case
    record(case, alice, StepKind.LISTEN, "It came broken.", questions="When?", expectation="A new one by Friday")
    record(case, alice, StepKind.REPEAT_BACK, "So it arrived broken and you need it Friday.", confirmed=True)
    record(case, alice, StepKind.APOLOGIZE, "I am so sorry.")
    record(case, alice, StepKind.EMPATHY, "", feeling=Feeling.FRUSTRATED)
    record(case, alice, StepKind.SOLVE, "A replacement ships today by courier.", accepted=True)
    record(case, alice, StepKind.THANK, "Thank you for telling us.", suggestion="Pack glass better")

    kinds = list(RecoveryStep.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [StepKind.LISTEN, StepKind.REPEAT_BACK, StepKind.APOLOGIZE, StepKind.EMPATHY, "solve", "thank"]
    assert case.events.filter(kind=RecoveryEventKind.RECOVERY_STEP).count() == 6
    case.refresh_from_db()
    assert case.expectation == "A new one by Friday"
    assert case.feeling == Feeling.FRUSTRATED
    assert Suggestion.objects.get(case=case).text == "Pack glass better"
    progress = recovery_progress(list(case.recovery_steps.all()))
    assert progress.thanked and progress.next_step == ""


def test_thanking_before_listening_is_refused_with_a_clear_message(owned_case, alice):
    with pytest.raises(CaseActionError, match="before thanking"):
        record(owned_case, alice, StepKind.THANK, "Thanks!")
    assert not RecoveryStep.objects.exists()


def test_solving_needs_a_confirmed_repeat_back(owned_case, alice):
    record(owned_case, alice, StepKind.LISTEN, "Story")
    with pytest.raises(CaseActionError, match="Repeat back"):
        record(owned_case, alice, StepKind.SOLVE, "Refund")


def test_a_correction_loops_back_to_listening(owned_case, alice):
    record(owned_case, alice, StepKind.LISTEN, "Story")
    record(owned_case, alice, StepKind.REPEAT_BACK, "You want a refund.", confirmed=False, correction="No, a swap")
    progress = recovery_progress(list(owned_case.recovery_steps.all()))
    assert progress.next_step == StepKind.LISTEN
    with pytest.raises(CaseActionError):
        record(owned_case, alice, StepKind.REPEAT_BACK, "You want a swap.", confirmed=True)
    record(owned_case, alice, StepKind.LISTEN, "They want a swap, not a refund.")
    record(owned_case, alice, StepKind.REPEAT_BACK, "You want a swap.", confirmed=True)
    assert recovery_progress(list(owned_case.recovery_steps.all())).next_step == StepKind.APOLOGIZE


def test_a_correction_must_say_what_was_wrong(owned_case, alice):
    record(owned_case, alice, StepKind.LISTEN, "Story")
    with pytest.raises(ValidationError) as excinfo:
        record(owned_case, alice, StepKind.REPEAT_BACK, "You want a refund.", confirmed=False)
    assert "correction" in excinfo.value.message_dict


def test_empty_and_overlong_steps_are_refused(owned_case, alice):
    with pytest.raises(ValidationError) as excinfo:
        record(owned_case, alice, StepKind.LISTEN, "   ")
    assert "text" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        record(owned_case, alice, StepKind.LISTEN, "x" * 10_001)
    assert not RecoveryStep.objects.exists()


def test_an_unknown_feeling_is_refused(owned_case, alice):
    record(owned_case, alice, StepKind.LISTEN, "Story")
    with pytest.raises(ValidationError):
        record(owned_case, alice, StepKind.EMPATHY, "", feeling="furious")


def test_the_detected_and_the_named_feeling_are_both_kept(owned_case, alice):
    owned_case.detected_feeling, owned_case.detected_feeling_confidence = Feeling.ANGRY, 0.8
    owned_case.save()
    record(owned_case, alice, StepKind.LISTEN, "Story")
    step = record(owned_case, alice, StepKind.EMPATHY, "You sound worried.", feeling=Feeling.ANXIOUS)
    assert step.data == {"feeling": "anxious", "detected": "angry", "detected_confidence": 0.8}


def test_only_the_owner_records_the_conversation(owned_case, bob):
    with pytest.raises(CaseActionError, match="Take ownership"):
        record(owned_case, bob, StepKind.LISTEN, "Story")


def test_no_steps_on_a_resolved_case(owned_case, alice):
    case_resolve(case=owned_case, user=alice, resolution="Replaced")
    with pytest.raises(CaseActionError, match="no longer open"):
        record(owned_case, alice, StepKind.LISTEN, "Story")


def test_administrators_prompts_override_the_defaults(db):
    from makegood.recovery.models import ScriptPrompt

    ScriptPrompt.objects.create(language="en", step=StepKind.THANK, prompt="Say thanks our way.")
    prompts = script_prompts("en")
    assert prompts[StepKind.THANK] == "Say thanks our way."
    assert prompts[StepKind.LISTEN] == DEFAULT_PROMPTS[StepKind.LISTEN]


# The apology answers to the reply form's rules ------------------------------------------------------

EXCUSE_AND_NO = "I'm so sorry, but we were short-staffed. Unfortunately we can't refund it."


def test_a_frontline_apology_that_says_no_is_refused_like_a_reply_and_nothing_is_recorded(owned_case, alice):
    record(owned_case, alice, StepKind.LISTEN, "Story")
    with pytest.raises(ValidationError) as refused:
        record(owned_case, alice, StepKind.APOLOGIZE, EXCUSE_AND_NO)
    [message] = refused.value.message_dict["text"]
    assert message.startswith("Not recorded: \u201cUnfortunately we can't\u201d tells the customer no")
    assert not RecoveryStep.objects.filter(kind=StepKind.APOLOGIZE).exists()
    assert not owned_case.events.filter(kind=RecoveryEventKind.RECOVERY_STEP, data__step=StepKind.APOLOGIZE).exists()


def test_a_managers_apology_with_a_no_is_recorded_as_the_reply_form_would_send_it(bob):
    case = case_take_ownership(case=make_case(), user=bob)
    record(case, bob, StepKind.LISTEN, "Story")

    step = record(case, bob, StepKind.APOLOGIZE, EXCUSE_AND_NO)

    assert step.kind == StepKind.APOLOGIZE and step.text == EXCUSE_AND_NO


def test_an_apology_without_a_no_is_recorded_whatever_else_the_coach_would_say(owned_case, alice):
    record(owned_case, alice, StepKind.LISTEN, "Story")

    step = record(owned_case, alice, StepKind.APOLOGIZE, "I'm so sorry, but we were short-staffed.")

    assert step.kind == StepKind.APOLOGIZE
