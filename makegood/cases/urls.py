from django.urls import URLPattern, path

from makegood.cases import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("queue/rows/", views.queue_rows, name="queue_rows"),
    path("queue/assign/", views.queue_assign, name="queue_assign"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/take/", views.case_take, name="case_take"),
    path("cases/<str:reference>/resolve/", views.case_resolve_view, name="case_resolve"),
    path("cases/<str:reference>/transfer/", views.case_transfer_view, name="case_transfer"),
    path("cases/<str:reference>/transfer/withdraw/", views.case_transfer_cancel_view, name="case_transfer_cancel"),
    path("cases/<str:reference>/notes/", views.case_note_view, name="case_note"),
    path("queue/transfers/", views.queue_transfers, name="queue_transfers"),
    path(
        "cases/<str:reference>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
