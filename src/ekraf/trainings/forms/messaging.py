"""The organiser's message to a group of participants (services.messaging sends it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm

from .. import services


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
