from django.urls import URLPattern, path

from makegood.improvement.views import exports, fixes, inbox, pages

urlpatterns: list[URLPattern] = [
    path("improvement/", pages.overview, name="improvement"),
    path("improvement/causes.csv", exports.pareto_csv, name="improvement_pareto_csv"),
    path("improvement/causes/<int:cause_id>/", pages.cause_page, name="improvement_cause"),
    path("improvement/causes/<int:cause_id>/weekly.csv", exports.trend_csv, name="improvement_trend_csv"),
    path("improvement/fixes/<int:action_id>/", fixes.action_page, name="improvement_action"),
    path("improvement/fixes/<int:action_id>/advance/", fixes.action_advance_view, name="improvement_action_advance"),
    path("improvement/fixes/<int:action_id>/review/", fixes.action_review_view, name="improvement_action_review"),
    path("improvement/fixes/<int:action_id>/announce/", fixes.action_announce_view, name="improvement_action_announce"),
    path("improvement/fixes/<int:action_id>/effect.csv", exports.effect_csv, name="improvement_effect_csv"),
    path("improvement/suggestions/", inbox.inbox, name="improvement_inbox"),
    path("improvement/suggestions/<int:group_id>/decide/", inbox.decide, name="improvement_decide"),
    path("improvement/volumes/", inbox.volumes, name="improvement_volumes"),
    path("improvement/mine/", pages.mine, name="improvement_mine"),
    path("improvement/notices/<int:notice_id>/read/", pages.notice_read, name="improvement_notice_read"),
]
