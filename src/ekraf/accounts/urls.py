from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import forms, security_views, views

app_name = "accounts"
urlpatterns = [
    path("daftar/", views.signup, name="signup"),
    path("daftar/terkirim/", views.signup_done, name="signup_done"),
    path("verifikasi-email/kirim-ulang/", views.resend_verification, name="resend_verification"),
    path("verifikasi-email/<str:token>/", views.verify, name="verify"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/token/", views.tokens, name="tokens"),
    path("akun/token/<int:token_id>/cabut/", views.revoke_token, name="revoke_token"),
    path("akun/sesi/", security_views.sessions_page, name="sessions"),
    path("akun/sesi/<int:session_id>/akhiri/", security_views.end_session, name="end_session"),
    path("akun/dua-langkah/", security_views.two_factor_setup, name="two_factor"),
    path("masuk/verifikasi/", security_views.two_factor_verify, name="two_factor_verify"),
    path(
        "lupa-sandi/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.StyledSetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
