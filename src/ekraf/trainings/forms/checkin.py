"""The ticket code typed or scanned at the door (services.checkin checks it in)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm


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
