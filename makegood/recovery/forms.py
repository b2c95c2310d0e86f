"""One form per step of the guided recovery, and the reply form of the case page. They carry the
input; the rules are the services'.

Field names are the keyword arguments of `recovery_step_record`, so that the service's field
errors land on the right field. Text fields have no `maxlength`: a browser would silently cut a
long paste short, whereas the service says how long is too long and the text stays in the form.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Channel, Feeling
from makegood.cases.services import MAX_MESSAGE
from makegood.recovery.models import StepKind

NEEDS_TEXT = "This step needs some text: write what was said."


def _text(label: str, *, required: bool = True, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": NEEDS_TEXT},
    )


class StepForm(forms.Form):
    kind: ClassVar[str]
    # Step texts the coach reads as the employee types (words said to the customer).
    coached: ClassVar[bool] = False

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"id_{self.kind}_%s")
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as `recovery_step_record`'s keyword arguments."""
        return dict(self.cleaned_data)


class ListenForm(StepForm):
    kind = StepKind.LISTEN
    text = _text(
        "The customer's story, in their words",
        rows=6,
        help_text="Prefilled from the complaint: add what they tell you now.",
    )
    questions = _text("Questions you asked, and their answers", required=False, rows=3)
    expectation = _text(
        "\u201cWhat would make this right for you?\u201d",
        required=False,
        rows=2,
        help_text="The outcome the customer expects, in their words.",
    )


class RepeatBackForm(StepForm):
    kind = StepKind.REPEAT_BACK
    CONFIRMED, CORRECTED = "yes", "no"

    text = _text("What you heard, in your own words", rows=4)
    confirmed = forms.ChoiceField(
        label="Did you get it right?",
        choices=[
            (CONFIRMED, "The customer confirmed it: \u201cthat's right\u201d"),
            (CORRECTED, "The customer corrected me"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the customer confirmed it or corrected you."},
    )
    correction = _text(
        "What the customer corrected",
        required=False,
        rows=2,
        help_text="A correction takes you back to listening.",
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["confirmed"] = data["confirmed"] == self.CONFIRMED
        return data


class ApologizeForm(StepForm):
    kind = StepKind.APOLOGIZE
    coached = True
    text = _text("Your apology", rows=3)


class EmpathyForm(StepForm):
    kind = StepKind.EMPATHY
    feeling = forms.ChoiceField(
        label="How does the customer feel?",
        choices=Feeling.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the feeling you hear."},
    )
    text = _text("What you said about it (optional)", required=False, rows=2)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        # What the employee named before, else what Makegood detected in the customer's words.
        kwargs.setdefault("initial", {"feeling": case.feeling or case.detected_feeling or None})
        super().__init__(*args, case=case, **kwargs)


class SolveForm(StepForm):
    kind = StepKind.SOLVE
    coached = True
    text = _text(
        "The agreed next step",
        rows=4,
        help_text="What will happen, by when, and who does it.",
    )
    accepted = forms.BooleanField(
        label="The customer accepts this as putting it right",
        required=False,
        help_text="Thanking and closing wait for a solution the customer accepts.",
    )


class ThankForm(StepForm):
    kind = StepKind.THANK
    coached = True
    text = _text("Your thanks", rows=3)
    suggestion = _text(
        "The customer's suggestion for doing better (optional)",
        required=False,
        rows=2,
        help_text="It goes to whoever owns the process.",
    )


STEP_FORMS: dict[str, type[StepForm]] = {
    form.kind: form for form in (ListenForm, RepeatBackForm, ApologizeForm, EmpathyForm, SolveForm, ThankForm)
}


# The reply on the case page ------------------------------------------------------------------

RESPONSE_KINDS = [
    (EventKind.REPLY_SENT.value, "Send it to the customer by e-mail"),
    (EventKind.CONTACT.value, "Record a live contact (phone, in person, chat)"),
]


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(label="How", choices=RESPONSE_KINDS, widget=forms.RadioSelect)
    body = forms.CharField(
        label="Your words to the customer",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what you said to the customer."},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        has_email = bool(case.customer.email)
        kwargs.setdefault(
            "initial",
            {
                "kind": EventKind.REPLY_SENT
                if has_email and case.channel in (Channel.WEB, Channel.EMAIL)
                else EventKind.CONTACT
            },
        )
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        if not has_email and isinstance(kind, forms.ChoiceField):
            # No address to write to: only a live contact can be recorded.
            kind.choices = [c for c in RESPONSE_KINDS if c[0] == EventKind.CONTACT]
