from django.urls import URLPattern, path

from makegood.purchases import views

urlpatterns: list[URLPattern] = [
    path("purchases/import/", views.upload, name="purchases_import"),
    path("purchases/import/<int:run_id>/", views.run_page, name="purchases_import_run"),
    path("purchases/import/<int:run_id>/progress/", views.progress, name="purchases_import_progress"),
    path("purchases/import/<int:run_id>/rejected.csv", views.rejected_csv, name="purchases_import_rejected_csv"),
]
