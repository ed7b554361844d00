"""Forms of the organiser's editing pages: the training itself, its sessions and quota
categories (two formsets, at least one of each, no two categories of one name), the initial
rows of an existing training, and the duplicate and cancel forms. They parse and check input;
services.editing decides and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm, StyledModelForm
from ekraf.core.models import Space

from .. import services
from ..models import QuotaCategory, Training

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
