"""Forms of the case page. The rules are the services'; these carry the input and browser hints."""

from __future__ import annotations

from typing import Any

from django import forms

from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, Channel
from makegood.cases.services import MAX_MESSAGE

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


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How was it resolved?",
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say how the case was resolved."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
