"""The shipped catalogs and `makegood load_catalog`."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from makegood.accounts.models import Role
from makegood.remedies.catalogs import catalog_names, catalog_read
from makegood.remedies.models import RemedyKind, RemedyType, RoleAuthority

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_catalog", *args, stdout=out)
    return out.getvalue()


def test_three_catalogs_ship_each_with_every_kind_of_remedy():
    assert catalog_names() == ["hotel", "online_shop", "restaurant"]
    for name in catalog_names():
        kinds = {item["kind"] for item in catalog_read(name)["remedies"]}
        assert kinds == set(RemedyKind.values), name


def test_loading_a_catalog_makes_it_the_business_catalog_with_its_role_defaults():
    assert load("online_shop") == "online_shop: 15 remedies created, 0 updated (active)\n"
    assert RemedyType.objects.filter(catalog="online_shop", active=True).count() == 15
    frontline = RoleAuthority.objects.get(role=Role.FRONTLINE)
    assert (str(frontline.cap_per_case), str(frontline.cap_per_day), frontline.currency) == ("50.00", "300.00", "USD")
    coupon = RemedyType.objects.get(code="coupon-next-order")
    assert (coupon.is_variable, str(coupon.cost_per_unit), coupon.issues_code) == (True, "0.3500", True)
    assert frontline.restitution_per_case == Decimal("1000.00")


def test_each_catalog_says_which_remedies_restore_and_which_compensate():
    load("online_shop")
    restoring = set(RemedyType.objects.filter(purpose="restitution").values_list("code", flat=True))
    assert restoring == {"redo-service", "repair", "replacement", "reverse-charge", "redeliver", "refund-full"}
    assert RemedyType.objects.get(code="refund-partial").purpose == "compensation"
    for name in catalog_names():
        purposes = {item.get("purpose") for item in catalog_read(name)["remedies"]}
        assert purposes <= {None, "restitution", "compensation"}, name


def test_the_other_catalogs_load_inactive_and_switching_deactivates_the_old_one():
    load("online_shop")
    assert "(inactive)" in load("hotel", "restaurant", "--inactive")
    assert set(RemedyType.objects.filter(active=True).values_list("catalog", flat=True)) == {"online_shop"}
    assert "15 from other catalogs deactivated" in load("hotel")
    assert set(RemedyType.objects.filter(active=True).values_list("catalog", flat=True)) == {"hotel"}
    assert RoleAuthority.objects.get(role=Role.FRONTLINE).cap_per_case == 80


def test_reloading_updates_in_place():
    load("restaurant")
    assert load("restaurant") == "restaurant: 0 remedies created, 15 updated (active)\n"
    assert RemedyType.objects.count() == 15


def test_a_catalog_can_be_priced_in_another_currency():
    load("hotel", "--currency", "eur")
    assert set(RemedyType.objects.values_list("currency", flat=True)) == {"EUR"}
    assert RoleAuthority.objects.get(role=Role.MANAGER).currency == "EUR"


def test_bad_requests_are_refused_clearly():
    with pytest.raises(CommandError, match="No catalog 'spaceship'"):
        load("spaceship")
    with pytest.raises(CommandError, match="Only one catalog can be the active one"):
        load("hotel", "restaurant")
    assert not RemedyType.objects.exists()
    assert load("--list").split() == ["hotel", "online_shop", "restaurant"]


def test_an_administrators_edit_is_checked_before_it_is_saved():
    from django.core.exceptions import ValidationError

    load("online_shop")
    coupon = RemedyType.objects.get(code="coupon-next-order")
    coupon.channels = ["fax"]
    coupon.loss_kinds = ["boredom"]
    coupon.min_amount = None
    coupon.currency = "dollars"
    with pytest.raises(ValidationError) as caught:
        coupon.full_clean()
    assert set(caught.value.message_dict) == {"channels", "loss_kinds", "min_amount", "currency"}
    policy = RoleAuthority.objects.get(role=Role.FRONTLINE)
    policy.allowed_kinds = ["pony"]
    with pytest.raises(ValidationError, match="Unknown: pony"):
        policy.full_clean()


def test_the_option_list_sees_catalog_changes_at_once(alice):
    from makegood.remedies.selectors import catalog_for

    load("online_shop")
    assert len(catalog_for("USD").entries) == 15
    note = RemedyType.objects.get(code="handwritten-note")
    note.name = "A handwritten card"
    note.save()  # this process: the save itself forgets the parsed catalog
    assert "A handwritten card" in {e.name for e in catalog_for("USD").entries}
    RemedyType.objects.filter(pk=note.pk).update(active=False)  # as another process would see it
    assert len(catalog_for("USD").entries) == 14
