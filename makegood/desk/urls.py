from django.urls import URLPattern, path

from makegood.desk import views

urlpatterns: list[URLPattern] = [
    path("search/", views.search, name="search"),
]
