from django.urls import URLPattern, path

from makegood.history import views

urlpatterns: list[URLPattern] = [
    path("history/import/", views.upload, name="history_import"),
    path("history/import/<int:run_id>/", views.run_page, name="history_run"),
    path("history/import/<int:run_id>/progress/", views.progress, name="history_progress"),
    path("history/import/<int:run_id>/rejected.csv", views.rejected_csv, name="history_rejected_csv"),
]
