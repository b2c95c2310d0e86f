from django.urls import URLPattern, path

from makegood.spot import views

urlpatterns: list[URLPattern] = [
    path("cases/on-the-spot/", views.spot_record, name="spot_record"),
]
