"""The remedies API's output: ninja Schemas that read the models (and the selectors' objects), with
resolvers for what is derived: a case's reference, a user's name, money as an exact string in its
currency's decimals (`"12.50"`, `"1200"`, `"1.250"`), an option's reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema

from makegood import money
from makegood.remedies.models import Authorization, Escalation
from makegood.remedies.panel_state import CaseAuthority
from makegood.remedies.presenters import option_reason

# Output: resolvers -----------------------------------------------------------------------------


def amount_of(field: str, currency_field: str = "currency") -> Any:
    """A resolver: the object's `field` as an exact decimal string in its currency's decimals."""

    def resolve(obj: Any) -> str | None:
        return money.as_text(getattr(obj, field), getattr(obj, currency_field))

    return staticmethod(resolve)


def username_of(field: str) -> Any:
    """A resolver: the username of the object's user `field` (None when there is none)."""

    def resolve(obj: Any) -> str | None:
        user: User | None = getattr(obj, field)
        return user.get_username() if user is not None else None

    return staticmethod(resolve)


def figure(name: str) -> Any:
    """A resolver: one figure of a `panel_state.CaseAuthority` (exact strings in its currency)."""

    def resolve(obj: Any) -> Any:
        return obj.figures[name]

    return staticmethod(resolve)


def _reference(obj: Any) -> str:
    return str(obj.case.reference)


# Output -----------------------------------------------------------------------------------------


class RemedyTypeOut(Schema):
    id: int
    catalog: str
    code: str
    kind: str
    kind_label: str
    name: str
    description: str
    currency: str
    is_variable: bool
    cost: str = Field(description="Fixed remedies: what it costs the business.")
    value: str = Field(description="Fixed remedies: what it is worth to the customer.")
    cost_per_unit: str
    value_per_unit: str
    min_amount: str | None
    max_amount: str | None
    max_per_case: int | None
    needs_order_reference: bool
    channels: list[str]
    immediate: bool
    effort: str
    issues_code: bool

    resolve_kind_label = staticmethod(lambda obj: obj.get_kind_display())
    resolve_cost = amount_of("cost")
    resolve_value = amount_of("value")
    resolve_min_amount = amount_of("min_amount")
    resolve_max_amount = amount_of("max_amount")
    resolve_cost_per_unit = staticmethod(lambda obj: str(obj.cost_per_unit))
    resolve_value_per_unit = staticmethod(lambda obj: str(obj.value_per_unit))
    resolve_channels = staticmethod(lambda obj: list(obj.channels or []))


# Read from a `panel_state.CaseAuthority` (the remaining authority, and the case it is for).
class AuthorityOut(Schema):
    case: str | None = Field(description="The case the per-case figures are for, if one was given.")
    currency: str
    cap_per_case: str
    cap_per_day: str
    budget_per_month: str
    used_on_case: str
    used_today: str
    used_this_month: str
    left_on_case: str
    left_today: str
    left_this_month: str
    left: str = Field(description="The most one grant may cost right now: the tightest limit.")
    allowed_kinds: list[str]

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.reference if obj.case is not None else None

    resolve_currency = figure("currency")
    resolve_cap_per_case = figure("cap_per_case")
    resolve_cap_per_day = figure("cap_per_day")
    resolve_budget_per_month = figure("budget_per_month")
    resolve_used_on_case = figure("used_on_case")
    resolve_used_today = figure("used_today")
    resolve_used_this_month = figure("used_this_month")
    resolve_left_on_case = figure("left_on_case")
    resolve_left_today = figure("left_today")
    resolve_left_this_month = figure("left_this_month")
    resolve_left = figure("left")
    resolve_allowed_kinds = figure("allowed_kinds")


class GrantOut(Schema):
    id: int
    case: str = Field(description="The case's reference.")
    remedy_type_id: int
    kind: str
    name: str
    amount: str | None
    cost: str
    value: str
    currency: str
    code: str = Field(description="Coupons, vouchers, gift cards: the code e-mailed to the customer.")
    order_reference: str
    note: str
    granted_at: datetime
    granted_by: str
    charged_to: str
    authorized_by: str | None
    authorization_id: int | None
    offer_id: int | None

    resolve_case = staticmethod(_reference)
    resolve_amount = amount_of("amount")
    resolve_cost = amount_of("cost")
    resolve_value = amount_of("value")
    resolve_granted_by = username_of("granted_by")
    resolve_charged_to = username_of("charged_to")
    resolve_authorized_by = username_of("authorized_by")


# Read from an option as offered (the offer's snapshot), with its `index` and `reason` added.
class OptionOut(Schema):
    index: int | None = Field(description="What to send as `index` to choose it.")
    remedy_type_id: int
    kind: str
    kind_label: str
    name: str
    amount: str | None
    cost: str
    value: str = Field(description="What it is worth to the customer.")
    currency: str
    immediate: bool
    effort: str
    needs_order_reference: bool
    reason: str = Field(description="Why this option, in one line.")


class OfferOut(Schema):
    id: int
    case: str
    status: str = Field(description="open, chosen or declined (none of these).")
    demand_kind: str
    demand_amount: str | None
    minimum_value: str | None
    currency: str
    demand_fits: bool
    reason: str = Field(description="Why fewer than three options, if so.")
    options: list[OptionOut]
    chosen_index: int | None
    made_at: datetime
    responded_at: datetime | None

    resolve_case = staticmethod(_reference)
    resolve_demand_amount = amount_of("demand_amount")
    resolve_minimum_value = amount_of("minimum_value")

    @staticmethod
    def resolve_options(obj: Any) -> list[dict[str, Any]]:
        return [{**o, "index": i, "reason": option_reason(o, case=obj.case)} for i, o in enumerate(obj.options)]


