"""Pages for signing up, verifying e-mail, signing in, the account overview and API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.core.errors import DomainError

from . import permissions, selectors, services
from .forms import (
    ApiTokenForm,
    LoginForm,
    ResendVerificationForm,
    SignupForm,
    StyledPasswordResetForm,
)
from .models import User
from .redirects import next_of, safe_next


def signup(request):
    if request.user.is_authenticated:
        return redirect(next_of(request, "core:home"))
    next_url = next_of(request)
    form = SignupForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                next_url=next_url,
            )
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    return render(
        request, "accounts/signup_done.html", {"email": request.session.get("signup_email")}
    )


def verify(request, token):
    try:
        user = services.verify_email(token)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:resend_verification")
    # Only the first use signs in: a link that was used (or forwarded) opens nothing after that.
    if not request.user.is_authenticated and user.is_active and user.just_verified:
        login(request, user, backend="ekraf.accounts.backends.UsernameOrEmailBackend")
    messages.success(request, _("Email Anda sudah terverifikasi. Selamat datang!"))
    # Where the person was going when they signed up (a training's registration form); a
    # later use of the link, not signed in, goes through the sign-in page to the same place.
    return redirect(safe_next(request, user.next_url, "accounts:account"))


def resend_verification(request):
    next_url = next_of(request)
    form = ResendVerificationForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            services.allow_email_link(request, "verify", form.cleaned_data["email"])
        except services.TooManyAttempts as exc:
            form.add_error(None, exc.message)
            return render(
                request, "accounts/resend_verification.html", {"form": form}, status=exc.status
            )
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_verified_at__isnull=True, is_active=True
        ).first()
        if user is not None:
            services.send_verification_email(user, next_url)
        # Same answer whether or not the address exists: no account enumeration.
        messages.info(
            request,
            _("Jika email itu terdaftar dan belum diverifikasi, tautan baru sudah kami kirim."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StyledPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        # Links point at the public address, not at whatever host the request came through.
        return {"base_url": settings.BASE_URL}

    def form_valid(self, form):
        try:
            services.allow_email_link(self.request, "reset", form.cleaned_data["email"])
        except services.TooManyAttempts as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=exc.status)
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True  # Django's LoginView checks `next` against this host

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_out:
            response.status_code = services.TooManyAttempts.status
        return response


@login_required
def account(request):
    return render(
        request,
        "accounts/account.html",
        {
            "grants": selectors.role_grants(request.user),
            "can_use_two_factor": permissions.can_use_two_factor(request.user),
        },
    )


@login_required
def tokens(request):
    if not permissions.can_use_api_tokens(request.user):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _record, new_token = services.create_api_token(
            request.user, form.cleaned_data["name"], days=form.cleaned_data["days"] or None
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.api_tokens(request.user), "new_token": new_token},
    )


@login_required
@require_POST
def revoke_token(request, token_id):
    try:
        services.revoke_api_token(request.user, token_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Token dicabut. Aplikasi yang memakainya tidak bisa lagi mengakses API.")
        )
    return redirect(
        "accounts:sessions" if request.POST.get("from") == "sessions" else "accounts:tokens"
    )
