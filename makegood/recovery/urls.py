from django.urls import URLPattern, path

from makegood.recovery import views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/recover/", views.recover, name="recover"),
    path("cases/<str:reference>/recover/<str:kind>/", views.recover_step, name="recover_step"),
    path("cases/<str:reference>/coach/", views.case_coach, name="case_coach"),
    path("cases/<str:reference>/respond/", views.case_respond, name="case_respond"),
]
