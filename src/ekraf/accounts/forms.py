from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm, StyledFormMixin

from . import services


class SignupForm(StyledForm):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Kami kirim tautan verifikasi ke alamat ini."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 karakter, tidak hanya angka, dan tidak mudah ditebak."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    agree = forms.BooleanField(
        label=_(
            "Saya telah membaca kebijakan privasi dan setuju data saya diproses untuk layanan ini."
        ),
    )
    # Where the person was going (a training's registration form); checked by the view.
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean_email(self):
        # Whether the address is taken is not said here (services.sign_up e-mails its owner).
        return services.normalise_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1:
            from .models import User

            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Email/nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
        "unverified": _(
            "Email Anda belum diverifikasi. Buka tautan di email kami, atau minta tautan baru."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email atau nama pengguna")
        self.fields["password"].label = _("Kata sandi")

    def clean(self):
        """As Django's; a sign-in the lockout refused (accounts.lockout, in the backends) says
        so instead of "wrong password"."""
        from . import lockout

        try:
            return super().clean()
        except forms.ValidationError:
            refused = lockout.refusal(self.request)
            if refused:
                raise forms.ValidationError(refused, code=services.TooManyAttempts.code) from None
            raise

    @property
    def locked_out(self) -> bool:
        return any(
            error.code == services.TooManyAttempts.code
            for error in self.errors.as_data().get("__all__", [])
        )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(StyledForm):
    email = forms.EmailField(label=_("Email"))
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    def get_users(self, email):
        """Also accounts without a password yet (creators an organiser imported): a reset is
        how they claim their account. Deleted accounts are inactive and never match."""
        from .models import User

        return (
            u
            for u in User.objects.filter(email__iexact=email, is_active=True, deleted_at=None)
            if u.email.lower() == email.lower()
        )


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    def save(self, commit=True):
        """The reset link came by e-mail, so following it proves the address (and ends a
        log-in lockout: the person can sign in with the new password at once)."""
        from django.utils import timezone

        user = super().save(commit=False)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
        if commit:
            user.save()
        from . import lockout

        lockout.lift(user)
        return user


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=80,
        help_text=_("Untuk apa token ini, misalnya 'Integrasi SIMPEG'."),
    )
    days = forms.TypedChoiceField(
        label=_("Berlaku"),
        coerce=int,
        choices=[
            (30, _("30 hari")),
            (90, _("90 hari")),
            (365, _("1 tahun")),
            (0, _("Tanpa batas")),
        ],
        initial=90,
    )


class TwoFactorCodeForm(StyledForm):
    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        help_text=_("6 angka dari aplikasi autentikator, atau satu kode pemulihan."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )
