from django.urls import URLPattern, path

from makegood.intake import views
from makegood.intake.mail.views import inbound_original

urlpatterns: list[URLPattern] = [
    path("complain/", views.complaint_form, name="complaint_form"),
    path("complain/thanks/<str:token>/", views.complaint_thanks, name="complaint_thanks"),
    path("cases/new/", views.staff_entry, name="staff_entry"),
    path("cases/<str:reference>/emails/<int:inbound_id>/", inbound_original, name="inbound_original"),
]
