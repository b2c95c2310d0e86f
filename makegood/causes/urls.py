from django.urls import URLPattern, path

from makegood.causes import panels, views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/cause/", views.case_cause, name="case_cause"),
    path("queue/causes/", panels.queue_causes, name="queue_causes"),
]
