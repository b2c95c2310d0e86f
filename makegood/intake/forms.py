"""The two intake forms: the customer's own (public) and the employee's (phone, in person, chat, social).

Field rules live in `validate_intake`; the forms only add browser hints (maxlength, autocomplete,
input types) and map the service's field names onto their own.
"""

from __future__ import annotations

import secrets
from typing import Any, TypedDict

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from makegood.cases.models import Channel
from makegood.intake.opening import MAX_EXPECTATION, MAX_NAME, MAX_STORY, validate_intake

MAX_EMAIL = 254
MAX_PHONE = 40


class IntakeFields(TypedDict):
    channel: str
    customer_name: str
    customer_email: str
    customer_phone: str
    story: str
    expectation: str


FORM_TOKEN_SALT = "makegood.intake.form-token"
# A form left open longer than this asks to be sent again (its data kept).
FORM_TOKEN_MAX_AGE = 2 * 24 * 3600


def form_token_new() -> str:
    """A one-time token for one rendering of an intake form; a second submit carries the same one."""
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(secrets.token_urlsafe(18))


def form_token_state(token: str) -> str:
    """`fresh`, `expired` (ours, but the form sat open too long) or `bad` (not ours at all)."""
    signer = signing.TimestampSigner(salt=FORM_TOKEN_SALT)
    try:
        signer.unsign(token, max_age=FORM_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        return "bad"
    return "fresh"


# validate_intake's field names -> the forms' field names.
SERVICE_TO_FORM_FIELD = {
    "customer_name": "name",
    "customer_email": "email",
    "customer_phone": "phone",
    "story": "story",
    "expectation": "expectation",
    "channel": "channel",
}


class IntakeForm(forms.Form):
    # A plain Field: the view checks the token's signature itself, and no validation message about
    # a hidden field could help anyone.
    form_token = forms.Field(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Your name",
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Tell us your name."},
    )
    email = forms.CharField(
        label="E-mail",
        max_length=MAX_EMAIL,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=MAX_PHONE,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    story = forms.CharField(
        label="What happened?",
        max_length=MAX_STORY,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what happened."},
    )
    expectation = forms.CharField(
        label="What would make it right?",
        max_length=MAX_EXPECTATION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    channel_value: str = Channel.WEB

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def intake_channel(self) -> str:
        return self.channel_value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "channel" in self.errors:
            return cleaned
        # Run the service's checks even when a field already failed, so that every problem shows
        # at once; a field keeps only its first kind of complaint.
        failed = set(self.errors)
        try:
            validate_intake(
                channel=self.intake_channel(),
                customer_name=cleaned.get("name", ""),
                customer_email=cleaned.get("email", ""),
                customer_phone=cleaned.get("phone", ""),
                story=cleaned.get("story", ""),
                expectation=cleaned.get("expectation", ""),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = SERVICE_TO_FORM_FIELD.get(field)
                if target in failed:
                    continue
                for message in messages:
                    self.add_error(target if target in self.fields else None, message)
        return cleaned

    def intake_kwargs(self) -> IntakeFields:
        """The keyword arguments for `case_open`, from a valid form."""
        data = self.cleaned_data
        return {
            "channel": self.intake_channel(),
            "customer_name": data["name"],
            "customer_email": data["email"],
            "customer_phone": data["phone"],
            "story": data["story"],
            "expectation": data["expectation"],
        }


class ComplaintForm(IntakeForm):
    """The public web form. `website` is a honeypot: hidden from people, filled in by bots."""

    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "We send your reference here, and reply here."
        self.fields["story"].help_text = "In your own words: what went wrong, when and where."
        self.fields["expectation"].help_text = "Optional: what would you like us to do?"

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())


STAFF_CHANNELS = [
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.IN_PERSON.value, Channel.IN_PERSON.label),
    (Channel.CHAT.value, Channel.CHAT.label),
    (Channel.SOCIAL.value, Channel.SOCIAL.label),
]


class StaffEntryForm(IntakeForm):
    """An employee records a complaint heard on the phone, in person, in a chat or on social media."""

    channel = forms.ChoiceField(label="Channel", choices=STAFF_CHANNELS, initial=Channel.PHONE)
    handling_now = forms.BooleanField(
        label="I'm handling this now",
        required=False,
        initial=True,
        help_text="You take ownership and your conversation counts as the first response.",
    )
    response = forms.CharField(
        label="What you told the customer",
        max_length=MAX_STORY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional; recorded as the first contact when you handle it now.",
    )

    field_order = ["channel", "name", "phone", "email", "story", "expectation", "handling_now", "response"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Customer's name"
        self.fields["name"].error_messages["required"] = "Enter the customer's name."
        self.fields["story"].label = "What happened (in the customer's words)"
        self.fields["story"].error_messages["required"] = "Write down what the customer told you."
        self.fields["expectation"].label = "What would make it right for them?"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def intake_channel(self) -> str:
        return self.cleaned_data.get("channel") or Channel.PHONE

    def contact_note(self) -> str:
        """The first-contact entry: what the employee wrote, else a plain statement of the contact."""
        written = self.cleaned_data.get("response", "").strip()
        if written:
            return written
        channel = Channel(self.intake_channel()).label.lower()
        return f"Heard the customer out ({channel}) and took the complaint on personally."
