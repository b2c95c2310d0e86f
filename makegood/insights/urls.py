from django.urls import URLPattern, path

from makegood.insights import views

urlpatterns: list[URLPattern] = [
    path("insights/", views.dashboard, name="insights"),
    path("insights/cases/", views.drill_down, name="insights_cases"),
    path("insights/cases.csv", views.drill_down_csv, name="insights_cases_csv"),
    path("insights/<slug:table>.csv", views.table_csv, name="insights_table_csv"),
]
