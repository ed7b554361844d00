"""Forms of the trainings pages. They parse and check input; services decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ekraf.core import selectors as core_selectors
from ekraf.core.forms import StyledForm, StyledModelForm
from ekraf.core.models import Region, Space

from . import services
from .models import (
    FEEDBACK_ASPECTS,
    FEEDBACK_OPEN_QUESTIONS,
    PROFILE_FIELDS,
    QuotaCategory,
    Registration,
    Training,
)
from .question_forms import AnswersMixin

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class TrainingForm(StyledModelForm):
    registration_opens_at = datetime_field(_("Pendaftaran dibuka"), required=False)
    registration_closes_at = datetime_field(_("Pendaftaran ditutup"), required=False)
    cancellation_deadline = datetime_field(
        _("Batas pembatalan oleh peserta"),
        required=False,
        help_text=_("Kosongkan: peserta bisa membatalkan sampai sesi pertama dimulai."),
    )

    class Meta:
        model = Training
        fields = [
            "title",
            "kind",
            "audience",
            "description",
            "learning_outcomes",
            "hours",
            "subsectors",
            "registration_opens_at",
            "registration_closes_at",
            "cancellation_deadline",
            "selection_mode",
            "offer_hours",
            "completion_min_attendance",
            "completion_min_post_test",
            "certificate_kind",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 3}),
            "subsectors": forms.CheckboxSelectMultiple,
            "selection_mode": forms.RadioSelect,
        }
        help_texts = {
            "audience": _("Mis. konten kreator pemula, pelaku UMKM, ASN humas."),
            "offer_hours": _(
                "Kursi yang dilepas ditawarkan ke urutan berikutnya di daftar tunggu selama "
                "sekian jam. Isi 0 untuk langsung mengonfirmasi tanpa menunggu jawaban."
            ),
            "completion_min_attendance": _("Persen sesi yang harus dihadiri, 0–100."),
            "completion_min_post_test": _("Kosongkan bila kelulusan tidak memakai post-test."),
        }

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autofocus"] = True
        if agencies is not None and len(agencies) > 1:
            from ekraf.core.models import Agency

            # A queryset, whatever the caller passed: a list of agencies here was the 500 on
            # /kelola/pelatihan/baru/ for administrators and multi-agency organisers.
            queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("short_name")
            self.fields["agency"] = forms.ModelChoiceField(
                queryset=queryset, label=_("Penyelenggara"), initial=agencies[0]
            )
            self.fields["agency"].widget.attrs["class"] = "form-select"
            self.order_fields(["agency"])

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at", _("Penutupan pendaftaran harus sesudah pembukaannya.")
            )
        if (data.get("completion_min_attendance") or 0) > 100:
            self.add_error("completion_min_attendance", _("Maksimal 100%."))
        return data

    def _post_clean(self):
        # Services write the training; the model's own validation of the unsaved instance
        # (which has no agency yet) is not wanted here.
        pass

    def training_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in services.TRAINING_FIELDS
            if name in self.cleaned_data
        }


def _space_choices():
    choices = [("", _("— bukan di ruang MCC —"))]
    for space in Space.objects.filter(is_active=True).order_by("floor", "name"):
        label = space.name
        extra = []
        if space.floor:
            extra.append(_("lt. %(n)s") % {"n": space.floor})
        if space.capacity:
            extra.append(_("%(n)s orang") % {"n": space.capacity})
        if extra:
            label += f" ({', '.join(str(e) for e in extra)})"
        choices.append((str(space.pk), label))
    return choices


class SessionForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Judul sesi"), required=False, max_length=200)
    starts_at = datetime_field(_("Mulai"))
    ends_at = datetime_field(_("Selesai"))
    space = forms.ChoiceField(label=_("Ruang MCC"), required=False)
    address = forms.CharField(label=_("atau alamat lain"), required=False, max_length=255)
    online_url = forms.URLField(
        label=_("atau tautan daring"), required=False, assume_scheme="https"
    )
    self_checkin = forms.BooleanField(
        label=_("Presensi mandiri (QR berganti tiap 30 detik di layar)"), required=False
    )

    def __init__(self, *args, space_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = space_choices or _space_choices()

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Waktu selesai harus sesudah waktu mulai."))
        if not (data.get("space") or data.get("address") or data.get("online_url")):
            raise ValidationError(_("Pilih ruang MCC, tulis alamat lain, atau isi tautan daring."))
        return data

    def to_input(self, spaces: dict) -> services.SessionInput:
        d = self.cleaned_data
        return services.SessionInput(
            id=d.get("id"),
            title=d.get("title", ""),
            starts_at=d.get("starts_at"),
            ends_at=d.get("ends_at"),
            space=spaces.get(int(d["space"])) if d.get("space") else None,
            address=d.get("address", ""),
            online_url=d.get("online_url", ""),
            self_checkin=d.get("self_checkin", False),
            delete=bool(d.get("DELETE")),
        )


class CategoryForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nama kategori"), max_length=60, initial=_("Umum"))
    seats = forms.IntegerField(label=_("Kursi"), min_value=1, max_value=100000)
    audience = forms.ChoiceField(
        label=_("Sasaran"),
        choices=QuotaCategory.Audience.choices,
        initial=QuotaCategory.Audience.ANYONE,
    )
    residents_only = forms.BooleanField(label=_("Khusus warga kota"), required=False)
    min_age = forms.IntegerField(
        label=_("Usia minimal"), required=False, min_value=0, max_value=120
    )
    max_age = forms.IntegerField(
        label=_("Usia maksimal"), required=False, min_value=0, max_value=120
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("Usia maksimal harus ≥ usia minimal."))
        return data

    def to_input(self) -> services.CategoryInput:
        d = self.cleaned_data
        return services.CategoryInput(
            id=d.get("id"),
            name=d.get("name", ""),
            seats=d.get("seats"),
            audience=d.get("audience") or QuotaCategory.Audience.ANYONE,
            residents_only=d.get("residents_only", False),
            min_age=d.get("min_age"),
            max_age=d.get("max_age"),
            delete=bool(d.get("DELETE")),
        )


class BaseSessionFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        self.space_choices = _space_choices()
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"space_choices": self.space_choices}

    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() or f.cleaned_data.get("id")]
        kept = [f for f in kept if not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("Isi sedikitnya satu sesi."))


class BaseCategoryFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            names.append(form.cleaned_data["name"].strip().lower())
        if not names:
            raise ValidationError(_("Isi sedikitnya satu kategori kuota."))
        if len(set(names)) != len(names):
            raise ValidationError(_("Nama kategori kuota tidak boleh kembar."))


SessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=0, can_delete=True, min_num=1
)
CategoryFormSet = forms.formset_factory(
    CategoryForm, formset=BaseCategoryFormSet, extra=0, can_delete=True, min_num=1
)


def session_initial(training) -> list[dict]:
    from django.utils import timezone

    return [
        {
            "id": s.pk,
            "title": s.title,
            "starts_at": timezone.localtime(s.starts_at),
            "ends_at": timezone.localtime(s.ends_at),
            "space": str(s.space_id or ""),
            "address": s.address,
            "online_url": s.online_url,
            "self_checkin": s.self_checkin,
        }
        for s in training.sessions.all()
    ]


def category_initial(training) -> list[dict]:
    return [
        {
            "id": c.pk,
            "name": c.name,
            "seats": c.seats,
            "audience": c.audience,
            "residents_only": c.residents_only,
            "min_age": c.min_age,
            "max_age": c.max_age,
        }
        for c in training.categories.all()
    ]


class GroupMessageForm(StyledForm):
    group = forms.ChoiceField(label=_("Kirim kepada"), widget=forms.RadioSelect, choices=[])
    subject = forms.CharField(label=_("Judul"), max_length=150)
    body = forms.CharField(
        label=_("Pesan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Dikirim lewat email; teks yang sama siap dikirim lewat WhatsApp."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = services.message_groups()


class DuplicateTrainingForm(StyledForm):
    title = forms.CharField(label=_("Judul pelatihan baru"), max_length=200)
    first_day = forms.DateField(
        label=_("Tanggal sesi pertama"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Semua sesi, jadwal pendaftaran dan batas pembatalan digeser sejauh yang sama, "
            "dengan jam yang sama."
        ),
    )


class CancelTrainingForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Dikirim kepada semua pendaftar."),
    )


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


class CheckinForm(StyledForm):
    code = forms.CharField(
        label=_("Kode tiket"),
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
                "class": "ticket-code",
            }
        ),
    )


class ScoreImportForm(StyledForm):
    test = forms.ChoiceField(
        label=_("Nilai yang diimpor"),
        choices=[("post", _("Post-test")), ("pre", _("Pre-test"))],
        widget=forms.RadioSelect,
        initial="post",
    )
    attempt = forms.ChoiceField(
        label=_("Bila seseorang mengerjakan lebih dari sekali"),
        choices=[],
        widget=forms.RadioSelect,
        initial="latest",
        required=False,  # the latest attempt, when a client sends none
        help_text=_(
            "Urutan percobaan menurut kolom Timestamp/Stempel waktu, atau urutan baris bila "
            "kolom itu tidak ada. Pratinjau menunjukkan baris mana yang dipakai per orang."
        ),
    )
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_(
            "Ekspor Google Forms (kuis) atau lembar sendiri: kolom email, nomor WhatsApp atau "
            "kode tiket, dan kolom nilai (Score/Skor/Nilai, mis. “8 / 10” atau 80)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        from .services import attempt_choices

        super().__init__(*args, **kwargs)
        self.fields["attempt"].choices = attempt_choices()


RATING_CHOICES = [(5, "5 — sangat baik"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — buruk")]


class FeedbackForm(StyledForm):
    """The overall rating, a rating per aspect (FEEDBACK_ASPECTS), the open questions
    (FEEDBACK_OPEN_QUESTIONS) and a comment; services.clean_feedback checks them."""

    rating = forms.TypedChoiceField(
        label=_("Seberapa bermanfaat pelatihan ini?"),
        choices=[(5, "5 — sangat"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — tidak")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar dan saran"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {"rating": self.fields.pop("rating")}
        for key, label in FEEDBACK_ASPECTS.items():
            fields[f"aspect_{key}"] = forms.TypedChoiceField(
                label=_("Penilaian %(aspect)s") % {"aspect": str(label).lower()},
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,  # an online training has no venue to rate
                empty_value=None,
            )
        for key, label in FEEDBACK_OPEN_QUESTIONS.items():
            fields[f"open_{key}"] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                max_length=2000,
                required=False,
            )
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields

    def aspects(self) -> dict:
        return {
            key: self.cleaned_data[f"aspect_{key}"]
            for key in FEEDBACK_ASPECTS
            if self.cleaned_data.get(f"aspect_{key}") is not None
        }

    def open_answers(self) -> dict:
        return {key: self.cleaned_data.get(f"open_{key}", "") for key in FEEDBACK_OPEN_QUESTIONS}


class CatalogueFilterForm(StyledForm):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *Training.Kind.choices]
    )
    agency = forms.ChoiceField(label=_("Penyelenggara"), required=False)
    mode = forms.ChoiceField(
        label=_("Cara"),
        required=False,
        choices=[("", _("Luring & daring")), ("luring", _("Luring")), ("daring", _("Daring"))],
    )
    when = forms.ChoiceField(
        label=_("Waktu"),
        required=False,
        choices=[("mendatang", _("Mendatang")), ("lalu", _("Sudah lewat"))],
    )
    open_only = forms.BooleanField(label=_("Hanya yang masih dibuka"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Semua penyelenggara"))] + [
            (a.code, a.short_name) for a in core_selectors.agencies()
        ]
