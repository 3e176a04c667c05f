from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_POST

from journal.views.home import home
from reflect import views

# Accounts are allauth's (email sign-in, verification, two-factor, sessions). The
# names the rest of the site uses (login, signup, logout...) point at its views;
# allauth's own names (account_login...) resolve to the same paths.
# Staff sign in through the site's own login, with its two-factor step and lockout,
# never through the admin's password-only form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

account_patterns = [
    path("login/", account_views.login, name="login"),
    path("signup/", account_views.signup, name="signup"),
    # Signing out changes state: POST only (a GET must never sign anyone out).
    path("logout/", require_POST(account_views.logout), name="logout"),
    path("password/change/", account_views.password_change, name="password_change"),
    path("password/reset/", account_views.password_reset, name="password_reset"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.account_delete, name="account_delete"),
    path("welcome/", views.two_factor_offer, name="two_factor_offer"),
    path("security/", views.security_activity, name="security_activity"),
    path("", include("allauth.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("help/", views.help_page, name="help"),
    path("accounts/", include(account_patterns)),
    path("prompts/", views.prompt_list, name="prompt_list"),
    path("prompts/new/", views.prompt_create, name="prompt_create"),
    path("prompts/<int:pk>/edit/", views.prompt_update, name="prompt_update"),
    path("prompts/<int:pk>/pin/", views.prompt_pin, name="prompt_pin"),
    path("prompts/<int:pk>/hide/", views.prompt_hide, name="prompt_hide"),
    path("identity/", views.identity_map, name="identity_map"),
    path("identity/autosave/", views.identity_autosave, name="identity_autosave"),
    path("identity/history/", views.identity_history, name="identity_history"),
    path("identity/versions/<int:pk>/", views.identity_version, name="identity_version"),
    path("identity/compare/", views.identity_compare, name="identity_compare"),
    path("admin/", admin.site.urls),
    path("", include("journal.urls")),
]
