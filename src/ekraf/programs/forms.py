"""Forms of the programs pages; the rules themselves live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.models import Agency, Region, Subsector
from ekraf.creators.models import Channel, Pathway

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Perangkat daerah"))
    title = forms.CharField(label=_("Judul"), max_length=200)
    objective = forms.CharField(label=_("Tujuan"), widget=forms.Textarea(attrs={"rows": 3}))
    hashtags = forms.CharField(
        label=_("Tagar wajib"), required=False, help_text=_("Pisahkan dengan spasi atau koma")
    )
    mentions = forms.CharField(label=_("Akun yang wajib disebut"), required=False)
    subsectors = forms.ModelMultipleChoiceField(
        Subsector.objects.all(), label=_("Subsektor"), required=False
    )
    districts = forms.ModelMultipleChoiceField(
        Region.objects.filter(level=Region.Level.DISTRICT), label=_("Kecamatan"), required=False
    )
    starts_on = forms.DateField(label=_("Mulai"), widget=DATE)
    ends_on = forms.DateField(label=_("Selesai"), widget=DATE)
    pathway = forms.ChoiceField(label=_("Peran"), choices=Pathway.choices)
    seats = forms.IntegerField(label=_("Jumlah orang"), min_value=1, max_value=500, initial=1)
    pathway2 = forms.ChoiceField(
        label=_("Peran kedua (opsional)"), choices=[("", "—"), *Pathway.choices], required=False
    )
    seats2 = forms.IntegerField(
        label=_("Jumlah orang peran kedua"), min_value=1, max_value=500, required=False
    )
    open_call = forms.BooleanField(
        label=_("Panggilan terbuka (kreator dapat mendaftar)"), required=False, initial=True
    )
    platform = forms.ChoiceField(label=_("Platform konten"), choices=Channel.Platform.choices)
    content_format = forms.CharField(label=_("Format konten"), max_length=80, required=False)
    deliverables_per_creator = forms.IntegerField(
        label=_("Jumlah konten per kreator"), min_value=1, max_value=50, initial=1
    )
    due_on = forms.DateField(label=_("Tenggat konten"), widget=DATE, required=False)
    paid_partnership = forms.BooleanField(label=_("Wajib label kemitraan berbayar"), required=False)
    usage_rights_until = forms.DateField(
        label=_("Hak pakai konten sampai"), widget=DATE, required=False
    )
    honorarium = forms.IntegerField(
        label=_("Honorarium (Rp, opsional)"), min_value=0, required=False
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class ApplyForm(forms.Form):
    role = forms.TypedChoiceField(label=_("Peran"), coerce=int)
    pitch = forms.CharField(
        label=_("Pesan singkat"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    links = forms.CharField(
        label=_("Tautan karya (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class DeliverableForm(forms.Form):
    url = forms.CharField(label=_("Tautan konten"), max_length=300)
    posted_on = forms.DateField(label=_("Tanggal unggah"), widget=DATE)
    hashtags = forms.CharField(label=_("Tagar yang dipakai"), required=False)
    views = forms.IntegerField(label=_("Tayangan"), min_value=0, initial=0)
    likes = forms.IntegerField(label=_("Suka"), min_value=0, initial=0)
    comments = forms.IntegerField(label=_("Komentar"), min_value=0, initial=0)
    shares = forms.IntegerField(label=_("Dibagikan"), min_value=0, initial=0)
    saves = forms.IntegerField(label=_("Disimpan"), min_value=0, initial=0)
    source = forms.CharField(label=_("Sumber angka"), max_length=120, initial="Insights")
    read_at = forms.DateTimeField(
        label=_("Waktu dibaca"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    screenshot = forms.FileField(label=_("Tangkapan layar bukti"), required=False)
