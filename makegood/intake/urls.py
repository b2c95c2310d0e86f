from django.urls import URLPattern, path

from makegood.intake import views

urlpatterns: list[URLPattern] = [
    path("complain/", views.complaint_form, name="complaint_form"),
    path("complain/thanks/<str:token>/", views.complaint_thanks, name="complaint_thanks"),
    path("cases/new/", views.staff_entry, name="staff_entry"),
]
