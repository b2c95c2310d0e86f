from django.urls import URLPattern, path

from makegood.remedies import views
from makegood.remedies.views import payments as payment_views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/remedies/", views.remedies_panel, name="remedies_panel"),
    path("cases/<str:reference>/remedies/loss/", views.remedies_loss, name="remedies_loss"),
    path("cases/<str:reference>/remedies/grant/", views.remedies_grant, name="remedies_grant"),
    path("cases/<str:reference>/remedies/demand/", views.remedies_demand, name="remedies_demand"),
    path("cases/<str:reference>/remedies/offers/<int:offer_id>/choose/", views.remedies_choose, name="remedies_choose"),
    path("cases/<str:reference>/remedies/offers/<int:offer_id>/none/", views.remedies_none, name="remedies_none"),
    path("cases/<str:reference>/remedies/escalate/", views.remedies_escalate, name="remedies_escalate"),
    path(
        "cases/<str:reference>/remedies/approvals/<int:authorization_id>/deliver/",
        views.remedies_deliver,
        name="remedies_deliver",
    ),
    path("cases/<str:reference>/remedies/restore/", views.remedies_restore, name="remedies_restore"),
    path("cases/<str:reference>/remedies/extra/", views.remedies_extra, name="remedies_extra"),
    path("cases/<str:reference>/remedies/extra/skip/", views.remedies_extra_skip, name="remedies_extra_skip"),
    path("approvals/", views.approvals, name="remedies_approvals"),
    path("approvals/<int:escalation_id>/decide/", views.approval_decide_view, name="remedies_decide"),
    path("reports/remedies/", views.remedy_reports, name="remedies_reports"),
    path("remedies/authority/", views.authority_strip, name="remedies_authority"),
    path("cases/<str:reference>/payments/", payment_views.case_payments, name="remedies_case_payments"),
    path("payments/", payment_views.payments_to_make, name="remedies_payments"),
    path("payments/mine/", payment_views.my_payments, name="remedies_my_payments"),
    path("payments/<int:payment_id>/paid/", payment_views.payment_mark, {"outcome": "paid"}, name="remedies_paid"),
    path(
        "payments/<int:payment_id>/failed/", payment_views.payment_mark, {"outcome": "failed"}, name="remedies_failed"
    ),
]
