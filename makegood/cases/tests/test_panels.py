"""Stages put their cards on the case page and the queue through `cases/panels.py`."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from makegood.accounts.models import Role
from makegood.cases import panels
from makegood.cases.panels import Panel
from makegood.cases.services import case_take_ownership
from makegood.cases.tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """The registries as the installed apps left them, restored after the test."""
    monkeypatch.setattr(panels, "_case_panels", copy.deepcopy(panels._case_panels))
    monkeypatch.setattr(panels, "_queue_panels", copy.deepcopy(panels._queue_panels))
    monkeypatch.setattr(panels, "_timeline_templates", dict(panels._timeline_templates))


def side_panel_names(client, case):
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    return [shown.name for shown in response.context["side_panels"]]


def test_the_installed_stages_place_their_cards_between_the_cores_in_order(client, alice):
    case = case_take_ownership(case=make_case(), user=alice)
    client.force_login(alice)
    assert side_panel_names(client, case) == [
        "customer",
        "recovery",
        "respond",
        "cause",
        "resolve",
        "followup",
        "transfer",
        "note",
    ]
    response = client.get(f"/cases/{case.reference}/")
    assert [shown.name for shown in response.context["main_panels"]] == ["remedies"]  # "merged": none here


def test_someone_who_may_take_the_case_sees_the_take_card_and_none_of_the_owners(client, bob):
    case = make_case()
    client.force_login(bob)
    assert side_panel_names(client, case) == ["customer", "take", "followup", "transfer", "note"]


def test_a_panel_whose_context_says_none_is_not_shown(client, alice, registry):
    panels.register_case_panel(
        "case_side", Panel(name="nothing", template="cases/_panel_take.html", order=1, context=lambda page: None)
    )
    case = make_case()
    client.force_login(alice)
    assert "nothing" not in side_panel_names(client, case)


def test_a_panel_is_rendered_in_the_pages_context_with_its_own_names_added(client, alice, registry):
    seen = []

    def context(page):
        seen.append((page.case.pk, page.is_owner, len(page.events)))
        return {"attachments": []}

    panels.register_case_panel(
        "case_main", Panel(name="probe", template="cases/_panel_attachments.html", order=99, context=context)
    )
    case = make_case()
    client.force_login(alice)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert seen == [(case.pk, False, 2)]
    assert 'id="attachments-title"' in html


def test_a_panel_needing_a_permission_is_neither_shown_nor_asked_for_its_context(client, north, registry):
    asked = []

    def remember_who_asked(page):
        asked.append(page.user)
        return {}

    panels.register_queue_panel(
        "queue_top",
        Panel(
            name="managers_only",
            template="remedies/_queue_authority.html",
            order=1,
            context=remember_who_asked,
            permission="remedies.decide_escalation",
        ),
    )
    frontline = make_staff("fay", Role.FRONTLINE, north)
    manager = make_staff("max", Role.MANAGER, north)
    client.force_login(frontline)
    assert "managers_only" not in [p.name for p in client.get("/queue/").context["top_panels"]]
    assert asked == []
    client.force_login(manager)
    assert "managers_only" in [p.name for p in client.get("/queue/").context["top_panels"]]
    assert asked == [manager]


def test_record_a_complaint_is_offered_only_to_those_who_may_open_cases(client, north):
    frontline = make_staff("fay", Role.FRONTLINE, north)
    owner = make_staff("pat", Role.PROCESS_OWNER, north)
    client.force_login(frontline)
    assert "Record a complaint" in client.get("/queue/").content.decode()
    client.force_login(owner)
    assert "Record a complaint" not in client.get("/queue/").content.decode()


def test_a_stage_with_nothing_to_show_costs_the_case_page_no_query(client, alice, registry):
    case = make_case()
    client.force_login(alice)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as before:
        client.get(f"/cases/{case.reference}/")
    panels.register_case_panel(
        "case_side", Panel(name="quiet", template="cases/_panel_take.html", order=1, context=lambda page: None)
    )
    with CaptureQueriesContext(connection) as after:
        client.get(f"/cases/{case.reference}/")
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_timeline_kind_has_one_template():
    panels.register_timeline_template("recovery_step", "recovery/_timeline_step.html")  # the same again: fine
    with pytest.raises(ValueError, match="already has the template"):
        panels.register_timeline_template("recovery_step", "elsewhere/_step.html")
    assert panels.timeline_template("recovery_step") == "recovery/_timeline_step.html"
    assert panels.timeline_template("received") == ""


def test_each_style_sheet_and_script_loads_once_whatever_the_number_of_panels_using_it(client, alice):
    case = make_case()
    client.force_login(alice)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert html.count("makegood/recovery.css") == 1
    assert html.count("makegood/coach.js") == 1
