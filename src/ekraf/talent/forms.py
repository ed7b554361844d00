"""Forms of the talent pages (the services validate again: pages and API share the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.accounts import permissions
from ekraf.core.forms import StyledForm
from ekraf.core.models import Agency, Region

from .models import SpeakerRequest


class SpeakerRequestForm(StyledForm):
    agency = forms.ModelChoiceField(label=_("Perangkat daerah"), queryset=Agency.objects.none())
    event = forms.CharField(label=_("Nama kegiatan"), max_length=200)
    topic = forms.CharField(label=_("Topik"), max_length=200)
    pathway = forms.ChoiceField(
        label=_("Yang dicari"), choices=SpeakerRequest._meta.get_field("pathway").choices
    )
    starts_at = forms.DateTimeField(
        label=_("Mulai"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Selesai"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    region = forms.ModelChoiceField(
        label=_("Kecamatan/kelurahan"),
        queryset=Region.objects.filter(level__in=["kecamatan", "kelurahan"]).order_by("code"),
        required=False,
    )
    venue = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    audience = forms.CharField(label=_("Peserta"), max_length=200, required=False)
    audience_size = forms.IntegerField(label=_("Jumlah peserta"), min_value=0, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=SpeakerRequest.Format.choices)
    honorarium = forms.IntegerField(label=_("Honorarium (Rp)"), min_value=0, required=False)
    travel = forms.CharField(label=_("Transportasi/akomodasi"), max_length=200, required=False)
    speakers_needed = forms.IntegerField(
        label=_("Jumlah pembicara"), min_value=1, max_value=10, initial=1
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True)
        if not permissions.is_admin(user):
            agencies = agencies.filter(pk__in=permissions.agency_ids(user))
        self.fields["agency"].queryset = agencies.order_by("short_name")
