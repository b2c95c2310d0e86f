"""REST endpoints of the guided recovery (the reply coach, steps and messages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import BaseModel, field_validator

from makegood.accounts.models import Role
from makegood.accounts.requests import token_user
from makegood.api_types import Flag
from makegood.cases.kinds import EventKind
from makegood.cases.models import Case, CaseEvent, Feeling
from makegood.cases.schemas import ErrorOut, ValidationErrorOut, storable_text
from makegood.cases.selectors import case_get_for_user
from makegood.cases.services import MAX_MESSAGE
from makegood.recovery.coach import CoachResult, Rule, coach_reply
from makegood.recovery.models import RecoveryStep, StepKind
from makegood.recovery.replies import ReplyRefused, case_message_send
from makegood.recovery.services import MAX_STEP_TEXT, recovery_progress, recovery_step_record

router = Router(tags=["recovery"])


# The reply coach ----------------------------------------------------------------------------------

MAX_COACH_TEXT = MAX_MESSAGE  # as long as a message to a customer may be


class CoachIn(BaseModel):
    text: str = Field(
        max_length=MAX_COACH_TEXT,
        description="The message being written to the customer.",
        examples=["I'm sorry, but we can't refund a sale item."],
    )
    role: Role = Field(
        description="The writer's role: a frontline employee's \"no\" blocks sending, a manager's only warns.",
        examples=[Role.FRONTLINE],
    )
    first_reply: Flag = Field(False, description="The first reply to the complaint: it should apologise.")
    closing: Flag = Field(True, description="The message closes the conversation: it should thank the customer.")
    explanation_requested: Flag = Field(
        False, description="The customer asked why it happened, so an explanation after the apology is welcome."
    )


class FindingOut(Schema):
    rule: Rule
    severity: Literal["block", "warn"]
    start: int = Field(
        description="Offset of the span's first character in `text`, counted in Unicode code points (not UTF-16 units)."
    )
    end: int = Field(description="Offset just past the span's last character.")
    excerpt: str = Field(description="The span's text: `text[start:end]`.")
    message: str
    suggestion: str = Field(description="A suggested rewording.")


class CoachOut(Schema):
    findings: list[FindingOut] = Field(description="In text order.")
    blocking: bool = Field(description="Whether a finding stops this writer from sending the message.")


@router.post(
    "/coach",
    response={200: CoachOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut},
    summary="Coach a reply to a customer",
    operation_id="coach_reply",
)
def coach(request: HttpRequest, payload: CoachIn) -> CoachResult:
    """What to change in a message before sending it: saying no, passing the buck, blaming, an excuse
    after the apology, a non-apology ("sorry you feel that way"), a missing apology or thanks; each with
    its span and a rewording suggested for the sentence found.

    This endpoint only advises, for the role given; sending a message must check again with the
    sender's own role (`coach_reply(text, role=role_of(user))`).
    """
    return coach_reply(
        payload.text,
        role=payload.role,
        first_reply=payload.first_reply,
        closing=payload.closing,
        explanation_requested=payload.explanation_requested,
    )


# The conversation's steps ---------------------------------------------------------------------------


def _limit(limit: int, **extra: Any) -> dict[str, Any]:
    # Documented in the schema, enforced by the service, so that one answer lists every problem.
    return {"maxLength": limit, **extra}


class StepIn(BaseModel):
    """One step of the conversation. Which fields count depends on `kind`; the others are ignored."""

    kind: StepKind = Field(examples=[StepKind.LISTEN])
    text: str = Field(
        "",
        description=(
            "What was said: the customer's story (listen), your paraphrase (repeat_back), your apology, "
            "the agreed next step (solve), your thanks. Required except for empathy."
        ),
        json_schema_extra=_limit(MAX_STEP_TEXT),
        examples=["The sofa arrived with a torn cushion and nobody called back."],
    )
    questions: str = Field("", description="listen: the questions asked.", json_schema_extra=_limit(MAX_STEP_TEXT))
    expectation: str = Field(
        "",
        description="listen: what would make this right for the customer (also stored on the case).",
        json_schema_extra=_limit(MAX_STEP_TEXT),
    )
    confirmed: Flag | None = Field(
        None, description="repeat_back (required): the customer confirmed it; false loops back to listen."
    )
    correction: str = Field(
        "",
        description="repeat_back, when not confirmed: what the customer corrected.",
        json_schema_extra=_limit(MAX_STEP_TEXT),
    )
    feeling: str = Field(
        "",
        description="empathy (required): the feeling named; the case keeps both it and the detected one.",
        json_schema_extra={"enum": ["", *Feeling.values]},
    )
    accepted: Flag = Field(True, description="solve: the customer accepts this as resolving the issue.")
    suggestion: str = Field(
        "", description="thank: the customer's suggestion for doing better.", json_schema_extra=_limit(MAX_STEP_TEXT)
    )

    _storable = field_validator("text", "questions", "expectation", "correction", "feeling", "suggestion")(
        storable_text
    )


class StepOut(Schema):
    id: int
    kind: StepKind
    text: str
    at: datetime
    actor: str | None = Field(description="Username of the employee who recorded it.")
    questions: str | None = None
    expectation: str | None = None
    confirmed: bool | None = None
    correction: str | None = None
    feeling: Feeling | None = None
    detected_feeling: Feeling | None = Field(None, description="empathy: what Makegood had detected.")
    detected_confidence: float | None = None
    accepted: bool | None = None
    suggestion: str | None = None

    @staticmethod
    def resolve_actor(obj: RecoveryStep) -> str | None:
        return obj.actor.get_username() if obj.actor is not None else None

    @staticmethod
    def resolve_detected_feeling(obj: RecoveryStep) -> str | None:
        return obj.data.get("detected") or None

    @staticmethod
    def resolve_detected_confidence(obj: RecoveryStep) -> float | None:
        return obj.data.get("detected_confidence")

    @staticmethod
    def resolve_questions(obj: RecoveryStep) -> str | None:
        return obj.data.get("questions")

    @staticmethod
    def resolve_expectation(obj: RecoveryStep) -> str | None:
        return obj.data.get("expectation")

    @staticmethod
    def resolve_confirmed(obj: RecoveryStep) -> bool | None:
        return obj.data.get("confirmed")

    @staticmethod
    def resolve_correction(obj: RecoveryStep) -> str | None:
        return obj.data.get("correction")

    @staticmethod
    def resolve_feeling(obj: RecoveryStep) -> str | None:
        return obj.data.get("feeling") or None

    @staticmethod
    def resolve_accepted(obj: RecoveryStep) -> bool | None:
        return obj.data.get("accepted")

    @staticmethod
    def resolve_suggestion(obj: RecoveryStep) -> str | None:
        return obj.data.get("suggestion")


class ProgressOut(Schema):
    next_step: StepKind | None = Field(description="The step to record next; null once the customer is thanked.")
    listened: bool
    confirmed: bool = Field(description="The latest repeat-back, after the latest listen, was confirmed.")
    solved: bool = Field(description="The latest solution was accepted by the customer.")
    thanked: bool


class StepsOut(Schema):
    progress: ProgressOut
    steps: list[StepOut] = Field(description="Oldest first. Steps repeat: a correction loops back to listen.")


class StepRecordedOut(Schema):
    step: StepOut
    progress: ProgressOut = Field(description="Where the conversation stands now.")


def _progress_out(steps: list[RecoveryStep]) -> dict[str, Any]:
    progress = recovery_progress(steps)
    return {
        "next_step": progress.next_step or None,
        "listened": progress.listened,
        "confirmed": progress.confirmed,
        "solved": progress.solved,
        "thanked": progress.thanked,
    }


def _steps_of(case: Case) -> list[RecoveryStep]:
    return list(case.recovery_steps.select_related("actor"))


@router.get(
    "/cases/{reference}/steps",
    response={200: StepsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Read the recovery conversation",
    operation_id="recovery_steps_list",
)
def steps_list(request: HttpRequest, reference: str) -> dict[str, Any]:
    """The steps recorded so far (listen, repeat back, apologize, empathy, solve, thank) and what comes next."""
    case = case_get_for_user(token_user(request), reference)
    steps = _steps_of(case)
    return {"progress": _progress_out(steps), "steps": steps}


@router.post(
    "/cases/{reference}/steps",
    response={
        201: StepRecordedOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Record a step of the recovery conversation",
    operation_id="recovery_step_record",
)
def step_record(request: HttpRequest, reference: str, payload: StepIn) -> Status[dict[str, Any]]:
    """Record one step on a case the token's owner owns, with the guided screen's rules.

    409 when the step cannot come yet ("Listen to the customer before…") or the case is not
    the caller's or no longer open; 422 for an empty or overlong text, a missing feeling or
    confirmation. Nothing is recorded in either case.
    """
    user = token_user(request)
    case = case_get_for_user(user, reference)
    step = recovery_step_record(
        case=case,
        user=user,
        kind=payload.kind,
        text=payload.text,
        questions=payload.questions,
        expectation=payload.expectation,
        confirmed=payload.confirmed,
        correction=payload.correction,
        feeling=payload.feeling,
        accepted=payload.accepted,
        suggestion=payload.suggestion,
    )
    return Status(201, {"step": step, "progress": _progress_out(_steps_of(case))})


# Messages to and from the customer ------------------------------------------------------------------

MESSAGE_KINDS: dict[str, str] = {
    EventKind.RECEIVED: "complaint",
    EventKind.CUSTOMER_MESSAGE: "customer",
    EventKind.REPLY_SENT: "reply",
    EventKind.CONTACT: "contact",
}
SEND_KINDS: dict[str, str] = {"reply": EventKind.REPLY_SENT, "contact": EventKind.CONTACT}


class MessageIn(BaseModel):
    kind: Literal["reply", "contact"] = Field(
        description="`reply`: e-mailed to the customer (with the case reference in the subject). "
        "`contact`: a live conversation (phone, in person, chat) to record.",
        examples=["reply"],
    )
    text: str = Field(
        description="Your words to the customer.",
        json_schema_extra=_limit(MAX_MESSAGE),
        examples=["I'm so sorry about the torn cushion. A new one is on its way today. Thank you for telling us."],
    )

    _storable = field_validator("text")(storable_text)


class MessageOut(Schema):
    id: int
    kind: Literal["complaint", "customer", "reply", "contact"] = Field(
        description="`complaint`: the customer's first message; `customer`: their later messages; "
        "`reply`: e-mailed to them; `contact`: a live conversation recorded by an employee."
    )
    at: datetime
    author: str | None = Field(description="Username of the employee; null when the customer wrote it.")
    text: str
    emailed_to: str | None = Field(None, description="reply: the address it was sent to, once sent.")
    emailed_at: datetime | None = Field(None, description="reply: when it was sent; null while it waits to be.")

    @staticmethod
    def resolve_kind(obj: CaseEvent) -> str:
        return MESSAGE_KINDS[obj.kind]

    @staticmethod
    def resolve_author(obj: CaseEvent) -> str | None:
        if obj.kind in (EventKind.RECEIVED, EventKind.CUSTOMER_MESSAGE) or obj.actor is None:
            return None
        return obj.actor.get_username()

    @staticmethod
    def resolve_text(obj: CaseEvent) -> str:
        return obj.body

    @staticmethod
    def resolve_emailed_to(obj: CaseEvent) -> str | None:
        return obj.data.get("to")

    @staticmethod
    def resolve_emailed_at(obj: CaseEvent) -> str | None:
        return obj.data.get("sent_at")


class MessageRefusedOut(ValidationErrorOut):
    findings: list[FindingOut] = Field(
        default_factory=list, description="When the coach refused a reply: its findings on the text."
    )
    blocking: bool = Field(False, description="True when the coach refused the reply for this sender.")


@router.get(
    "/cases/{reference}/messages",
    response={200: list[MessageOut], 401: ErrorOut, 404: ErrorOut},
    summary="Read the conversation with the customer",
    operation_id="case_messages_list",
)
def messages_list(request: HttpRequest, reference: str) -> list[CaseEvent]:
    """The customer's complaint and later messages, the replies e-mailed to them and the live contacts
    recorded, oldest first."""
    case = case_get_for_user(token_user(request), reference)
    return list(case.events.filter(kind__in=list(MESSAGE_KINDS)).select_related("actor").order_by("at", "pk"))


@router.post(
    "/cases/{reference}/messages",
    response={
        201: MessageOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: MessageRefusedOut,
    },
    summary="Reply to the customer, or record a live contact",
    operation_id="case_message_send",
)
def message_send(request: HttpRequest, reference: str, payload: MessageIn) -> Status[Any]:
    """A reply is e-mailed to the customer with the case reference in the subject; the first reply or
    contact stops the first-response clock.

    A reply is coached with the token owner's role first: a frontline employee's "no" is refused
    with 422, the findings and nothing sent (managers may send it). 409 when the caller does not
    own the case, the case is closed, or the customer has no e-mail address for a reply.
    """
    user = token_user(request)
    case = case_get_for_user(user, reference)
    try:
        event = case_message_send(case=case, user=user, kind=SEND_KINDS[payload.kind], text=payload.text)
    except ReplyRefused as exc:
        body = {
            "detail": str(exc),
            "errors": {"text": [str(exc)]},
            "findings": exc.result.findings,
            "blocking": True,
        }
        return Status(422, body)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({"text" if f == "body" else f: m for f, m in exc.message_dict.items()}) from exc
        raise
    return Status(201, event)
