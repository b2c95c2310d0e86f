from django.urls import URLPattern, path

from makegood.followup import views

urlpatterns: list[URLPattern] = [
    path("survey/<str:token>/", views.survey, name="followup_survey"),
    path(
        "cases/<str:reference>/follow-ups/<int:follow_up_id>/call/",
        views.call_answer,
        name="followup_call_answer",
    ),
    path(
        "cases/<str:reference>/follow-ups/<int:follow_up_id>/attempt/",
        views.call_attempt,
        name="followup_call_attempt",
    ),
    path("follow-ups/calls/", views.calls, name="followup_calls"),
    path("reports/follow-ups/", views.report, name="followup_report"),
]
