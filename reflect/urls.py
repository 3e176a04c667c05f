from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from journal.views.home import home
from reflect import views
from reflect.forms import EmailAuthenticationForm

account_patterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.account_delete, name="account_delete"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="emails/password-reset-subject.txt",
            email_template_name="emails/password-reset-body.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
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
    path("identity/history/", views.identity_history, name="identity_history"),
    path("identity/versions/<int:pk>/", views.identity_version, name="identity_version"),
    path("identity/compare/", views.identity_compare, name="identity_compare"),
    path("admin/", admin.site.urls),
    path("", include("journal.urls")),
]