# Read from a `demands.DemandAnswer`.
class OptionsOut(Schema):
    outcome: Literal["granted", "offered", "escalate"] = Field(
        description='"granted": the demand fitted the authority and was granted at once (`grant`); "offered": '
        'put the options of `offer` to the customer; "escalate": nothing fits: record "none of these" and '
        "escalate to a manager."
    )
    offer: OfferOut | None = Field(description="The options offered; none when the demand was granted at once.")
    grant: GrantOut | None = Field(description="The demand itself, granted at once because it fitted.")
    demand_fits: bool = Field(description="The demand itself was within authority, and so was granted.")
    demand_option: OptionOut | None
    authority: AuthorityOut
    sizing: dict[str, Any]

    resolve_demand_fits = staticmethod(lambda obj: obj.option_set.demand_fits)
    resolve_sizing = staticmethod(lambda obj: obj.option_set.sizing.as_dict())

    @staticmethod
    def resolve_demand_option(obj: Any) -> dict[str, Any] | None:
        option = obj.option_set.demand_option
        if option is None:
            return None
        as_offered = option.as_dict()
        return {**as_offered, "index": None, "reason": option_reason(as_offered, case=obj.case)}

    @staticmethod
    def resolve_authority(obj: Any) -> CaseAuthority:
        return CaseAuthority(case=obj.case, remaining=obj.option_set.remaining)


class ChoiceOut(Schema):
    offer: OfferOut
    grant: GrantOut | None


class AuthorizationOut(Schema):
    id: int
    employee: str
    approved_by: str
    remedy_kind: str
    remedy_type_id: int | None
    max_amount: str | None
    max_cost: str
    currency: str
    expires_at: datetime
    used_at: datetime | None

    resolve_employee = username_of("employee")
    resolve_approved_by = username_of("approved_by")
    resolve_max_amount = amount_of("max_amount")
    resolve_max_cost = amount_of("max_cost")


class EscalationOut(Schema):
    id: int
    case: str
    status: str = Field(description="pending, approved or taken_over.")
    raised_by: str
    raised_at: datetime
    demand_kind: str
    demand_amount: str | None
    currency: str
    note: str
    story: dict[str, Any]
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    authorization: AuthorizationOut | None

    resolve_case = staticmethod(_reference)
    resolve_raised_by = username_of("raised_by")
    resolve_decided_by = username_of("decided_by")
    resolve_demand_amount = amount_of("demand_amount")

    @staticmethod
    def resolve_authorization(obj: Escalation) -> Authorization | None:
        # A reverse one-to-one: read with the escalation (select_related), raising when there is none.
        try:
            return obj.authorization
        except ObjectDoesNotExist:
            return None


# Read from the case.
class LossOut(Schema):
    case: str
    loss_kind: str
    loss_amount: str | None
    loss_currency: str
    severity: str
    business_at_fault: bool
    repeat_failure: bool

    resolve_case = staticmethod(lambda obj: obj.reference)
    resolve_loss_amount = amount_of("loss_amount", "loss_currency")
    resolve_repeat_failure = staticmethod(lambda obj: obj.is_repeat_failure)


class DeliveryChoiceOut(Schema):
    """A remedy that delivers a manager's approval, at the amount approved."""

    remedy_type_id: int
    name: str
    amount: str | None
    cost: str
    value: str
    currency: str

    resolve_remedy_type_id = staticmethod(lambda obj: obj.remedy_type.pk)
    resolve_name = staticmethod(lambda obj: obj.remedy_type.name)
    resolve_currency = staticmethod(lambda obj: obj.remedy_type.currency)
    resolve_amount = staticmethod(lambda obj: money.as_text(obj.amount, obj.remedy_type.currency))
    resolve_cost = staticmethod(lambda obj: money.as_text(obj.cost, obj.remedy_type.currency))
    resolve_value = staticmethod(lambda obj: money.as_text(obj.value, obj.remedy_type.currency))


# Read from a `panel_state.RemedyPanel`.
class RemedyStateOut(Schema):
    """What the caller can do about remedies on the case now: what the case page's remedy panel shows."""

    case: str
    can_act: bool = Field(description="The caller may grant, offer and escalate on this case now.")
    why_not: str = Field(description="Why not, when `can_act` is false.")
    authority: AuthorityOut | None = Field(description="The caller's authority left (none: a role that may not grant).")
    grantable: list[RemedyTypeOut] = Field(description="What the caller may grant on this case.")
    grants: list[GrantOut]
    offer: OfferOut | None = Field(description="The offer waiting for the customer's answer, if any.")
    escalation: EscalationOut | None = Field(description="The case's latest escalation, with any approval.")
    deliverable: bool = Field(description="An approval waits for the caller to deliver it (`delivery_choices`).")
    delivery_choices: list[DeliveryChoiceOut]
    can_escalate: bool = Field(description="The customer declined the options: the case can go to a manager.")
    extra: OptionOut | None = Field(description="Something extra to suggest once the loss is restored.")

    resolve_case = staticmethod(lambda obj: obj.case.reference)
    resolve_offer = staticmethod(lambda obj: obj.open_offer)

    @staticmethod
    def resolve_authority(obj: Any) -> CaseAuthority | None:
        return CaseAuthority(case=obj.case, remaining=obj.remaining) if obj.remaining is not None else None

    @staticmethod
    def resolve_extra(obj: Any) -> dict[str, Any] | None:
        if obj.extra is None:
            return None
        as_offered = obj.extra.as_dict()
        return {**as_offered, "index": None, "reason": option_reason(as_offered, case=obj.case)}
