"""Forms of the spaces pages. They parse what people type; every rule lives in the services, so
the pages and the API refuse the same things with the same words."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm, StyledModelForm
from ekraf.core.models import Space

from .models import WEEKDAYS, Blackout, Room, UseClass
from .services import MAX_WEEKS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def aware(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class WhenForm(StyledForm):
    """A date with a start and end time (WIB)."""

    day = forms.DateField(label=_("Tanggal"), widget=DateInput())
    start_time = forms.TimeField(label=_("Mulai (WIB)"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Selesai (WIB)"), widget=TimeInput())

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = aware(data["day"], data["start_time"])
            data["ends_at"] = aware(data["day"], data["end_time"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("Waktu selesai harus sesudah waktu mulai."))
        return data


class BookingRequestForm(WhenForm):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200)
    purpose = forms.CharField(
        label=_("Tujuan kegiatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    organisation = forms.CharField(label=_("Komunitas/lembaga"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Nama penanggung jawab"), max_length=150)
    contact_phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    attendees = forms.IntegerField(label=_("Perkiraan peserta"), min_value=1, max_value=100000)
    use_class = forms.ChoiceField(
        label=_("Kelas pemakaian"),
        choices=UseClass.choices,
        widget=forms.RadioSelect,
        initial=UseClass.FREE,
    )
    request_letter = forms.FileField(
        label=_("Surat permohonan (PDF)"),
        required=False,
        help_text=_("Wajib untuk pemakaian gratis (sosial/edukasi), paling besar 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    weeks = forms.IntegerField(
        label=_("Berulang setiap minggu (jumlah minggu)"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=_("1 = sekali saja. Setiap tanggal dicatat sebagai pemesanan tersendiri."),
    )
    confirmed_price = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MoveForm(WhenForm):
    space = forms.ModelChoiceField(
        label=_("Ruang"),
        queryset=Space.objects.filter(is_active=True).order_by("floor", "name"),
        to_field_name="code",
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Alasan (boleh kosong)"), max_length=300, required=False)


class ApproveForm(StyledForm):
    whole_series = forms.BooleanField(label=_("Setujui seluruh seri"), required=False)
    skip_clashes = forms.BooleanField(
        label=_("Lewati tanggal yang bentrok (tanggal itu ditolak)"), required=False
    )


class RoomForm(StyledModelForm):
    class Meta:
        model = Room
        fields = [
            "description",
            "facilities",
            "buffer_minutes",
            "min_minutes",
            "max_minutes",
            "max_days_ahead",
            "hold_hours",
            "needs_approval",
            "is_bookable",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "facilities": forms.Textarea(attrs={"rows": 4}),
        }


class HoursForm(StyledForm):
    """Opening hours per weekday; a day left empty is closed."""

    def __init__(self, *args, room: Room, **kwargs):
        super().__init__(*args, **kwargs)
        current = {h.weekday: h for h in room.hours.all()}
        for day, name in enumerate(WEEKDAYS):
            hours = current.get(day)
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s buka") % {"day": name},
                required=False,
                widget=TimeInput(attrs={"class": "form-control"}),
                initial=hours.opens if hours else None,
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s tutup") % {"day": name},
                required=False,
                widget=TimeInput(attrs={"class": "form-control"}),
                initial=hours.closes if hours else None,
            )

    def hours(self) -> dict:
        out = {}
        for day in range(7):
            opens = self.cleaned_data.get(f"opens_{day}")
            closes = self.cleaned_data.get(f"closes_{day}")
            out[day] = (opens, closes) if opens and closes else None
        return out


class BlackoutForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis"), choices=Blackout.Kind.choices)
    reason = forms.CharField(label=_("Keterangan"), max_length=200)
    start_day = forms.DateField(label=_("Dari tanggal"), widget=DateInput())
    end_day = forms.DateField(label=_("Sampai tanggal"), widget=DateInput())
    whole_centre = forms.BooleanField(label=_("Seluruh gedung"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start_day") and data.get("end_day") and data["end_day"] < data["start_day"]:
            self.add_error("end_day", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class PhotoForm(StyledForm):
    photo = forms.FileField(
        label=_("Foto ruang"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    caption = forms.CharField(label=_("Keterangan foto"), max_length=200, required=False)


class PriceForm(StyledForm):
    hour_rate = forms.IntegerField(label=_("Per jam (Rp)"), min_value=0, max_value=10**9)
    day_rate = forms.IntegerField(
        label=_("Per hari (Rp)"), min_value=0, max_value=10**9, required=False
    )
    weekend_hour_rate = forms.IntegerField(
        label=_("Per jam akhir pekan (Rp)"), min_value=0, max_value=10**9, required=False
    )
    weekend_day_rate = forms.IntegerField(
        label=_("Per hari akhir pekan (Rp)"), min_value=0, max_value=10**9, required=False
    )
