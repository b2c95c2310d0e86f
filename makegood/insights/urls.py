from django.urls import URLPattern, path

from makegood.insights import views, views_loyalty

urlpatterns: list[URLPattern] = [
    path("insights/", views.dashboard, name="insights"),
    path("insights/cases/", views.drill_down, name="insights_cases"),
    path("insights/cases.csv", views.drill_down_csv, name="insights_cases_csv"),
    path("insights/loyalty/", views_loyalty.loyalty_page, name="insights_loyalty"),
    path("insights/loyalty.csv", views_loyalty.loyalty_csv, name="insights_loyalty_csv"),
    path("insights/loyalty/never-complained/", views_loyalty.never_complained, name="insights_customers"),
    path("insights/loyalty/never-complained.csv", views_loyalty.never_complained_csv, name="insights_customers_csv"),
    path("insights/money/", views_loyalty.money_page, name="insights_money"),
    path("insights/money.csv", views_loyalty.money_csv, name="insights_money_csv"),
    path("insights/<slug:table>.csv", views.table_csv, name="insights_table_csv"),
]
