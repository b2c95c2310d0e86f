"""Offering the three options and recording what the customer chose (or "none of these")."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from makegood.cases.services import CaseActionError
from makegood.remedies.kinds import RemedyEventKind
from makegood.remedies.models import Grant, Offer, OfferStatus, RemedyType
from makegood.remedies.offers import offer_choose, offer_decline
from makegood.remedies.services import remedy_grant
from makegood.remedies.tests.factories import case_with_loss, offer_make

pytestmark = pytest.mark.django_db


def test_an_offer_records_the_demand_and_a_snapshot_of_the_options(shop, alice):
    case = case_with_loss()
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    assert (offer.status, offer.made_by, offer.demand_kind, offer.demand_amount) == (
        OfferStatus.OPEN,
        alice,
        "refund_full",
        Decimal("120.00"),
    )
    assert len(offer.options) == 3
    assert {"remedy_type_id", "kind", "amount", "cost", "value", "currency", "score", "components"} <= set(
        offer.options[0]
    )
    assert case.events.filter(kind=RemedyEventKind.OFFERED, data__offer_id=offer.pk).exists()


def test_the_customers_choice_is_granted_exactly_as_offered(shop, alice, django_capture_on_commit_callbacks):
    case = case_with_loss()
    offer = offer_make(case=case, user=alice, demand_kind="refund_full", demand_amount="120.00")
    chosen = next(i for i, o in enumerate(offer.options) if o["kind"] == "coupon")
    with django_capture_on_commit_callbacks(execute=True):
        grant = offer_choose(offer=offer, user=alice, index=chosen)
    offer.refresh_from_db()
    assert (offer.status, offer.chosen_index, offer.responded_at) == (OfferStatus.CHOSEN, chosen, grant.granted_at)
    assert grant.offer == offer
    assert str(grant.amount) == offer.options[chosen]["amount"] and str(grant.cost) == offer.options[chosen]["cost"]
    assert grant.code and grant.code in mail.outbox[-1].body


def test_a_choice_replayed_with_its_key_returns_the_grant_and_a_second_choice_is_refused(shop, alice):
    offer = offer_make(case=case_with_loss(), user=alice, demand_kind="refund_full")
    first = offer_choose(offer=offer, user=alice, index=0, idempotency_key="pick-1", order_reference="SO-9")
    again = offer_choose(offer=offer, user=alice, index=0, idempotency_key="pick-1", order_reference="SO-9")
    assert again.pk == first.pk and again.replayed
    with pytest.raises(CaseActionError, match="already answered"):
        offer_choose(offer=offer, user=alice, index=1)
    assert Grant.objects.count() == 1


@pytest.mark.parametrize("index", [-1, 3, 99, "0", True, None])
def test_choosing_an_option_that_was_not_offered_is_refused(shop, alice, index):
    offer = offer_make(case=case_with_loss(), user=alice, demand_kind="refund_full")
    with pytest.raises(ValidationError) as caught:
        offer_choose(offer=offer, user=alice, index=index)
    assert list(caught.value.message_dict) == ["index"]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN and not Grant.objects.exists()


def test_a_choice_that_no_longer_fits_the_authority_is_refused_and_the_offer_stays_open(shop, alice):
    case = case_with_loss()
    offer = offer_make(case=case, user=alice, demand_kind="refund_full")
    exchange = next(i for i, o in enumerate(offer.options) if o["kind"] == "return_exchange")  # costs 48 of 50
    refund = RemedyType.objects.get(code="refund-partial")
    remedy_grant(case=case, user=alice, remedy_type=refund, amount="10", order_reference="SO-1")
    with pytest.raises(ValidationError, match="authority left on this case"):
        offer_choose(offer=offer, user=alice, index=exchange, order_reference="SO-1")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN


def test_none_of_these_is_recorded(shop, alice):
    case = case_with_loss()
    offer = offer_decline(offer=offer_make(case=case, user=alice, demand_kind="refund_full"), user=alice)
    assert offer.status == OfferStatus.DECLINED and offer.responded_at is not None
    assert case.events.filter(kind=RemedyEventKind.OFFER_DECLINED).exists()
    with pytest.raises(CaseActionError):
        offer_choose(offer=offer, user=alice, index=0)


def test_charlie_can_neither_make_nor_answer_an_offer_on_norths_case(shop, alice, charlie):
    case = case_with_loss()
    with pytest.raises(CaseActionError):
        offer_make(case=case, user=charlie)
    offer = offer_make(case=case, user=alice)
    with pytest.raises(CaseActionError):
        offer_choose(offer=offer, user=charlie, index=0)
    with pytest.raises(CaseActionError):
        offer_decline(offer=offer, user=charlie)
    assert Offer.objects.get().status == OfferStatus.OPEN and not Grant.objects.exists()


def test_a_choice_whose_remedy_left_the_catalog_is_refused(shop, alice):
    offer = offer_make(case=case_with_loss(), user=alice, demand_kind="refund_full")
    RemedyType.objects.filter(pk=offer.options[0]["remedy_type_id"]).update(active=False)
    with pytest.raises(ValidationError, match="no longer offered"):
        offer_choose(offer=offer, user=alice, index=0, order_reference="SO-1")
