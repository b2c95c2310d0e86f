from django.urls import URLPattern, path

from makegood.desk import views

urlpatterns: list[URLPattern] = [
    path("search/", views.search, name="search"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("cases/<str:reference>/merge/", views.case_merge_view, name="case_merge"),
]
