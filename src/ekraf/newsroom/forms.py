"""Forms of the newsroom pages: they parse and render; services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.models import Region, Subsector

from .models import Complaint, Story, StoryPhoto, Topic


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=160, required=False)
    lead = forms.CharField(
        label=_("Teras berita"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu atau dua kalimat: apa, siapa, di mana, kapan."),
    )
    body = forms.CharField(
        label=_("Isi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: **tebal**, _miring_, ## subjudul, - daftar, [tautan](https://…)."),
    )
    region = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent"),
        to_field_name="code",
        required=False,
    )
    tags = forms.MultipleChoiceField(
        label=_("Topik"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    subsectors = forms.ModelMultipleChoiceField(
        label=_("Subsektor"),
        queryset=Subsector.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sources = forms.CharField(
        label=_("Narasumber"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu per baris: nama | cara dihubungi (mis. Pak RT | wawancara langsung)."),
    )
    byline_consent = forms.BooleanField(
        label=_("Tampilkan nama saya sebagai penulis"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label_from_instance = lambda r: r.label

    @staticmethod
    def initial_for(story: Story) -> dict:
        return {
            "title": story.title,
            "lead": story.lead,
            "body": story.body,
            "region": story.region.code if story.region_id else None,
            "tags": story.tags,
            "subsectors": [s.code for s in story.subsectors.all()],
            "sources": "\n".join(f"{s['name']} | {s['how']}" for s in story.sources),
            "byline_consent": story.byline_consent,
        }

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        sources = []
        for raw in (d.get("sources") or "").splitlines():
            if raw.strip():
                name, _sep, how = raw.partition("|")
                sources.append({"name": name.strip(), "how": how.strip()})
        return {
            "title": d.get("title", ""),
            "lead": d.get("lead", ""),
            "body": d.get("body", ""),
            "region": d["region"].code if d.get("region") else "",
            "tags": d.get("tags") or [],
            "subsectors": [s.code for s in d.get("subsectors") or []],
            "sources": sources,
            "byline_consent": d.get("byline_consent", False),
        }


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Foto (JPG, PNG atau WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Keterangan foto"), max_length=300)
    credit = forms.CharField(label=_("Kredit foto"), max_length=120)
    licence = forms.ChoiceField(label=_("Lisensi"), choices=StoryPhoto.Licence.choices)
    taken_by_reporter = forms.BooleanField(
        label=_("Saya sendiri yang memotret foto ini"), required=False, initial=True
    )
    owner = forms.CharField(label=_("Pemilik foto (bila bukan Anda)"), required=False)
    identifiable_people = forms.BooleanField(
        label=_("Ada orang yang bisa dikenali di foto"), required=False
    )
    minor_or_victim = forms.BooleanField(
        label=_("Ada anak di bawah umur atau korban di foto"), required=False
    )
    people_consent = forms.BooleanField(
        label=_("Orang di foto (atau walinya) sudah setuju fotonya dimuat"), required=False
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Catatan untuk penulis"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Terbitkan pada (kosongkan untuk sekarang)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class CorrectForm(forms.Form):
    summary = forms.CharField(
        label=_("Yang dikoreksi (tampil di berita)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    title = forms.CharField(label=_("Judul"), max_length=160)
    lead = forms.CharField(label=_("Teras berita"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Isi"), widget=forms.Textarea(attrs={"rows": 10}))


class RetractForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan pencabutan"), choices=Story.RetractionReason.choices)
    note = forms.CharField(
        label=_("Pemberitahuan publik"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ComplaintForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=Complaint.Reason.choices)
    detail = forms.CharField(label=_("Penjelasan"), widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Nama"), max_length=120)
    contact = forms.CharField(label=_("E-mail atau nomor WhatsApp"), max_length=160)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil"), choices=Complaint.Outcome.choices)
    note = forms.CharField(
        label=_("Catatan atau alasan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_text = forms.CharField(
        label=_("Hak jawab (diterbitkan di bawah berita)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    correction_summary = forms.CharField(label=_("Yang dikoreksi"), required=False)
    retraction_reason = forms.ChoiceField(
        label=_("Alasan pencabutan"),
        choices=[("", "—"), *Story.RetractionReason.choices],
        required=False,
    )


class GrantForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna atau e-mail"), max_length=150)
