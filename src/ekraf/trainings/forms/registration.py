"""Registering: the person's own registration form (category, contact, the profile fields
and the training's own questions, consent last) and the organiser's form for registering
someone else. They parse; services.registration decides who gets a seat."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ekraf.core import selectors as core_selectors
from ekraf.core.forms import StyledForm
from ekraf.core.models import Region

from .. import services
from ..models import PROFILE_FIELDS, QuotaCategory, Registration, Training
from ..question_forms import AnswersMixin


def kelurahan_choices():
    groups: dict[str, list] = {}
    for village in core_selectors.villages():
        groups.setdefault(village.parent.name if village.parent_id else "", []).append(
            (str(village.pk), village.name)
        )
    return [("", _("— di luar kota / tidak diisi —")), *groups.items()]


class RegistrationForm(AnswersMixin, StyledForm):
    category = forms.ChoiceField(label=_("Kategori kuota"), widget=forms.RadioSelect)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=20,
        help_text=_("Untuk pengingat dan tawaran kursi. Contoh: 0812 3456 7890"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    gender = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=[("", "—"), ("L", _("Laki-laki")), ("P", _("Perempuan"))],
        required=False,
    )
    birth_year = forms.IntegerField(
        label=_("Tahun lahir"), required=False, min_value=1900, max_value=2100
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan tempat tinggal"), required=False)
    origin = forms.CharField(
        label=_("Asal instansi/komunitas/sekolah"), max_length=150, required=False
    )
    audience = forms.ChoiceField(
        label=_("Status"),
        choices=Registration.Audience.choices,
        initial=Registration.Audience.PUBLIC,
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Mengapa Anda ingin mengikuti pelatihan ini?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data ini dipakai penyelenggara untuk keperluan pelatihan ini (daftar "
            "hadir, laporan, sertifikat)."
        )
    )

    def __init__(
        self,
        *args,
        training,
        categories,
        offer_save_phone=False,
        questions=(),
        profile_missing=(),
        **kwargs,
    ):
        """`questions`: the training's own; `profile_missing`: the required profile fields
        the person's profile lacks (the form offers to save them there)."""
        super().__init__(*args, **kwargs)
        self.training = training
        if offer_save_phone:
            # Placed right after the number it is about.
            fields = list(self.fields.items())
            at = [name for name, _f in fields].index("phone") + 1
            save = forms.BooleanField(
                label=_("Simpan nomor ini di profil saya"),
                required=False,
                help_text=_("Agar pendaftaran berikutnya terisi sendiri."),
            )
            self.fields = dict([*fields[:at], ("save_phone", save), *fields[at:]])
        self.categories = {str(c.pk): c for c in categories}
        self.fields["category"].choices = [
            (
                str(c.pk),
                _("%(name)s — sisa %(left)s dari %(seats)s kursi%(waiting)s")
                % {
                    "name": c.name,
                    "left": c.left,
                    "seats": c.seats,
                    "waiting": _(" (penuh, masuk daftar tunggu)") if c.left == 0 else "",
                },
            )
            for c in categories
        ]
        if len(categories) == 1:
            self.fields["category"].initial = str(categories[0].pk)
        self.fields["kelurahan"].choices = kelurahan_choices()
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        if training.selection_mode == Training.SelectionMode.SELECTION:
            self.fields["motivation"].required = True
        else:
            del self.fields["motivation"]
        needs_age = any(c.min_age is not None or c.max_age is not None for c in categories)
        self.fields["birth_year"].required = needs_age
        for name in services.required_profile_fields(training):
            self.fields[name].required = True
            if name == "kelurahan":
                self.fields[name].choices = [
                    ("", _("— pilih kelurahan —")),
                    *kelurahan_choices()[1:],
                ]
        self.profile_missing = [n for n in profile_missing if n in PROFILE_FIELDS]
        if self.profile_missing:
            fields = list(self.fields.items())
            at = max([n for n, _f in fields].index(m) for m in self.profile_missing) + 1
            save = forms.BooleanField(
                label=_("Simpan juga ke profil saya: %(fields)s")
                % {
                    "fields": ", ".join(
                        str(PROFILE_FIELDS[n]).lower() for n in self.profile_missing
                    )
                },
                required=False,
                initial=True,
                help_text=_("Penyelenggara memerlukan data ini; profil Anda belum memuatnya."),
            )
            self.fields = dict([*fields[:at], ("save_profile", save), *fields[at:]])
        self.add_questions(questions)
        self.fields["consent"] = self.fields.pop("consent")  # last, after the questions

    def clean_kelurahan(self):
        value = self.cleaned_data.get("kelurahan")
        if not value:
            return None
        region = Region.objects.filter(pk=value, level=Region.Level.VILLAGE).first()
        if region is None:
            raise ValidationError(_("Pilih kelurahan dari daftar."))
        return region

    def clean_phone(self):
        try:
            return services.normalise_phone(self.cleaned_data.get("phone", ""))
        except services.DomainError as exc:
            raise ValidationError(exc.message) from exc

    def applicant(self, email: str) -> services.Applicant:
        d = self.cleaned_data
        return services.Applicant(
            full_name=d["full_name"],
            phone=d.get("phone", ""),
            email=email,
            gender=d.get("gender", ""),
            birth_year=d.get("birth_year"),
            kelurahan=d.get("kelurahan"),
            origin=d.get("origin", ""),
            audience=d["audience"],
            motivation=d.get("motivation", ""),
        )

    def chosen_category(self) -> QuotaCategory:
        return self.categories[self.cleaned_data["category"]]


class RegisterOtherForm(StyledForm):
    who = forms.CharField(
        label=_("Email akun atau ID pelaku ekraf"),
        max_length=150,
        help_text=_("Orang itu harus sudah punya akun di platform."),
    )
    category = forms.ChoiceField(label=_("Kategori kuota"))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(str(c.pk), c.name) for c in categories]
