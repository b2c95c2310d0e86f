from django.urls import URLPattern, path

from makegood.causes import views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/cause/", views.case_cause, name="case_cause"),
]
