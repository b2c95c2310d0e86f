from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from makegood.api import api
from makegood.health import healthz


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API authenticates with bearer tokens itself, so the login redirect must not apply."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
        else:
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


api_patterns, api_app, api_namespace = api.urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to; it lives with the static files.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("makegood/favicon.svg"), permanent=True)),
        name="favicon",
    ),
    path("accounts/login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include((_public(api_patterns), api_app), namespace=api_namespace)),
    path("", include("makegood.intake.urls")),
    path("", include("makegood.spot.urls")),  # before `cases/<reference>/`
    path("", include("makegood.cases.urls")),
    path("", include("makegood.recovery.urls")),
    path("", include("makegood.remedies.urls")),
    path("", include("makegood.followup.urls")),
    path("", include("makegood.causes.urls")),
    path("", include("makegood.improvement.urls")),
    path("", include("makegood.history.urls")),
    path("", include("makegood.desk.urls")),
    path("", include("makegood.purchases.urls")),
    path("", include("makegood.insights.urls")),
]
